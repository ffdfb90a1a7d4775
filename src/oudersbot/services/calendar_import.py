"""Import the school's year calendar and plan its reminders, one row per guardian and rule.

Importing is all or nothing: a file with any problem imports none of it and lists them all.
Re-importing the same file changes nothing: events keep their identity by key; a changed event
moves its planned reminders; an event gone from the file cancels its unsent ones.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from oudersbot.calendar_files.calendar_file import read_calendar, read_named_calendar
from oudersbot.calendar_files.rules_file import Schedule, load_schedule
from oudersbot.domain.calendar import (
    CalendarEvent,
    CalendarFileError,
    CalendarProblem,
    Phrase,
)
from oudersbot.domain.holidays import holidays, school_year_of
from oudersbot.domain.reminder_plan import (
    overview_moments,
    plan_event,
    school_free_days,
)
from oudersbot.domain.slots import SlotError, SlotType
from oudersbot.store.calendar import (
    active_events,
    audience_of,
    event_of,
    events_by_key,
    fingerprint,
    guardians_by_group,
)
from oudersbot.store.models import CalendarEventRow, EventStatus, PlannedStatus
from oudersbot.store.planned import (
    NewPlannedSend,
    add_planned,
    cancel_planned_rows,
    forget_hand_changes,
    planned_rows,
    reschedule_planned,
)
from oudersbot.store.schools import class_names, get_school

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps

OVERVIEW_RULE = "overview"


@dataclass(frozen=True)
class ImportReport:
    """What an import changed, for the staff member who ran it."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0
    removed: int = 0
    plan: PlanReport | None = None
    in_holidays: tuple[str, ...] = ()  # events that fall in a school holiday (imported anyway)


class CalendarChangedError(RuntimeError):
    """The school's calendar or roster changed since the file was checked: it would now change
    something else (`report`), so nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("changed since checked")
        self.report = report


@dataclass
class PlanReport:
    """How the planned sends changed."""

    added: int = 0
    moved: int = 0
    cancelled: int = 0
    kept: int = 0


def schedule_of(deps: Deps, school: str) -> Schedule:
    """The reminder rules of a school: the defaults, with its own file over them."""
    return load_schedule(
        deps.settings.scheduler_dir,
        school=school,
        kinds=list(deps.phrasebook.templates),
    )


def event_key(event_id: int, rule: str) -> str:
    """The planned-send key of one rule of one event."""
    return f"e{event_id}:{rule}"


def overview_key(year: int, month: int) -> str:
    """The planned-send key of a month's overview."""
    return f"m:{year:04d}-{month:02d}"


def import_calendar(deps: Deps, *, school: str, path: Path) -> ImportReport:
    """Read a calendar file, store its events and plan their reminders, in one transaction."""
    return _import(deps, school, path.name, lambda **kw: read_calendar(path, **kw))


def import_calendar_data(
    deps: Deps,
    *,
    school: str,
    data: bytes,
    name: str,
    dry_run: bool = False,
    expect: ImportReport | None = None,
) -> ImportReport:
    """Like `import_calendar`, for an uploaded file's bytes and name; with `dry_run`, what it
    would change, writing nothing (the same checks: a bad file raises CalendarFileError).
    With `expect` (what a dry run showed), a file that would now change anything else is not
    imported: CalendarChangedError carries what it would change now."""
    return _import(
        deps,
        school,
        name,
        lambda **kw: read_named_calendar(data, name=name, **kw),
        dry_run=dry_run,
        expect=expect,
    )


def _import(
    deps: Deps,
    school: str,
    name: str,
    read: Callable[..., list[CalendarEvent]],
    *,
    dry_run: bool = False,
    expect: ImportReport | None = None,
) -> ImportReport:
    schedule = schedule_of(deps, school)
    now = deps.clock.now()
    zone = deps.settings.timezone
    year = school_year_of(now.astimezone(zone).date())
    window = (dt.date(year, 9, 1), dt.date(year + 2, 8, 31))
    templates = {
        template_id: {slot: kind.value for slot, kind in template.slots.items()}
        for template_id, template in deps.phrasebook.templates.items()
    }
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        events = read(
            zone=zone,
            window=window,
            groups=class_names(session, school_id=school_row.id),
            templates=templates,
        )
        _check_slots(deps, name, events)
        stored = _store_events(session, school_row.id, name, events, now)
        plan = plan_school(deps, session, school_row.id, schedule)
        report = ImportReport(**{**stored.__dict__, "plan": plan})
        if dry_run or (expect is not None and report != expect):
            session.rollback()
    if expect is not None and report != expect and not dry_run:
        raise CalendarChangedError(report)
    return report


def _check_slots(deps: Deps, name: str, events: list[CalendarEvent]) -> None:
    """Every template event's slot values must parse, as when staff send the message."""
    problems = []
    for event in events:
        template = deps.phrasebook.templates.get(event.template_id or "")
        if template is None:
            continue
        try:
            template.parse_slots(filled_slots(template.slots, event))
        except SlotError as exc:
            reason = Phrase(f"slot.{exc.code}", {"slot": "?", **exc.params})
            problems.append(
                CalendarProblem(event.where, "bad_slot", {"title": event.title, "reason": reason})
            )
    if problems:
        raise CalendarFileError(name, problems)


def filled_slots(slots: Mapping[str, SlotType], event: CalendarEvent) -> dict[str, str]:
    """The event's slot values, with its date and time in the template's first date and time
    slot when the file leaves them out (a second date, like a trip's last day, must be given)."""
    values = dict(event.slots)
    first_date = next((n for n, k in slots.items() if k is SlotType.DATE), None)
    first_time = next((n for n, k in slots.items() if k is SlotType.TIME), None)
    if first_date is not None and first_date not in values:
        values[first_date] = event.day.isoformat()
    if first_time is not None and first_time not in values and not event.all_day:
        values[first_time] = event.start.strftime("%H:%M")
    return values


def _store_events(
    session: Session, school_id: int, source: str, events: list[CalendarEvent], now: dt.datetime
) -> ImportReport:
    existing = events_by_key(session, school_id=school_id)
    added = changed = unchanged = 0
    seen: set[str] = set()
    in_holidays: list[str] = []
    for event in events:
        seen.add(event.key)
        print_ = fingerprint(event)
        row = existing.get(event.key)
        if _in_holiday(event):
            in_holidays.append(f"{event.day.isoformat()} {event.title}")
        if row is None:
            session.add(_new_row(school_id, source, event, print_, now))
            added += 1
            continue
        if row.fingerprint == print_ and row.status == EventStatus.ACTIVE.value:
            unchanged += 1
            continue
        _update_row(row, source, event, print_, now)
        changed += 1
        # A changed event drops what staff did by hand to its reminders: they are planned anew.
        forget_hand_changes(session, event_id=row.id)
    removed = 0
    for key, row in existing.items():
        if row.source == source and key not in seen and row.status == EventStatus.ACTIVE.value:
            row.status = EventStatus.REMOVED.value
            row.updated_at = now
            removed += 1
    session.flush()
    return ImportReport(added, changed, unchanged, removed, None, tuple(in_holidays))


def _in_holiday(event: CalendarEvent) -> bool:
    return any(h.covers(event.day) for h in holidays(school_year_of(event.day)))


def _new_row(
    school_id: int, source: str, event: CalendarEvent, print_: str, now: dt.datetime
) -> CalendarEventRow:
    row = CalendarEventRow(school_id=school_id, key=event.key, imported_at=now)
    _update_row(row, source, event, print_, now)
    return row


def _update_row(
    row: CalendarEventRow, source: str, event: CalendarEvent, print_: str, now: dt.datetime
) -> None:
    row.title = event.title
    row.kind = event.kind
    row.template_id = event.template_id
    row.slots = dict(event.slots)
    row.groups = list(event.groups)
    row.starts_at = event.start
    row.ends_at = event.end
    row.all_day = event.all_day
    row.source = source
    row.fingerprint = print_
    row.status = EventStatus.ACTIVE.value
    row.updated_at = now


@dataclass(frozen=True)
class _Wanted:
    event_id: int | None
    rule: str
    due: dt.datetime
    urgent: bool


def plan_school(deps: Deps, session: Session, school_id: int, schedule: Schedule) -> PlanReport:
    """Bring the school's planned sends in line with its events, rules and roster.

    Adds what is missing (a new event, a new guardian), moves what changed, cancels what is no
    longer wanted. Rows already queued, skipped or cancelled are never touched; rows staff moved
    or cancelled by hand stay as they are."""
    now = deps.clock.now()
    rows = active_events(session, school_id=school_id)
    domain = {row.id: event_of(row, deps.settings.timezone) for row in rows}
    free = school_free_days(domain.values())
    by_group = guardians_by_group(session, school_id=school_id)
    wanted: dict[tuple[str, int], _Wanted] = {}
    report = PlanReport()
    months: dict[tuple[int, int], set[int]] = defaultdict(set)
    for row in rows:
        event = domain[row.id]
        audience = audience_of(event.groups, by_group)
        rules = schedule.rules_for(event.kind)
        urgent = {rule.name: rule.urgent for rule in rules}
        for moment in plan_event(event, rules, now=now, quiet=schedule.quiet, free_days=free):
            key = event_key(row.id, moment.rule)
            for guardian_id in audience:
                wanted[(key, guardian_id)] = _Wanted(
                    row.id, moment.rule, moment.due, urgent[moment.rule]
                )
        if event.start > now:
            local = event.start.astimezone(deps.settings.timezone)
            months[(local.year, local.month)] |= audience
    if schedule.overview_at is not None:
        moments = overview_moments(
            months,
            at=schedule.overview_at,
            zone=deps.settings.timezone,
            quiet=schedule.quiet,
            free_days=free,
        )
        for (year, month), due in moments.items():
            if due <= now:
                continue
            for guardian_id in months[(year, month)]:
                wanted[(overview_key(year, month), guardian_id)] = _Wanted(
                    None, OVERVIEW_RULE, due, False
                )
    _apply_plan(session, school_id, wanted, now, report)
    return report


def _apply_plan(
    session: Session,
    school_id: int,
    wanted: dict[tuple[str, int], _Wanted],
    now: dt.datetime,
    report: PlanReport,
) -> None:
    have = set()
    moves: dict[int, dt.datetime] = {}
    cancels: list[int] = []
    for row in planned_rows(session, school_id=school_id):
        have.add((row.key, row.guardian_id))
        if row.status != PlannedStatus.PLANNED.value or row.changed_by is not None:
            continue
        want = wanted.get((row.key, row.guardian_id))
        if want is None:
            cancels.append(row.id)
        elif want.due.astimezone(dt.UTC) != row.due.astimezone(dt.UTC):  # PEP 495: in UTC
            moves[row.id] = want.due
        else:
            report.kept += 1
    reschedule_planned(session, moves=moves, now=now)
    cancel_planned_rows(session, ids=cancels, now=now)
    new = [
        NewPlannedSend(key, guardian_id, want.event_id, want.rule, want.due, want.urgent)
        for (key, guardian_id), want in wanted.items()
        if (key, guardian_id) not in have
    ]
    add_planned(session, school_id=school_id, sends=new, now=now)
    report.added, report.moved, report.cancelled = len(new), len(moves), len(cancels)


def replan(deps: Deps, *, school: str) -> PlanReport:
    """Plan again without a new file (after a roster change or a change of rules)."""
    schedule = schedule_of(deps, school)
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        return plan_school(deps, session, school_row.id, schedule)
