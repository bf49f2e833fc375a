"""A believable Dutch weather and air-quality model for one park, reproducible from a seed.

The seed comes from the park's location, so every device of one park sees the same weather:
the wadi's rain gauge and the weather station agree, and gas use follows the same cold spell.
Typical values follow the Dutch climate (about 3 °C in January and 18 °C in July on average,
some 800-900 mm of rain a year) and typical business-park air (NO2 around 20 µg/m³ with
traffic peaks, PM2.5 around 10 µg/m³ with winter episodes).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from sensors.simulation.noise import signed, smooth, unit

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_WADI_MEMORY_H = 72  # hours of rain that still show in the wadi
_WADI_DRAIN_H = 10.0  # e-folding time of the wadi emptying by infiltration
_WADI_GAIN = 2.5  # cm of water in the wadi per mm of rain on its catchment
_WADI_OVERFLOW_CM = 70.0


def hours_since_epoch(ts: datetime) -> float:
    """Hours since 2000-01-01 UTC: the model's time axis."""
    return (ts - _EPOCH).total_seconds() / 3600


def season(ts: datetime) -> float:
    """-1 in late January (coldest), +1 in late July (warmest), a cosine in between."""
    day = ts.astimezone(UTC).timetuple().tm_yday
    return -math.cos(2 * math.pi * (day - 22) / 365.25)


def local(ts: datetime) -> datetime:
    """*ts* on the Amsterdam wall clock."""
    return ts.astimezone(AMSTERDAM)


def cloudiness(seed: str, ts: datetime) -> float:
    """Cloud cover from 0 (clear) to 1 (overcast), changing over hours; cloudier in winter."""
    hours = hours_since_epoch(ts)
    raw = 0.65 * smooth(seed + "/cloud", hours / 9) + 0.35 * smooth(seed + "/cloud2", hours / 2)
    return min(1.0, max(0.0, raw + 0.12 - 0.12 * season(ts)))


def _anomaly(seed: str, ts: datetime) -> float:
    """Slow weather swings of the temperature (spells of several days), in K."""
    days = hours_since_epoch(ts) / 24
    return 15 * (smooth(seed + "/spell", days / 5) - 0.5) + 5 * (smooth(seed + "/day", days) - 0.5)


def daily_mean_temperature(seed: str, ts: datetime) -> float:
    """The day's mean air temperature in °C: season plus weather spells."""
    return 10.5 + 7.2 * season(ts) + _anomaly(seed, ts)


def temperature(seed: str, ts: datetime, longitude: float) -> float:
    """Outdoor air temperature in °C, warmest mid-afternoon (solar time), coolest at dawn."""
    solar_hour = (ts.astimezone(UTC).hour + ts.minute / 60 + longitude / 15) % 24
    clear = 1 - cloudiness(seed, ts)
    amplitude = (3.0 + 1.8 * season(ts)) * (0.5 + clear)
    cycle = math.cos(2 * math.pi * (solar_hour - 15) / 24)
    return daily_mean_temperature(seed, ts) + amplitude * cycle


def humidity(seed: str, ts: datetime, longitude: float) -> float:
    """Relative humidity in %: high at night and in winter, low on warm afternoons."""
    warmth = temperature(seed, ts, longitude) - daily_mean_temperature(seed, ts)
    value = 79 - 6 * season(ts) - 4 * warmth + 14 * (cloudiness(seed, ts) - 0.5)
    if rain_rate(seed, ts) > 0:
        value += 8
    return min(100.0, max(25.0, value))


@lru_cache(maxsize=16384)
def _hourly_rain(seed: str, hour: int) -> float:
    """Rain in mm during model hour *hour*: showers only under thick cloud, a few % of hours."""
    ts = _EPOCH + timedelta(hours=hour + 0.5)
    wetness = cloudiness(seed, ts) - 0.7
    if wetness <= 0 or unit(seed + "/shower", hour) > 0.07 + 0.9 * wetness:
        return 0.0
    amount = -math.log(1 - unit(seed + "/amount", hour)) * 1.3
    return amount * (1.6 if season(ts) > 0.3 else 1.0)  # summer showers are heavier


def rain_rate(seed: str, ts: datetime) -> float:
    """Rain intensity in mm/h at *ts* (constant within each clock hour)."""
    return _hourly_rain(seed, math.floor(hours_since_epoch(ts)))


def rainfall(seed: str, start: datetime, end: datetime) -> float:
    """Rain in mm that fell between *start* and *end* (the hourly amounts, pro rata)."""
    low, high = hours_since_epoch(start), hours_since_epoch(end)
    total, hour = 0.0, math.floor(low)
    while hour < high:
        overlap = min(high, hour + 1) - max(low, hour)
        total += _hourly_rain(seed, hour) * max(0.0, overlap)
        hour += 1
    return total


def wadi_level(seed: str, ts: datetime) -> float:
    """Water in a wadi in cm: it fills with rain from the paved catchment and drains in hours.

    The sum of recent rain, each hour's share fading with the drain time; a little standing
    water in the wet season; it overflows (stops rising) at about 70 cm.
    """
    now = hours_since_epoch(ts)
    current = math.floor(now)
    level = rainfall(seed, _EPOCH + timedelta(hours=current), ts) * _WADI_GAIN
    for back in range(1, _WADI_MEMORY_H):
        age = now - (current - back + 1)
        level += _hourly_rain(seed, current - back) * _WADI_GAIN * math.exp(-age / _WADI_DRAIN_H)
    level += max(0.0, -3.0 * season(ts))
    return _WADI_OVERFLOW_CM * math.tanh(level / _WADI_OVERFLOW_CM)


def traffic(ts: datetime) -> float:
    """Relative road traffic on and around the park: peaks 7-9 h and 16-18 h on weekdays."""
    wall = local(ts)
    hour = wall.hour + wall.minute / 60
    peaks = math.exp(-(((hour - 8) / 1.1) ** 2)) + 0.9 * math.exp(-(((hour - 17) / 1.3) ** 2))
    daytime = 0.35 if 6 <= hour < 20 else 0.08
    scale = 1.0 if wall.weekday() < 5 else 0.35
    return scale * (daytime + peaks)


def _episode(seed: str, ts: datetime) -> float:
    """Multi-day particulate episodes (stagnant air), stronger in winter: factor 0.6-2.2."""
    days = hours_since_epoch(ts) / 24
    return 0.6 + 1.6 * smooth(seed + "/episode", days / 3) ** 2 * (1.2 - 0.3 * season(ts))


def _washout(seed: str, ts: datetime) -> float:
    return 0.6 if rain_rate(seed, ts) > 0 else 1.0


def no2(seed: str, ts: datetime) -> float:
    """NO2 in µg/m³: a regional background plus local traffic, higher in winter."""
    background = 13 - 4 * season(ts)
    value = (background + 22 * traffic(ts)) * (0.8 + 0.4 * _episode(seed, ts) / 1.4)
    return max(1.0, value * _washout(seed, ts) * (1 + 0.08 * signed(seed, "no2", ts)))


def pm25(seed: str, ts: datetime) -> float:
    """PM2.5 in µg/m³: mostly regional background with episodes, a little from traffic."""
    value = (9.5 - 2.5 * season(ts) + 3 * traffic(ts)) * _episode(seed, ts)
    return max(1.0, value * _washout(seed, ts) * (1 + 0.1 * signed(seed, "pm25", ts)))


def pm10(seed: str, ts: datetime) -> float:
    """PM10 in µg/m³: PM2.5 plus a coarse fraction (road dust, more on dry days)."""
    coarse = 6 + 4 * traffic(ts) + (0 if rain_rate(seed, ts) > 0 else 3)
    return pm25(seed, ts) + coarse * (1 + 0.15 * signed(seed, "pm10", ts))
