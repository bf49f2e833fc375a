"""The association board page: who may see and change it, adding and removing seats, audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import count, csrf_token_from, in_db
from tests.webapp.test_energy_support import fill, make_meter, quarters, share
from webapp.models import Association, AuditEntry, BoardMembership
from webapp.services import boards as board_service
from webapp.views import boards


@pytest.fixture(autouse=True)
def board_pages(app):
    """The boards blueprint, until webapp/views/__init__.py registers it."""
    if "boards" not in app.blueprints:
        app.register_blueprint(boards.bp)


@pytest.fixture
def world(app, make_park, make_company, make_user):
    """Association A with parks P1, P2; park Q of association B; people of each."""
    def associations(session_db):
        first, second = Association(name="Vereniging A"), Association(name="Vereniging B")
        session_db.add_all([first, second])
        session_db.flush()
        return first.id, second.id

    a_id, b_id = in_db(app, associations)
    p1 = make_park(association_id=a_id)
    p2 = make_park(association_id=a_id)
    q = make_park(association_id=b_id)
    c1, cq = make_company(p1), make_company(q)
    people = {
        "admin": make_user("admin"), "coordinator": make_user("coordinator"),
        "manager_p2": make_user("park_manager", parks=[p2]),
        "manager_q": make_user("park_manager", parks=[q]),
        "member_p1": make_user("member", company=c1),
        "member_q": make_user("member", company=cq),
        "manager_p1": make_user("park_manager", parks=[p1]),
        "manager_p1_company": make_user("park_manager", parks=[p1], company=c1),
        "member_none": make_user("member"),
    }
    return {"a": a_id, "b": b_id, "p1": p1, "p2": p2, "q": q, **people}


def seat(app, association_id: int, user) -> int:
    def add(session_db):
        row = BoardMembership(association_id=association_id, user_id=user.id)
        session_db.add(row)
        session_db.flush()
        return row.id

    return in_db(app, add)


def seated(app, association_id: int) -> list[str]:
    def emails(session_db):
        rows = session_db.scalars(select(BoardMembership).where(
            BoardMembership.association_id == association_id))
        return sorted(row.user.email for row in rows)

    return in_db(app, emails)


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("coordinator", 200), ("manager_p2", 200),
    ("manager_q", 404), ("member_p1", 404), ("member_q", 404),
])
def test_who_sees_the_board_page(client, login, world, who, status):
    login(world[who])
    assert client.get(f"/associations/{world['a']}/board").status_code == status


def test_a_board_member_who_is_a_member_does_not_manage_it(app, client, login, world):
    seat(app, world["a"], world["member_p1"])
    login(world["member_p1"])
    assert client.get(f"/associations/{world['a']}/board").status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(f"/associations/{world['a']}/board")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_unknown_association_is_404(client, login, world):
    login(world["admin"])
    assert client.get("/associations/999999/board").status_code == 404


@pytest.mark.parametrize(("who", "park", "status"), [
    ("manager_p2", "p2", 302), ("manager_p2", "p1", 404), ("manager_q", "p1", 404),
    ("member_p1", "p1", 404), ("coordinator", "p1", 302)])
def test_park_link_leads_to_its_associations_board(client, login, world, who, park, status):
    login(world[who])
    response = client.get(f"/parks/{world[park].slug}/board")
    assert response.status_code == status
    if status == 302:
        assert response.headers["Location"].endswith(f"/associations/{world['a']}/board")


def test_page_lists_the_seats(app, client, login, world):
    seat(app, world["a"], world["member_p1"])
    login(world["manager_p2"])
    html = client.get(f"/associations/{world['a']}/board").get_data(as_text=True)
    assert world["member_p1"].email in html
    assert "Vereniging A" in html


@pytest.mark.parametrize(("who", "email_of", "status", "seated_after"), [
    ("manager_p2", "member_p1", 302, ["member_p1"]),     # a user of a company of the park
    ("coordinator", "member_p1", 302, ["member_p1"]),
    ("admin", "member_p1", 302, ["member_p1"]),
    ("manager_p2", "manager_p2", 400, []),               # nobody seats themselves
    ("manager_p2", "manager_p1", 400, []),               # park managers get no seat
    ("manager_p2", "manager_p1_company", 400, []),       # ... not even with a company
    ("manager_p2", "member_q", 400, []),                 # someone of another association
    ("manager_p2", "member_none", 400, []),              # a member without a company
    ("manager_p2", "coordinator", 400, []),              # the programme sees it all anyway
    ("coordinator", "coordinator", 400, []),
    ("coordinator", "admin", 400, []),
    ("admin", "manager_p2", 400, []),
    ("admin", "member_q", 400, []),
    ("manager_q", "member_p1", 404, []),                 # not theirs to manage
    ("member_p1", "member_p1", 404, []),
])
def test_adding_a_seat(app, client, login, world, who, email_of, status, seated_after):
    login(world[who])
    response = client.post(f"/associations/{world['a']}/board",
                           data={"email": world[email_of].email.upper()})
    assert response.status_code == status
    assert seated(app, world["a"]) == sorted(world[n].email for n in seated_after)


@pytest.mark.parametrize(("email", "message"), [
    ("", "id=\"email-error\""), ("not-an-address", "id=\"email-error\""),
    ("nobody@example.nl", "id=\"email-error\""),
])
def test_refusals_name_the_field(app, client, login, world, email, message):
    login(world["manager_p2"])
    response = client.post(f"/associations/{world['a']}/board", data={"email": email})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert seated(app, world["a"]) == []


def test_not_eligible_and_unknown_get_the_same_answer(app, client, login, world):
    login(world["manager_p2"])
    url = f"/associations/{world['a']}/board"

    def error_of(email: str) -> str:
        html = client.post(url, data={"email": email}).get_data(as_text=True)
        return html.split('id="email-error"', 1)[1].split("</", 1)[0]

    assert error_of(world["manager_p1"].email) == error_of("nobody@example.nl")


def test_nobody_seats_themselves_in_the_service(app, world):
    def try_self_seat(session_db) -> str:
        association = session_db.get(Association, world["a"])
        member = session_db.get(type(world["member_p1"]), world["member_p1"].id)
        with pytest.raises(board_service.BoardError) as refused:
            board_service.add_board_member(session_db, association, member.email, member)
        return refused.value.code

    assert in_db(app, try_self_seat) == "unknown_user"
    assert seated(app, world["a"]) == []


def test_a_park_manager_cannot_see_board_meters_by_name(app, client, login, make_park,
                                                        make_company, make_user):
    def association(session_db) -> int:
        row = Association(name="OV Geheim")
        session_db.add(row)
        session_db.flush()
        return row.id

    a_id = in_db(app, association)
    park = make_park(association_id=a_id)
    meter = make_meter(app, park, make_company(park, name="Geheim BV"))
    fill(app, meter, "import", quarters(date(2026, 6, 10)), 1.0)
    share(app, meter, "board")
    manager = make_user("park_manager", parks=[park])
    login(manager)
    assert client.post(f"/associations/{a_id}/board",
                       data={"email": manager.email}).status_code == 400
    page = client.get(f"/parks/{park.slug}/energy?kind=day&date=2026-06-10")
    assert page.status_code == 200
    assert "Geheim BV" not in page.get_data(as_text=True)


def test_seating_twice_is_refused(app, client, login, world):
    seat(app, world["a"], world["member_p1"])
    login(world["manager_p2"])
    response = client.post(f"/associations/{world['a']}/board",
                           data={"email": world["member_p1"].email})
    assert response.status_code == 400
    assert seated(app, world["a"]) == [world["member_p1"].email]


def test_an_inactive_account_gets_no_seat(app, client, login, world):
    in_db(app, lambda s: setattr(s.get(type(world["member_p1"]), world["member_p1"].id),
                                 "active", False))
    login(world["manager_p2"])
    response = client.post(f"/associations/{world['a']}/board",
                           data={"email": world["member_p1"].email})
    assert response.status_code == 400


@pytest.mark.parametrize(("who", "status", "left"), [
    ("manager_p2", 302, 0), ("coordinator", 302, 0), ("manager_q", 404, 1),
    ("member_p1", 404, 1),
])
def test_removing_a_seat(app, client, login, world, who, status, left):
    seat_id = seat(app, world["a"], world["member_p1"])
    login(world[who])
    response = client.post(f"/associations/{world['a']}/board/{seat_id}/remove")
    assert response.status_code == status
    assert len(seated(app, world["a"])) == left


def test_a_seat_of_another_association_cannot_be_removed_here(app, client, login, world):
    other = seat(app, world["b"], world["member_q"])
    login(world["manager_p2"])
    response = client.post(f"/associations/{world['a']}/board/{other}/remove")
    assert response.status_code == 404
    assert seated(app, world["b"]) == [world["member_q"].email]


def test_changes_are_audited(app, client, login, world):
    login(world["manager_p2"])
    client.post(f"/associations/{world['a']}/board", data={"email": world["member_p1"].email})
    seat_id = in_db(app, lambda s: s.scalar(select(BoardMembership.id)))
    client.post(f"/associations/{world['a']}/board/{seat_id}/remove")
    actions = in_db(app, lambda s: s.execute(
        select(AuditEntry.action, AuditEntry.actor).where(
            AuditEntry.entity == "board_membership").order_by(AuditEntry.id)).all())
    assert [tuple(a) for a in actions] == [("create", world["manager_p2"].email),
                                          ("delete", world["manager_p2"].email)]


def test_forms_need_the_csrf_token(app, csrf_app, client, login, world):
    seat_id = seat(app, world["a"], world["member_p1"])
    login_page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"email": world["manager_p2"].email,
                                "password": "correct horse battery staple",
                                "csrf_token": csrf_token_from(login_page)})
    url = f"/associations/{world['a']}/board"
    assert client.post(url, data={"email": world["member_q"].email}).status_code == 400
    assert client.post(f"{url}/{seat_id}/remove").status_code == 400
    assert count(app, BoardMembership) == 1
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/{seat_id}/remove", data={"csrf_token": token})
    assert response.status_code == 302
    assert count(app, BoardMembership) == 0
