"""Calendar periods in Europe/Amsterdam terms, their buckets, and resampling into them.

A :class:`Period` is a local day, ISO week (Monday to Sunday), month or year. Its edges are local
midnights, so a day is 23 or 25 hours long when the clocks change; ``start_utc``/``end_utc`` are
those midnights as UTC instants, which is how rollups are stored. Quarter-hours and hours are
fixed steps in UTC (the Netherlands is always a whole number of hours from UTC), days and months
follow the local calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
import pandas as pd

from sensors.rollups import AMSTERDAM

KINDS: tuple[str, ...] = ("day", "week", "month", "year")
RESOLUTIONS: tuple[str, ...] = ("15m", "1h", "1d", "1mo")
DEFAULT_RESOLUTION = {"day": "15m", "week": "1h", "month": "1d", "year": "1mo"}
# Finest resolution first; a period only has buckets no coarser than itself.
ALLOWED_RESOLUTIONS = {
    "day": ("15m", "1h", "1d"),
    "week": ("15m", "1h", "1d"),
    "month": ("15m", "1h", "1d", "1mo"),
    "year": ("15m", "1h", "1d", "1mo"),
}
_FIXED_FREQ = {"15m": "15min", "1h": "h"}
QUARTER_HOUR = timedelta(minutes=15)

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
             "september", "oktober", "november", "december")
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")

_PATTERNS = {
    "day": (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "YYYY-MM-DD, e.g. 2026-10-25"),
    "week": (re.compile(r"(\d{4})-W(\d{2})"), "YYYY-Www, e.g. 2026-W43"),
    "month": (re.compile(r"(\d{4})-(\d{2})"), "YYYY-MM, e.g. 2026-10"),
    "year": (re.compile(r"(\d{4})"), "YYYY, e.g. 2026"),
}


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown period kind {kind!r}; expected one of {', '.join(KINDS)}")


def _check_resolution(resolution: str) -> None:
    if resolution not in RESOLUTIONS:
        raise ValueError(
            f"unknown resolution {resolution!r}; expected one of {', '.join(RESOLUTIONS)}"
        )


def local_midnight_utc(day: date) -> datetime:
    """The UTC instant of local (Amsterdam) midnight at the start of *day*."""
    return datetime(day.year, day.month, day.day, tzinfo=AMSTERDAM).astimezone(UTC)


def local_date(value: date | datetime) -> date:
    """The Amsterdam calendar date of *value* (aware datetimes are converted first)."""
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            value = value.astimezone(AMSTERDAM)
        return value.date()
    return value


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _first_day(kind: str, day: date) -> date:
    if kind == "day":
        return day
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    return date(day.year, 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A local calendar period: *kind* in :data:`KINDS`, *start* its first local day.

    Ordering compares kind first, then start; compare periods of one kind only.
    """

    kind: str
    start: date

    def __post_init__(self) -> None:
        _check_kind(self.kind)
        if isinstance(self.start, datetime) or not isinstance(self.start, date):
            raise ValueError(f"period start must be a date, not {self.start!r}")
        if _first_day(self.kind, self.start) != self.start:
            raise ValueError(f"{self.start.isoformat()} is not the first day of a {self.kind}")

    @classmethod
    def containing(cls, kind: str, day: date | datetime) -> Period:
        """The period of *kind* holding *day* (an aware datetime counts in Amsterdam time)."""
        _check_kind(kind)
        return cls(kind, _first_day(kind, local_date(day)))

    @classmethod
    def parse(cls, kind: str, text: str) -> Period:
        """The period of *kind* named by *text* (see :meth:`key`); ``ValueError`` otherwise."""
        _check_kind(kind)
        pattern, shape = _PATTERNS[kind]
        match = pattern.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise ValueError(f"invalid {kind} {text!r}: expected {shape}")
        numbers = [int(group) for group in match.groups()]
        try:
            return cls(kind, _parsed_start(kind, numbers))
        except ValueError as exc:
            raise ValueError(f"invalid {kind} {text!r}: {exc}") from None

    @classmethod
    def from_key(cls, text: str) -> Period:
        """The period named by *text*, its kind read from the shape (inverse of :meth:`key`)."""
        for kind in KINDS:
            if _PATTERNS[kind][0].fullmatch(text.strip()):
                return cls.parse(kind, text)
        shapes = "; ".join(shape for _, shape in _PATTERNS.values())
        raise ValueError(f"invalid period {text!r}: expected one of {shapes}")

    @property
    def end(self) -> date:
        """The exclusive local end date (the first day of the next period)."""
        if self.kind == "day":
            return self.start + timedelta(days=1)
        if self.kind == "week":
            return self.start + timedelta(days=7)
        if self.kind == "month":
            return _add_months(self.start, 1)
        return date(self.start.year + 1, 1, 1)

    @property
    def start_utc(self) -> datetime:
        """Local midnight at the start, as an aware UTC datetime."""
        return local_midnight_utc(self.start)

    @property
    def end_utc(self) -> datetime:
        """Local midnight at the (exclusive) end, as an aware UTC datetime."""
        return local_midnight_utc(self.end)

    @property
    def default_resolution(self) -> str:
        """The resolution a chart of this period uses unless asked otherwise."""
        return DEFAULT_RESOLUTION[self.kind]

    @property
    def allowed_resolutions(self) -> tuple[str, ...]:
        """The resolutions :meth:`buckets` accepts for this period (no coarser than it)."""
        return ALLOWED_RESOLUTIONS[self.kind]

    def previous(self) -> Period:
        """The period of the same kind just before this one."""
        return Period.containing(self.kind, self.start - timedelta(days=1))

    def next(self) -> Period:
        """The period of the same kind just after this one."""
        return Period(self.kind, self.end)

    def days(self) -> list[date]:
        """Every local day of the period, in order."""
        return [self.start + timedelta(days=i) for i in range((self.end - self.start).days)]

    def contains(self, value: date | datetime) -> bool:
        """Whether the local date of *value* falls inside the period."""
        return self.start <= local_date(value) < self.end

    def key(self) -> str:
        """The period's text form, as :meth:`parse` reads it ("2026-W43", "2026-10", ...)."""
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == "month":
            return f"{self.start.year}-{self.start.month:02d}"
        return str(self.start.year)

    def buckets(self, resolution: str) -> pd.DatetimeIndex:
        """UTC starts of the buckets of *resolution* covering the period, in order.

        15m and 1h are fixed steps; 1d and 1mo start at local midnights (so they are 23/25 hours
        or 28-31 days apart in UTC). A resolution coarser than the period is a ``ValueError``.
        """
        _check_resolution(resolution)
        if resolution not in self.allowed_resolutions:
            raise ValueError(f"resolution {resolution!r} is coarser than a {self.kind}")
        if resolution in _FIXED_FREQ:
            return pd.date_range(self.start_utc, self.end_utc, freq=_FIXED_FREQ[resolution],
                                 inclusive="left", name="start")
        days = self.days() if resolution == "1d" else self._month_starts()
        return pd.DatetimeIndex([local_midnight_utc(day) for day in days], name="start")

    def _month_starts(self) -> list[date]:
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month
        return [_add_months(self.start, i) for i in range(months)]

    def quarter_hours(self) -> int:
        """How many quarter-hours the period has: 96 a day, 92/100 on the DST change days."""
        return int((self.end_utc - self.start_utc) / QUARTER_HOUR)

    def label(self, lang: str = "nl") -> str:
        """A human name: "25 oktober 2026", "week 43, 2026", "October 2026", "2026"."""
        months = _months(lang)
        if self.kind == "day":
            return f"{self.start.day} {months[self.start.month - 1]} {self.start.year}"
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"week {week}, {year}"
        if self.kind == "month":
            return f"{months[self.start.month - 1]} {self.start.year}"
        return str(self.start.year)


def _parsed_start(kind: str, numbers: list[int]) -> date:
    if kind == "day":
        return date(*numbers)
    if kind == "week":
        year, week = numbers
        try:
            return date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"{year} has no ISO week {week}") from None
    if kind == "month":
        return date(numbers[0], numbers[1], 1)
    return date(numbers[0], 1, 1)


def _months(lang: str) -> tuple[str, ...]:
    base = lang.replace("-", "_").split("_")[0].lower()
    if base == "nl":
        return MONTHS_NL
    if base == "en":
        return MONTHS_EN
    raise ValueError(f"unsupported language {lang!r}; expected 'nl' or 'en'")


def bucket_labels(index: pd.DatetimeIndex, resolution: str) -> pd.DatetimeIndex:
    """The UTC bucket start of *resolution* for each UTC instant in *index* (vectorised)."""
    _check_resolution(resolution)
    if index.tz is None:
        if len(index):
            raise ValueError("resample needs a tz-aware (UTC) DatetimeIndex")
        index = index.tz_localize(UTC)    # an empty frame often comes without a time zone
    if resolution in _FIXED_FREQ:
        return index.tz_convert(UTC).floor(_FIXED_FREQ[resolution])
    # Label each distinct instant once: a long frame repeats every instant once per meter.
    positions, distinct = pd.factorize(index)
    local = pd.DatetimeIndex(distinct).tz_convert(AMSTERDAM)
    day = np.asarray(local.day) if resolution == "1d" else np.ones(len(local), dtype=int)
    codes = np.asarray(local.year) * 10_000 + np.asarray(local.month) * 100 + day
    code_positions, codes_distinct = pd.factorize(codes)
    starts = pd.DatetimeIndex(
        [local_midnight_utc(date(int(c) // 10_000, int(c) // 100 % 100, int(c) % 100))
         for c in codes_distinct], tz=UTC
    ).as_unit(index.unit)
    return pd.DatetimeIndex(starts[code_positions][positions], name=index.name)


def resample(
    frame: pd.DataFrame | pd.Series, resolution: str, how: str = "sum"
) -> pd.DataFrame | pd.Series:
    """Aggregate *frame*, indexed by UTC bucket starts, into buckets of *resolution*.

    Hours are UTC hours; days and months are Amsterdam calendar days and months, labelled by the
    UTC instant of their local midnight. *how* is any pandas groupby reduction ("sum", "mean",
    "max", "min", "count", ...). With "sum" a bucket whose values are all missing stays NaN
    rather than becoming 0, so "no data" is not mistaken for "zero".
    """
    labels = bucket_labels(pd.DatetimeIndex(frame.index), resolution)
    grouped = frame.groupby(labels, sort=True)
    result = grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)
    result.index.name = frame.index.name
    return result
