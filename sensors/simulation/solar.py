"""The sun's elevation for a time and place, and the clear-sky PV output that follows from it.

Uses the NOAA "general solar position" approximation (fractional year, equation of time and
declination as short Fourier series); within a fraction of a degree for simulated PV.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime


def _fractional_year(ts: datetime) -> tuple[float, float]:
    """(gamma in radians, UTC hour of day) for *ts*."""
    utc = ts.astimezone(UTC)
    hour = utc.hour + utc.minute / 60 + utc.second / 3600
    day = utc.timetuple().tm_yday
    return 2 * math.pi / 365 * (day - 1 + (hour - 12) / 24), hour


def declination(gamma: float) -> float:
    """Solar declination in radians for the fractional year *gamma*."""
    return (0.006918 - 0.399912 * math.cos(gamma) + 0.070257 * math.sin(gamma)
            - 0.006758 * math.cos(2 * gamma) + 0.000907 * math.sin(2 * gamma)
            - 0.002697 * math.cos(3 * gamma) + 0.00148 * math.sin(3 * gamma))


def equation_of_time(gamma: float) -> float:
    """Equation of time in minutes for the fractional year *gamma*."""
    return 229.18 * (0.000075 + 0.001868 * math.cos(gamma) - 0.032077 * math.sin(gamma)
                     - 0.014615 * math.cos(2 * gamma) - 0.040849 * math.sin(2 * gamma))


def solar_elevation(ts: datetime, latitude: float, longitude: float) -> float:
    """Elevation of the sun above the horizon in degrees (negative at night)."""
    gamma, hour = _fractional_year(ts)
    solar_minutes = hour * 60 + equation_of_time(gamma) + 4 * longitude
    hour_angle = math.radians(solar_minutes / 4 - 180)
    lat, decl = math.radians(latitude), declination(gamma)
    cos_zenith = (math.sin(lat) * math.sin(decl)
                  + math.cos(lat) * math.cos(decl) * math.cos(hour_angle))
    return 90 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def clear_sky_fraction(elevation_deg: float) -> float:
    """PV output per kWp under a clear sky at this sun elevation (0 when the sun is down).

    A tilted roof system with about 15 % losses; the exponent makes low sun weaker than the
    sine alone because of the longer path through the air.
    """
    if elevation_deg <= 0:
        return 0.0
    return 0.85 * math.sin(math.radians(elevation_deg)) ** 1.2
