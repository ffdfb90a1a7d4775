"""The staff's summary of a message's languages at send time, in their words (the CLI's `send`
and the teacher's preview in the bot share it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oudersbot.domain.languages import dutch_name
from oudersbot.domain.rendering import Version
from oudersbot.domain.translation_overview import overview_of
from oudersbot.translation.catalog import Words

STAFF = "nl"


def _names(languages: Iterable[str]) -> str:
    return ", ".join(f"{dutch_name(tag)} ({tag})" for tag in languages)


def language_lines(words: Words, versions: Mapping[str, Version]) -> list[str]:
    """One line per group: reviewed, not yet reviewed, machine-translated, and each reason a
    language gets the Dutch text with the line 'not translated yet'."""
    overview = overview_of(versions)
    lines = []
    for key, languages in (
        ("send_languages.reviewed", overview.reviewed),
        ("send_languages.unreviewed", overview.unreviewed),
        ("send_languages.machine", overview.machine),
    ):
        if languages:
            lines.append(words.text(STAFF, key, languages=_names(languages)))
    for reason, languages in overview.dutch.items():
        lines.append(
            words.text(STAFF, f"send_languages.dutch.{reason}", languages=_names(languages))
        )
    return lines
