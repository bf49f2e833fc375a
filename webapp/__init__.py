"""Werklandschap web application: create_app() builds it."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from . import auth, db, errors, guards, views
from . import config as config_module
from .api import init_app as init_api
from .extensions import babel, csrf, login_manager
from .i18n import select_locale


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults, then WERKLANDSCHAP_* environment variables, then *test_config*."""
    instance_path = os.environ.get("WERKLANDSCHAP_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path, instance_relative_config=True)
    app.config.from_mapping(config_module.DEFAULTS)
    app.config.from_prefixed_env(config_module.ENV_PREFIX)
    if test_config:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.load_secret_key(app.instance_path)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = config_module.sqlite_url(app.instance_path)

    db.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    login_manager.init_app(app)
    auth.init_app(app)
    errors.init_app(app)
    guards.init_app(app)
    views.init_app(app)
    init_api(app)
    app.after_request(_security_headers)
    return app


def _security_headers(response):
    """No framing (clickjacking), no MIME sniffing, no full URLs leaked to other sites."""
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response

