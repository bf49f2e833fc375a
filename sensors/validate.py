"""Validation rules every sensor message passes: payload, numbers, timestamps, ranges, meters.

Each rule either returns a clean value or raises :class:`sensors.model.Rejection` with a stable
code and an English message that names the field and the offending value (truncated), so the
dead-letter queue tells a park manager what to fix.
"""

from __future__ import annotations

import json
import math
import re
from datetime import UTC, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from sensors.model import DeviceSpec, Rejection
from sensors.rollups import is_reset

if TYPE_CHECKING:
    from sensors.quantities import Quantity

MAX_PAYLOAD_BYTES = 65536
FUTURE_TOLERANCE = timedelta(minutes=5)
# Cumulative-meter reset rule (see check_cumulative).
# Plain decimal notation only: no "1_000", "0x10", "nan", "inf" or non-ASCII digits.
# PostgreSQL refuses NUL in text; no database driver encodes a lone surrogate as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def shown(value: object, limit: int = 40) -> str:
    """*value* as it appears in a message: its repr, cut to *limit* characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain_text(text: str) -> str:
    """*text* with what a database refuses (NUL, lone surrogates) replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)


def load_text(payload: bytes, max_bytes: int = MAX_PAYLOAD_BYTES) -> str:
    """Decode a payload as UTF-8 text, rejecting oversized ("too_large") or invalid bytes."""
    if len(payload) > max_bytes:
        raise Rejection("too_large", f"payload is {len(payload)} bytes; the limit is {max_bytes}")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Rejection("not_utf8", f"payload is not UTF-8 (bad byte at {exc.start})") from None


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise Rejection("duplicate_key", f"key {shown(key)} appears twice in one object")
        result[key] = value
    return result


def _finite_float(text: str) -> float:
    number = float(text)
    if math.isinf(number):
        raise Rejection("non_finite", f"number {shown(text)} is too large to be finite")
    return number


def _reject_constant(name: str) -> float:
    raise Rejection("non_finite", f"{name} is not a number a sensor can measure")


def load_json(payload: bytes, max_bytes: int = MAX_PAYLOAD_BYTES) -> Any:
    """Parse a JSON payload strictly: size, UTF-8, syntax, duplicate keys, finite numbers."""
    text = load_text(payload, max_bytes)
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates,
                          parse_float=_finite_float, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise Rejection("invalid_json", f"invalid JSON: {exc.msg} at line {exc.lineno} "
                                        f"column {exc.colno}") from None
    except RecursionError:
        raise Rejection("invalid_json", "invalid JSON: nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal with thousands of digits
        raise Rejection("invalid_json", f"invalid JSON: {shown(str(exc), 80)}") from None


def _finite(number: float, field: str, original: object) -> float:
    if not math.isfinite(number):
        raise Rejection("non_finite", f"field {shown(field, 80)}: {shown(original)} is not a "
                                      "finite number")
    return number


def to_number(value: object, field: str) -> float:
    """A finite float from a JSON number or a plain numeric string such as "0.456" or " 12 "."""
    named = f"field {shown(field, 80)}"
    if isinstance(value, bool) or value is None:
        raise Rejection("not_a_number", f"{named}: {shown(value)} is not a number")
    if isinstance(value, int | float):
        try:
            return _finite(float(value), field, value)
        except OverflowError:
            raise Rejection("non_finite", f"{named}: {shown(value)} is too large") from None
    if isinstance(value, str):
        if _NUMBER.fullmatch(value.strip()):
            return _finite(float(value), field, value)
        if value.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}:
            raise Rejection("non_finite", f"{named}: {shown(value)} is not finite")
    raise Rejection("not_a_number", f"{named}: {shown(value)} is not a number")


def as_utc(moment: datetime) -> datetime:
    """*moment* in UTC; a naive datetime from our own storage is taken to be UTC already."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _from_epoch(value: float, field: str) -> datetime:
    try:  # NaN, infinities and integers too large for a float end here too
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        hint = " (milliseconds? send seconds)" if abs(value) > 1e11 else ""
        message = f"field {shown(field, 80)}: {shown(value)} is not a valid epoch time{hint}"
        raise Rejection("bad_timestamp", message) from None


def _in_utc(moment: datetime, field: str, value: object) -> datetime:
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+01:00 is in year 0 in UTC
        raise Rejection("bad_timestamp", f"field {shown(field, 80)}: {shown(value)} is outside "
                                         "the years 1 to 9999 in UTC") from None


def parse_timestamp(value: object, field: str = "ts", local_zone: tzinfo | None = None) -> datetime:
    """An aware UTC datetime from ISO 8601 text with a zone (or Z) or from epoch seconds.

    Text without a zone is Rejection("naive_timestamp"), unless *local_zone* says whose wall
    clock it is: then it is read in that zone with ``fold=0``, so in the hour that repeats when
    the clocks go back the first (summer-time) instance is meant, and a time skipped when they
    go forward is read with the offset before the change.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_epoch(value, field)
    if not isinstance(value, str):
        raise Rejection("bad_timestamp", f"field {shown(field, 80)}: {shown(value)} is not a "
                                         "timestamp")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise Rejection("bad_timestamp", f"field {shown(field, 80)}: {shown(value)} is not an "
                                         "ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        if local_zone is None:
            raise Rejection("naive_timestamp", f"field {shown(field, 80)}: {shown(value)} has no "
                                               "time zone; add Z or an offset such as +01:00")
        moment = moment.replace(tzinfo=local_zone, fold=0)
    return _in_utc(moment, field, value)


def check_time(ts: datetime, device: DeviceSpec, now: datetime) -> None:
    """Reject a time more than five minutes ahead of *now* or before the device was commissioned."""
    ts = as_utc(ts)
    if ts > as_utc(now) + FUTURE_TOLERANCE:
        raise Rejection("future_timestamp", f"time {ts.isoformat()} is more than 5 minutes "
                                            f"after the time of arrival {as_utc(now).isoformat()}")
    commissioned = as_utc(device.commissioned_at)
    if ts < commissioned:
        raise Rejection("before_commissioning", f"time {ts.isoformat()} is before the device "
                                                f"was commissioned at {commissioned.isoformat()}")


def check_range(value: float, quantity: Quantity) -> None:
    """Reject a canonical value outside the quantity's plausibility bounds."""
    if not quantity.min_value <= value <= quantity.max_value:
        raise Rejection("out_of_range", f"{quantity.name_en.lower()} {value:g} {quantity.unit} is "
                                        f"outside {quantity.min_value:g} to "
                                        f"{quantity.max_value:g} {quantity.unit}")


def check_cumulative(previous: float | None, value: float) -> str:
    """Classify a cumulative meter reading against the previous one: "ok" or "reset".

    A meter register only rises. A lower value is accepted as a *reset* (the meter was replaced
    or its register rolled over) only when it is below 10% of the previous
    value and the previous value was at least 10 in the canonical unit (`rollups.is_reset`);
    near zero such a ratio says nothing. Any other backwards step is Rejection("meter_backwards").
    """
    if previous is None or value >= previous:
        return "ok"
    if is_reset(previous, value):
        return "reset"
    raise Rejection("meter_backwards", f"meter reading {value:g} is lower than the previous "
                                       f"reading {previous:g}")
