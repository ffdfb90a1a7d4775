"""Several `oudersbot worker` processes on one PostgreSQL database: the pace each bot keeps.

Each bot has one sender at a time (a lease per bot); the other workers stand by. So 1, 2 or 4
workers sharing one bot should all keep that bot at its limit (30 msg/s in the simulator, the
workers at OUDERSBOT_SEND_RATE 29.5), with no 429: more workers must not cost pace. Then four
bots (four schools, each with its own bot) and two workers: each bot at its own limit.

The pace is the simulator's: messages that arrived per second between the first and the last
arrival of that bot (its ledger). Target: rate/limit >= 0.95 and 0 429s for every run.
Figures are printed, never asserted. `python -m benchmarks.workers` runs this section alone.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.figures import Pace, pace, settled, start_process, statuses, stop_process
from benchmarks.harness import (
    broadcast_now,
    database,
    deps_for,
    joined_school,
    oudersbot_command,
    sender_env,
    simulator_process,
)
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.models import DEFAULT_BOT
from oudersbot.store.schools import set_school_bot
from oudersbot.store.senders import all_leases

LIMIT = 30.0
SEND_RATE = 29.5
MESSAGES = 3000
BOTS = 4
PER_BOT = 1000
TARGET = 0.95
GIVE_UP = 400.0  # seconds for the sending to settle


@dataclass(frozen=True)
class BotFigures:
    """One bot's figures in a run."""

    name: str
    pace: Pace
    errors_429: int
    sender_pid: int | None

    @property
    def ratio(self) -> float:
        """rate/limit."""
        return self.pace.rate / LIMIT


@dataclass(frozen=True)
class Run:
    """One run: N workers, B bots."""

    workers: int
    bots: list[BotFigures]
    settled: bool
    statuses: dict[str, int]


def bot_name(n: int) -> str:
    """The deployment's name of the n-th bot (0: the main one)."""
    return DEFAULT_BOT if n == 0 else f"bot{n + 1}"


async def run(workers: int, bots: int, per_bot: int) -> Run | None:
    """Queue `per_bot` messages for each bot's school, start `workers` processes, wait."""
    with database("postgres") as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        sim_args = ["--global-rate", str(LIMIT), "--bots", str(bots)]
        async with simulator_process(*sim_args) as (base_url, control_url):
            deps = deps_for(db, folder)
            async with SimulatorClient(control_url) as client:
                tokens = [bot["token"] for bot in await client.bots()]
            for n, token in enumerate(tokens):
                school = "bench" if n == 0 else f"bench-{n + 1}"
                await joined_school(deps, control_url, per_bot, school=school, bot_token=token)
                with deps.db.session() as session:
                    set_school_bot(session, slug=school, bot=bot_name(n))
                broadcast_now(deps, per_bot, school=school)
            extra = ",".join(f"{bot_name(n)}={token}" for n, token in enumerate(tokens) if n)
            env = sender_env(db, folder, base_url, rate=SEND_RATE, extra_bots=extra)
            with (folder / "workers.log").open("wb") as log:
                processes = [
                    await start_process([*oudersbot_command(), "worker"], env, log)
                    for _ in range(workers)
                ]
                holders: dict[str, int] = {}
                try:
                    done = await settled(db, within=GIVE_UP)
                    with db.session() as session:
                        holders = {lease.bot: lease.pid for lease in all_leases(session)}
                finally:
                    for process in processes:
                        with contextlib.suppress(ProcessLookupError):
                            await stop_process(process)
            figures = []
            async with SimulatorClient(control_url) as client:
                stats = await client.stats()
                for n, token in enumerate(tokens):
                    bot = client.for_bot(token)
                    bot_stats = stats["bots"][token.split(":")[0]]
                    figures.append(
                        BotFigures(
                            bot_name(n),
                            pace(await bot.ledger()),
                            int(bot_stats.get("errors", {}).get("429", 0)),
                            holders.get(bot_name(n)),
                        )
                    )
        return Run(workers, figures, done, statuses(db))


def lines(result: Run | None, workers: int, bots: int) -> list[str]:
    """One line per run; with several bots the lowest rate/limit, then one line per bot."""
    if result is None:
        return [f"workers={workers} bots={bots} skipped (PostgreSQL not reachable)"]
    worst = min(result.bots, key=lambda b: b.ratio)
    errors = sum(b.errors_429 for b in result.bots)
    sent = sum(b.pace.messages for b in result.bots)
    out = [
        f"workers={workers} bots={bots} rate/limit={worst.ratio:.3f} 429s={errors}"
        f"  ({worst.ratio / TARGET:.2f} of the target; {sent} messages"
        + ("" if result.settled else f", NOT settled in {GIVE_UP:.0f} s: {result.statuses}")
        + ")"
    ]
    if bots > 1:
        for bot in result.bots:
            out.append(
                f"  bot={bot.name} rate/limit={bot.ratio:.3f} 429s={bot.errors_429}"
                f"  ({bot.pace.messages} messages in {bot.pace.seconds:.1f} s,"
                f" sent by pid {bot.sender_pid})"
            )
    return out


def report() -> list[str]:
    """Lines for `make bench`."""
    out = [
        f"Worker processes on PostgreSQL, simulator at {LIMIT:.0f} msg/s per bot, workers at"
        f" {SEND_RATE} msg/s (target rate/limit >= {TARGET}, 0 429s)"
    ]
    for workers in (1, 2, 4):
        out += lines(asyncio.run(run(workers, 1, MESSAGES)), workers, 1)
    out += lines(asyncio.run(run(2, BOTS, PER_BOT)), 2, BOTS)
    return out


if __name__ == "__main__":
    print("\n".join(report()))
