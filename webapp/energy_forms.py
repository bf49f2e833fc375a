"""Forms of the energy pages: what each meter shares, contracted capacity, and the period picker.

Messages are translated (Dutch by default) and name the field they are about.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectChoice, StringField
from wtforms.validators import Length, Optional, ValidationError

from sensors.analytics.periods import KINDS, Period

from .device_fields import FIRST_YEAR, LAST_YEAR
from .forms import NumberField
from .models import SHARE_LEVELS, Device

MAX_CAPACITY_KW = 1_000_000
# The resolutions a page offers per period kind (finest first); the first default is the
# period's own default resolution.
PAGE_RESOLUTIONS = {"day": ("15m", "1h"), "week": ("1h", "15m", "1d"),
                    "month": ("1d", "1h"), "year": ("1mo", "1d")}

SHARE_LABELS = {
    "none": _l("Not shared"),
    "aggregate": _l("Park total only"),
    "board": _l("Park total, and by name to the board"),
    "public": _l("Park total, also in public"),
}
SHARE_EXPLANATIONS = {
    "none": _l("The data of this meter stay with your company. Nobody else sees them."),
    "aggregate": _l("The meter counts in the park's total energy picture, which park "
                    "management, the association's board and the other members see. Nobody "
                    "sees your own figures, and the total is only shown when at least 3 "
                    "companies take part."),
    "board": _l("As 'park total only', and the association's board also sees this meter's "
                "figures under your company's name, for example to plan a shared grid "
                "contract."),
    "public": _l("As 'park total only', and the park total may also be shown to anyone on the "
                 "park's public page (only when at least 3 companies share in public). Your "
                 "name is never shown."),
}
RESOLUTION_LABELS = {"15m": _l("per 15 minutes"), "1h": _l("per hour"), "1d": _l("per day"),
                     "1mo": _l("per month")}
KIND_LABELS = {"day": _l("Day"), "week": _l("Week"), "month": _l("Month"), "year": _l("Year")}


class LevelField(RadioField):
    """One meter's share level; a value outside the four levels names the meter in the error."""

    def pre_validate(self, form):
        if self.data not in SHARE_LEVELS:
            raise ValidationError(
                _l("%(field)s: choose one of the options.", field=self.label.text))


class SharingForm(FlaskForm):
    """The share level of every meter of a company, and an optional note for the change log."""

    note = StringField(_l("Note for the change log (optional)"), [
        Optional(), Length(max=500, message=_l(
            "Note for the change log may be at most 500 characters."))])

    def level_fields(self) -> list[LevelField]:
        """The per-meter fields, in the order the meters were given."""
        return [field for field in self if isinstance(field, LevelField)]


def field_name(device: Device) -> str:
    """The form field name of a meter's level."""
    return f"meter_{device.id}"


def sharing_form(meters: Sequence[Device], levels: dict[int, str], **kwargs) -> SharingForm:
    """A SharingForm with one level field per meter, preset to its current level."""

    class Form(SharingForm):
        pass

    for device in meters:
        setattr(Form, field_name(device), LevelField(
            device.name, choices=[SelectChoice(level, SHARE_LABELS[level])
                                  for level in SHARE_LEVELS],
            default=levels.get(device.id, "none")))
    return Form(**kwargs)


class CapacityForm(FlaskForm):
    """A contracted grid capacity in kW (empty clears it)."""

    contracted_capacity_kw = NumberField(_l("Contracted capacity (kW)"), minimum=0,
                                         maximum=MAX_CAPACITY_KW)


@dataclass(frozen=True)
class PeriodChoice:
    """The period and resolution a page shows, with the error of a bad query (or None)."""

    period: Period
    resolution: str
    error: str | None = None

    @property
    def resolutions(self) -> tuple[str, ...]:
        return PAGE_RESOLUTIONS[self.period.kind]


def _parse_day(text: str | None, today: date) -> date:
    if not text:
        return today
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(_("Date: '%(value)s' is not a date; use the form 2026-10-25.",
                           value=text))
    return day


def period_choice(kind: str | None, day: str | None, resolution: str | None,
                  today: date) -> PeriodChoice:
    """The period of *kind* holding *day* (defaults: today's day); bad input -> today + error."""
    kind = kind or "day"
    if kind not in KINDS:
        return PeriodChoice(Period.containing("day", today), "15m",
                            _("Period: choose day, week, month or year."))
    try:
        period = Period.containing(kind, _parse_day(day, today))
    except ValueError as exc:
        return PeriodChoice(Period.containing(kind, today), PAGE_RESOLUTIONS[kind][0], str(exc))
    allowed = PAGE_RESOLUTIONS[kind]
    if resolution and resolution not in allowed:
        return PeriodChoice(period, allowed[0], _("Resolution: choose one of the options."))
    return PeriodChoice(period, resolution or allowed[0])
