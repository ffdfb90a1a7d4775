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
import logging
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from babel.dates import format_date, format_datetime

from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.calendar import WHOLE_SCHOOL, CalendarEvent
from oudersbot.domain.languages import SOURCE_LANGUAGE, babel_locale_name, is_source_language
from oudersbot.domain.pictograms import Category
from oudersbot.domain.rendering import TEXT_LIMIT, Version
from oudersbot.domain.time_rules import Urgency
from oudersbot.services.calendar_import import OVERVIEW_RULE, filled_slots, schedule_of
from oudersbot.services.calendar_overview import overview_versions
from oudersbot.services.messages import render_version
from oudersbot.services.slip_answers import answer_buttons
from oudersbot.store.audience import (
    Recipient,
    guardians_by_id,
    recipient_from,
    recipients_of_groups,
)
from oudersbot.store.calendar import (
    classes_by_guardian,
    event_by_id,
    event_group_ids,
    event_of,
    month_events,
)
from oudersbot.store.models import (
    CalendarEventRow,
    EventStatus,
    Guardian,
    MessageKind,
    PlannedStatus,
)
from oudersbot.store.planned import (
    PlannedKey,
    claim_planned,
    close_planned,
    due_keys,
    link_planned,
    next_planned_due,
    skip_planned,
)
from oudersbot.store.schools import school_by_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from oudersbot.bootstrap import Deps

BATCH = 1000
# What making a reminder from stored data can raise when that data is wrong (a slot value the
# template refuses, a number babel cannot format); the database's own errors are not caught.
_RENDER_ERRORS = (ValueError, ArithmeticError, LookupError, TypeError)

log = logging.getLogger(__name__)


def send_due_calendar(deps: Deps, *, batch: int = BATCH) -> int:
    """Queue every planned send that is due and allowed now; the number of guardians queued."""
    now = deps.clock.now()
    with deps.db.session() as session:
        due = due_keys(session, now=now)
    queued = 0
    gates: dict[int, bool | None] = {}
    for item in due:
        if item.school_id not in gates:
            gates[item.school_id] = _gate(deps, item.school_id, now)
        only_urgent = gates[item.school_id]
        if only_urgent is None:
            continue
        queued += _send_all_of_key(deps, item, now, only_urgent=only_urgent, batch=batch)
    return queued


def _send_all_of_key(
    deps: Deps, item: PlannedKey, now: dt.datetime, *, only_urgent: bool, batch: int
) -> int:
    """Every batch of one key; a key whose reminder cannot be made is skipped, not the sweep.

    A value in the database that no longer renders (an event imported before today's checks)
    stops only its own reminder: its rows are marked skipped and the log names the key and the
    kind of error, never the event's words or a guardian."""
    queued = 0
    try:
        while (
            sent := _send_key(deps, item, now, only_urgent=only_urgent, batch=batch)
        ) is not None:
            queued += sent
    except _RENDER_ERRORS as exc:
        log.error(
            "calendar send %s of school %d skipped: %s",
            item.key,
            item.school_id,
            type(exc).__name__,
        )
        with deps.db.session() as session:
            close_planned(
                session,
                school_id=item.school_id,
                key=item.key,
                status=PlannedStatus.SKIPPED,
                now=now,
            )
    return queued


def next_due(deps: Deps) -> dt.datetime | None:
    """When the next planned calendar send is due, or None."""
    with deps.db.session() as session:
        return next_planned_due(session)


def _gate(deps: Deps, school_id: int, now: dt.datetime) -> bool | None:
    """None when nothing may go out now (quiet hours); True when only urgent sends may (a
    weekend, a holiday, a free day); else False. The door's own time rules decide."""
    with deps.db.session() as session:
        rules = deps.outbox.rules(session, school_id)
    if rules.earliest(now, Urgency.ANY_DAY) > now:
        return None
    return rules.earliest(now) > now


def _send_key(
    deps: Deps, item: PlannedKey, now: dt.datetime, *, only_urgent: bool, batch: int
) -> int | None:
    """One batch of one key, in one transaction: the guardians queued, None when none was left."""
    with deps.db.session() as session:
        event = event_by_id(session, event_id=item.event_id) if item.event_id else None
        if item.event_id is not None and (
            event is None or event.status != EventStatus.ACTIVE.value or event.starts_at <= now
        ):
            close_planned(
                session,
                school_id=item.school_id,
                key=item.key,
                status=PlannedStatus.SKIPPED,
                now=now,
            )
            return None
        claimed = claim_planned(
            session,
            school_id=item.school_id,
            key=item.key,
            now=now,
            only_urgent=only_urgent,
            limit=batch,
        )
        if not claimed:
            return None
        reachable = [
            g
            for g in guardians_by_id(session, guardian_ids=claimed)
            if g.chat_id is not None and g.reachability == "joined"
        ]
        # Guardians who cannot be reached (not joined, blocked) are skipped, not retried.
        unreachable = [g for g in claimed if g not in {r.id for r in reachable}]
        skip_planned(
            session, school_id=item.school_id, key=item.key, guardian_ids=unreachable, now=now
        )
        if not reachable:
            return 0
        if event is not None:
            urgency = Urgency.ANY_DAY if only_urgent else Urgency.NORMAL
            _queue_reminder(deps, session, item, event, reachable, now, urgency=urgency)
        else:
            _queue_overviews(deps, session, item, reachable)
        return len(reachable)


def _when(event: CalendarEvent, language: str, zone: dt.tzinfo) -> str:
    locale = babel_locale_name(language)
    if event.all_day:
        return format_date(event.day, "EEEE d MMMM", locale=locale)
    return format_datetime(event.start.astimezone(zone), "EEEE d MMMM, HH:mm", locale=locale)


def _with_lead(parts: Sequence[str], line: str) -> list[str]:
    lead = f"<b>{html.escape(line)}</b>"
    if len(lead) + 2 + len(parts[0]) <= TEXT_LIMIT:
        return [f"{lead}\n\n{parts[0]}", *parts[1:]]
    return [lead, *parts]


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
    item: PlannedKey,
    row: CalendarEventRow,
    reachable: list[Guardian],
    now: dt.datetime,
    *,
    urgency: Urgency,
) -> None:
    event = event_of(row, deps.settings.timezone)
    schedule = schedule_of(deps, school_by_id(session, school_id=item.school_id).slug)
    slip = any(r.slip for r in schedule.rules_for(event.kind) if r.name == item.rule)
    languages = {g.language for g in reachable}
    text_nl, picto, category, versions, deadline, answers = _reminder_versions(
        deps, item.school_id, event, languages, slip and event.start - dt.timedelta(days=1) > now
    )
    recipients: Mapping[int, Recipient] = {}
    if answers:
        group_ids = event_group_ids(session, school_id=item.school_id, groups=event.groups)
        recipients = {r.guardian_id: r for r in recipients_of_groups(session, group_ids=group_ids)}
    posted = deps.outbox.put(
        session,
        school_id=item.school_id,
        content=Content(
            kind=MessageKind.SLIP if answers else MessageKind.REMINDER,
            text_nl=text_nl,
            pictogram=picto,
            category=(Category.SLIP if answers else category).value,
            versions=versions,
            template_id=event.template_id,
            slots=dict(event.slots),
            audience={"groups": list(event.groups), "calendar": item.key},
            created_by=f"calendar:{item.rule}",
            answers=answers,
            deadline=deadline,
        ),
        to=[recipient_from(g) for g in reachable],
        kind=SendKind.CALENDAR_REMINDER,
        urgency=urgency,
        latest=row.starts_at,
        dedupe_key=f"cal:{item.key}:{min(g.id for g in reachable)}",
        buttons=(
            lambda message_id, r: (
                answer_buttons(deps, message_id, answers, recipients[r.guardian_id])
                if r.guardian_id in recipients
                else None
            )
        )
        if answers
        else None,
    )
    # Each planned row names the message it became.
    link_planned(
        session,
        school_id=item.school_id,
        key=item.key,
        guardian_ids=[g.id for g in reachable],
        message_id=posted.message_id,
    )


def _queue_overviews(
    deps: Deps, session: Session, item: PlannedKey, reachable: list[Guardian]
) -> None:
    """One overview per set of classes: each family sees the events of its own children."""
    year, month = (int(part) for part in item.key.removeprefix("m:").split("-"))
    events = month_events(
        session, school_id=item.school_id, year=year, month=month, zone=deps.settings.timezone
    )
    classes = classes_by_guardian(session, guardian_ids=[g.id for g in reachable])
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
        posted = deps.outbox.put(
            session,
            school_id=item.school_id,
            content=Content(
                kind=MessageKind.REMINDER,
                text_nl=versions[SOURCE_LANGUAGE].parts[0],
                pictogram="kalender",
                category=Category.INFO.value,
                versions=versions,
                audience={"calendar": item.key},
                created_by=f"calendar:{OVERVIEW_RULE}",
            ),
            to=[recipient_from(g) for g in guardians],
            kind=SendKind.MONTH_OVERVIEW,
            dedupe_key=f"cal:{item.key}:{min(g.id for g in guardians)}:{len(ids)}",
        )
        link_planned(
            session,
            school_id=item.school_id,
            key=item.key,
            guardian_ids=[g.id for g in guardians],
            message_id=posted.message_id,
        )
