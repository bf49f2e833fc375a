"""Catalogue rows for measures whose primary theme is productivity, mobility, circularity or energy.

Rows are plain tuples ``(code, themes, name_nl, name_en, description_nl, description_en)``;
:mod:`themes.measures` turns them into :class:`~themes.measures.CatalogueMeasure` objects.
The first theme of each row is its primary theme.
"""

from __future__ import annotations

from themes.measures_landscape import MeasureRow

PRODUCTIVITY_ROWS: tuple[MeasureRow, ...] = (
    ("park_management_biz", ("productiviteit",), "Parkmanagement met BIZ",
     "Park management with a BIZ",
     "Een parkmanager, betaald uit een bedrijveninvesteringszone, die gezamenlijke "
     "projecten trekt.",
     "A park manager, funded by a business improvement district (BIZ), who drives joint "
     "projects."),
    ("vacancy_matching", ("productiviteit", "circulariteit"), "Leegstandsbemiddeling",
     "Vacancy matching",
     "Lege panden en kavels actief koppelen aan zoekende bedrijven of tijdelijke gebruikers.",
     "Actively matching empty buildings and plots with companies or temporary users."),
    ("multi_tenant_building", ("productiviteit", "circulariteit"), "Verzamelgebouw",
     "Multi-tenant building",
     "Een gebouw met kleine units en gedeelde voorzieningen voor starters en mkb.",
     "A building with small units and shared facilities for start-ups and small firms."),
    ("function_mix", ("productiviteit", "gezondheid"), "Avond- en weekendgebruik",
     "Evening and weekend use",
     "Ruimte geven aan sport, horeca, onderwijs of evenementen buiten werktijd.",
     "Making room for sport, food service, education or events outside working hours."),
    ("daylight_upgrade", ("productiviteit", "gezondheid"), "Daglicht in werkruimten",
     "Daylight in workspaces",
     "Lichtstraten, dakramen of extra ramen in hallen en kantoren.",
     "Roof lights, skylights or extra windows in halls and offices."),
    ("intensification", ("productiviteit",), "Intensiveren en stapelen",
     "Intensification and stacking",
     "Optoppen, gestapeld bouwen of restkavels benutten voor meer werk per hectare.",
     "Adding storeys, stacking or using leftover plots for more work per hectare."),
    ("shared_facilities", ("productiviteit", "gezondheid"), "Gedeelde voorzieningen",
     "Shared facilities",
     "Een gezamenlijke kantine, vergaderruimte of kinderopvang voor alle bedrijven.",
     "A joint canteen, meeting space or childcare for all companies."),
    ("learning_lab", ("productiviteit",), "Praktijk- en onderzoeksplek",
     "Practice and research site",
     "Een plek op het terrein voor stages, praktijkonderwijs en proeven (living lab).",
     "A place on the park for internships, vocational training and trials (living lab)."),
)

MOBILITY_ROWS: tuple[MeasureRow, ...] = (
    ("mobility_hub", ("mobiliteit", "productiviteit", "natuur"),
     "Mobiliteitshub aan de rand", "Mobility hub at the edge",
     "Een knooppunt aan de rand met OV, gebundeld parkeren en deelvervoer, zodat kavels "
     "minder parkeerplaats nodig hebben.",
     "A node at the edge with public transport, bundled parking and shared transport, so "
     "plots need less parking."),
    ("shared_ebikes", ("mobiliteit", "gezondheid"), "Deelfietsen en e-bikes",
     "Shared bikes and e-bikes",
     "Deelfietsen en -steps voor de laatste kilometer en ritten tussen bedrijven.",
     "Shared bikes and scooters for the last kilometre and trips between companies."),
    ("bike_parking", ("mobiliteit", "gezondheid"), "Overdekte fietsenstalling",
     "Covered bike parking",
     "Veilige, overdekte stallingen met laadpunten voor e-bikes bij de ingangen.",
     "Secure, covered bike parking with e-bike chargers near the entrances."),
    ("charging_plaza", ("mobiliteit", "energie"), "Laadplein", "Charging plaza",
     "Een gezamenlijk plein met laadpunten voor personenauto's en bestelbussen.",
     "A shared area with charging points for cars and vans."),
    ("station_shuttle", ("mobiliteit",), "Pendeldienst naar het station", "Station shuttle",
     "Een (elektrische) pendelbus die aansluit op de treinen van het dichtstbijzijnde station.",
     "An (electric) shuttle bus timed to the trains at the nearest station."),
    ("bike_route_link", ("mobiliteit", "gezondheid"), "Snelle fietsverbinding met de wijk",
     "Fast cycle link to the neighbourhood",
     "Een directe, veilige fietsroute tussen terrein, woonwijken en station.",
     "A direct, safe cycle route between the park, residential areas and the station."),
    ("zero_emission_logistics", ("mobiliteit", "gezondheid"), "Emissievrije logistiek",
     "Zero-emission logistics",
     "Gebundelde leveringen met elektrische bestelwagens of vrachtfietsen binnen het gebied.",
     "Bundled deliveries with electric vans or cargo bikes within the area."),
    ("employer_mobility_plan", ("mobiliteit",), "Werkgeversaanpak mobiliteit",
     "Employer mobility plan",
     "Gezamenlijke afspraken over fietsvergoeding, thuiswerken en carpoolen.",
     "Joint arrangements on cycling allowances, working from home and car pooling."),
)

CIRCULAR_ROWS: tuple[MeasureRow, ...] = (
    ("material_hub", ("circulariteit",), "Gedeelde materialenhub", "Shared materials hub",
     "Een centrale plek om vrijgekomen materialen op te slaan, te registreren en te delen.",
     "A central place to store, register and share released materials."),
    ("shared_waste", ("circulariteit",), "Collectieve afvalinzameling",
     "Shared waste collection",
     "Eén afvalcontract voor het terrein met gescheiden inzameling van meer stromen.",
     "One waste contract for the park with separate collection of more streams."),
    ("circular_procurement", ("circulariteit",), "Circulair inkopen",
     "Circular procurement",
     "Gezamenlijk inkopen met eisen aan hergebruik, terugname en levensduur.",
     "Buying jointly with requirements on reuse, take-back and lifespan."),
    ("residual_flow_exchange", ("circulariteit", "productiviteit"), "Reststromenbeurs",
     "Residual-flow exchange",
     "Bedrijven brengen hun reststromen in kaart en koppelen aanbod aan vraag.",
     "Companies map their residual flows and match supply to demand."),
    ("demountable_building", ("circulariteit", "productiviteit"), "Demontabel bouwen",
     "Demountable building",
     "Gebouwen en uitbreidingen uit losmaakbare modules die elders herbruikbaar zijn.",
     "Buildings and extensions made of detachable modules that can be reused elsewhere."),
    ("shared_equipment", ("circulariteit", "productiviteit"), "Gedeelde machines",
     "Shared equipment",
     "Heftrucks, hoogwerkers en gereedschap delen in plaats van ieder apart kopen.",
     "Sharing forklifts, aerial platforms and tools instead of each firm buying its own."),
)

ENERGY_ROWS: tuple[MeasureRow, ...] = (
    ("pv_roofs", ("energie",), "Zonnepanelen op daken", "Solar panels on roofs",
     "Zonnepanelen op bedrijfsdaken, zo nodig na een constructieve check.",
     "Solar panels on company roofs, after a structural check where needed."),
    ("pv_facades", ("energie",), "Zonnepanelen op gevels", "Solar panels on facades",
     "Zonnepanelen verwerkt in gevels die op het zuiden, oosten of westen liggen.",
     "Solar panels built into facades facing south, east or west."),
    ("pv_canopy", ("energie", "mobiliteit"), "Zonnedak op stalling of parkeerplaats",
     "Solar canopy over bike shelter or car park",
     "Een overkapping met zonnepanelen die direct fietsen, steps en auto's laadt.",
     "A canopy with solar panels that charges bikes, scooters and cars directly."),
    ("collective_battery", ("energie",), "Collectieve batterij", "Collective battery",
     "Een gedeelde batterij die zonnestroom opslaat en pieken op het net afvlakt.",
     "A shared battery that stores solar power and shaves peaks on the grid."),
    ("energy_hub", ("energie", "productiviteit"), "Energiehub met groepscontract",
     "Energy hub with group grid contract",
     "Bedrijven delen hun netcapaciteit via een groepstransportovereenkomst (GTO) en sturen "
     "samen op opwek en verbruik.",
     "Companies share their grid capacity through a group transport agreement (GTO) and "
     "jointly steer generation and use."),
    ("residual_heat", ("energie", "circulariteit"), "Restwarmte naar de buurwijk",
     "Residual heat to the neighbourhood",
     "Restwarmte uit productie via een warmtenet leveren aan een naastgelegen woonwijk.",
     "Supplying residual heat from production to a nearby residential area via a heat grid."),
    ("wko", ("energie",), "Warmte-koudeopslag (WKO)", "Aquifer thermal storage (ATES)",
     "Warmte en koude in de bodem opslaan om gebouwen duurzaam te verwarmen en te koelen.",
     "Storing heat and cold in the ground to heat and cool buildings sustainably."),
    ("energy_monitoring", ("energie",), "Slimme energiemonitoring", "Smart energy monitoring",
     "Verbruik en opwek per bedrijf en collectief meten en delen, als basis voor een "
     "smart grid.",
     "Measuring and sharing use and generation per company and collectively, as the basis "
     "for a smart grid."),
    ("energy_scan", ("energie",), "Collectieve energiescan", "Collective energy scan",
     "Een gezamenlijke scan van besparingskansen, gevolgd door een uitvoeringsplan.",
     "A joint scan of savings opportunities, followed by an implementation plan."),
    ("small_wind", ("energie",), "Kleine windturbines", "Small wind turbines",
     "Compacte windturbines op of bij gebouwen, waar de omgeving dat toelaat.",
     "Compact wind turbines on or near buildings, where the surroundings allow."),
)

ROWS: tuple[MeasureRow, ...] = PRODUCTIVITY_ROWS + MOBILITY_ROWS + CIRCULAR_ROWS + ENERGY_ROWS
