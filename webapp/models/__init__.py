"""All models, importable from one place (Alembic reads Base.metadata from here)."""

from .audit import AuditEntry
from .base import Base
from .energy import SHARE_LEVELS, BoardMembership, MeterShare, MeterShareChange
from .park import DEFAULT_PUBLIC_FIELDS, PUBLISHABLE_FIELDS, Association, Company, Park
from .roadmap import Milestone, ParkRoadmap, PhaseOverride, PhaseSnapshot
from .sensor import Alert, AlertOverride, DeadLetter, Device, Reading, Rollup, Sensor
from .theme import (
    Experiment,
    IndicatorValue,
    Measure,
    MeasureStatusChange,
    MeasureTheme,
    ThemeProfile,
)
from .user import ROLES, ApiToken, LoginFailure, User, user_park

__all__ = [
    "DEFAULT_PUBLIC_FIELDS",
    "PUBLISHABLE_FIELDS",
    "ROLES",
    "SHARE_LEVELS",
    "BoardMembership",
    "MeterShare",
    "MeterShareChange",
    "Milestone",
    "ParkRoadmap",
    "PhaseOverride",
    "PhaseSnapshot",
    "Alert",
    "AlertOverride",
    "ApiToken",
    "Association",
    "AuditEntry",
    "Base",
    "Company",
    "DeadLetter",
    "Device",
    "Experiment",
    "IndicatorValue",
    "LoginFailure",
    "Measure",
    "MeasureStatusChange",
    "MeasureTheme",
    "Park",
    "Reading",
    "Rollup",
    "Sensor",
    "ThemeProfile",
    "User",
    "user_park",
]
