"""The page where a park sets its own alert thresholds, or switches rules off."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import db
from ..device_fields import rule_label, rule_source
from ..device_forms import override_form
from ..models import Park
from ..services.device_alerts import RULES, RuleSetting, alert_overrides, save_alert_overrides


def _initial(overrides: dict[str, float | None]) -> dict:
    data = {}
    for code, threshold in overrides.items():
        data[f"{code}__off"] = threshold is None
        data[f"{code}__threshold"] = threshold
    return data


def _settings(form) -> dict[str, RuleSetting]:
    settings = {}
    for code in RULES:
        threshold = form[f"{code}__threshold"].data
        settings[code] = RuleSetting(off=bool(form[f"{code}__off"].data),
                                     threshold=None if threshold is None else float(threshold))
    return settings


def alert_settings_page(park: Park, context: dict):
    """Show (GET) or save (POST) the park's alert rule settings."""
    session_db = db.session()
    form = override_form()(data=_initial(alert_overrides(session_db, park)))
    if form.validate_on_submit():
        save_alert_overrides(session_db, park, _settings(form))
        session_db.commit()
        flash(_("Alert settings of %(name)s are saved.", name=park.name), "success")
        return redirect(url_for("devices.alerts", slug=park.slug))
    rules = [(rule, rule_label(rule), rule_source(rule), form[f"{code}__threshold"],
              form[f"{code}__off"])
             for code, rule in RULES.items()]
    status = 400 if form.is_submitted() else 200
    return render_template("devices/alert_settings.html", form=form, rules=rules,
                           **context), status
