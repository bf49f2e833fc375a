"""Settings of the MQTT ingest: broker URL, subscriptions, batching (no paho import here)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

DEFAULT_TOPICS: tuple[str, ...] = (
    "werklandschap/+/+/up",
    "v3/+/devices/+/up",
    "dsmr/#",
    "tele/+/SENSOR",
    "senml/#",
)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


@dataclass
class IngestSettings:
    """How the ingest connects, subscribes and batches.

    Keep *client_id* fixed per worker: the broker holds the worker's unacknowledged messages
    under it. Several workers share the load with one *shared_group* and distinct client ids.
    """

    url: str = "mqtt://127.0.0.1:1883"  # mqtt[s]://user:password@host:port
    client_id: str = "werklandschap-ingest"
    shared_group: str | None = None  # subscribe as $share/<group>/<topic>
    qos: int = 1
    batch_size: int = 500  # messages per commit at most
    batch_interval: float = 0.25  # seconds a partial batch waits for more
    session_expiry: int = 7 * 24 * 3600  # seconds the broker keeps our session while we are away
    topics: tuple[str, ...] = DEFAULT_TOPICS
    keepalive: int = 30
    refresh_interval: float = 5.0  # seconds between device registry refreshes
    mqtt_version: str = "5"  # "5" or "3.1.1"
    store_retry_min: float = 0.5  # first wait (s) after a failed store; doubles each time
    store_retry_max: float = 30.0
    reconnect_min: int = 1  # paho's reconnect backoff (s)
    reconnect_max: int = 30


@dataclass(frozen=True)
class BrokerAddress:
    """Where and as whom to connect, parsed from ``mqtt[s]://user:pass@host:port``."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False

    @classmethod
    def from_url(cls, url: str) -> BrokerAddress:
        """Parse a broker URL; mqtts:// means TLS (default port 8883)."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts", "tcp", "ssl"):
            raise ValueError(f"not an MQTT URL: {url!r}")
        tls = parts.scheme in ("mqtts", "ssl")
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password else None
        port = parts.port or (8883 if tls else 1883)
        return cls(parts.hostname or "127.0.0.1", port, username, password, tls)


def subscription_filters(settings: IngestSettings, extra: Iterable[str] = ()) -> list[str]:
    """The topic filters to subscribe, each as ``$share/<group>/...`` when a group is set."""
    filters = list(dict.fromkeys((*settings.topics, *extra)))
    if settings.shared_group:
        return [f"$share/{settings.shared_group}/{topic}" for topic in filters]
    return filters
