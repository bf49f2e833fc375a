"""The audit log: who changed what, with only the changed values, and never a secret."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from tests.conftest import in_db
from webapp import db
from webapp.audit import Actor, acting_as
from webapp.models import AuditEntry, Park, User
from webapp.security import hash_password

PARK_FORM = {"name": "Hessenpoort", "slug": "", "municipality": "Zwolle",
             "province": "Overijssel", "ibis_rin": "", "gross_ha": "12,5", "net_ha": "",
             "companies_count": "", "jobs": "300", "latitude": "", "longitude": "",
             "organisation_form": "geen", "programme_role": "deelnemer", "association": "",
             "description": "", "is_public": "y", "public_fields": ["description"]}


def audit_rows(app, **where) -> list[AuditEntry]:
    query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return in_db(app, lambda s: list(s.scalars(query)))


def audit_count(app) -> int:
    return in_db(app, lambda s: s.scalar(select(func.count()).select_from(AuditEntry)))


class FormValues(HTMLParser):
    """The values a browser would submit from the page's POST form (no JavaScript)."""

    def __init__(self):
        super().__init__()
        self.values: list[tuple[str, str]] = []
        self._select = self._textarea = None
        self._in_form = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._in_form = attrs.get("method") == "post" and "action" not in attrs
        if not self._in_form or "disabled" in attrs:
            return
        if tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            if "checked" in attrs:
                self.values.append((attrs["name"], attrs.get("value", "on")))
        elif tag == "input" and "name" in attrs:
            self.values.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = attrs["name"]
        elif tag == "option" and self._select and "selected" in attrs:
            self.values.append((self._select, attrs.get("value", "")))
        elif tag == "textarea":
            self._textarea = attrs["name"]
            self.values.append((self._textarea, ""))

    def handle_data(self, data):
        if self._textarea:
            # The newline after <textarea> is not content; browsers submit line breaks as CRLF.
            text = data.replace("\r\n", "\n").removeprefix("\n")
            self.values[-1] = (self._textarea, text.replace("\n", "\r\n"))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._in_form = False


def form_values(html: str) -> dict[str, list[str]]:
    parser = FormValues()
    parser.feed(html)
    result: dict[str, list[str]] = {}
    for name, value in parser.values:
        result.setdefault(name, []).append(value)
    return result


@pytest.fixture
def coordinator(make_user, login):
    user = make_user("coordinator")
    login(user)
    return user


def test_creating_a_park_writes_a_create_row_for_the_user(app, client, coordinator):
    assert client.post("/parks/new", data=PARK_FORM).status_code == 302
    park_id = in_db(app, lambda s: s.scalar(select(Park.id).where(Park.slug == "hessenpoort")))
    (row,) = audit_rows(app, entity="park", action="create")
    assert (row.actor, row.user_id) == (coordinator.email, coordinator.id)
    assert (row.entity_id, row.park_id) == (park_id, park_id)
    assert row.before is None
    assert row.after["name"] == "Hessenpoort"
    assert row.after["jobs"] == 300


def test_edit_logs_only_the_changed_fields(app, client, coordinator, make_park):
    park = make_park(name="Oude Naam", jobs=300)
    data = {**PARK_FORM, "name": "Nieuwe Naam", "jobs": "300", "gross_ha": ""}
    assert client.post(f"/parks/{park.slug}/edit", data=data).status_code == 302
    (row,) = audit_rows(app, entity="park", action="update")
    assert row.before == {"name": "Oude Naam"}
    assert row.after == {"name": "Nieuwe Naam"}
    assert (row.actor, row.user_id, row.park_id) == (coordinator.email, coordinator.id, park.id)


@pytest.mark.parametrize(
    "stored",
    [
        {"latitude": 52.5168, "longitude": 6.157},
        {"latitude": 52.517, "longitude": 6.1},
        {"gross_ha": "1234.56", "net_ha": "12.5", "jobs": 4500, "companies_count": 1200},
        {"description": "Regel een\nRegel twee", "ibis_rin": "0193/HP"},
    ],
    ids=["coordinates", "three-decimal-coordinate", "figures", "texts"],
)
def test_saving_the_rendered_form_with_one_change_logs_only_that_change(
    app, client, coordinator, make_park, stored
):
    park = make_park(name="Oude Naam", public_fields=["jobs", "location"], **stored)
    data = form_values(client.get(f"/parks/{park.slug}/edit").get_data(as_text=True))
    data["name"] = ["Nieuwe Naam"]
    assert client.post(f"/parks/{park.slug}/edit", data=data).status_code == 302
    (row,) = audit_rows(app, entity="park", action="update")
    assert row.after == {"name": "Nieuwe Naam"}


def test_user_password_change_is_masked(app):
    with app.app_context(), acting_as(Actor("test")):
        session_db = db.session()
        user = User(email="a@example.nl", role="coordinator", password_hash=hash_password("x" * 12))
        session_db.add(user)
        session_db.commit()
        hashes = [user.password_hash]
        user.password_hash = hash_password("y" * 12)
        session_db.commit()
        hashes.append(user.password_hash)
    created, updated = audit_rows(app, entity="user_account")
    assert "password_hash" not in created.after
    assert updated.before == {"password_hash": "***"}
    assert updated.after == {"password_hash": "*** (changed)"}
    logged = json.dumps([created.after, updated.before, updated.after])
    assert "$argon2" not in logged
    assert not any(h in logged for h in hashes)


def test_login_that_upgrades_the_hash_logs_no_hash(app, client, make_user):
    user = make_user("park_manager")
    app.config["ARGON2_TIME_COST"] = 2
    client.post("/login", data={"email": user.email, "password": "correct horse battery staple"})
    rows = audit_rows(app, entity="user_account", action="update")
    assert [r.after for r in rows] == [{"password_hash": "*** (changed)"}]


@pytest.mark.parametrize(
    ("url", "data"),
    [("/parks/new", {**PARK_FORM, "gross_ha": "abc"}),
     ("edit", {**PARK_FORM, "name": ""}),
     ("company", {"name": "", "kvk_number": "1"})],
)
def test_refused_form_writes_no_audit_row(app, client, coordinator, make_park, url, data):
    park = make_park()
    target = {"edit": f"/parks/{park.slug}/edit",
              "company": f"/parks/{park.slug}/companies/new"}.get(url, url)
    before = audit_count(app)
    assert before > 0  # make_park's own create row: the log is on, so "no new row" means something
    assert client.post(target, data=data).status_code == 400
    assert audit_count(app) == before


def test_company_changes_are_logged_with_their_park(app, client, coordinator, make_park):
    park = make_park()
    client.post(f"/parks/{park.slug}/companies/new", data={"name": "Acme BV"})
    (row,) = audit_rows(app, entity="company", action="create")
    assert (row.park_id, row.actor, row.after["name"]) == (park.id, coordinator.email, "Acme BV")


def test_cli_import_is_attributed_to_the_cli(app, runner, tmp_path):
    csv_file = tmp_path / "parks.csv"
    csv_file.write_text("naam;gemeente;provincie\nHessenpoort;Zwolle;Overijssel\n",
                        encoding="utf-8")
    result = runner.invoke(["import-parks", str(csv_file)])
    assert result.exit_code == 0, result.output
    (row,) = audit_rows(app, entity="park", action="create")
    assert row.actor.startswith("cli:")
    assert row.user_id is None
    assert row.after["name"] == "Hessenpoort"
