"""What the calendar has planned, for staff: per day, audience and languages; cancel or move."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.calendar import CalendarEvent
from oudersbot.services.calendar_import import schedule_of
from oudersbot.services.messages import DraftError
from oudersbot.store.calendar import events_by_id
from oudersbot.store.models import CalendarEventRow
from oudersbot.store.planned import (
    PlannedFor,
    cancel_by_hand,
    event_of_key,
    is_planned,
    move_by_hand,
    planned_until,
)
from oudersbot.store.schools import get_school

if TYPE_CHECKING:
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
    event_starts: dt.datetime | None = None  # None for a month overview
    all_day: bool = False


def upcoming(deps: Deps, *, school: str, days: int) -> list[Upcoming]:
    """Planned sends due in the next `days` days, soonest first."""
    now = deps.clock.now()
    until = now + dt.timedelta(days=days)
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        rows = planned_until(session, school_id=school_row.id, until=until)
        event_ids = {row.event_id for row in rows if row.event_id is not None}
        events = events_by_id(session, event_ids=event_ids)
    grouped: dict[tuple[str, dt.datetime], list[PlannedFor]] = {}
    for row in rows:
        grouped.setdefault((row.key, row.due), []).append(row)
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
                event_starts=event.starts_at if event else None,
                all_day=event.all_day if event else False,
            )
        )
    return sorted(found, key=lambda item: (item.due, item.key))


def cancel_planned(deps: Deps, *, school: str, key: str, by: str) -> int:
    """Cancel a planned send for everyone it would reach; how many guardians that is."""
    with deps.db.session() as session:
        school_id = get_school(session, slug=school).id
        count = cancel_by_hand(session, school_id=school_id, key=key, by=by, now=deps.clock.now())
        return _changed(count, key)


def _changed(count: int, key: str) -> int:
    """The number of rows a change by hand touched; none is an error staff should see."""
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
        event = event_of_key(session, school_id=school_row.id, key=key)
        if event is not None and to >= _limit(event):
            raise PlanChangeError("after_event", "a reminder must go out before its event")
        count = move_by_hand(session, school_id=school_row.id, key=key, to=to, by=by, now=now)
        return _changed(count, key)


def _limit(row: CalendarEventRow) -> dt.datetime:
    event = CalendarEvent(row.key, row.title, row.starts_at, row.all_day)
    if not event.all_day:
        return event.start
    return dt.datetime.combine(event.day, dt.time(0, 0), tzinfo=event.start.tzinfo)


def has_planned(deps: Deps, *, school: str, key: str) -> bool:
    """Whether the school still has a send planned under this key (another school's key: no)."""
    with deps.db.session() as session:
        return is_planned(session, school_id=get_school(session, slug=school).id, key=key)
