"""The theme compass (radar and evidence), the theme page, the overview and the comparison."""

from __future__ import annotations

import csv
import io
import json

import pytest

import themes
from tests.conftest import in_db
from tests.webapp import theme_helpers as th
from webapp.charts.themes import RadarSeries, radar_figure
from webapp.models import Park
from webapp.services import themes as theme_service

world = th.world


def radar_traces(html: str) -> dict[str, dict]:
    """The plotted traces of the radar on a page, by their key (baseline/current/ambition)."""
    start = html.index("Plotly.newPlot(")
    rest = html[start:].split('"theme-radar",', 1)[1].lstrip()
    data, _end = json.JSONDecoder().raw_decode(rest)
    return {trace["meta"]: trace for trace in data}


def set_profile(app, park, **entries) -> None:
    in_db(app, lambda s: theme_service.update_profiles(s, s.get(Park, park.id), entries))


def test_radar_has_three_closed_traces_over_the_seven_themes(app, client, world):
    set_profile(app, world.open_park, energie={"baseline_level": 1, "ambition_level": 3},
                water={"baseline_level": 2, "ambition_level": 4})
    th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status="gerealiseerd")
    traces = radar_traces(client.get(f"/parks/{world.open_park.slug}/themes").get_data(
        as_text=True))
    assert set(traces) == {"baseline", "current", "ambition"}
    names = [t.name_nl for t in themes.THEMES]
    energy, water = names.index("Energie"), names.index("Water")
    for trace in traces.values():
        assert trace["theta"] == [*names, names[0]]  # closed polygon
        assert len(trace["r"]) == 8 and trace["r"][0] == trace["r"][-1]
    assert traces["baseline"]["r"][energy] == 1 and traces["baseline"]["r"][water] == 2
    assert traces["ambition"]["r"][water] == 4
    assert traces["current"]["r"][energy] == 1  # PV on roofs is an energy first step
    assert traces["current"]["r"][water] == 0


def test_radar_labels_follow_the_language(client, world):
    th.english(client)
    html = client.get(f"/parks/{world.open_park.slug}/themes").get_data(as_text=True)
    traces = radar_traces(html)
    assert traces["current"]["name"] == "Current level"
    assert "Energy" in traces["current"]["theta"]


def test_evidence_shows_met_and_missing_criteria_in_the_current_language(app, client, world):
    th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status="gerealiseerd")
    th.add_value(app, world.open_park, "pv_kwp_per_ha", 12)
    th.english(client)
    html = client.get(f"/parks/{world.open_park.slug}/themes").get_data(as_text=True)
    card = html.split('id="theme-energie"', 1)[1].split("</section>", 1)[0]
    met, missing = card.split("Missing for the next level", 1)
    assert "Criteria met" in met and "realised:" in met
    assert "needed: at least 40 kWp/ha" in missing
    assert "energy monitoring" in missing.lower()


def test_dutch_evidence_by_default(app, client, world):
    th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status="gerealiseerd")
    html = client.get(f"/parks/{world.open_park.slug}/themes").get_data(as_text=True)
    card = html.split('id="theme-energie"', 1)[1].split("</section>", 1)[0]
    assert "gerealiseerd:" in card and "nog geen waarde ingevuld" in card


def test_measures_that_are_not_realised_do_not_count(app, client, world):
    for status in ("idee", "gepland", "in_uitvoering", "gestopt"):
        th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status=status)
    traces = radar_traces(client.get(f"/parks/{world.open_park.slug}/themes").get_data(
        as_text=True))
    assert traces["current"]["r"] == [0] * 8


def test_theme_page_lists_indicators_measures_and_criteria(app, client, login, world):
    th.add_measure(app, world.open_park, title="Wadi bij de poort", themes=["water"])
    th.add_measure(app, world.open_park, title="Dak vol zon", themes=["energie"])
    th.add_value(app, world.open_park, "retention_m3_per_ha", 250)
    th.english(client)
    html = client.get(f"/parks/{world.open_park.slug}/themes/water").get_data(as_text=True)
    assert "Wadi bij de poort" in html and "Dak vol zon" not in html
    for ind in themes.indicators_for("water"):
        assert ind.name_en in html
    assert "250" in html
    for crit in themes.criteria_for("water"):
        assert crit.text_en in html
    assert 'name="value"' not in html  # no entry form for visitors
    login(world.manager)
    html = client.get(f"/parks/{world.open_park.slug}/themes/water").get_data(as_text=True)
    assert 'name="value"' in html


def test_theme_page_hides_measures_a_park_does_not_publish(app, client, make_park):
    park = make_park(name="Alleen kompas", public_fields=["themes"])
    th.add_measure(app, park, title="Niet openbaar", themes=["water"])
    html = client.get(f"/parks/{park.slug}/themes/water").get_data(as_text=True)
    assert "Niet openbaar" not in html
    assert client.get(f"/parks/{park.slug}/measures").status_code == 404


def test_overview_lists_themes_ambitions_and_catalogue(client):
    th.english(client)
    html = client.get("/themes").get_data(as_text=True)
    for theme in themes.THEMES:
        assert theme.name_en in html
        for aim in theme.ambitions_en:
            assert aim in html
    assert all(m.name_en in html for m in themes.MEASURES)


@pytest.fixture
def ranked(app, world, make_park):
    """Three parks with different levels: energy 2, 1 and 0."""
    strong = make_park(name="Alfa Terrein", province="Gelderland")
    for code in ("pv_roofs", "energy_monitoring"):
        th.add_measure(app, strong, catalogue_code=code, status="gerealiseerd")
    th.add_value(app, strong, "pv_kwp_per_ha", 50)
    th.add_measure(app, world.open_park, catalogue_code="pv_roofs", status="gerealiseerd")
    set_profile(app, world.open_park, energie={"baseline_level": 0, "ambition_level": 3})
    return strong


def compare_names(html: str, names: list[str]) -> list[str]:
    return sorted(names, key=lambda n: html.index(f">{n}</a>"))


def test_comparison_sorts_by_theme_level_and_filters_by_province(client, login, world,
                                                                 ranked):
    login(world.coordinator)
    names = ["Alfa Terrein", world.open_park.name, world.closed_park.name]
    html = client.get("/themes/compare?sort=-energie").get_data(as_text=True)
    assert compare_names(html, names) == ["Alfa Terrein", world.open_park.name,
                                          world.closed_park.name]
    html = client.get("/themes/compare?sort=energie").get_data(as_text=True)
    assert compare_names(html, names)[0] != "Alfa Terrein"
    html = client.get("/themes/compare?province=Gelderland").get_data(as_text=True)
    assert "Alfa Terrein" in html and world.open_park.name not in html


def test_comparison_csv(client, login, world, ranked):
    login(world.coordinator)
    response = client.get("/themes/compare.csv?sort=name")
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    by_name = {r["naam"]: r for r in rows}
    assert by_name["Alfa Terrein"]["energie_huidig"] == "2"
    assert by_name[world.open_park.name]["energie_ambitie"] == "3"
    assert by_name[world.open_park.name]["energie_nulmeting"] == "0"
    assert by_name[world.quiet_park.name]["energie_ambitie"] == ""
    assert len(rows) == 4


def test_radar_figure_draws_unset_ambitions_as_zero():
    fig = radar_figure(["A", "B", "C"], [RadarSeries("ambition", "Ambitie", [None, 3, 2])])
    assert list(fig.data[0].r) == [0, 3, 2, 0]
    assert fig.layout.polar.radialaxis.range == (0, 4)
