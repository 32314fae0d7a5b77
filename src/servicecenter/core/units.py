"""Units as a Swedish invoice, page or spreadsheet prints them. The Peppol XML keeps the UN/ECE
Recommendation 20 codes (C62, HUR, MON); a person reads "st", "tim", "mån"."""

from __future__ import annotations

#: code: (Swedish, English)
UNIT_NAMES = {"C62": ("st", "pcs"), "HUR": ("tim", "h"), "MON": ("mån", "month"), "DAY": ("dag", "day"), "KGM": ("kg", "kg"),
              "E49": ("arbetsdag", "working day"), "ANN": ("år", "year"), "WEE": ("vecka", "week"), "MIN": ("min", "min")}


def unit_name(code: str | None, english: bool = False) -> str:
    """The unit's name for a reader; an unknown code as it is."""
    names = UNIT_NAMES.get(code or "")
    return (names[1] if english else names[0]) if names else (code or "")
