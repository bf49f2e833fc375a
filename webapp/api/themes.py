"""API v1: the seven themes, indicators, the measure catalogue, theme profiles and values.

Measures, experiments, adoption and the library are in :mod:`webapp.api.theme_measures`, which
registers its routes on the same blueprint.
"""

from __future__ import annotations

from flask import jsonify, request
from werkzeug.datastructures import MultiDict

import themes

from .. import authz, db
from ..errors import ApiError
from ..services import themes as theme_service
from ..theme_fields import PROFILE_KEYS
from ..theme_forms import IndicatorValueForm, ThemeProfileForm
from . import theme_measures
from .base import api_user, bp, json_body, require_login
from .parks import to_formdata
from .theme_measures import FORM_META, validated

__all__ = ["theme_measures"]


def indicator_json(ind: themes.Indicator) -> dict:
    """An indicator of the catalogue as JSON."""
    return {"code": ind.code, "theme": ind.theme, "name_nl": ind.name_nl, "name_en": ind.name_en,
            "unit": ind.unit, "unit_en": ind.unit_for("en"), "direction": ind.direction,
            "min_value": ind.min_value, "max_value": ind.max_value,
            "description_nl": ind.description_nl, "description_en": ind.description_en,
            "sensor_quantity": ind.sensor_quantity}


def criterion_json(crit: themes.Criterion) -> dict:
    """A maturity criterion as JSON."""
    return {"code": crit.code, "level": crit.level, "kind": crit.kind, "text_nl": crit.text_nl,
            "text_en": crit.text_en, "count": crit.count or None,
            "measure_codes": list(crit.measure_codes), "indicator": crit.indicator,
            "threshold": crit.threshold}


def theme_json(theme: themes.Theme) -> dict:
    """A theme with its aims, indicators and criteria as JSON."""
    return {"code": theme.code, "name_nl": theme.name_nl, "name_en": theme.name_en,
            "summary_nl": theme.summary_nl, "summary_en": theme.summary_en,
            "ambitions_nl": list(theme.ambitions_nl), "ambitions_en": list(theme.ambitions_en),
            "indicators": [indicator_json(i) for i in themes.indicators_for(theme.code)],
            "criteria": [criterion_json(c) for c in themes.criteria_for(theme.code)]}


def catalogue_json(measure: themes.CatalogueMeasure) -> dict:
    """A catalogue measure as JSON."""
    return {"code": measure.code, "name_nl": measure.name_nl, "name_en": measure.name_en,
            "description_nl": measure.description_nl, "description_en": measure.description_en,
            "themes": list(measure.themes)}


@bp.get("/themes")
def list_themes():
    """The seven themes, with their indicators and maturity criteria."""
    return jsonify({"items": [theme_json(t) for t in themes.THEMES],
                    "levels": [{"number": lv.number, "name_nl": lv.name_nl,
                                "name_en": lv.name_en, "description_nl": lv.description_nl,
                                "description_en": lv.description_en} for lv in themes.LEVELS]})


@bp.get("/themes/<code>")
def get_theme(code: str):
    """One theme."""
    try:
        return jsonify(theme_json(themes.theme(code)))
    except KeyError as exc:
        raise ApiError(404, "No such theme.", code="not_found") from exc


@bp.get("/indicators")
def list_indicators():
    """The indicators of all themes (?theme= for one)."""
    code = request.args.get("theme", "")
    items = themes.INDICATORS if not code else _for_theme(themes.indicators_for, code)
    return jsonify({"items": [indicator_json(i) for i in items]})


@bp.get("/catalogue/measures")
def list_catalogue():
    """The standard measures of the catalogue (?theme= for those serving one theme)."""
    code = request.args.get("theme", "")
    items = themes.MEASURES if not code else _for_theme(themes.measures_for, code)
    return jsonify({"items": [catalogue_json(m) for m in items]})


def _for_theme(lookup, code: str):
    try:
        return lookup(code)
    except KeyError as exc:
        raise ApiError(400, "Unknown theme.", code="validation_error",
                       fields={"theme": "Unknown theme."}) from exc


def reason_json(reason: themes.Reason) -> dict:
    """One criterion's verdict for a park, with the evidence in both languages."""
    return {"criterion": reason.criterion.code, "level": reason.criterion.level,
            "kind": reason.criterion.kind, "met": reason.met,
            "text_nl": reason.criterion.text_nl, "text_en": reason.criterion.text_en,
            "detail_nl": reason.detail_nl, "detail_en": reason.detail_en}


def _profile_json(park) -> dict:
    standings = theme_service.park_compass(db.session(), park)
    return {"park": park.slug, "themes": [{
        "theme": s.theme.code, "baseline_level": s.baseline, "baseline_year": s.baseline_year,
        "current_level": s.current, "ambition_level": s.ambition,
        "ambition_year": s.ambition_year,
        "reasons": [reason_json(r) for r in s.assessment.reasons],
    } for s in standings]}


@bp.get("/parks/<slug>/themes")
def get_park_themes(slug: str):
    """A park's theme profile with the current level per theme and the reasons for it."""
    park = theme_service.park_for_section(db.session(), api_user(), slug, "themes")
    return jsonify(_profile_json(park))


def _profile_input(data: dict, base: dict[str, dict]) -> MultiDict:
    given = data.get("themes")
    if set(data) - {"themes"} or not isinstance(given, dict):
        raise ApiError(400, "Send {\"themes\": {theme code: {...}}}.", code="validation_error",
                       fields={"themes": "Required: an object keyed by theme code."})
    fields = {}
    for code, values in given.items():
        if code not in themes.THEME_CODES or not isinstance(values, dict):
            fields[f"themes.{code}"] = "Unknown theme, or not an object."
            continue
        fields.update({f"themes.{code}.{k}": "Unknown field." for k in set(values) -
                       set(PROFILE_KEYS)})
        base[code] = {**base[code], **values}
    if fields:
        raise ApiError(400, "The input is not valid.", code="validation_error", fields=fields)
    flat = ThemeProfileForm.flatten(base)
    return to_formdata(flat, set(flat))


def _save_profile(slug: str, replace: bool):
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    base = ({code: {"baseline_level": 0} for code in themes.THEME_CODES} if replace
            else theme_service.profile_form_data(session_db, park))
    form = ThemeProfileForm(formdata=_profile_input(json_body(), base), meta=FORM_META)
    if not form.validate():
        raise ApiError(400, "The input is not valid.", code="validation_error", fields={
            "themes." + k.replace("_", ".", 1): " ".join(str(m) for m in v)
            for k, v in form.errors.items()})
    theme_service.update_profiles(session_db, park, form.profile_data())
    session_db.commit()
    return jsonify(_profile_json(park))


@bp.put("/parks/<slug>/themes")
def replace_park_themes(slug: str):
    """Set baseline and ambition of every theme; themes left out go back to level 0, no aim."""
    return _save_profile(slug, replace=True)


@bp.patch("/parks/<slug>/themes")
def update_park_themes(slug: str):
    """Change baseline or ambition of some themes; what is left out stays."""
    return _save_profile(slug, replace=False)


def value_json(value) -> dict:
    """An indicator value as JSON."""
    return {"id": value.id, "indicator": value.indicator, "value": value.value,
            "measured_on": value.measured_on.isoformat(), "source": value.source,
            "is_measured": value.is_measured, "note": value.note}


@bp.get("/parks/<slug>/indicator-values")
def list_indicator_values(slug: str):
    """A park's indicator values, newest first (?indicator= for one), with the latest per code."""
    session_db = db.session()
    park = theme_service.park_for_section(session_db, api_user(), slug, "themes")
    code = request.args.get("indicator") or None
    values = theme_service.list_indicator_values(session_db, park, code)
    latest = theme_service.latest_values(session_db, park)
    return jsonify({"items": [value_json(v) for v in values],
                    "latest": {k: value_json(v) for k, v in latest.items()}})


@bp.post("/parks/<slug>/indicator-values")
def create_indicator_value(slug: str):
    """Record a hand-entered indicator value."""
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    allowed = {"indicator", "value", "measured_on", "is_measured", "note"}
    data = {"measured_on": theme_service.today_amsterdam().isoformat(), **json_body()}
    form = IndicatorValueForm(formdata=to_formdata(data, allowed), meta=FORM_META)
    validated(form)
    value = theme_service.add_indicator_value(session_db, park, form.data, api_user())
    session_db.commit()
    response = jsonify(value_json(value))
    response.status_code = 201
    return response
