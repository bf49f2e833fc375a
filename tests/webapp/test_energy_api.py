"""Energy API v1: consent in every answer, the 3-company rule, own meters only, figures."""

from __future__ import annotations

import pytest

from tests.conftest import in_db
from tests.webapp.energy_api_support import (
    EXPORT_KWH,
    IMPORT_KWH,
    PV_KWH,
    QUARTERS,
    build,
)

DAY = "period=day&value=2026-10-25"  # the day the clocks go back: 100 quarter-hours


@pytest.fixture
def world(app, make_park, make_company, make_user):
    return build(app, make_park, make_company, make_user)


def park_url(world, query: str = DAY) -> str:
    return f"/api/v1/parks/{world.park.slug}/energy?{query}"


def meter_url(world, n: int, what: str = "energy", query: str = DAY) -> str:
    return f"/api/v1/meters/{world.meters[n]}/{what}?{query}"


def company_url(world, n: int, query: str = DAY) -> str:
    return f"/api/v1/companies/{world.companies[n].id}/energy?{query}"


def test_park_aggregate_holds_only_consenting_meters(client, login, world):
    login(world.users["manager"])
    body = client.get(park_url(world)).json
    assert (body["audience"], body["companies_sharing"], body["withheld"]) == ("park", 3, False)
    quarters = QUARTERS["2026-10-25"]
    summary = body["summary"]
    assert summary["import_kwh"] == pytest.approx((2 + 3 + 5) * quarters)  # not company 4's 7
    assert summary["pv_kwh"] == pytest.approx(PV_KWH * quarters)
    assert summary["consumption_kwh"] == pytest.approx((10 + PV_KWH - EXPORT_KWH) * quarters)
    assert summary["self_sufficiency"] == pytest.approx(1.0 / 11.0, abs=1e-4)
    assert summary["collective_peak_kw"] == pytest.approx((10 - EXPORT_KWH) * 4)
    assert summary["sum_individual_peaks_kw"] == pytest.approx((2 + 3 + 5) * 4)
    assert summary["headroom_kw"] == pytest.approx(2.0)
    assert summary["peak_vs_contract"] == pytest.approx(0.38)
    assert len(body["series"]) == quarters
    assert {item["import_kwh"] for item in body["series"]} == {10.0}
    assert body["meters"] == []  # named meters are for the board only


def test_board_sees_the_board_level_meters_by_name(client, login, world):
    login(world.users["board"])
    body = client.get(park_url(world)).json
    assert body["audience"] == "board"
    assert [m["uid"] for m in body["meters"]] == [world.meters[1]]
    named = body["meters"][0]
    assert named["company"]["name"] == "Bedrijf 1"
    assert named["totals"]["import_kwh"] == pytest.approx(IMPORT_KWH[1] * 100)


def test_public_aggregate_of_one_company_is_withheld(client, world):
    body = client.get(park_url(world)).json
    assert body["audience"] == "public"
    assert (body["companies_sharing"], body["withheld"]) == (1, True)
    assert (body["series"], body["summary"], body["previous"], body["stress_hours"],
            body["meters"]) == ([], None, None, [], [])


def test_revoking_takes_a_company_out_at_once(client, login, world):
    login(world.users["member3"])
    response = client.put(meter_url(world, 3, "share", ""), json={"level": "none"})
    assert response.status_code == 200
    login(world.users["coordinator"])
    body = client.get(park_url(world)).json
    assert (body["companies_sharing"], body["withheld"]) == (2, True)
    assert body["series"] == [] and body["summary"] is None
    # Company 1 still shares by name with the board (its own, explicit choice).
    assert [m["uid"] for m in body["meters"]] == [world.meters[1]]


def test_non_consenting_company_is_absent_from_every_park_answer(client, login, world):
    login(world.users["admin"])
    texts = [client.get(park_url(world, q)).get_data(as_text=True)
             for q in (DAY, "period=month&value=2026-10", "from=2026-10-24&to=2026-10-27")]
    for text in texts:
        assert world.meters[4] not in text and "Bedrijf 4" not in text


@pytest.mark.parametrize(("who", "status"), [
    ("member1", 200), ("coordinator", 200), ("admin", 200), ("member4", 404),
    ("manager", 404), ("board", 404), ("outsider", 404), (None, 401),
])
def test_own_meter_only(client, login, world, who, status):
    if who:
        login(world.users[who])
    assert client.get(meter_url(world, 1)).status_code == status
    assert client.get(meter_url(world, 1, "share", "")).status_code == status
    assert client.get(meter_url(world, 1, "share/history", "")).status_code == status


@pytest.mark.parametrize(("who", "status"), [
    ("member1", 200), ("coordinator", 200), ("member4", 404), ("manager", 404), (None, 401),
])
def test_own_company_only(client, login, world, who, status):
    if who:
        login(world.users[who])
    assert client.get(company_url(world, 1)).status_code == status


def test_company_answer_lists_its_meters_with_levels(client, login, world):
    login(world.users["member1"])
    body = client.get(company_url(world, 1)).json
    assert [(m["uid"], m["level"]) for m in body["meters"]] == [(world.meters[1], "board")]
    assert body["summary"]["import_kwh"] == pytest.approx(IMPORT_KWH[1] * 100)


def test_meter_day_with_dst_has_100_quarter_hours(client, login, world):
    login(world.users["member4"])
    body = client.get(meter_url(world, 4)).json
    assert len(body["series"]) == 100
    assert body["summary"]["import_kwh"] == pytest.approx(IMPORT_KWH[4] * 100)
    assert body["previous"]["import_kwh"] == pytest.approx(IMPORT_KWH[4] * 96)
    assert body["period"]["key"] == "2026-10-25"


def test_meter_range_by_from_and_to(client, login, world):
    login(world.users["member4"])
    body = client.get(meter_url(world, 4, query="from=2026-10-24&to=2026-10-27")).json
    assert body["resolution"] == "1h"
    assert body["period"] is None and body["previous"] is None
    assert len(body["series"]) == 24 + 25 + 24
    assert body["summary"]["import_kwh"] == pytest.approx(IMPORT_KWH[4] * (96 + 100 + 96))


@pytest.mark.parametrize(("who", "status"), [
    ("member1", 200), ("admin", 200), ("coordinator", 403), ("member4", 404),
    ("manager", 404), (None, 401),
])
def test_who_may_change_a_share(client, login, world, who, status):
    if who:
        login(world.users[who])
    response = client.put(meter_url(world, 1, "share", ""), json={"level": "public"})
    assert response.status_code == status


@pytest.mark.parametrize(("body", "field"), [
    ({"level": "everyone"}, "level"), ({}, "level"), ({"level": "public", "note": 5}, "note"),
])
def test_share_input_is_checked(client, login, world, body, field):
    login(world.users["member1"])
    response = client.put(meter_url(world, 1, "share", ""), json=body)
    assert response.status_code == 400
    assert field in response.json["error"]["fields"]


def test_share_history_logs_every_change(client, login, world):
    login(world.users["member1"])
    url = meter_url(world, 1, "share", "")
    first = client.put(url, json={"level": "public", "note": "Voor de buurt"}).json
    again = client.put(url, json={"level": "public"}).json
    client.put(url, json={"level": "none"})
    assert (first["changed"], again["changed"]) == (True, False)
    assert client.get(url).json["level"] == "none"
    items = client.get(meter_url(world, 1, "share/history", "")).json["items"]
    assert [(i["from_level"], i["to_level"]) for i in items] == [("public", "none"),
                                                                 ("board", "public")]
    assert items[1]["note"] == "Voor de buurt"
    assert items[0]["changed_by"]["email"] == world.users["member1"].email


@pytest.mark.parametrize(("query", "field"), [
    ("period=decade", "period"),
    ("period=month&value=2026-13", "value"),
    ("period=day&value=2026-10-32", "value"),
    ("period=week&value=2026-W54", "value"),
    ("period=year&value=1800", "value"),
    ("period=day&value=25-10-2026", "value"),
    ("resolution=5m", "resolution"),
    ("period=day&value=2026-10-25&resolution=1mo", "resolution"),
    ("period=year&value=2026&resolution=15m", "resolution"),
    ("from=2026-10-25&to=2026-10-24", "to"),
    ("from=2026-10-25&to=2026-10-25", "to"),
    ("from=2026-10-25T00:00&to=2026-10-26", "from"),
    ("from=yesterday&to=2026-10-26", "from"),
    ("from=2026-10-25", "to"),
    ("to=2026-10-25", "from"),
    ("from=2026-01-01&to=2026-12-31&resolution=15m", "resolution"),
    ("from=2026-10-25T00:07:00%2B02:00&to=2026-10-26&resolution=15m", "from"),
    ("from=2026-10-25&to=2026-10-26T12:00Z&resolution=1d", "to"),
    ("from=2026-10-02&to=2026-12-01&resolution=1mo", "from"),
    ("period=month&from=2026-10-01&to=2026-11-01", "period"),
    ("at=2026-10&from=2026-10-01&to=2026-11-01", "period"),
])
def test_parameters_are_validated(client, login, world, query, field):
    login(world.users["coordinator"])
    for url in (park_url(world, query), meter_url(world, 1, query=query),
                company_url(world, 1, query)):
        response = client.get(url)
        assert response.status_code == 400, url
        assert list(response.json["error"]["fields"]) == [field]


@pytest.mark.parametrize(("query", "resolution", "items"), [
    ("", "15m", 100), ("period=week&value=2026-W43", "1h", 24 + 25),
    ("period=month&value=2026-10&resolution=1h", "1h", 24 * 3 + 1),
    ("period=month&at=2026-10-15&resolution=1h", "1h", 24 * 3 + 1),  # any day of the month
    ("period=year&value=2026", "1mo", 1),
    ("from=2026-10-24T22:00:00Z&to=2026-10-25T23:00:00Z", "15m", 100),
])
def test_good_ranges_answer(client, login, world, query, resolution, items):
    login(world.users["member1"])
    if not query:
        query = "value=2026-10-25"  # the default period kind is a day, as on the pages
    body = client.get(meter_url(world, 1, query=query)).json
    assert body["resolution"] == resolution
    assert len(body["series"]) == items


@pytest.mark.parametrize(("who", "audience"), [
    ("coordinator", "board"), ("admin", "board"), ("board", "board"), ("manager", "park"),
    ("member4", "park"), ("outsider", "public"), (None, "public"),
])
def test_audience_follows_the_caller(client, login, world, who, audience):
    if who:
        login(world.users[who])
    assert client.get(park_url(world)).json["audience"] == audience


def test_a_private_park_is_404_for_outsiders(app, client, login, world):
    in_db(app, lambda s: setattr(s.get(type(world.park), world.park.id), "is_public", False))
    assert client.get(park_url(world)).status_code == 404
    login(world.users["outsider"])
    assert client.get(park_url(world)).status_code == 404
    login(world.users["member4"])
    assert client.get(park_url(world)).status_code == 200
