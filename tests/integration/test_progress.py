"""Long work shows progress on a terminal and stays quiet in a pipe; `status --message N` shows
where one broadcast's copies stand; `dispatch` as the IT person types it."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.cli.progress import progress
from oudersbot.delivery.errors import UnconfirmedError, UnreachableError
from oudersbot.delivery.worker import SendWorker
from oudersbot.settings import Settings
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, DeliveryStatus, Message
from tests.conftest import import_fixture_roster, make_settings, mark_joined
from tests.fakes import RecordingSender

TOKEN = "123456:TEST-token"


class Terminal(io.StringIO):
    """A stream a person watches."""

    def isatty(self) -> bool:
        return True


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_a_terminal_gets_a_bar_with_counts_and_a_pipe_a_plain_line_now_and_then(
    deps: Deps,
) -> None:
    screen = Terminal()
    with progress(deps, "progress.dispatch", total=3000, stream=screen) as report:
        report(1200)
    assert "Versturen" in screen.getvalue() and "1200/3000" in screen.getvalue()
    pipe = io.StringIO()
    with progress(deps, "progress.dispatch", total=3000, stream=pipe) as report:
        report(1200)
    assert pipe.getvalue() == ""  # quick work: nothing
    with progress(deps, "progress.dispatch", total=3000, stream=pipe, every=0) as report:
        report(1200)
        report(3000, 3100)
    assert pipe.getvalue().splitlines() == ["Versturen: 1200 van 3000", "Versturen: 3000 van 3100"]


async def test_status_message_shows_delivered_waiting_unreachable_and_unconfirmed(
    tmp_path: Path, database: Database
) -> None:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103, "Iryna Kovalenko": 104, "Fatima El Amrani": 105})
    sent = run(deps, "send", "--class", "3A", "--text", "Morgen is er turnen.", "--yes", "--nu")
    assert sent.exit_code == 0, sent.output
    with deps.db.session() as session:
        message_id = session.scalars(select(Message.id)).one()
    waiting = run(deps, "status", "--message", str(message_id))
    assert f'Bericht {message_id} ("Morgen is er turnen."): 5 ouders.' in waiting.output
    assert "Afgeleverd: 0. Wacht nog: 3." in waiting.output
    assert "Niet aangesloten bij de bot: 2." in waiting.output

    sender = RecordingSender()
    sender.failures[104] = [UnconfirmedError("lost")]
    sender.failures[105] = [UnreachableError("blocked")]
    worker = SendWorker(deps.db, deps.clock, {"main": sender}, role="worker", rate=None)
    await worker.start(exclusive=True)
    await worker.drain()
    await worker.stop()
    done = run(deps, "status", "--message", str(message_id))
    assert "Afgeleverd: 1. Wacht nog: 0. Onbereikbaar: 1." in done.output
    assert "Niet bevestigd (misschien niet ontvangen): 1." in done.output
    missing = CliRunner().invoke(main, ["status", "--message", "99"], obj={"deps": deps})
    assert missing.exit_code == 1
    assert "Deze school heeft geen bericht met nummer 99." in missing.output


async def test_dispatch_as_typed_sends_everything_and_prints_no_progress_noise_in_a_pipe(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "OUDERSBOT_DATA_DIR": str(tmp_path / "var"),
        "OUDERSBOT_SCHOOL": "demo",
        "TELEGRAM_BOT_TOKEN": TOKEN,
    }
    async with Simulator(SimulatorConfig(bot_token=TOKEN)) as sim:
        deps = bootstrap(Settings.from_env(env), db=Database.from_url(url))
        import_fixture_roster(deps)
        chats = {name: sim.add_user(name) for name in ("Ayşe Yılmaz", "Iryna Kovalenko")}
        mark_joined(deps, chats)
        queued = run(deps, "send", "--class", "3A", "--text", "Morgen turnen.", "--yes", "--nu")
        assert queued.exit_code == 0, queued.output
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "oudersbot.cli",
            "dispatch",
            env={**env, "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url},
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 120)
    assert process.returncode == 0, err.decode()
    log_line = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (INFO|WARNING) oudersbot\.")
    noise = [line for line in err.decode().splitlines() if not log_line.match(line)]
    assert noise == []  # only the log's own lines, one per event: no progress bar in a pipe
    assert out.decode().count("\n") == 1  # one line: what the dispatch did
    with deps.db.session() as session:
        statuses = list(session.scalars(select(Delivery.status)))
    deps.db.dispose()
    assert sorted(statuses) == [DeliveryStatus.NOT_JOINED] * 3 + [DeliveryStatus.SENT] * 2
