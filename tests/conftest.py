"""Shared fixtures: app, client, CLI runner and factories, on SQLite or a real PostgreSQL.

Set WERKLANDSCHAP_TEST_DATABASE_URL to run the suite on PostgreSQL. With
WERKLANDSCHAP_REQUIRE_SERVICES=1 (CI), tests that need a service fail instead of skipping.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import func, inspect, select, text

from webapp import create_app, db
from webapp.cli import AppHolder, cli
from webapp.models import Base, Company, Park, User
from webapp.security import hash_password

REQUIRE_SERVICES = os.environ.get("WERKLANDSCHAP_REQUIRE_SERVICES") == "1"
PG_URL = os.environ.get("WERKLANDSCHAP_TEST_DATABASE_URL", "")
PASSWORD = "correct horse battery staple"


def skip_or_fail(reason: str) -> None:
    """Skip locally; fail in CI, where every service must be there."""
    if REQUIRE_SERVICES:
        pytest.fail(f"required service missing: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """PostgreSQL when configured, else a SQLite file for the whole session."""
    if PG_URL:
        return PG_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def _schema(database_url):
    engine = db.make_engine(database_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield engine
    Base.metadata.drop_all(engine)
    engine.dispose()


def _empty_tables(engine) -> None:
    tables = [t.name for t in Base.metadata.sorted_tables]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                conn.execute(table.delete())


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-only-not-secret",
    "ARGON2_TIME_COST": 1,
    "ARGON2_MEMORY_COST": 1024,
    "ARGON2_PARALLELISM": 1,
    "PAGE_SIZE": 25,
    # Most tests post forms directly; tests/webapp/test_csrf.py turns the check back on.
    "WTF_CSRF_ENABLED": False,
}


@pytest.fixture
def app(_schema, database_url, tmp_path):
    """A fresh app on the test database; every table is emptied afterwards."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": database_url})
    app.instance_path = str(tmp_path)
    yield app
    app.extensions[db.EXTENSION_KEY].kw["bind"].dispose()
    _empty_tables(_schema)


@pytest.fixture
def csrf_app(app):
    """The app with CSRF checks on, as in production."""
    app.config["WTF_CSRF_ENABLED"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    """Invoke the `werklandschap` CLI against the test app."""

    class Runner:
        def invoke(self, args, **kwargs):
            return CliRunner().invoke(cli, args, obj=AppHolder(app), **kwargs)

    return Runner()


@pytest.fixture
def session(app):
    """A database session inside an app context."""
    with app.app_context():
        yield db.session()


_counter = itertools.count(1)


@pytest.fixture
def make_park(app):
    """Create a park: make_park(name="...", **fields)."""

    def make(**fields) -> Park:
        n = next(_counter)
        values = {"slug": f"park-{n}", "name": f"Testterrein {n}", "municipality": "Zwolle",
                  "province": "Overijssel", "public_fields": ["description"], **fields}
        with app.app_context():
            park = Park(**values)
            db.session().add(park)
            db.session().commit()
            return park

    return make


@pytest.fixture
def make_company(app):
    def make(park: Park, **fields) -> Company:
        n = next(_counter)
        with app.app_context():
            company = Company(park_id=park.id, name=fields.pop("name", f"Bedrijf {n}"), **fields)
            db.session().add(company)
            db.session().commit()
            return company

    return make


@pytest.fixture
def make_user(app):
    """Create a user: make_user("park_manager", parks=[park]) or ("member", company=c)."""

    def make(role: str, *, parks=(), company=None, email=None, password=PASSWORD) -> User:
        n = next(_counter)
        with app.app_context():
            session_db = db.session()
            user = User(
                email=email or f"{role}{n}@example.nl", role=role, name=f"{role} {n}",
                password_hash=hash_password(password),
                parks=[session_db.get(Park, p.id) for p in parks],
                company=session_db.get(Company, company.id) if company else None,
            )
            session_db.add(user)
            session_db.commit()
            return user

    return make


@pytest.fixture
def login(client):
    """Log the test client in as *user*."""

    def do(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


def csrf_token_from(html: str) -> str:
    """The CSRF token in a rendered form."""
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in page"
    return match.group(1)


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def in_db(app, work):
    """Run *work(session)* in an app context of its own, apart from the client's requests.

    Tests read and arrange data this way rather than holding the `session` fixture open while the
    client makes requests: Flask reuses an active app context, which would share one session
    (and its identity map) between the test and the requests under test.
    """
    with app.app_context():
        session_db = db.session()
        result = work(session_db)
        session_db.commit()
        return result


def count(app, model, *where) -> int:
    """How many rows of *model* (matching *where*) the database holds now."""
    return in_db(app, lambda s: s.scalar(select(func.count()).select_from(model).where(*where)))


def _row_state(app, model, row_id: int) -> dict:
    def read(session_db):
        row = session_db.get(model, row_id)
        return {attr.key: getattr(row, attr.key) for attr in inspect(model).column_attrs}

    return in_db(app, read)


def park_state(app, park_id: int) -> dict:
    """Every column of a park, read fresh from the database."""
    return _row_state(app, Park, park_id)


def company_state(app, company_id: int) -> dict:
    """Every column of a company, read fresh from the database."""
    return _row_state(app, Company, company_id)
