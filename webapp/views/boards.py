"""The board of an association: see, add and remove its members.

Coordinators, admins and park managers of a park of the association manage it; for anyone else
the page does not exist (404). Every seat given or taken is audited.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Email, Length

from .. import authz, db
from ..models import Association
from ..services import boards as board_service

bp = Blueprint("boards", __name__)


class BoardMemberForm(FlaskForm):
    """Seat an existing account on the board, by its e-mail address."""

    email = EmailField(_l("E-mail address"), [
        DataRequired(message=_l("E-mail address is required.")),
        Length(max=254, message=_l("E-mail address may be at most 254 characters.")),
        Email(message=_l("E-mail address is not valid."), check_deliverability=False),
    ])


class RemoveSeatForm(FlaskForm):
    """Take a seat off the board (a CSRF-protected button)."""


def _association(association_id: int) -> Association:
    association = board_service.association_for_board(db.session(), current_user,
                                                       association_id)
    if association is None:
        abort(404)
    return association


def _render(association: Association, form: BoardMemberForm, status: int = 200):
    session_db = db.session()
    return render_template(
        "boards/board.html", association=association, form=form, remove_form=RemoveSeatForm(),
        seats=board_service.board_members(session_db, association),
        parks=board_service.association_parks(session_db, association)), status


@bp.get("/associations/<int:association_id>/board")
@login_required
def show(association_id: int):
    """The board members of the association, with a form to add one."""
    return _render(_association(association_id), BoardMemberForm())


_REFUSALS = {
    "unknown_user": _l("No account that may sit on this board has this e-mail address: "
                       "seats go to active users of a member company of this association, "
                       "and nobody can give themselves a seat."),
    "already_member": _l("This person is on the board already."),
}


@bp.post("/associations/<int:association_id>/board")
@login_required
def add(association_id: int):
    """Seat the account with the given e-mail address on the board."""
    association = _association(association_id)
    form = BoardMemberForm()
    if not form.validate_on_submit():
        return _render(association, form, 400)
    session_db = db.session()
    try:
        seat = board_service.add_board_member(session_db, association, form.email.data,
                                              current_user)
    except board_service.BoardError as exc:
        form.email.errors = [*form.email.errors, str(_REFUSALS[exc.code])]
        return _render(association, form, 400)
    session_db.commit()
    flash(_("%(email)s is now on the board.", email=seat.user.email), "success")
    return redirect(url_for("boards.show", association_id=association.id))


@bp.post("/associations/<int:association_id>/board/<int:seat_id>/remove")
@login_required
def remove(association_id: int, seat_id: int):
    """Take a member off the board."""
    association = _association(association_id)
    if not RemoveSeatForm().validate_on_submit():
        abort(400)
    session_db = db.session()
    seat = board_service.remove_board_member(session_db, association, seat_id)
    if seat is None:
        abort(404)
    session_db.commit()
    flash(_("%(email)s is no longer on the board.", email=seat.user.email), "success")
    return redirect(url_for("boards.show", association_id=association.id))


@bp.get("/parks/<slug>/board")
@login_required
def for_park(slug: str):
    """The board page of the park's association (for those who may manage it)."""
    park = authz.park_for_edit(db.session(), current_user, slug)
    if park.association_id is None:
        abort(404)
    return redirect(url_for("boards.show", association_id=_association(park.association_id).id))
