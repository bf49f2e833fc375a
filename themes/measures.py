"""The catalogue of standard measures a business park can take, as data.

Each measure serves one or more themes; the first is its primary theme. The rows live in
:mod:`themes.measures_landscape` and :mod:`themes.measures_business` to keep modules small.
Also here: the statuses a park's own measure moves through, with bilingual labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from themes import measures_business, measures_landscape


@dataclass(frozen=True)
class CatalogueMeasure:
    """A standard measure from the catalogue; *themes[0]* is its primary theme."""

    code: str
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str
    themes: tuple[str, ...]

    @property
    def primary_theme(self) -> str:
        """The theme this measure mainly serves."""
        return self.themes[0]

    def name(self, lang: str = "nl") -> str:
        """The measure's name in *lang* ("nl" or "en")."""
        return self.name_en if lang == "en" else self.name_nl


def _from_row(row: measures_landscape.MeasureRow) -> CatalogueMeasure:
    code, themes, name_nl, name_en, description_nl, description_en = row
    return CatalogueMeasure(code, name_nl, name_en, description_nl, description_en, themes)


MEASURES: tuple[CatalogueMeasure, ...] = tuple(
    _from_row(row) for row in measures_landscape.ROWS + measures_business.ROWS
)

# Life cycle of a park's measure; only "gerealiseerd" counts toward maturity.
MEASURE_STATUSES: tuple[str, ...] = ("idee", "gepland", "in_uitvoering", "gerealiseerd", "gestopt")

STATUS_LABELS: dict[str, tuple[str, str]] = {
    "idee": ("Idee", "Idea"),
    "gepland": ("Gepland", "Planned"),
    "in_uitvoering": ("In uitvoering", "In progress"),
    "gerealiseerd": ("Gerealiseerd", "Realised"),
    "gestopt": ("Gestopt", "Stopped"),
}

REALISED = "gerealiseerd"
