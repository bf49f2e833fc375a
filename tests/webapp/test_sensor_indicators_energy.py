"""Energy indicators come from the consenting aggregate, and only when 3+ companies share."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.conftest import in_db
from tests.webapp.environment_helpers import add_rows, env_device, local, rollup
from webapp.models import Device, IndicatorValue, Park
from webapp.services import energy_sharing, sensor_indicators

TODAY = date(2026, 11, 1)
ENERGY = ("self_sufficiency_pct", "peak_vs_grid_pct", "energy_balance_pct")


def _derive(app, park: Park, today: date = TODAY):
    return in_db(app, lambda s: sensor_indicators.derive_for_park(s, s.get(Park, park.id), today))


def _counts(app, park: Park) -> dict[str, int]:
    """Stored rows per indicator."""
    rows = in_db(app, lambda s: s.execute(
        select(IndicatorValue.indicator, func.count()).where(IndicatorValue.park_id == park.id)
        .group_by(IndicatorValue.indicator)).all())
    return dict(rows)


def _values(app, park: Park) -> dict[str, float]:
    rows = in_db(app, lambda s: s.execute(select(IndicatorValue.indicator, IndicatorValue.value)
                                          .where(IndicatorValue.park_id == park.id)).all())
    return dict(rows)


def _share(app, device_id: int, level: str) -> None:
    in_db(app, lambda s: energy_sharing.set_share(s, s.get(Device, device_id), level, None))


@pytest.fixture
def park(make_park):
    return make_park(contracted_capacity_kw=Decimal("40"))


@pytest.fixture
def meters(app, park, make_company):
    """Three companies' meters; the first has PV. One day and one quarter-hour of data.

    Day: imports 10 kWh each, PV 5 and export 1 at the first -> use 34 kWh, self-consumed 4.
    Quarter-hour 12:00 (all the PV of the day): imports 2, 3 and 5 kWh, PV 5, export 1 ->
    self-consumed 4, net 9 kWh = 36 kW.
    """
    day, quarter = local(2026, 7, 14), local(2026, 7, 14, 12)
    ids = []
    for n, (imported, peak) in enumerate(((10.0, 2.0), (10.0, 3.0), (10.0, 5.0))):
        channels = {"imp": "energy_import"}
        if n == 0:
            channels |= {"pv": "pv_energy", "exp": "energy_export"}
        meter = env_device(app, park, channels, company_id=make_company(park).id)
        rows = [rollup(meter.sensor("imp"), "1d", day, mean=1.0, consumption=imported),
                rollup(meter.sensor("imp"), "15m", quarter, mean=1.0, consumption=peak)]
        if n == 0:
            rows += [rollup(meter.sensor("pv"), "1d", day, mean=1.0, consumption=5.0),
                     rollup(meter.sensor("exp"), "1d", day, mean=1.0, consumption=1.0),
                     rollup(meter.sensor("pv"), "15m", quarter, mean=1.0, consumption=5.0),
                     rollup(meter.sensor("exp"), "15m", quarter, mean=1.0, consumption=1.0)]
        add_rows(app, rows)
        ids.append(meter.id)
    return ids


def test_three_sharing_companies_give_the_energy_indicators(app, park, meters):
    for device_id in meters:
        _share(app, device_id, "aggregate")
    _derive(app, park)
    values = _values(app, park)
    assert {code: values[code] for code in ENERGY} == {
        "self_sufficiency_pct": round(4 / 34 * 100, 1),   # 11.8
        "energy_balance_pct": round(5 / 34 * 100, 1),     # 14.7
        "peak_vs_grid_pct": round(36 / 40 * 100, 1),      # 90.0
    }


@pytest.mark.parametrize("levels", [("aggregate", "aggregate", "none"),
                                    ("aggregate", "board", "none"), ("none", "none", "none")])
def test_fewer_than_three_companies_give_no_energy_indicator(app, park, meters, levels):
    for device_id, level in zip(meters, levels, strict=True):
        _share(app, device_id, level)
    _derive(app, park)
    assert not set(_values(app, park)) & set(ENERGY)


def test_revoking_removes_the_days_energy_values(app, park, meters):
    for device_id in meters:
        _share(app, device_id, "board")
    _derive(app, park)
    assert set(ENERGY) <= set(_values(app, park))
    _share(app, meters[2], "none")
    counts = _derive(app, park)
    assert counts.removed == 3
    assert not set(_values(app, park)) & set(ENERGY)


def test_a_revoked_company_leaves_no_energy_row_on_later_days(app, park, meters):
    for device_id in meters:
        _share(app, device_id, "aggregate")
    for n in range(3):
        _derive(app, park, TODAY + timedelta(days=n))
    assert _counts(app, park) == dict.fromkeys(ENERGY, 1)
    _share(app, meters[0], "none")
    _derive(app, park, TODAY + timedelta(days=3))
    assert not set(_counts(app, park)) & set(ENERGY)


def test_a_park_publishing_its_compass_uses_only_public_shares(app, park, meters):
    def publish(session_db):
        stored = session_db.get(Park, park.id)
        stored.is_public, stored.public_fields = True, ["themes"]

    in_db(app, publish)
    for device_id in meters:
        _share(app, device_id, "aggregate")
    _derive(app, park)
    assert not set(_values(app, park)) & set(ENERGY)
    for device_id in meters:
        _share(app, device_id, "public")
    _derive(app, park)
    assert set(ENERGY) <= set(_values(app, park))


def test_without_contracted_capacity_there_is_no_peak_ratio(app, park, meters):
    in_db(app, lambda s: setattr(s.get(Park, park.id), "contracted_capacity_kw", None))
    for device_id in meters:
        _share(app, device_id, "aggregate")
    _derive(app, park)
    values = _values(app, park)
    assert "peak_vs_grid_pct" not in values
    assert values["self_sufficiency_pct"] == 11.8


def test_energy_data_outside_the_window_do_not_count(app, park, meters):
    for device_id in meters:
        _share(app, device_id, "aggregate")
    in_db(app, lambda s: sensor_indicators.derive_for_park(
        s, s.get(Park, park.id), date(2027, 7, 15) + timedelta(days=1)))
    assert not set(_values(app, park)) & set(ENERGY)
