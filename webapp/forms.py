"""Forms: the one schema for park and company input, used by the pages, the API and CSV import.

Messages are translated (Dutch by default) and name the field they are about.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    EmailField,
    Field,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from roadmap.programme import (
    ORGANISATION_FORMS,
    PROGRAMME_ROLES,
    PROVINCES,
    normalise_code,
    normalise_province,
)

from .i18n import FIELD_LABELS, ORGANISATION_FORM_LABELS, PROGRAMME_ROLE_LABELS
from .models import PUBLISHABLE_FIELDS
from .numbers import MODES, NumberError, format_unambiguous, parse_decimal

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NL_LATITUDE = (50.7, 53.7)
NL_LONGITUDE = (3.2, 7.3)


class NumberField(Field):
    """A number typed the Dutch or the English way; ambiguous input is refused, not guessed.

    The form's `meta={"number_mode": ...}` ('auto', 'nl' or 'en') says how to read it: CSV import
    passes the file's mode, the JSON API 'en', pages the default 'auto'.
    """

    widget = TextInput()

    def __init__(self, label=None, validators=None, *, whole=False, minimum=None, maximum=None,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.whole, self.minimum, self.maximum = whole, minimum, maximum

    @property
    def number_mode(self) -> str:
        mode = getattr(self.meta, "number_mode", "auto")
        if mode not in MODES:
            raise ValueError(f"unknown number mode {mode!r}")
        return mode

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        # Stored values are shown so that saving the form unchanged reads them back unchanged
        # (str(52.517) would be refused as ambiguous).
        return "" if self.data is None else format_unambiguous(self.data)

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        text = str(valuelist[0])
        try:
            value = parse_decimal(text, self.number_mode)
        except NumberError as exc:
            self.data = None
            # gettext, not _l: these messages quote the input, and templates treat a lazy string
            # as safe markup (it has __html__), so the typed text would not be escaped.
            if exc.ambiguous:
                raise ValueError(
                    _("%(field)s: '%(value)s' is ambiguous; write it without thousands "
                      "separators, for example 1234,5.", field=self.label.text, value=text)
                ) from exc
            raise ValueError(
                _("%(field)s: '%(value)s' is not a number.", field=self.label.text, value=text)
            ) from exc
        if value is not None and self.whole:
            if value != value.to_integral_value():
                self.data = None
                raise ValueError(_l("%(field)s must be a whole number.", field=self.label.text))
            value = int(value)
        self.data = value

    def pre_validate(self, form):
        if self.data is None:
            return
        if self.minimum is not None and self.data < self.minimum:
            raise ValidationError(
                _l("%(field)s must be at least %(min)s.", field=self.label.text, min=self.minimum)
            )
        if self.maximum is not None and self.data > self.maximum:
            raise ValidationError(
                _l("%(field)s must be at most %(max)s.", field=self.label.text, max=self.maximum)
            )


class CodeSelectField(SelectField):
    """A select over fixed codes that also accepts labels and spellings from CSV files."""

    def __init__(self, label=None, validators=None, *, normalise=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.normalise = normalise

    def process_formdata(self, valuelist):
        if valuelist and self.normalise is not None:
            valuelist = [self.normalise(str(valuelist[0])) or str(valuelist[0])]
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.data not in [choice.value for choice in self.choices]:
            raise ValidationError(
                _l("%(field)s: choose one of the options.", field=self.label.text)
            )


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes for a set of codes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _unix_newlines(text: str | None) -> str | None:
    """Browsers send a textarea's line breaks as CRLF; store them as the CSV import does."""
    return text.replace("\r\n", "\n") if text else text


def _choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _required(field: str):
    return DataRequired(message=_l("%(field)s is required.", field=FIELD_LABELS[field]))


def _max(field: str, length: int):
    return Length(
        max=length,
        message=_l("%(field)s may be at most %(max)d characters.", field=FIELD_LABELS[field],
                   max=length),
    )


class ParkForm(FlaskForm):
    """Register or edit a business park."""

    name = StringField(FIELD_LABELS["name"], [_required("name"), _max("name", 200)])
    slug = StringField(
        FIELD_LABELS["slug"],
        [
            Optional(),
            _max("slug", 80),
            Regexp(SLUG_RE, message=_l("Short name: use lower-case letters, digits and hyphens.")),
        ],
        description=_l("Left empty, it is made from the name."),
    )
    municipality = StringField(
        FIELD_LABELS["municipality"], [_required("municipality"), _max("municipality", 100)]
    )
    province = CodeSelectField(
        FIELD_LABELS["province"],
        [_required("province")],
        choices=[SelectChoice("", _l("Choose a province"))] + [SelectChoice(p) for p in PROVINCES],
        normalise=normalise_province,
    )
    ibis_rin = StringField(
        FIELD_LABELS["ibis_rin"],
        [
            Optional(),
            Regexp(r"^[0-9A-Za-z./-]{1,20}$",
                   message=_l("IBIS RIN number: at most 20 letters, digits, dots or hyphens.")),
        ],
    )
    gross_ha = NumberField(FIELD_LABELS["gross_ha"], minimum=0, maximum=100000)
    net_ha = NumberField(FIELD_LABELS["net_ha"], minimum=0, maximum=100000)
    companies_count = NumberField(FIELD_LABELS["companies_count"], whole=True, minimum=0,
                                  maximum=100000)
    jobs = NumberField(FIELD_LABELS["jobs"], whole=True, minimum=0, maximum=10_000_000)
    latitude = NumberField(FIELD_LABELS["latitude"], minimum=NL_LATITUDE[0],
                           maximum=NL_LATITUDE[1])
    longitude = NumberField(FIELD_LABELS["longitude"], minimum=NL_LONGITUDE[0],
                            maximum=NL_LONGITUDE[1])
    organisation_form = CodeSelectField(
        FIELD_LABELS["organisation_form"],
        choices=_choices(ORGANISATION_FORM_LABELS),
        default="geen",
        normalise=lambda text: normalise_code(text, ORGANISATION_FORMS),
    )
    programme_role = CodeSelectField(
        FIELD_LABELS["programme_role"],
        choices=_choices(PROGRAMME_ROLE_LABELS),
        default="deelnemer",
        normalise=lambda text: normalise_code(text, PROGRAMME_ROLES),
    )
    association = StringField(FIELD_LABELS["association"], [Optional(), _max("association", 200)])
    description = TextAreaField(
        FIELD_LABELS["description"], [Optional(), _max("description", 5000)],
        filters=[_unix_newlines],
    )
    is_public = BooleanField(FIELD_LABELS["is_public"], default=True)
    public_fields = MultiCheckboxField(
        FIELD_LABELS["public_fields"],
        choices=[SelectChoice(f, FIELD_LABELS[f]) for f in PUBLISHABLE_FIELDS],
    )

    def validate_net_ha(self, field):
        gross = self.gross_ha.data
        if field.data is not None and gross is not None and field.data > gross:
            raise ValidationError(_l("Net area cannot be larger than the gross area."))

    def validate_longitude(self, field):
        if (field.data is None) != (self.latitude.data is None):
            raise ValidationError(_l("Location: give both latitude and longitude, or neither."))


class CompanyForm(FlaskForm):
    """Add or edit a member company of a park."""

    name = StringField(_l("Company name"), [
        DataRequired(message=_l("Company name is required.")),
        Length(max=200, message=_l("Company name may be at most 200 characters.")),
    ])
    kvk_number = StringField(_l("KvK number"), [
        Optional(),
        Regexp(r"^\d{8}$", message=_l("KvK number: exactly 8 digits.")),
    ])
    sector = StringField(_l("Sector"), [
        Optional(), Length(max=100, message=_l("Sector may be at most 100 characters."))
    ])


class LoginForm(FlaskForm):
    """Log in with e-mail address and password."""

    email = EmailField(_l("E-mail address"), [
        DataRequired(message=_l("E-mail address is required.")),
        Email(message=_l("E-mail address is not valid."), check_deliverability=False),
    ])
    password = PasswordField(_l("Password"), [DataRequired(message=_l("Password is required."))])


class ImportForm(FlaskForm):
    """Upload a CSV file of parks."""

    file = FileField(_l("CSV file"), [
        FileRequired(message=_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], message=_l("Only .csv files can be imported.")),
    ])
    number_mode = SelectField(
        _l("Numbers in the file"),
        choices=[
            SelectChoice("auto", _l("Detect, refuse what is ambiguous")),
            SelectChoice("nl", _l("Dutch: 1.234,5")),
            SelectChoice("en", _l("English: 1,234.5")),
        ],
        default="auto",
    )
