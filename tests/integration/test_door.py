"""The outbox's one front door: time rules for every kind, urgency, dedupe keys (both engines)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps
from oudersbot.clock import FixedClock
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.store.models import Delivery, DeliveryStatus, Message
from tests.conftest import BRUSSELS, import_fixture_roster, mark_joined

JOINED = {"Ayşe Yılmaz": 101, "Youssef El Amrani": 102, "Iryna Kovalenko": 103}


@pytest.fixture
def school(deps: Deps) -> Deps:
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    return deps


def at(*fields: int) -> datetime:
    return datetime(*fields, tzinfo=BRUSSELS)  # type: ignore[misc]


def move_to(clock: FixedClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def send(deps: Deps, text: str = "Morgen is er turnen.", **kwargs: object) -> messages.SendReport:
    draft = messages.prepare_message(deps, school="demo", groups=["3A"], text=text)
    return messages.send_message(deps, draft, **kwargs)  # type: ignore[arg-type]


def due_times(deps: Deps, message_id: int) -> set[datetime]:
    with deps.db.session() as session:
        return {
            moment.astimezone(BRUSSELS)
            for moment in session.scalars(
                select(Delivery.next_attempt_at).where(
                    Delivery.message_id == message_id,
                    Delivery.status == DeliveryStatus.PENDING.value,
                )
            )
        }


@pytest.mark.parametrize(
    ("typed_at", "goes_at"),
    [
        # The demo school's own quiet hours are 21:00-07:00 (scheduler/schools/demo.toml).
        (at(2026, 11, 23, 22, 0), at(2026, 11, 24, 7, 0)),  # Monday night
        (at(2026, 11, 24, 6, 30), at(2026, 11, 24, 7, 0)),  # early Tuesday
        (at(2026, 11, 24, 20, 59), at(2026, 11, 24, 20, 59)),  # just in time
        (at(2026, 11, 28, 10, 0), at(2026, 11, 30, 7, 0)),  # Saturday
        (at(2026, 12, 24, 10, 0), at(2027, 1, 4, 7, 0)),  # Christmas holiday
    ],
)
def test_a_staff_message_waits_for_the_next_allowed_moment(
    school: Deps, clock: FixedClock, typed_at: datetime, goes_at: datetime
) -> None:
    move_to(clock, typed_at)
    report = send(school)
    assert report.queued == 3
    assert report.due == goes_at
    assert due_times(school, report.message_id) == {goes_at}


def test_now_urgent_goes_at_once_even_in_quiet_hours(school: Deps, clock: FixedClock) -> None:
    move_to(clock, datetime(2026, 11, 28, 22, 30, tzinfo=BRUSSELS))  # Saturday night
    report = send(school, "De school is morgen dicht.", urgency=Urgency.NOW)
    assert due_times(school, report.message_id) == {clock.now()}


def test_any_day_skips_the_weekend_but_not_the_quiet_hours(school: Deps, clock: FixedClock) -> None:
    move_to(clock, datetime(2026, 11, 28, 22, 30, tzinfo=BRUSSELS))
    report = send(school, urgency=Urgency.ANY_DAY)
    assert due_times(school, report.message_id) == {datetime(2026, 11, 29, 7, 0, tzinfo=BRUSSELS)}


def test_the_spring_daylight_saving_night_neither_skips_nor_doubles(
    school: Deps, clock: FixedClock
) -> None:
    # Clocks go from 02:00 to 03:00 on Sunday 28 March 2027.
    move_to(clock, datetime(2027, 3, 27, 23, 0, tzinfo=BRUSSELS))
    report = send(school, urgency=Urgency.ANY_DAY)
    (moment,) = due_times(school, report.message_id)
    assert moment == datetime(2027, 3, 28, 7, 0, tzinfo=BRUSSELS)
    assert moment.utcoffset() == timedelta(hours=2)
    with school.db.session() as session:
        count = session.scalar(select(func.count()).where(Delivery.message_id == report.message_id))
    assert count == 5  # one row per guardian of 3A, joined or not: none skipped, none twice


def test_the_same_command_twice_queues_nothing_the_second_time(school: Deps) -> None:
    first = send(school)
    second = send(school)
    assert not first.duplicate and second.duplicate
    assert second.message_id == first.message_id and second.queued == 0
    again = send(school, again=True)
    assert not again.duplicate and again.message_id != first.message_id
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 2


def test_a_slip_that_cannot_go_before_its_deadline_reaches_nobody(
    school: Deps, clock: FixedClock
) -> None:
    move_to(clock, datetime(2026, 11, 27, 22, 0, tzinfo=BRUSSELS))  # Friday night
    draft = messages.prepare_message(
        school,
        school="demo",
        groups=["3A"],
        text="Gaat uw kind mee?",
        answers=("yes", "no"),
        deadline=datetime(2026, 11, 29, 18, 0, tzinfo=BRUSSELS),  # Sunday
    )
    report = messages.send_message(school, draft)
    assert report.queued == 0 and report.due is None
    assert messages.planned_moment(school, draft) is None
    assert messages.planned_moment(school, draft, urgency=Urgency.NOW) == clock.now()
