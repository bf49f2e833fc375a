"""Forms for devices: registration with its field-mapping table, and per-park alert settings.

Used by the pages and the JSON API alike, so both give the same messages, naming the field.
"""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    Field,
    FieldList,
    FormField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.validators import ValidationError as WTFValidationError

from sensors.alerts import DEFAULT_RULES, SILENT_CODE, AlertRule
from sensors.model import FORMATS

from .device_fields import (
    FORMAT_LABELS,
    LABELS,
    UID_RE,
    ChannelForm,
    CompanyField,
    LocalDateTimeField,
    int_or_none,
    quantity_label,
    rule_label,
    topic_problem,
)
from .forms import NL_LATITUDE, NL_LONGITUDE, NumberField
from .models import Device, Park
from .services import device_channels
from .services import devices as device_service


class DeviceForm(FlaskForm):
    """Register or edit a device of one park; build it with DeviceForm(park, ...)."""

    name = StringField(LABELS["name"], [
        DataRequired(message=_l("Name is required.")),
        Length(max=200, message=_l("Name may be at most 200 characters."))])
    uid = StringField(LABELS["uid"], [
        Optional(), Length(max=80, message=_l("Device id may be at most 80 characters.")),
        Regexp(UID_RE, message=_l("Device id: use lower-case letters, digits and hyphens."))],
        description=_l("Left empty, it is made from the park and the name. It cannot be "
                       "changed later: it is the MQTT user name."))
    location = StringField(LABELS["location"], [
        Optional(), Length(max=200, message=_l("Location may be at most 200 characters."))])
    latitude = NumberField(LABELS["latitude"], minimum=NL_LATITUDE[0], maximum=NL_LATITUDE[1])
    longitude = NumberField(LABELS["longitude"], minimum=NL_LONGITUDE[0],
                            maximum=NL_LONGITUDE[1])
    company_id = CompanyField(LABELS["company_id"], coerce=int_or_none)
    payload_format = SelectField(LABELS["payload_format"], default="native",
                                 choices=[SelectChoice(f, FORMAT_LABELS[f]) for f in FORMATS])
    topic = StringField(LABELS["topic"], description=_l(
        "Only for external formats: the topic the device publishes on, for example "
        "tele/meter-1/SENSOR or dsmr/#. Native devices get their topic from the platform."))
    interval_s = NumberField(LABELS["interval_s"], [
        InputRequired(message=_l("Reporting interval is required."))],
        whole=True, minimum=10, maximum=86400, default=300)
    commissioned_at = LocalDateTimeField(LABELS["commissioned_at"], description=_l(
        "Amsterdam time. Readings from before this moment are refused. Left empty: now."))
    active = BooleanField(LABELS["active"], default=True)
    water_level_limit_cm = NumberField(LABELS["water_level_limit_cm"], minimum=-2000,
                                       maximum=5000, description=_l(
        "For water level sensors: an alert fires above this level."))
    sensors = FieldList(FormField(ChannelForm), LABELS["sensors"], min_entries=1)

    def __init__(self, park: Park, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.park = park
        self.company_id.choices = [SelectChoice(None, _("None (park-wide device)"))] + [
            SelectChoice(c.id, c.name) for c in park.companies]

    def validate_payload_format(self, field):
        if field.data not in FORMATS:
            raise WTFValidationError(_("Payload format: choose one of the options."))

    def validate_topic(self, field):
        field.data = (field.data or "").strip()
        if self.payload_format.data in device_service.GENERATED_TOPIC_FORMATS | \
                device_service.HTTP_ONLY_FORMATS:
            field.data = ""
            return
        if not field.data:
            raise WTFValidationError(_("MQTT topic is required for this payload format."))
        problem = topic_problem(field.data)
        if problem:
            raise WTFValidationError(problem)

    def validate_sensors(self, field):
        filled = [entry.form for entry in field.entries if not entry.form.is_blank()]
        if not filled:
            raise WTFValidationError(_("Map at least one field to a quantity."))
        names = [(entry.field.data or "").strip() for entry in filled]
        doubles = sorted({n for n in names if names.count(n) > 1})
        if doubles:
            raise WTFValidationError(_("Each field may be mapped once: %(fields)s.",
                                       fields=", ".join(doubles)))

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None):
            raise WTFValidationError(_l("Location: give both latitude and longitude, or "
                                        "neither."))

    def add_blank_rows(self, count: int = 3) -> None:
        """Offer *count* empty mapping rows to fill in."""
        for _row in range(count):
            self.sensors.append_entry()

    def clean(self) -> dict[str, Any]:
        """The validated values as the device service takes them."""
        data = {name: self[name].data for name in (
            "name", "uid", "location", "company_id", "payload_format", "topic", "active",
            "commissioned_at", "interval_s")}
        data["location"] = (data["location"] or "").strip()
        for name in ("latitude", "longitude", "water_level_limit_cm"):
            data[name] = None if self[name].data is None else float(self[name].data)
        data["sensors"] = [entry.form.data for entry in self.sensors.entries]
        return data


def check_registration(db: Session, form: DeviceForm, device: Device | None = None) -> bool:
    """Checks against other devices: a free uid and a topic no other device uses."""
    ok = True
    if device is None and form.uid.data and device_service.uid_taken(db, form.uid.data):
        form.uid.errors = [*form.uid.errors, _("Device id %(uid)s is already in use.",
                                               uid=form.uid.data)]
        ok = False
    topic = form.topic.data
    exclude = device.id if device is not None else None
    if topic and device_service.topic_conflict(db, topic, exclude) is not None:
        form.topic.errors = [*form.topic.errors, _(
            "MQTT topic %(topic)s overlaps the topic of another device, so its messages could "
            "not be told apart.", topic=topic)]
        ok = False
    return ok


def check_channels(db: Session, form: DeviceForm, device: Device | None,
                   removable: frozenset[str] = frozenset()
                   ) -> list[device_channels.ChannelProblem]:
    """Checks of the mapping against stored data; each problem becomes an error on the form.

    A sensor with stored readings keeps its quantity and is not removed (unless its field is
    in *removable*, which only the API offers); a row's sensor id must be one of this device's.
    """
    rows = [entry.form for entry in form.sensors.entries if not entry.form.is_blank()]
    channels = device_service.channels_from([row.data for row in rows])
    problems = device_channels.channel_problems(db, device, channels, removable)
    for problem in problems:
        _add_channel_error(form, rows, problem)
    return problems


def _add_channel_error(form: DeviceForm, rows: list[ChannelForm],
                       problem: device_channels.ChannelProblem) -> None:
    if problem.kind == device_channels.UNKNOWN_SENSOR:
        rows[problem.row].sensor_id.errors.append(
            _("This row matches no sensor of this device; reload the page."))
    elif problem.kind == device_channels.QUANTITY_CHANGES:
        rows[problem.row].quantity.errors.append(_(
            "Field %(field)s has stored readings of %(quantity)s, so its quantity cannot be "
            "changed. Map the new quantity on a new row instead.", field=problem.field,
            quantity=quantity_label(problem.quantity)))
    else:
        form.sensors.errors.append(_(
            "Field %(field)s has stored readings, so it cannot be removed: its readings would "
            "be deleted with it. Keep its row (you may rename the field).", field=problem.field))


def flat_errors(form: FlaskForm) -> list[tuple[str, str]]:
    """Every error message with the id of the input it belongs to, for the error summary."""
    found: list[tuple[str, str]] = []
    for field in form:
        if isinstance(field, FieldList):
            found += _list_errors(field)
        else:
            found += [(field.id, str(message)) for message in field.errors]
    return found


def _list_errors(field_list: FieldList) -> list[tuple[str, str]]:
    found = [(field_list.id, str(m)) for m in field_list.errors if isinstance(m, str)]
    for index, entry in enumerate(field_list.entries, start=1):
        for sub in entry.form:
            found += [(sub.id, _("Row %(row)d: %(message)s", row=index, message=str(m)))
                      for m in sub.errors]
    return found


def override_form(rules: tuple[AlertRule, ...] = DEFAULT_RULES) -> type[FlaskForm]:
    """A form class with, per alert rule, a threshold and an "off" switch (labels localised)."""
    fields: dict[str, Field] = {}
    for rule in rules:
        # Silence is counted in reporting intervals: below one, every device is always silent.
        minimum = 1 if rule.code == SILENT_CODE else -100000
        fields[f"{rule.code}__threshold"] = NumberField(
            rule_label(rule), minimum=minimum, maximum=100000)
        fields[f"{rule.code}__off"] = BooleanField(_l("Switch off"))
    return type("AlertOverrideForm", (FlaskForm,), fields)
