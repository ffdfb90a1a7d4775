"""The queries of prikkels: what waits for a class, who paused them, the parents' taps.

A prikkel's classes live in its message's audience (`{"groups": [...]}`), a JSON column, so
they are matched here in Python rather than in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import (
    Delivery,
    DeliveryStatus,
    Guardian,
    Message,
    MessageKind,
    PrikkelFeedback,
)

_PRIKKEL = Message.kind == MessageKind.PRIKKEL.value


def _groups(audience: dict[str, Any] | None) -> list[str]:
    return list((audience or {}).get("groups", []))


def paused_guardians(session: Session, *, guardian_ids: Collection[int]) -> set[int]:
    """Those of these guardians who paused prikkels."""
    return set(
        session.scalars(
            select(Guardian.id).where(
                Guardian.id.in_(guardian_ids), Guardian.prikkels_paused.is_(True)
            )
        )
    )


@dataclass(frozen=True)
class WaitingPrikkel:
    """A prikkel of a class with deliveries still pending."""

    message_id: int
    text_nl: str
    due: dt.datetime  # the soonest pending delivery
    families: int  # pending deliveries


def waiting_prikkels(session: Session, *, school_id: int, group: str) -> list[WaitingPrikkel]:
    """The school's prikkels for this class with deliveries still pending, in no order."""
    pending = session.execute(
        select(
            Delivery.message_id,
            func.min(Delivery.next_attempt_at).label("due"),
            func.count().label("families"),
        )
        .join(Message, Message.id == Delivery.message_id)
        .where(
            Message.school_id == school_id,
            _PRIKKEL,
            Delivery.status == DeliveryStatus.PENDING.value,
        )
        .group_by(Delivery.message_id)
    ).all()
    messages = {
        message.id: message
        for message in session.scalars(
            select(Message).where(Message.id.in_([row.message_id for row in pending]))
        )
    }
    return [
        WaitingPrikkel(row.message_id, messages[row.message_id].text_nl, row.due, row.families)
        for row in pending
        if row.due is not None and group in _groups(messages[row.message_id].audience)
    ]


def prikkel_groups(session: Session, *, school_id: int, message_id: int) -> set[str]:
    """The classes a message of this school was sent to (none when it is not the school's)."""
    audience = session.scalar(
        select(Message.audience).where(Message.id == message_id, Message.school_id == school_id)
    )
    return set(_groups(audience))


def cancel_waiting_prikkel(session: Session, *, school_id: int, message_id: int) -> int:
    """Cancel the pending deliveries of a prikkel of this school; how many there were."""
    result = session.execute(
        update(Delivery)
        .returning(Delivery.id)
        .where(
            Delivery.message_id == message_id,
            Delivery.school_id == school_id,
            Delivery.status == DeliveryStatus.PENDING.value,
            Delivery.message_id.in_(select(Message.id).where(_PRIKKEL)),
        )
        .values(status=DeliveryStatus.CANCELLED.value)
    )
    return len(result.all())


def cancel_waiting_prikkels_of(session: Session, *, guardian_id: int) -> None:
    """Cancel every pending prikkel delivery to one guardian."""
    session.execute(
        update(Delivery)
        .where(
            Delivery.guardian_id == guardian_id,
            Delivery.status == DeliveryStatus.PENDING.value,
            Delivery.message_id.in_(select(Message.id).where(_PRIKKEL)),
        )
        .values(status=DeliveryStatus.CANCELLED.value)
    )


@dataclass(frozen=True)
class PrikkelReceiver:
    """The guardian of a chat who was sent a prikkel, and which prikkel it was."""

    guardian_id: int
    language: str
    school_id: int
    prikkel_id: str | None  # the library id; None for a teacher's own words


def prikkel_receiver(session: Session, *, chat_id: int, message_id: int) -> PrikkelReceiver | None:
    """The guardian of this chat who was sent this prikkel, or None."""
    row = session.execute(
        select(
            Guardian.id.label("guardian_id"),
            Guardian.language,
            Message.school_id,
            Message.template_id,
        )
        .join(Delivery, Delivery.guardian_id == Guardian.id)
        .join(Message, Message.id == Delivery.message_id)
        .where(Guardian.chat_id == chat_id, Message.id == message_id, _PRIKKEL)
    ).first()
    if row is None:
        return None
    return PrikkelReceiver(row.guardian_id, row.language, row.school_id, row.template_id)


def add_feedback(
    session: Session,
    *,
    school_id: int,
    message_id: int,
    guardian_id: int,
    kind: str,
    at: dt.datetime,
) -> None:
    """Record a parent's tap under a prikkel; a second tap of the same kind raises the
    database's IntegrityError (one per guardian, prikkel and kind)."""
    session.execute(
        insert(PrikkelFeedback).values(
            school_id=school_id, message_id=message_id, guardian_id=guardian_id, kind=kind, at=at
        )
    )


def prikkels_sent_to(session: Session, *, guardian_id: int) -> set[str | None]:
    """The library ids of the prikkels put in the outbox for a guardian (None: own words)."""
    return set(
        session.scalars(
            select(Message.template_id)
            .join(Delivery, Delivery.message_id == Message.id)
            .where(Delivery.guardian_id == guardian_id, _PRIKKEL)
        )
    )


@dataclass(frozen=True)
class SentPrikkel:
    """One prikkel that reached one family, and whether they tapped 'we talked about it'."""

    message_id: int
    guardian_id: int
    sent_at: dt.datetime
    talked: bool


def sent_prikkels(session: Session, *, school_id: int, group: str) -> list[SentPrikkel]:
    """Every delivery of the school's prikkels for this class that was sent."""
    ids = [
        row.id
        for row in session.execute(
            select(Message.id, Message.audience).where(Message.school_id == school_id, _PRIKKEL)
        )
        if group in _groups(row.audience)
    ]
    sent = session.execute(
        select(Delivery.message_id, Delivery.guardian_id, Delivery.sent_at).where(
            Delivery.message_id.in_(ids),
            Delivery.status == DeliveryStatus.SENT.value,
            Delivery.sent_at.is_not(None),
        )
    ).all()
    talked = {
        (row.message_id, row.guardian_id)
        for row in session.execute(
            select(PrikkelFeedback.message_id, PrikkelFeedback.guardian_id).where(
                PrikkelFeedback.message_id.in_(ids), PrikkelFeedback.kind == "talked"
            )
        )
    }
    return [
        SentPrikkel(
            row.message_id,
            row.guardian_id,
            row.sent_at,
            (row.message_id, row.guardian_id) in talked,
        )
        for row in sent
    ]


@dataclass(frozen=True)
class PlannedPrikkel:
    """A delivery of one of the school's prikkels in a stretch of time: waiting (when it is
    due) or sent (when it went out)."""

    message_id: int
    text_nl: str
    pictogram: str
    groups: tuple[str, ...]
    guardian_id: int
    moment: dt.datetime
    sent: bool


def prikkels_between(
    session: Session, *, school_id: int, start: dt.datetime, end: dt.datetime
) -> list[PlannedPrikkel]:
    """The school's prikkel deliveries waiting to go, or sent, from `start` until `end`."""
    moment = func.coalesce(Delivery.sent_at, Delivery.next_attempt_at)
    rows = session.execute(
        select(
            Delivery.message_id,
            Delivery.guardian_id,
            Delivery.status,
            Delivery.sent_at,
            Delivery.next_attempt_at,
            Message.text_nl,
            Message.pictogram,
            Message.audience,
        )
        .join(Message, Message.id == Delivery.message_id)
        .where(
            Message.school_id == school_id,
            _PRIKKEL,
            Delivery.status.in_([DeliveryStatus.PENDING.value, DeliveryStatus.SENT.value]),
            moment >= start,
            moment < end,
        )
    ).all()
    found = []
    for row in rows:
        sent = row.status == DeliveryStatus.SENT.value
        when = row.sent_at if sent else row.next_attempt_at
        if when is None:
            continue
        found.append(
            PlannedPrikkel(
                row.message_id,
                row.text_nl,
                row.pictogram,
                tuple(_groups(row.audience)),
                row.guardian_id,
                when,
                sent,
            )
        )
    return found
