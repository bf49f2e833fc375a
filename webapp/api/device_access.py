"""Shared by the device API modules: finding a device within the caller's scope, timestamps."""

from __future__ import annotations

from datetime import datetime

from .. import authz, db
from ..errors import ApiError
from ..models import Device
from ..services import devices as device_service
from ..services.device_data import as_utc
from .base import api_user, require_login


def iso(moment: datetime | None) -> str | None:
    """A stored moment as ISO 8601 in UTC (None stays None)."""
    moment = as_utc(moment)
    return moment.isoformat() if moment else None


def device_for(uid: str, *, edit: bool = False) -> Device:
    """The device if the caller sees (or, with *edit*, may change) its park; else 401/404."""
    require_login()
    user = api_user()
    scope = authz.edit_scope(user) if edit else authz.full_scope(user)
    device = device_service.device_in_scope(db.session(), scope, uid)
    if device is None:
        raise ApiError(404, "Device not found.", code="not_found")
    return device
