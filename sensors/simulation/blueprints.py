"""The demo devices of one park, and the view of a registered device the simulator works with.

Topics: native devices publish on ``werklandschap/<park-slug>/<uid>/up``; TTN uplinks arrive on
``v3/<app>@ttn/devices/<uid>/up``; Tasmota on ``tele/<uid>/SENSOR``; SenML on ``senml/<uid>``.
dsmr-reader publishes on ``dsmr/json`` by default, but a demo park runs several meters on one
broker, so each demo meter gets its own topic ``dsmr/<uid>/json`` (dsmr-reader lets you set the
topic per installation). sensor.community sensors post over HTTP and have no topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sensors.model import ChannelSpec, DeviceSpec
from sensors.simulation.noise import number

Channel = tuple[str, str, str]  # (field, quantity, unit as the device sends it)


@dataclass(frozen=True)
class DeviceBlueprint:
    """A device to simulate: what it sends, where, how often, and for which company.

    *company_index* ties meters, PV and indoor sensors to a member company (the n-th company of
    the park); ``None`` for the park's own devices.
    """

    uid: str
    name: str
    format: str
    topic: str
    channels: tuple[Channel, ...]
    interval_s: int
    company_index: int | None = None


_UNIT_UG = "µg/m³"
WEATHER = (("temperature", "temperature", "°C"), ("humidity", "humidity", "%"),
           ("pm25", "pm25", _UNIT_UG), ("pm10", "pm10", _UNIT_UG), ("no2", "no2", _UNIT_UG))
WADI = (("level", "water_level", "cm"), ("rain", "rainfall", "mm"))
TTN_AIR = (("temperature", "temperature", "°C"), ("humidity", "humidity", "%"),
           ("co2", "co2", "ppm"))
DSMR = (
    ("electricity_currently_delivered", "power", "kW"),
    ("electricity_delivered_1", "energy_import", "kWh"),
    ("electricity_delivered_2", "energy_import", "kWh"),
    ("electricity_returned_1", "energy_export", "kWh"),
    ("electricity_returned_2", "energy_export", "kWh"),
    ("extra_device_delivered", "gas", "m³"),
)
TASMOTA = (("ENERGY.Power", "power", "W"), ("ENERGY.Total", "energy_import", "kWh"))
SENML_PV = (("power", "pv_power", "W"), ("energy", "pv_energy", "Wh"))
SENSOR_COMMUNITY = (("SDS_P1", "pm10", _UNIT_UG), ("SDS_P2", "pm25", _UNIT_UG),
                    ("BME280_temperature", "temperature", "°C"),
                    ("BME280_humidity", "humidity", "%"))

# Everything a real device of each format sends, whether or not a channel maps it. Native and
# SenML devices send exactly their registered fields (the platform rejects others for them).
STANDARD_FIELDS: dict[str, tuple[Channel, ...]] = {
    "dsmr": (*DSMR, ("electricity_currently_returned", "power", "kW")),
    "tasmota": TASMOTA,
    "sensor_community": SENSOR_COMMUNITY,
}


def native_topic(park_slug: str, uid: str) -> str:
    """The MQTT topic of a native device."""
    return f"werklandschap/{park_slug}/{uid}/up"


def ttn_topic(application_id: str, uid: str) -> str:
    """The MQTT topic The Things Stack publishes a device's uplinks on."""
    return f"v3/{application_id}@ttn/devices/{uid}/up"


def _company(i: int, companies: int) -> int | None:
    return i % companies if companies > 0 else None


def demo_devices(park_slug: str, companies: int) -> list[DeviceBlueprint]:
    """The demo devices of one park: every payload format, uids prefixed with the park slug.

    A weather/air station and a wadi (native MQTT), a meeting-room CO2 node (LoRaWAN via TTN),
    smart meters of up to three companies (dsmr-reader), a cold-store plug meter (Tasmota), a
    PV inverter (SenML) and a citizen-science PM sensor (sensor.community, over HTTP).
    """
    def uid(name: str) -> str:
        return f"{park_slug}-{name}"

    devices = [
        DeviceBlueprint(uid("weather"), "Weer- en luchtkwaliteitsstation", "native",
                        native_topic(park_slug, uid("weather")), WEATHER, 600),
        DeviceBlueprint(uid("wadi"), "Wadi: waterstand en regenmeter", "native",
                        native_topic(park_slug, uid("wadi")), WADI, 300),
        DeviceBlueprint(uid("co2-1"), "CO2-sensor vergaderzaal (LoRaWAN)", "ttn",
                        ttn_topic(f"werklandschap-{park_slug}", uid("co2-1")), TTN_AIR, 600,
                        _company(0, companies)),
    ]
    for i in range(max(1, min(companies, 3))):
        meter = uid(f"meter-{i + 1}")
        devices.append(DeviceBlueprint(meter, f"Slimme meter bedrijf {i + 1}", "dsmr",
                                       f"dsmr/{meter}/json", DSMR, 300, _company(i, companies)))
    devices += [
        DeviceBlueprint(uid("plug-1"), "Koelcel (Tasmota-energiemeter)", "tasmota",
                        f"tele/{uid('plug-1')}/SENSOR", TASMOTA, 300, _company(1, companies)),
        DeviceBlueprint(uid("pv-1"), "Omvormer zonnepanelen", "senml", f"senml/{uid('pv-1')}",
                        SENML_PV, 300, _company(0, companies)),
        DeviceBlueprint(uid("pm-1"), "Fijnstofsensor (sensor.community)", "sensor_community",
                        "", SENSOR_COMMUNITY, 300),
    ]
    return devices


def as_blueprint(device: DeviceSpec | DeviceBlueprint) -> DeviceBlueprint:
    """The simulator's view of a device; a registered device gets a company from its uid."""
    if isinstance(device, DeviceBlueprint):
        return device
    channels = tuple((c.field, c.quantity, c.unit) for c in device.channels)
    topic = device.topic or (native_topic(device.park_slug, device.uid)
                             if device.format == "native" else "")
    return DeviceBlueprint(device.uid, device.uid, device.format, topic, channels,
                           device.interval_s, number(device.uid, 1000))


def all_fields(device: DeviceBlueprint) -> tuple[Channel, ...]:
    """The device's channels followed by the other fields its format always sends."""
    own = {field for field, _, _ in device.channels}
    extra = [c for c in STANDARD_FIELDS.get(device.format, ()) if c[0] not in own]
    return (*device.channels, *extra)


def spec_for(
    device: DeviceBlueprint,
    park_slug: str,
    *,
    device_id: int = 1,
    park_id: int = 1,
    first_sensor_id: int = 1,
    commissioned_at: datetime = datetime(2020, 1, 1, tzinfo=UTC),
) -> DeviceSpec:
    """A :class:`DeviceSpec` registering this blueprint (sensor ids numbered from the first)."""
    channels = tuple(ChannelSpec(first_sensor_id + i, field, quantity, unit)
                     for i, (field, quantity, unit) in enumerate(device.channels))
    return DeviceSpec(device_id, device.uid, park_id, park_slug, device.format, device.topic,
                      channels, commissioned_at, device.interval_s)
