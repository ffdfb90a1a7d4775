"""The queries of deliveries that may not have arrived, and of sending one again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import Delivery, DeliveryStatus, Message, Rendition


@dataclass(frozen=True)
class Unconfirmed:
    """A delivery that may not have arrived, with what it takes to send it again."""

    delivery_id: int
    message_id: int
    guardian_id: int
    language: str
    origin: str
    parts: list[str]
    buttons: list[Any] | None
    parts_sent: int
    kind: str
    text_nl: str
    pictogram: str
    category: str
    message_kind: str
    photo: str | None
    deadline: datetime | None
    voice_of: int | None = None  # a voice message: the message it reads aloud


def unconfirmed_delivery(
    session: Session, *, school_id: int, delivery_id: int
) -> Unconfirmed | None:
    """One unconfirmed delivery of this school, or None (another school's, or not unconfirmed)."""
    row = session.execute(
        select(
            Delivery.id,
            Delivery.message_id,
            Delivery.guardian_id,
            Rendition.language,
            Rendition.origin,
            Rendition.parts,
            Delivery.buttons,
            Delivery.parts_sent,
            Delivery.kind,
            Message.text_nl,
            Message.pictogram,
            Message.category,
            Message.kind.label("message_kind"),
            Message.photo,
            Message.deadline,
            Message.voice_of,
        )
        .join(Rendition, Rendition.id == Delivery.rendition_id)
        .join(Message, Message.id == Delivery.message_id)
        .where(
            Delivery.id == delivery_id,
            Delivery.school_id == school_id,
            Delivery.status == DeliveryStatus.UNCONFIRMED,
        )
    ).one_or_none()
    if row is None:
        return None
    return Unconfirmed(
        delivery_id=row.id,
        message_id=row.message_id,
        guardian_id=row.guardian_id,
        language=row.language,
        origin=row.origin,
        parts=list(row.parts),
        buttons=row.buttons,
        parts_sent=row.parts_sent,
        kind=row.kind,
        text_nl=row.text_nl,
        pictogram=row.pictogram,
        category=row.category,
        message_kind=row.message_kind,
        photo=row.photo,
        deadline=row.deadline,
        voice_of=row.voice_of,
    )


def mark_resent(session: Session, *, delivery_id: int, by: str) -> bool:
    """An unconfirmed delivery was sent again by a person's decision; False if it was not
    unconfirmed any more (someone else decided first)."""
    changed = session.execute(
        update(Delivery)
        .where(Delivery.id == delivery_id, Delivery.status == DeliveryStatus.UNCONFIRMED)
        .values(status=DeliveryStatus.RESENT, error=f"sent again by {by}")
        .execution_options(synchronize_session=False)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]
