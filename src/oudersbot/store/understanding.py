"""'Begrepen' / 'Uitleg graag': whose tap may count, the taps themselves, the counts per
message, and the families who asked for an explanation (the brugfiguur's list)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Delivery,
    DeliveryStatus,
    Group,
    Guardian,
    GuardianChild,
    Message,
    Staff,
    StaffGroup,
    Understanding,
)

# The deliveries a parent may have seen (and so tapped under).
SEEN = (DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value, DeliveryStatus.RESENT.value)
# The kinds of send that carry the two buttons (delivery.door.SendKind values).
CARRYING = ("message", "slip")


@dataclass(frozen=True)
class TapOwner:
    """The guardian behind a chat who got this message, with what the tap needs."""

    guardian_id: int
    guardian: str
    language: str
    school_id: int
    text_nl: str
    created_by: str | None
    groups: tuple[str, ...]
    buttons: list[Any]


def tap_owner(session: Session, *, chat_id: int, message_id: int) -> TapOwner | None:
    """The guardian of this chat who was sent this message (of their own school, not left);
    None for another chat's message, an unknown id or a message not yet sent."""
    row = session.execute(
        select(
            Guardian.id,
            Guardian.name,
            Guardian.language,
            Message.school_id,
            Message.text_nl,
            Message.created_by,
            Message.audience,
            Delivery.buttons,
        )
        .select_from(Guardian)
        .join(Delivery, Delivery.guardian_id == Guardian.id)
        .join(Message, Message.id == Delivery.message_id)
        .where(
            Guardian.chat_id == chat_id,
            Guardian.left_at.is_(None),
            Delivery.message_id == message_id,
            Delivery.status.in_(SEEN),
            Message.school_id == Guardian.school_id,
        )
    ).first()
    if row is None:
        return None
    return TapOwner(
        row.id,
        row.name,
        row.language,
        row.school_id,
        row.text_nl,
        row.created_by,
        tuple((row.audience or {}).get("groups", [])),
        row.buttons or [],
    )


def reaction_of(session: Session, *, message_id: int, guardian_id: int) -> Understanding | None:
    """The guardian's reaction to the message so far, if any."""
    return session.scalar(
        select(Understanding).where(
            Understanding.message_id == message_id, Understanding.guardian_id == guardian_id
        )
    )


def add_reaction(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    guardian_id: int,
    reaction: str,
    at: datetime,
    explain: bool,
) -> Understanding:
    """The first tap of the guardian under the message (IntegrityError when another came
    first)."""
    row = Understanding(
        school_id=school_id,
        message_id=message_id,
        guardian_id=guardian_id,
        reaction=reaction,
        first_at=at,
        tapped_at=at,
        taps=1,
        explain_at=at if explain else None,
    )
    session.add(row)
    session.flush()
    return row


def explain_count(session: Session, *, message_id: int) -> int:
    """How many guardians now ask for an explanation of the message."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(Understanding)
            .where(Understanding.message_id == message_id, Understanding.reaction == "explain")
        )
        or 0
    )


def children_in(
    session: Session, *, guardian_id: int, groups: Collection[str]
) -> list[tuple[str, str]]:
    """The guardian's children (first name, class) in these classes, or all of them when no
    class is named; leavers not."""
    query = (
        select(Child.first_name, Group.name)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Group, Group.id == Child.group_id)
        .where(GuardianChild.guardian_id == guardian_id, Child.left_at.is_(None))
        .order_by(Group.name, Child.first_name)
    )
    if groups:
        query = query.where(Group.name.in_(list(groups)))
    return [(row[0], row[1]) for row in session.execute(query)]


def staff_chats(
    session: Session, *, school_id: int, name: str | None, groups: Collection[str]
) -> list[int]:
    """Whom to tell in Telegram: the staff member who sent the message (by name), or else the
    teachers of these classes; only those with a chat."""
    if name:
        by_name = list(
            session.scalars(
                select(Staff.chat_id).where(
                    Staff.school_id == school_id, Staff.name == name, Staff.chat_id.is_not(None)
                )
            )
        )
        if by_name:
            return sorted({c for c in by_name if c is not None})
    if not groups:
        return []
    teachers = session.scalars(
        select(Staff.chat_id)
        .join(StaffGroup, StaffGroup.staff_id == Staff.id)
        .join(Group, Group.id == StaffGroup.group_id)
        .where(
            Staff.school_id == school_id,
            Staff.chat_id.is_not(None),
            Group.school_id == school_id,
            Group.name.in_(list(groups)),
        )
    )
    return sorted({c for c in teachers if c is not None})


@dataclass(frozen=True)
class MessageCount:
    """One message with its buttons: reached guardians and their latest reactions."""

    message_id: int
    text_nl: str
    created_at: datetime
    groups: tuple[str, ...]
    reached: int
    understood: int
    explain: int


def message_counts(
    session: Session, *, school_id: int, message_id: int | None = None, last: int = 10
) -> list[MessageCount]:
    """The school's latest messages that carry the two buttons (or the one asked for), newest
    first, with how many guardians it reached and how many tapped each button. Three
    statements."""
    query = (
        select(Message.id, Message.text_nl, Message.created_at, Message.audience)
        .where(
            Message.school_id == school_id,
            Message.id.in_(
                select(Delivery.message_id).where(
                    Delivery.school_id == school_id, Delivery.kind.in_(CARRYING)
                )
            ),
        )
        .order_by(Message.id.desc())
        .limit(last)
    )
    if message_id is not None:
        query = query.where(Message.id == message_id)
    messages = session.execute(query).all()
    ids = [m.id for m in messages]
    if not ids:
        return []
    reached = dict(
        session.execute(
            select(Delivery.message_id, func.count(func.distinct(Delivery.guardian_id)))
            .where(Delivery.message_id.in_(ids), Delivery.status.in_(SEEN))
            .group_by(Delivery.message_id)
        ).all()
    )
    taps: dict[tuple[int, str], int] = {}
    for row in session.execute(
        select(Understanding.message_id, Understanding.reaction, func.count())
        .where(Understanding.message_id.in_(ids))
        .group_by(Understanding.message_id, Understanding.reaction)
    ):
        taps[(row[0], row[1])] = row[2]
    return [
        MessageCount(
            m.id,
            m.text_nl,
            m.created_at,
            tuple(sorted((m.audience or {}).get("groups", []))),
            int(reached.get(m.id, 0)),
            taps.get((m.id, "understood"), 0),
            taps.get((m.id, "explain"), 0),
        )
        for m in messages
    ]


@dataclass(frozen=True)
class ExplainRequest:
    """A family that asked for an explanation and is still waiting for it."""

    request_id: int
    message_id: int
    text_nl: str
    groups: tuple[str, ...]
    guardian_id: int
    guardian: str
    language: str
    phone: str | None
    asked_at: datetime


def _open() -> Any:
    return and_(
        Understanding.reaction == "explain",
        or_(
            Understanding.explained_at.is_(None),
            Understanding.explained_at < Understanding.explain_at,
        ),
    )


def open_explain_requests(session: Session, *, school_id: int) -> list[ExplainRequest]:
    """Who asked for an explanation and did not get it yet (nor tapped 'understood' since),
    oldest first; leavers not."""
    return [
        ExplainRequest(
            row.id,
            row.message_id,
            row.text_nl,
            tuple(sorted((row.audience or {}).get("groups", []))),
            row.guardian_id,
            row.name,
            row.language,
            row.phone,
            row.explain_at,
        )
        for row in session.execute(
            select(
                Understanding.id,
                Understanding.message_id,
                Message.text_nl,
                Message.audience,
                Understanding.guardian_id,
                Guardian.name,
                Guardian.language,
                Guardian.phone,
                Understanding.explain_at,
            )
            .join(Message, Message.id == Understanding.message_id)
            .join(Guardian, Guardian.id == Understanding.guardian_id)
            .where(Understanding.school_id == school_id, Guardian.left_at.is_(None), _open())
            .order_by(Understanding.explain_at, Understanding.id)
        )
    ]


def mark_explained(
    session: Session, *, school_id: int, request_id: int, by: str, at: datetime
) -> bool:
    """Record that the school explained it; False when there is no such open request at this
    school (forged, another school's, already done)."""
    result = session.execute(
        update(Understanding)
        .where(Understanding.id == request_id, Understanding.school_id == school_id, _open())
        .values(explained_at=at, explained_by=by)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def reactions_of_guardian(session: Session, *, guardian_id: int) -> list[Understanding]:
    """Every reaction of the guardian, for their export."""
    return list(
        session.scalars(
            select(Understanding)
            .where(Understanding.guardian_id == guardian_id)
            .order_by(Understanding.first_at, Understanding.id)
        )
    )
