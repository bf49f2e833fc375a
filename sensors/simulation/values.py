"""The values a simulated device reports at one moment, in the units the device itself uses.

Gauges (power, temperature, CO2, ...) are functions of time and place only. Meter registers
(kWh, m³, GJ) integrate their rate since the device's previous reading, kept in
:class:`SimState`, so they only ever rise; interval amounts (kWh or mm per interval) cover the
time since that reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache

from sensors.model import DeviceSpec
from sensors.quantities import convert
from sensors.simulation import companies as co
from sensors.simulation import weather
from sensors.simulation.blueprints import DeviceBlueprint, all_fields, as_blueprint
from sensors.simulation.noise import signed, unit

_STEP = timedelta(minutes=15)  # longest step when integrating a meter over a gap
_MAX_STEPS = 4 * 24 * 14
_CUMULATIVE = ("energy_import", "energy_export", "pv_energy", "gas", "heat", "water")
_INTERVAL = ("energy", "rainfall")
# Typical register readings of installed meters (canonical units) to start from.
_START = {"energy_import": (20_000, 400_000), "energy_export": (1_000, 60_000),
          "pv_energy": (10_000, 300_000), "gas": (5_000, 150_000), "heat": (100, 5_000),
          "water": (500, 20_000)}
_DECIMALS = {"W": 0, "Wh": 0, "ppm": 0, "°C": 1, "%": 1, "µg/m³": 1, "cm": 1, "mm": 2}


@dataclass
class SimState:
    """What a simulation run remembers per device: meter registers and the last reading time.

    Randomness is not drawn from a generator but hashed from (*seed*, device uid, time), so
    two runs with the same seed and the same calls give identical values, and a gauge's value at
    a moment does not depend on what was simulated before it.
    """

    seed: int = 0
    totals: dict[tuple[str, str], float] = field(default_factory=dict)
    last_ts: dict[str, datetime] = field(default_factory=dict)
    days: dict[str, tuple[date, float, float]] = field(default_factory=dict)

    def park_seed(self, latitude: float, longitude: float) -> str:
        """The seed of a park's weather: its location (and the run's seed)."""
        return f"{latitude:.4f}/{longitude:.4f}/{self.seed}"

    def device_seed(self, uid: str) -> str:
        """The seed of one device's own variation."""
        return f"{uid}/{self.seed}"


class Moment:
    """One device at one time: the weather, its company's energy use, computed on demand."""

    def __init__(self, device: DeviceBlueprint, ts: datetime, latitude: float,
                 longitude: float, state: SimState):
        self.device, self.ts = device, ts
        self.latitude, self.longitude = latitude, longitude
        self.park = state.park_seed(latitude, longitude)
        self.seed = state.device_seed(device.uid)
        self.company = co.company(device.company_index or 0)
        self.indoor = any(quantity == "co2" for _, quantity, _ in device.channels)

    def at(self, ts: datetime, state: SimState) -> Moment:
        """The same device at another time."""
        return Moment(self.device, ts, self.latitude, self.longitude, state)

    @cached_property
    def outdoor_c(self) -> float:
        """Outdoor air temperature in °C."""
        return weather.temperature(self.park, self.ts, self.longitude)

    @cached_property
    def outdoor_rh(self) -> float:
        """Outdoor relative humidity in %."""
        return weather.humidity(self.park, self.ts, self.longitude)

    @cached_property
    def pv_kw(self) -> float:
        """PV output of the device's company roof in kW."""
        return co.pv_kw(self.company, self.ts, self.latitude, self.longitude, self.park)

    @cached_property
    def load_kw(self) -> float:
        """Electric load in kW behind the meter (a plug meter: its appliance)."""
        if self.device.format == "tasmota":
            return self.cold_store_kw
        return co.load_kw(self.company, self.seed, self.ts, self.outdoor_c)

    @cached_property
    def net_kw(self) -> float:
        """Grid import (positive) or export (negative) behind the device's meter."""
        if self.device.format == "tasmota":
            return self.load_kw
        return self.load_kw - self.pv_kw

    @cached_property
    def cold_store_kw(self) -> float:
        """A cold store's compressor cycling on a plug meter: longer runs when it is warm."""
        duty = min(0.9, 0.3 + 0.025 * max(0.0, self.outdoor_c - 8))
        minutes = weather.hours_since_epoch(self.ts) * 60
        if (minutes / 30 + unit(self.seed, "phase")) % 1 < duty:
            return 1.6 * (1 + 0.04 * signed(self.seed, "comp", self.ts))
        return 0.045

    @cached_property
    def sensor_bias(self) -> float:
        """A particulate sensor's own calibration offset, a few percent."""
        return 1 + 0.08 * signed(self.seed, "bias")


def _low_tariff(ts: datetime) -> bool:
    """Dutch 'daltarief' (tariff 1): nights 23-7 h and all weekend."""
    wall = weather.local(ts)
    return wall.weekday() >= 5 or wall.hour >= 23 or wall.hour < 7


def _tariff_share(m: Moment, name: str) -> float:
    if m.device.format != "dsmr" or not name.endswith(("_1", "_2")):
        return 1.0
    return 1.0 if _low_tariff(m.ts) == name.endswith("_1") else 0.0


def gauge(m: Moment, name: str, quantity: str) -> float:
    """A momentary value in the quantity's canonical unit."""
    if quantity == "power":
        return _power(m, name)
    if quantity in ("temperature", "humidity", "co2"):
        return _indoor_or_outdoor(m, quantity)
    simple = {
        "pv_power": lambda: m.pv_kw,
        "water_level": lambda: weather.wadi_level(m.park, m.ts),
        "pm25": lambda: weather.pm25(m.park, m.ts) * m.sensor_bias,
        "pm10": lambda: weather.pm10(m.park, m.ts) * m.sensor_bias,
        "no2": lambda: weather.no2(m.park, m.ts) * m.sensor_bias,
    }
    if quantity not in simple:
        raise ValueError(f"the simulator cannot make up values for quantity {quantity!r}")
    return simple[quantity]()


def _power(m: Moment, name: str) -> float:
    if "returned" in name:
        return max(-m.net_kw, 0.0)
    if m.device.format == "dsmr":
        phase = {"_l1": 0.4, "_l2": 0.35, "_l3": 0.25}.get(name[-3:], 1.0)
        return phase * max(m.net_kw, 0.0)
    return m.net_kw


def _indoor_or_outdoor(m: Moment, quantity: str) -> float:
    if quantity == "co2":
        return co.co2_ppm(m.company, m.seed, m.ts)
    if quantity == "temperature":
        return co.indoor_temperature(m.company, m.ts, m.outdoor_c) if m.indoor else m.outdoor_c
    if m.indoor:
        return co.indoor_humidity(m.company, m.seed, m.ts, m.outdoor_rh)
    return m.outdoor_rh


def rate(m: Moment, name: str, quantity: str) -> float:
    """How fast a register or interval amount grows, in canonical units per hour."""
    share = _tariff_share(m, name)
    rates = {
        "energy_import": lambda: max(m.net_kw, 0.0),
        "energy_export": lambda: max(-m.net_kw, 0.0),
        "energy": lambda: m.net_kw,
        "pv_energy": lambda: m.pv_kw,
        "gas": lambda: co.gas_m3_h(m.company, m.ts, m.outdoor_c),
        "heat": lambda: co.heat_gj_h(m.company, m.ts, m.outdoor_c),
        "water": lambda: co.water_m3_h(m.company, m.ts),
    }
    return share * rates[quantity]()


def increase(m: Moment, name: str, quantity: str, start: datetime, state: SimState) -> float:
    """The amount a register or interval quantity grew from *start* to the moment."""
    if quantity == "rainfall":
        return weather.rainfall(m.park, start, m.ts)
    seconds = (m.ts - start).total_seconds()
    if seconds <= 0:
        return 0.0
    steps = min(_MAX_STEPS, math.ceil(seconds / _STEP.total_seconds()))
    hours = seconds / 3600 / steps
    moments = [m] if steps == 1 else [m.at(m.ts - i * (m.ts - start) / steps, state)
                                       for i in range(steps)]
    return sum(rate(moment, name, quantity) for moment in moments) * hours


@lru_cache(maxsize=256)
def _scale(unit_name: str, quantity: str) -> tuple[float, float]:
    """(a, b) such that canonical = a * device_value + b."""
    b = convert(0.0, unit_name, quantity)
    return convert(1.0, unit_name, quantity) - b, b


def to_device_unit(value: float, unit_name: str, quantity: str) -> float:
    """A canonical value in the device's unit, rounded as such a device reports it."""
    a, b = _scale(unit_name, quantity)
    decimals = _DECIMALS.get(unit_name, 3)
    result = round((value - b) / a, decimals)
    return int(result) if decimals == 0 else result + 0.0  # whole units as int; no -0.0


def _start_total(state: SimState, device: DeviceBlueprint, name: str, quantity: str) -> float:
    """Where a meter register starts: a few years' use (a plug meter counts far less)."""
    low, high = (50, 3_000) if device.format == "tasmota" else _START[quantity]
    return low + (high - low) * unit(state.device_seed(device.uid), "start", name)


def _canonical(m: Moment, name: str, quantity: str, since: datetime | None,
               state: SimState) -> float:
    uid = m.device.uid
    if quantity in _CUMULATIVE:
        key = (uid, name)
        total = state.totals.get(key)
        if total is None:
            total = _start_total(state, m.device, name, quantity)
        elif since is not None:
            total += increase(m, name, quantity, since, state)
        state.totals[key] = total
        return total
    if quantity in _INTERVAL:
        start = since or m.ts - timedelta(seconds=m.device.interval_s)
        return increase(m, name, quantity, start, state)
    return gauge(m, name, quantity)


def values_at(device: DeviceSpec | DeviceBlueprint, ts: datetime, latitude: float,
              longitude: float, state: SimState) -> dict[str, float]:
    """Every field the device reports at *ts*, in the device's own units.

    Meter registers advance from the device's previous call; a call at or before that (out of
    order) leaves them where they are, so they never go down. Interval amounts cover the time
    since the previous call, or one reporting interval for a first or out-of-order call.
    """
    blueprint = as_blueprint(device)
    moment = Moment(blueprint, ts, latitude, longitude, state)
    last = state.last_ts.get(blueprint.uid)
    since = last if last is not None and last < ts else None
    values = {name: to_device_unit(_canonical(moment, name, quantity, since, state), unit_name,
                                   quantity)
              for name, quantity, unit_name in all_fields(blueprint)}
    if blueprint.format == "tasmota" and "ENERGY.Total" in values:
        values.update(_tasmota_days(blueprint.uid, ts, values["ENERGY.Total"], state))
    state.last_ts[blueprint.uid] = max(ts, last) if last is not None else ts
    return values


def _tasmota_days(uid: str, ts: datetime, total: float, state: SimState) -> dict[str, float]:
    """Tasmota's ENERGY.Today and ENERGY.Yesterday (kWh), kept per local calendar day."""
    today = weather.local(ts).date()
    day, at_start, yesterday = state.days.get(uid, (today, total, 0.0))
    if today > day:
        day, at_start, yesterday = today, total, round(total - at_start, 3)
    state.days[uid] = (day, at_start, yesterday)
    return {"ENERGY.Today": round(total - at_start, 3), "ENERGY.Yesterday": yesterday}
