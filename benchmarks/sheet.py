"""Every script on paper: an invite sheet with one guardian in each supported language.

The sheet is built from the shipped catalogs (each guardian's instruction and expiry line, the
date formatted by `sheet_date`), rendered as a PDF, and its text extracted with pypdf. A
language counts when every letter of its own script on its card (Arabic U+0600-06FF for ar,
prs and ps; Ethiopic U+1200-137F for ti; Cyrillic for bg, ru and uk; Latin otherwise) is in the
extracted text and no question mark stands in for a missing glyph.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pypdf

import oudersbot
from oudersbot.domain.languages import is_rtl
from oudersbot.printing import InviteCard, SheetLabels, render_invite_pdf, sheet_date
from oudersbot.translation.catalog import Words

SCRIPTS = {
    "Arabic": (0x0600, 0x06FF),
    "Ethiopic": (0x1200, 0x137F),
    "Cyrillic": (0x0400, 0x04FF),
    "Latin": (0x0041, 0x024F),
}
EXPECTED = {"ar": "Arabic", "prs": "Arabic", "ps": "Arabic", "ti": "Ethiopic"}
EXPECTED |= {"bg": "Cyrillic", "ru": "Cyrillic", "uk": "Cyrillic"}


def expected_script(language: str) -> str:
    """The script a language's card is written in."""
    return EXPECTED.get(language, "Latin")


def letters_in(text: str, script: str) -> set[str]:
    """The letters of ``text`` in ``script``'s range."""
    low, high = SCRIPTS[script]
    return {ch for ch in text if low <= ord(ch) <= high and ch.isalpha()}


def cards(day: date = date(2027, 1, 3)) -> list[InviteCard]:
    """One card per shipped catalog language, with the catalog's words."""
    words = Words.load(Path(oudersbot.__file__).resolve().parent / "locales")
    return [
        InviteCard(
            link=f"https://t.me/oudersbot_bot?start=Sheet{n:02d}Q2b_7RfLm9ZcWv4HsYd1JpNgE8aKu",
            guardian_name=f"Ouder {n}",
            children=(f"Kind {n}",),
            class_name="3A",
            language_tag=language,
            rtl=is_rtl(language),
            instruction=words.text(language, "invite.instruction"),
            instruction_nl=words.text("nl", "invite.instruction"),
            expires_label=words.text(language, "invite.expires", date=sheet_date(day, language)),
        )
        for n, language in enumerate(words.languages)
    ]


def measure() -> dict[str, object]:
    """Languages whose script appears in the PDF's text, out of all shipped languages."""
    sheet = cards()
    pdf = render_invite_pdf(sheet, SheetLabels(title="Uitnodiging", school_name="De Linde"))
    reader = pypdf.PdfReader(io.BytesIO(pdf.data))
    text = "\n".join(page.extract_text() for page in reader.pages)
    found = []
    for card in sheet:
        own = letters_in(card.instruction + card.expires_label, expected_script(card.language_tag))
        if own and own <= set(text):
            found.append(card.language_tag)
    return {
        "languages": [card.language_tag for card in sheet],
        "found": found,
        "question_marks": text.count("?") - sum(card.link.count("?") for card in sheet),
        "warnings": len(pdf.warnings),
    }


def report() -> list[str]:
    """Lines for `make bench`."""
    result = measure()
    languages = result["languages"]
    found = result["found"]
    assert isinstance(languages, list) and isinstance(found, list)
    missing = [language for language in languages if language not in found]
    return [
        "Invite sheet, one guardian per supported language (target 100%):"
        f" script in the PDF's text for {len(found)}/{len(languages)}"
        f" = {len(found) / len(languages):.0%};"
        f" missing: {', '.join(missing) or 'none'};"
        f" question marks for glyphs: {result['question_marks']};"
        f" font warnings: {result['warnings']}"
    ]
