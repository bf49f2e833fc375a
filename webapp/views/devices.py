"""Devices of a park: register, edit, credentials, latest values, charts, dead letters, alerts.

Everything here needs the park in full (managers of the park, its member companies read-only,
coordinators and admins); changes need edit rights. Other parks' devices answer 404.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from sensors.quantities import QUANTITIES, units_for

from .. import authz, db
from ..device_fields import FORMAT_LABELS, quantity_label, rule_label
from ..device_forms import DeviceForm, check_channels, check_registration, flat_errors
from ..models import Device, Park
from ..services import device_data
from ..services import devices as device_service
from ..services.device_alerts import RULES, alert_lists
from ..services.device_dead_letters import (
    CSV_MAX_ROWS,
    dead_letters_stmt,
    export_dead_letters_csv,
    payload_preview,
)
from ..services.parks import paginate
from .device_charts import device_charts
from .device_credentials import (
    credentials_page,
    one_time_secret,
    redirect_to_credentials,
    take_secret,
)
from .device_settings import alert_settings_page

bp = Blueprint("devices", __name__)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _now() -> datetime:
    return datetime.now(UTC)


def _device(park: Park, uid: str) -> Device:
    device = db.session().scalar(select(Device).where(Device.park_id == park.id,
                                                      Device.uid == uid))
    if device is None:
        abort(404)
    return device


def _page_context(park: Park, **extra) -> dict:
    can_edit = authz.can_edit(db.session(), current_user, park)
    return {"park": park, "full": True, "subnav_active": "devices", "can_edit": can_edit,
            "quantity_label": quantity_label, "QUANTITIES": QUANTITIES, "units_for": units_for,
            "FORMAT_LABELS": FORMAT_LABELS, "alert_rule_label": _rule_label, **extra}


def _rule_label(code: str) -> str:
    rule = RULES.get(code)
    return rule_label(rule) if rule else code


@bp.app_template_filter("utc_iso")
def utc_iso(value: datetime | None) -> str:
    """A stored moment as ISO 8601 in UTC with its offset, for <time datetime> ('' if none)."""
    moment = device_data.as_utc(value)
    return moment.isoformat() if moment else ""


@bp.app_template_filter("amsterdam_time")
def amsterdam_time(value: datetime | None, seconds: bool = False) -> str:
    """A UTC moment as Amsterdam wall-clock time, e.g. 2026-11-22 10:00 ('–' if none)."""
    moment = device_data.as_utc(value)
    if moment is None:
        return "–"
    return moment.astimezone(AMSTERDAM).strftime(
        "%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


@bp.get("/parks/<slug>/devices")
def index(slug: str):
    """The park's devices with last seen, status and open alerts."""
    park = authz.park_in_full(db.session(), current_user, slug)
    rows = device_data.device_rows(db.session(), park, _now())
    return render_template("devices/index.html", **_page_context(park, rows=rows))


def _render_form(park: Park, form: DeviceForm, device: Device | None):
    status = 400 if form.is_submitted() else 200
    if not form.is_submitted():
        form.add_blank_rows(3)
    return render_template("devices/form.html", **_page_context(
        park, form=form, device=device, errors=flat_errors(form))), status


@bp.route("/parks/<slug>/devices/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    """Register a device, then show its secret once on the credentials page."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    form = DeviceForm(park)
    if form.validate_on_submit() and _checked(session_db, form, None):
        data = form.clean()
        data["commissioned_at"] = data["commissioned_at"] or _now()
        nonce = device_service.new_secret()
        device, _secret = device_service.create_device(
            session_db, park, data, device_service.channels_from(data["sensors"]),
            secret_for=lambda uid: one_time_secret(uid, nonce))
        session_db.commit()
        flash(_("Device %(name)s is registered.", name=device.name), "success")
        return redirect_to_credentials(park, device, nonce)
    return _render_form(park, form, None)


def _checked(session_db, form: DeviceForm, device: Device | None) -> bool:
    """Every check against stored data, so all their errors show at once."""
    registration_ok = check_registration(session_db, form, device)
    return not check_channels(session_db, form, device) and registration_ok


@bp.route("/parks/<slug>/devices/<uid>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, uid: str):
    """Change a device's settings and field mapping; renamed fields keep their readings."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    device = _device(park, uid)
    form = DeviceForm(park, data=device_service.device_form_data(device))
    if form.validate_on_submit() and _checked(session_db, form, device):
        data = form.clean()
        data["commissioned_at"] = data["commissioned_at"] or device.commissioned_at
        device_service.update_device(session_db, device, data,
                                     device_service.channels_from(data["sensors"]))
        session_db.commit()
        flash(_("Changes to %(name)s are saved.", name=device.name), "success")
        return redirect(url_for("devices.detail", slug=park.slug, uid=device.uid))
    return _render_form(park, form, device)


@bp.post("/parks/<slug>/devices/<uid>/credentials")
@login_required
def credentials(slug: str, uid: str):
    """Give the device a new secret, then show it once on the credentials page.

    The HTTP token changes at once; MQTT follows once the broker's password file is rewritten
    (werklandschap mqtt-credentials) and Mosquitto is reloaded.
    """
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    device = _device(park, uid)
    nonce = device_service.new_secret()
    device_service.issue_credentials(device, one_time_secret(device.uid, nonce))
    session_db.commit()
    return redirect_to_credentials(park, device, nonce)


@bp.get("/parks/<slug>/devices/<uid>/credentials")
@login_required
def show_credentials(slug: str, uid: str):
    """The secret made on the request before, shown this once (a reload shows it no more)."""
    park = authz.park_for_edit(db.session(), current_user, slug)
    device = _device(park, uid)
    secret = take_secret(device)
    if secret is None:
        flash(_("The secret of %(name)s was shown once and is not kept. Lost it? Generate new "
                "credentials.", name=device.name), "info")
        return redirect(url_for("devices.detail", slug=park.slug, uid=device.uid))
    return credentials_page(device, secret, _page_context(park))


@bp.post("/parks/<slug>/devices/<uid>/active")
@login_required
def set_active(slug: str, uid: str):
    """Switch a device off (its messages become dead letters) or on again."""
    session_db = db.session()
    park = authz.park_for_edit(session_db, current_user, slug)
    device = _device(park, uid)
    active = request.form.get("active") == "1"
    device_service.set_active(session_db, device, active)
    session_db.commit()
    flash(_("%(name)s is active again.", name=device.name) if active
          else _("%(name)s is deactivated: its messages are now refused. Until werklandschap "
                 "mqtt-credentials has been run and Mosquitto reloaded, it can still connect "
                 "to the MQTT broker.", name=device.name), "success")
    return redirect(url_for("devices.detail", slug=park.slug, uid=device.uid))


@bp.get("/parks/<slug>/devices/<uid>")
def detail(slug: str, uid: str):
    """A device: its settings, latest value per sensor, charts of a day and a week, alerts."""
    session_db = db.session()
    park = authz.park_in_full(session_db, current_user, slug)
    device = _device(park, uid)
    now = _now()
    latest = device_data.latest_values(session_db, device)
    return render_template("devices/detail.html", **_page_context(
        park, device=device, latest=latest, status=device_data.device_status(device, now),
        refresh_ms=int(current_app.config.get("DEVICE_REFRESH_SECONDS", 10) * 1000),
        charts=device_charts(session_db, device, now),
        alerts=alert_lists(session_db, park, device.id, closed_limit=5),
        dead_letter_count=paginate(session_db, dead_letters_stmt(park.id, device.id), 1,
                                   1).total))


def _dead_letter_page(park: Park, device: Device | None):
    session_db = db.session()
    page = paginate(session_db, dead_letters_stmt(park.id, device.id if device else None),
                    request.args.get("page", 1, type=int), current_app.config["PAGE_SIZE"])
    return render_template("devices/dead_letters.html", **_page_context(
        park, device=device, page=page, preview=payload_preview))


def _dead_letter_csv(park: Park, device: Device | None, name: str) -> Response:
    stmt = dead_letters_stmt(park.id, device.id if device else None).limit(CSV_MAX_ROWS)
    body = export_dead_letters_csv(db.session().scalars(stmt))
    return Response(body, mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename={name}.csv"})


@bp.get("/parks/<slug>/devices/<uid>/dead-letters")
def device_dead_letters(slug: str, uid: str):
    """Rejected messages of one device, newest first, with the reason."""
    park = authz.park_in_full(db.session(), current_user, slug)
    return _dead_letter_page(park, _device(park, uid))


@bp.get("/parks/<slug>/devices/<uid>/dead-letters.csv")
def device_dead_letters_csv(slug: str, uid: str):
    """Rejected messages of one device as CSV."""
    park = authz.park_in_full(db.session(), current_user, slug)
    device = _device(park, uid)
    return _dead_letter_csv(park, device, f"afgewezen-{device.uid}")


@bp.get("/parks/<slug>/dead-letters")
def park_dead_letters(slug: str):
    """Rejected messages of all the park's devices."""
    park = authz.park_in_full(db.session(), current_user, slug)
    return _dead_letter_page(park, None)


@bp.get("/parks/<slug>/dead-letters.csv")
def park_dead_letters_csv(slug: str):
    """Rejected messages of all the park's devices as CSV."""
    park = authz.park_in_full(db.session(), current_user, slug)
    return _dead_letter_csv(park, None, f"afgewezen-{park.slug}")


@bp.get("/parks/<slug>/alerts")
def alerts(slug: str):
    """Open and recently closed alerts of the park's devices."""
    session_db = db.session()
    park = authz.park_in_full(session_db, current_user, slug)
    return render_template("devices/alerts.html", **_page_context(
        park, alerts=alert_lists(session_db, park)))


@bp.route("/parks/<slug>/alerts/settings", methods=["GET", "POST"])
@login_required
def alert_settings(slug: str):
    """The park's own thresholds per alert rule, or a rule switched off."""
    park = authz.park_for_edit(db.session(), current_user, slug)
    return alert_settings_page(park, _page_context(park))
