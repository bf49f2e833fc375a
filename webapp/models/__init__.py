"""All models, importable from one place (Alembic reads Base.metadata from here)."""

from .audit import AuditEntry
from .base import Base
from .park import DEFAULT_PUBLIC_FIELDS, PUBLISHABLE_FIELDS, Association, Company, Park
from .user import ROLES, ApiToken, LoginFailure, User, user_park

__all__ = [
    "DEFAULT_PUBLIC_FIELDS",
    "PUBLISHABLE_FIELDS",
    "ROLES",
    "ApiToken",
    "Association",
    "AuditEntry",
    "Base",
    "Company",
    "LoginFailure",
    "Park",
    "User",
    "user_park",
]
