"""Lateness of calendar reminders: 500 parents whose reminder falls due in the same minute, while
the bot is killed (SIGKILL) and restarted 10 times during the sending.

The bot runs as its own OS process, the way `oudersbot run` does (`build_application` and
`running` against the simulator, the simulator in a third process at Telegram's 30 msg/s and
1 msg/s per chat), on a SQLite file or PostgreSQL. Every process runs a `ShiftedClock` from the
same moment: a Monday at 09:59:35, so the reminder of a school-wide trip on Tuesday is due at
10:00:00, 25 s into the run, far from quiet hours and weekends. The figures come from the
simulator's inboxes: who got the reminder, how many copies, and how long after the due time
(the simulator dates a message in whole seconds). Target: 500 parents, p99 under 60 s,
0 duplicates. Figures are printed, never asserted.

`python -m benchmarks.calendar_lateness [sqlite] [postgres]` runs it alone (SQLite by default);
with BENCH_DISPATCH_LEASE=SECONDS the bot's outbox uses that lease instead of its own (a what-if,
to see what the lease costs). The bot process is
`python -m benchmarks.calendar_lateness bot DATABASE_URL BASE_URL START REAL_START`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from benchmarks.harness import TOKEN, database, joined_school, simulator_process
from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import ShiftedClock
from oudersbot.services.calendar_import import import_calendar
from oudersbot.settings import PACKAGE_DIR, Settings
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.models import Delivery, Guardian, PlannedSend

BRUSSELS = ZoneInfo("Europe/Brussels")
PARENTS = 500
KILLS = 10
SEND_RATE = 30.0  # the bot's own pace, and the simulator's global limit (Telegram's)
START = datetime(2026, 11, 30, 9, 59, 35, tzinfo=BRUSSELS)  # a Monday, no holiday
DUE = datetime(2026, 11, 30, 10, 0, tzinfo=BRUSSELS)
KILL_EVERY = (1.5, 3.0)  # seconds of a life (after it is up) before it is killed
GIVE_UP = 240.0  # seconds after the due time
TARGET_P99 = 60.0
PLACE = "de zoo van Antwerpen"  # the trip's place slot: in the reminder in every language
CALENDAR = (
    "datum;uur;titel;klas;sjabloon;velden\n"
    f"2026-12-01;10:00;Uitstap naar de zoo;school;uitstap;plaats={PLACE}\n"
)
LEASE_ENV = "BENCH_DISPATCH_LEASE"  # seconds; unset: the dispatcher's own lease
RULE = '[[rule]]\nkind = "uitstap"\nname = "same_minute"\ndays_before = 1\nat = "10:00"\n'


def environment(url: str, folder: Path) -> dict[str, str]:
    """The settings of every process, as `oudersbot run` reads them."""
    return {
        "DATABASE_URL": url,
        "OUDERSBOT_DATA_DIR": str(folder),
        "OUDERSBOT_SCHOOL": "bench",
        "OUDERSBOT_SCHEDULER_DIR": str(folder / "scheduler"),
        "OUDERSBOT_SEND_RATE": str(SEND_RATE),
    }


# --- the bot process ---------------------------------------------------------------------


async def bot_main(url: str, base_url: str, start: datetime, real_start: float) -> None:
    """Like `oudersbot run`: settings from the environment, migrations, the bot, until SIGTERM."""
    from oudersbot.bot import app as bot_app
    from oudersbot.delivery import worker

    if os.environ.get(LEASE_ENV):  # a what-if: the dispatcher with another lease than its own
        lease = timedelta(seconds=float(os.environ[LEASE_ENV]))
        worker.Dispatcher = functools.partial(worker.Dispatcher, lease=lease)  # type: ignore[misc]
    clock = ShiftedClock(start + timedelta(seconds=time.time() - real_start))
    deps = bootstrap(Settings.from_env(), clock=clock)
    assert deps.settings.database_url == url
    app = bot_app.build_application(deps, token=TOKEN, base_url=base_url)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    async with bot_app.running(app):
        print("ready", flush=True)
        await stop.wait()
    deps.db.dispose()


# --- the benchmark -----------------------------------------------------------------------


@dataclass
class Life:
    """One bot process."""

    process: asyncio.subprocess.Process
    up_at: float = 0.0
    startup: float = 0.0  # seconds from exec to polling


@dataclass
class KillNote:
    """The outbox right after a kill: what the dead process left behind."""

    at: float  # seconds after the due time
    sending: int  # deliveries claimed (status sending) by the dead process
    sent: int  # deliveries recorded as sent
    accepted: int  # messages the simulator accepted so far


@dataclass
class Result:
    kind: str
    reached: int = 0
    delays: list[float] = field(default_factory=list)
    db_delays: list[float] = field(default_factory=list)
    copies: Counter[int] = field(default_factory=Counter)
    kills: list[KillNote] = field(default_factory=list)
    startups: list[float] = field(default_factory=list)
    accepted: int = 0
    done_after: float | None = None
    errors_429: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    unconfirmed_chats: list[int] = field(default_factory=list)
    planned: dict[str, int] = field(default_factory=dict)


async def spawn(
    url: str, base_url: str, real_start: float, env: dict[str, str], log: IO[bytes]
) -> Life:
    began = time.time()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "benchmarks.calendar_lateness",
        "bot",
        url,
        base_url,
        START.isoformat(),
        repr(real_start),
        stdout=subprocess.PIPE,
        stderr=log,
        env={**os.environ, **env},
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    if line.strip() != b"ready":
        process.kill()
        raise RuntimeError(f"the bot said {line!r}; see its log")
    return Life(process, time.time(), time.time() - began)


def delivery_counts(deps: Deps) -> dict[str, int]:
    with deps.db.session() as session:
        rows = session.execute(select(Delivery.status, func.count()).group_by(Delivery.status))
        return {status: count for status, count in rows.all()}


async def run(kind: str = "sqlite") -> Result | None:
    """Set up, run the bot through 10 kills, read the inboxes."""
    with database(kind) as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        (folder / "scheduler" / "schools").mkdir(parents=True)
        shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", folder / "scheduler")
        (folder / "scheduler" / "schools" / "bench.toml").write_text(RULE)
        (folder / "kalender.csv").write_text(CALENDAR)
        url = db.engine.url.render_as_string(hide_password=False)
        env = environment(url, folder)
        clock = ShiftedClock(START)
        deps = bootstrap(Settings.from_env(env), clock=clock, db=db)
        result = Result(kind)
        async with simulator_process("--global-rate", str(SEND_RATE)) as (base_url, control):
            chats = await joined_school(deps, control, PARENTS)
            # From here on every process agrees: START was `real_start` on the wall clock.
            clock.advance(START - clock.now())
            real_start = time.time()
            due_real = real_start + (DUE - START).total_seconds()
            report = import_calendar(deps, school="bench", path=folder / "kalender.csv")
            assert report.plan is not None and report.plan.added >= PARENTS, report
            rng = random.Random(5)  # noqa: S311 - reproducible kill times, not secrecy
            with (folder / "bot.log").open("wb") as log:
                life = await spawn(url, base_url, real_start, env, log)
                try:
                    await asyncio.sleep(max(0.0, due_real - time.time()))
                    for _ in range(KILLS):
                        up = max(life.up_at, due_real)
                        await asyncio.sleep(max(0.0, up + rng.uniform(*KILL_EVERY) - time.time()))
                        life.process.kill()  # SIGKILL: no clean-up of any kind
                        await life.process.wait()
                        result.kills.append(await _note(deps, control, due_real))
                        life = await spawn(url, base_url, real_start, env, log)
                        result.startups.append(life.startup)
                    while time.time() < due_real + GIVE_UP:
                        counts = delivery_counts(deps)
                        if counts.get("sent", 0) + counts.get("unconfirmed", 0) >= PARENTS:
                            result.done_after = time.time() - due_real
                            break
                        await asyncio.sleep(0.25)
                    await asyncio.sleep(1.0)  # a resend after the last record would show now
                finally:
                    with contextlib.suppress(ProcessLookupError):
                        life.process.terminate()
                    try:
                        await asyncio.wait_for(life.process.wait(), 15)
                    except TimeoutError:
                        life.process.kill()
                        await life.process.wait()
            await _read_inboxes(result, control, chats, due_real)
        result.statuses = delivery_counts(deps)
        with deps.db.session() as session:
            result.unconfirmed_chats = [
                chat
                for chat in session.scalars(
                    select(Guardian.chat_id)
                    .join(Delivery, Delivery.guardian_id == Guardian.id)
                    .where(Delivery.status == "unconfirmed")
                )
                if chat is not None
            ]
            sent_at = session.scalars(select(Delivery.sent_at).where(Delivery.sent_at.is_not(None)))
            result.db_delays = [(m - DUE).total_seconds() for m in sent_at.all() if m is not None]
            planned = session.execute(
                select(PlannedSend.rule, PlannedSend.status, func.count()).group_by(
                    PlannedSend.rule, PlannedSend.status
                )
            )
            result.planned = {f"{rule}/{status}": count for rule, status, count in planned.all()}
            if os.environ.get("BENCH_KEEP_LOG"):
                shutil.copy(folder / "bot.log", os.environ["BENCH_KEEP_LOG"])
        return result


async def _note(deps: Deps, control: str, due_real: float) -> KillNote:
    counts = delivery_counts(deps)
    async with SimulatorClient(control) as client:
        accepted = int((await client.stats())["messages_accepted"])
    return KillNote(
        time.time() - due_real, counts.get("sending", 0), counts.get("sent", 0), accepted
    )


async def _read_inboxes(result: Result, control: str, chats: list[int], due_real: float) -> None:
    async with SimulatorClient(control) as client:
        stats = await client.stats()
        result.errors_429 = int(stats.get("errors", {}).get("429", 0))
        result.accepted = int(stats["messages_accepted"])
        for chat in chats:
            # The bot sends these parents nothing else: every message is a copy of the reminder.
            got = [m for m in await client.inbox(chat) if PLACE in (m.get("text") or "")]
            result.copies[chat] = len(got)
            if got:
                result.reached += 1
                result.delays.append(min(m["date"] for m in got) - due_real)


def _percentiles(values: list[float]) -> dict[str, float]:
    if len(values) < 2:
        return {"p50": values[0], "p95": values[0], "p99": values[0], "max": values[0]}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(values)}


def lines(result: Result | None, kind: str) -> list[str]:
    if result is None:
        return [f" {kind}: skipped (PostgreSQL not reachable)"]
    out = [f" {kind}:"]
    dups = sum(1 for n in result.copies.values() if n > 1)
    extra = sum(n - 1 for n in result.copies.values() if n > 1)
    out.append(
        f"  parents reached {result.reached}/{PARENTS}; duplicates: {dups} parents"
        f" ({extra} extra copies); messages accepted by the simulator: {result.accepted};"
        f" 429s: {result.errors_429}"
    )
    if result.delays:
        p = _percentiles(result.delays)
        out.append(
            "  delay due -> parent's inbox (whole seconds):"
            f" p50 {p['p50']:.1f} s, p95 {p['p95']:.1f} s, p99 {p['p99']:.1f} s,"
            f" max {p['max']:.1f} s; p99/{TARGET_P99:.0f} s = {p['p99'] / TARGET_P99:.2f}"
        )
    if result.db_delays:
        p = _percentiles(result.db_delays)
        out.append(
            "  delay due -> delivery.sent_at (last send recorded):"
            f" p50 {p['p50']:.1f} s, p95 {p['p95']:.1f} s, p99 {p['p99']:.1f} s,"
            f" max {p['max']:.1f} s"
        )
    unsure = result.unconfirmed_chats
    arrived = sum(1 for chat in unsure if result.copies.get(chat, 0) > 0)
    out.append(
        f"  unconfirmed (request under way at a kill, never sent again): {len(unsure)};"
        f" of these the simulator had delivered {arrived}, so {len(unsure) - arrived} lost"
    )
    done = f"{result.done_after:.1f} s" if result.done_after is not None else "not within"
    out.append(
        f"  all {PARENTS} deliveries settled (sent or unconfirmed): {done} after the due time"
    )
    out.append(f"  outbox at the end: {json.dumps(result.statuses)}; planned: {result.planned}")
    if result.startups:
        out.append(
            f"  a restart takes {statistics.mean(result.startups):.1f} s"
            f" (max {max(result.startups):.1f} s) from exec to polling"
        )
    out.append("  after each SIGKILL (s after due: claimed-in-flight / recorded sent / accepted):")
    out.append(
        "   " + ", ".join(f"{k.at:.1f}: {k.sending}/{k.sent}/{k.accepted}" for k in result.kills)
    )
    return out


def report(kinds: tuple[str, ...] = ("sqlite",)) -> list[str]:
    """Lines for `make bench`."""
    lease = os.environ.get(LEASE_ENV)
    out = [
        f"Calendar lateness: {PARENTS} reminders due in the same minute, bot at {SEND_RATE:.0f}"
        f" msg/s, {KILLS} SIGKILL-and-restart cycles (target: {PARENTS} reached,"
        f" p99 < {TARGET_P99:.0f} s, 0 duplicates)"
        + (f" -- what-if: outbox lease {lease} s" if lease else "")
    ]
    for kind in kinds:
        out.extend(lines(asyncio.run(run(kind)), kind))
    return out


def main(argv: list[str]) -> None:
    if argv[:1] == ["bot"]:
        logging.basicConfig(level=logging.WARNING, format="%(process)d %(name)s: %(message)s")
        logging.getLogger("oudersbot").setLevel(logging.INFO)
        url, base_url, start, real_start = argv[1:5]
        asyncio.run(bot_main(url, base_url, datetime.fromisoformat(start), float(real_start)))
        return
    print("\n".join(report(tuple(argv) or ("sqlite",))))


if __name__ == "__main__":
    main(sys.argv[1:])
