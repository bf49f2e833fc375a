"""The demo sensor simulator: believable devices of every payload format for a demo park.

Pure Python (no MQTT, no database): it makes up values (:func:`values_at`), encodes them the way
the real devices do (:func:`encode`) and streams them in time order (:func:`messages`). The CLI
publishes the stream to the broker or posts it over HTTP. The parts live in
:mod:`sensors.simulation`.
"""

from sensors.simulation.blueprints import (
    DeviceBlueprint,
    all_fields,
    as_blueprint,
    demo_devices,
    native_topic,
    spec_for,
    ttn_topic,
)
from sensors.simulation.encode import encode
from sensors.simulation.solar import clear_sky_fraction, solar_elevation
from sensors.simulation.stream import messages, ticks
from sensors.simulation.values import SimState, values_at

__all__ = [
    "DeviceBlueprint",
    "SimState",
    "all_fields",
    "as_blueprint",
    "clear_sky_fraction",
    "demo_devices",
    "encode",
    "messages",
    "native_topic",
    "solar_elevation",
    "spec_for",
    "ticks",
    "ttn_topic",
    "values_at",
]
