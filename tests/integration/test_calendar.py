"""The year calendar: import it once, and parents are reminded on time, never twice."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli.calendar import problem_line
from oudersbot.clock import FixedClock
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.domain.calendar import CalendarFileError
from oudersbot.services.calendar_import import import_calendar, replan
from oudersbot.services.calendar_send import next_due, send_due_calendar
from oudersbot.services.calendar_view import (
    PlanChangeError,
    cancel_planned,
    move_planned,
    upcoming,
)
from oudersbot.settings import PACKAGE_DIR, Settings
from oudersbot.store.db import Database
from oudersbot.store.models import (
    CalendarEventRow,
    Delivery,
    Message,
    PlannedSend,
    PlannedStatus,
)
from oudersbot.translation.machine import NoTranslator
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined
from tests.fakes import RecordingSender

JOINED = {
    "Fatima El Amrani": 101,
    "Youssef El Amrani": 102,
    "Ayşe Yılmaz": 103,
    "Iryna Kovalenko": 104,
    "Anna Nowak": 201,
}
CALENDAR = """datum;uur;titel;klas;sjabloon;velden
2026-12-03;09:00;Uitstap naar de zoo;3A;uitstap;plaats=de zoo van Antwerpen
2026-12-11;;Vrije dag;school;vrije-dag;
2026-12-15;19:00;Kerstmarkt;school;;
"""


@pytest.fixture
def deps(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """The default reminder rules only (no school override), the fixture roster, some joined."""
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings: Settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    wired = bootstrap(settings, clock=clock, translator=NoTranslator(), db=database)
    import_fixture_roster(wired)
    mark_joined(wired, JOINED)
    return wired


def write(tmp_path: Path, text: str, name: str = "kalender.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def planned(deps: Deps, status: str = PlannedStatus.PLANNED.value) -> dict[str, set[datetime]]:
    """Per rule (with the event's title), the due times still planned."""
    with deps.db.session() as session:
        rows = session.execute(
            select(PlannedSend.rule, CalendarEventRow.title, PlannedSend.due_at)
            .outerjoin(CalendarEventRow, CalendarEventRow.id == PlannedSend.event_id)
            .where(PlannedSend.status == status)
        ).all()
    found: dict[str, set[datetime]] = {}
    for rule, title, due in rows:
        found.setdefault(f"{title or 'maand'}/{rule}", set()).add(due.astimezone(BRUSSELS))
    return found


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)  # type: ignore[misc]


def move_to(clock: FixedClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


async def drain(deps: Deps) -> RecordingSender:
    sender = RecordingSender()
    await Dispatcher(deps.db, sender, deps.clock, rate=None).drain()
    return sender


def test_import_plans_each_rule_per_guardian_out_of_quiet_hours_and_weekends(
    deps: Deps, tmp_path: Path
) -> None:
    report = import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))

    assert (report.added, report.changed, report.unchanged, report.removed) == (3, 0, 0, 0)
    assert planned(deps) == {
        "Uitstap naar de zoo/week_before": {at(2026, 11, 26, 18, 0)},
        "Uitstap naar de zoo/day_before": {at(2026, 12, 2, 18, 0)},
        "Vrije dag/school_day_before": {at(2026, 12, 10, 15, 45)},
        # two days before is a Sunday: it moves to Monday morning, the end of the quiet hours
        "Kerstmarkt/two_days_before": {at(2026, 12, 14, 7, 30)},
        "maand/overview": {at(2026, 12, 1, 16, 0)},
    }
    with deps.db.session() as session:
        per_rule = Counter(session.scalars(select(PlannedSend.rule)))
    # 5 guardians in 3A; 9 in the whole school (Fatima has a child in both classes)
    assert per_rule == {
        "week_before": 5,
        "day_before": 5,
        "school_day_before": 9,
        "two_days_before": 9,
        "overview": 9,
    }
    assert report.plan is not None and report.plan.added == 37


def test_the_same_file_again_changes_nothing(deps: Deps, tmp_path: Path) -> None:
    path = write(tmp_path, CALENDAR)
    import_calendar(deps, school="demo", path=path)
    before = planned(deps)

    again = import_calendar(deps, school="demo", path=path)

    assert (again.added, again.changed, again.unchanged, again.removed) == (0, 0, 3, 0)
    assert again.plan is not None
    assert (again.plan.added, again.plan.moved, again.plan.cancelled) == (0, 0, 0)
    assert planned(deps) == before


def test_a_changed_event_moves_its_reminders_and_a_removed_one_cancels_them(
    deps: Deps, tmp_path: Path
) -> None:
    first = "id;datum;uur;titel;klas;sjabloon;velden\n"
    trip = "t1;2026-12-03;09:00;Uitstap;3A;uitstap;plaats=Brugge\n"
    swim = "z1;2026-12-08;10:00;Zwemmen;3B;zwemmen;bedrag=2,50\n"
    path = write(tmp_path, first + trip + swim)
    import_calendar(deps, school="demo", path=path)

    moved = write(tmp_path, first + trip.replace("2026-12-03", "2026-12-10"))
    report = import_calendar(deps, school="demo", path=moved)

    assert (report.changed, report.removed) == (1, 1)
    assert planned(deps) == {
        "Uitstap/week_before": {at(2026, 12, 3, 18, 0)},
        "Uitstap/day_before": {at(2026, 12, 9, 18, 0)},
        "maand/overview": {at(2026, 12, 1, 16, 0)},
    }
    # 3B's families had only the swimming lesson in December: no overview for them either
    assert set(planned(deps, PlannedStatus.CANCELLED.value)) == {
        "Zwemmen/day_before",
        "maand/overview",
    }
    with deps.db.session() as session:
        overview_for = session.scalar(
            select(func.count()).where(
                PlannedSend.rule == "overview", PlannedSend.status == PlannedStatus.PLANNED.value
            )
        )
    assert overview_for == 5  # only 3A's guardians have an event in December now


def test_a_bad_file_imports_nothing_and_lists_every_problem(deps: Deps, tmp_path: Path) -> None:
    bad = (
        "datum;uur;titel;klas;sjabloon;velden\n"
        "2026-12-03;09:00;Uitstap;3A;uitstap;plaats=Brugge\n"
        "2026-13-40;;Kapotte datum;3A;;\n"
        "2026-12-05;;Onbekende klas;9Z;;\n"
        "2026-12-06;;Onbekend sjabloon;3A;bestaatniet;\n"
        "2026-12-07;10:00;Uitstap zonder plaats;3A;uitstap;\n"
    )
    with pytest.raises(CalendarFileError) as caught:
        import_calendar(deps, school="demo", path=write(tmp_path, bad))

    assert [(p.where, p.code) for p in caught.value.problems] == [
        ("line:3", "bad_date"),
        ("line:4", "unknown_class"),
        ("line:5", "unknown_template"),
    ]
    with deps.db.session() as session:
        assert session.scalar(select(func.count()).select_from(CalendarEventRow)) == 0
        assert session.scalar(select(func.count()).select_from(PlannedSend)) == 0


def test_a_missing_slot_is_named_with_its_line(deps: Deps, tmp_path: Path) -> None:
    bad = "datum;uur;titel;klas;sjabloon;velden\n2026-12-07;10:00;Uitstap;3A;uitstap;\n"
    with pytest.raises(CalendarFileError) as caught:
        import_calendar(deps, school="demo", path=write(tmp_path, bad))

    (only,) = caught.value.problems
    assert (only.where, only.code, only.params["title"]) == ("line:2", "bad_slot", "Uitstap")
    assert problem_line(deps.words, only) == (
        "regel 2: Uitstap: Sjabloon 'uitstap' heeft ook nodig: plaats."
    )


async def test_a_due_reminder_reaches_joined_parents_in_their_language_once(
    deps: Deps, clock: FixedClock, tmp_path: Path
) -> None:
    import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))
    move_to(clock, at(2026, 11, 26, 18, 0))

    assert send_due_calendar(deps) == 4  # Katrien never joined: skipped, not retried
    assert send_due_calendar(deps) == 0
    sender = await drain(deps)

    texts = dict((chat, "\n".join(parts)) for chat, parts in sender.sent)
    assert sorted(texts) == [101, 102, 103, 104]
    assert "Niet vergeten: donderdag 3 december, 09:00" in texts[102]
    assert "لا تنسَ" in texts[101]
    assert "Unutmayın: Perşembe 3 Aralık, 09:00" in texts[103]
    assert "de zoo van Antwerpen" in texts[104]
    assert planned(deps, PlannedStatus.SKIPPED.value) == {
        "Uitstap naar de zoo/week_before": {at(2026, 11, 26, 18, 0)}
    }


async def test_the_month_overview_lists_each_familys_events(
    deps: Deps, clock: FixedClock, tmp_path: Path
) -> None:
    import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))
    move_to(clock, at(2026, 12, 1, 16, 0))
    send_due_calendar(deps)
    sender = await drain(deps)

    texts = dict((chat, "\n".join(parts)) for chat, parts in sender.sent)
    assert "Dit staat op de kalender in december 2026:" in texts[102]
    assert "🚌 do 3 dec" in texts[102]  # 3A: the trip, the free day, the Christmas market
    assert "🏠 vr 11 dec" in texts[102] and "Kerstmarkt" in texts[102]
    assert "🚌" not in texts[201]  # 3B has no trip
    assert "🏠" in texts[201] and "W kalendarzu – grudzień 2026:" in texts[201]


def test_nothing_goes_out_in_quiet_hours_or_after_the_event(
    deps: Deps, clock: FixedClock, tmp_path: Path
) -> None:
    import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))
    # Down from before 26 Nov 18:00 until 22:00: quiet hours, so the reminder waits.
    move_to(clock, at(2026, 11, 26, 22, 0))
    assert send_due_calendar(deps) == 0
    move_to(clock, at(2026, 11, 27, 7, 30))
    assert send_due_calendar(deps) == 4
    # Down from before 2 Dec 18:00 until the trip has started: the reminder is skipped.
    move_to(clock, at(2026, 12, 3, 9, 30))
    send_due_calendar(deps)
    assert "Uitstap naar de zoo/day_before" in planned(deps, PlannedStatus.SKIPPED.value)


def test_staff_see_what_is_planned_and_can_cancel_or_move_it(deps: Deps, tmp_path: Path) -> None:
    import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))

    soon = upcoming(deps, school="demo", days=14)

    assert [(u.rule, u.due) for u in soon] == [
        ("week_before", at(2026, 11, 26, 18, 0)),
        ("overview", at(2026, 12, 1, 16, 0)),
        ("day_before", at(2026, 12, 2, 18, 0)),
    ]
    trip = soon[0]
    assert (trip.guardians, trip.joined, trip.groups) == (5, 4, ("3A",))
    assert trip.languages == {"ar": 1, "nl": 1, "tr": 1, "uk": 1, "nl-BE": 1}

    later = at(2026, 11, 27, 17, 0)
    assert move_planned(deps, school="demo", key=trip.key, to=later, by="juf") == 5
    with pytest.raises(PlanChangeError) as late:
        move_planned(deps, school="demo", key=trip.key, to=at(2026, 12, 3, 10, 0), by="juf")
    assert late.value.code == "after_event"
    with pytest.raises(PlanChangeError):
        move_planned(deps, school="demo", key=trip.key, to=at(2026, 11, 27, 22, 0), by="juf")
    assert cancel_planned(deps, school="demo", key=soon[2].key, by="juf") == 5

    # planning again (a roster change) keeps what staff did by hand
    replan(deps, school="demo")
    assert planned(deps)["Uitstap naar de zoo/week_before"] == {at(2026, 11, 27, 17, 0)}
    assert "Uitstap naar de zoo/day_before" not in planned(deps)


def test_next_due_is_what_the_scheduler_wakes_for(deps: Deps, tmp_path: Path) -> None:
    assert next_due(deps) is None
    import_calendar(deps, school="demo", path=write(tmp_path, CALENDAR))
    assert next_due(deps) == at(2026, 11, 26, 18, 0)


def test_a_whole_school_year_with_a_restart_and_a_weekend_down(
    deps: Deps, clock: FixedClock, tmp_path: Path
) -> None:
    """Every planned send goes out once, never in quiet hours or on a day off unless urgent,
    though the process is down over a weekend and restarted mid-year."""
    import_calendar(deps, school="demo", path=PACKAGE_DIR / "scheduler" / "voorbeeld-kalender.csv")
    end = at(2027, 7, 1, 0, 0)
    down = (at(2027, 2, 26, 17, 0), at(2027, 3, 1, 10, 0))  # Friday evening to Monday morning
    restarted = False
    while clock.now() < end:
        if down[0] <= clock.now() < down[1]:
            move_to(clock, down[1])
            continue
        if not restarted and clock.now() >= at(2027, 3, 1, 10, 0):
            # a fresh process: new wiring on the same database, nothing kept in memory
            deps = bootstrap(deps.settings, clock=clock, translator=NoTranslator(), db=deps.db)
            restarted = True
        send_due_calendar(deps)
        upcoming_at = next_due(deps)
        if upcoming_at is None:
            break
        step = upcoming_at if upcoming_at > clock.now() else clock.now() + timedelta(minutes=30)
        move_to(clock, min(step, end))

    assert restarted
    with deps.db.session() as session:
        left = session.scalar(
            select(func.count()).where(PlannedSend.status == PlannedStatus.PLANNED.value)
        )
        per_send = session.execute(
            select(Message.audience, Delivery.guardian_id, Message.created_at).join(
                Delivery, Delivery.message_id == Message.id
            )
        ).all()
    assert left == 0
    keys = Counter((audience["calendar"], guardian) for audience, guardian, _ in per_send)
    assert keys and max(keys.values()) == 1  # nothing twice
    for _, _, created in per_send:
        local = created.astimezone(BRUSSELS)
        assert local.weekday() < 5 and (7, 30) <= (local.hour, local.minute) < (20, 0), local
