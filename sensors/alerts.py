"""Alert rules: when a measured value (or a silent device) deserves a park manager's attention.

Each rule compares one window of one quantity (the latest value, the hourly mean or the 24-hour
mean) with a threshold. Parks may override thresholds per rule code, or switch a rule off. The
functions here only decide; storing, de-duplicating and notifying is the caller's job.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

Window = Literal["24h_mean", "1h_mean", "instant"]
Severity = Literal["warning", "alarm"]
WINDOWS: tuple[str, ...] = ("instant", "1h_mean", "24h_mean")
SILENT_CODE = "device_silent"


@dataclass(frozen=True)
class AlertRule:
    """One threshold on one quantity.

    *threshold* is in the quantity's canonical unit; for ``device_silent`` it is a multiple of
    the device's reporting interval. With ``per_device`` the device's own limit (when set)
    replaces the threshold, and a rule whose threshold is ``None`` needs that limit to fire.
    ``inclusive`` makes the value reaching the threshold enough (``>=``); otherwise it has to
    exceed it (``>``). *source_nl* / *source_en* say where the threshold comes from.
    """

    code: str
    quantity: str
    threshold: float | None
    window: Window
    severity: Severity
    name_nl: str
    name_en: str
    source_nl: str
    source_en: str
    unit: str = ""
    inclusive: bool = False
    per_device: bool = False


@dataclass(frozen=True)
class AlertHit:
    """A rule that fired: the value that triggered it and a message in Dutch and English."""

    rule_code: str
    severity: Severity
    value: float
    threshold: float
    message_nl: str
    message_en: str


_WHO = ("WHO-richtlijnen voor luchtkwaliteit (2021), advieswaarde voor 24 uur",
        "WHO Global Air Quality Guidelines (2021), 24-hour guideline level")

DEFAULT_RULES: tuple[AlertRule, ...] = (
    AlertRule("who_pm25_24h", "pm25", 15.0, "24h_mean", "warning",
              "Fijnstof PM2,5 boven WHO-advieswaarde", "PM2.5 above WHO guideline", *_WHO, "µg/m³"),
    AlertRule("who_pm10_24h", "pm10", 45.0, "24h_mean", "warning",
              "Fijnstof PM10 boven WHO-advieswaarde", "PM10 above WHO guideline", *_WHO, "µg/m³"),
    AlertRule("who_no2_24h", "no2", 25.0, "24h_mean", "warning",
              "Stikstofdioxide boven WHO-advieswaarde", "NO2 above WHO guideline", *_WHO, "µg/m³"),
    AlertRule("co2_indoor", "co2", 1000.0, "instant", "warning",
              "CO2 binnen te hoog: ventileren", "Indoor CO2 too high: ventilate",
              "Gangbare richtlijn voor binnenlucht (Pettenkofer-waarde): boven 1.000 ppm is een "
              "ruimte slecht geventileerd",
              "Common indoor-air guideline (Pettenkofer value): above 1,000 ppm a room counts "
              "as poorly ventilated", "ppm"),
    AlertRule("heat_stress_warning", "temperature", 27.0, "1h_mean", "warning",
              "Hittestress: 27 °C of warmer", "Heat stress: 27 °C or warmer",
              "Nationaal Hitteplan: treedt in werking als het KNMI enkele dagen van 27 °C of "
              "meer verwacht",
              "Dutch National Heat Plan: it is activated when KNMI expects several days of "
              "27 °C or more", "°C", inclusive=True),
    AlertRule("heat_stress_alarm", "temperature", 30.0, "1h_mean", "alarm",
              "Hittestress: tropische temperatuur (30 °C of warmer)",
              "Heat stress: tropical temperature (30 °C or warmer)",
              "Het KNMI noemt een dag met een maximum van 30 °C of meer een tropische dag",
              "KNMI calls a day with a maximum of 30 °C or more a tropical day", "°C",
              inclusive=True),
    AlertRule("water_level_high", "water_level", None, "instant", "alarm",
              "Waterstand boven de grens", "Water level above its limit",
              "Per apparaat in te stellen (bijv. de overloophoogte van een wadi of de grens van "
              "het waterschap); zonder grens geen melding",
              "Set per device (e.g. the overflow height of a wadi or the water board's limit); "
              "no alert without a limit", "cm", per_device=True),
    AlertRule(SILENT_CODE, "", 3.0, "instant", "warning",
              "Apparaat stuurt geen gegevens", "Device silent",
              "Regel van het platform: drie verzendintervallen van het apparaat geen gegevens",
              "Platform rule: no data for 3 reporting intervals of the device"),
)


def effective_rules(
    overrides: Mapping[str, float | None], rules: Iterable[AlertRule] = DEFAULT_RULES
) -> list[AlertRule]:
    """The rules of one park: *overrides* maps a rule code to its threshold, ``None`` disables.

    An unknown code is an error rather than silently ignored, so a typo cannot switch nothing on.
    """
    rules = list(rules)
    unknown = set(overrides) - {rule.code for rule in rules}
    if unknown:
        raise ValueError(f"unknown alert rule code(s): {', '.join(sorted(unknown))}")
    result: list[AlertRule] = []
    for rule in rules:
        if rule.code not in overrides:
            result.append(rule)
        elif overrides[rule.code] is not None:
            result.append(replace(rule, threshold=float(overrides[rule.code])))
    return result


def _threshold(rule: AlertRule, device_limit: float | None) -> float | None:
    if rule.per_device and device_limit is not None:
        return device_limit
    return rule.threshold


def _exceeds(rule: AlertRule, value: float, threshold: float) -> bool:
    return value >= threshold if rule.inclusive else value > threshold


def _nl(number: float) -> str:
    """A number the Dutch way: decimal comma, no needless trailing zeros."""
    return _en(number).replace(".", ",")


def _en(number: float) -> str:
    """A number with at most two decimals, no needless trailing zeros."""
    return f"{number:.2f}".rstrip("0").rstrip(".")


_WINDOW_NL = {"instant": "actueel", "1h_mean": "uurgemiddelde", "24h_mean": "24-uursgemiddelde"}
_WINDOW_EN = {"instant": "latest", "1h_mean": "hourly mean", "24h_mean": "24-hour mean"}


def _hit(rule: AlertRule, value: float, threshold: float) -> AlertHit:
    unit = f" {rule.unit}" if rule.unit else ""
    return AlertHit(
        rule_code=rule.code, severity=rule.severity, value=value, threshold=threshold,
        message_nl=f"{rule.name_nl}: {_WINDOW_NL[rule.window]} {_nl(value)}{unit} "
                   f"(grens {_nl(threshold)}{unit})",
        message_en=f"{rule.name_en}: {_WINDOW_EN[rule.window]} {_en(value)}{unit} "
                   f"(limit {_en(threshold)}{unit})",
    )


def evaluate(
    quantity: str,
    window_values: Mapping[str, float | None],
    rules: Iterable[AlertRule],
    device_limit: float | None = None,
) -> list[AlertHit]:
    """Every rule on *quantity* that the current window values break.

    *window_values* maps ``"instant"``, ``"1h_mean"`` and ``"24h_mean"`` to a value in the
    canonical unit, or ``None`` (or leaves it out) when there is not enough data for it.
    """
    hits: list[AlertHit] = []
    for rule in rules:
        if rule.code == SILENT_CODE or rule.quantity != quantity:
            continue
        value = window_values.get(rule.window)
        threshold = _threshold(rule, device_limit)
        if value is not None and threshold is not None and _exceeds(rule, value, threshold):
            hits.append(_hit(rule, value, threshold))
    return hits


def is_silent(
    last_seen: datetime | None, interval_s: float, now: datetime, factor: float = 3.0
) -> bool:
    """Whether a device has sent nothing for more than *factor* reporting intervals.

    A device never heard from (``last_seen`` is ``None``) counts as silent; pass its
    commissioning time instead to give a new device a grace period.
    """
    if last_seen is None:
        return True
    return (now - last_seen).total_seconds() > factor * interval_s


def silent_hit(
    last_seen: datetime,
    interval_s: float,
    now: datetime,
    rules: Iterable[AlertRule] = DEFAULT_RULES,
) -> AlertHit | None:
    """The ``device_silent`` hit for a device, or ``None`` when it reports (or the rule is off).

    For a device never heard from, pass its commissioning time as *last_seen*. Value and
    threshold are in minutes: how long the device has been quiet, and the limit.
    """
    rule = next((rule for rule in rules if rule.code == SILENT_CODE), None)
    if rule is None or rule.threshold is None:
        return None
    if not is_silent(last_seen, interval_s, now, rule.threshold):
        return None
    quiet = (now - last_seen).total_seconds() / 60
    limit = rule.threshold * interval_s / 60
    return AlertHit(
        rule.code, rule.severity, quiet, limit,
        f"{rule.name_nl}: {_nl(quiet)} minuten stil (grens {_nl(limit)} minuten)",
        f"{rule.name_en}: quiet for {_en(quiet)} minutes (limit {_en(limit)} minutes)",
    )
