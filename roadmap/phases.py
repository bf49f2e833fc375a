"""The five phases of a park's transformation and the transparent rule that decides them.

A park moves through five phases: aangemeld (registered) → nulmeting (baseline measured) →
roadmap (ambition and roadmap adopted) → uitvoering (in progress) → werklandschap (work
landscape of the future).

The rule, in plain words:

* Each phase after "aangemeld" has a short list of checks (:data:`REQUIREMENTS`), each with a
  figure and what is needed, e.g. "baseline for 5 of 7 themes (needed: 7)".
* The rule is **cumulative**: a park is in phase P when it meets every check of P and of every
  phase before it. Meeting the checks of "uitvoering" does not help while a check of
  "nulmeting" is still open; such a park stays "aangemeld".
* Every registered park is at least "aangemeld"; no check is needed for that.
* The result lists every check with its figures, and names the open checks of the next phase
  as what is missing.

A park counts as **on its way** (the programme's "op weg naar een werklandschap van de
toekomst") from phase "roadmap" on: registering is an intent, a baseline is knowledge, but an
ambition for every theme in a roadmap the park has adopted, with at least one dated milestone,
is a commitment to a direction. Counting registrations would make the national figure
depend on sign-ups; waiting for "uitvoering" would ignore parks that have decided and are
preparing their first measures.

The checks use only counts a park manager can see and change on the platform
(:class:`ParkFacts`). Maturity levels per theme come from :mod:`themes.maturity`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from themes.catalogue import THEME_CODES
from themes.maturity import LEVELS, MAX_LEVEL

__all__ = [
    "ON_ITS_WAY_FROM",
    "PHASES",
    "PHASE_CODES",
    "REQUIREMENTS",
    "Check",
    "ParkFacts",
    "Phase",
    "PhaseResult",
    "Requirement",
    "determine_phase",
    "is_on_its_way",
    "next_phase",
    "phase",
    "requirements_for",
]

PHASE_CODES: tuple[str, ...] = ("aangemeld", "nulmeting", "roadmap", "uitvoering", "werklandschap")
ON_ITS_WAY_FROM = "roadmap"
THEME_COUNT = len(THEME_CODES)


@dataclass(frozen=True)
class Phase:
    """A phase of the transformation path, with names and a description in Dutch and English."""

    code: str
    order: int
    name_nl: str
    name_en: str
    description_nl: str
    description_en: str

    def name(self, lang: str = "nl") -> str:
        """The phase's name in *lang* ("nl" or "en")."""
        return self.name_en if lang == "en" else self.name_nl

    def description(self, lang: str = "nl") -> str:
        """The phase's description in *lang* ("nl" or "en")."""
        return self.description_en if lang == "en" else self.description_nl


PHASES: tuple[Phase, ...] = (
    Phase("aangemeld", 0, "Aangemeld", "Registered",
          "Het terrein doet mee aan het programma en staat in het register.",
          "The park takes part in the programme and is in the registry."),
    Phase("nulmeting", 1, "Nulmeting", "Baseline measured",
          "Voor alle thema's is vastgelegd waar het terrein nu staat, met de eerste cijfers.",
          "Where the park stands today is recorded for every theme, with the first figures."),
    Phase("roadmap", 2, "Ambitie en roadmap vastgesteld", "Ambition and roadmap adopted",
          "Het terrein heeft per thema een ambitie en een vastgestelde roadmap met mijlpalen.",
          "The park has an ambition per theme and an adopted roadmap with milestones."),
    Phase("uitvoering", 3, "In uitvoering", "In progress",
          "De eerste maatregelen van de roadmap lopen en er is er al een gerealiseerd.",
          "The first measures of the roadmap are running and at least one has been realised."),
    Phase("werklandschap", 4, "Werklandschap van de toekomst", "Work landscape of the future",
          "Het terrein is op de meeste thema's gevorderd en op geen enkel thema achtergebleven.",
          "The park is advanced on most themes and has left no theme behind."),
)

_PHASES = MappingProxyType({p.code: p for p in PHASES})


def phase(code: str) -> Phase:
    """The phase with *code*; ``KeyError`` if there is none."""
    return _PHASES[code]


def next_phase(code: str) -> Phase | None:
    """The phase after *code*, or ``None`` after the last; ``KeyError`` if unknown."""
    order = phase(code).order
    return PHASES[order + 1] if order + 1 < len(PHASES) else None


def is_on_its_way(code: str) -> bool:
    """Whether a park in phase *code* counts as on its way; ``KeyError`` if unknown."""
    return phase(code).order >= phase(ON_ITS_WAY_FROM).order


@dataclass(frozen=True)
class ParkFacts:
    """The counts about one park that the phase rule looks at (on one day).

    ``themes_with_realised`` is recorded for display and future rules; the current rule does
    not need it, because level 2 on every theme already requires realised measures there.
    """

    themes_with_baseline: int = 0
    indicator_values: int = 0  # distinct indicators with a value (entered or measured)
    themes_with_ambition: int = 0
    roadmap_adopted: bool = False
    milestones: int = 0
    measures_started: int = 0
    measures_realised: int = 0
    themes_with_realised: int = 0
    theme_levels: Mapping[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("indicator_values", "milestones", "measures_started", "measures_realised"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in ("themes_with_baseline", "themes_with_ambition", "themes_with_realised"):
            if not 0 <= getattr(self, name) <= THEME_COUNT:
                raise ValueError(f"{name} must be between 0 and {THEME_COUNT}")
        for code, value in self.theme_levels.items():
            if code not in THEME_CODES or not 0 <= value <= MAX_LEVEL:
                raise ValueError(f"bad theme level {code}={value}")

    def themes_at_level(self, minimum: int) -> int:
        """How many of the seven themes are at maturity level *minimum* or higher."""
        return sum(1 for code in THEME_CODES if self.theme_levels.get(code, 0) >= minimum)


@dataclass(frozen=True)
class Requirement:
    """One check of the rule: what is counted, how much is needed, and its words.

    Labels are templates with ``{n}`` (the park's figure), ``{of}`` (the number of themes)
    and ``{needed}``; a yes/no requirement (``needed`` 1, ``of`` 0) has fixed labels for met
    (``label_*``) and not met (``missing_*``).
    """

    phase: str
    key: str
    needed: int
    count: Callable[[ParkFacts], int]
    label_nl: str
    label_en: str
    missing_nl: str = ""
    missing_en: str = ""
    of: int = 0

    def check(self, facts: ParkFacts) -> Check:
        """Judge *facts* against this requirement."""
        n = int(self.count(facts))
        met = n >= self.needed
        if self.missing_nl and not met:
            return Check(self.phase, self.key, met, self.missing_nl, self.missing_en)
        values = {"n": n, "of": self.of, "needed": self.needed}
        return Check(self.phase, self.key, met,
                     self.label_nl.format(**values), self.label_en.format(**values))


def _level_name(number: int, lang: str) -> str:
    return LEVELS[number].name(lang).lower()


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("nulmeting", "baseline", THEME_COUNT, lambda f: f.themes_with_baseline,
                "basislijn voor {n} van {of} thema's (nodig: {needed})",
                "baseline for {n} of {of} themes (needed: {needed})", of=THEME_COUNT),
    Requirement("nulmeting", "indicator_values", 5, lambda f: f.indicator_values,
                "indicatoren met een waarde: {n} (nodig: {needed})",
                "indicators with a value: {n} (needed: {needed})"),
    Requirement("roadmap", "ambition", THEME_COUNT, lambda f: f.themes_with_ambition,
                "ambitie voor {n} van {of} thema's (nodig: {needed})",
                "ambition for {n} of {of} themes (needed: {needed})", of=THEME_COUNT),
    Requirement("roadmap", "roadmap_adopted", 1, lambda f: int(f.roadmap_adopted),
                "roadmap vastgesteld", "roadmap adopted",
                "roadmap nog niet vastgesteld", "roadmap not adopted yet"),
    Requirement("roadmap", "milestones", 1, lambda f: f.milestones,
                "mijlpalen op de roadmap: {n} (nodig: {needed})",
                "milestones on the roadmap: {n} (needed: {needed})"),
    Requirement("uitvoering", "measures_started", 3, lambda f: f.measures_started,
                "maatregelen in uitvoering of gerealiseerd: {n} (nodig: {needed})",
                "measures in progress or realised: {n} (needed: {needed})"),
    Requirement("uitvoering", "measures_realised", 1, lambda f: f.measures_realised,
                "gerealiseerde maatregelen: {n} (nodig: {needed})",
                "realised measures: {n} (needed: {needed})"),
    Requirement("werklandschap", "themes_advanced", 5, lambda f: f.themes_at_level(3),
                f"thema's op niveau 3 ({_level_name(3, 'nl')}) of hoger: "
                "{n} van {of} (nodig: {needed})",
                f"themes at level 3 ({_level_name(3, 'en')}) or higher: "
                "{n} of {of} (needed: {needed})", of=THEME_COUNT),
    Requirement("werklandschap", "themes_under_way", THEME_COUNT, lambda f: f.themes_at_level(2),
                f"thema's op niveau 2 ({_level_name(2, 'nl')}) of hoger: "
                "{n} van {of} (nodig: {needed})",
                f"themes at level 2 ({_level_name(2, 'en')}) or higher: "
                "{n} of {of} (needed: {needed})", of=THEME_COUNT),
)


def requirements_for(code: str) -> tuple[Requirement, ...]:
    """The requirements of phase *code* (none for "aangemeld"); ``KeyError`` if unknown."""
    phase(code)
    return tuple(r for r in REQUIREMENTS if r.phase == code)


@dataclass(frozen=True)
class Check:
    """The verdict on one requirement for one park; the labels carry the figures."""

    phase: str
    key: str
    met: bool
    label_nl: str
    label_en: str

    def label(self, lang: str = "nl") -> str:
        """The label in *lang* ("nl" or "en")."""
        return self.label_en if lang == "en" else self.label_nl


@dataclass(frozen=True)
class PhaseResult:
    """A park's phase, every check with its verdict, and the open checks of the next phase."""

    phase: str
    checks: tuple[Check, ...]
    missing: tuple[Check, ...]

    @property
    def phase_info(self) -> Phase:
        """The :class:`Phase` reached."""
        return phase(self.phase)

    @property
    def next_phase(self) -> Phase | None:
        """The phase after the one reached, or ``None`` at the last phase."""
        return next_phase(self.phase)

    @property
    def on_its_way(self) -> bool:
        """Whether the park counts as on its way (see :data:`ON_ITS_WAY_FROM`)."""
        return is_on_its_way(self.phase)


def determine_phase(facts: ParkFacts) -> PhaseResult:
    """Apply the cumulative rule to *facts*: the last phase whose checks, and all earlier, hold."""
    checks = tuple(r.check(facts) for r in REQUIREMENTS)
    reached = PHASES[0]
    for candidate in PHASES[1:]:
        if not all(c.met for c in checks if c.phase == candidate.code):
            break
        reached = candidate
    following = next_phase(reached.code)
    missing = () if following is None else tuple(
        c for c in checks if c.phase == following.code and not c.met)
    return PhaseResult(reached.code, checks, missing)
