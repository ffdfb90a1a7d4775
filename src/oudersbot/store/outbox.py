"""The outbox queries: claim due deliveries, record what happened to them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from oudersbot.domain.rendering import with_school_line
from oudersbot.store.models import (
    DEFAULT_BOT,
    Delivery,
    DeliveryStatus,
    Guardian,
    Message,
    Rendition,
    School,
    VoiceRendition,
)


@dataclass(frozen=True)
class Claimed:
    """A delivery this worker now holds until its lease ends."""

    delivery_id: int
    guardian_id: int
    chat_id: int
    attempts: int
    parts: list[str]
    buttons: list[list[list[str]]] | None = None  # rows of [label, callback data]
    photo: str | None = None  # a Telegram file_id: the first part goes as its caption
    parts_sent: int = 0  # parts Telegram already confirmed: only the rest goes out
    voice: int | None = None  # a voice message: the voice_rendition it sends (no text parts)
    voice_file: str | None = None  # that voice file's Telegram file_id on this bot, once known


def shared_chats(session: Session, *, chat_ids: Sequence[int]) -> set[int]:
    """The chats among these that belong to guardians of more than one school (one query per
    batch: guardian.chat_id has no index of its own)."""
    if not chat_ids:
        return set()
    return set(
        session.scalars(
            select(Guardian.chat_id)
            .where(Guardian.chat_id.in_(set(chat_ids)), Guardian.left_at.is_(None))
            .group_by(Guardian.chat_id)
            .having(func.count(func.distinct(Guardian.school_id)) > 1)
        )
    )


def claim_due(
    session: Session, *, now: datetime, limit: int, lease: timedelta, bot: str = DEFAULT_BOT
) -> list[Claimed]:
    """Take up to `limit` due deliveries of one bot, so two workers never take the same row.

    PostgreSQL skips rows another worker has locked (FOR UPDATE SKIP LOCKED); on SQLite the
    UPDATE re-checks that each row is still due under its one writer lock, so a row another
    process claimed in between is left to it.
    """
    # A worker that died mid-request left rows it may have sent: those are settled, not resent.
    release_claims(session, now=now, bot=bot)
    due = and_(
        Delivery.bot == bot,
        or_(
            and_(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now),
            and_(
                Delivery.status == DeliveryStatus.SENDING,
                Delivery.claimed_until < now,
                Delivery.send_started_at.is_(None),
            ),
        ),
    )
    # First lock up to `limit` due rows (PostgreSQL skips rows another worker holds), then
    # claim exactly those that are still due. One statement with the SELECT as an IN-subquery
    # can let PostgreSQL re-run the subquery and claim far more than `limit` rows.
    ids: list[int] = []
    while not ids:
        picked = list(
            session.scalars(
                select(Delivery.id)
                .where(due)
                .order_by(Delivery.next_attempt_at, Delivery.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not picked:
            return []
        # On SQLite another process may have claimed the picked rows since the SELECT; they
        # are no longer due, so the next round picks the rows after them.
        ids = list(
            session.scalars(
                update(Delivery)
                .where(Delivery.id.in_(picked), due)
                .values(status=DeliveryStatus.SENDING, claimed_until=now + lease)
                .returning(Delivery.id)
                .execution_options(synchronize_session=False)
            )
        )
    if not ids:
        return []
    rows = session.execute(
        select(
            Delivery.id,
            Delivery.guardian_id,
            Guardian.chat_id,
            Delivery.attempts,
            Rendition.parts,
            Delivery.buttons,
            Message.photo,
            Delivery.parts_sent,
            School.name.label("school_name"),
            VoiceRendition.id.label("voice_id"),
            VoiceRendition.file_ids,
        )
        .join(Guardian, Guardian.id == Delivery.guardian_id)
        .join(Rendition, Rendition.id == Delivery.rendition_id)
        .join(Message, Message.id == Delivery.message_id)
        .join(School, School.id == Delivery.school_id)
        .outerjoin(
            VoiceRendition,
            and_(
                VoiceRendition.message_id == Message.voice_of,
                VoiceRendition.language == Rendition.language,
            ),
        )
        .where(Delivery.id.in_(ids))
        .order_by(Delivery.id)
    ).all()
    # A chat that also belongs to a guardian of another school reads the school's name first.
    shared = shared_chats(session, chat_ids=[row.chat_id for row in rows if row.chat_id])
    claimed, orphans = [], []
    for row in rows:
        if row.chat_id is None:
            orphans.append(row.id)
        else:
            claimed.append(
                Claimed(
                    delivery_id=row.id,
                    guardian_id=row.guardian_id,
                    chat_id=row.chat_id,
                    attempts=row.attempts,
                    parts=with_school_line(
                        list(row.parts), row.school_name, caption=row.photo is not None
                    )
                    if row.chat_id in shared
                    else list(row.parts),
                    buttons=row.buttons,
                    photo=row.photo,
                    parts_sent=row.parts_sent,
                    voice=row.voice_id,
                    voice_file=(row.file_ids or {}).get(bot),
                )
            )
    if orphans:  # the guardian left the bot between queueing and sending
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(orphans))
            .values(status=DeliveryStatus.NOT_JOINED, claimed_until=None)
            .execution_options(synchronize_session=False)
        )
    return claimed


@dataclass(frozen=True)
class Released:
    """Deliveries a dead worker held: given back to the queue, or settled as unconfirmed."""

    freed: int
    unconfirmed: int


def release_claims(
    session: Session, *, now: datetime, bot: str = DEFAULT_BOT, all_held: bool = False
) -> Released:
    """Take back what dead workers held: rows whose lease ran out, or (`all_held`, for the one
    worker a SQLite database allows, at its start) every row still marked as being sent.

    A row whose request to Telegram had started may have reached the parent, so it becomes
    UNCONFIRMED and is never sent again; a row that was only claimed goes back to the queue.
    """
    held = and_(Delivery.bot == bot, Delivery.status == DeliveryStatus.SENDING)
    if not all_held:
        held = and_(held, Delivery.claimed_until < now)
    unconfirmed: int = session.execute(
        update(Delivery)
        .where(held, Delivery.send_started_at.is_not(None))
        .values(
            status=DeliveryStatus.UNCONFIRMED,
            claimed_until=None,
            error="the sending worker stopped while Telegram was being asked",
        )
        .execution_options(synchronize_session=False)
    ).rowcount  # type: ignore[attr-defined]
    freed: int = 0
    if all_held:
        freed = session.execute(
            update(Delivery)
            .where(held, Delivery.send_started_at.is_(None))
            .values(status=DeliveryStatus.PENDING, claimed_until=None)
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    return Released(freed, unconfirmed)


def mark_started(session: Session, starts: Mapping[int, int], now: datetime) -> set[int]:
    """Note that the request for part `starts[id]` of these deliveries is about to go out (the
    parts before it are confirmed); the ids this worker still holds (a row another worker took
    over in the meantime is not this worker's to send)."""
    held: set[int] = set()
    by_part: dict[int, list[int]] = {}
    for delivery_id, part in starts.items():
        by_part.setdefault(part, []).append(delivery_id)
    for part, ids in by_part.items():
        held.update(
            session.scalars(
                update(Delivery)
                .where(
                    Delivery.id.in_(ids),
                    Delivery.status == DeliveryStatus.SENDING,
                    or_(Delivery.send_started_at.is_(None), Delivery.parts_sent < part),
                )
                .values(send_started_at=now, parts_sent=part)
                .returning(Delivery.id)
                .execution_options(synchronize_session=False)
            )
        )
    return held


def record_results(
    session: Session, rows: Sequence[dict[str, Any]], unreachable: dict[int, str]
) -> None:
    """Write a batch of outcomes by primary key; mark guardians who cannot be reached."""
    if rows:
        session.execute(update(Delivery), list(rows))
    for guardian_id, reachability in unreachable.items():
        session.execute(
            update(Guardian).where(Guardian.id == guardian_id).values(reachability=reachability)
        )


def renew_lease(session: Session, ids: Sequence[int], until: datetime) -> None:
    """Keep holding deliveries this worker is still sending (or waiting to send)."""
    session.execute(
        update(Delivery)
        .where(Delivery.id.in_(list(ids)), Delivery.status == DeliveryStatus.SENDING)
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )


def status_counts(session: Session, *, message_id: int | None = None) -> dict[str, int]:
    """How many deliveries stand in each status (for one message, or all)."""
    query = select(Delivery.status, func.count()).group_by(Delivery.status)
    if message_id is not None:
        query = query.where(Delivery.message_id == message_id)
    return {status: count for status, count in session.execute(query).all()}


def next_delivery_due(session: Session, *, after: datetime) -> datetime | None:
    """When the next waiting delivery (planned for later, or to be tried again) is due."""
    return session.scalar(
        select(func.min(Delivery.next_attempt_at)).where(
            Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at > after
        )
    )


@dataclass(frozen=True)
class QueueStats:
    """The outbox at a glance, for `oudersbot status`."""

    due: int  # waiting and due now: the queue depth
    later: int  # planned for later, or to be tried again later
    oldest_due_at: datetime | None  # the longest-waiting due row
    sending: int
    failed: int
    unreachable: int
    unconfirmed: int


def queue_stats(session: Session, *, now: datetime, bot: str | None = None) -> QueueStats:
    """Counts of the outbox by what they mean for staff (one bot, or every bot)."""
    where = [] if bot is None else [Delivery.bot == bot]
    counts = {
        status: count
        for status, count in session.execute(
            select(Delivery.status, func.count()).where(*where).group_by(Delivery.status)
        ).all()
    }
    pending = Delivery.status == DeliveryStatus.PENDING
    due = session.execute(
        select(func.count(), func.min(Delivery.next_attempt_at)).where(
            *where, pending, Delivery.next_attempt_at <= now
        )
    ).one()
    return QueueStats(
        due=due[0],
        later=counts.get(DeliveryStatus.PENDING, 0) - due[0],
        oldest_due_at=due[1],
        sending=counts.get(DeliveryStatus.SENDING, 0),
        failed=counts.get(DeliveryStatus.FAILED, 0),
        unreachable=counts.get(DeliveryStatus.UNREACHABLE, 0),
        unconfirmed=counts.get(DeliveryStatus.UNCONFIRMED, 0),
    )
