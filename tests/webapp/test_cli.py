"""The `werklandschap` command line: the contract's commands, accounts, tokens and seeding."""

from __future__ import annotations

import csv
import io
import re

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from roadmap.programme import PROVINCES
from tests.conftest import count, in_db
from webapp import db
from webapp.models import ROLES, Company, Device, Measure, Park, Reading, User
from webapp.services.seed_files import seed_file

CONTRACT_COMMANDS = ("demo", "serve", "ingest", "simulate", "db", "seed", "import-parks",
                     "create-user", "create-token", "mqtt-credentials", "bench")
PASSWORD = "een lang genoeg wachtwoord"


def user_by_email(app, email: str) -> User | None:
    with app.app_context():
        user = db.session().scalar(select(User).where(User.email == email))
        if user is not None:
            user.park_slugs = [p.slug for p in user.parks]
        return user


def seed_rows(app, name: str) -> list[dict[str, str]]:
    with app.app_context():
        return list(csv.DictReader(io.StringIO(seed_file(name).decode("utf-8"))))


def test_help_lists_the_contract_commands(runner):
    result = runner.invoke(["--help"])
    assert result.exit_code == 0
    listed = set(re.findall(r"^  ([a-z][a-z-]*)\s", result.output, re.MULTILINE))
    assert set(CONTRACT_COMMANDS) <= listed


# --- create-user -----------------------------------------------------------------------------

def create_user(runner, *args, password=PASSWORD):
    return runner.invoke(["create-user", *args, "--password-stdin"], input=f"{password}\n")


def test_create_user_stores_an_argon2id_hash(app, runner):
    result = create_user(runner, "Coordinator@Example.NL", "--role", "coordinator",
                         "--name", "Cora")
    assert result.exit_code == 0, result.output
    user = user_by_email(app, "coordinator@example.nl")
    assert (user.role, user.name) == ("coordinator", "Cora")
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    assert PasswordHasher().verify(user.password_hash, PASSWORD)


def test_create_park_manager_with_park(app, runner, make_park):
    park = make_park()
    result = create_user(runner, "pm@example.nl", "--role", "park_manager", "--park", park.slug)
    assert result.exit_code == 0, result.output
    assert user_by_email(app, "pm@example.nl").park_slugs == [park.slug]


def test_create_member_with_company(app, runner, make_park, make_company):
    company = make_company(make_park())
    result = create_user(runner, "lid@example.nl", "--role", "member",
                         "--company", str(company.id))
    assert result.exit_code == 0, result.output
    assert user_by_email(app, "lid@example.nl").company_id == company.id


def test_create_user_refuses_short_password(app, runner):
    result = create_user(runner, "kort@example.nl", "--role", "admin", password="kort")
    assert result.exit_code != 0
    assert user_by_email(app, "kort@example.nl") is None


def test_create_user_refuses_duplicate_email(app, runner, make_user):
    make_user("admin", email="dubbel@example.nl")
    result = create_user(runner, "DUBBEL@example.nl", "--role", "coordinator")
    assert result.exit_code != 0
    assert "dubbel@example.nl" in result.output
    assert user_by_email(app, "dubbel@example.nl").role == "admin"


@pytest.mark.parametrize(
    "args",
    [
        ("--role", "park_manager", "--park", "bestaat-niet"),
        ("--role", "park_manager"),
        ("--role", "member"),
        ("--role", "member", "--company", "999999"),
        ("--role", "superuser"),
    ],
)
def test_create_user_refuses_incomplete_scope(app, runner, args):
    result = create_user(runner, "nieuw@example.nl", *args)
    assert result.exit_code != 0
    assert user_by_email(app, "nieuw@example.nl") is None


def test_create_user_refuses_a_name_without_at(app, runner):
    result = create_user(runner, "geen-adres", "--role", "admin")
    assert result.exit_code != 0
    assert count(app, User) == 0


# --- create-token ----------------------------------------------------------------------------

def test_create_token_prints_a_working_token(runner, client, make_user):
    user = make_user("coordinator")
    result = runner.invoke(["create-token", user.email])
    assert result.exit_code == 0, result.output
    token = result.stdout.strip()
    response = client.get("/api/v1/parks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_create_token_for_unknown_user_fails(app, runner):
    result = runner.invoke(["create-token", "niemand@example.nl"])
    assert result.exit_code != 0
    assert "niemand@example.nl" in result.output


# --- seed ------------------------------------------------------------------------------------

def test_seed_loads_demo_parks_and_companies(app, runner):
    result = runner.invoke(["seed"])
    assert result.exit_code == 0, result.output
    parks, companies = seed_rows(app, "parks.csv"), seed_rows(app, "companies.csv")
    assert 35 <= len(parks) <= 60
    assert count(app, Park) == len(parks)
    assert count(app, Company) == len(companies) > 0
    with app.app_context():
        provinces = set(db.session().scalars(select(Park.province)))
    assert provinces == set(PROVINCES)


def test_seed_again_adds_nothing(app, runner):
    first = runner.invoke(["seed"])
    assert first.exit_code == 0, first.output
    before = [count(app, model) for model in (Park, Company, Measure, Device, Reading)]
    assert all(before[:4]), before  # parks, companies, measures and devices were seeded
    result = runner.invoke(["seed"])
    assert result.exit_code == 0, result.output
    assert "0 parks, 0 companies, 0 measures and 0 devices" in result.output
    assert [count(app, model) for model in (Park, Company, Measure, Device, Reading)] == before


def test_seed_again_keeps_what_people_edited(app, runner):
    assert runner.invoke(["seed"]).exit_code == 0

    def edit(session_db):
        park = session_db.scalar(select(Park).where(Park.slug == "hessenpoort"))
        park.jobs, park.description = 1234, "Door de parkmanager bijgewerkt."

    in_db(app, edit)
    assert runner.invoke(["seed"]).exit_code == 0
    park = in_db(app, lambda s: s.scalar(select(Park).where(Park.slug == "hessenpoort")))
    assert (park.jobs, park.description) == (1234, "Door de parkmanager bijgewerkt.")


def test_seed_synthetic_adds_syn_parks(app, runner):
    result = runner.invoke(["seed", "--synthetic", "50"])
    assert result.exit_code == 0, result.output
    assert count(app, Park, Park.slug.like("syn-%")) == 50
    assert count(app, Park) == 50
    assert runner.invoke(["seed", "--synthetic", "5"]).exit_code == 0
    assert count(app, Park, Park.slug.like("syn-%")) == 55


def test_seed_demo_users_creates_one_account_per_role(app, runner):
    result = runner.invoke(["seed", "--demo-users"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        users = list(db.session().scalars(select(User)))
        roles = sorted(u.role for u in users)
        manager = next(u for u in users if u.role == "park_manager")
        members = [u for u in users if u.role == "member"]
        assert manager.parks and all(member.company is not None for member in members)
    # One account per role, plus a member company's user who sits on the association board.
    assert sorted(set(roles)) == sorted(ROLES)
    assert len(members) == 2
    for user in users:
        assert user.email in result.output
