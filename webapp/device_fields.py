"""Fields and checks the device forms are built from: units per quantity, MQTT topics, times.

Pure of the database; webapp.device_forms puts them together into the registration form.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import Field, Form, HiddenField, SelectChoice, SelectField, StringField
from wtforms.validators import Length, Optional
from wtforms.validators import ValidationError as WTFValidationError
from wtforms.widgets import DateTimeLocalInput

from sensors.alerts import AlertRule
from sensors.model import Rejection
from sensors.quantities import QUANTITIES, convert, units_for

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
UID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TOPIC_MAX = 250
RESERVED_PREFIX = "werklandschap/"
# Moments typed in (commissioning, API time ranges) must lie in these years.
FIRST_YEAR, LAST_YEAR = 1970, 2100
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

FORMAT_LABELS = {
    "native": _l("Native JSON (werklandschap)"),
    "ttn": _l("The Things Stack v3 (LoRaWAN)"),
    "dsmr": _l("dsmr-reader (smart meter)"),
    "tasmota": _l("Tasmota"),
    "senml": _l("SenML JSON (RFC 8428)"),
    "sensor_community": _l("sensor.community (HTTP push)"),
}
LABELS = {
    "name": _l("Name"), "uid": _l("Device id"), "location": _l("Location"),
    "latitude": _l("Latitude"), "longitude": _l("Longitude"),
    "company_id": _l("Owning company"), "payload_format": _l("Payload format"),
    "topic": _l("MQTT topic"), "interval_s": _l("Reporting interval (seconds)"),
    "commissioned_at": _l("In service since"), "active": _l("Active"),
    "water_level_limit_cm": _l("Water level limit (cm)"), "sensors": _l("Fields"),
    "field": _l("Field"), "quantity": _l("Quantity"), "unit": _l("Unit as sent"),
    "sensor_name": _l("Label"),
}


def quantity_label(code: str) -> str:
    """The quantity's name in the user's language (its code if unknown)."""
    quantity = QUANTITIES.get(code)
    if quantity is None:
        return code
    return quantity.name_nl if str(get_locale()) == "nl" else quantity.name_en


def rule_label(rule: AlertRule) -> str:
    """The alert rule's name in the user's language."""
    return rule.name_nl if str(get_locale()) == "nl" else rule.name_en


def rule_source(rule: AlertRule) -> str:
    """Where the alert rule's threshold comes from, in the user's language."""
    return rule.source_nl if str(get_locale()) == "nl" else rule.source_en


def _quantity_choices() -> list[SelectChoice]:
    return [SelectChoice("", _("Choose a quantity"))] + [
        SelectChoice(code, f"{quantity_label(code)} ({q.unit})") for code, q in QUANTITIES.items()
    ]


def _unit_choices() -> list[SelectChoice]:
    units = dict.fromkeys(unit for code in QUANTITIES for unit in units_for(code))
    return [SelectChoice("", _("Choose a unit"))] + [SelectChoice(u, u) for u in units]


def _fold(unit: str) -> str:
    return unicodedata.normalize("NFKC", unit.strip())


def listed_unit(unit: str, quantity: str) -> str | None:
    """The unit to store, or None if it does not fit *quantity*.

    A unit units_for() lists is stored in that spelling (m3 -> m³); another spelling the
    converter accepts (ug/m3, Cel) is kept as the device sends it.
    """
    listed = next((u for u in units_for(quantity) if _fold(u) == _fold(unit)), None)
    if listed is not None or not unit.strip():
        return listed
    try:
        convert(1.0, unit, quantity)
    except Rejection:
        return None
    return unit.strip()


def topic_problem(topic: str) -> str | None:
    """Why *topic* cannot be a device's MQTT topic or topic filter, or None if it can."""
    levels = topic.split("/")
    if len(topic.encode("utf-8")) > TOPIC_MAX:
        return _("MQTT topic may be at most %(max)d bytes.", max=TOPIC_MAX)
    if topic.startswith("$") or _CONTROL.search(topic):
        return _("MQTT topic may not start with $ or contain control characters.")
    if topic.startswith(RESERVED_PREFIX):
        return _("MQTT topic: werklandschap/… is reserved for devices in the native format.")
    if not levels[0] or "+" in levels[0] or "#" in levels[0]:
        return _("MQTT topic: the first level must be a fixed name, not empty or a wildcard.")
    if any(("+" in level and level != "+") or ("#" in level and level != "#") for level in levels):
        return _("MQTT topic: a wildcard (+ or #) must fill a whole level.")
    if "#" in levels[:-1]:
        return _("MQTT topic: # may only be the last level.")
    return None


class MomentOutOfRange(ValueError):
    """A date and time outside FIRST_YEAR..LAST_YEAR (or beyond what datetime can hold)."""


def parse_moment(text: str) -> datetime:
    """ISO 8601 *text* as an aware UTC datetime; without a zone it is Amsterdam time.

    Raises MomentOutOfRange outside the years 1970..2100, ValueError for other text.
    """
    moment = datetime.fromisoformat(text)
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise MomentOutOfRange(text)
    try:
        return (moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)).astimezone(UTC)
    except OverflowError as exc:
        raise MomentOutOfRange(text) from exc


class LocalDateTimeField(Field):
    """A moment typed in Amsterdam time (or ISO 8601 with a zone); its data is UTC-aware."""

    widget = DateTimeLocalInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        moment = self.data if self.data.tzinfo else self.data.replace(tzinfo=UTC)
        return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")

    def process_formdata(self, valuelist):
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        try:
            self.data = parse_moment(text)
        except MomentOutOfRange as exc:
            raise ValueError(_("%(field)s: give a date and time between %(first)d and "
                               "%(last)d.", field=self.label.text, first=FIRST_YEAR,
                               last=LAST_YEAR)) from exc
        except ValueError as exc:
            raise ValueError(_("%(field)s: '%(value)s' is not a date and time such as "
                               "2026-03-01T09:30.", field=self.label.text, value=text)) from exc


class SensorIdField(HiddenField):
    """The id of the sensor a mapping row is for (empty for a new row); kept across renames."""

    def process_formdata(self, valuelist):
        text = str(valuelist[0]).strip() if valuelist else ""
        self.data = None
        if not text:
            return
        if not (text.isascii() and text.isdigit()):
            raise ValueError(_("This row matches no sensor of this device; reload the page."))
        self.data = int(text)


class UnitField(SelectField):
    """The unit a field is sent in; checked against its quantity by ChannelForm."""

    def pre_validate(self, form):
        """Any text passes here: ChannelForm says which units fit the chosen quantity."""


class ChannelForm(Form):
    """One row of the mapping table; a completely blank row is ignored."""

    sensor_id = SensorIdField()
    field = StringField(LABELS["field"], [Optional(), Length(max=120)])
    quantity = SelectField(LABELS["quantity"], choices=_quantity_choices, validate_choice=False)
    unit = UnitField(LABELS["unit"], choices=_unit_choices)
    name = StringField(LABELS["sensor_name"], [Optional(), Length(max=120)])

    def is_blank(self) -> bool:
        """Whether nothing was filled in on this row."""
        values = ((self.field.data or "").strip(), self.quantity.data, self.unit.data)
        return not any(values)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators) or self.is_blank():
            return not self.errors
        return self._check_row()

    def _check_row(self) -> bool:
        if not (self.field.data or "").strip():
            self.field.errors.append(_("Field name is required."))
        elif _CONTROL.search(self.field.data):
            self.field.errors.append(_("Field name may not contain control characters."))
        if self.quantity.data not in QUANTITIES:
            self.quantity.errors.append(_("Choose a quantity for field %(field)s.",
                                          field=self.field.data or "?"))
        elif (unit := listed_unit(self.unit.data or "", self.quantity.data)) is None:
            self.unit.errors.append(_(
                "Unit '%(unit)s' does not fit %(quantity)s; choose one of %(units)s.",
                unit=self.unit.data or "", quantity=quantity_label(self.quantity.data),
                units=", ".join(units_for(self.quantity.data))))
        else:
            self.unit.data = unit
        return not self.errors


def int_or_none(value: Any) -> int | None:
    """A select's value as an id; the empty choice is None."""
    if value in (None, "", "None"):
        return None
    return int(value)


class CompanyField(SelectField):
    """The owning company: one of the park's own, or none (park-wide device)."""

    def pre_validate(self, form):
        if self.data not in [choice.value for choice in self.choices]:
            raise WTFValidationError(_l("Owning company: choose one of this park's companies."))

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = -1  # not a number: pre_validate names the problem
