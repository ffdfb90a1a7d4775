"""One deployment, two schools, each its own bot: `oudersbot run` polls both bots in one process;
each bot links and answers only for the schools on it, and the invites name the school's bot."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.bot.fleet import build_fleet, serve_fleet
from oudersbot.cli import main
from oudersbot.clock import Clock, ShiftedClock
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import invites, joining, messages
from oudersbot.services.roster import import_roster
from oudersbot.services.school_bot import assign_bot
from oudersbot.simulator import Simulator, SimulatorConfig
from oudersbot.store.db import Database
from tests.conftest import BRUSSELS, import_fixture_roster, make_settings, mark_joined

TOKEN_A = "123456:TEST-a"
TOKEN_B = "123457:TEST-a"
SECOND_ROSTER = "klas,kind,ouder,taal\n1A,Mila,Fatima El Amrani,ar\n1A,Noor,Piet Peeters,nl\n"
SIM = SimulatorConfig(bot_token=TOKEN_A, bot_username="regenboog_bot").with_bots(2)
USERNAME_B = SIM.extra_bots()[0].bot_username


@pytest.fixture
def clock() -> Clock:
    """Real time (leases), from a school-day morning: the outbox's door is open."""
    return ShiftedClock(datetime(2026, 11, 24, 10, 0, tzinfo=BRUSSELS))


@pytest.fixture
def two_schools(tmp_path: Path, database: Database, clock: Clock) -> Deps:
    """De Regenboog (demo) on the shared bot main, De Zonnebloem on its own bot b."""
    settings = make_settings(
        tmp_path,
        bot_token=TOKEN_A,
        bot_username="regenboog_bot",
        extra_bots=(("b", TOKEN_B),),
        extra_bot_usernames=(("b", USERNAME_B),),
        school_slug="zonnebloem",
    )
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    report = import_roster(
        deps,
        data=SECOND_ROSTER.encode(),
        filename="zonnebloem.csv",
        school="zonnebloem",
        school_name="De Zonnebloem",
    )
    assert report.ok, report.problems
    return deps


def cli(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def test_staff_assign_their_school_to_a_configured_bot_and_it_is_audited(
    two_schools: Deps,
) -> None:
    deps = two_schools
    assert cli(deps, "school", "bot").output.strip() == "School zonnebloem spreekt via bot main."
    wrong = cli(deps, "school", "bot", "c")
    assert wrong.exit_code == 1
    assert wrong.output.strip() == "Er is geen bot c; ingesteld zijn: main, b."
    done = cli(deps, "school", "bot", "b")
    assert done.exit_code == 0, done.output
    assert done.output.startswith("School zonnebloem spreekt voortaan via bot b (was main).")
    again = cli(deps, "school", "bot", "b")
    assert again.output.strip() == "School zonnebloem spreekt al via bot b."
    from sqlalchemy import select

    from oudersbot.store.models import AuditEntry

    with deps.db.session() as session:
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "school.bot")))
    assert [(e.detail, e.actor.startswith("cli:")) for e in entries] == [("main -> b", True)]


def test_the_invite_sheet_names_the_schools_own_bot(two_schools: Deps, tmp_path: Path) -> None:
    deps = two_schools
    assign_bot(deps, school="zonnebloem", bot="b", actor="test")
    result = cli(deps, "invites", "print", "--class", "1A", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    (sheet,) = (tmp_path / "out").glob("*.html")
    html = sheet.read_text(encoding="utf-8")
    assert f"t.me/{USERNAME_B}?start=" in html and "regenboog_bot" not in html
    other = invites.issue_guardian_invites(deps, school="demo", group="3A").issued
    assert all(i.link.startswith("https://t.me/regenboog_bot?start=") for i in other)


def test_without_the_bots_username_no_invite_is_made(tmp_path: Path, database: Database) -> None:
    settings = make_settings(tmp_path, extra_bots=(("b", TOKEN_B),), school_slug="demo")
    deps = bootstrap(settings, db=database)
    import_fixture_roster(deps)
    assign_bot(deps, school="demo", bot="b", actor="test")
    result = cli(deps, "invites", "print", "--class", "3A", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "OUDERSBOT_EXTRA_BOT_USERNAMES (b=naam_van_de_bot)" in result.output
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_chat_in_two_schools_is_each_bots_member_only_where_the_school_speaks(
    two_schools: Deps,
) -> None:
    """On Telegram one person has one chat id on every bot: bot b sees only its schools."""
    deps = two_schools
    assign_bot(deps, school="zonnebloem", bot="b", actor="test")
    mark_joined(deps, {"Fatima El Amrani": 301})  # a parent in both schools
    by_bot = {
        bot: sorted(m.school_name for m in joining.identify(deps, chat_id=301, bot=bot))
        for bot in ("main", "b")
    }
    assert by_bot == {"main": ["De Regenboog"], "b": ["De Zonnebloem"]}
    assert len(joining.identify(deps, chat_id=301)) == 2


@dataclass
class Fleet:
    sim: Simulator
    deps: Deps


@pytest.fixture
async def fleet(two_schools: Deps) -> AsyncIterator[Fleet]:
    deps = two_schools
    assign_bot(deps, school="zonnebloem", bot="b", actor="test")
    async with Simulator(SIM) as sim:
        tokens = deps.settings.bot_tokens()
        apps = build_fleet(deps, tokens, base_url=sim.base_url)
        for app in apps:
            app.bot_data.tick = 0.1
        stop = asyncio.Event()
        serving = asyncio.create_task(serve_fleet(apps, stop, poll_timeout=1))
        deadline = time.monotonic() + 20
        while not all(b.stats.requests.get("getUpdates") for b in sim.bots):
            assert not serving.done(), serving.exception()
            assert time.monotonic() < deadline, "the bots never polled"
            await asyncio.sleep(0.02)
        try:
            yield Fleet(sim, deps)
        finally:
            stop.set()
            await asyncio.wait_for(serving, 30)


async def test_run_serves_each_school_through_its_own_bot(fleet: Fleet) -> None:
    deps, sim = fleet.deps, fleet.sim
    bot_b = sim.bot(TOKEN_B)
    codes_b = {
        i.name: i.code
        for i in invites.issue_guardian_invites(deps, school="zonnebloem", group="1A").issued
    }
    codes_a = {
        i.name: i.code
        for i in invites.issue_guardian_invites(deps, school="demo", group="3A").issued
    }
    # A parent of De Regenboog tries their code with De Zonnebloem's bot: not valid here.
    stray = bot_b.add_user("Ayşe")
    await bot_b.send_text(stray, f"/start {codes_a['Ayşe Yılmaz']}")
    (refusal,) = await bot_b.wait_for_inbox(stray, 1)
    assert deps.words.text("nl", "join.problem.unknown")[:20] in refusal.text
    with deps.db.session() as session:
        from oudersbot.store.models import Guardian

        ayse = session.query(Guardian).filter_by(name="Ayşe Yılmaz").one()
        assert ayse.chat_id is None

    # Piet joins De Zonnebloem through bot b and gets its message through bot b.
    piet = bot_b.add_user("Piet", language_code="nl")
    await bot_b.send_text(piet, f"/start {codes_b['Piet Peeters']}")
    await bot_b.wait_for_inbox(piet, 1)
    draft = messages.prepare_message(
        deps, school="zonnebloem", groups=["1A"], text="Vrijdag is er geen school."
    )
    messages.send_message(deps, draft, urgency=Urgency.NOW)
    deadline = time.monotonic() + 20
    while not any("Vrijdag is er geen school." in (m.text or "") for m in bot_b.inbox(piet)):
        assert time.monotonic() < deadline, [m.text for m in bot_b.inbox(piet)]
        await asyncio.sleep(0.05)
    assert not sim.stats.requests.get("sendMessage")  # bot main sent nothing
    assert bot_b.stats.requests.get("getUpdates")


async def test_oudersbot_run_polls_every_bot_and_stops_on_sigterm(tmp_path: Path) -> None:
    """`oudersbot run` as the IT person starts it, with two bots."""
    url = f"sqlite:///{tmp_path / 'school.sqlite3'}"
    async with Simulator(SIM) as sim:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "OUDERSBOT_DATA_DIR": str(tmp_path / "var"),
            "TELEGRAM_BOT_TOKEN": TOKEN_A,
            "OUDERSBOT_EXTRA_BOTS": f"b={TOKEN_B}",
            "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url,
            "OUDERSBOT_LOG_LEVEL": "INFO",
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "oudersbot.cli",
            "run",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while not all(b.stats.requests.get("getUpdates") for b in sim.bots):
            assert process.returncode is None, await process.communicate()
            assert time.monotonic() < deadline, "oudersbot run never polled both bots"
            await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    logs = err.decode() + out.decode()
    assert TOKEN_A not in logs and TOKEN_B not in logs


def test_webhook_mode_with_several_bots_refuses_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'school.sqlite3'}",
        "OUDERSBOT_DATA_DIR": str(tmp_path / "var"),
        "TELEGRAM_BOT_TOKEN": TOKEN_A,
        "OUDERSBOT_EXTRA_BOTS": f"b={TOKEN_B}",
        "OUDERSBOT_MODE": "webhook",
        "OUDERSBOT_WEBHOOK_URL": "https://school.example/telegram",
    }
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "oudersbot.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("Niet gestart: in webhook-modus draait oudersbot één bot")
    assert "(main, b)" in lines[0]
