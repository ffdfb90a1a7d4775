"""The queries behind /metrics and /healthz: the outbox and the reminders per school, now."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from oudersbot.store.models import Delivery, DeliveryStatus, PlannedSend, PlannedStatus, School


@dataclass
class SchoolNumbers:
    """One school's outbox and reminders at the moment of a scrape."""

    deliveries: dict[str, int] = field(default_factory=dict)  # by status
    due: int = 0  # the queue depth: waiting and due now
    oldest_due_at: datetime | None = None
    oldest_late_reminder_at: datetime | None = None  # a planned reminder due but not queued


def database_answers(session: Session) -> bool:
    """True when the database answers a trivial query."""
    return session.execute(text("SELECT 1")).scalar() == 1


def numbers_per_school(session: Session, *, now: datetime) -> dict[str, SchoolNumbers]:
    """Every school's numbers, by slug (schools without deliveries too)."""
    slugs = dict(session.execute(select(School.id, School.slug)).all())
    numbers = {slug: SchoolNumbers() for slug in slugs.values()}
    by_status = select(Delivery.school_id, Delivery.status, func.count()).group_by(
        Delivery.school_id, Delivery.status
    )
    for school_id, status, count in session.execute(by_status):
        numbers[slugs[school_id]].deliveries[str(status)] = count
    due = (
        select(Delivery.school_id, func.count(), func.min(Delivery.next_attempt_at))
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .group_by(Delivery.school_id)
    )
    for school_id, count, oldest in session.execute(due):
        numbers[slugs[school_id]].due = count
        numbers[slugs[school_id]].oldest_due_at = oldest
    late = (
        select(PlannedSend.school_id, func.min(PlannedSend.due_at))
        .where(PlannedSend.status == PlannedStatus.PLANNED, PlannedSend.due_at <= now)
        .group_by(PlannedSend.school_id)
    )
    for school_id, oldest in session.execute(late):
        numbers[slugs[school_id]].oldest_late_reminder_at = oldest
    return numbers
