"""What the parents who read a given language will get: the bot's own words and the templates
in their language (the phrasebook), free text machine-translated, or Dutch only. Said in one
line to staff when a roster brings a language, so nobody learns it from a parent's silence."""

from __future__ import annotations

from dataclasses import dataclass

from oudersbot.domain.languages import dutch_name, is_source_language
from oudersbot.translation.catalog import Words
from oudersbot.translation.machine import MachineTranslator, NoTranslator, Translator

STAFF = "nl"
# The outcomes, each a staff sentence `coverage.<outcome>` in the catalog.
OUTCOMES = ("source", "phrasebook_machine", "phrasebook_only", "machine_only", "dutch_only")


@dataclass(frozen=True)
class Coverage:
    """What one language's parents get."""

    language: str
    outcome: str  # one of OUTCOMES
    phrasebook: bool  # the bot's own words and the templates exist in this language
    machine: bool | None  # the translation service knows it; None: it cannot be asked now


def machine_knows(translator: Translator, tag: str) -> bool | None:
    """Whether the machine translator translates into this language (None: cannot tell)."""
    if isinstance(translator, NoTranslator):
        return False
    if isinstance(translator, MachineTranslator):
        return translator.knows(tag)
    return None


def coverage_of(tag: str, *, words: Words, translator: Translator) -> Coverage:
    """What parents who read `tag` will get. A service that cannot be asked now counts as
    knowing the language: the send-time summary says so if it does not."""
    if is_source_language(tag):
        return Coverage(tag, "source", True, None)
    phrasebook = words.resolve(tag) != STAFF
    machine = machine_knows(translator, tag)
    translated = machine is not False
    if phrasebook:
        outcome = "phrasebook_machine" if translated else "phrasebook_only"
    else:
        outcome = "machine_only" if translated else "dutch_only"
    return Coverage(tag, outcome, phrasebook, machine)


def coverage_line(tag: str, *, words: Words, translator: Translator) -> str:
    """One staff sentence for a roster's language: what those parents will get."""
    found = coverage_of(tag, words=words, translator=translator)
    return words.text(STAFF, f"coverage.{found.outcome}", language=f"{dutch_name(tag)} ({tag})")
