"""Every supported language on paper in its own script: fonts, dates, directions (issue 18)."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date
from pathlib import Path

import pypdf

import oudersbot.printing
from oudersbot.domain.languages import is_rtl
from oudersbot.printing import (
    InviteCard,
    SheetLabels,
    render_invite_html,
    render_invite_pdf,
    sheet_date,
    typeface,
)
from oudersbot.translation.catalog import Words

PACKAGE = Path(oudersbot.printing.__file__).resolve().parent
LANGUAGES = ["ar", "bg", "en", "es", "fr", "nl", "pl", "prs"]
LANGUAGES += ["ps", "pt", "ro", "ru", "so", "ti", "tr", "uk"]
RANGES = {
    "Arabic": (0x0600, 0x06FF),
    "Ethiopic": (0x1200, 0x137F),
    "Cyrillic": (0x0400, 0x04FF),
    "Latin": (0x0041, 0x024F),
}
SCRIPT = {"ar": "Arabic", "prs": "Arabic", "ps": "Arabic", "ti": "Ethiopic"}
SCRIPT |= {"bg": "Cyrillic", "ru": "Cyrillic", "uk": "Cyrillic"}
LABELS = SheetLabels(title="Uitnodiging oudersbot — klas 3A", school_name="Basisschool De Linde")
DAY = date(2027, 1, 3)
NAMES = {
    "ar": "فاطمة العمراني",
    "prs": "فرشته احمدی",
    "ps": "ګل‌بانو ښکلې",
    "ti": "ሰላም ተስፋይ",
    "ru": "Ольга Иванова",
    "bg": "Мария Петрова",
    "uk": "Олена Коваленко",
}


def letters(text: str, script: str) -> set[str]:
    low, high = RANGES[script]
    return {ch for ch in text if low <= ord(ch) <= high and ch.isalpha()}


def words() -> Words:
    return Words.load(PACKAGE.parent / "locales")


def card_for(catalog: Words, n: int, language: str, **changes: object) -> InviteCard:
    fields: dict[str, object] = {
        "link": f"https://t.me/oudersbot_bot?start=Tk{n:02d}x-Q2b_7RfLm9ZcWv4HsYd1JpNgE8aKu",
        "guardian_name": NAMES.get(language, f"Ouder {n}"),
        "children": (f"Kind {n}",),
        "class_name": "3A",
        "language_tag": language,
        "rtl": is_rtl(language),
        "instruction": catalog.text(language, "invite.instruction"),
        "instruction_nl": catalog.text("nl", "invite.instruction"),
        "expires_label": catalog.text(language, "invite.expires", date=sheet_date(DAY, language)),
    }
    fields.update(changes)
    return InviteCard(**fields)  # type: ignore[arg-type]


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_catalogs_are_the_sixteen_supported_languages() -> None:
    assert words().languages == sorted(LANGUAGES)


def test_every_language_dates_in_its_own_script_without_question_marks() -> None:
    for language in LANGUAGES:
        text = sheet_date(DAY, language)
        assert "?" not in text, (language, text)
        assert "2027" in text or "۲۰۲۷" in text, (language, text)
        assert typeface.missing_chars(text) == "", (language, text)
        assert letters(text, SCRIPT.get(language, "Latin")), (language, text)
    assert sheet_date(DAY, "ti") == "ጥሪ 3, 2027"
    assert sheet_date(DAY, "nl") == "3 januari 2027"


def test_a_language_babel_does_not_know_gets_the_iso_date() -> None:
    assert sheet_date(DAY, "qqq") == "2027-01-03"


def test_a_date_no_shipped_font_can_draw_gets_the_iso_date() -> None:
    # Babel knows Chinese; no shipped font has Han characters.
    assert sheet_date(DAY, "zh") == "2027-01-03"


def test_sheet_with_every_language_shows_each_script_in_the_pdf_text() -> None:
    catalog = words()
    cards = [card_for(catalog, n, language) for n, language in enumerate(LANGUAGES)]
    pdf = render_invite_pdf(cards, LABELS)

    assert pdf.warnings == ()
    assert pdf.pages == 4
    text = pdf_text(pdf.data)
    chars = set(text)
    for card in cards:
        script = SCRIPT.get(card.language_tag, "Latin")
        own = letters(card.instruction + card.expires_label + card.guardian_name, script)
        assert own, card.language_tag
        assert own <= chars, (card.language_tag, "".join(sorted(own - chars)))
    # The only question marks are the links' own.
    assert text.count("?") == len(cards)
    assert "ጥሪ 3, 2027" in text


def test_pdf_embeds_the_noto_fonts_only_where_a_script_needs_them() -> None:
    catalog = words()
    latin = render_invite_pdf([card_for(catalog, 1, "pl")], LABELS)
    assert b"NotoSansEthiopic" not in latin.data
    assert b"NotoNaskhArabic" not in latin.data
    both = render_invite_pdf([card_for(catalog, 1, "ti"), card_for(catalog, 2, "ps")], LABELS)
    assert b"NotoSansEthiopic" in both.data
    assert b"NotoNaskhArabic" in both.data


def test_a_dutch_fallback_on_a_right_to_left_card_is_printed() -> None:
    # A Dari guardian whose catalog lacks a line gets the Dutch words: printed, not dropped.
    catalog = words()
    dutch = catalog.text("nl", "invite.instruction")
    card = card_for(catalog, 1, "prs", instruction=dutch, expires_label="Geldig tot 3 januari 2027")
    pdf = render_invite_pdf([card], LABELS)
    assert pdf.warnings == ()
    assert " ".join(dutch.split()) in " ".join(pdf_text(pdf.data).split())


def test_each_line_takes_its_own_direction() -> None:
    catalog = words()
    dari = catalog.text("prs", "invite.instruction")
    assert typeface.direction(dari, rtl=True) == "rtl"
    assert typeface.direction("Telegram: " + dari, rtl=True) == "rtl"
    # The Dutch fallback on a Dari or Pashto card is never forced right to left, nor is Arabic
    # forced left to right on a Dutch card.
    assert typeface.direction(catalog.text("nl", "invite.instruction"), rtl=True) == "ltr"
    assert typeface.direction("فاطمة العمراني", rtl=False) == "rtl"
    assert typeface.direction("2027-01-03", rtl=True) == "ltr"


def test_each_script_is_set_in_its_own_family() -> None:
    assert typeface.face_for("ነዚ ኮድ") == typeface.ETHIOPIC
    assert typeface.face_for("Telegram دا کوډ") == typeface.ARABIC
    assert typeface.face_for("Олена") == typeface.LATIN


def test_html_cards_carry_lang_and_dir() -> None:
    catalog = words()
    cards = [card_for(catalog, n, language) for n, language in enumerate(LANGUAGES)]
    cards.append(card_for(catalog, 99, "ps", instruction=catalog.text("nl", "invite.instruction")))
    html = render_invite_html(cards, LABELS)
    articles = re.findall(r'<article class="card" lang="([^"]+)" dir="(rtl|ltr)">', html)
    assert len(articles) == len(cards)
    for (lang, direction), card in zip(articles, cards, strict=True):
        assert lang == card.language_tag
        assert direction == ("rtl" if is_rtl(lang) else "ltr")
    instructions = re.findall(
        r'<p class="instruction(?: rtl)?" lang="([^"]+)" dir="(rtl|ltr)">', html
    )
    assert [d for _, d in instructions[:-1]] == [
        "rtl" if is_rtl(lang) else "ltr" for lang in LANGUAGES
    ]
    # The Dutch fallback on the Pashto card is its own left-to-right block.
    assert instructions[-1] == ("ps", "ltr")
    # Every card but the Dutch one and the fallback one has the Dutch line too.
    assert html.count('<p class="instruction-nl" lang="nl" dir="ltr">') == len(cards) - 2
    expires = re.findall(r'<p class="expires" lang="([^"]+)" dir="(rtl|ltr)">', html)
    assert len(expires) == len(cards)
    assert ("ti", "ltr") in expires and ("prs", "rtl") in expires


def test_the_noto_fonts_and_their_license_ship_inside_the_package() -> None:
    for face in typeface.FACES:
        for font in (face.regular, face.bold):
            assert font.is_file()
            assert font.is_relative_to(PACKAGE / "fonts")
    license_text = (PACKAGE / "fonts" / "LICENSE-Noto-OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in license_text
    assert "PERMISSION & CONDITIONS" in license_text


def test_every_letter_of_the_catalogs_invite_words_has_a_glyph() -> None:
    catalog = words()
    for language in LANGUAGES:
        for key in ("invite.instruction", "invite.expires"):
            text = catalog.text(language, key)
            assert typeface.missing_chars(text) == "", (language, key)
            assert all(unicodedata.category(ch) != "Co" for ch in text)
