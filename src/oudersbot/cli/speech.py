"""`oudersbot voorlezen`: hear a text as a parent in that language will, before sending."""

from __future__ import annotations

from pathlib import Path

import click

from oudersbot.cli.common import fail, say, staff_deps
from oudersbot.domain.languages import UnknownLanguageError, dutch_name, normalize
from oudersbot.domain.voices import VOICES
from oudersbot.services import speech
from oudersbot.speech import SpeechUnavailableError


@click.command("voorlezen")
@click.option("--taal", "language", required=True, help="De taal van de ouder, bv. ar of tr.")
@click.option(
    "--out",
    "out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("bericht.ogg"),
    show_default=True,
    help="Het spraakbericht (OGG/Opus).",
)
@click.argument("text")
@click.pass_context
def read_aloud_command(ctx: click.Context, language: str, out: Path, text: str) -> None:
    """Lees een tekst voor zoals een ouder hem hoort (een spraakbericht, OGG/Opus)."""
    deps = staff_deps(ctx)
    try:
        tag = normalize(language)
    except UnknownLanguageError:
        fail(deps, "cli.voorlezen.unknown_language", language=language)
    if not text.strip():
        fail(deps, "cli.voorlezen.no_text")
    try:
        audio = speech.speak(deps, language=tag, text=text)
    except LookupError:
        voiced = ", ".join(sorted(VOICES))
        fail(deps, "cli.voorlezen.no_voice", language=dutch_name(tag), voiced=voiced)
    except SpeechUnavailableError as exc:
        fail(deps, "cli.voorlezen.unavailable", error=str(exc))
    try:
        out.write_bytes(audio.ogg)
    except OSError as exc:
        fail(deps, "cli.voorlezen.unwritable", path=str(out), error=exc.strerror or str(exc))
    say(deps, "cli.voorlezen.written", path=str(out), seconds=round(audio.seconds, 1))
