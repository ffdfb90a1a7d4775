"""The liaison's work: guardians on a slip, the follow-up they record, and the deliveries that
may not have arrived."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Child,
    Delivery,
    DeliveryStatus,
    FollowUp,
    Group,
    Guardian,
    GuardianChild,
    Message,
    MessageKind,
    School,
)


def guardians_by_name(session: Session, *, school_id: int, name: str) -> list[int]:
    """The ids of the guardians with this name, case-insensitive (names are not unique)."""
    return list(
        session.scalars(
            select(Guardian.id)
            .where(Guardian.school_id == school_id, func.lower(Guardian.name) == name.lower())
            .order_by(Guardian.id)
        )
    )


@dataclass(frozen=True)
class ChildOfGuardian:
    """A child of the guardian in the slip's classes."""

    child_id: int
    name: str
    group: str


@dataclass(frozen=True)
class GuardianOnSlip:
    """A guardian and a slip of the same school: the guardian's name, the slip's answer
    options, and the guardian's children in the slip's classes (leavers not)."""

    school_id: int
    guardian: str
    answers: tuple[str, ...]
    children: tuple[ChildOfGuardian, ...]


def guardian_on_slip(
    session: Session, *, school_id: int, slip_id: int, guardian_id: int
) -> GuardianOnSlip | None:
    """The slip and the guardian, when both belong to the school; None otherwise."""
    found = session.execute(
        select(Guardian.name, Message.answers, Message.audience)
        .select_from(Message)
        .join(Guardian, Guardian.school_id == Message.school_id)
        .where(
            Message.id == slip_id,
            Message.kind == MessageKind.SLIP.value,
            Message.school_id == school_id,
            Guardian.id == guardian_id,
        )
    ).first()
    if found is None:
        return None
    groups = list((found.audience or {}).get("groups", []))
    children = session.execute(
        select(Child.id, Child.first_name, Group.name.label("group"))
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .join(Group, Group.id == Child.group_id)
        .where(
            GuardianChild.guardian_id == guardian_id,
            Group.name.in_(groups),
            Child.left_at.is_(None),
        )
        .order_by(Child.id)
    ).all()
    return GuardianOnSlip(
        school_id,
        found.name,
        tuple(found.answers or ()),
        tuple(ChildOfGuardian(c.id, c.first_name, c.group) for c in children),
    )


def add_followup(
    session: Session,
    *,
    school_id: int,
    slip_id: int,
    guardian_id: int,
    child_id: int,
    action: str,
    outcome: str,
    note: str | None,
    recorded_by: str,
    recorded_at: datetime,
) -> None:
    """Keep what the liaison did for one guardian about one child on one slip."""
    session.add(
        FollowUp(
            school_id=school_id,
            message_id=slip_id,
            guardian_id=guardian_id,
            child_id=child_id,
            action=action,
            outcome=outcome,
            note=note,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
        )
    )


def set_silent_after_slips(session: Session, *, school_id: int, slips: int) -> None:
    """The school's N: a joined guardian who answered none of their last N slips is silent."""
    session.execute(update(School).where(School.id == school_id).values(silent_after_slips=slips))


@dataclass(frozen=True)
class UnconfirmedDelivery:
    """A message that may or may not have reached a guardian: the request to Telegram was
    under way when the sending worker stopped, so it is never sent again by itself."""

    delivery_id: int
    message_id: int
    kind: str
    text_nl: str
    created_at: datetime
    attempted_at: datetime | None
    guardian_id: int
    guardian: str
    language: str
    phone: str | None


def unconfirmed_deliveries(
    session: Session,
    *,
    school_id: int,
    group_ids: Collection[int] | None = None,
    message_id: int | None = None,
) -> list[UnconfirmedDelivery]:
    """The school's unconfirmed deliveries of every kind of message, by message then guardian
    (guardians who left, never);
    `group_ids`: only guardians with a child in these classes; `message_id`: only that one."""
    query = (
        select(
            Delivery.id.label("delivery_id"),
            Delivery.send_started_at,
            Message.id.label("message_id"),
            Message.kind,
            Message.text_nl,
            Message.created_at,
            Guardian.id.label("guardian_id"),
            Guardian.name,
            Guardian.language,
            Guardian.phone,
        )
        .join(Message, Message.id == Delivery.message_id)
        .join(Guardian, Guardian.id == Delivery.guardian_id)
        .where(
            Delivery.school_id == school_id,
            Delivery.status == DeliveryStatus.UNCONFIRMED.value,
            Guardian.left_at.is_(None),
        )
        .order_by(Message.id, Guardian.name, Delivery.id)
    )
    if message_id is not None:
        query = query.where(Delivery.message_id == message_id)
    if group_ids is not None:
        query = query.where(
            exists().where(
                GuardianChild.guardian_id == Guardian.id,
                Child.id == GuardianChild.child_id,
                Child.group_id.in_(list(group_ids)),
            )
        )
    return [
        UnconfirmedDelivery(
            row.delivery_id,
            row.message_id,
            row.kind,
            row.text_nl,
            row.created_at,
            row.send_started_at,
            row.guardian_id,
            row.name,
            row.language,
            row.phone,
        )
        for row in session.execute(query)
    ]


def slip_answer_options(
    session: Session, *, school_id: int, slip_ids: Collection[int]
) -> dict[int, tuple[str, ...]]:
    """The answer options of these slips of the school, by slip id."""
    if not slip_ids:
        return {}
    rows = session.execute(
        select(Message.id, Message.answers).where(
            Message.school_id == school_id,
            Message.kind == MessageKind.SLIP.value,
            Message.id.in_(list(slip_ids)),
        )
    )
    return {row.id: tuple(row.answers or ()) for row in rows}
