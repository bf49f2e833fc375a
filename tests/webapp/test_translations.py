"""The Dutch catalog covers every string of the UI, keeps its placeholders, and is compiled."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "webapp" / "translations" / "nl" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
METHODS = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]


def _source_messages() -> set[str]:
    messages = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords={"_": None, "gettext": None, "ngettext": (1, 2),
                                      "_l": None, "lazy_gettext": None},
    ):
        messages.add(message[0] if isinstance(message, tuple) else message)
    return messages


@pytest.fixture(scope="module")
def catalog():
    with open(CATALOG / "messages.po", "rb") as fh:
        return read_po(fh, locale="nl")


def _singular(message) -> str:
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_every_ui_string_has_a_dutch_translation(catalog):
    translated = {
        _singular(m) for m in catalog
        if m.id and "fuzzy" not in m.flags
        and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    missing = sorted(_source_messages() - translated)
    assert not missing, f"untranslated (run ./dev i18n and translate): {missing}"


def test_translations_keep_their_placeholders(catalog):
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, message.id


def test_compiled_catalog_matches_the_po_file(catalog):
    with open(CATALOG / "messages.mo", "rb") as fh:
        compiled = read_mo(BytesIO(fh.read()))
    def entries(messages):
        as_key = lambda value: tuple(value) if isinstance(value, list | tuple) else value  # noqa: E731
        return {as_key(m.id): as_key(m.string) for m in messages if m.id and m.string}

    po, mo = entries(catalog), entries(compiled)
    assert mo == po, "messages.mo is stale: run ./dev i18n"
