"""The simulator: reproducible, believable values in the device's units, real payload shapes."""

from __future__ import annotations

import base64
import json
import re
import statistics
import struct
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sensors.formats import decode
from sensors.model import FORMATS, ChannelSpec, DeviceSpec
from sensors.quantities import QUANTITIES, convert
from sensors.simulation import companies, weather
from sensors.simulator import (
    DeviceBlueprint,
    SimState,
    demo_devices,
    encode,
    messages,
    solar_elevation,
    spec_for,
    ticks,
    values_at,
)

AMS = ZoneInfo("Europe/Amsterdam")
LAT, LON = 52.53, 6.12  # Hessenpoort, Zwolle
SLUG = "hessenpoort"
DEVICES = demo_devices(SLUG, 4)
CUMULATIVE = {code for code, q in QUANTITIES.items() if q.kind == "cumulative"}


def device(kind: str) -> DeviceBlueprint:
    return next(d for d in DEVICES if d.uid == f"{SLUG}-{kind}")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=AMS).astimezone(UTC)


def series(dev, start: datetime, days: float, state: SimState | None = None):
    """[(ts, values)] of one device, stepping by its interval."""
    state = state or SimState()
    end = start + timedelta(days=days)
    return [(ts, values_at(dev, ts, LAT, LON, state)) for ts in ticks(dev, start, end)]


# --- the demo park -----------------------------------------------------------------------------

@pytest.mark.parametrize("companies_count", [0, 1, 3, 12])
def test_demo_devices_cover_every_format(companies_count):
    devices = demo_devices("de-vaart", companies_count)
    assert {d.format for d in devices} == set(FORMATS)
    assert 6 <= len(devices) <= 10
    uids = [d.uid for d in devices]
    assert len(set(uids)) == len(uids) and all(u.startswith("de-vaart-") for u in uids)
    topics = [d.topic for d in devices if d.topic]
    assert len(set(topics)) == len(topics) == len(devices) - 1  # only the HTTP sensor has none
    for d in devices:
        assert d.company_index is None or 0 <= d.company_index < companies_count
        for _, quantity, unit in d.channels:
            convert(1.0, unit, quantity)  # every unit is one the platform accepts


def test_demo_topics_follow_each_format():
    patterns = {
        "native": rf"werklandschap/{SLUG}/{SLUG}-[a-z0-9-]+/up",
        "ttn": rf"v3/werklandschap-{SLUG}@ttn/devices/{SLUG}-co2-1/up",
        "dsmr": rf"dsmr/{SLUG}-meter-\d/json",
        "tasmota": rf"tele/{SLUG}-plug-1/SENSOR",
        "senml": rf"senml/{SLUG}-pv-1",
        "sensor_community": "",
    }
    for d in DEVICES:
        assert re.fullmatch(patterns[d.format], d.topic), d
    quantities = {q for d in DEVICES for _, q, _ in d.channels}
    assert {"temperature", "humidity", "pm25", "pm10", "no2", "water_level", "rainfall", "co2",
            "power", "energy_import", "energy_export", "gas", "pv_power", "pv_energy"} <= quantities


# --- the sun and PV ----------------------------------------------------------------------------

def test_solar_elevation():
    june = solar_elevation(datetime(2026, 6, 21, 11, 35, tzinfo=UTC), LAT, LON)
    december = solar_elevation(datetime(2026, 12, 21, 11, 35, tzinfo=UTC), LAT, LON)
    assert june == pytest.approx(90 - LAT + 23.44, abs=1.0)
    assert december == pytest.approx(90 - LAT - 23.44, abs=1.0)
    assert solar_elevation(datetime(2026, 6, 21, 23, 35, tzinfo=UTC), LAT, LON) < 0
    assert solar_elevation(datetime(2026, 3, 20, 11, 35, tzinfo=UTC), 0.0, LON) > 85


@pytest.mark.parametrize("day", [1, 10, 21])
def test_pv_noon_in_june_beats_december_and_night_is_zero(day):
    pv = device("pv-1")
    state = SimState()
    june = values_at(pv, local(2026, 6, day, 13, 40), LAT, LON, state)["power"]
    december = values_at(pv, local(2026, 12, day, 12, 20), LAT, LON, SimState())["power"]
    assert june > december >= 0
    assert june > 10_000  # W: a 100 kWp roof at noon in June
    night = series(pv, local(2026, 6, day, 23, 0), days=5 / 24)
    assert night and all(v["power"] == 0 for _, v in night)
    assert len({v["energy"] for _, v in night}) == 1  # no yield at night


# --- determinism -------------------------------------------------------------------------------

def stream(devices, start, hours, state=None):
    return list(messages(devices, start, start + timedelta(hours=hours), LAT, LON, state))


def test_runs_are_reproducible():
    start = local(2026, 4, 7, 6)
    first, second = stream(DEVICES, start, 6), stream(DEVICES, start, 6)
    assert [(ts, d.uid, t, p) for ts, d, t, p in first] == \
           [(ts, d.uid, t, p) for ts, d, t, p in second]
    other = stream(DEVICES, start, 6, SimState(seed=1))
    assert [p for *_, p in first] != [p for *_, p in other]


def test_devices_differ_and_gauges_do_not_depend_on_history():
    ts = local(2026, 4, 7, 10, 3)
    a = values_at(device("meter-1"), ts, LAT, LON, SimState())
    b = values_at(device("meter-2"), ts, LAT, LON, SimState())
    assert a != b
    state = SimState()
    series(device("weather"), ts - timedelta(days=2), days=2, state=state)
    assert values_at(device("weather"), ts, LAT, LON, state) == \
        values_at(device("weather"), ts, LAT, LON, SimState())


# --- values in the device's units ---------------------------------------------------------------

BELIEVABLE = {  # canonical unit
    "temperature": (-20, 40), "humidity": (15, 100), "pm25": (0.5, 150), "pm10": (1, 200),
    "no2": (1, 150), "co2": (380, 3000), "water_level": (0, 80), "rainfall": (0, 40),
    "power": (0, 400), "pv_power": (0, 400),
}


@pytest.mark.parametrize("start", [local(2026, 1, 19), local(2026, 7, 20)])
def test_values_are_believable_in_canonical_units(start):
    for dev in DEVICES:
        for _, values in series(dev, start, days=3):
            for name, quantity, unit in dev.channels:
                value = convert(values[name], unit, quantity)
                q = QUANTITIES[quantity]
                assert q.min_value <= value <= q.max_value
                if quantity in BELIEVABLE:
                    low, high = BELIEVABLE[quantity]
                    assert low <= value <= high, (dev.uid, name, value)


def test_values_come_in_the_devices_own_units():
    ts = local(2026, 6, 15, 13)
    in_w = values_at(device("pv-1"), ts, LAT, LON, SimState())
    kw = DeviceBlueprint(f"{SLUG}-pv-1", "", "senml", "x", (("power", "pv_power", "kW"),
                                                            ("energy", "pv_energy", "kWh")), 300, 0)
    in_kw = values_at(kw, ts, LAT, LON, SimState())
    assert in_w["power"] == pytest.approx(in_kw["power"] * 1000, abs=1)
    assert in_w["energy"] == pytest.approx(in_kw["energy"] * 1000, abs=1)
    assert isinstance(in_w["power"], int)  # inverters report whole watts
    plug = values_at(device("plug-1"), ts, LAT, LON, SimState())
    assert 40 <= plug["ENERGY.Power"] <= 3680  # W on a 16 A plug
    assert 0 < plug["ENERGY.Total"] < 5000  # kWh


def test_meters_only_rise_even_out_of_order():
    for dev in DEVICES:
        meters = [name for name, q, _ in dev.channels if q in CUMULATIVE]
        state = SimState()
        rows = series(dev, local(2026, 2, 27), days=3, state=state)
        for name in meters:
            readings = [v[name] for _, v in rows]
            assert all(b >= a for a, b in zip(readings, readings[1:], strict=False)), name
            assert readings[-1] > readings[0] or name.startswith("electricity_returned"), name
        if meters:
            earlier = values_at(dev, rows[0][0], LAT, LON, state)
            assert all(earlier[n] == rows[-1][1][n] for n in meters)


def daily_import(meter: DeviceBlueprint, day: datetime) -> float:
    rows = series(meter, day, days=1)
    first, last = rows[0][1], rows[-1][1]
    return sum(last[f] - first[f] for f in ("electricity_delivered_1", "electricity_delivered_2"))


@pytest.mark.parametrize("meter", ["meter-1", "meter-2", "meter-3"])
def test_weekdays_use_more_than_sundays(meter):
    wednesday, sunday = local(2026, 1, 14), local(2026, 1, 18)
    assert daily_import(device(meter), wednesday) > 1.3 * daily_import(device(meter), sunday)


def test_office_hours_and_tariffs():
    office = companies.company(0)
    assert companies.activity(office, local(2026, 3, 4, 11)) == 1.0
    assert companies.activity(office, local(2026, 3, 4, 3)) == 0.0
    assert companies.activity(office, local(2026, 3, 8, 11)) == 0.0  # Sunday
    rows = series(device("meter-1"), local(2026, 3, 7), days=1)  # Saturday: low tariff all day
    assert rows[0][1]["electricity_delivered_2"] == rows[-1][1]["electricity_delivered_2"]


def test_gas_follows_the_cold():
    who = companies.company(0)
    ts = local(2026, 1, 14, 10)
    assert companies.gas_m3_h(who, ts, -5) > companies.gas_m3_h(who, ts, 5) > \
        companies.gas_m3_h(who, ts, 18)
    meter = device("meter-1")
    winter = series(meter, local(2026, 1, 12), days=7)
    summer = series(meter, local(2026, 7, 13), days=7)

    def used(rows):
        return rows[-1][1]["extra_device_delivered"] - rows[0][1]["extra_device_delivered"]

    assert used(winter) > 3 * used(summer) > 0


def test_temperature_cycles_over_day_and_year_and_humidity_opposes_it():
    rows = series(device("weather"), local(2026, 7, 1), days=30)
    afternoon = [v["temperature"] for ts, v in rows if ts.astimezone(AMS).hour == 16]
    dawn = [v["temperature"] for ts, v in rows if ts.astimezone(AMS).hour == 5]
    assert statistics.mean(afternoon) > statistics.mean(dawn) + 3
    january = series(device("weather"), local(2026, 1, 1), days=30)
    assert statistics.mean(v["temperature"] for _, v in rows) > \
        statistics.mean(v["temperature"] for _, v in january) + 8
    temps = [v["temperature"] for _, v in rows]
    hums = [v["humidity"] for _, v in rows]
    assert statistics.correlation(temps, hums) < -0.5


def test_traffic_peaks_in_no2_and_pm():
    rows = series(device("weather"), local(2026, 10, 5), days=28)
    weekday = [(ts.astimezone(AMS), v) for ts, v in rows if ts.astimezone(AMS).weekday() < 5]
    for field in ("no2", "pm25"):
        rush = statistics.mean(v[field] for ts, v in weekday if ts.hour == 8)
        night = statistics.mean(v[field] for ts, v in weekday if ts.hour == 3)
        assert rush > 1.2 * night, field


def test_rain_fills_the_wadi_which_then_drains():
    seed = SimState().park_seed(LAT, LON)
    start = local(2026, 8, 1)
    hours = [start + timedelta(hours=h) for h in range(24 * 61)]
    wettest = max(hours, key=lambda h: weather.rainfall(seed, h, h + timedelta(hours=1)))
    assert weather.rainfall(seed, wettest, wettest + timedelta(hours=1)) > 3
    before = weather.wadi_level(seed, wettest - timedelta(minutes=1))
    peak = weather.wadi_level(seed, wettest + timedelta(hours=1))
    later = weather.wadi_level(seed, wettest + timedelta(hours=48))
    assert peak > before + 5 and later < peak / 2


def test_rain_gauge_intervals_add_up_to_the_rain_that_fell():
    wadi = device("wadi")
    start = local(2026, 8, 1)
    state = SimState()
    rows = series(wadi, start, days=20, state=state)
    seed = state.park_seed(LAT, LON)
    expected = weather.rainfall(seed, rows[0][0] - timedelta(seconds=wadi.interval_s), rows[-1][0])
    assert expected > 5
    assert sum(v["rain"] for _, v in rows) == pytest.approx(expected, abs=0.005 * len(rows))
    assert max(v["level"] for _, v in rows) > min(v["level"] for _, v in rows) + 5


def test_registered_device_with_other_quantities():
    spec = DeviceSpec(9, "some-heat-meter", 1, SLUG, "native", "", (
        ChannelSpec(1, "heat", "heat", "GJ"), ChannelSpec(2, "water", "water", "m³"),
        ChannelSpec(3, "kwh", "energy", "kWh"), ChannelSpec(4, "p", "power", "W"),
    ), datetime(2020, 1, 1, tzinfo=UTC), 900)
    rows = series(spec, local(2026, 2, 2), days=2)
    assert rows[-1][1]["heat"] > rows[0][1]["heat"] and rows[-1][1]["water"] > rows[0][1]["water"]
    assert any(v["kwh"] > 0 for _, v in rows) and any(v["p"] > 1000 for _, v in rows)
    topic, _ = encode(spec, rows[0][0], rows[0][1])
    assert topic == f"werklandschap/{SLUG}/some-heat-meter/up"
    with pytest.raises(ValueError, match="wind"):
        values_at(DeviceBlueprint("x", "x", "native", "t", (("w", "wind", "m/s"),), 60),
                  rows[0][0], LAT, LON, SimState())


# --- payloads ----------------------------------------------------------------------------------

TS = local(2026, 3, 29, 14, 7, 30)  # the first day of summer time


def payload_of(kind: str, ts: datetime = TS):
    dev = device(kind)
    values = values_at(dev, ts, LAT, LON, SimState())
    topic, payload = encode(dev, ts, values)
    return dev, values, topic, json.loads(payload.decode("utf-8"))


def test_native_payload():
    dev, values, topic, data = payload_of("weather")
    assert topic == dev.topic and set(data) == {"ts", "values"}
    assert datetime.fromisoformat(data["ts"]) == TS
    assert data["ts"].endswith("+02:00")
    assert data["values"] == [{"field": f, "value": values[f], "unit": u}
                              for f, _, u in dev.channels]


def test_ttn_uplink():
    dev, values, topic, data = payload_of("co2-1")
    assert topic == dev.topic
    ids = data["end_device_ids"]
    assert ids["device_id"] == dev.uid
    assert topic == f"v3/{ids['application_ids']['application_id']}@ttn/devices/{dev.uid}/up"
    assert re.fullmatch(r"[0-9A-F]{16}", ids["dev_eui"])
    uplink = data["uplink_message"]
    rfc3339 = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z"
    for stamp in (data["received_at"], uplink["received_at"], uplink["rx_metadata"][0]["time"]):
        assert re.fullmatch(rfc3339, stamp)
    assert datetime.fromisoformat(uplink["received_at"]) == TS
    assert uplink["decoded_payload"] == {f: values[f] for f, _, _ in dev.channels}
    raw = base64.b64decode(uplink["frm_payload"])
    assert [v / 100 for v in struct.unpack(f">{len(raw) // 4}i", raw)] == \
        pytest.approx(list(uplink["decoded_payload"].values()))
    assert uplink["rx_metadata"][0]["gateway_ids"]["gateway_id"]
    assert isinstance(uplink["f_cnt"], int) and uplink["f_port"] > 0


def test_dsmr_reader_telegram():
    dev, values, topic, data = payload_of("meter-1")
    assert topic == f"dsmr/{dev.uid}/json"
    assert datetime.fromisoformat(data["timestamp"]) == TS and data["timestamp"].endswith("Z")
    for name, _, _ in dev.channels:
        assert re.fullmatch(r"\d+\.\d{3}", data[name]), name
        assert float(data[name]) == pytest.approx(values[name], abs=0.0005)
    assert "electricity_currently_returned" in data and isinstance(data["id"], int)
    assert data["extra_device_timestamp"] == data["timestamp"]


def test_tasmota_sensor_message():
    dev, values, topic, data = payload_of("plug-1")
    assert topic == f"tele/{dev.uid}/SENSOR"
    assert data["Time"] == "2026-03-29T14:07:30"  # the device's local clock, no zone
    energy = data["ENERGY"]
    assert energy["Power"] == values["ENERGY.Power"] and isinstance(energy["Power"], int)
    assert energy["Total"] == values["ENERGY.Total"]
    assert {"Today", "Yesterday", "Voltage", "Current", "Factor", "TotalStartTime"} <= set(energy)


def test_senml_pack():
    dev, values, topic, data = payload_of("pv-1")
    assert topic == f"senml/{dev.uid}"
    assert isinstance(data, list) and len(data) == len(dev.channels)
    assert data[0]["bn"].endswith(":") and data[0]["bt"] == TS.timestamp()
    assert all("bn" not in record and "bt" not in record for record in data[1:])
    assert [(r["n"], r["u"], r["v"], r["t"]) for r in data] == \
        [(f, u, values[f], 0) for f, _, u in dev.channels]


def test_sensor_community_post():
    dev, values, topic, data = payload_of("pm-1")
    assert topic == ""
    assert re.fullmatch(r"\d+", data["esp8266id"]) and data["software_version"]
    posted = {e["value_type"]: e["value"] for e in data["sensordatavalues"]}
    assert all(isinstance(v, str) for v in posted.values())
    for name, _, _ in dev.channels:
        assert float(posted[name]) == pytest.approx(values[name])
    assert {"samples", "signal", "BME280_pressure"} <= set(posted)


def test_unknown_format_is_refused():
    odd = DeviceBlueprint("x", "x", "modbus", "t", (), 60)
    with pytest.raises(ValueError, match="modbus"):
        encode(odd, TS, {})


# --- round trip through the platform's own parsers --------------------------------------------

# sensor.community posts carry no time; Tasmota's zone-less Time is read as Amsterdam time.
STAMPED_ON_ARRIVAL = {"sensor_community"}


@pytest.mark.parametrize("kind", [d.uid.removeprefix(f"{SLUG}-") for d in DEVICES])
@pytest.mark.parametrize("ts", [TS, local(2026, 10, 25, 2, 30), local(2026, 7, 1, 12, 0, 1)])
def test_round_trip_through_the_parsers(kind, ts):
    dev = device(kind)
    spec = spec_for(dev, SLUG, first_sensor_id=100)
    values = values_at(spec, ts, LAT, LON, SimState())
    topic, payload = encode(spec, ts, values)
    now = ts + timedelta(seconds=2)
    readings = decode(topic, payload, spec, now)
    assert len(readings) == len(spec.channels)
    by_sensor = {r.sensor_id: r for r in readings}
    for channel in spec.channels:
        reading = by_sensor[channel.sensor_id]
        expected = convert(values[channel.field], channel.unit, channel.quantity)
        assert reading.value == pytest.approx(expected, abs=1e-9), channel.field
        assert reading.ts == (now if dev.format in STAMPED_ON_ARRIVAL else ts)


# --- the message stream ------------------------------------------------------------------------

def test_messages_are_in_time_order_and_every_device_keeps_its_interval():
    start = local(2026, 5, 4, 0, 0, 7)
    rows = stream(DEVICES, start, 5)
    stamps = [ts for ts, *_ in rows]
    assert stamps == sorted(stamps)
    assert all(start <= ts < start + timedelta(hours=5) for ts in stamps)
    for dev in DEVICES:
        own = [ts for ts, d, *_ in rows if d is dev]
        assert len(own) == 5 * 3600 // dev.interval_s
        assert {b - a for a, b in zip(own, own[1:], strict=False)} == \
            {timedelta(seconds=dev.interval_s)}
    for _, dev, topic, payload in rows:
        assert topic == dev.topic and json.loads(payload)


def test_a_resumed_run_carries_its_meters_on():
    meter = [device("meter-2")]
    start = local(2026, 5, 4)
    state = SimState()
    first = stream(meter, start, 2, state)
    second = stream(meter, start + timedelta(hours=2), 2, state)
    last = json.loads(first[-1][3])["electricity_delivered_2"]
    resumed = json.loads(second[0][3])["electricity_delivered_2"]
    assert float(resumed) >= float(last)
    assert float(resumed) - float(last) < 1  # one interval's use, not a jump
