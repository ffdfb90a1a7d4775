"""Queries about the school's calendar: its events, and who each class reaches
(the sends planned for them are in store/planned.py)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from oudersbot.domain.calendar import WHOLE_SCHOOL, CalendarEvent
from oudersbot.store.models import (
    CalendarEventRow,
    Child,
    EventStatus,
    Group,
    GuardianChild,
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


def event_by_id(session: Session, *, event_id: int) -> CalendarEventRow | None:
    """One event, whatever its status."""
    return session.get(CalendarEventRow, event_id)


def events_by_id(session: Session, *, event_ids: Collection[int]) -> dict[int, CalendarEventRow]:
    """These events, by id, whatever their status."""
    return {
        row.id: row
        for row in session.scalars(
            select(CalendarEventRow).where(CalendarEventRow.id.in_(event_ids))
        )
    }


def events_by_key(session: Session, *, school_id: int) -> dict[str, CalendarEventRow]:
    """Every event the school ever imported, standing or removed, by key."""
    return {
        row.key: row
        for row in session.scalars(
            select(CalendarEventRow).where(CalendarEventRow.school_id == school_id)
        )
    }


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


def month_events(
    session: Session, *, school_id: int, year: int, month: int, zone: dt.tzinfo
) -> list[CalendarEventRow]:
    """The school's standing events that start in a month (local time), by start."""
    first = dt.datetime(year, month, 1, tzinfo=zone)
    after = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return list(
        session.scalars(
            select(CalendarEventRow)
            .where(
                CalendarEventRow.school_id == school_id,
                CalendarEventRow.status == EventStatus.ACTIVE.value,
                CalendarEventRow.starts_at >= first,
                CalendarEventRow.starts_at < after,
            )
            .order_by(CalendarEventRow.starts_at, CalendarEventRow.id)
        )
    )


def event_group_ids(session: Session, *, school_id: int, groups: Collection[str]) -> list[int]:
    """The ids of the classes an event is for: these, or every class for WHOLE_SCHOOL."""
    query = select(Group.id).where(Group.school_id == school_id)
    if WHOLE_SCHOOL not in groups:
        query = query.where(Group.name.in_(groups))
    return list(session.scalars(query))


def classes_by_guardian(session: Session, *, guardian_ids: Collection[int]) -> dict[int, set[str]]:
    """Per guardian, the names of their children's classes."""
    found: dict[int, set[str]] = defaultdict(set)
    for row in session.execute(
        select(GuardianChild.guardian_id, Group.name)
        .join(Child, Child.id == GuardianChild.child_id)
        .join(Group, Group.id == Child.group_id)
        .where(GuardianChild.guardian_id.in_(guardian_ids))
    ):
        found[row.guardian_id].add(row.name)
    return found


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
