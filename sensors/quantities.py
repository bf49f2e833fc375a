"""Canonical quantities, their one stored unit each, and conversion from what devices send.

Every reading is stored in its quantity's canonical unit (kW, kWh, m³, GJ, mm, cm, °C, %,
µg/m³, ppm). Devices send many spellings and scales of units; :func:`convert` accepts the
listed ones and rejects everything else with a reason, so a wrong unit never becomes a silently
wrong number. Unit spellings are matched exactly after Unicode NFKC normalisation (which folds
``m³`` into ``m3`` and the micro sign into the Greek mu): matching is case-sensitive on purpose,
because ``mW`` and ``MW`` differ by a factor of a billion.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Literal, NamedTuple

from sensors.model import Rejection
from sensors.validate import shown

Kind = Literal["gauge", "cumulative", "interval"]


@dataclass(frozen=True)
class Quantity:
    """A measured quantity: its stable code, canonical unit, names and plausibility bounds.

    *kind* says how values relate over time: a ``gauge`` is a momentary value, a
    ``cumulative`` value is a meter register that only rises (see
    :func:`sensors.validate.check_cumulative`), an ``interval`` value is an amount per period.
    *min_value* and *max_value* bound plausible values in the canonical unit.
    """

    code: str
    unit: str
    name_nl: str
    name_en: str
    kind: Kind
    min_value: float
    max_value: float


class Scale(NamedTuple):
    """Linear conversion to the canonical unit: ``(value + offset) * mul / div``."""

    mul: float = 1.0
    div: float = 1.0
    offset: float = 0.0

    def apply(self, value: float) -> float:
        """Convert *value* from this unit into the canonical unit."""
        return (value + self.offset) * self.mul / self.div


# Per dimension: the units shown to people (canonical first) with their conversion ...
_POWER = {"kW": Scale(), "W": Scale(div=1000), "MW": Scale(mul=1000)}
_ENERGY = {"kWh": Scale(), "Wh": Scale(div=1000), "MWh": Scale(mul=1000)}
_VOLUME = {"m³": Scale(), "l": Scale(div=1000), "dm³": Scale(div=1000)}
_HEAT = {
    "GJ": Scale(), "MJ": Scale(div=1000), "kJ": Scale(div=1e6), "J": Scale(div=1e9),
    "kWh": Scale(mul=36, div=10_000), "MWh": Scale(mul=36, div=10),
}
_RAINFALL = {"mm": Scale()}
_LEVEL = {"cm": Scale(), "m": Scale(mul=100), "mm": Scale(div=10)}
_TEMPERATURE = {"°C": Scale(), "K": Scale(offset=-273.15), "°F": Scale(mul=5, div=9, offset=-32)}
_HUMIDITY = {"%": Scale()}
_CONCENTRATION = {"µg/m³": Scale(), "mg/m³": Scale(mul=1000)}
_PPM = {"ppm": Scale()}

# ... and further spellings devices use for those units (SenML's Cel and %RH among them).
# NFKC folding already equates m3 with m³ and the micro sign with the Greek mu.
_ALIASES = {
    "kw": "kW", "KW": "kW", "w": "W",
    "kwh": "kWh", "KWh": "kWh", "KWH": "kWh", "kWH": "kWh", "wh": "Wh", "MWH": "MWh",
    "L": "l", "liter": "l", "litre": "l",
    "C": "°C", "degC": "°C", "Cel": "°C", "℃": "°C",
    "F": "°F", "degF": "°F", "℉": "°F",
    "%RH": "%", "RH": "%",
    "ug/m³": "µg/m³",
}


def _q(code: str, unit: str, nl: str, en: str, kind: Kind, low: float, high: float) -> Quantity:
    return Quantity(code, unit, nl, en, kind, low, high)


QUANTITIES: dict[str, Quantity] = {q.code: q for q in (
    # Power is signed: a negative value is net export to the grid.
    _q("power", "kW", "Elektrisch vermogen", "Electric power", "gauge", -50_000, 50_000),
    _q("energy_import", "kWh", "Afname van het net (meterstand)", "Grid import (meter reading)",
       "cumulative", 0, 1e9),
    _q("energy_export", "kWh", "Teruglevering aan het net (meterstand)",
       "Grid export (meter reading)", "cumulative", 0, 1e9),
    # Net energy used in one interval; negative when the interval was a net export.
    _q("energy", "kWh", "Elektriciteitsverbruik per interval", "Electricity use per interval",
       "interval", -1e6, 1e6),
    # Inverters draw a little at night and some report it as a small negative production.
    _q("pv_power", "kW", "Zonnestroomvermogen", "Solar PV power", "gauge", -1, 50_000),
    _q("pv_energy", "kWh", "Zonnestroomopbrengst (meterstand)", "Solar PV yield (meter reading)",
       "cumulative", 0, 1e9),
    _q("gas", "m³", "Gasverbruik (meterstand)", "Gas use (meter reading)", "cumulative", 0, 1e9),
    _q("heat", "GJ", "Warmte (meterstand)", "Heat (meter reading)", "cumulative", 0, 1e8),
    _q("water", "m³", "Waterverbruik (meterstand)", "Water use (meter reading)",
       "cumulative", 0, 1e9),
    _q("rainfall", "mm", "Neerslag per interval", "Rainfall per interval", "interval", 0, 500),
    # Levels are often relative to NAP, so deep polder levels are negative.
    _q("water_level", "cm", "Waterstand", "Water level", "gauge", -2_000, 5_000),
    _q("temperature", "°C", "Luchttemperatuur", "Air temperature", "gauge", -50, 80),
    _q("humidity", "%", "Relatieve luchtvochtigheid", "Relative humidity", "gauge", 0, 100),
    _q("pm25", "µg/m³", "Fijnstof PM2,5", "Particulate matter PM2.5", "gauge", 0, 2_000),
    _q("pm10", "µg/m³", "Fijnstof PM10", "Particulate matter PM10", "gauge", 0, 2_000),
    _q("no2", "µg/m³", "Stikstofdioxide (NO₂)", "Nitrogen dioxide (NO₂)", "gauge", 0, 2_000),
    _q("co2", "ppm", "Koolstofdioxide (CO₂)", "Carbon dioxide (CO₂)", "gauge", 0, 40_000),
)}

_UNITS: dict[str, dict[str, Scale]] = {
    "power": _POWER, "pv_power": _POWER,
    "energy_import": _ENERGY, "energy_export": _ENERGY, "energy": _ENERGY, "pv_energy": _ENERGY,
    "gas": _VOLUME, "water": _VOLUME, "heat": _HEAT, "rainfall": _RAINFALL,
    "water_level": _LEVEL, "temperature": _TEMPERATURE, "humidity": _HUMIDITY,
    "pm25": _CONCENTRATION, "pm10": _CONCENTRATION, "no2": _CONCENTRATION, "co2": _PPM,
}


def _fold(unit: str) -> str:
    return unicodedata.normalize("NFKC", unit.strip())


def _lookup(table: dict[str, Scale]) -> dict[str, Scale]:
    folded = {_fold(name): scale for name, scale in table.items()}
    folded.update({_fold(alias): table[name] for alias, name in _ALIASES.items() if name in table})
    return folded


# Per quantity code: every accepted spelling, folded, with its conversion.
_LOOKUP: dict[str, dict[str, Scale]] = {code: _lookup(table) for code, table in _UNITS.items()}


def quantity(code: str) -> Quantity:
    """The quantity with this code; an unknown code is a Rejection("unknown_quantity")."""
    try:
        return QUANTITIES[code]
    except KeyError:
        raise Rejection("unknown_quantity", f"unknown quantity {shown(code)}") from None


def units_for(quantity_code: str) -> tuple[str, ...]:
    """The units a channel of this quantity may be registered with, canonical unit first."""
    quantity(quantity_code)
    return tuple(_UNITS[quantity_code])


def convert(value: float, unit: str | None, quantity_code: str) -> float:
    """Convert *value* in *unit* to the canonical unit of the quantity.

    Raises Rejection("missing_unit") when no unit is given and Rejection("wrong_unit") when
    the unit is not one this quantity accepts (such as kWh for power).
    """
    target = quantity(quantity_code)
    accepted = ", ".join(units_for(quantity_code))
    if unit is None or not str(unit).strip():
        raise Rejection("missing_unit", f"no unit given for {target.name_en.lower()}; "
                                        f"expected one of {accepted}")
    scale = _LOOKUP[quantity_code].get(_fold(str(unit)))
    if scale is None:
        raise Rejection("wrong_unit", f"unit {shown(unit)} does not fit "
                                      f"{target.name_en.lower()}; expected one of {accepted}")
    return scale.apply(value)
