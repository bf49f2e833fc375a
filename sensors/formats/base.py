"""What every payload parser returns, and the small helpers the parsers share."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sensors.model import Rejection
from sensors.validate import shown


@dataclass(frozen=True)
class RawValue:
    """One value as a device sent it: field name, raw value, unit if the payload has one, time.

    *value* is not yet checked (it may be a string or anything else JSON holds); *unit* is
    ``None`` when the payload carries no unit, so the channel's registered unit applies; *ts*
    is ``None`` when the format has no timestamp, so the time of arrival applies.
    """

    field: str
    value: object
    unit: str | None
    ts: datetime | None


def require_object(data: Any, what: str) -> dict[str, Any]:
    """*data* if it is a JSON object, else Rejection("bad_shape") naming *what*."""
    if not isinstance(data, dict):
        raise Rejection("bad_shape", f"{what} must be a JSON object, not {type_name(data)}")
    return data


def type_name(data: Any) -> str:
    """The JSON name of a parsed value's type, for messages."""
    names = {dict: "an object", list: "an array", str: "a string", bool: "a boolean",
             int: "a number", float: "a number", type(None): "null"}
    return names.get(type(data), type(data).__name__)


def flatten(data: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Leaves of nested JSON as (dotted path, value); list items get their index as a segment.

    JSON null leaves are skipped: devices that report many fields send null for "no value
    this time", which is not a measurement.
    """
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from flatten(value, f"{path}.")
        elif isinstance(value, list):
            yield from flatten({str(i): item for i, item in enumerate(value)}, f"{path}.")
        elif value is not None:
            yield path, value


def require_str(data: dict[str, Any], key: str, what: str) -> str:
    """A non-empty string member of *data*, else Rejection("bad_shape")."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Rejection("bad_shape", f"{what}: {key!r} must be a non-empty string, "
                                     f"not {shown(value)}")
    return value


def require_values(values: list[RawValue], what: str) -> list[RawValue]:
    """*values* if there are any; a message without a single value is Rejection("no_values").

    Parsers return an empty list only to say "ignore this message" on purpose (see dsmr).
    """
    if not values:
        raise Rejection("no_values", f"{what} holds no values")
    return values
