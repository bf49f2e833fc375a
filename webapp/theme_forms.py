"""Forms of the themes area: profile, indicator values, measures, status, experiments, adoption.

Used by the pages and (with csrf off and number_mode "en") by the JSON API, so both refuse the
same input with the same messages. Messages name the field; those that quote input use gettext.
"""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectChoice, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional, ValidationError

import themes

from .forms import NumberField
from .services.themes import today_amsterdam
from .theme_fields import (
    FIRST_YEAR,
    LAST_AMBITION_YEAR,
    OUTCOME_LABELS,
    PROFILE_KEYS,
    ChoiceField,
    CodesField,
    LinksField,
    catalogue_choices,
    check_period,
    date_field,
    indicator_choices,
    level_choices,
    max_length,
    optional_int,
    required,
    status_choices,
    theme_choices,
    ui_lang,
)


class ThemeProfileForm(FlaskForm):
    """Baseline and ambition per theme, set by the park manager; fields are made per theme."""

    def theme_fields(self, code: str) -> dict[str, object]:
        """The four fields of one theme, by profile key."""
        return {key: self[f"{code}_{key}"] for key in PROFILE_KEYS}

    def profile_data(self) -> dict[str, dict]:
        """The validated input as {theme code: {profile key: value}}."""
        return {code: {key: field.data for key, field in self.theme_fields(code).items()}
                for code in themes.THEME_CODES}

    @staticmethod
    def flatten(data: dict[str, dict]) -> dict[str, object]:
        """{theme: {key: value}} as the form's flat field names, for data=..."""
        return {f"{code}_{key}": value for code, values in data.items()
                for key, value in values.items()}

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        for code in themes.THEME_CODES:
            ok = self._check_years(self.theme_fields(code)) and ok
        return ok

    @staticmethod
    def _check_years(fields: dict) -> bool:
        baseline_year, ambition_year = fields["baseline_year"], fields["ambition_year"]
        if baseline_year.data is not None and baseline_year.data > today_amsterdam().year:
            baseline_year.errors.append(_l("%(field)s cannot lie in the future.",
                                           field=baseline_year.label.text))
            return False
        if ambition_year.data is None:
            return True
        if fields["ambition_level"].data is None:
            ambition_year.errors.append(_l("%(field)s: choose an ambition level as well.",
                                           field=ambition_year.label.text))
            return False
        if baseline_year.data is not None and ambition_year.data < baseline_year.data:
            ambition_year.errors.append(_l("%(field)s lies before the baseline year.",
                                           field=ambition_year.label.text))
            return False
        return True


def _theme_name(code: str) -> LazyString:
    # Lazy: the label follows the interface language at render time.
    return LazyString(lambda: themes.theme(code).name(ui_lang()))


def _add_profile_fields(code: str) -> None:
    baseline = _l("%(theme)s: baseline level", theme=_theme_name(code))
    ambition = _l("%(theme)s: ambition level", theme=_theme_name(code))
    setattr(ThemeProfileForm, f"{code}_baseline_level", ChoiceField(
        baseline, coerce=int, choices=level_choices(), default=0))
    setattr(ThemeProfileForm, f"{code}_baseline_year", NumberField(
        _l("%(theme)s: year of the baseline", theme=_theme_name(code)), whole=True,
        minimum=FIRST_YEAR, maximum=LAST_AMBITION_YEAR))
    setattr(ThemeProfileForm, f"{code}_ambition_level", ChoiceField(
        ambition, coerce=optional_int, choices=level_choices(blank=_l("Not set"))))
    setattr(ThemeProfileForm, f"{code}_ambition_year", NumberField(
        _l("%(theme)s: ambition year", theme=_theme_name(code)), whole=True, minimum=2020,
        maximum=LAST_AMBITION_YEAR))


for _code in themes.THEME_CODES:
    _add_profile_fields(_code)


class IndicatorValueForm(FlaskForm):
    """A hand-entered value of one indicator, checked against the indicator's range."""

    indicator = ChoiceField(_l("Indicator"))
    value = NumberField(_l("Value"), [InputRequired(message=_l("Value is required."))])
    measured_on = DateField(_l("Date of the value"), [InputRequired(
        message=_l("Date of the value is required."))], format=["%Y-%m-%d", "%d-%m-%Y"],
        invalid_value_message=_l("Use a date like 2025-03-31."), default=today_amsterdam)
    is_measured = BooleanField(_l("Measured (not an estimate)"))
    note = TextAreaField(_l("Note"), [Optional(), max_length(_l("Note"), 1000)])

    def __init__(self, *args, theme_code: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator.choices = indicator_choices(theme_code)

    def validate_value(self, field):
        codes = {c.value for c in self.indicator.choices}
        if field.data is None or self.indicator.data not in codes:
            return
        ind = themes.indicator(self.indicator.data)
        if ind.is_boolean and field.data not in (0, 1):
            raise ValidationError(_l("Value: enter 1 for yes or 0 for no."))
        if ind.accepts(float(field.data)):
            return
        unit = ind.unit_for(ui_lang())
        if ind.max_value is None:
            raise ValidationError(_l("Value: must be at least %(min)s %(unit)s.",
                                     min=f"{ind.min_value:g}", unit=unit))
        raise ValidationError(_l("Value: must lie between %(min)s and %(max)s %(unit)s.",
                                 min=f"{ind.min_value:g}", max=f"{ind.max_value:g}", unit=unit))

    def validate_measured_on(self, field):
        if field.data and field.data > today_amsterdam():
            raise ValidationError(_l("Date of the value cannot lie in the future."))
        if field.data and field.data.year < FIRST_YEAR:
            raise ValidationError(_l("Date of the value: before %(year)d is not accepted.",
                                     year=FIRST_YEAR))


class MeasureForm(FlaskForm):
    """Log or edit a measure: from the catalogue (title, description, themes prefilled) or own."""

    catalogue_code = ChoiceField(_l("From the catalogue"), default="")
    title = StringField(_l("Title"), [max_length(_l("Title"), 200)])
    description = TextAreaField(_l("Description"),
                                [Optional(), max_length(_l("Description"), 5000)])
    themes = CodesField(_l("Themes"))
    status = ChoiceField(_l("Status"), default="idee")
    start_date = date_field(_l("Start date"))
    end_date = date_field(_l("End date"))
    cost_eur = NumberField(_l("Cost (euro)"), minimum=0, maximum=10**11)
    funding_source = StringField(_l("Funding source"), [Optional(),
                                                        max_length(_l("Funding source"), 200)])
    lead_company_id = ChoiceField(_l("Lead company"), coerce=optional_int, default=None)
    partners = TextAreaField(_l("Partners"), [Optional(), max_length(_l("Partners"), 2000)])
    expected_effect = TextAreaField(_l("Expected effect"),
                                    [Optional(), max_length(_l("Expected effect"), 5000)])
    measured_effect = TextAreaField(_l("Measured effect"),
                                    [Optional(), max_length(_l("Measured effect"), 5000)])
    evidence_links = LinksField(_l("Evidence links"),
                                description=_l("One web address per line (http:// or https://)."))

    def __init__(self, *args, companies=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue_code.choices = catalogue_choices()
        self.themes.choices = theme_choices()
        self.status.choices = status_choices()
        self.lead_company_id.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(str(cid), name) for cid, name in companies]

    def prefill_from_catalogue(self) -> None:
        """Fill an empty title, description and themes from the chosen catalogue measure."""
        code = self.catalogue_code.data
        if not code or code not in {m.code for m in themes.MEASURES}:
            return
        measure, lang = themes.catalogue_measure(code), ui_lang()
        if not (self.title.data or "").strip():
            self.title.data = measure.name(lang)
        if not (self.description.data or "").strip():
            self.description.data = (measure.description_en if lang == "en"
                                     else measure.description_nl)
        if not self.themes.data:
            self.themes.data = list(measure.themes)

    def validate(self, extra_validators=None) -> bool:
        self.prefill_from_catalogue()
        return super().validate(extra_validators)

    def validate_title(self, field):
        if not (field.data or "").strip():
            raise ValidationError(_l("Title is required (or choose a catalogue measure)."))

    def validate_themes(self, field):
        if not field.data:
            raise ValidationError(_l("Themes: choose at least one theme."))

    def validate_end_date(self, field):
        check_period(self.start_date.data, field.data)

    def measure_data(self) -> dict:
        """The validated input as the measures service takes it."""
        data = {name: field.data for name, field in self._fields.items() if name != "csrf_token"}
        data["catalogue_code"] = data["catalogue_code"] or None
        return data


class StatusForm(FlaskForm):
    """Move a measure to another status, with an optional note."""

    status = ChoiceField(_l("New status"))
    note = TextAreaField(_l("Note"), [Optional(), max_length(_l("Note"), 1000)])

    def __init__(self, *args, current: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        self.status.choices = status_choices()

    def validate_status(self, field):
        if field.data == self.current:
            raise ValidationError(_l("New status: the measure already has this status."))


class ExperimentForm(FlaskForm):
    """A living-lab experiment: hypothesis, indicator, partners, period, outcome and lessons."""

    hypothesis = TextAreaField(_l("Hypothesis"), [required(_l("Hypothesis")),
                                                  max_length(_l("Hypothesis"), 5000)])
    indicator = ChoiceField(_l("Indicator that shows the effect"), default="")
    knowledge_partners = TextAreaField(_l("Knowledge partners"), [
        Optional(), max_length(_l("Knowledge partners"), 2000)])
    start_date = date_field(_l("Start date"))
    end_date = date_field(_l("End date"))
    outcome = ChoiceField(_l("Outcome"), default="")
    # No Optional(): it would stop the chain before the inline checks below.
    results = TextAreaField(_l("Results"), [max_length(_l("Results"), 5000)])
    lessons = TextAreaField(_l("Lessons learned"), [max_length(_l("Lessons learned"), 5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator.choices = [SelectChoice("", _l("Choose an indicator")),
                                  *indicator_choices()]
        self.outcome.choices = [SelectChoice("", _l("Still running"))] + [
            SelectChoice(code, label) for code, label in OUTCOME_LABELS.items()]

    def validate_end_date(self, field):
        check_period(self.start_date.data, field.data)

    def validate_results(self, field):
        if self.outcome.data and not (field.data or "").strip():
            raise ValidationError(_l("Results: describe them once the outcome is known."))

    def validate_lessons(self, field):
        if self.outcome.data and not (field.data or "").strip():
            raise ValidationError(_l("Lessons learned: write them down once the outcome is "
                                     "known."))

    def experiment_data(self) -> dict:
        """The validated input as the experiments service takes it."""
        return {name: field.data for name, field in self._fields.items()
                if name != "csrf_token"}


class AdoptForm(FlaskForm):
    """Choose which of one's own parks adopts a measure."""

    park_id = ChoiceField(_l("Adopt into park"), coerce=optional_int)

    def __init__(self, *args, parks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.park_id.choices = [SelectChoice(str(p.id), p.name) for p in parks]
