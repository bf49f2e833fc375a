"""The progress report as CSV and Excel: every figure one row, numbers as numbers, no formulas."""

from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
from openpyxl import load_workbook

from tests.webapp.test_national import D1, D3, build_registry

EVIL_NAME = '=HYPERLINK("http://example.nl","klik")'


@pytest.fixture
def coordinator_client(app, client, make_park, make_user, login):
    build_registry(app, make_park, A={"name": EVIL_NAME})
    login(make_user("coordinator"))
    client.post("/lang/en")  # the English source labels, whatever the translations say
    return client


def csv_rows(client) -> list[list[str]]:
    response = client.get("/national/report.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert 'filename="voortgang-nationaal-2026-03-03.csv"' in response.headers[
        "Content-Disposition"]
    text = response.data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def xlsx_rows(client) -> list[tuple]:
    response = client.get("/national/report.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    return list(book.active.iter_rows(values_only=True))


def find(rows, section: str, item, detail="") -> list:
    return [row[3] for row in rows if (row[0], row[1], row[2] or "") == (section, item, detail)]


def test_csv_report_holds_headline_provinces_phases_themes_and_series(coordinator_client):
    rows = csv_rows(coordinator_client)
    assert rows[0] == ["Section", "Item", "Detail", "Value"]
    assert find(rows, "Headline", "Parks on their way") == ["2"]
    assert find(rows, "Headline", "Snapshot day") == ["2026-03-03"]
    assert find(rows, "Province", "Gelderland", "Parks on their way") == ["1"]
    assert find(rows, "Province", "Utrecht", "All parks") == ["2"]
    assert find(rows, "Province", "Utrecht", "Registered") == ["0"]  # the phase "aangemeld"
    assert find(rows, "Phase", "Ambition and roadmap adopted", "roadmap") == ["1"]
    phase_rows = [row for row in rows if row[0] == "Phase"]
    assert [row[3] for row in phase_rows] == ["1", "1", "1", "1", "0"]
    assert find(rows, "Theme", "Energy", "4 · Leading") == ["1"]
    series = [row for row in rows if row[0] == "Parks on their way per day"]
    assert [(row[1], row[3]) for row in series] == [
        ("2026-03-01", "0"), ("2026-03-02", "1"), ("2026-03-03", "2")]


def test_csv_neutralises_formulas_in_park_names(coordinator_client):
    rows = csv_rows(coordinator_client)
    spotlight = [row for row in rows if row[0] == "Living labs and ambassador parks"]
    assert [row[1] for row in spotlight if "HYPERLINK" in row[1]] == ["'" + EVIL_NAME]
    assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row)


def test_xlsx_report_keeps_numbers_and_dates_and_neutralises_formulas(coordinator_client):
    rows = xlsx_rows(coordinator_client)
    assert rows[0] == ("Section", "Item", "Detail", "Value")
    assert find(rows, "Headline", "Parks on their way") == [2]
    assert find(rows, "Headline", "Snapshot day") == [datetime(2026, 3, 3)]
    series = [row for row in rows if row[0] == "Parks on their way per day"]
    assert (series[0][1], series[-1][1], series[-1][3]) == (
        datetime.combine(D1, datetime.min.time()), datetime.combine(D3, datetime.min.time()), 2)
    names = [row[1] for row in rows if row[0] == "Living labs and ambassador parks"]
    assert "'" + EVIL_NAME in names
    assert not any(isinstance(cell, str) and cell.startswith("=") for row in rows
                   for cell in row)


def test_unknown_report_format_is_404(coordinator_client):
    assert coordinator_client.get("/national/report.pdf").status_code == 404


def test_report_before_the_first_snapshot_still_downloads(app, client, make_park, make_user,
                                                          login):
    make_park()
    login(make_user("coordinator"))
    client.post("/lang/en")
    response = client.get("/national/report.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert ("Headline", "Parks registered", None, 1) in rows
    assert not any(row[0] == "Phase" for row in rows)
    assert 'voortgang-nationaal-leeg.xlsx' in response.headers["Content-Disposition"]
