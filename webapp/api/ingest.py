"""HTTP ingest for sensors that cannot speak MQTT: POST /api/v1/ingest/<uid>.

The device authenticates with its own secret (``Authorization: Bearer <secret>``, or HTTP Basic
with the device id as user name and the secret as password: the sensor.community firmware can
send nothing else to a custom API), not with a user's token or session, so this lives in a
blueprint of its own beside the API blueprint (whose authentication would refuse a device
secret) and is exempt from CSRF. The body is decoded like an MQTT message of the device's
format; valid readings are stored (202), a rejected message is kept as a dead letter and
answered with 422 and the reason.
"""

from __future__ import annotations

import hmac
from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import Engine, select

from sensors.model import Batch, DeviceSpec
from sensors.pipeline import decode_for_device
from sensors.validate import MAX_PAYLOAD_BYTES

from .. import db
from ..errors import ApiError
from ..models import Device
from ..services import devices as device_service
from ..services.sensor_registry import load_devices
from ..services.sensor_store import RETENTION_SETTING, DbSink

# Its own blueprint: the API blueprint's authentication knows users, not device secrets.
bp = Blueprint("ingest", __name__, url_prefix="/api/v1")


def _device_secret(uid: str) -> str:
    """The secret the request offers for device *uid*: Bearer, or Basic as user *uid*."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        return secret.strip()
    basic = request.authorization  # werkzeug: None when the Basic credentials are malformed
    if scheme.lower() != "basic" or basic is None or basic.type != "basic":
        return ""
    same_user = hmac.compare_digest((basic.username or "").encode(), uid.encode())
    return (basic.password or "") if same_user else ""


def _authenticated_device(uid: str) -> Device:
    device = db.session().scalar(select(Device).where(Device.uid == uid))
    if not device_service.token_matches(device, _device_secret(uid)):
        # One answer for an unknown device and a wrong token: no probing for device ids.
        raise ApiError(401, "Unknown device or wrong token.", code="invalid_token")
    return device


def _body(limit: int = MAX_PAYLOAD_BYTES) -> bytes:
    too_large = ApiError(413, f"The body may be at most {limit} bytes.", code="too_large")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    payload = request.stream.read(limit + 1)
    if len(payload) > limit:
        raise too_large
    return payload


@bp.post("/ingest/<uid>")
def ingest(uid: str):
    """Store the readings in the body, or keep it as a dead letter and say why (422)."""
    device = _authenticated_device(uid)
    payload = _body()
    engine = db.engine()
    spec = _spec(engine, device.uid)
    db.session().rollback()  # end this request's read before the sink writes (SQLite locks)
    sink = DbSink(engine, retention_days=current_app.config.get(RETENTION_SETTING, 0))
    # Decided exactly as the MQTT ingest decides, parser bugs included (internal_error).
    batch = decode_for_device(spec, spec.topic, payload, datetime.now(UTC))
    if batch.dead_letters:
        letter = replace(batch.dead_letters[0], topic=request.path)
        sink.store(Batch(dead_letters=[letter]))
        answer = (letter.reason if letter.reason_code != "internal_error" else
                  "The message could not be processed; it was kept as a dead letter.")
        raise ApiError(422, answer, code=letter.reason_code)
    stored = sink.store(batch)
    return jsonify({"stored": stored, "received": len(batch.readings)}), 202


def _spec(engine: Engine, uid: str) -> DeviceSpec:
    """The device as the decoder sees it, read fresh (an edit applies to the next request)."""
    with engine.connect() as conn:
        specs = load_devices(conn, uid)
    if not specs:  # deleted between the token check and now
        raise ApiError(401, "Unknown device or wrong token.", code="invalid_token")
    return specs[0]
