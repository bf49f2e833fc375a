"""Catalogue rows for the blue-green layer: measures whose primary theme is water, nature or health.

Rows are plain tuples ``(code, themes, name_nl, name_en, description_nl, description_en)``;
:mod:`themes.measures` turns them into :class:`~themes.measures.CatalogueMeasure` objects.
The first theme of each row is its primary theme.
"""

from __future__ import annotations

MeasureRow = tuple[str, tuple[str, ...], str, str, str, str]

WATER_ROWS: tuple[MeasureRow, ...] = (
    ("wadi", ("water", "natuur"), "Wadi", "Swale (wadi)",
     "Een verlaagde groene strook die regenwater opvangt en langzaam in de bodem laat zakken.",
     "A lowered green strip that catches rainwater and lets it seep slowly into the soil."),
    ("depaving", ("water", "natuur", "gezondheid"), "Tegels eruit, groen erin",
     "De-paving",
     "Overbodige verharding op kavels en in de openbare ruimte vervangen door beplanting.",
     "Replacing unneeded paving on plots and in public space with planting."),
    ("permeable_paving", ("water",), "Waterdoorlatende verharding", "Permeable paving",
     "Parkeer- en laadplekken bestraten met open of waterdoorlatende materialen.",
     "Surfacing parking and loading areas with open or permeable materials."),
    ("retention_crates", ("water",), "Infiltratie- en retentiekratten",
     "Infiltration and retention crates",
     "Ondergrondse kratten die piekbuien bufferen en het water laten infiltreren.",
     "Underground crates that buffer cloudbursts and let the water infiltrate."),
    ("rainwater_reuse", ("water", "circulariteit"), "Regenwater hergebruiken",
     "Rainwater reuse",
     "Dakwater opvangen in een tank voor toiletspoeling, schoonmaak, koeling of beregening.",
     "Collecting roof water in a tank for flushing, cleaning, cooling or irrigation."),
    ("blue_roof", ("water", "gezondheid"), "Blauw dak (polderdak)", "Blue roof",
     "Een dak dat regen tijdelijk vasthoudt en gedoseerd afvoert, en het gebouw koelt.",
     "A roof that holds rain for a while, releases it gradually and cools the building."),
    ("downpipe_disconnection", ("water",), "Regenpijpen afkoppelen",
     "Downpipe disconnection",
     "Regenpijpen loskoppelen van het riool en het water naar groen of berging leiden.",
     "Disconnecting downpipes from the sewer and leading the water to greenery or storage."),
    ("helophyte_filter", ("water", "natuur"), "Helofytenfilter", "Reed-bed filter",
     "Een rietveld dat afstromend straatwater natuurlijk zuivert voordat het verder gaat.",
     "A reed bed that cleans street run-off naturally before it flows on."),
    ("firefighting_buffer", ("water",), "Bluswaterbuffer", "Firefighting water buffer",
     "Een gedeelde voorraad (regen)water die ook als bluswater dient.",
     "A shared store of (rain)water that doubles as firefighting water."),
)

NATURE_ROWS: tuple[MeasureRow, ...] = (
    ("green_roof", ("natuur", "water", "energie"), "Groen dak", "Green roof",
     "Een begroeid dak met sedum of kruiden dat regen vasthoudt, isoleert en insecten voedt.",
     "A planted roof of sedum or herbs that holds rain, insulates and feeds insects."),
    ("green_facade", ("natuur", "gezondheid", "energie"), "Groene gevel", "Green facade",
     "Klimplanten of plantenbakken tegen de gevel die koelen, isoleren en fijnstof vangen.",
     "Climbers or planters on the facade that cool, insulate and capture particulates."),
    ("native_planting", ("natuur", "gezondheid"), "Inheemse beplanting en bloemstroken",
     "Native planting and flower strips",
     "Gazon en sierheesters vervangen door inheemse, klimaatbestendige soorten en "
     "bloemrijke stroken.",
     "Replacing lawn and ornamental shrubs with native, climate-proof species and "
     "flower-rich strips."),
    ("nest_boxes", ("natuur",), "Nestkasten en insectenhotels",
     "Nest boxes and insect hotels",
     "Verblijfplaatsen voor vogels, vleermuizen en insecten aan gebouwen en in het groen.",
     "Shelter for birds, bats and insects on buildings and in the greenery."),
    ("ecological_mowing", ("natuur",), "Ecologisch maaibeheer", "Ecological mowing",
     "Minder vaak en gefaseerd maaien en het maaisel afvoeren, zodat bloemen kunnen zaaien.",
     "Mowing less often and in phases and removing the cuttings, so flowers can set seed."),
    ("green_corridor", ("natuur", "water"), "Groene verbindingszone", "Green corridor",
     "Een doorlopende strook groen en water met faunapassages die het terrein met de "
     "omgeving verbindt.",
     "A continuous strip of green and water with wildlife crossings linking the park with "
     "its surroundings."),
    ("nature_friendly_banks", ("natuur", "water"), "Natuurvriendelijke oevers",
     "Nature-friendly banks",
     "Harde kades of steile taluds omvormen tot flauwe, begroeide oevers.",
     "Turning hard quays or steep slopes into gentle, planted banks."),
    ("species_count", ("natuur", "gezondheid"), "Soortentelling en infoborden",
     "Species count and information boards",
     "Jaarlijks soorten tellen met medewerkers en buren en de natuur uitleggen op borden.",
     "Counting species each year with workers and neighbours and explaining nature on boards."),
)

HEALTH_ROWS: tuple[MeasureRow, ...] = (
    ("shade_trees", ("gezondheid", "natuur", "water"), "Schaduwbomen", "Shade trees",
     "Grote bomen langs routes, parkeerplaatsen en gevels tegen hitte en voor verkoeling.",
     "Large trees along routes, car parks and facades against heat and for cooling."),
    ("walking_route", ("gezondheid", "mobiliteit"), "Wandel- en lunchroute",
     "Walking and lunch route",
     "Een gemarkeerde route door het groen voor wandelpauzes en wandeloverleg.",
     "A marked route through the greenery for walking breaks and walking meetings."),
    ("sports_facilities", ("gezondheid", "productiviteit"), "Sport- en beweegvoorzieningen",
     "Sports and exercise facilities",
     "Buitenfitness, een sportveld of bootcamp voor medewerkers en omwonenden.",
     "Outdoor fitness, a sports field or boot camp for workers and local residents."),
    ("cool_spots", ("gezondheid",), "Koele plekken", "Cool spots",
     "Beschaduwde verblijfsplekken met water of groen waar het op hete dagen koel blijft.",
     "Shaded places with water or greenery that stay cool on hot days."),
    ("outdoor_workplaces", ("gezondheid", "productiviteit"), "Buitenwerk- en pauzeplekken",
     "Outdoor workplaces and break spots",
     "Tafels, banken en overkapte plekken buiten om te lunchen, overleggen en werken.",
     "Tables, benches and covered spots outside to have lunch, meet and work."),
    ("air_quality_monitoring", ("gezondheid",), "Meetnet hitte en luchtkwaliteit",
     "Heat and air-quality monitoring",
     "Sensoren voor temperatuur, fijnstof en NO2 op het terrein, met openbare resultaten.",
     "Sensors for temperature, particulates and NO2 on the park, with public results."),
    ("edible_garden", ("gezondheid", "natuur"), "Pluktuin of daktuin",
     "Edible garden or roof garden",
     "Een tuin op de grond of op een dak waar groente en fruit voor de kantine groeien.",
     "A garden on the ground or on a roof growing vegetables and fruit for the canteen."),
    ("separate_cycle_paths", ("gezondheid", "mobiliteit"), "Fietspaden los van vrachtverkeer",
     "Cycle paths apart from freight traffic",
     "Fiets- en wandelroutes aan de achterzijde van kavels, gescheiden van vrachtwagens.",
     "Cycling and walking routes along the back of plots, separated from lorries."),
)

ROWS: tuple[MeasureRow, ...] = WATER_ROWS + NATURE_ROWS + HEALTH_ROWS
