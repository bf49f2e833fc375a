"""Mosquitto 2 configuration generated from the device register: passwords, ACLs, broker config.

Every device gets its own broker account (its uid) that may publish only on its own topics:
``werklandschap/<park-slug>/<uid>/up`` plus the external-format topic (or topic filter, such
as ``dsmr/reading/#``) it is registered with.
The ingest account reads everything (also through ``$share/...``); nobody else reads.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PBKDF2_ITERATIONS = 101  # what mosquitto_passwd 2.0 writes; the broker reads any count
SALT_BYTES = 12  # mosquitto_passwd's salt length
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NATIVE_ROOT = "werklandschap"  # first level of every native device's topic


def password_hash(
    password: str, salt: bytes | None = None, iterations: int = PBKDF2_ITERATIONS
) -> str:
    """Hash *password* as mosquitto 2 does: ``$7$<iterations>$<b64 salt>$<b64 PBKDF2-SHA512>``."""
    if not password:
        raise ValueError("password must not be empty")
    salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
    digest = hashlib.pbkdf2_hmac("sha512", password.encode("utf-8"), salt, iterations)
    return f"$7${iterations}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, hashed: str) -> bool:
    """Check *password* against a ``$7$`` hash (as the broker would)."""
    parts = hashed.split("$")
    if len(parts) != 5 or parts[1] != "7":
        raise ValueError("not a mosquitto PBKDF2-SHA512 hash")
    salt = base64.b64decode(parts[3])
    expected = password_hash(password, salt=salt, iterations=int(parts[2]))
    return secrets.compare_digest(expected, hashed)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def native_topic(park_slug: str, uid: str) -> str:
    """The topic a native device publishes its uplinks on."""
    return f"werklandschap/{park_slug}/{uid}/up"


@dataclass(frozen=True)
class DeviceAccount:
    """A device's broker login; *topics* are its registered external-format topics, if any."""

    username: str
    password_hash: str
    park_slug: str
    topics: tuple[str, ...] = ()

    def allowed_topics(self) -> tuple[str, ...]:
        """Every topic this device may publish on: its native topic, then its registered ones."""
        native = native_topic(self.park_slug, self.username)
        return tuple(dict.fromkeys((native, *self.topics)))


def check_username(username: str) -> str:
    """Refuse names that would break the password or ACL file syntax."""
    if not _USERNAME.match(username):
        raise ValueError(f"unusable broker username: {username!r}")
    return username


def check_publish_topic(topic: str) -> str:
    """Refuse a topic or topic filter that is unsafe or malformed in an ACL ``topic write`` rule.

    Exact topics pass, and so do filters whose wildcards fill whole levels: ``+`` anywhere but
    the first level, ``#`` only as the last level (``dsmr/reading/#``, ``tele/+/SENSOR``).
    Refused: an empty topic, a ``$`` prefix, control characters, a wildcard inside a level
    (``a#``, ``a+b``), ``#`` before the last level, a wildcard in the first level (it would
    cover every park's topics) and a wildcard under the native ``werklandschap/`` tree (each
    native device has exactly one topic there).
    """
    if not topic or len(topic.encode("utf-8")) > 65535 or _unsafe(topic):
        raise ValueError(f"unusable device topic: {topic!r}")
    return topic


def _unsafe(topic: str) -> bool:
    """Whether *topic* breaks one of the rules of :func:`check_publish_topic`."""
    levels = topic.split("/")
    wildcards = [i for i, level in enumerate(levels) if level in ("+", "#")]
    return (
        topic.startswith("$")
        or _CONTROL.search(topic) is not None
        or any(("+" in level or "#" in level) and level not in ("+", "#") for level in levels)
        or "#" in levels[:-1]
        or 0 in wildcards
        or (bool(wildcards) and levels[0] == NATIVE_ROOT)
    )


def password_file(accounts: Iterable[DeviceAccount], service_accounts: Mapping[str, str]) -> str:
    """The password file: one ``user:hash`` line per device and per service account.

    *service_accounts* maps a service username (ingest, simulator) to its password hash.
    """
    lines: dict[str, str] = {}
    entries = [(a.username, a.password_hash) for a in accounts] + list(service_accounts.items())
    for username, hashed in entries:
        if check_username(username) in lines:
            raise ValueError(f"duplicate broker username: {username!r}")
        if not hashed.startswith("$7$") or ":" in hashed or "\n" in hashed:
            raise ValueError(f"password for {username!r} is not a mosquitto hash")
        lines[username] = f"{username}:{hashed}"
    return "".join(line + "\n" for line in lines.values())


def acl_file(
    accounts: Iterable[DeviceAccount], ingest_user: str, simulator_user: str | None = None
) -> str:
    """The ACL file: devices write their own topics only, the ingest user reads everything."""
    accounts = list(accounts)
    blocks = [
        "# Generated by werklandschap mqtt-credentials; edits are overwritten.",
        _acl_block(ingest_user, ["topic read #", "topic read $share/#"]),
    ]
    if simulator_user:
        topics = [t for account in accounts for t in account.allowed_topics()]
        blocks.append(_acl_block(simulator_user, _write_rules(topics)))
    blocks.extend(_acl_block(a.username, _write_rules(a.allowed_topics())) for a in accounts)
    return "\n\n".join(blocks) + "\n"


def _write_rules(topics: Iterable[str]) -> list[str]:
    return [f"topic write {check_publish_topic(t)}" for t in dict.fromkeys(topics)]


def _acl_block(username: str, rules: list[str]) -> str:
    return "\n".join([f"user {check_username(username)}", *rules])


def mosquitto_conf(
    data_dir: Path,
    port: int,
    password_file: Path | None,
    acl_file: Path | None,
    *,
    persistence: bool = True,
    max_queued_messages: int = 100_000,
    max_inflight_messages: int = 1000,
    autosave_interval: int = 60,
    bind_address: str | None = None,
    allow_anonymous: bool = False,
    run_as_user: str | None = None,
    log_dest: str = "stderr",
    persistent_client_expiration: str = "14d",
) -> str:
    """A mosquitto.conf for one listener; *data_dir* holds the persistence file.

    max_queued_messages is raised well above mosquitto's default of 1,000, past which the broker
    silently drops a disconnected subscriber's backlog. MQTT v5 clients may lower
    max_inflight_messages with their Receive Maximum (the ingest asks for 2 x its batch size).
    """
    listener = f"listener {port} {bind_address}" if bind_address else f"listener {port}"
    lines = [
        "# Generated by werklandschap; edits are overwritten.",
        "per_listener_settings false",
        listener,
        f"allow_anonymous {_bool(allow_anonymous)}",
        f"persistence {_bool(persistence)}",
        f"persistence_location {_dir(data_dir)}",
        f"autosave_interval {autosave_interval}",
        f"persistent_client_expiration {persistent_client_expiration}",
        f"max_queued_messages {max_queued_messages}",
        f"max_inflight_messages {max_inflight_messages}",
        "queue_qos0_messages false",
        f"log_dest {log_dest}",
    ]
    lines += [f"password_file {password_file}"] if password_file else []
    lines += [f"acl_file {acl_file}"] if acl_file else []
    lines += [f"user {run_as_user}"] if run_as_user else []
    return "\n".join(lines) + "\n"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _dir(path: Path) -> str:
    return str(path).rstrip("/") + "/"  # mosquitto joins the file name on without a separator


def write_config(
    directory: Path,
    accounts: Iterable[DeviceAccount],
    service_accounts: Mapping[str, str],
    *,
    ingest_user: str,
    simulator_user: str | None = None,
    port: int = 1883,
    data_dir: Path | None = None,
    **conf_options: object,
) -> dict[str, Path]:
    """Write ``passwd`` (mode 600), ``acl`` and ``mosquitto.conf`` into *directory*.

    Returns their paths under the keys ``password_file``, ``acl_file`` and ``conf``. Extra
    keyword arguments go to :func:`mosquitto_conf`.
    """
    for user in filter(None, (ingest_user, simulator_user)):
        if user not in service_accounts:
            raise ValueError(f"service account {user!r} has no password")
    accounts = list(accounts)
    directory.mkdir(parents=True, exist_ok=True)
    paths = {"password_file": directory / "passwd", "acl_file": directory / "acl",
             "conf": directory / "mosquitto.conf"}
    _write_private(paths["password_file"], password_file(accounts, service_accounts))
    paths["acl_file"].write_text(acl_file(accounts, ingest_user, simulator_user), "utf-8")
    conf = mosquitto_conf(data_dir or directory, port, paths["password_file"],
                          paths["acl_file"], **conf_options)  # type: ignore[arg-type]
    paths["conf"].write_text(conf, "utf-8")
    return paths


def _write_private(path: Path, text: str) -> None:
    """Write *text* so that no other user can ever read it, not even briefly."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)
