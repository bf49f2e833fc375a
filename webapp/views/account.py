"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required, login_user, logout_user

from .. import db
from ..auth import client_address, find_user_by_email
from ..forms import LoginForm
from ..models.base import utcnow
from ..security import clear_failures, record_failure, throttled, verify_login

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """*target* if it is a path on this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Log in; repeated failures per account or address are throttled with HTTP 429."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        session_db = db.session()
        email = form.email.data.strip().lower()
        address = client_address()
        if throttled(session_db, email, address):
            return render_template("auth/login.html", form=form, throttled=True), 429, {
                "Retry-After": str(current_app.config["LOGIN_WINDOW_SECONDS"])
            }
        user = find_user_by_email(email)
        if not verify_login(user, form.password.data):
            record_failure(session_db, email, address)
            session_db.commit()
            flash(_("E-mail address or password is incorrect."), "error")
            status = 401
        else:
            clear_failures(session_db, email)
            user.last_login_at = utcnow()
            session_db.commit()
            lang = session.get("lang")
            session.clear()  # a fresh session at login: nothing carried over but the language
            if lang:
                session["lang"] = lang
            login_user(user)
            return redirect(safe_next(request.args.get("next")) or url_for("parks.index"))
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Log out (POST with CSRF token, so no other site can log a user out)."""
    logout_user()
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))


