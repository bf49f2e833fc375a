"""Payloads exactly as the real devices of each format send them.

* native: ``{"ts": "<ISO 8601, Amsterdam offset>", "values": [{"field", "value", "unit"}]}``
* ttn: a The Things Stack v3 uplink message (ids, RFC 3339 nanosecond ``received_at`` in UTC,
  ``frm_payload``, ``decoded_payload``, ``rx_metadata``, radio settings)
* dsmr: dsmr-reader's JSON telegram, numbers as strings with three decimals
* tasmota: a ``tele/<topic>/SENSOR`` message with the device's local, zone-less ``Time``
* senml: a SenML JSON pack (RFC 8428) with base name, base time and relative record times
* sensor_community: the firmware's JSON post with ``sensordatavalues`` (no time stamp)
"""

from __future__ import annotations

import base64
import json
import math
import struct
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sensors.model import DeviceSpec
from sensors.simulation.blueprints import DeviceBlueprint, all_fields, as_blueprint
from sensors.simulation.noise import number, signed, unit
from sensors.simulation.weather import local

_FRM_SCALE = 100  # frm_payload: each decoded value as a big-endian int32 of value x 100


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _utc_z(ts: datetime) -> str:
    """RFC 3339 in UTC with nanoseconds and Z, as The Things Stack writes times."""
    utc = ts.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond * 1000:09d}Z"


def _hex(seed: str, key: str, digits: int) -> str:
    return "".join(f"{int(unit(seed, key, i) * 16):X}" for i in range(digits))


def _native(device: DeviceBlueprint, ts: datetime, values: Mapping[str, float]) -> Any:
    return {"ts": local(ts).isoformat(), "values": [
        {"field": name, "value": values[name], "unit": unit_name}
        for name, _, unit_name in device.channels if name in values]}


def _application(topic: str) -> str:
    """The TTS application id from ``v3/<app>@<tenant>/devices/<device>/up``."""
    parts = topic.split("/")
    return parts[1].split("@")[0] if len(parts) > 1 else "werklandschap"


def _ttn(device: DeviceBlueprint, ts: datetime, values: Mapping[str, float]) -> Any:
    decoded = {name: values[name] for name, _, _ in device.channels if name in values}
    frm = b"".join(struct.pack(">i", round(v * _FRM_SCALE)) for v in decoded.values())
    f_cnt = int(ts.timestamp()) // device.interval_s % 2**32
    seed = device.uid
    rssi = round(-95 + 12 * signed(seed, "rssi", f_cnt))
    gateway_time = ts - timedelta(milliseconds=40 + 10 * unit(seed, "gw", f_cnt))
    radio = {"data_rate": {"lora": {"bandwidth": 125000, "spreading_factor": 7 + f_cnt % 3,
                                    "coding_rate": "4/5"}},
             "frequency": str(867100000 + 200000 * (f_cnt % 8)),
             "timestamp": int(gateway_time.timestamp() * 1e6) % 2**32}
    return {
        "end_device_ids": {
            "device_id": device.uid,
            "application_ids": {"application_id": _application(device.topic)},
            "dev_eui": "70B3D57ED0" + _hex(seed, "eui", 6),
            "join_eui": "0000000000000000",
            "dev_addr": "260B" + _hex(seed, "addr", 4),
        },
        "correlation_ids": [f"as:up:01{_hex(seed, str(f_cnt), 24)}"],
        "received_at": _utc_z(ts + timedelta(milliseconds=25)),
        "uplink_message": {
            "session_key_id": base64.b64encode(bytes.fromhex(_hex(seed, "sk", 32))).decode(),
            "f_port": 2, "f_cnt": f_cnt, "frm_payload": base64.b64encode(frm).decode(),
            "decoded_payload": decoded,
            "rx_metadata": [{
                "gateway_ids": {"gateway_id": f"{_application(device.topic)}-gw-1",
                                "eui": "B827EBFFFE" + _hex(seed, "gw", 6)},
                "time": _utc_z(gateway_time), "timestamp": radio["timestamp"],
                "rssi": rssi, "channel_rssi": rssi,
                "snr": round(9 + 3 * signed(seed, "snr", f_cnt), 2),
                "uplink_token": base64.b64encode(_hex(seed, "tok", 16).encode()).decode(),
                "received_at": _utc_z(gateway_time + timedelta(milliseconds=15)),
            }],
            "settings": {**radio, "time": _utc_z(gateway_time)},
            "received_at": _utc_z(ts),
            "consumed_airtime": "0.061696s",
            "network_ids": {"net_id": "000013", "tenant_id": "ttn", "cluster_id": "eu1",
                            "cluster_address": "eu1.cloud.thethings.network"},
        },
    }


_DSMR_ORDER = ("electricity_delivered_1", "electricity_returned_1", "electricity_delivered_2",
               "electricity_returned_2", "electricity_currently_delivered",
               "electricity_currently_returned", "phase_currently_delivered_l1",
               "phase_currently_delivered_l2", "phase_currently_delivered_l3",
               "extra_device_timestamp", "extra_device_delivered")


def _dsmr(device: DeviceBlueprint, ts: datetime, values: Mapping[str, float]) -> Any:
    telegram: dict[str, Any] = {"id": int(ts.timestamp()) // 10 % 10**8,
                                "timestamp": ts.astimezone(UTC).isoformat().replace("+00:00", "Z")}
    for name in _DSMR_ORDER:
        if name == "extra_device_timestamp":
            telegram[name] = telegram["timestamp"] if "extra_device_delivered" in values else None
        else:
            telegram[name] = f"{values[name]:.3f}" if name in values else None
    telegram.update({name: f"{value:.3f}" for name, value in values.items()
                     if name not in telegram})
    return telegram


def _nest(values: Mapping[str, Any]) -> dict[str, Any]:
    """Dotted field names as nested JSON objects (``ENERGY.Power`` -> ``{"ENERGY": {...}}``)."""
    tree: dict[str, Any] = {}
    for name, value in values.items():
        *parents, leaf = name.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return tree


def _tasmota_energy(uid: str, ts: datetime, power_w: float) -> dict[str, Any]:
    """The electrical details Tasmota reports next to Power, consistent with it."""
    voltage = round(230 + 4 * signed(uid, "volt", int(ts.timestamp()) // 60))
    factor = 0.92 if power_w > 100 else 0.55
    apparent = round(power_w / factor)
    return {"ApparentPower": apparent,
            "ReactivePower": round(math.sqrt(max(apparent**2 - power_w**2, 0))),
            "Factor": factor, "Voltage": voltage, "Current": round(apparent / voltage, 3)}


def _tasmota(device: DeviceBlueprint, ts: datetime, values: Mapping[str, float]) -> Any:
    fields = dict(values)
    if "ENERGY.Total" in fields:
        year = 2021 + number(device.uid, 4)
        fields = {"ENERGY.TotalStartTime": f"{year}-03-{1 + number(device.uid, 28):02d}T10:12:44",
                  **fields}
    if "ENERGY.Power" in fields:
        details = _tasmota_energy(device.uid, ts, fields["ENERGY.Power"])
        fields.update({f"ENERGY.{k}": v for k, v in details.items()})
    time = local(ts).replace(tzinfo=None, microsecond=0).isoformat()
    return {"Time": time, **_nest(fields)}


def _senml(device: DeviceBlueprint, ts: datetime, values: Mapping[str, float]) -> Any:
    epoch = ts.timestamp()
    records = [{"n": name, "u": unit_name, "v": values[name], "t": 0}
               for name, _, unit_name in device.channels if name in values]
    if records:
        records[0] = {"bn": f"urn:dev:serial:{device.uid}:",
                      "bt": int(epoch) if epoch.is_integer() else epoch, **records[0]}
    return records


def _sensor_community(device: DeviceBlueprint, ts: datetime,
                      values: Mapping[str, float]) -> Any:
    data = {name: f"{values[name]:.2f}" for name, _, _ in all_fields(device) if name in values}
    slot = int(ts.timestamp()) // device.interval_s
    if any(name.startswith("BME280_") for name in data):
        data["BME280_pressure"] = f"{101325 + 1500 * signed(device.uid, 'p', slot // 12):.2f}"
    data |= {"samples": str(4_900_000 + number(f"{device.uid}/{slot}", 200_000)),
             "min_micro": "28", "max_micro": str(20_000 + number(f"{device.uid}/m{slot}", 900)),
             "interval": str(device.interval_s * 1000),
             "signal": str(-60 - number(f"{device.uid}/s{slot}", 25))}
    return {"esp8266id": str(1_000_000 + number(device.uid, 9_000_000)),
            "software_version": "NRZ-2024-135",
            "sensordatavalues": [{"value_type": k, "value": v} for k, v in data.items()]}


_ENCODERS: dict[str, Callable[[DeviceBlueprint, datetime, Mapping[str, float]], Any]] = {
    "native": _native, "ttn": _ttn, "dsmr": _dsmr, "tasmota": _tasmota, "senml": _senml,
    "sensor_community": _sensor_community,
}


def encode(device: DeviceSpec | DeviceBlueprint, ts: datetime,
           values: Mapping[str, float]) -> tuple[str, bytes]:
    """``(topic, payload)`` of one message of *device* at *ts* carrying *values*."""
    blueprint = as_blueprint(device)
    try:
        encoder = _ENCODERS[blueprint.format]
    except KeyError:
        raise ValueError(f"no encoder for payload format {blueprint.format!r}") from None
    return blueprint.topic, _json(encoder(blueprint, ts, values))
