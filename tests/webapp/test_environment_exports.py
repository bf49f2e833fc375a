"""Downloads of the environment charts: CSV and XLSX hold the numbers the page and API show."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest
from openpyxl import load_workbook

from tests.webapp.environment_helpers import add_rows, env_device, local, rollup, steady

DAY = {"period": "day", "at": "2026-10-25"}


@pytest.fixture
def park(client, make_park, make_user, login):
    """A park whose manager is logged in, with the interface in English."""
    park = make_park()
    login(make_user("park_manager", parks=[park]))
    client.post("/lang/en")
    return park


def _csv(response) -> list[list[str]]:
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    return list(book.active.iter_rows(values_only=True))


def _number(text: str) -> float | None:
    return float(text.replace(",", ".")) if text else None


def _api(client, park, domain: str, **params) -> dict:
    return client.get(f"/api/v1/parks/{park.slug}/environment/{domain}",
                      query_string=params).get_json()


@pytest.fixture
def rain(app, park):
    """A rain gauge with 100 quarter-hours on the day the clocks go back: 0.1 mm to 10.0 mm."""
    sensor = env_device(app, park, {"rain": "rainfall"}, name="Regenmeter").sensor("rain")
    start = local(2026, 10, 25)
    add_rows(app, [rollup(sensor, "15m", start + timedelta(minutes=15 * i),
                          total=round(0.1 * (i + 1), 1)) for i in range(100)])
    return sensor


def test_rainfall_csv_has_every_quarter_hour_of_the_long_day(client, park, rain):
    response = client.get(f"/parks/{park.slug}/environment/water/rainfall.csv",
                          query_string=DAY)
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="{park.slug}-rainfall-2026-10-25.csv"')
    header, *rows = _csv(response)
    assert header[:2] == ["Start (Amsterdam time)", "Start (UTC)"]
    assert len(rows) == 100
    # The two 02:00 quarter-hours stay apart by their offset.
    assert [r[0] for r in rows[8:9] + rows[12:13]] == ["2026-10-25T02:00:00+02:00",
                                                       "2026-10-25T02:00:00+01:00"]
    points = _api(client, park, "water", value="rainfall", **DAY)["series"][0]["points"]
    assert [_number(r[6]) for r in rows] == [p["value"] for p in points]
    assert rows[0][2:7] == ["Regenmeter", "", "rain", "mm", "0,1"]


def test_rainfall_xlsx_holds_the_same_numbers(client, park, rain):
    response = client.get(f"/parks/{park.slug}/environment/water/rainfall.xlsx",
                          query_string=DAY)
    assert response.mimetype.endswith("spreadsheetml.sheet")
    header, *rows = _xlsx(response)
    assert header[6] == "Value"
    assert len(rows) == 100
    assert sum(r[6] for r in rows) == pytest.approx(sum(0.1 * i for i in range(1, 101)))
    assert rows[0][0] == datetime(2026, 10, 25, 0, 0)        # Amsterdam wall-clock time
    assert rows[0][1] == datetime(2026, 10, 24, 22, 0)       # UTC


def test_summary_downloads_match_the_api_figures(app, client, park):
    sensor = env_device(app, park, {"t": "temperature"}, name="Weerstation").sensor("t")
    add_rows(app, steady(sensor, "1h", local(2026, 7, 14, 10), 4, mean=29.0))
    add_rows(app, steady(sensor, "1h", local(2026, 7, 14, 14), 2, mean=30.5))
    add_rows(app, steady(sensor, "1h", local(2026, 7, 13, 14), 1, mean=31.0))
    query = {"period": "day", "at": "2026-07-14"}
    stats = _api(client, park, "heat", **query)["summary"][0]["stats"]
    header, *rows = _csv(client.get(f"/parks/{park.slug}/environment/heat/summary.csv",
                                    query_string=query))
    assert header == ["Device", "Location", "Sensor", "Quantity", "Figure", "Value",
                      "Previous period"]
    figures = {r[4]: (r[5], r[6]) for r in rows}
    assert figures["Hours at or above 27 °C"] == (str(stats["warning_hours"]), "1")
    assert figures["Hours at or above 30 °C"] == ("2", "1")
    _, *xlsx_rows = _xlsx(client.get(f"/parks/{park.slug}/environment/heat/summary.xlsx",
                                     query_string=query))
    by_figure = {r[4]: r[5] for r in xlsx_rows}
    assert by_figure["Hours at or above 27 °C"] == 6
    assert by_figure["Mean temperature"] == pytest.approx(stats["mean_c"])


def test_downloads_neutralise_formulas_in_names(app, client, park):
    sensor = env_device(app, park, {"pm": "pm25"}, name="=HYPERLINK(\"x\")").sensor("pm")
    add_rows(app, [rollup(sensor, "1d", local(2026, 7, 14), mean=12.0)])
    query = {"period": "month", "at": "2026-07"}
    _, row = _csv(client.get(f"/parks/{park.slug}/environment/air/pm25.csv", query_string=query))
    assert row[2] == "'=HYPERLINK(\"x\")"
    _, xrow = _xlsx(client.get(f"/parks/{park.slug}/environment/air/pm25.xlsx",
                               query_string=query))
    assert xrow[2] == "'=HYPERLINK(\"x\")"
    assert xrow[6] == 12.0


def test_an_empty_period_downloads_only_the_header(client, park):
    header, *rows = _csv(client.get(f"/parks/{park.slug}/environment/air/no2.csv"))
    assert header[0] == "Start (Amsterdam time)"
    assert rows == []
