"""Tables as downloads: CSV for Dutch Excel and XLSX, with formula injection neutralised.

Every chart's data and every report goes out through :func:`table_response`, so all downloads
share one definition of "safe": a text cell that starts with ``= + - @`` (or a tab or carriage
return) gets a leading quote, in CSV and in XLSX alike, so a spreadsheet never runs it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from flask import Response
from openpyxl import Workbook

from .services.registry_csv import FORMULA_PREFIXES, neutralise

FORMATS: tuple[str, ...] = ("csv", "xlsx")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def csv_text(headers: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV for Dutch Excel: BOM, ';' delimiter, decimal commas, formulas neutralised."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue()


def _csv_cell(value) -> str:
    if isinstance(value, float) and value != value:  # NaN: an empty cell, not "nan"
        return ""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(value)


def xlsx_bytes(headers: Sequence[str], rows: Iterable[Sequence], sheet: str = "data") -> bytes:
    """An XLSX workbook with one sheet; numbers stay numbers, text is neutralised."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(title=sheet[:31] or "data")
    ws.append([_xlsx_cell(h) for h in headers])
    for row in rows:
        ws.append([_xlsx_cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        # Excel has no time zones: write the wall-clock time the value carries.
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def table_response(stem: str, headers: Sequence[str], rows: Iterable[Sequence],
                   fmt: str = "csv") -> Response:
    """A download of the table as ``<stem>.csv`` or ``<stem>.xlsx``; *fmt* must be in FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    name = _SAFE_NAME.sub("-", stem).strip("-") or "export"
    if fmt == "xlsx":
        body, mimetype = xlsx_bytes(headers, rows), XLSX_MIMETYPE
    else:
        body, mimetype = csv_text(headers, rows), "text/csv; charset=utf-8"
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
