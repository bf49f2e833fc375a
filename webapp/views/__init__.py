"""Blueprints of the HTML pages."""

from flask import Flask

from . import (
    account,
    boards,
    devices,
    energy,
    environment,
    main,
    measures,
    national,
    parks,
    registry_import,
    roadmaps,
    themes,
)


def init_app(app: Flask) -> None:
    """Register the page blueprints and shared template helpers."""
    main.init_app(app)
    app.register_blueprint(main.bp)
    app.register_blueprint(account.bp)
    app.register_blueprint(parks.bp)
    app.register_blueprint(registry_import.bp)
    app.register_blueprint(themes.bp)
    app.register_blueprint(measures.bp)
    app.register_blueprint(devices.bp)
    app.register_blueprint(energy.bp)
    app.register_blueprint(boards.bp)
    app.register_blueprint(environment.bp)
    app.register_blueprint(roadmaps.bp)
    app.register_blueprint(national.bp)
