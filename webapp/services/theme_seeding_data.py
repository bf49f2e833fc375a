"""Tables behind the demo theme data: believable indicator ranges, costs and funding in NL.

Ranges are (worst, best) so a park's maturity q in 0..1 picks a value between them; for
indicators where lower is better, worst is the higher number.
"""

from __future__ import annotations

# indicator code: (worst, best, decimals)
INDICATOR_RANGES: dict[str, tuple[float, float, int]] = {
    "jobs_per_ha": (15, 70, 0),
    "vacancy_pct": (14, 2, 1),
    "function_mix_count": (1, 5, 0),
    "bike_parking_per_100_jobs": (8, 45, 0),
    "chargers_count": (2, 60, 0),
    "shared_mobility_hub": (0, 1, 0),
    "car_commute_pct": (80, 42, 0),
    "heat_stress_hours": (140, 25, 0),
    "pm25_ugm3": (12.5, 5.5, 1),
    "no2_ugm3": (31, 11, 1),
    "unpaved_pct": (8, 40, 0),
    "retention_m3_per_ha": (80, 650, 0),
    "rainwater_reuse_pct": (0, 30, 0),
    "green_pct": (6, 32, 0),
    "native_species_count": (15, 95, 0),
    "tree_canopy_pct": (5, 32, 0),
    "material_reuse_pct": (20, 82, 0),
    "company_exchanges_count": (0, 7, 0),
    "shared_waste_pct": (10, 85, 0),
    "pv_kwp_per_ha": (8, 75, 0),
    "self_sufficiency_pct": (5, 45, 0),
    "peak_vs_grid_pct": (98, 62, 0),
    "energy_balance_pct": (10, 110, 0),
}

# Values that come from measuring devices rather than estimates or counts.
MEASURED_INDICATORS = frozenset({"heat_stress_hours", "pm25_ugm3", "no2_ugm3",
                                 "peak_vs_grid_pct", "self_sufficiency_pct"})

# How far along a park of each programme role typically is (0..1).
ROLE_MATURITY = {"ambassadeursterrein": 0.72, "living_lab": 0.55, "deelnemer": 0.3}

# Cost range in euro by primary theme of a catalogue measure.
COST_RANGES: dict[str, tuple[int, int]] = {
    "energie": (40_000, 900_000),
    "water": (15_000, 250_000),
    "natuur": (5_000, 120_000),
    "gezondheid": (5_000, 80_000),
    "mobiliteit": (20_000, 400_000),
    "circulariteit": (5_000, 150_000),
    "productiviteit": (10_000, 300_000),
}

# Funding sources by primary theme, the way Dutch parks pay for such measures.
FUNDING: dict[str, tuple[str, ...]] = {
    "energie": ("SDE++", "Energie-investeringsaftrek (EIA)", "Eigen investering",
                "Provinciale subsidie"),
    "water": ("Waterschapssubsidie", "Gemeentelijke bijdrage", "BIZ-fonds"),
    "natuur": ("Gemeentelijke bijdrage", "BIZ-fonds", "Provinciale subsidie"),
    "gezondheid": ("BIZ-fonds", "Eigen investering", "Gemeentelijke bijdrage"),
    "mobiliteit": ("Provinciale subsidie", "Eigen investering", "BIZ-fonds"),
    "circulariteit": ("Provinciale subsidie", "Eigen investering", "BIZ-fonds"),
    "productiviteit": ("BIZ-fonds", "Eigen investering", "Gemeentelijke bijdrage"),
}

# Status mix of generated measures (weights), per programme role.
STATUS_WEIGHTS: dict[str, tuple[int, ...]] = {
    # idee, gepland, in_uitvoering, gerealiseerd, gestopt
    "ambassadeursterrein": (10, 15, 20, 50, 5),
    "living_lab": (15, 20, 20, 40, 5),
    "deelnemer": (25, 25, 20, 25, 5),
}
MEASURE_COUNT = {"ambassadeursterrein": (6, 8), "living_lab": (5, 7), "deelnemer": (2, 5)}
