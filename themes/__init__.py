"""The seven themes of the programme, their indicators, the measure catalogue and maturity.

Pure Python: no Flask, no database.
"""

# Codes of the seven themes of the vision "Werklandschappen van de Toekomst", in its order.
THEME_CODES: tuple[str, ...] = (
    "productiviteit",
    "mobiliteit",
    "gezondheid",
    "water",
    "natuur",
    "circulariteit",
    "energie",
)
