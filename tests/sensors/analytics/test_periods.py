"""Calendar periods in Amsterdam time: parsing, edges, DST days, buckets, labels, resampling."""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import pytest

from sensors.analytics.periods import KINDS, Period, bucket_labels, resample


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(("kind", "text", "start"), [
    ("day", "2026-10-25", date(2026, 10, 25)),
    ("day", "2028-02-29", date(2028, 2, 29)),
    ("week", "2026-W43", date(2026, 10, 19)),
    ("week", "2026-W53", date(2026, 12, 28)),   # 2026 starts on a Thursday: 53 ISO weeks
    ("week", "2025-W01", date(2024, 12, 30)),   # ISO week 1 of 2025 starts in 2024
    ("month", "2026-10", date(2026, 10, 1)),
    ("year", "2026", date(2026, 1, 1)),
])
def test_parse_and_key_round_trip(kind, text, start):
    period = Period.parse(kind, text)
    assert period == Period(kind, start)
    assert period.key() == text
    assert Period.from_key(text) == period


@pytest.mark.parametrize(("kind", "text", "message"), [
    ("day", "2026-02-30", "invalid day '2026-02-30'"),
    ("day", "2026-13-01", "invalid day"),
    ("day", "26-10-25", "expected YYYY-MM-DD"),
    ("day", "2026-W43", "expected YYYY-MM-DD"),
    ("day", "", "expected YYYY-MM-DD"),
    ("week", "2026-W54", "2026 has no ISO week 54"),
    ("week", "2025-W53", "2025 has no ISO week 53"),
    ("week", "2026-W00", "no ISO week 0"),
    ("week", "2026-43", "expected YYYY-Www"),
    ("month", "2026-13", "invalid month '2026-13'"),
    ("month", "2026-00", "invalid month"),
    ("month", "2026-10-01", "expected YYYY-MM"),
    ("year", "26", "expected YYYY"),
    ("year", "abcd", "expected YYYY"),
])
def test_parse_rejects_bad_text(kind, text, message):
    with pytest.raises(ValueError, match=message):
        Period.parse(kind, text)


@pytest.mark.parametrize(("call", "message"), [
    (lambda: Period.parse("quarter", "2026-Q1"), "unknown period kind 'quarter'"),
    (lambda: Period.from_key("2026/10"), "invalid period '2026/10'"),
    (lambda: Period("week", date(2026, 10, 20)), "not the first day of a week"),
    (lambda: Period("month", date(2026, 10, 2)), "not the first day of a month"),
    (lambda: Period("year", date(2026, 2, 1)), "not the first day of a year"),
    (lambda: Period("day", datetime(2026, 1, 1)), "must be a date"),
])
def test_invalid_periods_raise(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(("kind", "day", "start"), [
    ("day", date(2026, 10, 25), date(2026, 10, 25)),
    ("week", date(2026, 10, 25), date(2026, 10, 19)),       # Sunday -> its Monday
    ("week", date(2026, 10, 19), date(2026, 10, 19)),
    ("week", date(2027, 1, 1), date(2026, 12, 28)),
    ("month", date(2026, 2, 28), date(2026, 2, 1)),
    ("year", date(2026, 12, 31), date(2026, 1, 1)),
    # 22:30 UTC on 24 October is 00:30 on the 25th in Amsterdam (summer time, UTC+2)
    ("day", utc(2026, 10, 24, 22, 30), date(2026, 10, 25)),
    # 22:30 UTC on 31 December is 23:30 local (winter time, UTC+1): still 2026
    ("year", utc(2026, 12, 31, 22, 30), date(2026, 1, 1)),
    ("day", datetime(2026, 5, 5, 12, 0), date(2026, 5, 5)),  # naive: taken as local
])
def test_containing(kind, day, start):
    assert Period.containing(kind, day) == Period(kind, start)


@pytest.mark.parametrize(("key", "end", "start_utc", "end_utc"), [
    # clocks forward on 29 March 2026: local midnight is 23:00 UTC before, 22:00 UTC after
    ("2026-03-29", date(2026, 3, 30), utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)),
    # clocks back on 25 October 2026: 22:00 UTC before, 23:00 UTC after
    ("2026-10-25", date(2026, 10, 26), utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)),
    ("2026-W43", date(2026, 10, 26), utc(2026, 10, 18, 22), utc(2026, 10, 25, 23)),
    ("2026-02", date(2026, 3, 1), utc(2026, 1, 31, 23), utc(2026, 2, 28, 23)),
    ("2026-12", date(2027, 1, 1), utc(2026, 11, 30, 23), utc(2026, 12, 31, 23)),
    ("2026", date(2027, 1, 1), utc(2025, 12, 31, 23), utc(2026, 12, 31, 23)),
])
def test_edges_are_local_midnights(key, end, start_utc, end_utc):
    period = Period.from_key(key)
    assert period.end == end
    assert period.start_utc == start_utc
    assert period.end_utc == end_utc
    assert period.start_utc.tzinfo == UTC


@pytest.mark.parametrize(("key", "quarter_hours"), [
    ("2026-06-01", 96),
    ("2026-03-29", 92),              # 23 hours
    ("2026-10-25", 100),             # 25 hours
    ("2026-W13", 7 * 96 - 4),        # 23-29 March 2026 holds the spring change
    ("2026-W43", 7 * 96 + 4),        # 19-25 October 2026 holds the autumn change
    ("2026-03", 31 * 96 - 4),        # 2972
    ("2026-10", 31 * 96 + 4),        # 2980
    ("2026-02", 28 * 96),
    ("2026", 365 * 96),              # the two DST days cancel out: 35040
    ("2028", 366 * 96),              # leap year
])
def test_quarter_hours(key, quarter_hours):
    period = Period.from_key(key)
    assert period.quarter_hours() == quarter_hours
    assert len(period.buckets("15m")) == quarter_hours


def test_quarter_hours_of_a_month_are_the_sum_of_its_days():
    month = Period.parse("month", "2026-03")
    assert sum(Period("day", day).quarter_hours() for day in month.days()) == 2972


@pytest.mark.parametrize(("key", "resolution", "count", "first", "last"), [
    ("2026-03-29", "1h", 23, utc(2026, 3, 28, 23), utc(2026, 3, 29, 21)),
    ("2026-10-25", "1h", 25, utc(2026, 10, 24, 22), utc(2026, 10, 25, 22)),
    ("2026-10-25", "15m", 100, utc(2026, 10, 24, 22), utc(2026, 10, 25, 22, 45)),
    ("2026-10-25", "1d", 1, utc(2026, 10, 24, 22), utc(2026, 10, 24, 22)),
    ("2026-03", "1d", 31, utc(2026, 2, 28, 23), utc(2026, 3, 30, 22)),
    ("2026-W43", "1d", 7, utc(2026, 10, 18, 22), utc(2026, 10, 24, 22)),
    ("2026", "1mo", 12, utc(2025, 12, 31, 23), utc(2026, 11, 30, 23)),
    ("2026-03", "1mo", 1, utc(2026, 2, 28, 23), utc(2026, 2, 28, 23)),
])
def test_buckets(key, resolution, count, first, last):
    buckets = Period.from_key(key).buckets(resolution)
    assert len(buckets) == count
    assert buckets[0] == first
    assert buckets[-1] == last
    assert str(buckets.tz) == "UTC"
    assert buckets.is_monotonic_increasing


def test_day_buckets_of_march_shift_at_the_clock_change():
    starts = Period.parse("month", "2026-03").buckets("1d")
    # 28 and 29 March start at 23:00 UTC (winter time); 30 March at 22:00 UTC (summer time)
    assert list(starts[27:30]) == [utc(2026, 3, 27, 23), utc(2026, 3, 28, 23),
                                   utc(2026, 3, 29, 22)]
    assert (starts[28 + 1] - starts[28]) == pd.Timedelta(hours=23)


@pytest.mark.parametrize(("key", "resolution", "message"), [
    ("2026-10-25", "1mo", "coarser than a day"),
    ("2026-W43", "1mo", "coarser than a week"),
    ("2026", "2h", "unknown resolution '2h'"),
])
def test_buckets_reject_bad_resolutions(key, resolution, message):
    with pytest.raises(ValueError, match=message):
        Period.from_key(key).buckets(resolution)


@pytest.mark.parametrize(("key", "previous", "following"), [
    ("2026-03-01", "2026-02-28", "2026-03-02"),
    ("2028-03-01", "2028-02-29", "2028-03-02"),
    ("2026-W01", "2025-W52", "2026-W02"),
    ("2026-W53", "2026-W52", "2027-W01"),
    ("2026-01", "2025-12", "2026-02"),
    ("2026-12", "2026-11", "2027-01"),
    ("2026", "2025", "2027"),
])
def test_previous_and_next(key, previous, following):
    period = Period.from_key(key)
    assert period.previous().key() == previous
    assert period.next().key() == following
    assert period.previous().kind == period.kind


@pytest.mark.parametrize(("kind", "resolution"), [
    ("day", "15m"), ("week", "1h"), ("month", "1d"), ("year", "1mo"),
])
def test_default_resolution(kind, resolution):
    period = Period.containing(kind, date(2026, 5, 5))
    assert period.default_resolution == resolution
    assert resolution in period.allowed_resolutions


@pytest.mark.parametrize(("key", "nl", "en"), [
    ("2026-10-25", "25 oktober 2026", "25 October 2026"),
    ("2026-03-01", "1 maart 2026", "1 March 2026"),
    ("2026-W43", "week 43, 2026", "week 43, 2026"),
    ("2025-W01", "week 1, 2025", "week 1, 2025"),      # starts on 30 December 2024
    ("2026-05", "mei 2026", "May 2026"),
    ("2026-12", "december 2026", "December 2026"),
    ("2026", "2026", "2026"),
])
def test_label(key, nl, en):
    period = Period.from_key(key)
    assert period.label("nl") == nl
    assert period.label("en") == en
    assert period.label("nl_NL") == nl


def test_label_rejects_other_languages():
    with pytest.raises(ValueError, match="unsupported language 'de'"):
        Period.parse("year", "2026").label("de")


def test_periods_order_by_start_and_contain_their_days():
    first, second = Period.parse("day", "2026-01-01"), Period.parse("day", "2026-01-02")
    assert first < second
    assert sorted([second, first]) == [first, second]
    week = Period.parse("week", "2026-W43")
    assert week.contains(date(2026, 10, 25))
    assert not week.contains(date(2026, 10, 26))
    assert week.contains(utc(2026, 10, 25, 22, 59))       # 23:59 local on Sunday
    assert not week.contains(utc(2026, 10, 25, 23, 0))    # Monday 00:00 local
    assert len(week.days()) == 7


def test_every_kind_is_parsable():
    assert {Period.containing(kind, date(2026, 7, 1)).kind for kind in KINDS} == set(KINDS)


# --- resample -------------------------------------------------------------------------------

def quarter_series(first: datetime, last: datetime, value: float = 1.0) -> pd.Series:
    index = pd.date_range(first, last, freq="15min", name="start")
    return pd.Series(value, index=index)


@pytest.mark.parametrize(("first", "last", "labels", "totals"), [
    # 24-26 October 2026 in UTC quarter-hours; local days are 96, 100 and 96 quarter-hours long
    (utc(2026, 10, 23, 22), utc(2026, 10, 26, 22, 45),
     [utc(2026, 10, 23, 22), utc(2026, 10, 24, 22), utc(2026, 10, 25, 23)], [96, 100, 96]),
    # 28-30 March 2026: 96, 92, 96
    (utc(2026, 3, 27, 23), utc(2026, 3, 30, 21, 45),
     [utc(2026, 3, 27, 23), utc(2026, 3, 28, 23), utc(2026, 3, 29, 22)], [96, 92, 96]),
])
def test_resample_days_preserves_totals_on_dst_days(first, last, labels, totals):
    quarters = quarter_series(first, last, value=0.25)
    daily = resample(quarters, "1d")
    assert list(daily.index) == labels
    assert list(daily) == [n * 0.25 for n in totals]
    assert daily.sum() == quarters.sum()
    assert daily.index.name == "start"


def test_resample_hours_and_months():
    frame = quarter_series(utc(2026, 3, 31, 21), utc(2026, 3, 31, 22, 45)).to_frame("kwh")
    hourly = resample(frame, "1h")
    assert list(hourly.index) == [utc(2026, 3, 31, 21), utc(2026, 3, 31, 22)]
    assert list(hourly["kwh"]) == [4.0, 4.0]
    monthly = resample(frame, "1mo")
    # 21:00-21:45 UTC is still 31 March locally (23:xx CEST); 22:00 UTC is 1 April 00:00
    assert list(monthly.index) == [utc(2026, 2, 28, 23), utc(2026, 3, 31, 22)]
    assert list(monthly["kwh"]) == [4.0, 4.0]


@pytest.mark.parametrize(("how", "expected"), [
    ("sum", [3.0, 4.0]),        # 1 + 2; 4 + NaN
    ("mean", [1.5, 4.0]),
    ("max", [2.0, 4.0]),
    ("count", [2, 1]),
])
def test_resample_reductions(how, expected):
    index = pd.DatetimeIndex([utc(2026, 6, 1, 10), utc(2026, 6, 1, 10, 15),
                              utc(2026, 6, 1, 11), utc(2026, 6, 1, 11, 30)])
    series = pd.Series([1.0, 2.0, 4.0, np.nan], index=index)
    assert list(resample(series, "1h", how)) == expected


def test_resample_sum_keeps_empty_buckets_missing():
    index = pd.DatetimeIndex([utc(2026, 6, 1, 10), utc(2026, 6, 1, 11)])
    series = pd.Series([np.nan, 2.0], index=index)
    hourly = resample(series, "1h")
    assert np.isnan(hourly.iloc[0])
    assert hourly.iloc[1] == 2.0


def test_resample_needs_an_aware_index():
    series = pd.Series([1.0], index=pd.DatetimeIndex([datetime(2026, 6, 1)]))
    with pytest.raises(ValueError, match="tz-aware"):
        resample(series, "1d")


def test_bucket_labels_of_a_long_frame_repeat_per_row():
    index = pd.DatetimeIndex([utc(2026, 10, 24, 21, 45), utc(2026, 10, 24, 22),
                              utc(2026, 10, 24, 21, 45)])
    labels = bucket_labels(index, "1d")
    assert list(labels) == [utc(2026, 10, 23, 22), utc(2026, 10, 24, 22), utc(2026, 10, 23, 22)]
