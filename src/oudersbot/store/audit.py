"""The audit log's queries: record a staff action on personal data, list them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oudersbot.store.models import AuditEntry


def record(
    session: Session,
    school_id: int,
    at: datetime,
    actor: str,
    action: str,
    subject: str | None = None,
    detail: str | None = None,
) -> AuditEntry:
    """Write one entry: who (a staff name, "cli:<user>", "scheduler"), what, about whom (an id,
    never a name), and counts or options in `detail` (never personal data)."""
    entry = AuditEntry(
        school_id=school_id, at=at, actor=actor, action=action, subject=subject, detail=detail
    )
    session.add(entry)
    session.flush()
    return entry


def entries(
    session: Session, *, school_id: int, since: datetime | None = None, subject: str | None = None
) -> list[AuditEntry]:
    """The school's entries, oldest first; only from `since`, only about `subject` if given."""
    query = select(AuditEntry).where(AuditEntry.school_id == school_id)
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if subject is not None:
        query = query.where(AuditEntry.subject == subject)
    return list(session.scalars(query.order_by(AuditEntry.at, AuditEntry.id)))


def last_at(session: Session, *, school_id: int, action: str) -> datetime | None:
    """When the school's last entry of this action was written."""
    return session.scalar(
        select(func.max(AuditEntry.at)).where(
            AuditEntry.school_id == school_id, AuditEntry.action == action
        )
    )
