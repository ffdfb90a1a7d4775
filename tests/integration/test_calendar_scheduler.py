"""The running bot wakes for planned sends; a second sender for the same bot is refused."""

from __future__ import annotations

import asyncio
import os
import shutil
import time
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.bot.app import build_application, running
from oudersbot.clock import ShiftedClock
from oudersbot.delivery.worker import SenderBusyError
from oudersbot.scheduling.wakeup import TICK_JOB
from oudersbot.services.calendar_import import import_calendar
from oudersbot.services.calendar_send import send_due_calendar
from oudersbot.settings import PACKAGE_DIR
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, Message, PlannedSend, PlannedStatus
from oudersbot.translation.machine import NoTranslator
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

TOKEN = "123456:TEST-token"
# Monday 30 November 2026, a few seconds before a reminder at 10:00.
START = datetime(2026, 11, 30, 9, 59, 57, tzinfo=BRUSSELS)


@pytest.fixture
def sqlite_deps(tmp_path: Path) -> Iterator[Deps]:
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    db = Database.from_url(settings.database_url)
    deps = bootstrap(settings, clock=ShiftedClock(START), translator=NoTranslator(), db=db)
    import_fixture_roster(deps)
    yield deps
    db.dispose()


async def test_the_bot_wakes_at_the_due_time_and_a_second_bot_refuses_to_start(
    sqlite_deps: Deps, tmp_path: Path
) -> None:
    deps = sqlite_deps
    config = SimulatorConfig(bot_token=TOKEN, bot_username="testschool_bot")
    calendar = tmp_path / "k.csv"
    # A trip on Tuesday 1 December at 10:00; the school's own rule: 1 day before at 10:00.
    calendar.write_text("datum;uur;titel;klas\n2026-12-01;10:00;Toneel in de turnzaal;3A\n")
    (deps.settings.scheduler_dir / "schools").mkdir()
    (deps.settings.scheduler_dir / "schools" / "demo.toml").write_text(
        '[[rule]]\nkind = "event"\nname = "day_before"\ndays_before = 1\nat = "10:00"\n'
    )
    import_calendar(deps, school="demo", path=calendar)
    async with Simulator(config) as sim:
        uid = sim.add_user("Ayşe")
        mark_joined(deps, {"Ayşe Yılmaz": uid})
        app = build_application(deps, token=TOKEN, base_url=sim.base_url, tick=60)
        other = build_application(deps, token=TOKEN, base_url=sim.base_url, tick=60)
        async with running(app):
            with pytest.raises(SenderBusyError) as refused:
                async with running(other):
                    pass
            assert refused.value.lease.pid == os.getpid() and refused.value.lease.role == "run"
            assert app.job_queue is not None and app.job_queue.get_jobs_by_name(TICK_JOB)
            began = time.monotonic()
            received = await sim.wait_for_inbox(uid, 1, within=15)
            waited = time.monotonic() - began
    assert "Toneel in de turnzaal" in received[-1].text
    # woken at 10:00 by the wake-up job, not by the 60-second tick
    assert waited < 10
    with deps.db.session() as session:
        assert (
            session.scalar(
                select(func.count()).where(PlannedSend.status == PlannedStatus.QUEUED.value)
            )
            == 1
        )


# Two workers side by side need PostgreSQL (FOR UPDATE SKIP LOCKED): no SQLite variant.
@pytest.mark.parametrize("database", ["postgres"], indirect=True)
async def test_two_workers_on_postgresql_send_each_reminder_exactly_once(
    database: Database, tmp_path: Path
) -> None:
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    clock = ShiftedClock(datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS))
    deps = bootstrap(settings, clock=clock, translator=NoTranslator(), db=database)
    import_fixture_roster(deps)
    mark_joined(
        deps, {"Fatima El Amrani": 1, "Ayşe Yılmaz": 2, "Anna Nowak": 3, "Sarah Johnson": 4}
    )
    # 18 school-wide events on Thursday 3 December: every reminder is due Tuesday at 18:00.
    lines = "".join(f"2026-12-03;10:00;Workshop {n};school\n" for n in range(18))
    calendar = tmp_path / "k.csv"
    calendar.write_text("datum;uur;titel;klas\n" + lines)
    import_calendar(deps, school="demo", path=calendar)
    clock.advance(datetime(2026, 12, 1, 18, 30, tzinfo=BRUSSELS) - clock.now())
    url = database.engine.url.render_as_string(hide_password=False)
    engines = [Database.from_url(url) for _ in range(2)]
    workers = [
        bootstrap(settings, clock=clock, translator=NoTranslator(), db=engine, migrate=False)
        for engine in engines
    ]

    totals = await asyncio.gather(
        *(asyncio.to_thread(send_due_calendar, worker, batch=2) for worker in workers)
    )

    for engine in engines:
        engine.dispose()
    with deps.db.session() as session:
        sent = session.execute(
            select(Message.audience, Delivery.guardian_id).join(
                Delivery, Delivery.message_id == Message.id
            )
        ).all()
        left = session.scalar(
            select(func.count()).where(PlannedSend.status == PlannedStatus.PLANNED.value)
        )
    per_send = Counter((audience["calendar"], guardian) for audience, guardian in sent)
    assert left == 0
    assert len(per_send) == 18 * 4 + 4  # 18 reminders and the December overview, 4 joined
    assert max(per_send.values()) == 1
    assert sum(totals) == len(sent)
