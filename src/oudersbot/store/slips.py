"""A parent's side of a slip: what a tap may answer, the answers and questions, the reminders."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Delivery,
    DeliveryStatus,
    Group,
    Guardian,
    GuardianChild,
    Message,
    MessageKind,
    Reply,
    ReplySource,
    SlipReminder,
)

Buttons = list[list[list[str]]]


def latest_answer_of(message_id: Any, child_id: Any) -> Any:
    """The latest answer (not a question) to a slip for a child, as a correlated subquery;
    `message_id` and `child_id` are the outer query's columns."""
    return (
        select(Reply.answer)
        .where(
            Reply.message_id == message_id, Reply.child_id == child_id, Reply.answer.is_not(None)
        )
        .order_by(Reply.received_at.desc(), Reply.id.desc())
        .limit(1)
        .correlate_except(Reply)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class TapContext:
    """What an answer button needs checked: the guardian behind the chat, the slip, the child
    (one of the guardian's), the buttons they got and the child's latest answer."""

    guardian_id: int
    language: str
    school_id: int
    options: tuple[str, ...]
    deadline: datetime | None
    audience_groups: frozenset[str]
    child: str
    group: str
    buttons: Buttons | None
    latest_answer: str | None


def tap_context(
    session: Session, *, chat_id: int, message_id: int, child_id: int
) -> TapContext | None:
    """The slip as sent to this chat, for a child of this guardian; None when any of that is
    not so (another chat, another school, not a slip, not their child)."""
    row = session.execute(
        select(
            Guardian.id.label("guardian_id"),
            Guardian.language,
            Message.school_id,
            Message.answers,
            Message.deadline,
            Message.audience,
            Child.first_name,
            Group.name.label("group"),
            Delivery.buttons,
            latest_answer_of(Message.id, Child.id).label("latest"),
        )
        .select_from(Guardian)
        .join(Delivery, Delivery.guardian_id == Guardian.id)
        .join(Message, Message.id == Delivery.message_id)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .join(Child, Child.id == GuardianChild.child_id)
        .join(Group, Group.id == Child.group_id)
        .where(
            Guardian.chat_id == chat_id,
            Message.id == message_id,
            Message.kind == MessageKind.SLIP.value,
            Child.id == child_id,
            Message.school_id == Guardian.school_id,
            Guardian.left_at.is_(None),
            Child.left_at.is_(None),
        )
    ).first()
    if row is None:
        return None
    return TapContext(
        guardian_id=row.guardian_id,
        language=row.language,
        school_id=row.school_id,
        options=tuple(row.answers or ()),
        deadline=row.deadline,
        audience_groups=frozenset((row.audience or {}).get("groups", [])),
        child=row.first_name,
        group=row.group,
        buttons=row.buttons,
        latest_answer=row.latest,
    )


def add_tap_answer(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    child_id: int,
    guardian_id: int,
    answer: str,
    tap_id: str,
    received_at: datetime,
    source: ReplySource = ReplySource.BUTTON,
) -> bool:
    """Keep an answer from a button (or a button's number, typed); False when this tap was kept
    before (Telegram delivered the same update twice), and the session is then rolled back."""
    try:
        session.execute(
            insert(Reply).values(
                school_id=school_id,
                message_id=message_id,
                child_id=child_id,
                guardian_id=guardian_id,
                answer=answer,
                source=source.value,
                tap_id=tap_id,
                received_at=received_at,
            )
        )
    except IntegrityError:
        session.rollback()
        return False
    return True


@dataclass(frozen=True)
class SlipCopy:
    """The slip as it sits in one guardian's chat: where, and its buttons."""

    chat_id: int
    telegram_message_id: int
    buttons: Buttons


def other_guardians_copies(
    session: Session, *, message_id: int, child_id: int, guardian_id: int
) -> list[SlipCopy]:
    """The slip in the chats of the child's other guardians, where it arrived with buttons."""
    rows = session.execute(
        select(Guardian.chat_id, Delivery.telegram_message_id.label("sent_as"), Delivery.buttons)
        .join(Delivery, Delivery.guardian_id == Guardian.id)
        .join(GuardianChild, GuardianChild.guardian_id == Guardian.id)
        .where(
            Delivery.message_id == message_id,
            GuardianChild.child_id == child_id,
            Guardian.id != guardian_id,
            Guardian.chat_id.is_not(None),
            Delivery.telegram_message_id.is_not(None),
        )
    ).all()
    return [
        SlipCopy(row.chat_id, row.sent_as, row.buttons)
        for row in rows
        if row.chat_id is not None and row.sent_as and row.buttons
    ]


@dataclass(frozen=True)
class ChildOnSlip:
    """A child of the asking guardian who is in the slip's audience."""

    child_id: int
    name: str


@dataclass(frozen=True)
class OpenSlip:
    """The newest slip still open for a chat's guardian, with their children on it and the
    buttons their copy carries."""

    guardian_id: int
    language: str
    school_id: int
    message_id: int
    children: tuple[ChildOnSlip, ...]
    buttons: Buttons | None = None


# A copy of a slip the parent may have seen: sent, or perhaps sent (unconfirmed, resent).
SEEN = (DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value, DeliveryStatus.RESENT.value)


def newest_open_slip(session: Session, *, chat_id: int, now: datetime) -> OpenSlip | None:
    """The newest slip whose deadline has not passed and that went out to this chat; None
    without one. A copy that never went out (the parent had not joined yet, or had blocked the
    bot, at the time) does not count: the parent never saw that slip or its buttons."""
    guardian = session.execute(
        select(Guardian.id, Guardian.language).where(
            Guardian.chat_id == chat_id, Guardian.left_at.is_(None)
        )
    ).first()
    if guardian is None:
        return None
    slip = session.execute(
        select(Message.id, Message.school_id, Message.audience, Delivery.buttons)
        .join(Delivery, Delivery.message_id == Message.id)
        .where(
            Delivery.guardian_id == guardian.id,
            Delivery.status.in_(SEEN),
            Message.kind == MessageKind.SLIP.value,
            Message.deadline > now,
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(1)
    ).first()
    if slip is None:
        return None
    groups = list((slip.audience or {}).get("groups", []))
    children = session.execute(
        select(Child.id, Child.first_name)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Group, Group.id == Child.group_id)
        .where(
            GuardianChild.guardian_id == guardian.id,
            Group.name.in_(groups),
            Child.left_at.is_(None),
        )
        .order_by(Child.id)
    ).all()
    return OpenSlip(
        guardian.id,
        guardian.language,
        slip.school_id,
        slip.id,
        tuple(ChildOnSlip(c.id, c.first_name) for c in children),
        slip.buttons,
    )


def add_question(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    guardian_id: int,
    child_ids: Sequence[int],
    text: str,
    text_nl: str | None,
    received_at: datetime,
) -> None:
    """Keep a parent's own words with a slip, once for each child they ask about."""
    for child_id in child_ids:
        session.add(
            Reply(
                school_id=school_id,
                message_id=message_id,
                child_id=child_id,
                guardian_id=guardian_id,
                answer=None,
                text=text,
                text_nl=text_nl,
                source=ReplySource.TEXT.value,
                received_at=received_at,
            )
        )


def add_liaison_answer(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    guardian_id: int,
    child_ids: Sequence[int],
    answer: str,
    recorded_by: str,
    received_at: datetime,
) -> None:
    """Keep the answer a liaison gives on a parent's behalf, for each of their children."""
    for child_id in child_ids:
        session.add(
            Reply(
                school_id=school_id,
                message_id=message_id,
                child_id=child_id,
                guardian_id=guardian_id,
                answer=answer,
                source=ReplySource.LIAISON.value,
                recorded_by=recorded_by,
                received_at=received_at,
            )
        )


def add_slip_reminders(
    session: Session, *, school_id: int, message_id: int, due: Mapping[str, datetime]
) -> None:
    """One pending reminder row per rule, written with the slip."""
    for rule, due_at in due.items():
        session.add(
            SlipReminder(
                school_id=school_id,
                message_id=message_id,
                rule=rule,
                due_at=due_at,
                status="pending",
            )
        )
