"""docker-compose.yml and the Dockerfile stay in step with the code (no engine runs here)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from webapp.cli import cli

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_wires_web_ingest_broker_and_database():
    services = _compose()["services"]
    assert {"web", "ingest", "mosquitto", "postgres", "migrate"} <= set(services)
    web = services["web"]
    assert web["command"][:2] == ["werklandschap", "serve"]
    assert web["environment"]["WERKLANDSCHAP_DATABASE_URL"].startswith("postgresql://")
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["mosquitto"]["image"].startswith("eclipse-mosquitto:2")


def test_every_compose_command_is_a_real_cli_command():
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if not command or command[0] != "werklandschap":
            continue
        group, words = cli, command[1:]
        while words and hasattr(group, "commands") and words[0] in group.commands:
            group, words = group.commands[words[0]], words[1:]
        assert group is not cli, f"service {name}: unknown command {command}"
        known = {opt for param in group.params for opt in getattr(param, "opts", [])}
        for word in words:
            if word.startswith("--"):
                assert word in known, f"service {name}: {group.name} has no option {word}"


def test_compose_needs_secrets_from_the_environment_not_the_repo():
    text = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"WERKLANDSCHAP_SECRET_KEY: \$\{WERKLANDSCHAP_SECRET_KEY:\?", text)
    assert re.search(r"POSTGRES_PASSWORD: \$\{POSTGRES_PASSWORD:\?", text)


def test_dockerfile_copies_every_package():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for folder in ("webapp", "sensors", "themes", "roadmap", "seed_data", "migrations"):
        assert f"COPY {folder} ./{folder}" in dockerfile
