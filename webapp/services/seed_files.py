"""Where seed data is read from: SEED_DATA_DIR, default the repository's seed_data/ folder."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

DEFAULT_SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"


def seed_file(name: str) -> bytes:
    """The bytes of a file in the seed folder (SEED_DATA_DIR, default: the repo's seed_data/)."""
    folder = current_app.config.get("SEED_DATA_DIR") or DEFAULT_SEED_DIR
    return (Path(folder) / name).read_bytes()
