"""The park registry as CSV: import as Dutch Excel writes it, export that Excel opens safely.

Import is all or nothing: every row is validated first with the same form as the web page; any
error leaves the database untouched and reports row, column and message.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from ..forms import ParkForm
from ..models import PUBLISHABLE_FIELDS, Park
from . import parks as park_service

# Export columns, in order; import accepts these and the Dutch headers below.
COLUMNS = (
    "slug", "name", "municipality", "province", "ibis_rin", "gross_ha", "net_ha",
    "companies_count", "jobs", "latitude", "longitude", "organisation_form", "programme_role",
    "association", "description", "is_public", "public_fields",
)
DUTCH_HEADERS = {
    "naam": "name", "gemeente": "municipality", "provincie": "province",
    "ibis_rin": "ibis_rin", "rin": "ibis_rin", "rin-nummer": "ibis_rin",
    "bruto_ha": "gross_ha", "bruto oppervlakte (ha)": "gross_ha",
    "netto_ha": "net_ha", "netto oppervlakte (ha)": "net_ha",
    "bedrijven": "companies_count", "aantal bedrijven": "companies_count",
    "banen": "jobs", "werkgelegenheid": "jobs", "arbeidsplaatsen": "jobs",
    "breedtegraad": "latitude", "lat": "latitude", "lengtegraad": "longitude", "lon": "longitude",
    "organisatievorm": "organisation_form", "programmarol": "programme_role",
    "vereniging": "association", "omschrijving": "description", "beschrijving": "description",
    "openbaar": "is_public", "openbare velden": "public_fields",
}
REQUIRED_COLUMNS = ("name", "municipality", "province")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TRUE_WORDS = {"1", "ja", "j", "yes", "y", "true", "waar", "x"}
FALSE_WORDS = {"0", "nee", "n", "no", "false", "onwaar", ""}
MAX_ROWS = 100_000


@dataclass
class RowError:
    """One problem in the file: 1-based line number (header is line 1), column, message."""

    line: int
    column: str
    message: str


@dataclass
class ImportResult:
    """What an import did, or why it did nothing."""

    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(Exception):
    """The file as a whole cannot be read (encoding, delimiter, header)."""


def decode(raw: bytes) -> str:
    """UTF-8 with or without BOM, else cp1252 (what Dutch Excel writes by default)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ImportRefused(_("The file is neither UTF-8 nor Windows-1252 text.")) from exc


def detect_delimiter(text: str) -> str:
    """';' or ',', whichever the header line uses (Dutch Excel writes ';')."""
    header = text.split("\n", 1)[0]
    semicolons, commas = header.count(";"), header.count(",")
    if semicolons == 0 and commas == 0:
        raise ImportRefused(_("The first line has no ';' or ',' between column names."))
    return ";" if semicolons >= commas else ","


def _column_key(header: str) -> str | None:
    key = header.strip().lower()
    if key in COLUMNS:
        return key
    return DUTCH_HEADERS.get(key)


def _unquote(value: str) -> str:
    """Undo neutralise(): our own exports put a quote before text that looks like a formula."""
    if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def read_rows(raw: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Decode and split the file; return the column keys and (line number, row) pairs."""
    text = decode(raw).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise ImportRefused(_("The file is empty."))
    reader = csv.reader(io.StringIO(text), delimiter=detect_delimiter(text))
    header = next(reader)
    keys = [_column_key(h) for h in header]
    unknown = [h for h, k in zip(header, keys, strict=True) if k is None and h.strip()]
    if unknown:
        raise ImportRefused(_("Unknown columns: %(columns)s.", columns=", ".join(unknown)))
    missing = [c for c in REQUIRED_COLUMNS if c not in keys]
    if missing:
        raise ImportRefused(_("Required columns are missing: %(columns)s.",
                              columns=", ".join(missing)))
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        line = reader.line_num
        if len(values) != len(keys):
            rows.append((line, {"__width__": str(len(values))}))
            continue
        rows.append((line, {k: _unquote(v.strip()) for k, v in zip(keys, values, strict=True)
                            if k}))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(_("More than %(max)d rows; split the file.", max=MAX_ROWS))
    return keys, rows


def _formdata(row: dict[str, str]) -> MultiDict:
    data = MultiDict()
    for key, value in row.items():
        if key == "public_fields":
            for name in value.replace(";", ",").split(","):
                if name.strip():
                    data.add(key, name.strip())
        elif key == "is_public":
            if value.lower() in TRUE_WORDS:
                data.add(key, "y")
        else:
            data.add(key, value)
    return data


def validate_rows(rows, number_mode: str, progress: Callable[[int], None] | None = None):
    """Validate every row with ParkForm; return (clean rows, errors)."""
    clean, errors = [], []
    seen_slugs: dict[str, int] = {}
    for line, row in rows:
        if progress:
            progress(1)
        if "__width__" in row:
            errors.append(RowError(line, "", _("This row has %(n)s cells; the header has a "
                                               "different number.", n=row["__width__"])))
            continue
        if row.get("is_public", "").lower() not in TRUE_WORDS | FALSE_WORDS:
            errors.append(RowError(line, "is_public", _("Public profile: write ja or nee.")))
            continue
        formdata = _formdata(row)
        unknown_fields = [f for f in formdata.getlist("public_fields")
                          if f not in PUBLISHABLE_FIELDS]
        if unknown_fields:
            errors.append(RowError(line, "public_fields", _(
                "Unknown public fields: %(fields)s.", fields=", ".join(unknown_fields))))
            continue
        form = ParkForm(formdata=formdata, meta={"csrf": False, "number_mode": number_mode})
        if not form.validate():
            for column, messages in form.errors.items():
                errors.extend(RowError(line, column, str(m)) for m in messages)
            continue
        data = {k: v for k, v in form.data.items() if k in row or k == "slug"}
        slug = form.slug.data or park_service.slugify(form.name.data)
        if slug in park_service.RESERVED_SLUGS:
            errors.append(RowError(line, "slug", _(
                "Short name %(slug)s is already in use.", slug=slug)))
            continue
        if slug in seen_slugs:
            errors.append(RowError(line, "slug", _(
                "Park %(slug)s also appears on line %(line)d.", slug=slug, line=seen_slugs[slug])))
            continue
        seen_slugs[slug] = line
        data["slug"] = slug
        if "is_public" not in row:
            data.pop("is_public", None)
        if "public_fields" not in row:
            data.pop("public_fields", None)
        clean.append(data)
    return clean, errors


def import_parks(db: Session, raw: bytes, number_mode: str = "auto",
                 progress: Callable[[int], None] | None = None, *,
                 update_existing: bool = True) -> ImportResult:
    """Import parks from CSV bytes, all or nothing; existing slugs are updated (or skipped).

    Flushes only; the caller commits when the result is ok (and rolls back otherwise).
    """
    try:
        _keys, rows = read_rows(raw)
    except ImportRefused as exc:
        return ImportResult(errors=[RowError(1, "", str(exc))])
    clean, errors = validate_rows(rows, number_mode, progress)
    if errors:
        return ImportResult(errors=errors)
    existing = {
        p.slug: p for p in db.scalars(select(Park).where(Park.slug.in_([r["slug"] for r in clean])))
    }
    result = ImportResult()
    for data in clean:
        park = existing.get(data["slug"])
        if park is None:
            data.setdefault("public_fields", list(park_service.DEFAULT_PUBLIC_FIELDS))
            park_service.create_park(db, data)
            result.created += 1
        elif update_existing:
            park_service.update_park(db, park, data, may_set_role=True)
            result.updated += 1
        else:
            result.skipped += 1
    return result


def neutralise(value) -> str:
    """A cell Excel will not run as a formula: text starting with = + - @ gets a quote."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int | float):
        return str(value).replace(".", ",")
    if isinstance(value, list):
        value = ",".join(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def export_parks_csv(rows: Iterable[dict]) -> str:
    """Parks as CSV for Dutch Excel: BOM, ';' delimiter, decimal commas, formulas neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([neutralise(row.get(column)) for column in COLUMNS])
    return out.getvalue()
