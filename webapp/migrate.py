"""Alembic, driven from the app: `werklandschap db upgrade` and friends."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from flask import Flask

import migrations

from . import db


def alembic_config(app: Flask) -> Config:
    """An Alembic config pointing at our migrations and the app's database."""
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    config.set_main_option("sqlalchemy.url", app.config["DATABASE_URL"].replace("%", "%%"))
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    """Apply migrations up to *revision* on the app's database."""
    with app.app_context(), db.engine().begin() as connection:
        config = alembic_config(app)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(app: Flask, revision: str) -> None:
    """Revert migrations down to *revision*."""
    with app.app_context(), db.engine().begin() as connection:
        config = alembic_config(app)
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def revision(app: Flask, message: str, autogenerate: bool = True) -> None:
    """Write a new migration file, compared against the models (for developers)."""
    with app.app_context(), db.engine().begin() as connection:
        config = alembic_config(app)
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=autogenerate)


def current(app: Flask) -> str | None:
    """The database's current revision."""
    with app.app_context(), db.engine().connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
