"""The queries of slip reminders: which are due, who still has to answer, what they got."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Guardian,
    Message,
    Rendition,
    Reply,
    SlipReminder,
)


@dataclass(frozen=True)
class DueReminder:
    """A planned slip reminder whose moment has come."""

    id: int
    school_id: int
    deadline: datetime | None


def due_reminders(session: Session, *, now: datetime, limit: int) -> list[DueReminder]:
    """Pending reminders due by `now`, oldest first; rows another worker holds are skipped."""
    ids = session.scalars(
        select(SlipReminder.id)
        .where(SlipReminder.status == "pending", SlipReminder.due_at <= now)
        .order_by(SlipReminder.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    found = session.execute(
        select(SlipReminder.id, SlipReminder.school_id, Message.deadline)
        .join(Message, Message.id == SlipReminder.message_id)
        .where(SlipReminder.id.in_(ids))
        .order_by(SlipReminder.due_at)
    ).all()
    return [DueReminder(row.id, row.school_id, row.deadline) for row in found]


def claim_reminder(session: Session, *, reminder_id: int, status: str) -> SlipReminder | None:
    """Move a pending reminder to `status` and return it; None when another worker (or an
    earlier run) took it first: the conditional UPDATE lets only one of them win."""
    claimed = session.scalar(
        update(SlipReminder)
        .where(SlipReminder.id == reminder_id, SlipReminder.status == "pending")
        .values(status=status)
        .returning(SlipReminder.id)
        .execution_options(synchronize_session=False)
    )
    return session.get(SlipReminder, claimed) if claimed is not None else None


def next_reminder_due(session: Session) -> datetime | None:
    """When the next pending slip reminder is due."""
    return session.scalar(
        select(SlipReminder.due_at)
        .where(SlipReminder.status == "pending")
        .order_by(SlipReminder.due_at)
        .limit(1)
    )


def answered_children(session: Session, *, slip_id: int) -> set[int]:
    """The children of a slip with an answer (a question alone is no answer)."""
    return set(
        session.scalars(
            select(Reply.child_id).where(Reply.message_id == slip_id, Reply.answer.is_not(None))
        )
    )


def delivered_to(session: Session, *, slip_id: int) -> Sequence[tuple[Delivery, Guardian]]:
    """The slip's deliveries that went out (or may have: unconfirmed), with their guardian."""
    return [
        (delivery, guardian)
        for delivery, guardian in session.execute(
            select(Delivery, Guardian)
            .join(Guardian, Guardian.id == Delivery.guardian_id)
            .where(
                Delivery.message_id == slip_id,
                # Unconfirmed: it may not have arrived, and a reminder is a new message anyway.
                Delivery.status.in_([DeliveryStatus.SENT.value, DeliveryStatus.UNCONFIRMED.value]),
            )
        ).all()
    ]


def renditions_of(session: Session, *, message_id: int) -> list[Rendition]:
    """A message's renditions, one per language."""
    return list(session.scalars(select(Rendition).where(Rendition.message_id == message_id)))
