"""Rejected sensor messages (dead letters) of a park or device: listing, preview and CSV."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..models import DeadLetter
from .device_data import as_utc
from .registry_csv import neutralise

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
PREVIEW_CHARS = 200
CSV_PAYLOAD_CHARS = 2000
CSV_MAX_ROWS = 10_000
CSV_COLUMNS = ("received_at", "device", "topic", "reason_code", "reason", "payload_size",
               "payload")
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def dead_letters_stmt(park_id: int, device_id: int | None = None) -> Select:
    """A park's (or one device's) dead letters, newest first."""
    stmt = (select(DeadLetter).where(DeadLetter.park_id == park_id)
            .options(selectinload(DeadLetter.device)))
    if device_id is not None:
        stmt = stmt.where(DeadLetter.device_id == device_id)
    return stmt.order_by(DeadLetter.received_at.desc(), DeadLetter.id.desc())


def payload_preview(payload: bytes, limit: int = PREVIEW_CHARS) -> str:
    """The payload as text for people: invalid UTF-8 replaced, control characters shown as
    U+FFFD, cut to *limit* characters with an ellipsis. Templates still escape it."""
    text = _INVISIBLE.sub("\ufffd", bytes(payload).decode("utf-8", errors="replace"))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def dead_letter_to_dict(letter: DeadLetter, preview_chars: int = PREVIEW_CHARS) -> dict:
    """A dead letter as the API and CSV show it."""
    return {
        "id": letter.id,
        "received_at": as_utc(letter.received_at).isoformat(),
        "device": letter.device.uid if letter.device else None,
        "topic": letter.topic,
        "reason_code": letter.reason_code,
        "reason": letter.reason,
        "payload_size": letter.payload_size or len(letter.payload or b""),
        "payload": payload_preview(letter.payload or b"", preview_chars),
    }


def export_dead_letters_csv(letters: Iterable[DeadLetter]) -> str:
    """Dead letters as CSV for Dutch Excel (BOM, ';', formulas neutralised), Amsterdam time."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for letter in letters:
        row = dead_letter_to_dict(letter, CSV_PAYLOAD_CHARS)
        row["received_at"] = as_utc(letter.received_at).astimezone(AMSTERDAM).strftime(
            "%Y-%m-%d %H:%M:%S")
        writer.writerow([neutralise(row[column]) for column in CSV_COLUMNS])
    return out.getvalue()
