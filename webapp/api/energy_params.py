"""Query parameters of the energy API: a calendar period or a from/to range, and a resolution.

Either ``period`` (day, week, month, year) with ``value`` (its key: 2026-10-25, 2026-W43,
2026-10, 2026, or any date in it; ``at`` is an alias, as in the environment API; default the
current one in Amsterdam), or ``from`` and ``to``: ISO 8601 with a
UTC offset, or a date (Amsterdam midnight). ``resolution`` is 15m, 1h, 1d or 1mo (default: the
period's own, or one that suits the range). Bad input is a 400 naming the field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sensors.analytics.periods import (
    ALLOWED_RESOLUTIONS,
    KINDS,
    RESOLUTIONS,
    Period,
    local_midnight_utc,
)
from sensors.rollups import AMSTERDAM

from ..errors import ApiError

FIRST_YEAR, LAST_YEAR = 1970, 2100
DEFAULT_KIND = "day"  # as the energy pages
# Longest range one answer may cover per resolution. Peaks need every quarter-hour of the
# range, so no answer covers more than a (leap) year.
MAX_SPAN = {"15m": timedelta(days=31), "1h": timedelta(days=366),
            "1d": timedelta(days=366), "1mo": timedelta(days=366)}
_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class EnergyRange:
    """What to answer for: [start, end) in UTC at *resolution*; *period* when one was asked."""

    start: datetime
    end: datetime
    resolution: str
    period: Period | None = None


def invalid(field: str, message: str) -> ApiError:
    """A 400 naming *field*."""
    return ApiError(400, message, code="validation_error", fields={field: message})


def energy_range(args, today: date) -> EnergyRange:
    """The range asked for in *args* (request.args); ApiError 400 when it is not valid."""
    resolution = _resolution(args.get("resolution", "").strip())
    has_range = bool(args.get("from", "").strip() or args.get("to", "").strip())
    if has_range:
        if any(args.get(name, "").strip() for name in ("period", "value", "at")):
            raise invalid("period", "Give either period (with value) or from and to, not both.")
        return _from_to(args, resolution)
    return _period_range(_period(args, today), resolution)


def _resolution(text: str) -> str | None:
    if not text:
        return None
    if text not in RESOLUTIONS:
        raise invalid("resolution", f"Unknown resolution '{text}': use one of "
                                    f"{', '.join(RESOLUTIONS)}.")
    return text


def _period(args, today: date) -> Period:
    kind = args.get("period", "").strip() or DEFAULT_KIND
    if kind not in KINDS:
        raise invalid("period", f"Unknown period '{kind}': use one of {', '.join(KINDS)}.")
    value = (args.get("value", "") or args.get("at", "")).strip()
    if not value:
        return Period.containing(kind, today)
    try:
        if _DATE_ONLY.fullmatch(value):  # any day of the period
            period = Period.containing(kind, date.fromisoformat(value))
        else:
            period = Period.parse(kind, value)
    except ValueError as exc:
        raise invalid("value", f"Not a valid {kind}: {exc}.") from None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise invalid("value", f"The {kind} must lie between {FIRST_YEAR} and {LAST_YEAR}.")
    return period


def _period_range(period: Period, resolution: str | None) -> EnergyRange:
    resolution = resolution or period.default_resolution
    if resolution not in ALLOWED_RESOLUTIONS[period.kind]:
        raise invalid("resolution", f"Resolution {resolution} is coarser than a "
                                    f"{period.kind}: use one of "
                                    f"{', '.join(ALLOWED_RESOLUTIONS[period.kind])}.")
    _check_span(period.start_utc, period.end_utc, resolution)
    return EnergyRange(period.start_utc, period.end_utc, resolution, period)


def _from_to(args, resolution: str | None) -> EnergyRange:
    for name in ("from", "to"):
        if not args.get(name, "").strip():
            raise invalid(name, f"'{name}' is required with "
                                f"'{'to' if name == 'from' else 'from'}'.")
    start, end = _moment(args, "from"), _moment(args, "to")
    if start >= end:
        raise invalid("to", "'to' must be after 'from'.")
    resolution = resolution or _resolution_for(end - start)
    _check_span(start, end, resolution)
    for name, moment in (("from", start), ("to", end)):
        _check_aligned(name, moment, resolution)
    return EnergyRange(start, end, resolution)


def _moment(args, name: str) -> datetime:
    """An aware ISO 8601 date-time, or a date meaning Amsterdam midnight, as UTC."""
    text = args.get(name, "").strip()
    try:
        if _DATE_ONLY.fullmatch(text):
            moment = local_midnight_utc(date.fromisoformat(text))
        else:
            moment = datetime.fromisoformat(text)
    except (ValueError, OverflowError):
        raise invalid(name, f"'{name}' is not an ISO 8601 date or date-time.") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise invalid(name, f"'{name}' needs a UTC offset (e.g. 2026-10-01T00:00+02:00 or "
                            f"...Z), or give a date.")
    if not FIRST_YEAR <= moment.year <= LAST_YEAR:
        raise invalid(name, f"'{name}' must lie between {FIRST_YEAR} and {LAST_YEAR}.")
    return moment.astimezone(UTC)


def _resolution_for(span: timedelta) -> str:
    """The finest resolution whose buckets stay few enough for *span*."""
    if span <= timedelta(days=2):
        return "15m"
    return "1h" if span <= timedelta(days=31) else "1d"


def _check_span(start: datetime, end: datetime, resolution: str) -> None:
    # An hour of slack: a month or year holding the autumn clock change is an hour longer.
    if end - start > MAX_SPAN[resolution] + timedelta(hours=1):
        days = MAX_SPAN[resolution].days
        raise invalid("resolution", f"The range is too long for resolution {resolution}: at "
                                    f"most {days} days; choose a coarser resolution.")


def _check_aligned(name: str, moment: datetime, resolution: str) -> None:
    """Bucket edges only: quarter-hours, hours, Amsterdam midnights, first days of months."""
    local = moment.astimezone(AMSTERDAM)
    if resolution == "15m":
        ok = moment.minute % 15 == 0 and moment.second == moment.microsecond == 0
        shape = "a whole quarter-hour"
    elif resolution == "1h":
        ok = moment.minute == moment.second == moment.microsecond == 0
        shape = "a whole hour"
    elif resolution == "1d":
        ok = moment == local_midnight_utc(local.date())
        shape = "midnight in Amsterdam (or a date)"
    else:
        ok = local.day == 1 and moment == local_midnight_utc(local.date())
        shape = "the first day of a month (midnight in Amsterdam)"
    if not ok:
        raise invalid(name, f"'{name}' must be {shape} for resolution {resolution}.")
