"""How each language says a time and an amount, from the catalogs (a reader of the language
checks them with the rest of its words)."""

from __future__ import annotations

from oudersbot.domain.spoken import SpokenForms
from oudersbot.translation.catalog import Words


def spoken_forms(words: Words, language: str) -> SpokenForms:
    """The language's patterns, with {hour} {minute} {euro} {cent} left to fill."""
    return SpokenForms(
        time=words.text(language, "speech.time", hour="{hour}", minute="{minute}"),
        time_on_hour=words.text(language, "speech.time_on_hour", hour="{hour}"),
        amount=words.text(language, "speech.amount", euro="{euro}", cent="{cent}"),
        amount_whole=words.text(language, "speech.amount_whole", euro="{euro}"),
    )
