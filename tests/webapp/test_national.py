"""National figures from stored snapshots, checked against a small registry counted by hand.

The registry (see :func:`build_registry`), on three days D1..D3:

=====  ==========  ======  ==============  ==========  ==========  ==============
park   province    public  role            D1          D2          D3
=====  ==========  ======  ==============  ==========  ==========  ==============
A      Gelderland  yes     living_lab      nulmeting   roadmap     uitvoering
B      Gelderland  yes     deelnemer       aangemeld   aangemeld   aangemeld
C      Utrecht     no      ambassadeur     aangemeld   nulmeting   roadmap
D      Zeeland     yes     ambassadeur     –           nulmeting   nulmeting
E      Utrecht     yes     deelnemer       –           –           –   (registered later)
=====  ==========  ======  ==============  ==========  ==========  ==============

On their way (roadmap or further): D1 0, D2 1 (A), D3 2 (A, C).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

import themes
from roadmap.phases import is_on_its_way
from roadmap.progress import progress
from roadmap.target import Target
from tests.conftest import in_db
from webapp.models import Measure, Park, PhaseSnapshot
from webapp.services import national

D1, D2, D3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)
CODE_X, CODE_Y, CODE_Z = (m.code for m in themes.MEASURES[:3])
PRIVATE_NAME = "Verborgen Reigerpark"
HISTORY = {
    "A": {D1: "nulmeting", D2: "roadmap", D3: "uitvoering"},
    "B": {D1: "aangemeld", D2: "aangemeld", D3: "aangemeld"},
    "C": {D1: "aangemeld", D2: "nulmeting", D3: "roadmap"},
    "D": {D2: "nulmeting", D3: "nulmeting"},
}
LEVELS_D3 = {"A": {"energie": 2, "water": 1}, "B": {},
             "C": {"energie": 4, "water": 0, "natuur": 3}, "D": {"energie": 1}}
PARKS = {
    "A": {"name": "Lab Akkerpark", "province": "Gelderland", "programme_role": "living_lab"},
    "B": {"name": "Bedrijvenpark Beek", "province": "Gelderland"},
    "C": {"name": PRIVATE_NAME, "province": "Utrecht", "is_public": False,
          "programme_role": "ambassadeursterrein"},
    "D": {"name": "Ambassade Duinpark", "province": "Zeeland",
          "programme_role": "ambassadeursterrein"},
    "E": {"name": "Nieuwkomer Eiland", "province": "Utrecht"},
}
# (park, catalogue code, status): X realised by A twice and by C (2 parks), Y realised by B.
MEASURES = [("A", CODE_X, "gerealiseerd"), ("A", CODE_X, "gerealiseerd"),
            ("C", CODE_X, "gerealiseerd"), ("B", CODE_Y, "gerealiseerd"),
            ("A", CODE_Z, "gepland"), ("D", None, "gerealiseerd")]


def add_snapshot(session_db, park_id: int, day: date, phase: str, levels=None) -> None:
    """One stored snapshot, as the snapshot command writes it."""
    session_db.add(PhaseSnapshot(park_id=park_id, day=day, phase=phase, computed_phase=phase,
                                 overridden=False, on_its_way=is_on_its_way(phase),
                                 theme_levels=levels or {}))


def build_registry(app, make_park, days=(D1, D2, D3), **park_fields) -> dict[str, Park]:
    """The registry of the module docstring; *park_fields* override fields per key."""
    parks = {key: make_park(municipality="Ergens", **{**fields, **park_fields.get(key, {})})
             for key, fields in PARKS.items()}

    def fill(session_db):
        for key, history in HISTORY.items():
            for day, phase in history.items():
                if day in days:
                    add_snapshot(session_db, parks[key].id, day, phase,
                                 LEVELS_D3[key] if day == D3 else None)
        for key, code, status in MEASURES:
            session_db.add(Measure(park_id=parks[key].id, catalogue_code=code, status=status,
                                   title=code or "Eigen maatregel"))

    in_db(app, fill)
    return parks


@pytest.fixture
def registry(app, make_park):
    return build_registry(app, make_park)


def overview(app, public: bool = False, target: Target | None = None):
    return in_db(app, lambda s: national.national_overview(s, target or Target(), public=public))


def test_latest_day_and_progress_line(app, registry):
    data = overview(app)
    assert data.day == D3
    assert [(p.day, p.on_its_way) for p in data.series] == [(D1, 0), (D2, 1), (D3, 2)]
    assert data.progress == progress(Target(), D3, 2)


def test_days_without_snapshots_are_left_out_not_counted_as_zero(app, make_park):
    build_registry(app, make_park, days=(D1, D3))
    data = overview(app)
    assert [(p.day, p.on_its_way) for p in data.series] == [(D1, 0), (D3, 2)]


def test_funnel_counts_parks_per_phase_on_the_latest_day(app, registry):
    data = overview(app)
    assert data.funnel == {"aangemeld": 1, "nulmeting": 1, "roadmap": 1, "uitvoering": 1,
                           "werklandschap": 0}
    assert data.registered == 5
    assert data.snapshotted == 4  # E registered after the last snapshot


def test_provinces(app, registry):
    rows = {row.province: row for row in overview(app).provinces}
    assert len(rows) == 12
    assert (rows["Gelderland"].registered, rows["Gelderland"].on_its_way) == (2, 1)
    assert rows["Gelderland"].phases["uitvoering"] == 1
    assert rows["Gelderland"].phases["aangemeld"] == 1
    assert (rows["Utrecht"].registered, rows["Utrecht"].on_its_way) == (2, 1)
    assert rows["Utrecht"].phases == {"aangemeld": 0, "nulmeting": 0, "roadmap": 1,
                                      "uitvoering": 0, "werklandschap": 0}
    assert (rows["Zeeland"].registered, rows["Zeeland"].on_its_way) == (1, 0)
    assert (rows["Drenthe"].registered, rows["Drenthe"].on_its_way) == (0, 0)


@pytest.mark.parametrize(("theme", "levels"), [
    ("energie", (1, 1, 1, 0, 1)),   # B has no entry: level 0
    ("water", (3, 1, 0, 0, 0)),
    ("natuur", (3, 0, 0, 1, 0)),
    ("mobiliteit", (4, 0, 0, 0, 0)),
])
def test_theme_levels(app, registry, theme, levels):
    coverage = {item.theme: item for item in overview(app).themes}
    assert set(coverage) == set(themes.THEME_CODES)
    assert coverage[theme].levels == levels
    assert coverage[theme].reached(2) == sum(levels[2:])


def test_top_measures_count_parks_not_measures_and_skip_own_measures(app, registry):
    assert [(m.code, m.parks) for m in overview(app).top_measures] == [(CODE_X, 2), (CODE_Y, 1)]


def test_spotlight_for_coordinators_has_every_park_and_its_phase(app, registry):
    spotlight = overview(app).spotlight
    assert [(p.name, p.role, p.phase) for p in spotlight] == [
        ("Lab Akkerpark", "living_lab", "uitvoering"),
        (PRIVATE_NAME, "ambassadeursterrein", "roadmap"),
        ("Ambassade Duinpark", "ambassadeursterrein", "nulmeting"),
    ]


def test_public_spotlight_names_public_parks_only_without_phase(app, registry):
    data = overview(app, public=True)
    assert [(p.name, p.phase) for p in data.spotlight] == [("Lab Akkerpark", None),
                                                           ("Ambassade Duinpark", None)]
    # ... but the private park still counts in the totals.
    assert data.progress.actual == 2
    assert data.funnel["roadmap"] == 1


def test_no_snapshots_gives_an_empty_overview(app, make_park):
    make_park()
    data = overview(app)
    assert (data.day, data.progress, data.forecast, data.series) == (None, None, None, ())
    assert data.registered == 1


def test_forecast_comes_from_the_stored_history(app, registry):
    data = overview(app)
    assert data.forecast.model == "insufficient"  # three days are too few to fit a curve


@pytest.mark.parametrize(("span", "points", "step"), [
    (0, 1, None), (10, 11, 1), (120, 121, 1), (121, None, 7), (1057, None, 7),
    (365 * 30, None, 7 * 7),
])
def test_sample_days(span, points, step):
    first = date(2024, 1, 1)
    last = first + timedelta(days=span)
    days = national.sample_days(first, last)
    assert days[0] == first and days[-1] == last
    assert days == sorted(set(days))
    if points is not None:
        assert len(days) == points
    if step is not None:
        gaps = {(b - a).days for a, b in zip(days[1:-1], days[2:], strict=False)}
        assert gaps == {step}
        assert len(days) <= national.MAX_POINTS + 2


@pytest.mark.parametrize(("config", "expected"), [
    ({"TARGET_PARKS": 1000, "PROGRAMME_START": "2024-01-01", "TARGET_DATE": "2033-12-31"},
     Target(1000, date(2024, 1, 1), date(2033, 12, 31))),
    ({"TARGET_PARKS": "1200", "PROGRAMME_START": " 2025-01-01 ", "TARGET_DATE": "2030-06-30"},
     Target(1200, date(2025, 1, 1), date(2030, 6, 30))),
    ({"TARGET_PARKS": 5, "PROGRAMME_START": date(2024, 1, 1), "TARGET_DATE": date(2025, 1, 1)},
     Target(5, date(2024, 1, 1), date(2025, 1, 1))),
])
def test_target_from_config(config, expected):
    assert national.target_from_config(config) == expected


@pytest.mark.parametrize(("key", "value"), [
    ("TARGET_PARKS", "duizend"), ("TARGET_PARKS", True), ("TARGET_PARKS", 0),
    ("TARGET_PARKS", None), ("PROGRAMME_START", "2024-13-01"), ("TARGET_DATE", "31-12-2033"),
    ("TARGET_DATE", "2023-12-31"),
])
def test_invalid_target_config_names_the_setting(key, value):
    config = {"TARGET_PARKS": 1000, "PROGRAMME_START": "2024-01-01",
              "TARGET_DATE": "2033-12-31", key: value}
    with pytest.raises(ValueError, match=key):
        national.target_from_config(config)
