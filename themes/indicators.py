"""Indicators: the measurable values a park keeps per theme, as data.

Values are entered by the park manager or derived from sensors (*sensor_quantity* names the
sensor quantity they come from). *direction* says which way is better, and *min_value* /
*max_value* bound what a form should accept. Sources of reference values are named in the
descriptions where there is one (WHO 2021 air-quality guidelines, EU Directive 2024/2881).
"""

from __future__ import annotations

from dataclasses import dataclass

DIRECTIONS: tuple[str, ...] = ("higher", "lower")


@dataclass(frozen=True)
class Indicator:
    """A measurable value of one theme, with its display unit and which direction is better."""

    code: str
    theme: str
    name_nl: str
    name_en: str
    unit: str
    direction: str
    min_value: float
    max_value: float | None
    description_nl: str
    description_en: str
    sensor_quantity: str | None = None
    unit_en: str = ""

    def unit_for(self, lang: str = "nl") -> str:
        """The display unit in *lang* ("nl" or "en")."""
        return (self.unit_en or self.unit) if lang == "en" else self.unit

    def name(self, lang: str = "nl") -> str:
        """The indicator's name in *lang* ("nl" or "en")."""
        return self.name_en if lang == "en" else self.name_nl

    @property
    def is_boolean(self) -> bool:
        """True for yes/no indicators stored as 0 or 1."""
        return self.unit == "0/1"

    def accepts(self, value: float) -> bool:
        """Whether *value* lies within the indicator's allowed range."""
        if value < self.min_value:
            return False
        return self.max_value is None or value <= self.max_value


# English display units where they differ from the Dutch ones.
_UNIT_EN: dict[str, str] = {
    "banen/ha": "jobs/ha",
    "functies": "functions",
    "per 100 banen": "per 100 jobs",
    "laadpunten": "charging points",
    "uur/jaar": "hours/year",
    "soorten": "species",
    "uitwisselingen": "exchanges",
    "% van verbruik": "% of use",
}


def _ind(code: str, theme: str, names: tuple[str, str], unit: str, direction: str,
         bounds: tuple[float, float | None], descriptions: tuple[str, str],
         sensor_quantity: str | None = None) -> Indicator:
    return Indicator(code, theme, names[0], names[1], unit, direction, bounds[0], bounds[1],
                     descriptions[0], descriptions[1], sensor_quantity, _UNIT_EN.get(unit, unit))


PCT = (0.0, 100.0)
COUNT = (0.0, None)

INDICATORS: tuple[Indicator, ...] = (
    # Productiviteit
    _ind("jobs_per_ha", "productiviteit", ("Banen per hectare", "Jobs per hectare"),
         "banen/ha", "higher", COUNT,
         ("Aantal banen op het terrein gedeeld door de netto oppervlakte in hectare. Enschede "
          "hanteert bijvoorbeeld 50 arbeidsplaatsen per hectare als beleidsdoel.",
          "Number of jobs on the park divided by its net area in hectares. Enschede, for "
          "example, uses 50 jobs per hectare as a policy target.")),
    _ind("vacancy_pct", "productiviteit", ("Leegstand", "Vacancy"), "%", "lower", PCT,
         ("Aandeel van het bedrijfsvloeroppervlak dat leegstaat.",
          "Share of the commercial floor area that stands empty.")),
    _ind("function_mix_count", "productiviteit", ("Functiemix", "Function mix"), "functies",
         "higher", COUNT,
         ("Aantal functies naast werk op het terrein, zoals horeca, sport, kinderopvang, "
          "onderwijs, recreatie of wonen.",
          "Number of functions besides work on the park, such as food service, sport, "
          "childcare, education, recreation or housing.")),
    # Mobiliteit
    _ind("bike_parking_per_100_jobs", "mobiliteit",
         ("Fietsparkeerplekken per 100 banen", "Bike parking spaces per 100 jobs"),
         "per 100 banen", "higher", COUNT,
         ("Fietsparkeerplekken (overdekt of bewaakt) per 100 banen op het terrein.",
          "Bicycle parking spaces (covered or guarded) per 100 jobs on the park.")),
    _ind("chargers_count", "mobiliteit", ("Laadpunten", "Charging points"), "laadpunten",
         "higher", COUNT,
         ("Aantal publiek of collectief bruikbare laadpunten voor elektrische voertuigen.",
          "Number of publicly or collectively usable charging points for electric vehicles.")),
    _ind("shared_mobility_hub", "mobiliteit", ("Deelmobiliteitshub", "Shared mobility hub"),
         "0/1", "higher", (0.0, 1.0),
         ("1 als er een hub met deelvervoer en aansluiting op het OV is, anders 0.",
          "1 if there is a hub with shared transport and a public-transport link, else 0.")),
    _ind("car_commute_pct", "mobiliteit", ("Woon-werkverkeer per auto", "Car commuting"), "%",
         "lower", PCT,
         ("Aandeel medewerkers dat alleen met de auto naar het werk komt.",
          "Share of employees who drive to work alone.")),
    # Gezondheid
    _ind("heat_stress_hours", "gezondheid", ("Hitte-uren", "Heat-stress hours"), "uur/jaar",
         "lower", COUNT,
         ("Uren per jaar met een luchttemperatuur van 30 °C of meer, gemeten in de schaduw op "
          "het terrein.",
          "Hours per year with an air temperature of 30 °C or more, measured in the shade on "
          "the park."),
         "temperature"),
    _ind("pm25_ugm3", "gezondheid", ("Fijnstof (PM2,5)", "Fine particulates (PM2.5)"),
         "µg/m³", "lower", COUNT,
         ("Jaargemiddelde PM2,5. WHO-advieswaarde 2021: 5 µg/m³; EU-grenswaarde vanaf 2030: "
          "10 µg/m³.",
          "Annual mean PM2.5. WHO 2021 guideline: 5 µg/m³; EU limit value from 2030: "
          "10 µg/m³."),
         "pm25"),
    _ind("no2_ugm3", "gezondheid", ("Stikstofdioxide (NO2)", "Nitrogen dioxide (NO2)"), "µg/m³",
         "lower", COUNT,
         ("Jaargemiddelde NO2. WHO-advieswaarde 2021: 10 µg/m³; EU-grenswaarde vanaf 2030: "
          "20 µg/m³.",
          "Annual mean NO2. WHO 2021 guideline: 10 µg/m³; EU limit value from 2030: 20 µg/m³."),
         "no2"),
    # Water
    _ind("unpaved_pct", "water", ("Onverhard oppervlak", "Unpaved area"), "%", "higher", PCT,
         ("Aandeel van het terrein waar regen in de bodem kan zakken.",
          "Share of the park where rain can soak into the soil.")),
    _ind("retention_m3_per_ha", "water", ("Waterberging", "Water retention"), "m³/ha",
         "higher", COUNT,
         ("Bergingscapaciteit voor regenwater per hectare terrein; 600 m³/ha komt overeen met "
          "60 liter per m², de norm van de Amsterdamse hemelwaterverordening voor nieuwbouw.",
          "Rainwater storage capacity per hectare of park; 600 m³/ha equals 60 litres per m², "
          "the standard Amsterdam's rainwater by-law sets for new buildings.")),
    _ind("rainwater_reuse_pct", "water", ("Hergebruik regenwater", "Rainwater reuse"), "%",
         "higher", PCT,
         ("Aandeel van het waterverbruik dat met opgevangen regenwater wordt gedekt.",
          "Share of water use met with harvested rainwater.")),
    # Natuurinclusiviteit
    _ind("green_pct", "natuur", ("Groen oppervlak", "Green area"), "%", "higher", PCT,
         ("Aandeel van het terrein met beplanting, inclusief groene daken.",
          "Share of the park covered with planting, green roofs included.")),
    _ind("native_species_count", "natuur", ("Inheemse plantensoorten", "Native plant species"),
         "soorten", "higher", COUNT,
         ("Aantal inheemse plantensoorten bij de laatste soortentelling.",
          "Number of native plant species at the latest species count.")),
    _ind("tree_canopy_pct", "natuur", ("Kroonbedekking bomen", "Tree canopy cover"), "%",
         "higher", PCT,
         ("Aandeel van het terrein onder boomkronen; de 3-30-300-regel vraagt 30%.",
          "Share of the park under tree crowns; the 3-30-300 rule asks for 30%.")),
    # Circulariteit
    _ind("material_reuse_pct", "circulariteit",
         ("Hergebruik materialen", "Material reuse"), "%", "higher", PCT,
         ("Aandeel van afval en reststromen dat wordt hergebruikt of hoogwaardig gerecycled.",
          "Share of waste and residual flows that is reused or recycled at high value.")),
    _ind("company_exchanges_count", "circulariteit",
         ("Uitwisselingen tussen bedrijven", "Exchanges between companies"), "uitwisselingen",
         "higher", COUNT,
         ("Aantal lopende uitwisselingen van reststromen, materialen of middelen tussen "
          "bedrijven op of rond het terrein.",
          "Number of running exchanges of residual flows, materials or equipment between "
          "companies on or around the park.")),
    _ind("shared_waste_pct", "circulariteit",
         ("Deelname collectief afvalcontract", "Shared waste contract uptake"), "%", "higher",
         PCT,
         ("Aandeel bedrijven dat deelneemt aan de gezamenlijke afvalinzameling.",
          "Share of companies taking part in the joint waste collection.")),
    # Energie
    _ind("pv_kwp_per_ha", "energie", ("Zonnevermogen", "Solar capacity"), "kWp/ha", "higher",
         COUNT,
         ("Geïnstalleerd vermogen aan zonnepanelen per hectare terrein.",
          "Installed solar panel capacity per hectare of park.")),
    _ind("self_sufficiency_pct", "energie", ("Zelfvoorzienendheid", "Self-sufficiency"), "%",
         "higher", PCT,
         ("Aandeel van het elektriciteitsverbruik dat in hetzelfde kwartier door opwek op het "
          "terrein wordt gedekt.",
          "Share of electricity use covered by generation on the park in the same "
          "15-minute period.")),
    _ind("peak_vs_grid_pct", "energie", ("Piek t.o.v. netcapaciteit", "Peak vs grid capacity"),
         "%", "lower", COUNT,
         ("Hoogste kwartierpiek als percentage van het gecontracteerde transportvermogen; "
          "boven 100% wordt het contract overschreden.",
          "Highest 15-minute peak as a percentage of the contracted grid capacity; above 100% "
          "the contract is exceeded."),
         "power"),
    _ind("energy_balance_pct", "energie", ("Energiebalans", "Energy balance"), "% van verbruik",
         "higher", COUNT,
         ("Jaarlijkse duurzame opwek op het terrein als percentage van het jaarverbruik; 100 "
          "is energieneutraal, daarboven energiepositief.",
          "Annual renewable generation on the park as a percentage of annual use; 100 is "
          "energy neutral, above that energy positive.")),
)
