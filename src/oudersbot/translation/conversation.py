"""A conversation's words across languages: a parent's text to Dutch for staff, a staff answer
to the parent's language. Free text goes to the machine translator only, never into the
translation memory: it is personal and is erased with the conversation."""

from __future__ import annotations

import logging

from oudersbot.domain.languages import SOURCE_LANGUAGE, base_language
from oudersbot.translation.machine import TranslationUnavailableError, Translator

log = logging.getLogger(__name__)


def is_dutch(language: str) -> bool:
    """Dutch (nl, nl-BE): nothing to translate."""
    return base_language(language) == SOURCE_LANGUAGE


def to_dutch(translator: Translator, text: str, language: str) -> str | None:
    """A parent's words in Dutch; None when no translation is available now."""
    if is_dutch(language):
        return text
    try:
        return translator.translate(text, source=language, target=SOURCE_LANGUAGE)
    except TranslationUnavailableError as exc:
        log.info("a parent's message was not translated to Dutch: %s", exc.reason)
        return None


def from_dutch(translator: Translator, text: str, language: str) -> str | None:
    """A staff answer in the parent's language; None when no translation is available now."""
    if is_dutch(language):
        return text
    try:
        return translator.translate(text, source=SOURCE_LANGUAGE, target=language)
    except TranslationUnavailableError as exc:
        log.info("a staff answer was not translated to %s: %s", language, exc.reason)
        return None
