"""Device registration: create and edit devices, their field mapping, topics and credentials.

A device's secret is generated here and returned once; only its SHA-256 (the HTTP ingest token)
and its Mosquitto ``$7$`` hash (the MQTT password) are stored. The HTTP token changes at once;
the broker reads its password file only when ``werklandschap mqtt-credentials`` has rewritten it
and Mosquitto has been reloaded (SIGHUP), so MQTT follows a new secret or a deactivation then.
The field mapping (sensors) is kept in :mod:`webapp.services.device_channels`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from sensors.mosquitto import native_topic, password_hash

from ..models import Device, Park
from .device_channels import (
    ChannelError,
    ChannelInput,
    channel_problems,
    channels_from,  # noqa: F401  (re-exported for the views and API)
    set_channels,
)
from .parks import slugify

UID_MAX = 80
RESERVED_UIDS = frozenset({"new"})  # /parks/<slug>/devices/new is the registration page
SECRET_BYTES = 32
# Formats whose topic the platform makes up, and the one that only posts over HTTP.
GENERATED_TOPIC_FORMATS = frozenset({"native"})
HTTP_ONLY_FORMATS = frozenset({"sensor_community"})
# Columns a registration form sets directly (uid, topic and sensors are handled apart).
DEVICE_COLUMNS = (
    "name", "location", "latitude", "longitude", "company_id", "payload_format",
    "interval_s", "commissioned_at", "active", "water_level_limit_cm",
)
DEFAULT_BROKER_URL = "mqtt://localhost:1883"
# Compared against when the device is unknown, so a wrong uid costs as long as a wrong token.
_DUMMY_HASH = hashlib.sha256(b"no such device").hexdigest()


def new_secret() -> str:
    """A fresh random device secret (URL-safe, 256 bits)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def hash_token(secret: str) -> str:
    """The SHA-256 (hex) of a device secret, as stored in Device.token_hash."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def one_time_secret(key: str | bytes, uid: str, nonce: str) -> str:
    """The device secret made from the app's key, the device uid and a random *nonce*.

    The pages keep only the nonce in the user's session until the secret has been shown, so
    the secret itself never leaves the server except on that one page.
    """
    key_bytes = key.encode("utf-8") if isinstance(key, str) else key
    digest = hmac.new(key_bytes, f"device-secret\n{uid}\n{nonce}".encode(), "sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def issue_credentials(device: Device, secret: str | None = None) -> str:
    """Give *device* a new secret (or *secret*) and return it, once.

    The HTTP ingest token changes at once. Over MQTT the broker keeps accepting the old password
    (and refuses the new one) until ``werklandschap mqtt-credentials`` has rewritten its
    password file and Mosquitto has been reloaded (SIGHUP).
    """
    secret = secret or new_secret()
    device.token_hash = hash_token(secret)
    device.mqtt_password_hash = password_hash(secret)
    return secret


def token_matches(device: Device | None, secret: str) -> bool:
    """Whether *secret* is *device*'s token, compared in constant time (False if no device)."""
    stored = device.token_hash if device is not None and device.token_hash else _DUMMY_HASH
    matches = secrets.compare_digest(hash_token(secret), stored)
    return matches and device is not None and device.token_hash is not None


def uid_taken(db: Session, uid: str, exclude_id: int | None = None) -> bool:
    """Whether another device already has this uid (or it is a word the pages reserve)."""
    if uid in RESERVED_UIDS:
        return True
    query = select(Device.id).where(Device.uid == uid)
    if exclude_id is not None:
        query = query.where(Device.id != exclude_id)
    return db.scalar(query.limit(1)) is not None


def unique_uid(db: Session, park_slug: str, name: str) -> str:
    """A free uid made from the park's slug and the device name (``hessenpoort-pv-dak``)."""
    base = slugify(f"{park_slug} {name}")[: UID_MAX - 4].strip("-") or "device"
    uid, n = base, 2
    while uid_taken(db, uid):
        uid, n = f"{base}-{n}", n + 1
    return uid


def filters_overlap(first: str, second: str) -> bool:
    """Whether some topic matches both MQTT topic filters (``+`` one level, ``#`` the rest)."""
    a, b = first.split("/"), second.split("/")
    for level_a, level_b in zip(a, b, strict=False):
        if "#" in (level_a, level_b):
            return True
        if level_a != level_b and "+" not in (level_a, level_b):
            return False
    longer = a if len(a) > len(b) else b
    # "dsmr/#" also matches "dsmr": a trailing "#" may match no level at all.
    return len(a) == len(b) or (len(longer) == min(len(a), len(b)) + 1 and longer[-1] == "#")


def topic_conflict(db: Session, topic: str, exclude_id: int | None = None) -> Device | None:
    """A registered device whose topic overlaps *topic* (so a message could not be told apart)."""
    query = select(Device).where(Device.topic.is_not(None))
    if exclude_id is not None:
        query = query.where(Device.id != exclude_id)
    for device in db.scalars(query):
        if filters_overlap(device.topic, topic):
            return device
    return None


def topic_for(park: Park, uid: str, payload_format: str, given: str | None) -> str | None:
    """The topic to store: generated for native devices, none for HTTP-only ones."""
    if payload_format in GENERATED_TOPIC_FORMATS:
        return native_topic(park.slug, uid)
    if payload_format in HTTP_ONLY_FORMATS:
        return None
    return (given or "").strip() or None


def create_device(
    db: Session, park: Park, data: dict[str, Any], channels: list[ChannelInput],
    secret_for: Callable[[str], str] | None = None,
) -> tuple[Device, str]:
    """Register a device on *park*; returns it with its secret (shown to the user once).

    *secret_for(uid)* makes the secret (see one_time_secret); default: a random one.
    """
    uid = data.get("uid") or unique_uid(db, park.slug, data["name"])
    device = Device(park=park, uid=uid)
    _apply(device, park, data)
    set_channels(device, channels)
    secret = issue_credentials(device, secret_for(uid) if secret_for else None)
    db.add(device)
    db.flush()
    return device, secret


def update_device(
    db: Session, device: Device, data: dict[str, Any], channels: list[ChannelInput],
    removable: Collection[str] = (),
) -> Device:
    """Change a device's settings and field mapping (its uid never changes).

    Raises ChannelError, changing nothing, when the mapping would lose stored readings (see
    device_channels.channel_problems; forms check first, to name the field).
    """
    problems = channel_problems(db, device, channels, removable)
    if problems:
        raise ChannelError(problems)
    _apply(device, device.park, data)
    set_channels(device, channels, db)
    db.flush()
    return device


def _apply(device: Device, park: Park, data: dict[str, Any]) -> None:
    for column in DEVICE_COLUMNS:
        if column in data:
            setattr(device, column, data[column])
    device.location = device.location or ""
    device.topic = topic_for(park, device.uid, device.payload_format, data.get("topic"))


def set_active(db: Session, device: Device, active: bool) -> None:
    """Switch a device on or off; an inactive device's messages become dead letters.

    The broker still lets it connect until ``werklandschap mqtt-credentials`` has rewritten the
    password file (inactive devices are left out) and Mosquitto has been reloaded (SIGHUP).
    """
    device.active = active
    db.flush()


def device_in_scope(db: Session, scope: ColumnElement[bool], uid: str) -> Device | None:
    """The device with *uid* if its park is within *scope* (see webapp.authz), else None."""
    return db.scalar(select(Device).join(Park, Device.park_id == Park.id)
                     .where(Device.uid == uid, scope))


def list_devices(db: Session, park: Park) -> list[Device]:
    """The park's devices, by name."""
    return list(db.scalars(select(Device).where(Device.park_id == park.id)
                           .order_by(Device.name, Device.id)))


def device_form_data(device: Device) -> dict[str, Any]:
    """The device's values in the shape DeviceForm produces (for edit pages and PATCH)."""
    data = {column: getattr(device, column) for column in DEVICE_COLUMNS}
    data["uid"], data["topic"] = device.uid, device.topic or ""
    data["sensors"] = [{"sensor_id": s.id, "field": s.field, "quantity": s.quantity,
                        "unit": s.unit, "name": s.name} for s in device.sensors]
    return data


@dataclass(frozen=True)
class BrokerEndpoint:
    """Where devices connect: host, port and whether TLS is used (never any credentials)."""

    host: str
    port: int
    tls: bool


def broker_endpoint(config: Mapping[str, Any]) -> BrokerEndpoint:
    """The broker devices connect to: MQTT_PUBLIC_URL, else MQTT_URL (mqtts://host:8883)."""
    url = config.get("MQTT_PUBLIC_URL") or config.get("MQTT_URL") or DEFAULT_BROKER_URL
    parts = urlsplit(url if "://" in url else f"mqtt://{url}")
    tls = parts.scheme in {"mqtts", "ssl", "tls"}
    return BrokerEndpoint(parts.hostname or "localhost", parts.port or (8883 if tls else 1883),
                          tls)
