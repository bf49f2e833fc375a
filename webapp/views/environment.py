"""Environment pages of a park: water, heat and air quality from its sensors.

For those who see the park in full (park managers of the park, members of its companies,
coordinators and admins); anyone else gets 404. A period picker chooses an Amsterdam day, week,
month or year; every figure comes with the previous period's, and every chart's data downloads
as CSV or Excel.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from sensors.analytics import climate
from sensors.analytics.periods import KINDS, Period
from sensors.quantities import QUANTITIES

from .. import authz, db
from ..charts import to_html
from ..charts.environment import ChartSpec, ReferenceLine, environment_figure
from ..exports import FORMATS, table_response
from ..models import Park
from ..services.environment_data import (
    DOMAINS,
    FIRST_YEAR,
    LAST_YEAR,
    QUANTITY_OF,
    VALUES,
    PeriodOutOfRange,
    Window,
    WindowError,
    allowed_resolutions,
    check_resolution,
    parse_period,
    period_window,
)
from ..services.environment_exports import STAT_LABELS, series_table, summary_table
from ..services.environment_reports import COMPARED, EnvironmentReport, build_report
from ..services.themes import today_amsterdam

bp = Blueprint("environment", __name__)

DOMAIN_TITLES = {"water": _l("Water"), "heat": _l("Heat"), "air": _l("Air quality")}
KEY_TITLES = {"rainfall": _l("Rainfall"), "water_level": _l("Water level"),
              "water_use": _l("Water use"), "temperature": _l("Temperature"),
              "pm25": _l("Fine particulates (PM2.5)"), "pm10": _l("Particulates (PM10)"),
              "no2": _l("Nitrogen dioxide (NO2)")}
RESOLUTION_LABELS = {"15m": _l("per 15 minutes"), "1h": _l("per hour"), "1d": _l("per day"),
                     "1mo": _l("per month")}
_AIR_COLUMNS = ("mean", "who_annual", "exceedance_days", "max_daily_mean", "days")
# The figures in each key's table, in order (labels in environment_exports.STAT_LABELS).
TABLE_COLUMNS = {
    "rainfall": ("total_mm", "wettest_day_mm", "wettest_day"),
    "water_level": ("max_cm", "max_at", "limit_cm", "margin_cm", "above_limit", "min_cm",
                    "mean_cm"),
    "water_use": ("total_m3", "per_day_m3", "days"),
    "temperature": ("warning_hours", "alarm_hours", "mean_c", "min_c", "max_c", "hours"),
    "pm25": _AIR_COLUMNS, "pm10": _AIR_COLUMNS, "no2": _AIR_COLUMNS,
}
KIND_LABELS = {"day": _l("Day"), "week": _l("Week"), "month": _l("Month"), "year": _l("Year")}


@dataclass(frozen=True)
class ChartBlock:
    """One chart on the page: key, heading, HTML (empty when there is no data) and downloads."""

    key: str
    title: str
    html: str
    empty: bool
    downloads: dict[str, str]


def _lang() -> str:
    return str(get_locale() or "nl")


def _reference_lines(report: EnvironmentReport, key: str) -> list[ReferenceLine]:
    if key in climate.WHO_24H:
        level = climate.WHO_24H[key]
        return [ReferenceLine(level, _("WHO 24-hour guideline: %(v)s µg/m³", v=f"{level:g}"))]
    if key == "temperature":
        return [ReferenceLine(climate.HEAT_WARNING_C, _("Heat stress 27 °C"), "#d08a1e"),
                ReferenceLine(climate.HEAT_ALARM_C, _("Heat stress 30 °C"), "#c0392b")]
    if key == "water_level":
        limits = sorted({s.limit_cm for s in report.sensors_for(key) if s.limit_cm is not None})
        return [ReferenceLine(v, _("Limit %(v)s cm", v=f"{v:g}")) for v in limits]
    return []


def _chart(park: Park, report: EnvironmentReport, key: str, args: dict) -> ChartBlock:
    sensors = report.sensors_for(key)
    rows = report.series_for(key)
    unit = QUANTITIES[QUANTITY_OF[key]].unit
    title = f"{KEY_TITLES[key]} ({unit}, {RESOLUTION_LABELS[report.window.resolution]})"
    html = ""
    if not rows.empty:
        spec = ChartSpec(key, unit, [(s.id, s.label) for s in sensors],
                         _reference_lines(report, key), report.window.buckets())
        html = to_html(environment_figure(spec, rows, _("No data in this period.")),
                       f"env-chart-{key}")
    downloads = {fmt: url_for("environment.export", slug=park.slug, domain=report.domain,
                              key=key, fmt=fmt, **args) for fmt in FORMATS}
    return ChartBlock(key, title, html, rows.empty, downloads)


def _picker(park: Park, domain: str, window: Window, args: dict) -> dict:
    period = window.period
    assert period is not None

    def link(target: Period) -> str:
        return url_for("environment.tab", slug=park.slug, domain=domain,
                       **{**args, "period": target.kind, "at": target.key()})

    today = Period.containing(period.kind, today_amsterdam())
    return {"period": period, "label": period.label(_lang()), "kinds": KINDS,
            "kind_labels": KIND_LABELS, "resolutions": allowed_resolutions(period.kind),
            "resolution_labels": RESOLUTION_LABELS, "resolution": args.get("resolution", ""),
            "previous_url": link(period.previous()), "next_url": link(period.next()),
            "today_url": link(today), "previous_label": period.previous().label(_lang())}


def _window(domain: str) -> tuple[Window, str | None, dict]:
    """The requested window, an error message naming the bad field, and the query to keep.

    After an error the page shows what it can: the current period for a bad period or date,
    the asked period at its default resolution for a bad resolution.
    """
    args = {k: request.args[k] for k in ("period", "at", "resolution") if request.args.get(k)}
    error = None
    try:
        period = parse_period(args.get("period"), args.get("at"), today_amsterdam())
    except WindowError as exc:
        kind = args.get("period") if args.get("period") in KINDS else "week"
        period, error = Period.containing(kind, today_amsterdam()), _field_error(exc)
    try:
        window = period_window(domain, period, check_resolution(args.get("resolution")))
    except WindowError as exc:
        window, error = period_window(domain, period), error or _field_error(exc)
    keep = {"period": period.kind, "at": period.key()}
    if error is None and "resolution" in args:
        keep["resolution"] = args["resolution"]
    return window, error, keep


def _field_error(exc: WindowError) -> str:
    if exc.field == "period":
        return _("Period: choose day, week, month or year.")
    if isinstance(exc, PeriodOutOfRange):
        return _("Date: give a date or period between %(first)d and %(last)d.",
                 first=FIRST_YEAR, last=LAST_YEAR)
    if exc.field == "at":
        return _("Date: give a date (YYYY-MM-DD) or a period such as 2026-W43, 2026-10 or "
                 "2026.")
    return _("Resolution: per 15 minutes only for a day, per month only for a month or year.")


def _page(slug: str, domain: str):
    session_db = db.session()
    park = authz.park_in_full(session_db, current_user, slug)
    window, error, args = _window(domain)
    report = build_report(session_db, park, domain, window)
    charts = [_chart(park, report, key, args) for key in report.keys]
    summary_downloads = {fmt: url_for("environment.export", slug=park.slug, domain=domain,
                                      key="summary", fmt=fmt, **args) for fmt in FORMATS}
    html = render_template(
        "environment/page.html", park=park, full=True, subnav_active="environment",
        domain=domain, domains=DOMAINS, domain_titles=DOMAIN_TITLES, key_titles=KEY_TITLES,
        report=report, charts=charts, picker=_picker(park, domain, window, args), error=error,
        summary_downloads=summary_downloads, who_24h=climate.WHO_24H,
        who_annual=climate.WHO_ANNUAL, columns=TABLE_COLUMNS, compared=COMPARED,
        stat_labels=STAT_LABELS)
    return html, 400 if error else 200


@bp.get("/parks/<slug>/environment")
def index(slug: str):
    """The park's water page (the first environment tab)."""
    return _page(slug, "water")


@bp.get("/parks/<slug>/environment/<any(water, heat, air):domain>")
def tab(slug: str, domain: str):
    """One environment tab: water, heat or air quality."""
    return _page(slug, domain)


@bp.get("/parks/<slug>/environment/<any(water, heat, air):domain>/<key>.<fmt>")
def export(slug: str, domain: str, key: str, fmt: str):
    """One chart's data (or the figures table, key "summary") as CSV or XLSX."""
    session_db = db.session()
    park = authz.park_in_full(session_db, current_user, slug)
    if fmt not in FORMATS or (key != "summary" and key not in VALUES[domain]):
        abort(404)
    window, error, _args = _window(domain)
    if error:
        abort(400)
    keys = VALUES[domain] if key == "summary" else (key,)
    report = build_report(session_db, park, domain, window, keys)
    headers, rows = summary_table(report) if key == "summary" else series_table(report, key)
    stem = f"{park.slug}-{key}-{window.period.key() if window.period else 'range'}"
    return table_response(stem, headers, rows, fmt)
