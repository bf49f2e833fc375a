"""Number and quantity formatting for the Dutch and English texts of the themes package.

Dutch writes 1.234,5 where English writes 1,234.5; whole numbers lose their ".0".
"""

from __future__ import annotations

from themes.indicators import Indicator


def format_number(value: float, lang: str = "nl") -> str:
    """*value* with at most two decimals, in Dutch (default) or English notation."""
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def format_quantity(value: float, ind: Indicator, lang: str = "nl") -> str:
    """*value* with the indicator's unit, e.g. "45 kWp/ha", "30%" or "ja" for yes/no values."""
    if ind.is_boolean:
        yes, no = ("yes", "no") if lang == "en" else ("ja", "nee")
        return yes if value >= 1 else no
    unit = ind.unit_for(lang)
    separator = "" if unit.startswith("%") else " "
    return f"{format_number(value, lang)}{separator}{unit}"


def comparison(ind: Indicator, lang: str = "nl") -> str:
    """The words for the indicator's direction: "ten minste"/"at least" or the opposite."""
    if lang == "en":
        return "at least" if ind.direction == "higher" else "at most"
    return "ten minste" if ind.direction == "higher" else "ten hoogste"


def requirement(ind: Indicator, threshold: float, lang: str = "nl") -> str:
    """What a threshold asks, e.g. "ten minste 40 kWp/ha" or, for yes/no values, "ja"."""
    if ind.is_boolean:
        return format_quantity(threshold, ind, lang)
    return f"{comparison(ind, lang)} {format_quantity(threshold, ind, lang)}"


def join_or(items: list[str] | tuple[str, ...], lang: str = "nl") -> str:
    """Items as a list of alternatives: "A, B of C" (Dutch) or "A, B or C" (English)."""
    word = " or " if lang == "en" else " of "
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + word + items[-1]
