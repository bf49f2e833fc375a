"""Small provinces on the public national view: a province with fewer than 3 parks shows only
its number of parks (no phases, no parks on their way), the smallest other provinces are
withheld as well when the withheld ones hold fewer than 3 parks together, and the coordinators'
view stays complete."""

from __future__ import annotations

import re

import pytest

from roadmap.target import Target
from tests.conftest import in_db
from tests.webapp.test_national import D3, add_snapshot
from webapp.services import national
from webapp.services.national import ProvinceRow, withhold_small_provinces
from webapp.views import national as national_views

# Province -> phases of its parks on the latest day. Flevoland's one park is not public.
SCENE = {
    "Flevoland": ["roadmap"],
    "Zeeland": ["aangemeld", "aangemeld"],
    "Noord-Brabant": ["aangemeld", "nulmeting", "uitvoering"],
}
WITHHELD = {"province": "Flevoland", "registered": 1, "on_its_way": None, "phases": None,
            "withheld": "few_parks"}


@pytest.fixture
def scene(app, make_park):
    def fill(parks_by_province):
        def add(session_db):
            for park, phase in parks_by_province:
                add_snapshot(session_db, park.id, D3, phase)
        return add

    made = [(make_park(province=province, is_public=province != "Flevoland"), phase)
            for province, phases in SCENE.items() for phase in phases]
    in_db(app, fill(made))


def _row_html(html: str, province: str) -> str:
    match = re.search(rf'<tr data-province="{province}">(.*?)</tr>', html, re.S)
    assert match, province
    return match.group(1)


def _cells(row_html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row_html, re.S)]


def test_public_api_withholds_the_small_province(client, scene):
    data = client.get("/api/v1/national/progress").get_json()
    rows = {row["province"]: row for row in data["provinces"]}
    assert rows["Flevoland"] == WITHHELD
    assert rows["Zeeland"]["withheld"] == "few_parks" and rows["Zeeland"]["phases"] is None
    assert rows["Noord-Brabant"] == {
        "province": "Noord-Brabant", "registered": 3, "on_its_way": 1, "withheld": None,
        "phases": {"aangemeld": 1, "nulmeting": 1, "roadmap": 0, "uitvoering": 1,
                   "werklandschap": 0}}
    # The national totals still count the park.
    assert data["progress"]["on_its_way"] == 2


def test_public_page_withholds_the_small_province(client, scene):
    client.post("/lang/en")
    html = client.get("/progress").get_data(as_text=True)
    assert _cells(_row_html(html, "Flevoland")) == ["Flevoland", "1",
                                                    "fewer than 3 parks: not shown"]
    assert _cells(_row_html(html, "Noord-Brabant")) == [
        "Noord-Brabant", "3", "1", "33%", "1", "1", "0", "1", "0"]
    assert "Flevoland: 1 of 1 parks on their way" not in html
    assert "Flevoland: 1 parks; fewer than 3 parks: not shown" in html


def test_public_charts_leave_the_small_province_out(app, scene):
    data = in_db(app, lambda s: national.national_overview(s, Target(), public=True))
    with app.test_request_context():
        bars = national_views._province_figure(data, "en")
        world = national_views._map_figure(data)
    assert all("Flevoland" not in trace["y"] for trace in bars["data"])
    assert "Noord-Brabant" in bars["data"][0]["y"]
    names = [t["name"] for t in world["data"] if t.get("meta", "").startswith("province:")]
    labels = dict(zip(names, next(t for t in world["data"] if t["meta"] == "labels")["text"],
                      strict=True))
    assert (labels["Flevoland"], labels["Zeeland"], labels["Noord-Brabant"]) == ("–", "–", "1")
    fill = {t["name"]: t["fillcolor"] for t in world["data"] if t.get("name") in names}
    assert fill["Flevoland"] == national_views.WITHHELD_FILL


def test_coordinators_see_every_province_in_full(client, scene, make_user, login):
    login(make_user("coordinator"))
    client.post("/lang/en")
    data = client.get("/api/v1/national/report").get_json()
    rows = {row["province"]: row for row in data["provinces"]}
    assert (rows["Flevoland"]["on_its_way"], rows["Flevoland"]["phases"]["roadmap"],
            rows["Flevoland"]["withheld"]) == (1, 1, None)
    html = client.get("/national").get_data(as_text=True)
    assert _cells(_row_html(html, "Flevoland"))[:4] == ["Flevoland", "1", "1", "100%"]


def _rows(registered: dict[str, int]) -> tuple[ProvinceRow, ...]:
    return tuple(ProvinceRow(name, n, 0, {}) for name, n in registered.items())


@pytest.mark.parametrize(("registered", "withheld"), [
    ({"A": 1, "B": 3, "C": 4}, {"A": "few_parks", "B": "complement"}),
    ({"A": 2, "B": 5, "C": 5}, {"A": "few_parks", "B": "complement"}),
    ({"A": 1, "B": 1, "C": 3}, {"A": "few_parks", "B": "few_parks", "C": "complement"}),
    ({"A": 1, "B": 2, "C": 3}, {"A": "few_parks", "B": "few_parks"}),
    ({"A": 1, "B": 1, "C": 1}, {"A": "few_parks", "B": "few_parks", "C": "few_parks"}),
    ({"A": 0, "B": 3, "C": 4}, {}),
    ({"A": 1}, {"A": "few_parks"}),
])
def test_withholding_table(registered, withheld):
    rows = withhold_small_provinces(_rows(registered))
    assert {r.province: r.withheld for r in rows if r.withheld} == withheld
    for row in rows:
        assert (row.on_its_way is None, row.phases is None) == (not row.shown,) * 2
        assert row.registered == registered[row.province]
