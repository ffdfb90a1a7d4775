"""Erasing a guardian (or a child who left) from every table, and a parent's /stop.

What goes and what stays, per table (docs/privacy.md says the same to the school):
the guardian row stays as a nameless tombstone (name "", no phone, chat, school id or
language), so deliveries, taps and follow-ups stay countable; their links to children go;
replies lose their author and free text but keep the answer; follow-ups lose the note;
taps under prikkels and 'Begrepen' / 'Uitleg graag' (understanding) stay, countable, with the
nameless guardian (they hold no words), and an erased family leaves the brugfiguur's list;
their free texts (inbound_text) go, and so does their conversation with the school
(conversation, its messages both ways, and the staff's copies of them: conversation_notice);
deliveries lose buttons, errors and Telegram's message id,
and pending ones are cancelled; planned sends are cancelled; invites lose the chat that used
them and unused ones are revoked; wrong-code counts of their chats go.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Conversation,
    ConversationMessage,
    ConversationNotice,
    Delivery,
    DeliveryStatus,
    FollowUp,
    Guardian,
    GuardianChild,
    InboundText,
    Invite,
    JoinThrottle,
    PlannedSend,
    PlannedStatus,
    Reachability,
    Reply,
)
from oudersbot.store.privacy import ERASED_NAME, affected, chats_of

ERASED_LANGUAGE = "nl"


def erase_guardian(
    session: Session, *, school_id: int, guardian_id: int, now: datetime
) -> dict[str, int]:
    """Remove the guardian's personal data from every table; how many rows each step touched
    (LookupError when the school has no such guardian)."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None or guardian.school_id != school_id:
        raise LookupError(f"no guardian {guardian_id} at school {school_id}")
    chats = chats_of(session, guardian)
    counts: dict[str, int] = {}
    counts["inbound_texts"] = affected(
        session,
        (
            delete(InboundText).where(
                or_(
                    InboundText.guardian_id == guardian_id,
                    InboundText.guardian_id.is_(None) & InboundText.chat_id.in_(chats),
                )
            )
        ),
    )
    counts["conversation_messages"] = erase_conversation(session, guardian_id=guardian_id)
    counts["replies"] = affected(
        session,
        (
            update(Reply)
            .where(Reply.guardian_id == guardian_id)
            .values(guardian_id=None, text=None, text_nl=None)
        ),
    )
    counts["follow_ups"] = affected(
        session, (update(FollowUp).where(FollowUp.guardian_id == guardian_id).values(note=None))
    )
    counts["deliveries_cancelled"] = affected(
        session,
        (
            update(Delivery)
            .where(Delivery.guardian_id == guardian_id, Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.CANCELLED, next_attempt_at=None)
        ),
    )
    counts["deliveries"] = affected(
        session,
        (
            update(Delivery)
            .where(Delivery.guardian_id == guardian_id)
            .values(buttons=None, error=None, telegram_message_id=None)
        ),
    )
    counts["planned_cancelled"] = affected(
        session,
        (
            update(PlannedSend)
            .where(
                PlannedSend.guardian_id == guardian_id,
                PlannedSend.status == PlannedStatus.PLANNED,
            )
            .values(status=PlannedStatus.CANCELLED, updated_at=now)
        ),
    )
    session.execute(
        update(Invite)
        .where(Invite.guardian_id == guardian_id, Invite.used_at.is_(None))
        .where(Invite.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    counts["invites"] = affected(
        session,
        (update(Invite).where(Invite.guardian_id == guardian_id).values(used_by_chat_id=None)),
    )
    counts["join_throttles"] = affected(
        session, (delete(JoinThrottle).where(JoinThrottle.chat_id.in_(chats)))
    )
    child_ids = list(
        session.scalars(
            select(GuardianChild.child_id).where(GuardianChild.guardian_id == guardian_id)
        )
    )
    counts["child_links"] = affected(
        session, (delete(GuardianChild).where(GuardianChild.guardian_id == guardian_id))
    )
    # A child who left and has no guardian any more goes too; one still at school stays a pupil.
    counts["children"] = 0
    for child_id in child_ids:
        child = session.get_one(Child, child_id)
        if child.left_at is not None and not _has_guardian(session, child_id):
            erase_child(session, child_id=child_id)
            counts["children"] += 1
    guardian.name = ERASED_NAME
    guardian.external_id = None
    guardian.phone = None
    guardian.chat_id = None
    guardian.language = ERASED_LANGUAGE
    guardian.language_source = "roster"
    guardian.reachability = Reachability.STOPPED
    guardian.joined_at = None
    guardian.prikkels_paused = False
    guardian.prefers_listening = False
    guardian.stopped_at = guardian.stopped_at or now
    guardian.left_at = guardian.left_at or now
    session.flush()
    return counts


def _has_guardian(session: Session, child_id: int) -> bool:
    return bool(
        session.scalar(
            select(func.count())
            .select_from(GuardianChild)
            .where(GuardianChild.child_id == child_id)
        )
    )


def erase_child(session: Session, *, child_id: int) -> None:
    """A child who left: no name, no pupil id, no guardians; answers about them stay counted
    without the words a parent wrote about them, follow-ups about them without the note."""
    session.execute(delete(GuardianChild).where(GuardianChild.child_id == child_id))
    session.execute(update(Reply).where(Reply.child_id == child_id).values(text=None, text_nl=None))
    session.execute(update(FollowUp).where(FollowUp.child_id == child_id).values(note=None))
    session.execute(
        update(Child).where(Child.id == child_id).values(first_name=ERASED_NAME, external_id=None)
    )


def stop_chat(session: Session, *, chat_id: int, now: datetime) -> list[Guardian]:
    """A parent's confirmed /stop: every guardian row of the chat is unlinked and stopped, and
    what still waited for them is cancelled; the guardians, as they were."""
    guardians = list(session.scalars(select(Guardian).where(Guardian.chat_id == chat_id)))
    ids = [g.id for g in guardians]
    if not ids:
        return []
    session.execute(
        update(Delivery)
        .where(Delivery.guardian_id.in_(ids), Delivery.status == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.CANCELLED, next_attempt_at=None)
    )
    for guardian in guardians:
        guardian.chat_id = None
        guardian.reachability = Reachability.STOPPED
        guardian.stopped_at = now
    session.flush()
    return guardians


def erase_conversation(session: Session, *, guardian_id: int) -> int:
    """The guardian's conversation with the school: every message both ways, the staff's
    copies of them, the conversation itself; how many messages went."""
    messages = select(ConversationMessage.id).where(ConversationMessage.guardian_id == guardian_id)
    session.execute(
        delete(ConversationNotice).where(ConversationNotice.conversation_message_id.in_(messages))
    )
    count = affected(
        session, delete(ConversationMessage).where(ConversationMessage.guardian_id == guardian_id)
    )
    session.execute(delete(Conversation).where(Conversation.guardian_id == guardian_id))
    return count
