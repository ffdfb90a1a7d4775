"""What the calendar has planned, for staff: per day, audience and languages; cancel or move."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update

from oudersbot.domain.calendar import CalendarEvent
from oudersbot.services.calendar_import import schedule_of
from oudersbot.services.messages import DraftError
from oudersbot.store.models import (
    CalendarEventRow,
    Guardian,
    PlannedSend,
    PlannedStatus,
)
from oudersbot.store.schools import get_school

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps


class PlanChangeError(DraftError):
    """A planned send that cannot be cancelled or moved as asked."""


@dataclass(frozen=True)
class Upcoming:
    """One planned send (one rule of one event, or a month overview) and who it reaches."""

    key: str
    rule: str
    due: dt.datetime
    title: str
    groups: tuple[str, ...]
    guardians: int
    joined: int
    languages: dict[str, int]
    changed_by: str | None


def upcoming(deps: Deps, *, school: str, days: int) -> list[Upcoming]:
    """Planned sends due in the next `days` days, soonest first."""
    now = deps.clock.now()
    until = now + dt.timedelta(days=days)
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        rows = session.execute(
            select(
                PlannedSend.key,
                PlannedSend.rule,
                PlannedSend.due_at,
                PlannedSend.event_id,
                PlannedSend.changed_by,
                Guardian.language,
                Guardian.chat_id,
                Guardian.reachability,
            )
            .join(Guardian, Guardian.id == PlannedSend.guardian_id)
            .where(
                PlannedSend.school_id == school_row.id,
                PlannedSend.status == PlannedStatus.PLANNED.value,
                PlannedSend.due_at <= until,
            )
        ).all()
        event_ids = {row.event_id for row in rows if row.event_id is not None}
        events = {
            e.id: e
            for e in session.scalars(
                select(CalendarEventRow).where(CalendarEventRow.id.in_(event_ids))
            )
        }
    grouped: dict[tuple[str, dt.datetime], list[Any]] = {}
    for row in rows:
        grouped.setdefault((row.key, row.due_at), []).append(row)
    found = []
    for (key, due), members in grouped.items():
        first = members[0]
        event = events.get(first.event_id) if first.event_id else None
        found.append(
            Upcoming(
                key=key,
                rule=first.rule,
                due=due,
                title=event.title if event else key.removeprefix("m:"),
                groups=tuple(event.groups) if event else (),
                guardians=len(members),
                joined=sum(
                    1 for m in members if m.chat_id is not None and m.reachability == "joined"
                ),
                languages=dict(Counter(m.language for m in members)),
                changed_by=first.changed_by,
            )
        )
    return sorted(found, key=lambda item: (item.due, item.key))


def cancel_planned(deps: Deps, *, school: str, key: str, by: str) -> int:
    """Cancel a planned send for everyone it would reach; how many guardians that is."""
    with deps.db.session() as session:
        school_id = get_school(session, slug=school).id
        changes: dict[str, object] = {"status": PlannedStatus.CANCELLED.value}
        return _change(session, school_id, key, changes, by, deps.clock.now())


def _change(
    session: Session, school_id: int, key: str, values: dict[str, object], by: str, now: dt.datetime
) -> int:
    """Change every still-planned row of a key, as done by hand; how many there were."""
    result = session.execute(
        update(PlannedSend)
        .where(
            PlannedSend.school_id == school_id,
            PlannedSend.key == key,
            PlannedSend.status == PlannedStatus.PLANNED.value,
        )
        .values(**values, changed_by=by, updated_at=now)
        .returning(PlannedSend.id)
    )
    count = len(result.all())
    if not count:
        raise PlanChangeError("not_planned", f"nothing planned under {key!r}", key=key)
    return count


def move_planned(deps: Deps, *, school: str, key: str, to: dt.datetime, by: str) -> int:
    """Move a planned send to another moment: in the future, out of quiet hours, before its
    event. Staff may choose a weekend or a holiday on purpose."""
    now = deps.clock.now()
    if to <= now:
        raise PlanChangeError("past", "a reminder cannot be moved into the past")
    schedule = schedule_of(deps, school)
    if schedule.quiet.contains(to.astimezone(deps.settings.timezone)):
        raise PlanChangeError("quiet_hours", "not in quiet hours")
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        event_id = session.scalar(
            select(PlannedSend.event_id).where(
                PlannedSend.school_id == school_row.id, PlannedSend.key == key
            )
        )
        event = session.get(CalendarEventRow, event_id) if event_id else None
        if event is not None and to >= _limit(event):
            raise PlanChangeError("after_event", "a reminder must go out before its event")
        return _change(session, school_row.id, key, {"due_at": to}, by, now)


def _limit(row: CalendarEventRow) -> dt.datetime:
    event = CalendarEvent(row.key, row.title, row.starts_at, row.all_day)
    if not event.all_day:
        return event.start
    return dt.datetime.combine(event.day, dt.time(0, 0), tzinfo=event.start.tzinfo)
