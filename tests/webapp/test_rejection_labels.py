"""Every reason a sensor message can be refused has a label for the dead-letter pages."""

from __future__ import annotations

import re
from pathlib import Path

from webapp.i18n import REJECTION_LABELS

ROOT = Path(__file__).resolve().parents[2]
# Rejection("code", ...), WrongPark-style subclasses, and dead_letter(..., "code", ...) calls.
CODE = re.compile(
    r'(?:Rejection\(\s*|super\(\)\.__init__\(\s*|dead_letter\([^()"]*?)"([a-z0-9_]+)"'
)


def raised_codes() -> set[str]:
    files = [*ROOT.joinpath("sensors").rglob("*.py"),
             *ROOT.joinpath("webapp", "services").glob("sensor_*.py"),
             ROOT / "webapp" / "api" / "ingest.py"]
    return {code for path in files for code in CODE.findall(path.read_text("utf-8"))}


def test_the_scan_finds_the_codes_it_should():
    codes = raised_codes()
    assert {"meter_backwards", "unknown_device", "duplicate_key", "too_old", "wrong_park"} <= codes


def test_every_rejection_code_has_a_label():
    assert raised_codes() - set(REJECTION_LABELS) == set()
