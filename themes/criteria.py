"""The criteria per theme and maturity level, as data (the rule itself is in themes.maturity).

Three kinds of criterion:

* ``measures``  - at least *count* realised measures serve the theme (own measures count too);
* ``catalogue`` - at least one of *measure_codes* from the catalogue is realised;
* ``indicator`` - the latest value of *indicator* reaches *threshold* in the indicator's
  direction (``>=`` when higher is better, ``<=`` when lower is better).

Thresholds follow a source where one exists (named in *source*); the others are our own
believable steps for Dutch business parks and are open to revision by the programme.
"""

from __future__ import annotations

from dataclasses import dataclass

from themes.catalogue import catalogue_measure, indicator, theme
from themes.formatting import join_or, requirement

KINDS: tuple[str, ...] = ("measures", "catalogue", "indicator")

WHO_2021 = "WHO Global Air Quality Guidelines 2021"
WHO_2021_INTERIM = "WHO 2021, interim target; EU Directive 2024/2881 limit value from 2030"


@dataclass(frozen=True)
class Criterion:
    """One condition a park must meet to reach *level* (1..4) in *theme*."""

    code: str
    theme: str
    level: int
    kind: str
    text_nl: str
    text_en: str
    count: int = 0
    measure_codes: tuple[str, ...] = ()
    indicator: str | None = None
    threshold: float | None = None
    source: str = ""

    def text(self, lang: str = "nl") -> str:
        """The criterion in words, in *lang* ("nl" or "en")."""
        return self.text_en if lang == "en" else self.text_nl


def _measures(theme_code: str, level: int, count: int) -> Criterion:
    name = theme(theme_code)
    noun_nl = "maatregel" if count == 1 else "maatregelen"
    noun_en = "measure" if count == 1 else "measures"
    return Criterion(
        f"{theme_code}.{level}.measures", theme_code, level, "measures",
        f"Ten minste {count} gerealiseerde {noun_nl} voor {name.name_nl.lower()}",
        f"At least {count} realised {noun_en} for {name.name_en.lower()}",
        count=count,
    )


def _catalogue(theme_code: str, level: int, key: str, lead: tuple[str, str],
               codes: tuple[str, ...]) -> Criterion:
    names_nl = join_or([catalogue_measure(c).name_nl for c in codes], "nl")
    names_en = join_or([catalogue_measure(c).name_en for c in codes], "en")
    return Criterion(
        f"{theme_code}.{level}.{key}", theme_code, level, "catalogue",
        f"{lead[0]}: {names_nl} gerealiseerd",
        f"{lead[1]}: {names_en} realised",
        measure_codes=codes,
    )


def _indicator(theme_code: str, level: int, code: str, threshold: float,
               source: str = "") -> Criterion:
    ind = indicator(code)
    return Criterion(
        f"{theme_code}.{level}.{code}", theme_code, level, "indicator",
        f"{ind.name_nl}: {requirement(ind, threshold, 'nl')}",
        f"{ind.name_en}: {requirement(ind, threshold, 'en')}",
        indicator=code, threshold=float(threshold), source=source,
    )


_P, _M, _G, _W, _N, _C, _E = (
    "productiviteit", "mobiliteit", "gezondheid", "water", "natuur", "circulariteit", "energie")

CRITERIA: dict[str, tuple[Criterion, ...]] = {
    _P: (
        _measures(_P, 1, 1),
        _catalogue(_P, 2, "organisation", ("Gezamenlijke organisatie", "Joint organisation"),
                   ("park_management_biz",)),
        _indicator(_P, 2, "vacancy_pct", 10),
        _measures(_P, 3, 3),
        _indicator(_P, 3, "jobs_per_ha", 50, "Gemeente Enschede, beleid (Platform31, 2023)"),
        _indicator(_P, 4, "function_mix_count", 3),
        _catalogue(_P, 4, "land_use", ("Meervoudig ruimtegebruik", "Multiple land use"),
                   ("multi_tenant_building", "intensification")),
    ),
    _M: (
        _measures(_M, 1, 1),
        _indicator(_M, 2, "bike_parking_per_100_jobs", 20),
        _catalogue(_M, 2, "alternatives", ("Alternatief voor de auto", "Alternative to the car"),
                   ("shared_ebikes", "station_shuttle", "employer_mobility_plan",
                    "bike_route_link")),
        _measures(_M, 3, 4),
        _indicator(_M, 3, "bike_parking_per_100_jobs", 35),
        _indicator(_M, 3, "chargers_count", 10),
        _indicator(_M, 4, "shared_mobility_hub", 1, "Visie Werklandschappen, 3.2"),
        _catalogue(_M, 4, "freight", ("Emissievrij goederenvervoer", "Zero-emission freight"),
                   ("zero_emission_logistics",)),
        _indicator(_M, 4, "car_commute_pct", 50),
    ),
    _G: (
        _measures(_G, 1, 1),
        _catalogue(_G, 2, "movement", ("Bewegen en pauzeren", "Moving and taking breaks"),
                   ("walking_route", "outdoor_workplaces", "sports_facilities")),
        _indicator(_G, 2, "pm25_ugm3", 10, WHO_2021_INTERIM),
        _catalogue(_G, 3, "monitoring", ("Meten op het terrein", "Measuring on the park"),
                   ("air_quality_monitoring",)),
        _indicator(_G, 3, "no2_ugm3", 20, WHO_2021_INTERIM),
        _indicator(_G, 3, "heat_stress_hours", 50),
        _measures(_G, 4, 6),
        _indicator(_G, 4, "pm25_ugm3", 5, WHO_2021),
        _indicator(_G, 4, "no2_ugm3", 10, WHO_2021),
    ),
    _W: (
        _measures(_W, 1, 1),
        _indicator(_W, 2, "unpaved_pct", 20),
        _indicator(_W, 2, "retention_m3_per_ha", 200),
        _indicator(_W, 3, "retention_m3_per_ha", 400),
        _catalogue(_W, 3, "purification", ("Natuurlijke zuivering", "Natural purification"),
                   ("wadi", "helophyte_filter")),
        _indicator(_W, 3, "rainwater_reuse_pct", 10),
        _measures(_W, 4, 5),
        _indicator(_W, 4, "retention_m3_per_ha", 600,
                   "Hemelwaterverordening Amsterdam 2021: 60 liter per m²"),
        _indicator(_W, 4, "unpaved_pct", 40),
        _indicator(_W, 4, "rainwater_reuse_pct", 25),
    ),
    _N: (
        _catalogue(_N, 1, "first_step", ("Eerste stap voor biodiversiteit",
                                         "First step for biodiversity"),
                   ("native_planting", "ecological_mowing", "nest_boxes", "green_roof")),
        _measures(_N, 2, 3),
        _indicator(_N, 2, "green_pct", 15),
        _indicator(_N, 3, "green_pct", 25),
        _indicator(_N, 3, "native_species_count", 40),
        _catalogue(_N, 3, "connected", ("Verbonden groen en blauw", "Connected green and blue"),
                   ("green_corridor", "nature_friendly_banks")),
        _indicator(_N, 4, "tree_canopy_pct", 30, "3-30-300-regel (Konijnendijk, 2021)"),
        _indicator(_N, 4, "native_species_count", 80),
        _catalogue(_N, 4, "education", ("Educatie", "Education"), ("species_count",)),
    ),
    _C: (
        _measures(_C, 1, 1),
        _catalogue(_C, 2, "waste", ("Samen afval inzamelen", "Collecting waste together"),
                   ("shared_waste",)),
        _indicator(_C, 2, "material_reuse_pct", 50),
        _measures(_C, 3, 3),
        _indicator(_C, 3, "company_exchanges_count", 2),
        _catalogue(_C, 3, "platform", ("Platform voor materialen", "Platform for materials"),
                   ("material_hub", "residual_flow_exchange")),
        _indicator(_C, 4, "material_reuse_pct", 75),
        _indicator(_C, 4, "company_exchanges_count", 5),
        _catalogue(_C, 4, "building", ("Circulair bouwen", "Circular building"),
                   ("demountable_building",)),
    ),
    _E: (
        _catalogue(_E, 1, "first_step", ("Eerste stap in inzicht of opwek",
                                         "First step in insight or generation"),
                   ("energy_scan", "energy_monitoring", "pv_roofs")),
        _indicator(_E, 2, "pv_kwp_per_ha", 40),
        _catalogue(_E, 2, "monitoring", ("Inzicht in verbruik en opwek",
                                         "Insight into use and generation"),
                   ("energy_monitoring",)),
        _indicator(_E, 3, "self_sufficiency_pct", 30),
        _indicator(_E, 3, "peak_vs_grid_pct", 80),
        _catalogue(_E, 3, "grid", ("Netcapaciteit samen benutten", "Sharing grid capacity"),
                   ("energy_hub", "collective_battery")),
        _indicator(_E, 4, "energy_balance_pct", 100, "Visie Werklandschappen, 3.7"),
        _indicator(_E, 4, "peak_vs_grid_pct", 70),
        _catalogue(_E, 4, "heat", ("Warmte opslaan of uitwisselen", "Storing or exchanging heat"),
                   ("residual_heat", "wko")),
    ),
}


def criteria_for(theme_code: str, level: int | None = None) -> tuple[Criterion, ...]:
    """The criteria of one theme, optionally only those of *level*; ``KeyError`` if unknown."""
    found = CRITERIA[theme_code]
    return found if level is None else tuple(c for c in found if c.level == level)

