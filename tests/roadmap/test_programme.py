"""The programme's vocabularies: provinces and codes as people spell them."""

from __future__ import annotations

import pytest

from roadmap.programme import (
    ORGANISATION_FORMS,
    PROGRAMME_ROLES,
    PROVINCES,
    normalise_code,
    normalise_province,
)


def test_there_are_twelve_provinces():
    assert len(PROVINCES) == len(set(PROVINCES)) == 12


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("noord-brabant", "Noord-Brabant"),
        ("Noord-Brabant", "Noord-Brabant"),
        ("NOORD BRABANT", "Noord-Brabant"),
        ("Brabant", "Noord-Brabant"),
        ("Fryslân", "Friesland"),
        ("fryslan", "Friesland"),
        ("FRIESLAND", "Friesland"),
        ("Zuid Holland", "Zuid-Holland"),
        ("zuid-holland", "Zuid-Holland"),
        ("ZH", "Zuid-Holland"),
        ("nh", "Noord-Holland"),
        ("  utrecht  ", "Utrecht"),
        ("overijssel", "Overijssel"),
    ],
)
def test_normalise_province_finds_the_official_name(text, expected):
    assert normalise_province(text) == expected


@pytest.mark.parametrize("text", ["Holland", "Vlaanderen", "Noord", "", "Zuid-Brabant"])
def test_normalise_province_unknown_is_none(text):
    assert normalise_province(text) is None


@pytest.mark.parametrize("province", PROVINCES)
def test_every_official_name_normalises_to_itself(province):
    assert normalise_province(province) == province
    assert normalise_province(province.upper()) == province


@pytest.mark.parametrize(
    ("text", "allowed", "expected"),
    [
        ("BIZ", ORGANISATION_FORMS, "biz"),
        ("Coöperatie", ORGANISATION_FORMS, "cooperatie"),
        (" geen ", ORGANISATION_FORMS, "geen"),
        ("Living lab", PROGRAMME_ROLES, "living_lab"),
        ("living-lab", PROGRAMME_ROLES, "living_lab"),
        ("AMBASSADEURSTERREIN", PROGRAMME_ROLES, "ambassadeursterrein"),
        ("deelnemer", PROGRAMME_ROLES, "deelnemer"),
    ],
)
def test_normalise_code_ignores_case_accents_and_separators(text, allowed, expected):
    assert normalise_code(text, allowed) == expected


@pytest.mark.parametrize(
    ("text", "allowed"),
    [("living lab", ORGANISATION_FORMS), ("stichting", ORGANISATION_FORMS),
     ("", PROGRAMME_ROLES), ("livinglab", PROGRAMME_ROLES)],
)
def test_normalise_code_unknown_is_none(text, allowed):
    assert normalise_code(text, allowed) is None
