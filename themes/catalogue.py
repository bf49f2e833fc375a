"""The catalogue: the seven themes, their indicators and the standard measures, with lookups.

This is the one module to import from. The data itself lives in :mod:`themes.vision`,
:mod:`themes.indicators` and :mod:`themes.measures`; everything is re-exported here.
Lookups raise ``KeyError`` for an unknown code, so a typo never passes silently.
"""

from __future__ import annotations

from types import MappingProxyType

from themes.indicators import DIRECTIONS, INDICATORS, Indicator
from themes.measures import (
    MEASURE_STATUSES,
    MEASURES,
    REALISED,
    STATUS_LABELS,
    CatalogueMeasure,
)
from themes.vision import THEME_CODES, THEMES, Theme

__all__ = [
    "DIRECTIONS",
    "INDICATORS",
    "MEASURES",
    "MEASURE_STATUSES",
    "REALISED",
    "STATUS_LABELS",
    "THEMES",
    "THEME_CODES",
    "CatalogueMeasure",
    "Indicator",
    "Theme",
    "catalogue_measure",
    "indicator",
    "indicators_for",
    "measures_for",
    "status_label",
    "theme",
]

_THEMES = MappingProxyType({t.code: t for t in THEMES})
_INDICATORS = MappingProxyType({i.code: i for i in INDICATORS})
_MEASURES = MappingProxyType({m.code: m for m in MEASURES})


def theme(code: str) -> Theme:
    """The theme with *code*; ``KeyError`` if there is none."""
    return _THEMES[code]


def indicator(code: str) -> Indicator:
    """The indicator with *code*; ``KeyError`` if there is none."""
    return _INDICATORS[code]


def catalogue_measure(code: str) -> CatalogueMeasure:
    """The catalogue measure with *code*; ``KeyError`` if there is none."""
    return _MEASURES[code]


def indicators_for(theme_code: str) -> tuple[Indicator, ...]:
    """The indicators of one theme, in catalogue order; ``KeyError`` for an unknown theme."""
    theme(theme_code)
    return tuple(i for i in INDICATORS if i.theme == theme_code)


def measures_for(theme_code: str) -> tuple[CatalogueMeasure, ...]:
    """Catalogue measures serving *theme_code*, primary ones first; ``KeyError`` if unknown."""
    theme(theme_code)
    serving = [m for m in MEASURES if theme_code in m.themes]
    return tuple(sorted(serving, key=lambda m: m.themes.index(theme_code) != 0))


def status_label(status: str, lang: str = "nl") -> str:
    """The label of a measure status in *lang* ("nl" or "en"); ``KeyError`` if unknown."""
    nl, en = STATUS_LABELS[status]
    return en if lang == "en" else nl
