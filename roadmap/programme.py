"""Vocabularies of the national programme: provinces, organisation forms and programme roles.

Codes are stable identifiers stored in the database and used in CSV and the API; the web app
attaches translated labels to them.
"""

from __future__ import annotations

import unicodedata

# The twelve provinces of the Netherlands, by their official Dutch names.
PROVINCES: tuple[str, ...] = (
    "Drenthe",
    "Flevoland",
    "Friesland",
    "Gelderland",
    "Groningen",
    "Limburg",
    "Noord-Brabant",
    "Noord-Holland",
    "Overijssel",
    "Utrecht",
    "Zeeland",
    "Zuid-Holland",
)

# How the companies on a park organise themselves (DESIGN: "organisation form").
ORGANISATION_FORMS: tuple[str, ...] = (
    "ondernemersvereniging",
    "biz",  # bedrijveninvesteringszone: a levy-funded zone under the BIZ act
    "parkmanagementorganisatie",
    "cooperatie",
    "geen",
)

# The park's role in the programme: taking part, living lab, or ambassador park.
PROGRAMME_ROLES: tuple[str, ...] = ("deelnemer", "living_lab", "ambassadeursterrein")

_PROVINCE_ALIASES = {
    "fryslan": "Friesland",
    "brabant": "Noord-Brabant",
    "nb": "Noord-Brabant",
    "nh": "Noord-Holland",
    "zh": "Zuid-Holland",
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


def normalise_province(text: str) -> str | None:
    """Return the official province name for a spelling such as 'noord-brabant' or 'Fryslân'."""
    key = _fold(text).replace(" ", "-")
    for name in PROVINCES:
        if _fold(name) == key:
            return name
    return _PROVINCE_ALIASES.get(key.replace("-", ""))


def normalise_code(text: str, allowed: tuple[str, ...]) -> str | None:
    """Return the code in *allowed* that *text* names, ignoring case, accents and spaces."""
    key = _fold(text).replace(" ", "_").replace("-", "_")
    for code in allowed:
        if _fold(code) == key:
            return code
    return None
