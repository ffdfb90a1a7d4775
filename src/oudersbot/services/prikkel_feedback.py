"""What a parent does with prikkels: tap 'we talked about it' (counted once, in aggregate,
never chased), ask for another idea (a related prikkel from the library, for this family only,
sent now), or pause them altogether."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.languages import SOURCE_LANGUAGE, is_source_language
from oudersbot.domain.pictograms import Category
from oudersbot.domain.prikkels import decode_feedback, prikkel_text
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import translation_review
from oudersbot.services.messages import render_version
from oudersbot.services.prikkel_draft import LibraryWording
from oudersbot.services.prikkel_queue import feedback_buttons
from oudersbot.store.audience import recipient_of_guardian
from oudersbot.store.members import guardians_of_chat
from oudersbot.store.models import MessageKind
from oudersbot.store.prikkels import (
    PrikkelReceiver,
    add_feedback,
    cancel_waiting_prikkels_of,
    prikkel_receiver,
    prikkels_sent_to,
)

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

PARENT_ASKED = "parent:another"


def is_paused(deps: Deps, *, chat_id: int) -> bool | None:
    """Whether this chat's guardian paused prikkels; None when the chat is no guardian's."""
    with deps.db.session() as session:
        guardian = next(iter(guardians_of_chat(session, chat_id=chat_id)), None)
        return guardian.prikkels_paused if guardian is not None else None


def set_paused(deps: Deps, *, chat_id: int, paused: bool) -> str | None:
    """A parent pauses (or resumes) prikkels; waiting ones are cancelled. Their language, or
    None when the chat is no guardian's."""
    with deps.db.session() as session:
        guardian = next(iter(guardians_of_chat(session, chat_id=chat_id)), None)
        if guardian is None:
            return None
        guardian.prikkels_paused = paused
        if paused:
            cancel_waiting_prikkels_of(session, guardian_id=guardian.id)
        return guardian.language


@dataclass(frozen=True)
class FeedbackResult:
    """What a tap under a prikkel did."""

    counted: bool
    language: str = SOURCE_LANGUAGE
    kind: str | None = None
    another: int | None = None  # the message id of the related prikkel sent on request


def record_feedback(deps: Deps, *, chat_id: int, data: str) -> FeedbackResult:
    """Count a tap under a prikkel sent to this chat (once per kind); for 'another idea', send
    a related prikkel from the library to this family only."""
    decoded = decode_feedback(data)
    if decoded is None:
        return FeedbackResult(False)
    kind, message_id = decoded
    now = deps.clock.now()
    with deps.db.session() as session:
        receiver = prikkel_receiver(session, chat_id=chat_id, message_id=message_id)
        if receiver is None:
            return FeedbackResult(False)
        try:
            add_feedback(
                session,
                school_id=receiver.school_id,
                message_id=message_id,
                guardian_id=receiver.guardian_id,
                kind=kind,
                at=now,
            )
        except IntegrityError:  # this kind of tap was counted before
            session.rollback()
            return FeedbackResult(False, receiver.language, kind)
        sent_ids = prikkels_sent_to(session, guardian_id=receiver.guardian_id)
    another = None
    if kind == "another":
        another = _send_related(deps, receiver, sent_ids)
    return FeedbackResult(True, receiver.language, kind, another)


def _send_related(deps: Deps, receiver: PrikkelReceiver, sent: set[str | None]) -> int | None:
    """A library prikkel on the same theme and age (any other when those ran out) that this
    family has not had, in their language; its message id, or None when they had them all."""
    guardian_id, language, school_id = receiver.guardian_id, receiver.language, receiver.school_id
    prikkel_id = receiver.prikkel_id
    library = deps.phrasebook.prikkels
    current = library.prikkels.get(prikkel_id or "")
    candidates = [
        p
        for p in library.choose(
            theme=current.theme if current else None, age=current.age if current else None
        )
        if p.id not in sent
    ] or [p for p in library.choose() if p.id not in sent]
    if not candidates:
        return None
    chosen = candidates[0]
    source = LibraryWording(chosen)
    dutch = chosen.wordings[SOURCE_LANGUAGE]
    text_nl = prikkel_text(dutch.context, dutch.question, dutch.tip)
    pictogram = deps.phrasebook.pictograms.resolve(chosen.pictogram)
    machine = deps.memory.translate(
        school_id=school_id,
        text=text_nl,
        languages=[]
        if source.wording_for(language) or is_source_language(language)
        else [language],
    )
    wording = translation_review.for_school(
        deps, school_id=school_id, source=source, kind="prikkel", item_id=chosen.id
    )
    version = render_version(
        deps, language, text_nl, wording, {}, pictogram, Category.INFO, machine
    )
    with deps.db.session() as session:
        recipient = recipient_of_guardian(session, guardian_id=guardian_id)
        posted = deps.outbox.put(
            session,
            school_id=school_id,
            content=Content(
                kind=MessageKind.PRIKKEL,
                text_nl=text_nl,
                pictogram=pictogram.key,
                category=Category.INFO.value,
                versions={language: version},
                template_id=chosen.id,
                audience={"guardian": guardian_id},
                created_by=PARENT_ASKED,
            ),
            to=[replace(recipient, language=language)],
            kind=SendKind.PRIKKEL_ASKED,
            # The parent just asked: this is an answer, not a nudge, so it goes now.
            urgency=Urgency.NOW,
            buttons=lambda message_id, r: feedback_buttons(deps, r.language, message_id),
        )
        return posted.message_id
