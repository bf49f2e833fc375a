"""Consent: share levels, the change log and audit, who may change them, audiences, and the
sharing settings page (CSRF, Dutch errors naming the field)."""

from __future__ import annotations

import pytest
from flask_babel import force_locale
from flask_babel import gettext as babel_gettext
from sqlalchemy import select

from tests.conftest import count, csrf_token_from, in_db
from tests.webapp import test_energy_support as support
from tests.webapp.test_energy_support import make_meter, share
from webapp.models import (
    Association,
    AuditEntry,
    BoardMembership,
    Company,
    Device,
    MeterShare,
    MeterShareChange,
    Park,
    User,
)
from webapp.services import energy_sharing as sharing


@pytest.fixture
def park(app, make_park):
    return support.park_with_association(app, make_park, is_public=False)


@pytest.fixture
def firm(park, make_company):
    return make_company(park, name="Firma A")


@pytest.fixture
def meter(app, park, firm):
    return make_meter(app, park, firm, name="Hoofdmeter", uid="a-main")


@pytest.fixture
def member(make_user, firm):
    return make_user("member", company=firm, email="jan@firma-a.nl")


def dutch(app, text: str) -> str:
    """*text* as the Dutch interface shows it (the translation when there is one)."""
    with app.test_request_context(), force_locale("nl"):
        return babel_gettext(text)


def test_set_share_logs_every_change_and_audits_it(app, meter, member):
    def change(level, note=""):
        def work(session_db):
            user = session_db.get(User, member.id)
            return sharing.set_share(session_db, session_db.get(Device, meter.id), level, user,
                                     note)
        return in_db(app, work)

    assert change("aggregate", "voor de groepsaansluiting") is not None
    assert change("aggregate") is None  # unchanged: no new rows
    assert change("none") is not None
    log = in_db(app, lambda s: [(c.from_level, c.to_level, c.changed_by_id, c.company_id, c.note)
                               for c in s.scalars(select(MeterShareChange)
                                                  .order_by(MeterShareChange.id))])
    assert log == [("none", "aggregate", member.id, meter.company_id,
                    "voor de groepsaansluiting"),
                   ("aggregate", "none", member.id, meter.company_id, "")]
    audit = in_db(app, lambda s: [(a.action, a.after) for a in s.scalars(
        select(AuditEntry).where(AuditEntry.entity == "meter_share").order_by(AuditEntry.id))])
    assert [action for action, _ in audit] == ["create", "update"]
    assert audit[0][1]["level"] == "aggregate" and audit[0][1]["updated_by_id"] == member.id
    assert audit[1][1] == {"level": "none"}
    assert in_db(app, lambda s: s.scalar(select(MeterShare.level))) == "none"
    with pytest.raises(ValueError):
        change("everyone")


@pytest.mark.parametrize(("who", "allowed"), [
    ("own-member", True), ("admin", True), ("coordinator", False), ("other-member", False),
    ("manager", False), ("anonymous", False),
])
def test_who_may_change_a_share(app, make_user, make_company, park, meter, firm, who, allowed):
    users = {"own-member": lambda: make_user("member", company=firm),
             "admin": lambda: make_user("admin"),
             "coordinator": lambda: make_user("coordinator"),
             "other-member": lambda: make_user("member", company=make_company(park)),
             "manager": lambda: make_user("park_manager", parks=[park])}
    user = users[who]() if who in users else None

    def check(session_db):
        device = session_db.get(Device, meter.id)
        if user is None:
            from flask_login import AnonymousUserMixin
            return sharing.may_change_share(AnonymousUserMixin(), device)
        return sharing.may_change_share(session_db.get(User, user.id), device)

    assert in_db(app, check) is allowed


@pytest.mark.parametrize(("who", "public", "expected"), [
    ("admin", False, "board"), ("coordinator", False, "board"), ("board", False, "board"),
    ("manager", False, "park"), ("member", False, "park"), ("other-manager", True, "public"),
    ("other-manager", False, None), ("anonymous", True, "public"), ("anonymous", False, None),
    ("other-board", True, "public"),
    # A seat grants the board's view only to a member-company user of the association's parks:
    # a seat held by a park manager, or by a user of a company elsewhere, grants nothing extra.
    ("manager-seat", False, "park"), ("outside-seat", True, "public"),
])
def test_audience(app, make_user, make_park, make_company, park, firm, who, public, expected):
    other = make_park(slug="elders", name="Elders")
    in_db(app, lambda s: setattr(s.get(Park, park.id), "is_public", public))
    board_user = {
        "board": lambda: make_user("member", company=make_company(park)),
        "manager-seat": lambda: make_user("park_manager", parks=[park]),
    }.get(who, lambda: make_user("member", company=make_company(other)))()
    users = {"admin": lambda: make_user("admin"), "coordinator": lambda: make_user("coordinator"),
             "board": lambda: board_user, "other-board": lambda: board_user,
             "manager-seat": lambda: board_user, "outside-seat": lambda: board_user,
             "manager": lambda: make_user("park_manager", parks=[park]),
             "member": lambda: make_user("member", company=firm),
             "other-manager": lambda: make_user("park_manager", parks=[other])}
    user = users[who]() if who in users else None

    def seat(session_db):
        association = Association(name="Elders OV")
        session_db.add(association)
        session_db.flush()
        own = ("board", "manager-seat", "outside-seat")
        target = park.association_id if who in own else association.id
        session_db.add(BoardMembership(association_id=target, user_id=board_user.id))

    in_db(app, seat)

    def ask(session_db):
        from flask_login import AnonymousUserMixin
        viewer = session_db.get(User, user.id) if user else AnonymousUserMixin()
        return sharing.audience(session_db, viewer, session_db.get(Park, park.id))

    assert in_db(app, ask) == expected


def test_shared_meters_counts_companies_not_meters(app, park, make_company):
    firms = [make_company(park) for _ in range(3)]
    meters = [make_meter(app, park, firms[0]), make_meter(app, park, firms[0]),
              make_meter(app, park, firms[1]), make_meter(app, park, firms[2])]
    for meter in meters[:3]:
        share(app, meter, "board")

    def ask(audience):
        return in_db(app, lambda s: sharing.shared_meters(s, s.get(Park, park.id), audience))

    shared = ask("park")
    assert (len(shared.meters), shared.companies, shared.withheld) == (3, 2, True)
    assert shared.usable_meters == ()
    assert [m.uid for m in ask("board").named] == [m.uid for m in meters[:3]]
    assert ask("park").named == () and ask("public").meters == ()
    share(app, meters[3], "aggregate")
    shared = ask("park")
    assert (shared.companies, shared.withheld) == (3, False)
    assert len(shared.usable_meters) == 4


def test_devices_without_energy_sensors_or_company_are_no_meters(app, park, firm):
    from tests.webapp.sensor_support import add_device
    add_device(app, park, {"t": "temperature"}, company_id=firm.id)
    add_device(app, park, {"p": "power"})
    make_meter(app, park, firm, {"p": "power"}, uid="plug")
    found = in_db(app, lambda s: [m.uid for m in sharing.park_meters(s, s.get(Park, park.id))])
    assert found == ["plug"]


# --- the page -------------------------------------------------------------------------------

def post_levels(client, meter, level, **extra):
    return client.post("/energy/sharing", data={f"meter_{meter.id}": level, "note": "",
                                                **extra})


def test_member_changes_a_level_and_sees_the_log(app, client, login, member, meter):
    login(member)
    page = client.get("/energy/sharing").get_data(as_text=True)
    for level in ("none", "aggregate", "board", "public"):
        assert f'value="{level}"' in page
    response = post_levels(client, meter, "board", note="voor het bestuur")
    assert response.status_code == 302
    assert in_db(app, lambda s: s.scalar(select(MeterShare.level))) == "board"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    log = html.split('class="share-log"')[1]
    assert "Hoofdmeter" in log and "voor het bestuur" in log and member.name in log
    assert post_levels(client, meter, "board").status_code == 302
    assert count(app, MeterShareChange) == 1  # unchanged: nothing logged
    post_levels(client, meter, "none")  # revoke
    assert [(c.from_level, c.to_level) for c in in_db(app, lambda s: list(s.scalars(
        select(MeterShareChange).order_by(MeterShareChange.id))))] == [
        ("none", "board"), ("board", "none")]
    assert count(app, AuditEntry, AuditEntry.entity == "meter_share") == 2


@pytest.mark.parametrize("who", ["coordinator", "other-member", "manager"])
def test_others_cannot_change_a_companys_shares(app, client, login, make_user, make_company,
                                                park, firm, meter, who):
    users = {"coordinator": lambda: make_user("coordinator"),
             "other-member": lambda: make_user("member", company=make_company(park)),
             "manager": lambda: make_user("park_manager", parks=[park])}
    login(users[who]())
    data = {f"meter_{meter.id}": "public", "note": ""}
    assert client.post(f"/energy/sharing?company={firm.id}", data=data).status_code == 404
    assert client.get(f"/energy/sharing?company={firm.id}").status_code == 404
    assert client.post(f"/energy/capacity?company={firm.id}",
                       data={"contracted_capacity_kw": "10"}).status_code == 404
    if who == "other-member":  # their own (meterless) company's form does not reach it either
        client.post("/energy/sharing", data=data)
    assert count(app, MeterShare) == 0 and count(app, MeterShareChange) == 0


def test_admin_may_change_any_companys_shares(app, client, login, make_user, firm, meter):
    login(make_user("admin"))
    response = client.post(f"/energy/sharing?company={firm.id}",
                           data={f"meter_{meter.id}": "aggregate", "note": ""})
    assert response.status_code == 302
    assert in_db(app, lambda s: s.scalar(select(MeterShare.level))) == "aggregate"


def test_unknown_level_is_refused_naming_the_meter(app, client, login, member, meter):
    login(member)
    response = post_levels(client, meter, "everyone")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert dutch(app, "%(field)s: choose one of the options.") % {"field": "Hoofdmeter"} in html
    assert count(app, MeterShare) == 0


@pytest.mark.parametrize(("typed", "message"), [
    ("veel", "%(field)s: '%(value)s' is not a number."),
    ("1.234", "%(field)s: '%(value)s' is ambiguous; write it without thousands separators, "
              "for example 1234,5."),
    ("-5", "%(field)s must be at least %(min)s."),
])
def test_bad_capacity_is_refused_in_dutch_naming_the_field(app, client, login, member, firm,
                                                           typed, message):
    login(member)
    response = client.post("/energy/capacity", data={"contracted_capacity_kw": typed})
    assert response.status_code == 400
    field = dutch(app, "Contracted capacity (kW)")
    expected = dutch(app, message) % {"field": field, "value": typed, "min": 0}
    html = response.get_data(as_text=True)
    assert expected.replace("'", "&#39;") in html
    assert in_db(app, lambda s: s.get(Company, firm.id).contracted_capacity_kw) is None


def test_capacity_is_saved(app, client, login, member, firm):
    login(member)
    assert client.post("/energy/capacity", data={"contracted_capacity_kw": "1250,5"}
                       ).status_code == 302
    assert float(in_db(app, lambda s: s.get(Company, firm.id).contracted_capacity_kw)) == 1250.5
    assert client.post("/energy/capacity", data={"contracted_capacity_kw": ""}).status_code == 302
    assert in_db(app, lambda s: s.get(Company, firm.id).contracted_capacity_kw) is None


def test_csrf_is_required(app, client, login, member, meter):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True  # on from here, as in production
    data = {f"meter_{meter.id}": "public", "note": ""}
    assert client.post("/energy/sharing", data=data).status_code == 400
    assert client.post("/energy/capacity", data={"contracted_capacity_kw": "5"}
                       ).status_code == 400
    assert count(app, MeterShare) == 0
    token = csrf_token_from(client.get("/energy/sharing").get_data(as_text=True))
    assert client.post("/energy/sharing", data={**data, "csrf_token": token}).status_code == 302
    assert in_db(app, lambda s: s.scalar(select(MeterShare.level))) == "public"


def test_park_capacity_form(app, client, login, make_user, park, firm):
    manager = make_user("park_manager", parks=[park])
    login(make_user("member", company=firm))
    assert client.post("/parks/de-mars/energy/capacity",
                       data={"contracted_capacity_kw": "800"}).status_code == 404
    login(manager)
    bad = client.post("/parks/de-mars/energy/capacity", data={"contracted_capacity_kw": "veel"})
    assert bad.status_code == 400
    assert dutch(app, "%(field)s: '%(value)s' is not a number.").replace("'", "&#39;") % {
        "field": dutch(app, "Contracted capacity (kW)"), "value": "veel"} in bad.get_data(
        as_text=True)
    assert client.post("/parks/de-mars/energy/capacity?kind=day&date=2026-06-15",
                       data={"contracted_capacity_kw": "800"}).status_code == 302
    assert float(in_db(app, lambda s: s.get(Park, park.id).contracted_capacity_kw)) == 800
    audit = in_db(app, lambda s: [a.after for a in s.scalars(select(AuditEntry).where(
        AuditEntry.entity == "park", AuditEntry.action == "update"))])
    assert [float(after["contracted_capacity_kw"]) for after in audit
            if "contracted_capacity_kw" in after] == [800.0]


def test_park_capacity_needs_csrf(app, client, login, make_user, park):
    login(make_user("coordinator"))
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/parks/de-mars/energy/capacity",
                       data={"contracted_capacity_kw": "800"}).status_code == 400
    token = csrf_token_from(client.get("/parks/de-mars/energy").get_data(as_text=True))
    assert client.post("/parks/de-mars/energy/capacity",
                       data={"contracted_capacity_kw": "800", "csrf_token": token}
                       ).status_code == 302
