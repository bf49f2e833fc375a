"""Configuration defaults; every key can be overridden by a WERKLANDSCHAP_* environment variable."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENV_PREFIX = "WERKLANDSCHAP"

DEFAULTS: dict[str, object] = {
    # Empty means: a SQLite file in the instance folder.
    "DATABASE_URL": "",
    # Empty means: the embedded broker in `demo`, mqtt://127.0.0.1:1883 for `ingest`/`simulate`.
    "MQTT_URL": "",
    # The broker address shown to park managers for their devices (empty: MQTT_URL without
    # its credentials).
    "MQTT_PUBLIC_URL": "",
    # How often a device page refreshes its latest values, in seconds.
    "DEVICE_REFRESH_SECONDS": 10,
    # Broker passwords of the ingest and simulator accounts for `mqtt-credentials`
    # (empty: generated once and kept in service-accounts.json beside the broker files).
    "MQTT_INGEST_PASSWORD": "",
    "MQTT_SIMULATOR_PASSWORD": "",
    # Raw sensor readings older than this are pruned by the ingest (rollups stay); 0 keeps all.
    "RAW_RETENTION_DAYS": 400,
    # The national target: this many parks on their way by TARGET_DATE, counted from
    # PROGRAMME_START (ISO dates).
    "TARGET_PARKS": 1000,
    "PROGRAMME_START": "2024-01-01",
    "TARGET_DATE": "2033-12-31",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": 8 * 3600,
    "MAX_CONTENT_LENGTH": 20 * 1024 * 1024,
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
    "LANGUAGES": ["nl", "en"],
    # argon2id (RFC 9106 "low memory" profile); tests may lower the cost.
    "ARGON2_TIME_COST": 3,
    "ARGON2_MEMORY_COST": 65536,
    "ARGON2_PARALLELISM": 4,
    # Login throttling: failures inside the window that trigger HTTP 429.
    "LOGIN_WINDOW_SECONDS": 15 * 60,
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 20,
    "PAGE_SIZE": 25,
    "SQL_ECHO": False,
}


def load_secret_key(instance_path: str) -> str:
    """Return the instance's secret key, creating it (mode 0600) on first use."""
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def sqlite_url(instance_path: str) -> str:
    """The embedded default database: a SQLite file in the instance folder."""
    return f"sqlite:///{Path(instance_path) / 'werklandschap.sqlite'}"
