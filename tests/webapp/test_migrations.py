"""Migrations build the schema the models describe, on an empty SQLite file and PostgreSQL.

Alembic's autogenerate comparison must find nothing: a model change without a migration fails
here. On PostgreSQL (WERKLANDSCHAP_TEST_DATABASE_URL) each run creates a fresh database of its
own (role needs CREATEDB) and drops it afterwards; the shared test database is not touched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL, TEST_CONFIG
from webapp import create_app, db, migrate
from webapp.models import Base

# The PostgreSQL variant runs when the suite runs on PostgreSQL.
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]
VERSIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database beside the test database; yield its URL; drop it."""
    name = f"werklandschap_migrate_{uuid.uuid4().hex[:12]}"
    admin = db.make_engine(PG_URL).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def empty_database_url(request, tmp_path) -> Iterator[str]:
    """The URL of a database without any tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
    else:
        with fresh_postgres_database() as url:
            yield url


@pytest.fixture
def empty_app(empty_database_url, tmp_path):
    """An app on an empty database."""
    app = create_app({**TEST_CONFIG, "DATABASE_URL": empty_database_url})
    app.instance_path = str(tmp_path)
    yield app
    with app.app_context():
        db.engine().dispose()


def table_names(app) -> set[str]:
    with app.app_context():
        return set(inspect(db.engine()).get_table_names())


def drift(app) -> list:
    """What autogenerate would put in a new migration: must be nothing."""
    with app.app_context(), db.engine().connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_database_starts_empty(empty_app):
    assert table_names(empty_app) == set()
    assert migrate.current(empty_app) is None


def test_upgrade_builds_every_model_table(empty_app):
    migrate.upgrade(empty_app)
    assert table_names(empty_app) == set(Base.metadata.tables) | {"alembic_version"}
    head = ScriptDirectory.from_config(migrate.alembic_config(empty_app)).get_current_head()
    assert migrate.current(empty_app) == head
    assert head == sorted(p.stem for p in VERSIONS.glob("0*.py"))[-1]


def test_models_and_migrations_do_not_drift(empty_app):
    migrate.upgrade(empty_app)
    assert drift(empty_app) == []


def test_downgrade_to_base_and_upgrade_again(empty_app):
    migrate.upgrade(empty_app)
    migrate.downgrade(empty_app, "base")
    assert table_names(empty_app) <= {"alembic_version"}
    assert migrate.current(empty_app) is None
    migrate.upgrade(empty_app)
    assert table_names(empty_app) == set(Base.metadata.tables) | {"alembic_version"}
    assert drift(empty_app) == []
