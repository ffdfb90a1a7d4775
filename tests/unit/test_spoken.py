"""What a voice reads: the parent's words, times and amounts as said in the language, no
markup, pictograms, links or Dutch original; which languages have a voice."""

from __future__ import annotations

from pathlib import Path

import pytest

from oudersbot.domain.rendering import MessageView, render_html
from oudersbot.domain.spoken import SpokenForms, spoken_text
from oudersbot.domain.voices import voice_for, voiced
from oudersbot.translation.catalog import Words
from oudersbot.translation.spoken_forms import spoken_forms

WORDS = Words.load(Path(__file__).parents[2] / "src" / "oudersbot" / "locales")
DUTCH = SpokenForms("{hour} uur {minute}", "{hour} uur", "{euro} euro {cent}", "{euro} euro")


def test_markup_pictograms_links_and_the_dutch_original_are_not_read() -> None:
    view = MessageView(
        mark="📌",
        category_label="Belangrijk",
        symbol="🚌",
        topic_label="Uitstap",
        body="Morgen gaan we naar het bos 🌳. Meer op https://school.be/uitstap of www.school.be.",
        rtl=False,
        translation_note="Vertaald uit het Nederlands",
        original_label="Origineel",
        original="Dit is de Nederlandse tekst",
    )
    text = spoken_text(render_html(view), DUTCH)
    assert text == "Belangrijk, Uitstap. Morgen gaan we naar het bos. Meer op of."
    assert "Nederlandse" not in text and "http" not in text and "<" not in text


def test_times_and_amounts_are_said_as_the_language_says_them() -> None:
    text = spoken_text(["Om 14:30 of 9.00 uur, om 8:05. Het kost € 12,50 of 3 EUR."], DUTCH)
    assert text == "Om 14 uur 30 of 9 uur, om 8 uur 5. Het kost 12 euro 50 of 3 euro."
    # As Babel writes them for the parent (rendering uses the parent's locale).
    turkish = spoken_forms(WORDS, "tr")
    assert spoken_text(["Saat 14:30, €12,50"], turkish) == "saat 14 30, 12 avro 50 sent."
    arabic = spoken_forms(WORDS, "ar")
    assert spoken_text(["‏12.50 € 2:30 م"], arabic) == "12 يورو و50 سنتًا الساعة 2 و30 دقيقة م."
    french = spoken_forms(WORDS, "fr")
    assert spoken_text(["à 14:00, 12,50 €"], french) == "à 14 heures, 12 euros 50."


def test_every_language_has_its_spoken_forms() -> None:
    for language in WORDS.languages:
        forms = spoken_forms(WORDS, language)
        assert "{hour}" in forms.time and "{minute}" in forms.time
        assert "{euro}" in forms.amount and "{cent}" in forms.amount


@pytest.mark.parametrize(
    ("language", "voice"),
    [("nl-BE", "nl"), ("ar", "ar"), ("prs", "fa"), ("ti", "ti"), ("so", None), ("ps", None)],
)
def test_voices(language: str, voice: str | None) -> None:
    assert voice_for(language) == voice


def test_voiced_splits_the_audience_languages() -> None:
    assert voiced(["so", "ar", "nl", "ps", "ar"]) == (("ar", "nl"), ("ps", "so"))
