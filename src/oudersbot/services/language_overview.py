"""The staff's summary of a message's languages at send time, in their words (the CLI's `send`
and the teacher's preview in the bot share it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from oudersbot.domain.languages import dutch_name
from oudersbot.domain.rendering import Version
from oudersbot.domain.translation_overview import overview_of
from oudersbot.domain.voices import voiced
from oudersbot.translation.catalog import Words

STAFF = "nl"


def _names(languages: Iterable[str]) -> str:
    return ", ".join(f"{dutch_name(tag)} ({tag})" for tag in languages)


def language_lines(
    words: Words, versions: Mapping[str, Version], *, read_aloud: bool = False
) -> list[str]:
    """One line per group: reviewed, not yet reviewed, machine-translated, and each reason a
    language gets the Dutch text with the line 'not translated yet'; with `read_aloud`, which
    languages get the 🔊 button and which have no voice."""
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
    if read_aloud:
        with_voice, without = voiced(versions)
        if with_voice:
            lines.append(words.text(STAFF, "send_languages.voiced", languages=_names(with_voice)))
        if without:
            lines.append(words.text(STAFF, "send_languages.no_voice", languages=_names(without)))
    return lines
