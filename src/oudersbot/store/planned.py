"""The queries of planned calendar sends: one row per guardian and key (one rule of one event,
or a month overview), planned before its time, then claimed, linked to the message it became,
skipped or cancelled. Rows are found by (school, key): one key is one send to many guardians."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, insert, select, update
from sqlalchemy.orm import Session

from oudersbot.store.models import CalendarEventRow, Guardian, PlannedSend, PlannedStatus

_IN_LIST = 500  # ids per IN (...): bound parameters are limited (SQLite: 999 before 3.32)
_INSERTS = 5000  # rows per INSERT batch


def _of_key(school_id: int, key: str) -> list[ColumnElement[bool]]:
    return [PlannedSend.school_id == school_id, PlannedSend.key == key]


def next_planned_due(session: Session) -> dt.datetime | None:
    """When the next planned calendar send (reminder or month overview) is due."""
    return session.scalar(
        select(func.min(PlannedSend.due_at)).where(
            PlannedSend.status == PlannedStatus.PLANNED.value
        )
    )


@dataclass(frozen=True)
class PlannedKey:
    """One send of the calendar that has planned rows due: a rule of an event, or an overview."""

    school_id: int
    key: str
    event_id: int | None  # None for a month overview
    rule: str


def due_keys(session: Session, *, now: dt.datetime) -> list[PlannedKey]:
    """Every key with a planned row due by `now`, once each."""
    rows = session.execute(
        select(PlannedSend.school_id, PlannedSend.key, PlannedSend.event_id, PlannedSend.rule)
        .where(PlannedSend.status == PlannedStatus.PLANNED.value, PlannedSend.due_at <= now)
        .distinct()
    )
    return [PlannedKey(row.school_id, row.key, row.event_id, row.rule) for row in rows]


def claim_planned(
    session: Session,
    *,
    school_id: int,
    key: str,
    now: dt.datetime,
    only_urgent: bool,
    limit: int,
) -> list[int]:
    """Take up to `limit` due rows of one key for this worker (queued from now on); the
    guardian ids taken. Rows another worker holds are skipped (FOR UPDATE SKIP LOCKED), and
    the UPDATE re-checks the status, so two workers never take the same row."""
    conditions = [
        *_of_key(school_id, key),
        PlannedSend.status == PlannedStatus.PLANNED.value,
        PlannedSend.due_at <= now,
    ]
    if only_urgent:
        conditions.append(PlannedSend.urgent.is_(True))
    ids = session.scalars(
        select(PlannedSend.id).where(*conditions).limit(limit).with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    return list(
        session.scalars(
            update(PlannedSend)
            .where(PlannedSend.id.in_(ids), PlannedSend.status == PlannedStatus.PLANNED.value)
            .values(status=PlannedStatus.QUEUED.value, updated_at=now)
            .returning(PlannedSend.guardian_id)
            .execution_options(synchronize_session=False)
        )
    )


def close_planned(
    session: Session, *, school_id: int, key: str, status: PlannedStatus, now: dt.datetime
) -> None:
    """Give every still-planned row of a key this status (its event went or passed)."""
    session.execute(
        update(PlannedSend)
        .where(*_of_key(school_id, key), PlannedSend.status == PlannedStatus.PLANNED.value)
        .values(status=status.value, updated_at=now)
    )


def skip_planned(
    session: Session, *, school_id: int, key: str, guardian_ids: Collection[int], now: dt.datetime
) -> None:
    """Mark the rows of a key for these guardians skipped."""
    if guardian_ids:
        session.execute(
            update(PlannedSend)
            .where(*_of_key(school_id, key), PlannedSend.guardian_id.in_(guardian_ids))
            .values(status=PlannedStatus.SKIPPED.value, updated_at=now)
        )


def link_planned(
    session: Session, *, school_id: int, key: str, guardian_ids: Collection[int], message_id: int
) -> None:
    """Let the rows of a key for these guardians name the message they became."""
    session.execute(
        update(PlannedSend)
        .where(*_of_key(school_id, key), PlannedSend.guardian_id.in_(guardian_ids))
        .values(message_id=message_id)
    )


@dataclass(frozen=True)
class PlannedRow:
    """A planned send as the planner compares it with what it wants."""

    id: int
    key: str
    guardian_id: int
    due: dt.datetime
    status: str
    changed_by: str | None


def planned_rows(session: Session, *, school_id: int) -> list[PlannedRow]:
    """Every planned-send row of the school, whatever its status."""
    rows = session.execute(
        select(
            PlannedSend.id,
            PlannedSend.key,
            PlannedSend.guardian_id,
            PlannedSend.due_at,
            PlannedSend.status,
            PlannedSend.changed_by,
        ).where(PlannedSend.school_id == school_id)
    )
    return [
        PlannedRow(row.id, row.key, row.guardian_id, row.due_at, row.status, row.changed_by)
        for row in rows
    ]


@dataclass(frozen=True)
class NewPlannedSend:
    """A send the planner wants and has no row for yet."""

    key: str
    guardian_id: int
    event_id: int | None
    rule: str
    due: dt.datetime
    urgent: bool


def add_planned(
    session: Session, *, school_id: int, sends: Sequence[NewPlannedSend], now: dt.datetime
) -> None:
    """Plan these sends, in batches."""
    rows = [
        {
            "school_id": school_id,
            "key": send.key,
            "event_id": send.event_id,
            "rule": send.rule,
            "guardian_id": send.guardian_id,
            "due_at": send.due,
            "urgent": send.urgent,
            "status": PlannedStatus.PLANNED.value,
            "updated_at": now,
        }
        for send in sends
    ]
    for start in range(0, len(rows), _INSERTS):
        session.execute(insert(PlannedSend), rows[start : start + _INSERTS])


def reschedule_planned(
    session: Session, *, moves: Mapping[int, dt.datetime], now: dt.datetime
) -> None:
    """Give these rows (by id) a new due moment."""
    if moves:
        session.execute(
            update(PlannedSend),
            [{"id": row_id, "due_at": due, "updated_at": now} for row_id, due in moves.items()],
        )


def cancel_planned_rows(session: Session, *, ids: Sequence[int], now: dt.datetime) -> None:
    """Cancel these rows (by id), in batches."""
    for start in range(0, len(ids), _IN_LIST):
        session.execute(
            update(PlannedSend)
            .where(PlannedSend.id.in_(ids[start : start + _IN_LIST]))
            .values(status=PlannedStatus.CANCELLED.value, updated_at=now)
        )


def forget_hand_changes(session: Session, *, event_id: int) -> None:
    """Drop the mark of staff's hand from an event's planned rows, so they are planned anew."""
    session.execute(
        update(PlannedSend)
        .where(PlannedSend.event_id == event_id, PlannedSend.changed_by.is_not(None))
        .values(changed_by=None)
    )


@dataclass(frozen=True)
class PlannedFor:
    """A still-planned row and the guardian it is for, for staff's view of what is coming."""

    key: str
    rule: str
    due: dt.datetime
    event_id: int | None
    changed_by: str | None
    language: str
    chat_id: int | None
    reachability: str


def planned_until(session: Session, *, school_id: int, until: dt.datetime) -> list[PlannedFor]:
    """The school's still-planned rows due by `until` (overdue ones too), with their guardian."""
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
            PlannedSend.school_id == school_id,
            PlannedSend.status == PlannedStatus.PLANNED.value,
            PlannedSend.due_at <= until,
        )
    )
    return [
        PlannedFor(
            row.key,
            row.rule,
            row.due_at,
            row.event_id,
            row.changed_by,
            row.language,
            row.chat_id,
            row.reachability,
        )
        for row in rows
    ]


def event_of_key(session: Session, *, school_id: int, key: str) -> CalendarEventRow | None:
    """The event a key reminds of; None for a month overview or an unknown key."""
    event_id = session.scalar(select(PlannedSend.event_id).where(*_of_key(school_id, key)))
    return session.get(CalendarEventRow, event_id) if event_id else None


def cancel_by_hand(session: Session, *, school_id: int, key: str, by: str, now: dt.datetime) -> int:
    """Staff cancel every still-planned row of a key; how many there were."""
    return _by_hand(session, school_id, key, {"status": PlannedStatus.CANCELLED.value}, by, now)


def move_by_hand(
    session: Session, *, school_id: int, key: str, to: dt.datetime, by: str, now: dt.datetime
) -> int:
    """Staff move every still-planned row of a key to another moment; how many there were."""
    return _by_hand(session, school_id, key, {"due_at": to}, by, now)


def _by_hand(
    session: Session,
    school_id: int,
    key: str,
    values: dict[str, object],
    by: str,
    now: dt.datetime,
) -> int:
    """Rows staff changed keep who did it: the planner leaves them as they are."""
    result = session.execute(
        update(PlannedSend)
        .where(*_of_key(school_id, key), PlannedSend.status == PlannedStatus.PLANNED.value)
        .values(**values, changed_by=by, updated_at=now)
        .returning(PlannedSend.id)
    )
    return len(result.all())


def is_planned(session: Session, *, school_id: int, key: str) -> bool:
    """Whether the school has any still-planned row under this key."""
    found = session.scalar(
        select(PlannedSend.id)
        .where(
            PlannedSend.school_id == school_id,
            PlannedSend.key == key,
            PlannedSend.status == PlannedStatus.PLANNED.value,
        )
        .limit(1)
    )
    return found is not None
