"""Energy and water use of simulated member companies, and the indoor climate of an office.

Three archetypes found on Dutch business parks (an office, a distribution centre, a workshop)
repeat with different sizes. Electricity follows working hours on weekdays, less on Saturday and
a base load otherwise; gas heating rises as the outdoor temperature falls below 16 °C; each
company's roof carries PV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sensors.simulation.noise import signed, smooth
from sensors.simulation.solar import clear_sky_fraction, solar_elevation
from sensors.simulation.weather import cloudiness, hours_since_epoch, local, season

HEATING_LIMIT_C = 16.0  # outdoor temperature above which buildings need no heating
GJ_PER_M3_GAS = 0.0317  # upper heating value of Dutch natural gas is about 35 MJ/m³


@dataclass(frozen=True)
class Company:
    """How one simulated company uses energy and water."""

    kind: str
    base_kw: float
    peak_kw: float
    opens: float  # local hour
    closes: float
    saturday: float  # share of a weekday's activity on Saturday
    gas_per_kelvin: float  # m³/h per K below HEATING_LIMIT_C while heated
    pv_kwp: float
    water_m3_h: float  # at full activity


_ARCHETYPES = (
    Company("office", 8, 45, 8, 18, 0.1, 0.9, 100, 0.25),
    Company("logistics", 35, 120, 6, 22, 0.5, 1.4, 350, 0.15),
    Company("workshop", 12, 160, 7, 16.5, 0.2, 2.0, 60, 0.4),
)


def company(index: int) -> Company:
    """The company with this index: archetypes in turn, each round a little different in size."""
    archetype = _ARCHETYPES[index % len(_ARCHETYPES)]
    scale = 1.0 - 0.2 * ((index // len(_ARCHETYPES)) % 4) + 0.15 * ((index // 2) % 2)
    return Company(archetype.kind, archetype.base_kw * scale, archetype.peak_kw * scale,
                   archetype.opens, archetype.closes, archetype.saturday,
                   archetype.gas_per_kelvin * scale, archetype.pv_kwp * scale,
                   archetype.water_m3_h * scale)


def _ramp(hour: float, opens: float, closes: float) -> float:
    """0 outside working hours, 1 inside, with an hour's ramp up and down."""
    return max(0.0, min(1.0, hour - opens + 1, closes - hour))


def activity(who: Company, ts: datetime) -> float:
    """How busy the company is, 0 (closed) to 1 (full swing), on the local clock."""
    wall = local(ts)
    hour = wall.hour + wall.minute / 60
    day_share = (1.0, 1.0, 1.0, 1.0, 0.95, who.saturday, 0.0)[wall.weekday()]
    lunch = 0.85 if who.kind == "office" and 12 <= hour < 13 else 1.0
    return day_share * lunch * _ramp(hour, who.opens, who.closes)


def load_kw(who: Company, seed: str, ts: datetime, outdoor_c: float) -> float:
    """Electric load in kW: base load, working-hours load, summer cooling, some noise."""
    cooling = max(0.0, outdoor_c - 22) * 0.02 * who.peak_kw
    value = who.base_kw + (who.peak_kw - who.base_kw) * activity(who, ts) + cooling
    return value * (1 + 0.06 * signed(seed, "load", int(hours_since_epoch(ts) * 12)))


def pv_kw(who: Company, ts: datetime, latitude: float, longitude: float, park: str) -> float:
    """PV output in kW of the company's roof: the sun's height, thinned by clouds."""
    clear = clear_sky_fraction(solar_elevation(ts, latitude, longitude))
    if clear == 0:
        return 0.0
    return who.pv_kwp * clear * (1 - 0.75 * cloudiness(park, ts) ** 1.5)


def gas_m3_h(who: Company, ts: datetime, outdoor_c: float) -> float:
    """Gas use in m³/h: space heating (lower at night and weekends) plus a little process gas."""
    heated = 1.0 if activity(who, ts) > 0 else 0.35
    heating = who.gas_per_kelvin * max(0.0, HEATING_LIMIT_C - outdoor_c) * heated
    return heating + 0.3 * who.gas_per_kelvin * activity(who, ts)


def heat_gj_h(who: Company, ts: datetime, outdoor_c: float) -> float:
    """Heat delivered (district heating or a heat pump's heat meter) in GJ/h."""
    return gas_m3_h(who, ts, outdoor_c) * GJ_PER_M3_GAS * 0.9


def water_m3_h(who: Company, ts: datetime) -> float:
    """Tap water use in m³/h."""
    return who.water_m3_h * (0.05 + 0.95 * activity(who, ts))


def indoor_temperature(who: Company, ts: datetime, outdoor_c: float) -> float:
    """Office air in °C: heated to about 21 during working hours, warmer in a heat wave."""
    heated = 17.0 + 4.0 * min(1.0, activity(who, ts) * 2)
    overheating = max(0.0, outdoor_c - 21) * 0.55
    return max(heated, 21.5 + overheating) if outdoor_c > 21 else heated


def occupancy(who: Company, seed: str, ts: datetime) -> float:
    """Share of the meeting room in use, 0-1: people come and go during working hours."""
    hours = hours_since_epoch(ts)
    meetings = smooth(seed + "/meetings", hours * 1.5)
    return min(1.0, activity(who, ts) * (0.25 + 1.1 * meetings))


def co2_ppm(who: Company, seed: str, ts: datetime) -> float:
    """CO2 in a meeting room in ppm: outdoor air plus what the people in it breathe out."""
    outdoor = 420 + 10 * math.cos(2 * math.pi * (local(ts).hour - 5) / 24)
    return outdoor + 950 * occupancy(who, seed, ts) * (1 + 0.05 * signed(seed, "co2", ts))


def indoor_humidity(who: Company, seed: str, ts: datetime, outdoor_rh: float) -> float:
    """Relative humidity indoors in %: drier in winter (heated outside air), people add some."""
    value = 45 + 8 * season(ts) + 0.1 * (outdoor_rh - 80) + 6 * occupancy(who, seed, ts)
    return min(75.0, max(20.0, value))
