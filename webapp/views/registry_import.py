"""Upload page for a national list of parks as CSV (coordinators and admins)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import authz, db
from ..forms import ImportForm
from ..services.registry_csv import import_parks

bp = Blueprint("registry_import", __name__, url_prefix="/import")


@bp.route("/parks", methods=["GET", "POST"])
@login_required
def upload():
    """Import parks from CSV, all or nothing, listing every row and column that is wrong."""
    if not authz.can_import_parks(current_user):
        abort(404)
    form = ImportForm()
    result = None
    if form.validate_on_submit():
        session_db = db.session()
        result = import_parks(session_db, form.file.data.read(), form.number_mode.data)
        if result.ok:
            session_db.commit()
            flash(_("Import done: %(created)d parks added, %(updated)d updated.",
                    created=result.created, updated=result.updated), "success")
            return redirect(url_for("parks.index"))
        session_db.rollback()
    status = 400 if form.is_submitted() else 200
    return render_template("imports/parks.html", form=form, result=result), status
