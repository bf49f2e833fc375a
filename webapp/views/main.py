"""Home page, language switch and template helpers."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import format_decimal, get_locale
from flask_login import current_user
from jinja2 import Undefined
from sqlalchemy import func, select

from .. import authz, db
from ..charts import PLOTLY_JS
from ..i18n import (
    FIELD_LABELS,
    ORGANISATION_FORM_LABELS,
    PROGRAMME_ROLE_LABELS,
    REJECTION_LABELS,
    ROLE_LABELS,
)
from ..models import Park
from .account import safe_next

bp = Blueprint("main", __name__)


@bp.route("/")
def home():
    """Landing page with the size of the registry the visitor may see."""
    visible = db.session().scalar(
        select(func.count()).select_from(Park).where(authz.listing_scope(current_user))
    )
    return render_template("main/home.html", visible_parks=visible)


@bp.get("/static/vendor/plotly.min.js")
def plotly_js():
    """plotly.js from the installed plotly package: charts work offline, no CDN."""
    return send_file(PLOTLY_JS, mimetype="text/javascript", max_age=86400)


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str):
    """Switch the interface language (nl or en) and go back where the user was."""
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(safe_next(request.form.get("next")) or url_for("main.home"))


def init_app(app: Flask) -> None:
    """Make labels and authorisation helpers available in every template."""

    @app.context_processor
    def labels():
        return {
            "FIELD_LABELS": FIELD_LABELS,
            "REJECTION_LABELS": REJECTION_LABELS,
            "ORGANISATION_FORM_LABELS": ORGANISATION_FORM_LABELS,
            "PROGRAMME_ROLE_LABELS": PROGRAMME_ROLE_LABELS,
            "ROLE_LABELS": ROLE_LABELS,
            "authz": authz,
            "current_locale": lambda: str(get_locale()),
        }

    @app.template_filter("number")
    def number(value, decimals: int | None = None) -> str:
        """A number in the user's locale: 1.234,5 in Dutch, 1,234.5 in English; '–' if none."""
        if value is None or isinstance(value, Undefined):
            return "–"
        if decimals is None:
            return format_decimal(value)
        return format_decimal(value, format="#,##0." + "0" * decimals)
