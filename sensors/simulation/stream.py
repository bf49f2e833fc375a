"""A time-ordered stream of simulated messages from several devices, e.g. to backfill history."""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from sensors.model import DeviceSpec
from sensors.simulation.blueprints import DeviceBlueprint, as_blueprint
from sensors.simulation.encode import encode
from sensors.simulation.noise import number
from sensors.simulation.values import SimState, values_at

Device = DeviceSpec | DeviceBlueprint


def ticks(device: Device, start: datetime, end: datetime) -> Iterator[datetime]:
    """The times in ``[start, end)`` at which the device reports, every ``interval_s`` seconds.

    Devices do not all report on the same second: each has a fixed offset within its interval,
    derived from its uid.
    """
    interval = as_blueprint(device).interval_s
    offset = number(as_blueprint(device).uid, interval)
    first = math.ceil((start.timestamp() - offset) / interval) * interval + offset
    ts = datetime.fromtimestamp(first, tz=UTC)
    while ts < end:
        yield ts
        ts += timedelta(seconds=interval)


def _numbered(times: Iterator[datetime], index: int) -> Iterator[tuple[datetime, int]]:
    for ts in times:
        yield ts, index


def messages(
    devices: Sequence[Device],
    start: datetime,
    end: datetime,
    latitude: float,
    longitude: float,
    state: SimState | None = None,
) -> Iterator[tuple[datetime, Device, str, bytes]]:
    """``(ts, device, topic, payload)`` for every report of every device in ``[start, end)``.

    Messages come in time order (ties in the order of *devices*). Pass a *state* to continue a
    run, so meter registers carry on where they were.
    """
    state = state if state is not None else SimState()
    streams = [_numbered(ticks(device, start, end), i) for i, device in enumerate(devices)]
    for ts, i in heapq.merge(*streams):
        device = devices[i]
        topic, payload = encode(device, ts, values_at(device, ts, latitude, longitude, state))
        yield ts, device, topic, payload
