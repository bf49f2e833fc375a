"""API v1: devices, latest values, readings, dead letters, alerts and HTTP ingest.

This module registers and edits devices; the read side is in device_data.py and HTTP ingest
(token auth, no session) in ingest.py, both imported here so their routes exist.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import current_app, jsonify, url_for
from werkzeug.datastructures import MultiDict

from sensors.quantities import QUANTITIES

from .. import authz, db
from ..device_forms import DeviceForm, check_channels, check_registration, flat_errors
from ..errors import ApiError
from ..models import Device, Park
from ..services import device_channels, device_data
from ..services import devices as device_service
from . import device_data as _device_data_routes  # noqa: F401  (registers routes)
from . import ingest as _ingest_routes  # noqa: F401  (registers the ingest blueprint)
from .base import api_user, bp, json_body, require_login
from .device_access import device_for, iso
from .parks import to_formdata

FLAT_FIELDS = frozenset({
    "name", "uid", "location", "latitude", "longitude", "company_id", "payload_format",
    "topic", "interval_s", "commissioned_at", "active", "water_level_limit_cm",
})
SENSOR_KEYS = frozenset({"id", "field", "quantity", "unit", "name"})
DEFAULTS = {"active": True, "interval_s": 300, "payload_format": "native"}


def sensor_json(sensor) -> dict:
    """One sensor (mapped field) of a device."""
    quantity = QUANTITIES.get(sensor.quantity)
    return {"id": sensor.id, "field": sensor.field, "quantity": sensor.quantity,
            "unit": sensor.unit, "canonical_unit": quantity.unit if quantity else None,
            "name": sensor.name}


def device_json(device: Device) -> dict:
    """A device as the API shows it (never its hashes)."""
    company = device.company
    return {
        "uid": device.uid, "name": device.name, "park": device.park.slug,
        "location": device.location, "latitude": device.latitude,
        "longitude": device.longitude, "company_id": company.id if company else None,
        "company": company.name if company else None,
        "payload_format": device.payload_format, "topic": device.topic,
        "interval_s": device.interval_s, "commissioned_at": iso(device.commissioned_at),
        "active": device.active, "water_level_limit_cm": device.water_level_limit_cm,
        "last_seen_at": iso(device.last_seen_at),
        "status": device_data.device_status(device, datetime.now(UTC)),
        "sensors": [sensor_json(s) for s in device.sensors],
        "url": url_for("api.get_device", uid=device.uid),
    }


def credentials_json(device: Device, secret: str) -> dict:
    """The device's new secret with where to use it; returned once, never stored."""
    broker = device_service.broker_endpoint(current_app.config)
    return {
        "secret": secret,
        "mqtt": {"host": broker.host, "port": broker.port, "tls": broker.tls,
                 "username": device.uid, "password": secret, "topic": device.topic},
        "http": {"url": url_for("ingest.ingest", uid=device.uid, _external=True),
                 "authorization": f"Bearer {secret}"},
    }


def _valid_sensor_entry(sensor: dict) -> bool:
    texts_ok = all(isinstance(value, str | None) for key, value in sensor.items() if key != "id")
    sensor_id = sensor.get("id")
    id_ok = sensor_id is None or (isinstance(sensor_id, int) and not isinstance(sensor_id, bool))
    return texts_ok and id_ok and set(sensor) <= SENSOR_KEYS


def _sensor_formdata(sensors: Any, formdata: MultiDict) -> None:
    if not isinstance(sensors, list) or not all(isinstance(s, dict) for s in sensors):
        raise ApiError(400, "Wrong type.", code="validation_error",
                       fields={"sensors": "Must be a list of objects."})
    for index, sensor in enumerate(sensors):
        if not _valid_sensor_entry(sensor):
            raise ApiError(400, "The input is not valid.", code="validation_error", fields={
                f"sensors-{index}": "Give field, quantity, unit and name as strings, and "
                                    "optionally the sensor's id as an integer."})
        for key, value in sensor.items():
            name = "sensor_id" if key == "id" else key
            formdata.setlist(f"sensors-{index}-{name}", ["" if value is None else str(value)])


def device_formdata(data: dict) -> MultiDict:
    """JSON input as DeviceForm input; unknown keys and wrong types are a 400."""
    flat = {key: value for key, value in data.items() if key != "sensors"}
    formdata = to_formdata(flat, set(FLAT_FIELDS))
    if "sensors" in data:
        _sensor_formdata(data["sensors"], formdata)
    return formdata


def _validated_form(park: Park, formdata: MultiDict, device: Device | None,
                    removable: frozenset[str] = frozenset()) -> DeviceForm:
    form = DeviceForm(park, formdata=formdata, meta={"csrf": False, "number_mode": "en"})
    if not form.validate():
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields=_error_fields(form))
    if not check_registration(db.session(), form, device):
        raise ApiError(409, "Device id or topic already in use.", code="conflict",
                       fields=_error_fields(form))
    _check_channels(form, device, removable)
    return form


def _check_channels(form: DeviceForm, device: Device | None, removable: frozenset[str]) -> None:
    problems = check_channels(db.session(), form, device, removable)
    if any(p.kind == device_channels.UNKNOWN_SENSOR for p in problems):
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields=_error_fields(form))
    if problems:
        raise ApiError(409, "Sensors with stored readings cannot be removed (unless listed in "
                       "remove_fields) or measure another quantity.", code="conflict",
                       fields=_error_fields(form))


def _error_fields(form: DeviceForm) -> dict[str, str]:
    fields: dict[str, str] = {}
    for target, message in flat_errors(form):
        if target.endswith("-sensor_id"):  # the API calls a sensor's id "id"
            target = target.removesuffix("sensor_id") + "id"
        fields[target] = f"{fields[target]} {message}" if target in fields else message
    return fields


def _remove_fields(value: Any, device: Device) -> frozenset[str]:
    """The "remove_fields" of a PATCH: fields whose sensor may go with its readings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ApiError(400, "The input is not valid.", code="validation_error",
                       fields={"remove_fields": "Must be a list of field names."})
    unknown = sorted(set(value) - {s.field for s in device.sensors})
    if unknown:
        raise ApiError(400, "The input is not valid.", code="validation_error", fields={
            "remove_fields": f"Not a field of this device: {', '.join(unknown)}."})
    return frozenset(value)


@bp.get("/parks/<slug>/devices")
def list_devices(slug: str):
    """The devices of a park the caller sees in full."""
    require_login()
    park = authz.park_in_full(db.session(), api_user(), slug)
    return jsonify({"items": [device_json(d) for d in
                              device_service.list_devices(db.session(), park)]})


@bp.post("/parks/<slug>/devices")
def create_device(slug: str):
    """Register a device; the answer holds its secret, which is never shown again."""
    require_login()
    session_db = db.session()
    park = authz.park_for_edit(session_db, api_user(), slug)
    data = {**DEFAULTS, **json_body()}
    form = _validated_form(park, device_formdata(data), None)
    clean = form.clean()
    clean["commissioned_at"] = clean["commissioned_at"] or datetime.now(UTC)
    device, secret = device_service.create_device(
        session_db, park, clean, device_service.channels_from(clean["sensors"]))
    session_db.commit()
    response = jsonify({**device_json(device), "credentials": credentials_json(device, secret)})
    response.status_code = 201
    response.headers["Location"] = url_for("api.get_device", uid=device.uid)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/devices/<uid>")
def get_device(uid: str):
    """One device."""
    return jsonify(device_json(device_for(uid)))


def _current_input(device: Device) -> dict:
    data = device_service.device_form_data(device)
    data.pop("uid")
    data["commissioned_at"] = iso(data["commissioned_at"])
    data["sensors"] = [{"id": row.pop("sensor_id"), **row} for row in data["sensors"]]
    return data


@bp.patch("/devices/<uid>")
def update_device(uid: str):
    """Change a device; fields left out keep their value, ``sensors`` replaces the mapping.

    A sensor entry with an "id" keeps that sensor (a rename keeps its readings); one without
    matches by field name. A sensor with stored readings is removed only when its field is in
    "remove_fields", and never changes quantity (409 otherwise).
    """
    device = device_for(uid, edit=True)
    data = json_body()
    if "uid" in data and data["uid"] != device.uid:
        raise ApiError(400, "The device id cannot be changed.", code="validation_error",
                       fields={"uid": "Cannot be changed: it is the MQTT user name."})
    data.pop("uid", None)
    removable = _remove_fields(data.pop("remove_fields", []), device)
    form = _validated_form(device.park, device_formdata({**_current_input(device), **data}),
                           device, removable)
    clean = form.clean()
    clean["commissioned_at"] = clean["commissioned_at"] or device.commissioned_at
    session_db = db.session()
    device_service.update_device(session_db, device, clean,
                                 device_service.channels_from(clean["sensors"]), removable)
    session_db.commit()
    return jsonify(device_json(device))


@bp.post("/devices/<uid>/credentials")
def new_credentials(uid: str):
    """A new secret for the device (returned once).

    The HTTP token changes at once. Over MQTT the old password keeps working (and the new one
    does not) until ``werklandschap mqtt-credentials`` has been run and Mosquitto reloaded.
    """
    device = device_for(uid, edit=True)
    secret = device_service.issue_credentials(device)
    db.session().commit()
    response = jsonify(credentials_json(device, secret))
    response.headers["Cache-Control"] = "no-store"
    return response
