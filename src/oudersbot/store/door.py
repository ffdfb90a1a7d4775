"""The queries of the outbox's front door: the rows it writes and what it looks up first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from oudersbot.store.models import DEFAULT_BOT, Delivery, DeliveryStatus, Message, School


@dataclass(frozen=True)
class NewDelivery:
    """One guardian's copy of a message, as the front door writes it."""

    guardian_id: int
    rendition_id: int
    status: str
    due_at: datetime
    buttons: list[Any] | None = None


def insert_deliveries(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    kind: str,
    bot: str,
    rows: Sequence[NewDelivery],
) -> None:
    """Write the outbox rows of one message in one statement."""
    if not rows:
        return
    session.execute(
        insert(Delivery),
        [
            {
                "school_id": school_id,
                "message_id": message_id,
                "guardian_id": row.guardian_id,
                "rendition_id": row.rendition_id,
                "status": row.status,
                "attempts": 0,
                "parts_sent": 0,
                "next_attempt_at": row.due_at,
                "buttons": row.buttons,
                "kind": kind,
                "bot": bot,
            }
            for row in rows
        ],
    )


def message_with_key(session: Session, *, school_id: int, key: str) -> int | None:
    """The message a producer already put in under this dedupe key, if any."""
    return session.scalar(
        select(Message.id).where(Message.school_id == school_id, Message.dedupe_key == key)
    )


def school_bot(session: Session, *, school_id: int) -> str:
    """The name of the bot that speaks for a school."""
    return session.scalar(select(School.bot).where(School.id == school_id)) or DEFAULT_BOT


def school_slug(session: Session, *, school_id: int) -> str:
    """A school's slug (its rules file is named after it)."""
    slug = session.scalar(select(School.slug).where(School.id == school_id))
    if slug is None:
        raise LookupError(f"no school {school_id}")
    return slug


_LIVE = (
    DeliveryStatus.PENDING,
    DeliveryStatus.SENDING,
    DeliveryStatus.SENT,
    DeliveryStatus.UNCONFIRMED,
)


def prikkel_days(
    session: Session,
    *,
    guardian_ids: Sequence[int],
    since: datetime,
    kind: str,
    zone: tzinfo,
) -> dict[int, set[date]]:
    """Per guardian, the local days on which a delivery of this kind went or will go out."""
    days: dict[int, set[date]] = {}
    if not guardian_ids:
        return days
    found = session.execute(
        select(
            Delivery.guardian_id, func.coalesce(Delivery.sent_at, Delivery.next_attempt_at)
        ).where(
            Delivery.kind == kind,
            Delivery.guardian_id.in_(list(guardian_ids)),
            Delivery.status.in_([s.value for s in _LIVE]),
            func.coalesce(Delivery.sent_at, Delivery.next_attempt_at) >= since,
        )
    ).all()
    for guardian_id, moment in found:
        if moment is not None:
            days.setdefault(guardian_id, set()).add(moment.astimezone(zone).date())
    return days
