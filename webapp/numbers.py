"""Reading numbers as people type them in the Netherlands, refusing to guess.

Modes:
- "nl": comma decimal, dot thousands ("1.234,5"); a dot followed by other than three digits is
  an error.
- "en": dot decimal, comma thousands ("1,234.5").
- "auto": accept only what both readings agree on or what has one possible reading: "12,5" and
  "12.5" are 12.5, "1.234,5" is Dutch, but "1.234" or "1,234" could be a thousand or one and a bit,
  so it is refused.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

MODES = ("auto", "nl", "en")

_GROUPED = {
    "nl": re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$"),
    "en": re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$"),
}
_PLAIN = {
    "nl": re.compile(r"^[+-]?\d+(,\d+)?$"),
    "en": re.compile(r"^[+-]?\d+(\.\d+)?$"),
}


class NumberError(ValueError):
    """A text that is not a number, or whose reading is ambiguous."""

    def __init__(self, text: str, ambiguous: bool = False):
        super().__init__(text)
        self.text = text
        self.ambiguous = ambiguous


def _read(text: str, mode: str) -> Decimal | None:
    if _PLAIN[mode].match(text) or _GROUPED[mode].match(text):
        thousands, decimal = (".", ",") if mode == "nl" else (",", ".")
        return Decimal(text.replace(thousands, "").replace(decimal, "."))
    return None


def parse_decimal(text: str, mode: str = "auto") -> Decimal | None:
    """Parse *text* in *mode*; blank gives None; raises NumberError when wrong or ambiguous."""
    if mode not in MODES:
        raise ValueError(f"unknown number mode {mode!r}")
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if not cleaned:
        return None
    if mode != "auto":
        value = _read(cleaned, mode)
        if value is None:
            raise NumberError(text)
        return _finite(value, text)
    readings = {m: _read(cleaned, m) for m in ("nl", "en")}
    found = {v for v in readings.values() if v is not None}
    if not found:
        raise NumberError(text)
    if len(found) > 1:
        raise NumberError(text, ambiguous=True)
    return _finite(found.pop(), text)


def _finite(value: Decimal, text: str) -> Decimal:
    try:
        if not value.is_finite() or abs(value) >= Decimal("1e15"):
            raise NumberError(text)
    except InvalidOperation as exc:
        raise NumberError(text) from exc
    return value


def format_unambiguous(value: Decimal | float | int) -> str:
    """*value* as text that parse_decimal(text, "auto") reads back as the same number.

    Dot decimal, no grouping, and never exactly three decimals: "52.517" could be read as
    52517 in Dutch, so it is written "52.5170".
    """
    text = format(Decimal(str(value)), "f")
    if len(text.partition(".")[2]) == 3:
        text += "0"
    return text
