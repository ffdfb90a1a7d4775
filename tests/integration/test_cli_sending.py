"""`send` tells the truth about when and whether; `status` shows the sender and the queue."""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.delivery.errors import UnconfirmedError
from oudersbot.delivery.worker import SendWorker
from oudersbot.settings import Settings
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, DeliveryStatus, Message
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined
from tests.fakes import RecordingSender

TOKEN = "123456:TEST-token"


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103, "Iryna Kovalenko": 104})
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def send(deps: Deps, *extra: str) -> Result:
    return run(deps, "send", "--class", "3A", "--text", "Morgen is er turnen.", "--yes", *extra)


def move_to(clock: FixedClock, moment: datetime) -> None:
    clock.advance(moment - clock.now())


def test_without_a_running_bot_staff_are_told_how_to_send(school: Deps) -> None:
    result = send(school)
    assert result.exit_code == 0, result.output
    assert "staat klaar voor 2 ouders" in result.output
    assert "Er draait geen bot die verstuurt: start `oudersbot run`" in result.output
    assert "De bot draait" not in result.output


async def test_with_a_running_sender_staff_are_told_it_sends(school: Deps) -> None:
    sender = SendWorker(school.db, school.clock, {"main": RecordingSender()}, role="run", rate=None)
    await sender.start(exclusive=True)
    result = send(school)
    assert "De bot draait en verstuurt het." in result.output
    await sender.stop()


def test_in_quiet_hours_the_message_waits_unless_now(school: Deps, clock: FixedClock) -> None:
    move_to(clock, datetime(2026, 11, 24, 22, 15, tzinfo=BRUSSELS))
    waiting = send(school)
    # The demo school's quiet hours end at 07:00 (scheduler/schools/demo.toml).
    assert "het bericht vertrekt woensdag 25 november om 07:00" in waiting.output
    assert "Gebruik --nu" in waiting.output
    urgent = send(school, "--nu", "--opnieuw")
    assert "vertrekt woensdag" not in urgent.output
    with school.db.session() as session:
        moments = sorted(
            m.astimezone(BRUSSELS)
            for m in session.scalars(
                select(Delivery.next_attempt_at).where(
                    Delivery.status == DeliveryStatus.PENDING.value
                )
            )
        )
    assert moments[0] == clock.now() and moments[-1].hour == 7


def test_the_same_command_twice_sends_once(school: Deps) -> None:
    first, second = send(school), send(school)
    assert second.exit_code == 0
    assert "stond vandaag al klaar (bericht 1)" in second.output
    assert "staat klaar voor" not in second.output
    with school.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Message)) == 1
    assert "Bericht 1 staat klaar" in first.output


def test_status_shows_no_sender_a_queue_and_exits_2_when_nothing_sends(school: Deps) -> None:
    send(school)
    result = CliRunner().invoke(main, ["status"], obj={"deps": school})
    assert result.exit_code == 2
    assert "er heeft nog geen enkel proces verstuurd" in result.output
    assert "Wachtrij: 2 nu te versturen, 0 gepland voor later, 0 onderweg." in result.output
    assert "Het oudste bericht in de wachtrij wacht al" in result.output
    assert "Niet bevestigd (misschien niet ontvangen): 0" in result.output


async def test_status_shows_a_live_sender_and_what_went_wrong(school: Deps) -> None:
    send(school)
    sender = RecordingSender()
    sender.failures[104] = [UnconfirmedError("lost")]
    worker = SendWorker(school.db, school.clock, {"main": sender}, role="worker", rate=None)
    await worker.start(exclusive=False)
    await worker.drain()
    result = CliRunner().invoke(main, ["status"], obj={"deps": school})
    assert result.exit_code == 0, result.output
    assert "Verzending voor bot main: actief (worker, pid" in result.output
    assert "Wachtrij: 0 nu te versturen" in result.output
    assert "Niet bevestigd (misschien niet ontvangen): 1" in result.output
    await worker.stop()


async def test_a_second_bot_process_refuses_to_start_in_one_line(tmp_path: Path) -> None:
    """`oudersbot run` as the IT person starts it, while another live process sends."""
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OUDERSBOT_DATA_DIR": str(tmp_path / "var"),
        "TELEGRAM_BOT_TOKEN": TOKEN,
    }
    holder = bootstrap(Settings.from_env(env), db=Database.from_url(url))
    sender = SendWorker(holder.db, holder.clock, {"main": RecordingSender()}, role="run", rate=None)
    await sender.start(exclusive=True)
    async with Simulator(SimulatorConfig(bot_token=TOKEN)) as sim:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "oudersbot.cli",
            "run",
            env={**env, "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    await sender.stop()
    holder.db.dispose()
    assert process.returncode == 1
    lines = [line for line in err.decode().splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Niet gestart: een ander oudersbot-proces verstuurt al voor bot")
    assert f"pid {os.getpid()}" in lines[0] and TOKEN not in err.decode() + out.decode()
