"""Which eSpeak NG voice reads which of our languages; a language without one gets no 🔊."""

from __future__ import annotations

from collections.abc import Iterable

from oudersbot.domain.languages import base_language

# Our languages (locales/) and the eSpeak NG voice for each, by its name in espeak-ng-data/lang.
# Somali and Pashto have no eSpeak NG voice; Dari is read by the Persian voice.
VOICES: dict[str, str] = {
    "nl": "nl",
    "fr": "fr-BE",
    "en": "en",
    "ar": "ar",
    "tr": "tr",
    "pl": "pl",
    "ro": "ro",
    "bg": "bg",
    "uk": "uk",
    "ru": "ru",
    "es": "es",
    "pt": "pt",
    "ti": "ti",
    "prs": "fa",
    "fa": "fa",
    "am": "am",
}


def voice_for(language: str) -> str | None:
    """The eSpeak NG voice for a language tag ('ar', 'nl-BE', 'prs'), or None."""
    return VOICES.get(language.lower()) or VOICES.get(base_language(language))


def voiced(languages: Iterable[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The languages that can be read aloud, and those that cannot, each sorted."""
    unique = sorted(set(languages))
    return (
        tuple(tag for tag in unique if voice_for(tag)),
        tuple(tag for tag in unique if not voice_for(tag)),
    )


# Callback data: 🔊 under a message ("say:<message id>"), the listening choice ("listen:0/1").
READ_ALOUD_PREFIX = "say:"
LISTEN_PREFIX = "listen:"
