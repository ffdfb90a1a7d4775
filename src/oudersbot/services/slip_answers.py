"""A parent's side of a slip: the answer buttons, the planned reminders, a tap on a button, a
button's number typed instead, and a question in their own words."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from oudersbot.domain.answers import answer_key, typed_number
from oudersbot.domain.languages import SOURCE_LANGUAGE
from oudersbot.domain.slips import AnswerTap, decode_tap, encode_tap, reminder_times
from oudersbot.store.audience import Recipient
from oudersbot.store.models import Message, ReplySource
from oudersbot.store.slips import (
    add_question,
    add_slip_reminders,
    add_tap_answer,
    newest_open_slip,
    other_guardians_copies,
    tap_context,
)
from oudersbot.translation.machine import TranslationUnavailableError

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)


def answer_buttons(
    deps: Deps, message_id: int, options: Sequence[str], recipient: Recipient
) -> list[list[list[str]]]:
    """Big buttons in the guardian's language, one per row; with several children in the
    audience, each button names the child."""
    several = len(recipient.child_ids) > 1
    rows = []
    for child_name, child_id in zip(recipient.children, recipient.child_ids, strict=True):
        for index, option in enumerate(options):
            label = deps.words.text(recipient.language, answer_key(option))
            if several:
                label = f"{child_name}: {label}"
            rows.append([[label, encode_tap(AnswerTap(message_id, child_id, index))]])
    return rows


def plan_reminders(session: Session, deps: Deps, message: Message, deadline: datetime) -> None:
    """One row per reminder rule, written with the slip, before its time comes."""
    add_slip_reminders(
        session,
        school_id=message.school_id,
        message_id=message.id,
        due=reminder_times(deadline, deps.clock.now()),
    )


class TapOutcome(StrEnum):
    """What happened to an answer button press."""

    RECORDED = "recorded"
    CHANGED = "changed"
    SAME = "same"  # the same tap delivered again, or the same answer again
    CLOSED = "closed"  # after the deadline
    REFUSED = "refused"  # forged, another chat's, not this guardian's child


@dataclass(frozen=True)
class TapResult:
    """The outcome, with what the bot needs to confirm it in the parent's language."""

    outcome: TapOutcome
    language: str = SOURCE_LANGUAGE
    child: str | None = None
    option: str | None = None
    buttons: list[list[list[str]]] | None = None
    # The other guardians of the child who got the slip: (chat, Telegram message, buttons),
    # so they see it is answered.
    others: tuple[tuple[int, int, list[list[list[str]]]], ...] = ()
    chosen: str | None = None  # the button's data, to tick it in every copy


def record_tap(
    deps: Deps,
    *,
    chat_id: int,
    data: str,
    tap_id: str,
    source: ReplySource = ReplySource.BUTTON,
) -> TapResult:
    """Record an answer from a button, if it is one this chat may give; never a wrong answer.

    Three statements: who, what and the latest answer in one; the new answer (the same
    Telegram callback twice hits the unique tap id); the child's other guardians."""
    tap = decode_tap(data)
    if tap is None:
        log.warning("refused answer data %r from chat %s", data, chat_id)
        return TapResult(TapOutcome.REFUSED)
    now = deps.clock.now()
    with deps.db.session() as session:
        found = tap_context(
            session, chat_id=chat_id, message_id=tap.message_id, child_id=tap.child_id
        )
        if found is None or found.group not in found.audience_groups:
            log.warning("refused answer %r from chat %s: not theirs", data, chat_id)
            return TapResult(TapOutcome.REFUSED)
        if tap.option >= len(found.options):
            log.warning("refused answer %r from chat %s: no such option", data, chat_id)
            return TapResult(TapOutcome.REFUSED, found.language)
        option = found.options[tap.option]

        def result(outcome: TapOutcome) -> TapResult:
            return TapResult(
                outcome, found.language, found.child, option, found.buttons, chosen=data
            )

        if found.deadline is not None and now >= found.deadline:
            return result(TapOutcome.CLOSED)
        outcome = TapOutcome.RECORDED
        if found.latest_answer is not None:
            outcome = TapOutcome.SAME if found.latest_answer == option else TapOutcome.CHANGED
        kept = add_tap_answer(
            session,
            school_id=found.school_id,
            message_id=tap.message_id,
            child_id=tap.child_id,
            guardian_id=found.guardian_id,
            answer=option,
            tap_id=tap_id,
            received_at=now,
            source=source,
        )
        if not kept:  # the same tap delivered again
            return result(TapOutcome.SAME)
        if outcome is TapOutcome.SAME:
            return result(outcome)
        copies = other_guardians_copies(
            session,
            message_id=tap.message_id,
            child_id=tap.child_id,
            guardian_id=found.guardian_id,
        )
        return replace(
            result(outcome),
            others=tuple((c.chat_id, c.telegram_message_id, c.buttons) for c in copies),
        )


@dataclass(frozen=True)
class TextResult:
    """What a parent's text was: a button's number (`tap`), or words kept with a slip
    (`question`), or neither (no slip open for them)."""

    tap: TapResult | None = None
    question: QuestionResult | None = None


def record_text(deps: Deps, *, chat_id: int, text: str, text_id: str) -> TextResult:
    """A parent's text while a slip is open for them: the number of one of their buttons
    ("1", "١", " 2 "; see domain.answers.typed_number) answers as that button would, counted
    from the top; anything else, or a number no button has, is kept as their question.

    Only the slip that went out to this chat is answered: a parent whose copy never left (not
    joined yet, or blocked at the time) or who left the school has seen no buttons, and their
    number is words, not an answer. `text_id` names the message, so Telegram delivering it
    twice records it once."""
    tapped = record_typed(deps, chat_id=chat_id, text=text, text_id=text_id)
    if tapped is not None:
        return TextResult(tap=tapped)
    return TextResult(question=record_question(deps, chat_id=chat_id, text=text))


def record_typed(deps: Deps, *, chat_id: int, text: str, text_id: str) -> TapResult | None:
    """A button's number typed instead of tapped (see `record_text`); None when the text is
    no number of a button the chat got: the parent's own words."""
    number = typed_number(text)
    if number is not None:
        with deps.db.session() as session:
            slip = newest_open_slip(session, chat_id=chat_id, now=deps.clock.now())
        taps = [button[1] for row in (slip.buttons if slip else None) or () for button in row]
        if 1 <= number <= len(taps):
            tapped = record_tap(
                deps,
                chat_id=chat_id,
                data=taps[number - 1],
                tap_id=text_id,
                source=ReplySource.TEXT,
            )
            if tapped.outcome is not TapOutcome.REFUSED:
                return tapped
    return None


@dataclass(frozen=True)
class QuestionResult:
    """A parent's own words stored with an open slip."""

    message_id: int
    children: tuple[str, ...]
    language: str


def record_question(deps: Deps, *, chat_id: int, text: str) -> QuestionResult | None:
    """Free text from a guardian with an open slip: kept with that slip (for every child of
    theirs it asks about), translated to Dutch for staff. None when no slip is open."""
    now = deps.clock.now()
    with deps.db.session() as session:
        slip = newest_open_slip(session, chat_id=chat_id, now=now)
    if slip is None:
        return None
    text_nl = _to_dutch(deps, text, slip.language)
    with deps.db.session() as session:
        add_question(
            session,
            school_id=slip.school_id,
            message_id=slip.message_id,
            guardian_id=slip.guardian_id,
            child_ids=[c.child_id for c in slip.children],
            text=text,
            text_nl=text_nl,
            received_at=now,
        )
    return QuestionResult(slip.message_id, tuple(c.name for c in slip.children), slip.language)


def _to_dutch(deps: Deps, text: str, language: str) -> str | None:
    if language.split("-")[0] == SOURCE_LANGUAGE:
        return text
    try:
        return deps.translator.translate(text, source=language, target=SOURCE_LANGUAGE)
    except TranslationUnavailableError as exc:
        log.info("question not translated to Dutch: %s", exc)
        return None
