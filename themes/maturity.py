"""Maturity of a park per theme: levels 0 to 4 and the rule that decides them.

The rule, in plain words:

* Each theme has criteria on levels 1, 2, 3 and 4 (see :mod:`themes.criteria`).
* A park is at level L for a theme when it meets **every** criterion of level 1 up to and
  including L. Levels build on each other: meeting a level-3 criterion does not help while a
  level-1 criterion is still open. A park that misses something on level 1 is at level 0.
* Only realised measures count. The caller passes just the measures with status
  "gerealiseerd"; ideas, planned, running and stopped measures never count.
* A "measures" criterion counts every realised measure that serves the theme, the park's own
  measures as well as catalogue measures. A realised measure serves the themes it was given;
  a catalogue measure given without themes serves the catalogue's themes.
* A "catalogue" criterion is met when at least one of its catalogue measures is realised.
* An "indicator" criterion compares the latest value with the threshold: at least the
  threshold when higher is better, at most the threshold when lower is better. Reaching the
  threshold exactly counts as met. No value means not met.

The assessment lists every criterion of the theme with whether it is met and why, so a park
manager sees both the evidence and what is missing for the next level.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from themes.catalogue import THEME_CODES, catalogue_measure, indicator, theme
from themes.criteria import CRITERIA, KINDS, Criterion, criteria_for
from themes.formatting import format_quantity, join_or, requirement

__all__ = [
    "CRITERIA",
    "KINDS",
    "LEVELS",
    "MAX_LEVEL",
    "Assessment",
    "Criterion",
    "Level",
    "Reason",
    "RealisedMeasure",
    "assess",
    "assess_all",
    "criteria_for",
    "level",
]

MAX_LEVEL = 4


@dataclass(frozen=True)
class Level:
    """A maturity level (0..4) with a name and a description a park manager understands."""

    number: int
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str

    def name(self, lang: str = "nl") -> str:
        """The level's name in *lang* ("nl" or "en")."""
        return self.name_en if lang == "en" else self.name_nl


LEVELS: tuple[Level, ...] = (
    Level(0, "Nog niet gestart", "Not started",
          "Er is voor dit thema nog niets gerealiseerd of het eerste criterium is nog open.",
          "Nothing has been realised for this theme yet, or the first criterion is still open."),
    Level(1, "Eerste stappen", "First steps",
          "De eerste maatregel is gerealiseerd; het thema staat op de agenda van het terrein.",
          "The first measure has been realised; the theme is on the park's agenda."),
    Level(2, "Op weg", "Under way",
          "Bedrijven pakken het thema samen op en de eerste meetbare resultaten zijn er.",
          "Companies tackle the theme together and the first measurable results are in."),
    Level(3, "Gevorderd", "Advanced",
          "Meerdere maatregelen werken samen en de cijfers liggen duidelijk boven gemiddeld.",
          "Several measures work together and the figures are clearly above average."),
    Level(4, "Koploper", "Leading",
          "Het terrein haalt de ambitie van de visie en is een voorbeeld voor andere terreinen.",
          "The park meets the vision's ambition and sets an example for other parks."),
)


def level(n: int) -> Level:
    """The level with number *n* (0..4); ``KeyError`` otherwise."""
    if not 0 <= n <= MAX_LEVEL:
        raise KeyError(n)
    return LEVELS[n]


@dataclass(frozen=True)
class RealisedMeasure:
    """A measure the park has realised: its own or from the catalogue (*catalogue_code*)."""

    themes: tuple[str, ...]
    catalogue_code: str | None = None
    title: str = ""

    def serves(self, theme_code: str) -> bool:
        """Whether this measure counts toward *theme_code*."""
        return theme_code in (self.themes or _catalogue_themes(self.catalogue_code))


@dataclass(frozen=True)
class Reason:
    """The verdict on one criterion, with the evidence in words."""

    criterion: Criterion
    met: bool
    detail_nl: str
    detail_en: str

    def detail(self, lang: str = "nl") -> str:
        """The evidence in *lang* ("nl" or "en")."""
        return self.detail_en if lang == "en" else self.detail_nl


@dataclass(frozen=True)
class Assessment:
    """A park's level in one theme and the reasons for it, one per criterion."""

    theme: str
    level: int
    reasons: tuple[Reason, ...]

    @property
    def met(self) -> tuple[Reason, ...]:
        """Reasons whose criterion is met."""
        return tuple(r for r in self.reasons if r.met)

    @property
    def missing(self) -> tuple[Reason, ...]:
        """Reasons whose criterion is not met, on any level."""
        return tuple(r for r in self.reasons if not r.met)

    @property
    def next_steps(self) -> tuple[Reason, ...]:
        """What is still open for the next level; empty at the top level."""
        return tuple(r for r in self.missing if r.criterion.level == self.level + 1)

    @property
    def level_info(self) -> Level:
        """The :class:`Level` the park has reached."""
        return LEVELS[self.level]


def assess(theme_code: str, realised: Iterable[RealisedMeasure],
           indicator_values: Mapping[str, float]) -> Assessment:
    """Assess one theme; *realised* holds only realised measures. ``KeyError`` if unknown."""
    theme(theme_code)
    measures = tuple(realised)
    reasons = tuple(_judge(c, measures, indicator_values) for c in CRITERIA[theme_code])
    return Assessment(theme_code, _reached_level(reasons), reasons)


def assess_all(realised: Iterable[RealisedMeasure],
               indicator_values: Mapping[str, float]) -> dict[str, Assessment]:
    """Assess all seven themes, in theme order."""
    measures = tuple(realised)
    return {code: assess(code, measures, indicator_values) for code in THEME_CODES}


def _reached_level(reasons: tuple[Reason, ...]) -> int:
    reached = 0
    for n in range(1, MAX_LEVEL + 1):
        if not all(r.met for r in reasons if r.criterion.level == n):
            break
        reached = n
    return reached


def _catalogue_themes(code: str | None) -> tuple[str, ...]:
    try:
        return catalogue_measure(code).themes if code else ()
    except KeyError:
        return ()


def _judge(crit: Criterion, measures: tuple[RealisedMeasure, ...],
           values: Mapping[str, float]) -> Reason:
    if crit.kind == "measures":
        return _judge_count(crit, measures)
    if crit.kind == "catalogue":
        return _judge_catalogue(crit, measures)
    return _judge_indicator(crit, values)


def _judge_count(crit: Criterion, measures: tuple[RealisedMeasure, ...]) -> Reason:
    n = sum(1 for m in measures if m.serves(crit.theme))
    noun_nl = "gerealiseerde maatregel" if n == 1 else "gerealiseerde maatregelen"
    noun_en = "realised measure" if n == 1 else "realised measures"
    return Reason(crit, n >= crit.count,
                  f"{n} {noun_nl} (nodig: {crit.count})",
                  f"{n} {noun_en} (needed: {crit.count})")


def _judge_catalogue(crit: Criterion, measures: tuple[RealisedMeasure, ...]) -> Reason:
    done = {m.catalogue_code for m in measures}
    hits = [catalogue_measure(c) for c in crit.measure_codes if c in done]
    if hits:
        return Reason(crit, True,
                      "gerealiseerd: " + ", ".join(m.name_nl for m in hits),
                      "realised: " + ", ".join(m.name_en for m in hits))
    options = [catalogue_measure(c) for c in crit.measure_codes]
    return Reason(crit, False,
                  "nog niet gerealiseerd: " + join_or([m.name_nl for m in options], "nl"),
                  "not yet realised: " + join_or([m.name_en for m in options], "en"))


def _judge_indicator(crit: Criterion, values: Mapping[str, float]) -> Reason:
    ind = indicator(crit.indicator or "")
    threshold = float(crit.threshold or 0.0)
    value = _latest(values, ind.code)
    if value is None:
        return Reason(crit, False, f"{ind.name_nl}: nog geen waarde ingevuld",
                      f"{ind.name_en}: no value entered yet")
    met = value >= threshold if ind.direction == "higher" else value <= threshold
    return Reason(
        crit, met,
        f"{ind.name_nl} {format_quantity(value, ind, 'nl')} "
        f"(nodig: {requirement(ind, threshold, 'nl')})",
        f"{ind.name_en} {format_quantity(value, ind, 'en')} "
        f"(needed: {requirement(ind, threshold, 'en')})",
    )


def _latest(values: Mapping[str, float], code: str) -> float | None:
    value = values.get(code)
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value
