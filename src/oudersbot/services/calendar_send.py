"""Send what the calendar planned once it is due: reminders and month overviews.

A planned row goes from planned to queued in the same transaction that puts its delivery in
the outbox, claimed with FOR UPDATE SKIP LOCKED (PostgreSQL) and a conditional UPDATE, so two
workers or a restart never send one twice. Nothing is sent in quiet hours, and only urgent
reminders on weekends and holidays: a row due then waits for the next allowed moment, unless
its event has passed by then.
"""

from __future__ import annotations

import datetime as dt
import html
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from babel.dates import format_date, format_datetime
from sqlalchemy import func, insert, select, update

from oudersbot.domain.calendar import WHOLE_SCHOOL, CalendarEvent
from oudersbot.domain.languages import SOURCE_LANGUAGE, babel_locale_name, is_source_language
from oudersbot.domain.pictograms import Category
from oudersbot.domain.reminder_plan import is_free, school_free_days
from oudersbot.domain.rendering import TEXT_LIMIT
from oudersbot.services.calendar_import import OVERVIEW_RULE, filled_slots, schedule_of
from oudersbot.services.calendar_overview import classes_of, month_events, overview_versions
from oudersbot.services.messages import Version, add_with_renditions, render_version
from oudersbot.services.slip_answers import answer_buttons
from oudersbot.store.audience import Recipient, recipients_of_groups
from oudersbot.store.calendar import active_events, event_of
from oudersbot.store.models import (
    CalendarEventRow,
    Delivery,
    DeliveryStatus,
    EventStatus,
    Group,
    Guardian,
    Message,
    MessageKind,
    PlannedSend,
    PlannedStatus,
    School,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps

BATCH = 1000


@dataclass(frozen=True)
class _Due:
    school_id: int
    key: str
    event_id: int | None
    rule: str


def send_due_calendar(deps: Deps, *, batch: int = BATCH) -> int:
    """Queue every planned send that is due and allowed now; the number of guardians queued."""
    now = deps.clock.now()
    with deps.db.session() as session:
        due = [
            _Due(*row)
            for row in session.execute(
                select(
                    PlannedSend.school_id, PlannedSend.key, PlannedSend.event_id, PlannedSend.rule
                )
                .where(
                    PlannedSend.status == PlannedStatus.PLANNED.value,
                    PlannedSend.due_at <= now,
                )
                .distinct()
            )
        ]
        slugs = {row[0]: row[1] for row in session.execute(select(School.id, School.slug))}
    queued = 0
    gates: dict[int, bool | None] = {}
    for item in due:
        if item.school_id not in gates:
            gates[item.school_id] = _gate(deps, item.school_id, slugs[item.school_id], now)
        only_urgent = gates[item.school_id]
        if only_urgent is None:
            continue
        while (
            sent := _send_key(deps, item, now, only_urgent=only_urgent, batch=batch)
        ) is not None:
            queued += sent
    return queued


def next_due(deps: Deps) -> dt.datetime | None:
    """When the next planned send is due (to wake the scheduler then), or None."""
    with deps.db.session() as session:
        return session.scalar(
            select(func.min(PlannedSend.due_at)).where(
                PlannedSend.status == PlannedStatus.PLANNED.value
            )
        )


def _gate(deps: Deps, school_id: int, slug: str, now: dt.datetime) -> bool | None:
    """None in quiet hours (nothing goes out); True on a day off (only urgent); else False."""
    schedule = schedule_of(deps, slug)
    local = now.astimezone(deps.settings.timezone)
    if schedule.quiet.contains(local):
        return None
    with deps.db.session() as session:
        events = [
            event_of(row, deps.settings.timezone)
            for row in active_events(session, school_id=school_id)
        ]
    return is_free(local.date(), school_free_days(events))


def _send_key(
    deps: Deps, item: _Due, now: dt.datetime, *, only_urgent: bool, batch: int
) -> int | None:
    """One batch of one key, in one transaction: the guardians queued, None when none was left."""
    with deps.db.session() as session:
        event = session.get(CalendarEventRow, item.event_id) if item.event_id else None
        if item.event_id is not None and (
            event is None or event.status != EventStatus.ACTIVE.value or event.starts_at <= now
        ):
            _close(session, item, now, PlannedStatus.SKIPPED)
            return None
        claimed = _claim(session, item, now, only_urgent=only_urgent, batch=batch)
        if not claimed:
            return None
        guardians = {
            g.id: g for g in session.scalars(select(Guardian).where(Guardian.id.in_(claimed)))
        }
        reachable = [
            g for g in guardians.values() if g.chat_id is not None and g.reachability == "joined"
        ]
        _mark(session, item, [g for g in claimed if g not in {r.id for r in reachable}], now)
        if not reachable:
            return 0
        if event is not None:
            _queue_reminder(deps, session, item, event, reachable, now)
        else:
            _queue_overviews(deps, session, item, reachable, now)
        return len(reachable)


def _claim(
    session: Session, item: _Due, now: dt.datetime, *, only_urgent: bool, batch: int
) -> list[int]:
    """Take due rows of one key for this worker; the guardian ids taken."""
    conditions = [
        PlannedSend.school_id == item.school_id,
        PlannedSend.key == item.key,
        PlannedSend.status == PlannedStatus.PLANNED.value,
        PlannedSend.due_at <= now,
    ]
    if only_urgent:
        conditions.append(PlannedSend.urgent.is_(True))
    ids = session.scalars(
        select(PlannedSend.id).where(*conditions).limit(batch).with_for_update(skip_locked=True)
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


def _close(session: Session, item: _Due, now: dt.datetime, status: PlannedStatus) -> None:
    session.execute(
        update(PlannedSend)
        .where(
            PlannedSend.school_id == item.school_id,
            PlannedSend.key == item.key,
            PlannedSend.status == PlannedStatus.PLANNED.value,
        )
        .values(status=status.value, updated_at=now)
    )


def _mark(session: Session, item: _Due, guardian_ids: list[int], now: dt.datetime) -> None:
    """Guardians who cannot be reached (not joined, blocked) are skipped, not retried."""
    if guardian_ids:
        session.execute(
            update(PlannedSend)
            .where(
                PlannedSend.school_id == item.school_id,
                PlannedSend.key == item.key,
                PlannedSend.guardian_id.in_(guardian_ids),
            )
            .values(status=PlannedStatus.SKIPPED.value, updated_at=now)
        )


def _when(event: CalendarEvent, language: str, zone: dt.tzinfo) -> str:
    locale = babel_locale_name(language)
    if event.all_day:
        return format_date(event.day, "EEEE d MMMM", locale=locale)
    return format_datetime(event.start.astimezone(zone), "EEEE d MMMM, HH:mm", locale=locale)


def _with_lead(parts: Sequence[str], line: str) -> list[str]:
    lead = f"<b>{html.escape(line)}</b>"
    out = list(parts)
    if len(lead) + 2 + len(out[0]) <= TEXT_LIMIT:
        out[0] = f"{lead}\n\n{out[0]}"
    else:
        out.insert(0, lead)
    return out


def _reminder_versions(
    deps: Deps, school_id: int, event: CalendarEvent, languages: set[str], slip: bool
) -> tuple[str, str, Category, dict[str, Version], dt.datetime | None, tuple[str, ...]]:
    template = deps.phrasebook.templates.get(event.template_id or "")
    zone = deps.settings.timezone
    deadline = None
    answers: tuple[str, ...] = ()
    if template is not None:
        values = template.parse_slots(filled_slots(template.slots, event))
        text_nl = template.fill(template.text_nl, values, SOURCE_LANGUAGE)
        pictogram = deps.phrasebook.pictograms.resolve(template.pictogram)
        category = template.category
        if slip and template.answers:
            answers = tuple(template.answers)
            deadline = event.start - dt.timedelta(days=1)
        elif category is Category.SLIP:
            category = Category.INFO
    else:
        values, text_nl = {}, event.title
        pictogram = deps.phrasebook.pictograms.resolve("kalender")
        category = Category.INFO
    needs = [
        lang
        for lang in sorted(languages)
        if not is_source_language(lang) and (template is None or not template.wording_for(lang))
    ]
    machine = deps.memory.translate(school_id=school_id, text=text_nl, languages=needs)
    versions = {}
    for lang in sorted(languages | {SOURCE_LANGUAGE}):
        version = render_version(
            deps, lang, text_nl, template, values, pictogram, category, machine, deadline
        )
        line = deps.words.text(lang, "calendar.reminder", when=_when(event, lang, zone))
        versions[lang] = Version(
            lang, version.origin, tuple(_with_lead(version.parts, line)), version.status
        )
    return text_nl, pictogram.key, category, versions, deadline, answers


def _queue_reminder(
    deps: Deps,
    session: Session,
    item: _Due,
    row: CalendarEventRow,
    reachable: list[Guardian],
    now: dt.datetime,
) -> None:
    event = event_of(row, deps.settings.timezone)
    schedule = schedule_of(deps, _slug(session, item.school_id))
    slip = any(r.slip for r in schedule.rules_for(event.kind) if r.name == item.rule)
    languages = {g.language for g in reachable}
    text_nl, picto, category, versions, deadline, answers = _reminder_versions(
        deps, item.school_id, event, languages, slip and event.start - dt.timedelta(days=1) > now
    )
    message = Message(
        school_id=item.school_id,
        kind=(MessageKind.SLIP if answers else MessageKind.REMINDER).value,
        template_id=event.template_id,
        slots=dict(event.slots),
        text_nl=text_nl,
        pictogram=picto,
        category=(Category.SLIP if answers else category).value,
        audience={"groups": list(event.groups), "calendar": item.key},
        created_by=f"calendar:{item.rule}",
        created_at=now,
        answers=list(answers) or None,
        deadline=deadline,
    )
    renditions = add_with_renditions(session, message, versions)
    recipients: Mapping[int, Recipient] = {}
    if answers:
        recipients = {r.guardian_id: r for r in _recipients(session, item.school_id, event)}
    _deliver(
        session,
        item,
        message,
        {
            g.id: (
                renditions[g.language].id,
                answer_buttons(deps, message.id, answers, recipients[g.id])
                if g.id in recipients
                else None,
            )
            for g in reachable
        },
        now,
    )


def _recipients(session: Session, school_id: int, event: CalendarEvent) -> list[Recipient]:
    query = select(Group.id).where(Group.school_id == school_id)
    if WHOLE_SCHOOL not in event.groups:
        query = query.where(Group.name.in_(event.groups))
    return recipients_of_groups(session, group_ids=list(session.scalars(query)))


def _deliver(
    session: Session,
    item: _Due,
    message: Message,
    targets: Mapping[int, tuple[int, list[list[list[str]]] | None]],
    now: dt.datetime,
) -> None:
    session.execute(
        insert(Delivery),
        [
            {
                "school_id": item.school_id,
                "message_id": message.id,
                "guardian_id": guardian_id,
                "rendition_id": rendition_id,
                "status": DeliveryStatus.PENDING.value,
                "attempts": 0,
                "next_attempt_at": now,
                "buttons": buttons,
            }
            for guardian_id, (rendition_id, buttons) in targets.items()
        ],
    )
    session.execute(
        update(PlannedSend)
        .where(
            PlannedSend.school_id == item.school_id,
            PlannedSend.key == item.key,
            PlannedSend.guardian_id.in_(list(targets)),
        )
        .values(message_id=message.id)
    )


def _slug(session: Session, school_id: int) -> str:
    school = session.get(School, school_id)
    assert school is not None
    return school.slug


def _queue_overviews(
    deps: Deps, session: Session, item: _Due, reachable: list[Guardian], now: dt.datetime
) -> None:
    """One overview per set of classes: each family sees the events of its own children."""
    year, month = (int(part) for part in item.key.removeprefix("m:").split("-"))
    events = month_events(session, item.school_id, year, month, deps.settings.timezone)
    classes = classes_of(session, [g.id for g in reachable])
    by_set: dict[tuple[int, ...], list[Guardian]] = defaultdict(list)
    for guardian in reachable:
        mine = tuple(
            row.id
            for row in events
            if WHOLE_SCHOOL in row.groups or set(row.groups) & classes.get(guardian.id, set())
        )
        if mine:
            by_set[mine].append(guardian)
    chosen = {row.id: row for row in events}
    for ids, guardians in by_set.items():
        rows = [chosen[i] for i in ids]
        languages = {g.language for g in guardians}
        versions = overview_versions(deps, item.school_id, year, month, rows, languages)
        message = Message(
            school_id=item.school_id,
            kind=MessageKind.REMINDER.value,
            template_id=None,
            slots={},
            text_nl=versions[SOURCE_LANGUAGE].parts[0],
            pictogram="kalender",
            category=Category.INFO.value,
            audience={"calendar": item.key},
            created_by=f"calendar:{OVERVIEW_RULE}",
            created_at=now,
        )
        renditions = add_with_renditions(session, message, versions)
        _deliver(
            session,
            item,
            message,
            {g.id: (renditions[g.language].id, None) for g in guardians},
            now,
        )
