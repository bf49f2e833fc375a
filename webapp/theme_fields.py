"""Fields and choices of the themes area's forms (see webapp.theme_forms).

Labels of themes, levels, statuses and indicators come from the themes package in both languages
and are picked at render time, so one form class serves Dutch and English.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import LazyString, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

import themes

from .forms import MultiCheckboxField

MAX_LINKS = 20
PROFILE_KEYS = ("baseline_level", "baseline_year", "ambition_level", "ambition_year")
FIRST_YEAR = 1990
LAST_AMBITION_YEAR = 2100
OUTCOME_LABELS = {
    "confirmed": _l("Confirmed"),
    "rejected": _l("Rejected"),
    "inconclusive": _l("Inconclusive"),
}


def ui_lang() -> str:
    """The interface language, "nl" or "en", for the bilingual texts of the themes package."""
    return "en" if str(get_locale() or "nl").startswith("en") else "nl"


def _text(get) -> LazyString:
    """A label computed at render time in the current language."""
    return LazyString(lambda: get(ui_lang()))


def theme_choices() -> list[SelectChoice]:
    """The seven themes as choices, labelled in the current language."""
    return [SelectChoice(t.code, _text(t.name)) for t in themes.THEMES]


def status_choices() -> list[SelectChoice]:
    """The measure statuses as choices."""
    return [SelectChoice(code, _text(lambda lang, c=code: themes.status_label(c, lang)))
            for code in themes.MEASURE_STATUSES]


def indicator_choices(theme_code: str | None = None) -> list[SelectChoice]:
    """Indicators (of one theme, or all grouped by theme) as choices."""
    chosen = themes.indicators_for(theme_code) if theme_code else themes.INDICATORS
    return [SelectChoice(i.code, _text(lambda lang, i=i: f"{i.name(lang)} ({i.unit_for(lang)})"),
                         optgroup=None if theme_code else themes.theme(i.theme).name(ui_lang()))
            for i in chosen]


def catalogue_choices() -> list[SelectChoice]:
    """The catalogue measures as choices grouped by primary theme, after "own measure"."""
    lang = ui_lang()
    return [SelectChoice("", _l("Own measure (not from the catalogue)"))] + [
        SelectChoice(m.code, m.name(lang), optgroup=themes.theme(m.primary_theme).name(lang))
        for m in themes.MEASURES]


def level_choices(blank: str | None = None) -> list[SelectChoice]:
    """Maturity levels 0..4 with their names; optionally a blank first choice."""
    levels = [SelectChoice(str(lv.number), _text(lambda lang, lv=lv: f"{lv.number} – "
                                                 f"{lv.name(lang)}")) for lv in themes.LEVELS]
    return ([SelectChoice("", blank)] if blank else []) + levels


class ChoiceField(SelectField):
    """A select whose wrong values get a message naming the field (also for API input)."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.invalid_value_message = _l("%(field)s: choose one of the options.",
                                        field=self.label.text)

    def pre_validate(self, form):
        if self.process_errors:
            return
        if self.data not in [self.coerce(c.value) for c in self.choices]:
            raise ValidationError(self.invalid_value_message)


def optional_int(value):
    """A select's value as an int, or None for the blank choice."""
    if value in (None, ""):
        return None
    return int(value)


class CodesField(MultiCheckboxField):
    """Checkboxes of codes; unknown codes are named in the error."""

    def pre_validate(self, form):
        allowed = {c.value for c in self.choices}
        unknown = [v for v in (self.data or []) if v not in allowed]
        if unknown:
            raise ValidationError(_("%(field)s: unknown value '%(value)s'.",
                                    field=self.label.text, value="', '".join(unknown)))


def date_field(label) -> DateField:
    """An optional date, typed 2025-03-31 (date input) or 31-03-2025."""
    return DateField(label, [Optional()], format=["%Y-%m-%d", "%d-%m-%Y"],
                     invalid_value_message=_l("Use a date like 2025-03-31."))


def max_length(label, maximum: int) -> Length:
    """A length limit whose message names the field."""
    return Length(max=maximum, message=_l("%(field)s may be at most %(max)d characters.",
                                          field=label, max=maximum))


def check_period(start, end) -> None:
    """End date before start date is refused."""
    if start and end and end < start:
        raise ValidationError(_l("The end date is before the start date."))


def parse_links(text: str | list | None) -> list[str]:
    """Links from a textarea (one per line) or a list; each must be an http(s) web address."""
    items = text if isinstance(text, list) else (text or "").replace("\r", "").split("\n")
    links = [item.strip() for item in items if item and item.strip()]
    for link in links:
        parts = urlsplit(link)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in link:
            raise ValidationError(_("Evidence links: '%(value)s' is not a web address "
                                    "starting with http:// or https://.", value=link))
        if len(link) > 500:
            raise ValidationError(_l("Evidence links: a link may be at most 500 characters."))
    if len(links) > MAX_LINKS:
        raise ValidationError(_l("Evidence links: at most %(max)d links.", max=MAX_LINKS))
    return links


class LinksField(TextAreaField):
    """Evidence links, one per line; the data is a list of http(s) URLs."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "\n".join(self.data or [])

    def process_formdata(self, valuelist):
        if valuelist:
            self.data = valuelist if len(valuelist) > 1 else valuelist[0]

    def pre_validate(self, form):
        self.data = parse_links(self.data)



def required(label):
    """A required-field check whose message names the field."""
    return DataRequired(message=_l("%(field)s is required.", field=label))


