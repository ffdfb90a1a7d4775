"""Queries about the school's calendar: its events, and who each class reaches."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Collection

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from oudersbot.domain.calendar import WHOLE_SCHOOL, CalendarEvent
from oudersbot.store.models import (
    CalendarEventRow,
    Child,
    EventStatus,
    Group,
    GuardianChild,
    PlannedSend,
    PlannedStatus,
)


def fingerprint(event: CalendarEvent) -> str:
    """Changes exactly when something parents would be told about the event changes."""
    content = {
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else None,
        "all_day": event.all_day,
        "groups": sorted(event.groups),
        "template": event.template_id,
        "slots": dict(sorted(event.slots.items())),
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def event_of(row: CalendarEventRow, zone: dt.tzinfo) -> CalendarEvent:
    """A stored event as the domain sees it, in the school's zone (rules count local days)."""
    return CalendarEvent(
        key=row.key,
        title=row.title,
        start=row.starts_at.astimezone(zone),
        all_day=row.all_day,
        groups=tuple(row.groups),
        template_id=row.template_id,
        slots=dict(row.slots),
        end=row.ends_at.astimezone(zone) if row.ends_at else None,
        where=row.source,
    )


def active_events(session: Session, *, school_id: int) -> list[CalendarEventRow]:
    """The school's events that still stand, by start."""
    return list(
        session.scalars(
            select(CalendarEventRow)
            .where(
                CalendarEventRow.school_id == school_id,
                CalendarEventRow.status == EventStatus.ACTIVE.value,
            )
            .order_by(CalendarEventRow.starts_at, CalendarEventRow.id)
        )
    )


def group_names(session: Session, *, school_id: int) -> list[str]:
    """The school's class names."""
    return sorted(session.scalars(select(Group.name).where(Group.school_id == school_id)))


def guardians_by_group(session: Session, *, school_id: int) -> dict[str, set[int]]:
    """Per class name, the guardians of its children; WHOLE_SCHOOL holds every one of them."""
    by_group: dict[str, set[int]] = {WHOLE_SCHOOL: set()}
    rows = session.execute(
        select(Group.name, GuardianChild.guardian_id)
        .join(Child, Child.group_id == Group.id)
        .join(GuardianChild, GuardianChild.child_id == Child.id)
        .where(Group.school_id == school_id)
    )
    for name, guardian_id in rows:
        by_group.setdefault(name, set()).add(guardian_id)
        by_group[WHOLE_SCHOOL].add(guardian_id)
    return by_group


def audience_of(groups: Collection[str], by_group: dict[str, set[int]]) -> set[int]:
    """The guardians an event for these classes (or the whole school) reaches."""
    if WHOLE_SCHOOL in groups:
        return set(by_group.get(WHOLE_SCHOOL, set()))
    found: set[int] = set()
    for name in groups:
        found |= by_group.get(name, set())
    return found


def next_planned_due(session: Session) -> dt.datetime | None:
    """When the next planned calendar send (reminder or month overview) is due."""
    return session.scalar(
        select(func.min(PlannedSend.due_at)).where(
            PlannedSend.status == PlannedStatus.PLANNED.value
        )
    )
