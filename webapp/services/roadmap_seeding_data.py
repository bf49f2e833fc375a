"""Texts and timings of the demo roadmaps (Dutch, as a park's association would write them)."""

from __future__ import annotations

# When a park joined the programme, as (earliest day offset from 2024-01-08, latest offset):
# ambassador parks and living labs were first, other parks joined over 2024-2026.
JOIN_WINDOW = {"ambassadeursterrein": (0, 150), "living_lab": (0, 240),
               "deelnemer": (30, 880)}
# Chance that a park's association has adopted its roadmap (once the dates allow it).
ADOPTION_CHANCE = {"ambassadeursterrein": 1.0, "living_lab": 0.95, "deelnemer": 0.75}
# Days from joining to the baseline, from baseline to a first draft, from draft to adoption.
BASELINE_DAYS = (30, 160)
DRAFT_DAYS = (30, 140)
ADOPTION_DAYS = (40, 220)

VISIONS = (
    "{name} wordt een werklandschap waar bedrijven samen hun energie opwekken, opslaan en "
    "delen, regenwater op het terrein blijft en werknemers graag komen, ook op de fiets.",
    "Samen met de gemeente {municipality} en de ondernemers maken we van {name} een groen en "
    "bereikbaar terrein: minder netcongestie door collectieve afspraken, meer groen en "
    "ruimte voor kringloopbedrijven.",
    "De ondernemers van {name} willen in 2030 energiepositief zijn, hittestress voorkomen met "
    "bomen en wadi's, en de bereikbaarheid verbeteren met een mobiliteitshub.",
    "{name} ontwikkelt zich tot een plek waar werk, natuur en water samengaan: we delen "
    "energie en reststromen, vergroenen de openbare ruimte en investeren in gezond werken.",
)
NOTES = (
    "Vastgesteld in de algemene ledenvergadering; jaarlijks geëvalueerd met de gemeente.",
    "Concept besproken met het bestuur; de leden stemmen na de zomer.",
    "Uitvoering samen met de parkmanager en de provinciale ontwikkelingsmaatschappij.",
)

# (title, description, theme or "", phase or "") of the milestones parks pick from.
PHASE_MILESTONES = (
    ("Nulmeting afgerond en gedeeld met de leden",
     "Per thema vastgelegd waar het terrein staat, met de eerste indicatorwaarden.",
     "", "nulmeting"),
    ("Ambitie en roadmap vastgesteld in de ledenvergadering",
     "De leden stemmen in met de ambities per thema en de planning tot 2030.",
     "", "roadmap"),
    ("Eerste maatregelen gerealiseerd en geëvalueerd",
     "Terugblik op de eerste projecten: wat werkte, wat kost het, wat nemen we mee.",
     "", "uitvoering"),
)
THEME_MILESTONES = (
    ("Collectief energiecontract afgesloten",
     "Eén groepscontract voor netcapaciteit, zodat bedrijven ruimte met elkaar delen.",
     "energie"),
    ("Zonnedaken van de eerste tien bedrijven in bedrijf",
     "Gezamenlijk ingekocht, met een monitor van opwek en eigen verbruik.", "energie"),
    ("Wadi's langs de hoofdontsluiting aangelegd",
     "Regenwater wordt vastgehouden en infiltreert ter plekke.", "water"),
    ("Deelmobiliteitshub bij de bushalte geopend",
     "Deelfietsen, laadpalen en een overdekte stalling voor werknemers.", "mobiliteit"),
    ("Bedrijfsafval collectief aanbesteed",
     "Eén inzamelaar voor het hele terrein, met gescheiden reststromen.", "circulariteit"),
    ("Beheerplan voor ecologisch groen vastgesteld",
     "Maaibeheer, inheemse beplanting en nestkasten op het hele terrein.", "natuur"),
    ("Vitaliteitsprogramma voor werknemers gestart",
     "Wandelroutes, een gezamenlijke lunchplek en sportaanbod in de middag.", "gezondheid"),
    ("Digitaal parkmanagementplatform in gebruik",
     "Meldingen, gedeelde diensten en energiedata op één plek.", "productiviteit"),
    ("Warmtenet voor de bedrijven aan de haven onderzocht",
     "Haalbaarheidsstudie naar het benutten van restwarmte.", "energie"),
    ("Groene daken op bedrijfshallen gesubsidieerd",
     "Een regeling voor groene en blauwe daken, samen met het waterschap.", "water"),
)
