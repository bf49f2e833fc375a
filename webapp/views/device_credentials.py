"""A device's one-time credentials page, reached by post/redirect/get.

The request that makes a secret keeps only a random nonce in the user's session and redirects;
the credentials page derives the secret from the app's key and that nonce, shows it once and
drops the nonce. So a reload never registers a second device or issues new credentials, and the
secret itself is never stored: not in the database (only its hashes), not in the session cookie.
"""

from __future__ import annotations

from flask import Response, current_app, redirect, render_template, session, url_for

from ..models import Device, Park
from ..services import devices as device_service

# Session key: per device uid the nonce of a secret not shown yet (never the secret itself).
PENDING_SECRETS = "device_secret_nonces"


def one_time_secret(uid: str, nonce: str) -> str:
    """The secret for *uid* made from the app's secret key and *nonce*."""
    return device_service.one_time_secret(current_app.secret_key, uid, nonce)


def redirect_to_credentials(park: Park, device: Device, nonce: str) -> Response:
    """Remember *nonce* until the credentials page is shown, and go there (303)."""
    pending = dict(session.get(PENDING_SECRETS, {}))
    pending[device.uid] = nonce
    session[PENDING_SECRETS] = pending
    response = redirect(url_for("devices.show_credentials", slug=park.slug, uid=device.uid),
                        303)
    response.headers["Cache-Control"] = "no-store"
    return response


def take_secret(device: Device) -> str | None:
    """The device's secret not shown yet, forgetting it; None if shown already or replaced."""
    pending = dict(session.get(PENDING_SECRETS, {}))
    nonce = pending.pop(device.uid, None)
    if pending:
        session[PENDING_SECRETS] = pending
    else:
        session.pop(PENDING_SECRETS, None)
    if not isinstance(nonce, str):
        return None
    secret = one_time_secret(device.uid, nonce)
    return secret if device_service.token_matches(device, secret) else None


def credentials_page(device: Device, secret: str, context: dict) -> Response:
    """The page with the MQTT and HTTP credentials; never cached."""
    broker = device_service.broker_endpoint(current_app.config)
    html = render_template("devices/credentials.html", **context, device=device, secret=secret,
                           broker=broker, ingest_url=url_for("ingest.ingest", uid=device.uid,
                                                             _external=True))
    response = Response(html)
    response.headers["Cache-Control"] = "no-store"
    return response
