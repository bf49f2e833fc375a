"""Forms of the roadmap page: the plan, milestones, a measure's plan year and the phase override.

Used by the pages and (with csrf off and number_mode "en") by the JSON API, so both refuse the
same input with the same messages; every message names its field.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

import themes
from roadmap.phases import PHASES

from .forms import NumberField
from .services.themes import today_amsterdam
from .theme_fields import ChoiceField, max_length, optional_int, required, theme_choices, ui_lang

FIRST_YEAR = 2000
LAST_YEAR = 2100


def phase_name(code: str | None, lang: str | None = None) -> str:
    """The name of a phase in the interface language (the code itself if unknown)."""
    lang = lang or ui_lang()
    for item in PHASES:
        if item.code == code:
            return item.name_en if lang == "en" else item.name_nl
    return code or ""


def phase_choices(blank=None) -> list[SelectChoice]:
    """The five phases as choices, labelled in the current language at render time."""
    items = [SelectChoice(p.code, LazyString(lambda c=p.code: phase_name(c))) for p in PHASES]
    return ([SelectChoice("", blank)] if blank else []) + items


def date_input(label, required_field: bool = False) -> DateField:
    """A date typed 2025-03-31 (date input) or 31-03-2025; a bad date names the field."""
    check = (InputRequired(message=_l("%(field)s is required.", field=label))
             if required_field else Optional())
    return DateField(label, [check], format=["%Y-%m-%d", "%d-%m-%Y"],
                     invalid_value_message=_l("%(field)s: use a date like 2025-03-31.",
                                              field=label))


def _not_in_future(field) -> None:
    if field.data and field.data > today_amsterdam():
        raise ValidationError(_l("%(field)s cannot lie in the future.", field=field.label.text))


def _in_range(field) -> None:
    if field.data and not FIRST_YEAR <= field.data.year <= LAST_YEAR:
        raise ValidationError(_l("%(field)s must lie between %(first)d and %(last)d.",
                                 field=field.label.text, first=FIRST_YEAR, last=LAST_YEAR))


class RoadmapForm(FlaskForm):
    """The park's plan: its vision, when the association adopted it, and the target year."""

    vision = TextAreaField(_l("Vision"), [Optional(), max_length(_l("Vision"), 5000)])
    adopted_on = date_input(_l("Adopted on"))
    target_year = NumberField(_l("Target year"), whole=True, minimum=2024, maximum=LAST_YEAR)
    notes = TextAreaField(_l("Notes"), [Optional(), max_length(_l("Notes"), 5000)])

    def validate_adopted_on(self, field):
        _not_in_future(field)
        _in_range(field)

    def roadmap_data(self) -> dict:
        """The validated input by column."""
        return {key: self[key].data for key in ("vision", "adopted_on", "target_year", "notes")}


class MilestoneForm(FlaskForm):
    """A dated milestone; optionally the theme it serves and the phase it completes."""

    title = StringField(_l("Title"), [required(_l("Title")), max_length(_l("Title"), 200)])
    description = TextAreaField(_l("Description"),
                                [Optional(), max_length(_l("Description"), 5000)])
    due_on = date_input(_l("Due date"), required_field=True)
    done_on = date_input(_l("Done on"))
    theme = ChoiceField(_l("Theme"), default="")
    phase = ChoiceField(_l("Phase"), default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.theme.choices = [SelectChoice("", _l("No theme")), *theme_choices()]
        self.phase.choices = phase_choices(blank=_l("No phase"))

    def validate_due_on(self, field):
        _in_range(field)

    def validate_done_on(self, field):
        _not_in_future(field)
        _in_range(field)

    def milestone_data(self) -> dict:
        """The validated input by column ("" for no theme or phase becomes None)."""
        data = {key: self[key].data for key in ("title", "description", "due_on", "done_on")}
        data["theme"] = self.theme.data or None
        data["phase"] = self.phase.data or None
        return data


class PlanYearForm(FlaskForm):
    """Plan one of the park's measures in a year (empty: follow its start date)."""

    measure_id = ChoiceField(_l("Measure"), coerce=optional_int)
    planned_year = NumberField(_l("Planned year"), whole=True, minimum=FIRST_YEAR,
                               maximum=LAST_YEAR)

    def __init__(self, *args, measures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.measure_id.choices = [SelectChoice("", _l("Choose a measure"))] + [
            SelectChoice(str(m.id), f"{m.title} ({themes.status_label(m.status, ui_lang())})")
            for m in measures]

    def validate_measure_id(self, field):
        if field.data is None:
            raise ValidationError(_l("%(field)s is required.", field=field.label.text))


class OverrideForm(FlaskForm):
    """A coordinator's phase for a park, with the reason why the rule does not fit."""

    phase = ChoiceField(_l("Phase"), [required(_l("Phase"))])
    reason = TextAreaField(_l("Reason"), [required(_l("Reason")), max_length(_l("Reason"), 2000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.phase.choices = phase_choices(blank=_l("Choose a phase"))

    def validate_reason(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("%(field)s is required.", field=field.label.text))


class ConfirmForm(FlaskForm):
    """A button that only carries the CSRF token (delete a milestone, lift an override)."""
