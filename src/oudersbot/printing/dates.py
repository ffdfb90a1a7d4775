"""Dates on the invite sheet, in the guardian's language and script (Babel/CLDR).

Stated fallback: a tag Babel does not know, or a date whose characters no shipped font can draw,
is printed as an ISO 8601 date ("2027-01-03"): digits and hyphens every reader and every font
has, never question marks. Dari ('prs') is formatted as CLDR's Persian of Afghanistan (fa_AF),
Pashto as 'ps', Tigrinya as 'ti' (Ethiopic month names, set in Noto Sans Ethiopic).
"""

from __future__ import annotations

from datetime import date

from babel.dates import format_date

from oudersbot.domain.languages import UnknownLanguageError, babel_locale_name
from oudersbot.printing import typeface


def sheet_date(day: date, language_tag: str) -> str:
    """Return ``day`` in CLDR's long format for ``language_tag`` ("3 januari 2027",
    "ጥሪ 3, 2027", "3 جنوری 2027"), or the ISO date as the stated fallback above."""
    try:
        text = format_date(day, "long", locale=babel_locale_name(language_tag))
    except UnknownLanguageError:
        return day.isoformat()
    if typeface.missing_chars(text):
        return day.isoformat()
    return text
