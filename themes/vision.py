"""The seven themes of the vision "Werklandschappen van de Toekomst", as data.

Each theme carries a short summary of what the vision aims for and a few concrete aims a park
can work toward. The texts are our own paraphrase of chapter 3 of the vision (section 3.1 to
3.7); the order is the vision's own reading order.
"""

from __future__ import annotations

from dataclasses import dataclass

# Codes of the seven themes, in the order the vision walks through them.
THEME_CODES: tuple[str, ...] = (
    "productiviteit",
    "mobiliteit",
    "gezondheid",
    "water",
    "natuur",
    "circulariteit",
    "energie",
)


@dataclass(frozen=True)
class Theme:
    """One theme of the programme with its bilingual name, summary and concrete aims."""

    code: str
    name_nl: str
    name_en: str
    summary_nl: str
    summary_en: str
    ambitions_nl: tuple[str, ...]
    ambitions_en: tuple[str, ...]

    def name(self, lang: str = "nl") -> str:
        """The theme's name in *lang* ("nl" or "en")."""
        return self.name_en if lang == "en" else self.name_nl


THEMES: tuple[Theme, ...] = (
    Theme(
        code="productiviteit",
        name_nl="Productiviteit",
        name_en="Productivity",
        summary_nl=(
            "Werk blijft de kern van het terrein, maar wordt gedaan met weinig energie in "
            "gebouwen vol daglicht en met zicht op groen. Binnen en buiten lopen in elkaar "
            "over, zodat pauzes, overleg en telefoontjes ook buiten plaatsvinden. Het terrein "
            "wordt intensiever en de klok rond gebruikt in plaats van 's avonds leeg te staan."
        ),
        summary_en=(
            "Work stays at the heart of the park, done with little energy in buildings full "
            "of daylight and with a view of greenery. Indoors and outdoors blend, so breaks, "
            "meetings and phone calls also happen outside. The park is used more intensively "
            "and around the clock instead of standing empty in the evening."
        ),
        ambitions_nl=(
            "Meer banen per hectare en weinig leegstand",
            "Daglicht, groen en zicht naar buiten op elke werkplek",
            "Inclusief ingerichte, toegankelijke werkplekken",
            "Gebruik van het terrein in avond en weekend door functiemenging",
        ),
        ambitions_en=(
            "More jobs per hectare and little vacancy",
            "Daylight, greenery and an outside view at every workplace",
            "Inclusive, accessible workplaces",
            "Use of the park in evenings and weekends through a mix of functions",
        ),
    ),
    Theme(
        code="mobiliteit",
        name_nl="Mobiliteit en transport",
        name_en="Mobility and transport",
        summary_nl=(
            "Iedere plek op het terrein is per fiets en te voet bereikbaar via groene routes "
            "die los liggen van vrachtverkeer. Auto's en openbaar vervoer komen samen in een "
            "hub aan de rand, vanwaar deelfietsen en -steps de laatste kilometer doen. "
            "Goederen binnen het gebied bewegen elektrisch; het vrijgekomen parkeerterrein "
            "wordt groen."
        ),
        summary_en=(
            "Every spot on the park can be reached by bike and on foot along green routes kept "
            "apart from freight traffic. Cars and public transport meet in a hub at the edge, "
            "from where shared bikes and scooters cover the last kilometre. Goods move "
            "electrically within the area; freed-up parking space turns green."
        ),
        ambitions_nl=(
            "Veilige fiets- en wandelroutes naar de omliggende wijken",
            "Een mobiliteitshub met OV en deelvervoer aan de rand van het terrein",
            "Parkeren gebundeld, zodat er maaiveld vrijkomt voor groen",
            "Emissievrij transport van goederen binnen het gebied",
        ),
        ambitions_en=(
            "Safe cycling and walking routes to the surrounding neighbourhoods",
            "A mobility hub with public and shared transport at the edge of the park",
            "Parking bundled so that ground space is freed for greenery",
            "Zero-emission transport of goods within the area",
        ),
    ),
    Theme(
        code="gezondheid",
        name_nl="Gezondheid",
        name_en="Health",
        summary_nl=(
            "De gezondheid van werknemers, buren en passanten staat voorop. Schaduw, groen en "
            "beweegruimte maken het terrein koel en uitnodigend, op werkdagen en daarbuiten. "
            "Hitte en luchtkwaliteit worden ter plekke gemeten en bewaakt."
        ),
        summary_en=(
            "The health of workers, neighbours and passers-by comes first. Shade, greenery and "
            "room to move make the park cool and inviting, on working days and beyond. Heat "
            "and air quality are measured and watched on site."
        ),
        ambitions_nl=(
            "Pauze- en buitenwerkplekken, sport en beweging voor iedereen",
            "Schaduw en verkoeling tegen hittestress",
            "Schone lucht, gemeten op het terrein",
            "Gezond, lokaal verbouwd eten voor medewerkers en buren",
        ),
        ambitions_en=(
            "Break spots, outdoor workplaces, sport and exercise for everyone",
            "Shade and cooling against heat stress",
            "Clean air, measured on the park",
            "Healthy, locally grown food for workers and neighbours",
        ),
    ),
    Theme(
        code="water",
        name_nl="Water",
        name_en="Water",
        summary_nl=(
            "Het terrein voert regen niet meer en niet sneller af dan het oorspronkelijke "
            "landschap deed, en ziet regenwater als grondstof. Bodem, groen en wadi's werken "
            "als spons bij hoosbuien en houden water vast voor droge periodes. Grond- en "
            "oppervlaktewater blijven schoon."
        ),
        summary_en=(
            "The park drains no more rain, and no faster, than the original landscape did, "
            "and treats rainwater as a resource. Soil, greenery and swales act as a sponge in "
            "cloudbursts and hold water for dry spells. Ground and surface water stay clean."
        ),
        ambitions_nl=(
            "Regen opvangen, vasthouden en waar mogelijk hergebruiken",
            "Buffercapaciteit voor extreme buien in bodem en wadi's",
            "Minder verharding zodat water kan infiltreren",
            "Afstromend straatwater natuurlijk zuiveren",
        ),
        ambitions_en=(
            "Catch, hold and where possible reuse rain",
            "Buffer capacity for extreme showers in soil and swales",
            "Less paving so water can soak in",
            "Clean run-off from streets in a natural way",
        ),
    ),
    Theme(
        code="natuur",
        name_nl="Natuurinclusiviteit",
        name_en="Nature inclusiveness",
        summary_nl=(
            "Van een grijs en versteend terrein naar een plek die natuur en biodiversiteit "
            "verrijkt. Inheemse beplanting, verbonden groen en blauw en schuil- en "
            "voedselplekken voor dieren geven soorten de ruimte. Tellingen en "
            "informatieborden maken het terrein ook een leerplek."
        ),
        summary_en=(
            "From a grey, stony park to a place that enriches nature and biodiversity. Native "
            "planting, connected green and blue structures and shelter and food for animals "
            "give species room. Counts and information boards also make the park a place to "
            "learn."
        ),
        ambitions_nl=(
            "Zoveel mogelijk inheemse plantensoorten",
            "Groen en water met elkaar verbonden, zonder barrières voor dieren",
            "Nest- en voedselplekken voor insecten en vogels",
            "Soortentellingen en educatie voor bezoekers",
        ),
        ambitions_en=(
            "As many native plant species as possible",
            "Green and water connected, without barriers for animals",
            "Nesting and feeding places for insects and birds",
            "Species counts and education for visitors",
        ),
    ),
    Theme(
        code="circulariteit",
        name_nl="Circulariteit",
        name_en="Circularity",
        summary_nl=(
            "Bedrijven sluiten samen kringlopen: het restmateriaal van de een is grondstof "
            "voor de ander. Een materialenhub en goede afvalscheiding houden stromen "
            "waardevol. Gebouwen zijn demontabel en van functie te wisselen."
        ),
        summary_en=(
            "Companies close loops together: one firm's leftovers are another's raw material. "
            "A materials hub and good waste separation keep flows valuable. Buildings can be "
            "taken apart and can change function."
        ),
        ambitions_nl=(
            "Hergebruik van materialen als norm, zo min mogelijk afval",
            "Uitwisseling van reststromen tussen bedrijven",
            "Een gedeelde materialenhub met overzicht van voorraad",
            "Demontabel en aanpasbaar bouwen",
        ),
        ambitions_en=(
            "Reuse of materials as the norm, as little waste as possible",
            "Exchange of residual flows between companies",
            "A shared materials hub with an overview of stock",
            "Demountable and adaptable building",
        ),
    ),
    Theme(
        code="energie",
        name_nl="Energie",
        name_en="Energy",
        summary_nl=(
            "Het terrein is ten minste energieneutraal en liefst energiepositief, met zon op "
            "daken, gevels en overkappingen. Bedrijven stemmen hun verbruik samen af op de "
            "opwek, slaan energie op en letten op netcongestie. Restwarmte gaat naar de "
            "buren in plaats van de lucht in."
        ),
        summary_en=(
            "The park is at least energy neutral and preferably energy positive, with solar on "
            "roofs, facades and canopies. Companies jointly match their use to generation, "
            "store energy and keep grid congestion in mind. Residual heat goes to the "
            "neighbours instead of into the air."
        ),
        ambitions_nl=(
            "Opwek van zon (en waar mogelijk wind) op het terrein",
            "Inzicht in verbruik en opwek per bedrijf en collectief",
            "Pieken afvlakken en samen het net delen",
            "Opslag en uitwisseling van energie en restwarmte",
        ),
        ambitions_en=(
            "Solar (and where possible wind) generation on the park",
            "Insight into use and generation per company and collectively",
            "Shave peaks and share the grid together",
            "Storage and exchange of energy and residual heat",
        ),
    ),
)
