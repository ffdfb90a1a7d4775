"""The queries of retention: leavers past their time, and history older than the school keeps.

History goes in an order the foreign keys allow and the outbox survives: a message still being
sent (a delivery pending or sending) waits for a later run; what refers to an expiring message
(taps, follow-ups, answers, reminders, planned sends, deliveries, renditions) goes before it,
and a newer message that reminds of it only loses the reference.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable

from oudersbot.store.models import (
    AuditEntry,
    Child,
    Conversation,
    ConversationMessage,
    ConversationNotice,
    Delivery,
    DeliveryStatus,
    FollowUp,
    Guardian,
    InboundText,
    Invite,
    JoinThrottle,
    Message,
    PlannedSend,
    PlannedStatus,
    PrikkelFeedback,
    Rendition,
    Reply,
    School,
    SlipReminder,
    Understanding,
    VoiceRendition,
)
from oudersbot.store.privacy import ERASED_NAME, affected

ACTIVE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


def policy_of(session: Session, *, school_id: int) -> tuple[int, int]:
    """The school's (leavers years, history years)."""
    school = session.get_one(School, school_id)
    return school.keep_leavers_years, school.keep_history_years


def set_policy(session: Session, *, school_id: int, leavers: int, history: int) -> None:
    """Change how long the school keeps leavers and history."""
    school = session.get_one(School, school_id)
    school.keep_leavers_years, school.keep_history_years = leavers, history


def school_zones(session: Session) -> dict[int, str]:
    """Every school of the deployment, with its time zone name."""
    return {
        row.id: row.timezone
        for row in session.execute(select(School.id, School.timezone).order_by(School.id))
    }


def school_zone(session: Session, *, school_id: int) -> str:
    """The school's time zone name."""
    return session.get_one(School, school_id).timezone


def leaver_guardians(session: Session, *, school_id: int, before: datetime) -> list[int]:
    """Guardians who left before the moment and are not erased yet."""
    return list(
        session.scalars(
            select(Guardian.id)
            .where(Guardian.school_id == school_id, Guardian.left_at < before)
            .where(Guardian.name != ERASED_NAME)
            .order_by(Guardian.id)
        )
    )


def leaver_children(session: Session, *, school_id: int, before: datetime) -> list[int]:
    """Children who left before the moment and are not erased yet."""
    return list(
        session.scalars(
            select(Child.id)
            .where(Child.school_id == school_id, Child.left_at < before)
            .where(Child.first_name != ERASED_NAME)
            .order_by(Child.id)
        )
    )


def _expired_messages(school_id: int, before: datetime):  # type: ignore[no-untyped-def]
    busy = exists().where(Delivery.message_id == Message.id, Delivery.status.in_(ACTIVE))
    return select(Message.id).where(
        Message.school_id == school_id, Message.created_at < before, ~busy
    )


def expired_message_ids(
    session: Session, *, school_id: int, before: datetime, limit: int
) -> list[int]:
    """Up to `limit` of the school's messages written before the moment and not being sent."""
    query = _expired_messages(school_id, before).order_by(Message.id).limit(limit)
    return list(session.scalars(query))


@dataclass(frozen=True)
class HistoryCount:
    """What the history rule would remove."""

    messages: int
    deliveries: int
    replies: int
    texts: int


def count_history(session: Session, *, school_id: int, before: datetime) -> HistoryCount:
    """How many messages (with their deliveries and answers) and free texts have expired."""
    ids = _expired_messages(school_id, before).scalar_subquery()

    def count(model: type[Delivery] | type[Reply]) -> int:
        query = select(func.count()).select_from(model).where(model.message_id.in_(ids))
        return int(session.scalar(query) or 0)

    messages = select(func.count()).select_from(_expired_messages(school_id, before).subquery())
    texts = select(func.count()).select_from(InboundText)
    texts = texts.where(InboundText.school_id == school_id, InboundText.received_at < before)
    return HistoryCount(
        int(session.scalar(messages) or 0),
        count(Delivery),
        count(Reply),
        int(session.scalar(texts) or 0),
    )


def delete_messages(session: Session, *, ids: list[int]) -> dict[str, int]:
    """Delete these messages and every row that refers to them, in foreign-key order."""

    def gone(statement: Executable) -> int:
        return affected(session, statement)

    counts = {
        "prikkel_feedback": gone(
            delete(PrikkelFeedback).where(PrikkelFeedback.message_id.in_(ids))
        ),
        "follow_ups": gone(delete(FollowUp).where(FollowUp.message_id.in_(ids))),
        "replies": gone(delete(Reply).where(Reply.message_id.in_(ids))),
        "understanding": gone(delete(Understanding).where(Understanding.message_id.in_(ids))),
    }
    gone(delete(SlipReminder).where(SlipReminder.message_id.in_(ids)))
    gone(
        update(SlipReminder)
        .where(SlipReminder.reminder_message_id.in_(ids))
        .values(reminder_message_id=None)
    )
    gone(update(PlannedSend).where(PlannedSend.message_id.in_(ids)).values(message_id=None))
    # A conversation keeps its own time (delete_old_rows); only its link to the message goes.
    gone(
        update(ConversationMessage).where(ConversationMessage.slip_id.in_(ids)).values(slip_id=None)
    )
    gone(
        update(ConversationMessage)
        .where(ConversationMessage.outbox_message_id.in_(ids))
        .values(outbox_message_id=None)
    )
    counts["deliveries"] = gone(delete(Delivery).where(Delivery.message_id.in_(ids)))
    gone(delete(Rendition).where(Rendition.message_id.in_(ids)))
    gone(delete(VoiceRendition).where(VoiceRendition.message_id.in_(ids)))
    gone(update(Message).where(Message.reminds_of.in_(ids)).values(reminds_of=None))
    gone(update(Message).where(Message.voice_of.in_(ids)).values(voice_of=None))
    counts["messages"] = gone(delete(Message).where(Message.id.in_(ids)))
    return counts


def delete_old_rows(session: Session, *, school_id: int, before: datetime) -> dict[str, int]:
    """The rest of the history: conversations (messages both ways, the staff's copies),
    free texts, planned sends that are done, used or dead invites,
    old wrong-code counts and audit entries, all from before the moment."""

    def gone(statement: Executable) -> int:
        return affected(session, statement)

    done = (PlannedStatus.QUEUED, PlannedStatus.SKIPPED, PlannedStatus.CANCELLED)
    old_messages = select(ConversationMessage.id).where(
        ConversationMessage.school_id == school_id, ConversationMessage.at < before
    )
    gone(
        delete(ConversationNotice).where(
            ConversationNotice.conversation_message_id.in_(old_messages)
        )
    )
    conversation_messages = gone(
        delete(ConversationMessage).where(
            ConversationMessage.school_id == school_id, ConversationMessage.at < before
        )
    )
    left = select(ConversationMessage.id).where(
        ConversationMessage.conversation_id == Conversation.id
    )
    gone(
        delete(Conversation).where(
            Conversation.school_id == school_id,
            Conversation.last_message_at < before,
            ~exists(left),
        )
    )
    return {
        "conversation_messages": conversation_messages,
        "inbound_texts": gone(
            delete(InboundText).where(
                InboundText.school_id == school_id, InboundText.received_at < before
            )
        ),
        "planned_sends": gone(
            delete(PlannedSend).where(
                PlannedSend.school_id == school_id,
                PlannedSend.due_at < before,
                PlannedSend.status.in_(done),
            )
        ),
        "invites": gone(
            delete(Invite).where(Invite.school_id == school_id, Invite.expires_at < before)
        ),
        "join_throttles": gone(delete(JoinThrottle).where(JoinThrottle.window_start < before)),
        "audit": gone(
            delete(AuditEntry).where(AuditEntry.school_id == school_id, AuditEntry.at < before)
        ),
    }
