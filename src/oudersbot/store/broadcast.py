"""One broadcast's deliveries counted by what they mean for staff (`oudersbot status --message`)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oudersbot.store.models import Delivery, DeliveryStatus, Message


@dataclass(frozen=True)
class BroadcastProgress:
    """Where the copies of one message stand."""

    message_id: int
    text_nl: str
    total: int
    delivered: int  # Telegram confirmed every part
    waiting: int  # planned, due or being sent
    unreachable: int  # blocked the bot, stopped, or gone
    not_joined: int  # never joined the bot: follow up on paper or by phone
    unconfirmed: int  # may not have arrived: a person decides
    failed: int  # Telegram refused it, or it was cancelled
    resent: int  # unconfirmed, then sent again as a new copy by a person


def broadcast_progress(
    session: Session, *, school_id: int, message_id: int
) -> BroadcastProgress | None:
    """The counts of one message of this school, or None when it has no such message."""
    message = session.get(Message, message_id)
    if message is None or message.school_id != school_id:
        return None
    counts = {
        status: count
        for status, count in session.execute(
            select(Delivery.status, func.count())
            .where(Delivery.message_id == message_id)
            .group_by(Delivery.status)
        ).all()
    }

    def of(*statuses: DeliveryStatus) -> int:
        return sum(counts.get(status.value, 0) for status in statuses)

    return BroadcastProgress(
        message_id=message_id,
        text_nl=message.text_nl,
        total=sum(counts.values()),
        delivered=of(DeliveryStatus.SENT),
        waiting=of(DeliveryStatus.PENDING, DeliveryStatus.SENDING),
        unreachable=of(DeliveryStatus.UNREACHABLE),
        not_joined=of(DeliveryStatus.NOT_JOINED),
        unconfirmed=of(DeliveryStatus.UNCONFIRMED),
        failed=of(DeliveryStatus.FAILED, DeliveryStatus.CANCELLED),
        resent=of(DeliveryStatus.RESENT),
    )
