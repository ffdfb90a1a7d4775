"""The queries of sender leases: who sends for which bot, and whether it still beats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from oudersbot.store.models import SenderLease


@dataclass(frozen=True)
class Lease:
    """One bot's sender as the database knows it."""

    bot: str
    holder: str
    host: str
    pid: int
    role: str
    started_at: datetime
    beat_at: datetime


def _lease(row: SenderLease) -> Lease:
    return Lease(
        bot=row.bot,
        holder=row.holder,
        host=row.host,
        pid=row.pid,
        role=row.role,
        started_at=row.started_at,
        beat_at=row.beat_at,
    )


def claim_free_lease(session: Session, *, lease: Lease) -> bool:
    """Take a bot's lease if nobody ever held it; True when it is now this holder's."""
    values = {
        "bot": lease.bot,
        "holder": lease.holder,
        "host": lease.host,
        "pid": lease.pid,
        "role": lease.role,
        "started_at": lease.started_at,
        "beat_at": lease.beat_at,
    }
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(SenderLease).values(**values).on_conflict_do_nothing()
    session.execute(statement)
    return current_lease(session, bot=lease.bot) == lease


def current_lease(session: Session, *, bot: str) -> Lease | None:
    """Who holds a bot's lease, if anyone."""
    row = session.get(SenderLease, bot, populate_existing=True)
    return _lease(row) if row is not None else None


def take_over_lease(session: Session, *, old: Lease, new: Lease) -> bool:
    """Replace a holder that stopped beating; False if someone else changed it meanwhile."""
    changed = session.execute(
        update(SenderLease)
        .where(
            SenderLease.bot == old.bot,
            SenderLease.holder == old.holder,
            SenderLease.beat_at == old.beat_at,
        )
        .values(
            holder=new.holder,
            host=new.host,
            pid=new.pid,
            role=new.role,
            started_at=new.started_at,
            beat_at=new.beat_at,
        )
        .execution_options(synchronize_session=False)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def beat(session: Session, *, bot: str, holder: str, now: datetime) -> bool:
    """Renew a lease this holder has; False when it lost it (another process took over)."""
    changed = session.execute(
        update(SenderLease)
        .where(SenderLease.bot == bot, SenderLease.holder == holder)
        .values(beat_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(changed.rowcount)  # type: ignore[attr-defined]


def release_lease(session: Session, *, bot: str, holder: str) -> None:
    """Give a lease up on a clean stop, so a successor starts at once."""
    session.execute(delete(SenderLease).where(SenderLease.bot == bot, SenderLease.holder == holder))


def all_leases(session: Session) -> list[Lease]:
    """Every bot's sender, by bot."""
    return [_lease(row) for row in session.scalars(select(SenderLease).order_by(SenderLease.bot))]
