"""Why a message cannot be made as asked, in staff words: one line for the CLI, the bot and the
desk alike."""

from __future__ import annotations

from oudersbot.domain.pictograms import UnknownPictogramError
from oudersbot.domain.slips import SlipError
from oudersbot.domain.slots import SlotError
from oudersbot.services.followup import FollowUpError
from oudersbot.services.messages import DraftError
from oudersbot.translation.catalog import Words


def problem_words(words: Words, language: str, exc: Exception) -> str:
    """Staff words for a SlotError, DraftError, FollowUpError, SlipError or unknown pictogram;
    the exception's own text for anything else."""
    if isinstance(exc, SlotError):
        return words.text(language, f"slot.{exc.code}", **{"slot": "?", **exc.params})
    if isinstance(exc, DraftError):
        return words.text(language, f"draft.{exc.code}", **exc.params)
    if isinstance(exc, FollowUpError):
        return words.text(language, f"cli.followup.problem.{exc.code}", **exc.params)
    if isinstance(exc, SlipError):
        return words.text(language, f"cli.slip.{exc.code}", **exc.params)
    if isinstance(exc, UnknownPictogramError):
        return words.text(language, "draft.unknown_pictogram", name=exc.name, known=exc.known)
    return str(exc)
