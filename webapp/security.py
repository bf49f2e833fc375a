"""Password hashing (argon2id), API tokens and login throttling."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .models import ApiToken, LoginFailure, User
from .models.base import utcnow

TOKEN_PREFIX = "wl_"
TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def _hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config["ARGON2_TIME_COST"],
        memory_cost=config["ARGON2_MEMORY_COST"],
        parallelism=config["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    """An argon2id hash of *password*."""
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    """Verify *password*; upgrade the stored hash when the cost settings have changed."""
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


def verify_login(user: User | None, password: str) -> bool:
    """Whether *user* may log in with *password*.

    Unknown and inactive accounts are checked against a dummy hash, so the answer takes as long
    as for a real account and timing does not reveal which e-mail addresses exist.
    """
    if user is None or not user.active:
        dummy = current_app.extensions.get("werklandschap.dummy_hash")
        if dummy is None:
            dummy = current_app.extensions["werklandschap.dummy_hash"] = hash_password(
                secrets.token_urlsafe(16))
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher().verify(dummy, password)
        return False
    return check_password(user, password)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_api_token(db: Session, user: User, name: str = "") -> str:
    """Store a new token for *user* and return it; it is shown this once only."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.add(ApiToken(user=user, name=name, token_hash=_digest(token)))
    db.flush()
    return token


def user_for_token(db: Session, token: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    api_token = db.scalar(
        select(ApiToken).where(ApiToken.token_hash == _digest(token), ApiToken.revoked_at.is_(None))
    )
    if api_token is None or not api_token.user.active:
        return None
    _mark_used(db, api_token)
    return api_token.user


def _mark_used(db: Session, api_token: ApiToken) -> None:
    """Record use at most once a minute, in its own statement, so reads persist it too."""
    now = utcnow()
    last = api_token.last_used_at
    if last is not None and last.tzinfo is None:  # SQLite returns naive UTC
        last = last.replace(tzinfo=now.tzinfo)
    if last is None or now - last > TOKEN_USE_RESOLUTION:
        db.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))
        db.commit()


def throttled(db: Session, email: str, address: str) -> bool:
    """Whether recent failures for this account or address exceed the limits."""
    config = current_app.config
    since = utcnow() - timedelta(seconds=config["LOGIN_WINDOW_SECONDS"])
    recent = select(func.count()).select_from(LoginFailure).where(LoginFailure.at >= since)
    per_account = db.scalar(recent.where(LoginFailure.email == email))
    per_address = db.scalar(recent.where(LoginFailure.address == address))
    return (
        per_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
        or per_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    )


def record_failure(db: Session, email: str, address: str) -> None:
    """Remember a failed login and forget failures older than the window."""
    window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
    db.execute(delete(LoginFailure).where(LoginFailure.at < utcnow() - window))
    db.add(LoginFailure(email=email, address=address))


def clear_failures(db: Session, email: str) -> None:
    """A successful login clears the account's recorded failures."""
    db.execute(delete(LoginFailure).where(LoginFailure.email == email))
