"""Environment figures against hand-computed cases, through the database and the API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.webapp.environment_helpers import add_rows, days, env_device, local, rollup, steady

API = "/api/v1/parks/{slug}/environment/{domain}"


@pytest.fixture
def park(make_park):
    return make_park()


@pytest.fixture
def api(client, make_user, login, park):
    """GET the environment API of *park* as a coordinator; returns the JSON answer."""
    login(make_user("coordinator"))

    def get(domain: str, **params):
        response = client.get(API.format(slug=park.slug, domain=domain), query_string=params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return get


def _summary(answer: dict, sensor_id: int) -> dict:
    (row,) = [s for s in answer["summary"] if s["sensor_id"] == sensor_id]
    return row


def _points(answer: dict, sensor_id: int) -> list[dict]:
    (row,) = [s for s in answer["series"] if s["sensor_id"] == sensor_id]
    return row["points"]


def test_heat_hours_count_the_hourly_mean_from_27_and_30_degrees(app, park, api):
    sensor = env_device(app, park, {"t": "temperature"}).sensor("t")
    start = local(2026, 7, 14)
    # Hourly means 26.9, 27.0 (three readings that add up to 81), 27.1, 29.99, 30.0, 31.0.
    hours = [rollup(sensor, "1h", start, mean=26.9),
             rollup(sensor, "1h", start + timedelta(hours=1), total=26.9 + 27.0 + 27.1, count=3,
                    low=26.9, high=27.1),
             *[rollup(sensor, "1h", start + timedelta(hours=2 + i), mean=m)
               for i, m in enumerate((27.1, 29.99, 30.0, 31.0))]]
    add_rows(app, hours)
    stats = _summary(api("heat", period="day", at="2026-07-14"), sensor)["stats"]
    assert (stats["warning_hours"], stats["alarm_hours"], stats["hours"]) == (5, 2, 6)
    assert stats["max_hourly_mean_c"] == 31.0
    assert stats["mean_c"] == pytest.approx((26.9 + 27.0 + 27.1 + 29.99 + 30.0 + 31.0) / 6)


def test_heat_is_compared_with_the_previous_week(app, park, api):
    sensor = env_device(app, park, {"t": "temperature"}).sensor("t")
    add_rows(app, steady(sensor, "1h", local(2026, 7, 6, 12), 3, mean=28.0))   # week 28
    add_rows(app, steady(sensor, "1h", local(2026, 7, 13, 12), 2, mean=31.0))  # week 29
    answer = api("heat", period="week", at="2026-W29")
    assert answer["previous"]["key"] == "2026-W28"
    row = _summary(answer, sensor)
    assert (row["stats"]["warning_hours"], row["stats"]["alarm_hours"]) == (2, 2)
    assert row["previous"] == {"warning_hours": 3, "alarm_hours": 0, "mean_c": 28.0}


@pytest.mark.parametrize(("quantity", "means", "exceeded", "mean"), [
    ("pm25", [14.9, 15.0, 15.1, 20.0], 2, 16.25),
    ("pm10", [45.0, 45.0, 46.0, 10.0], 1, 36.5),
    ("no2", [25.0, 25.01, 5.0, 5.0], 1, 15.0025),
])
def test_exceedance_days_are_daily_means_strictly_above_the_who_guideline(
        app, park, api, quantity, means, exceeded, mean):
    sensor = env_device(app, park, {quantity: quantity}).sensor(quantity)
    add_rows(app, days(sensor, local(2026, 3, 27), means))  # over the spring DST change
    answer = api("air", period="month", at="2026-03", value=quantity)
    stats = _summary(answer, sensor)["stats"]
    assert (stats["exceedance_days"], stats["days"]) == (exceeded, 4)
    assert stats["mean"] == pytest.approx(mean)
    assert stats["annual_ratio"] == pytest.approx(mean / stats["who_annual"])
    assert [p["value"] for p in _points(answer, sensor)] == pytest.approx(means)
    assert answer["references"]["who_24h"][quantity] == stats["who_24h"]


@pytest.mark.parametrize(("day", "quarters"), [("2026-10-25", 100), ("2026-03-29", 92),
                                               ("2026-06-01", 96)])
def test_rainfall_of_a_day_adds_up_every_quarter_hour_of_it(app, park, api, day, quarters):
    sensor = env_device(app, park, {"rain": "rainfall"}).sensor("rain")
    year, month, dom = map(int, day.split("-"))
    start = local(year, month, dom)
    # One quarter-hour each side of the day that must not count.
    add_rows(app, steady(sensor, "15m", start - timedelta(minutes=15), quarters + 2, total=0.25))
    add_rows(app, [rollup(sensor, "1d", start, total=quarters * 0.25)])
    answer = api("water", period="day", at=day, value="rainfall")
    assert answer["resolution"] == "15m"
    assert len(_points(answer, sensor)) == quarters
    stats = _summary(answer, sensor)["stats"]
    assert stats["total_mm"] == pytest.approx(quarters * 0.25)
    assert (stats["wettest_day_mm"], stats["wettest_day"]) == (quarters * 0.25, day)


def test_rainfall_per_hour_on_the_long_dst_day_has_25_hours(app, park, api):
    sensor = env_device(app, park, {"rain": "rainfall"}).sensor("rain")
    add_rows(app, steady(sensor, "1h", local(2026, 10, 25), 25, total=1.0))
    answer = api("water", period="day", at="2026-10-25", value="rainfall", resolution="1h")
    points = _points(answer, sensor)
    assert len(points) == 25
    assert points[2]["start"] == "2026-10-25T00:00:00+00:00"   # the first 02:00 (summer time)
    assert points[3]["start"] == "2026-10-25T01:00:00+00:00"   # the second 02:00 (winter time)
    assert _summary(answer, sensor)["stats"]["total_mm"] == 25.0


def test_months_of_a_year_are_summed_from_amsterdam_days(app, park, api):
    sensor = env_device(app, park, {"rain": "rainfall"}).sensor("rain")
    # 31 October and 1 November: local days whose UTC starts lie on either side of a month.
    add_rows(app, [rollup(sensor, "1d", local(2026, 10, 31), total=3.0),
                   rollup(sensor, "1d", local(2026, 11, 1), total=5.0)])
    answer = api("water", period="year", at="2026", value="rainfall")
    assert answer["resolution"] == "1mo"
    points = _points(answer, sensor)
    assert [(p["start"], p["value"]) for p in points] == [
        ("2026-09-30T22:00:00+00:00", 3.0), ("2026-10-31T23:00:00+00:00", 5.0)]
    assert _summary(answer, sensor)["stats"]["total_mm"] == 8.0


@pytest.mark.parametrize(("highs", "above", "margin"), [
    ([40.0, 52.5, 45.0], True, -2.5),
    ([40.0, 50.0, 45.0], False, 0.0),   # reaching the limit is not above it
])
def test_water_level_maximum_against_the_device_limit(app, park, api, highs, above, margin):
    sensor = env_device(app, park, {"level": "water_level"}, water_level_limit_cm=50.0,
                        name="Wadi").sensor("level")
    start = local(2026, 9, 1, 6)
    add_rows(app, [rollup(sensor, "1h", start + timedelta(hours=i), mean=h - 5, low=h - 10,
                          high=h) for i, h in enumerate(highs)])
    answer = api("water", period="week", at="2026-09-01", value="water_level")
    stats = _summary(answer, sensor)["stats"]
    assert (stats["max_cm"], stats["limit_cm"]) == (max(highs), 50.0)
    assert (stats["above_limit"], stats["margin_cm"]) == (above, margin)
    assert stats["max_at"] == (start + timedelta(hours=highs.index(max(highs)))).isoformat()
    assert stats["min_cm"] == min(highs) - 10


def test_water_level_without_a_limit_says_nothing_about_it(app, park, api):
    sensor = env_device(app, park, {"level": "water_level"}).sensor("level")
    add_rows(app, [rollup(sensor, "1h", local(2026, 9, 1, 6), mean=30.0, high=31.0)])
    stats = _summary(api("water", period="day", at="2026-09-01", resolution="1h"),
                     sensor)["stats"]
    assert (stats["max_cm"], stats["limit_cm"], stats["above_limit"]) == (31.0, None, None)


def test_water_use_is_the_meter_consumption_per_day(app, park, api):
    sensor = env_device(app, park, {"meter": "water"}).sensor("meter")
    add_rows(app, [rollup(sensor, "1d", local(2026, 9, d), mean=1000.0 + d, consumption=c)
                   for d, c in ((1, 3.0), (2, 4.5), (4, 0.0))])
    answer = api("water", period="month", at="2026-09", value="water_use")
    stats = _summary(answer, sensor)["stats"]
    assert (stats["total_m3"], stats["days"], stats["per_day_m3"]) == (7.5, 3, 2.5)
    assert [p["value"] for p in _points(answer, sensor)] == [3.0, 4.5, 0.0]
    assert [p["min"] for p in _points(answer, sensor)] == [None, None, None]


def test_every_device_of_the_park_counts_and_other_parks_do_not(app, park, api, make_park,
                                                                make_company):
    own = env_device(app, park, {"t": "temperature"}, name="Station").sensor("t")
    company = env_device(app, park, {"t": "temperature"}, name="Kantoor",
                         company_id=make_company(park).id).sensor("t")
    elsewhere = env_device(app, make_park(), {"t": "temperature"}).sensor("t")
    for sensor in (own, company, elsewhere):
        add_rows(app, [rollup(sensor, "1h", local(2026, 7, 14, 12), mean=28.0)])
    answer = api("heat", period="day", at="2026-07-14")
    assert [s["sensor_id"] for s in answer["summary"]] == [company, own]   # by device name
