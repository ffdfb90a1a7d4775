"""The queries of a guardian's privacy rights: who is meant, and everything stored about them.

Every table that names a guardian, their chat or their children is read here (and written in
`store.erasure`): guardian, guardian_child, child, delivery (with message), reply, inbound_text,
follow_up, invite, prikkel_feedback, understanding, planned_send, join_throttle, audit_log and
conversation (conversation_message, conversation_notice). A new table with personal data joins
both modules.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import Executable

from oudersbot.store.models import (
    AuditEntry,
    Child,
    Conversation,
    ConversationMessage,
    Delivery,
    FollowUp,
    Group,
    Guardian,
    GuardianChild,
    InboundText,
    Invite,
    JoinThrottle,
    Message,
    PlannedSend,
    PrikkelFeedback,
    Reply,
    School,
    Understanding,
)
from oudersbot.store.understanding import reactions_of_guardian


def affected(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it touched."""
    return int(getattr(session.execute(statement), "rowcount", 0) or 0)


# An erased guardian keeps its row (deliveries and taps stay countable) without a name.
ERASED_NAME = ""


@dataclass(frozen=True)
class Candidate:
    """A guardian a staff member may mean: enough to tell two of the same name apart."""

    id: int
    name: str
    external_id: str | None
    children: tuple[tuple[str, str], ...]  # (first name, class)


def _candidate(session: Session, guardian: Guardian) -> Candidate:
    rows = session.execute(
        select(Child.first_name, Group.name)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Group, Group.id == Child.group_id)
        .where(GuardianChild.guardian_id == guardian.id)
        .order_by(Group.name, Child.first_name)
    ).all()
    return Candidate(
        guardian.id, guardian.name, guardian.external_id, tuple((r[0], r[1]) for r in rows)
    )


def guardians_matching(session: Session, *, school_id: int, who: str) -> list[Candidate]:
    """The school's guardians `who` may mean: by id, by the school's parent id or by name
    (any case); erased guardians are nobody any more."""
    text = who.strip()
    conditions = [Guardian.external_id == text]
    if text.isdigit():
        conditions.append(Guardian.id == int(text))
    query = select(Guardian).where(Guardian.school_id == school_id, Guardian.name != ERASED_NAME)
    found = {g.id: g for g in session.scalars(query.where(or_(*conditions)))}
    if not found:
        wanted = text.casefold()
        found = {g.id: g for g in session.scalars(query) if g.name.casefold() == wanted}
    return [_candidate(session, g) for _, g in sorted(found.items())]


@dataclass(frozen=True)
class Received:
    """One message sent (or meant) for the guardian."""

    delivery_id: int
    message_id: int
    kind: str
    category: str
    created_at: datetime
    sent_at: datetime | None
    status: str


@dataclass(frozen=True)
class GuardianRecord:
    """Everything stored about one guardian, table by table, as rows of plain values."""

    guardian: Guardian
    school_name: str
    children: list[tuple[Child, str]]  # the child and its class
    received: list[Received]
    replies: list[Reply]
    texts: list[InboundText]
    follow_ups: list[FollowUp]
    invites: list[Invite]
    prikkel_feedback: list[PrikkelFeedback]
    planned: list[PlannedSend]
    throttles: list[JoinThrottle]
    audit: list[AuditEntry]
    # Their conversation with the school: their messages and the staff's answers.
    conversation: list[ConversationMessage] = field(default_factory=list)
    # Whose turn it is in that conversation, and who marked it handled without an answer.
    conversation_state: list[Conversation] = field(default_factory=list)
    # 'Begrepen' / 'Uitleg graag' under messages (store.understanding).
    understanding: list[Understanding] = field(default_factory=list)


def chats_of(session: Session, guardian: Guardian) -> set[int]:
    """Every Telegram chat known for the guardian: linked now, used an invite, or wrote."""
    chats = {guardian.chat_id} if guardian.chat_id is not None else set()
    for chat in session.scalars(
        select(Invite.used_by_chat_id).where(Invite.guardian_id == guardian.id)
    ):
        if chat is not None:
            chats.add(chat)
    chats |= set(
        session.scalars(select(InboundText.chat_id).where(InboundText.guardian_id == guardian.id))
    )
    return chats


def texts_of(session: Session, guardian: Guardian, chats: set[int]) -> list[InboundText]:
    """What the guardian wrote: linked to them, or from their chat before it was linked."""
    return list(
        session.scalars(
            select(InboundText)
            .where(
                or_(
                    InboundText.guardian_id == guardian.id,
                    (InboundText.guardian_id.is_(None)) & (InboundText.chat_id.in_(chats)),
                )
            )
            .order_by(InboundText.received_at, InboundText.id)
        )
    )


def guardian_record(session: Session, *, guardian_id: int) -> GuardianRecord:
    """Everything stored about the guardian (LookupError when there is no such guardian)."""
    guardian = session.get(Guardian, guardian_id)
    if guardian is None:
        raise LookupError(f"no guardian {guardian_id}")
    school = session.get_one(School, guardian.school_id)
    children: list[tuple[Child, str]] = [
        (row[0], row[1])
        for row in session.execute(
            select(Child, Group.name)
            .join(GuardianChild, GuardianChild.child_id == Child.id)
            .join(Group, Group.id == Child.group_id)
            .where(GuardianChild.guardian_id == guardian_id)
            .order_by(Group.name, Child.first_name)
        )
    ]
    received = [
        Received(r.id, r.message_id, r.kind, r.category, r.created_at, r.sent_at, r.status)
        for r in session.execute(
            select(
                Delivery.id,
                Delivery.message_id,
                Delivery.kind,
                Message.category,
                Message.created_at,
                Delivery.sent_at,
                Delivery.status,
            )
            .join(Message, Message.id == Delivery.message_id)
            .where(Delivery.guardian_id == guardian_id)
            .order_by(Message.created_at, Delivery.id)
        )
    ]
    chats = chats_of(session, guardian)
    subject = f"guardian:{guardian_id}"
    return GuardianRecord(
        guardian=guardian,
        school_name=school.name,
        children=children,
        received=received,
        replies=list(
            session.scalars(
                select(Reply).where(Reply.guardian_id == guardian_id).order_by(Reply.received_at)
            )
        ),
        texts=texts_of(session, guardian, chats),
        follow_ups=list(
            session.scalars(
                select(FollowUp)
                .where(FollowUp.guardian_id == guardian_id)
                .order_by(FollowUp.recorded_at)
            )
        ),
        invites=list(
            session.scalars(
                select(Invite).where(Invite.guardian_id == guardian_id).order_by(Invite.created_at)
            )
        ),
        prikkel_feedback=list(
            session.scalars(
                select(PrikkelFeedback)
                .where(PrikkelFeedback.guardian_id == guardian_id)
                .order_by(PrikkelFeedback.at)
            )
        ),
        planned=list(
            session.scalars(
                select(PlannedSend)
                .where(PlannedSend.guardian_id == guardian_id)
                .order_by(PlannedSend.due_at)
            )
        ),
        throttles=list(
            session.scalars(select(JoinThrottle).where(JoinThrottle.chat_id.in_(chats)))
        ),
        audit=list(
            session.scalars(
                select(AuditEntry)
                .where(AuditEntry.school_id == guardian.school_id, AuditEntry.subject == subject)
                .order_by(AuditEntry.at)
            )
        ),
        conversation=list(
            session.scalars(
                select(ConversationMessage)
                .where(ConversationMessage.guardian_id == guardian_id)
                .order_by(ConversationMessage.at, ConversationMessage.id)
            )
        ),
        conversation_state=list(
            session.scalars(select(Conversation).where(Conversation.guardian_id == guardian_id))
        ),
        understanding=reactions_of_guardian(session, guardian_id=guardian_id),
    )
