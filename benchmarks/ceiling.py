"""The sender's own ceiling: `oudersbot dispatch` against an unthrottled simulator.

A 10,000-guardian broadcast is queued, then `oudersbot dispatch` runs as its own process (as an
administrator would start it) with OUDERSBOT_SEND_RATE so high that it does not pace itself.
The pace is the simulator's (arrivals per second between the first and the last, from its
ledger); the memory is the sending process's own peak RSS, as the kernel counted it.
Targets: >= 1,000 msg/s on SQLite and on PostgreSQL; peak RSS < 200 MiB.
Figures are printed, never asserted. `python -m benchmarks.ceiling [sqlite] [postgres]`.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from benchmarks.figures import Finished, Pace, pace, received_twice, run_measured, statuses
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

GUARDIANS = 10_000
NO_PACE = 1_000_000.0  # msg/s: OUDERSBOT_SEND_RATE that never holds a send back
TARGET_RATE = 1000.0
TARGET_RSS_MIB = 200.0
GIVE_UP = 300.0


@dataclass(frozen=True)
class Result:
    """One `oudersbot dispatch` run."""

    kind: str
    process: Finished
    pace: Pace
    twice: int
    errors_429: int
    statuses: dict[str, int]


async def run(kind: str, guardians: int = GUARDIANS) -> Result | None:
    """Queue the broadcast, run `oudersbot dispatch` to its end, read the simulator."""
    with database(kind) as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        unthrottled = ["--global-rate", "none", "--per-chat-rate", "none"]
        async with simulator_process(*unthrottled) as (base_url, control_url):
            deps = deps_for(db, folder)
            await joined_school(deps, control_url, guardians)
            broadcast_now(deps, guardians)
            env = sender_env(db, folder, base_url, rate=NO_PACE)
            finished = await asyncio.to_thread(
                run_measured,
                [*oudersbot_command(), "dispatch"],
                env,
                folder / "dispatch.log",
                GIVE_UP,
            )
            if finished.returncode != 0:
                sys.stderr.write((folder / "dispatch.log").read_text()[-4000:])
            async with SimulatorClient(control_url) as client:
                ledger = await client.ledger()
                stats = await client.stats()
        return Result(
            kind,
            finished,
            pace(ledger),
            received_twice(ledger),
            int(stats.get("errors", {}).get("429", 0)),
            statuses(db),
        )


def lines(result: Result | None, kind: str) -> list[str]:
    """Two lines per database: the pace, the memory."""
    if result is None:
        return [f"  {kind:<9} skipped (PostgreSQL not reachable)"]
    rate, rss = result.pace.rate, result.process.peak_rss_mib
    return [
        f"  {kind:<9} {result.pace.messages} msgs in {result.pace.seconds:.2f} s ="
        f" {rate:.0f} msg/s ({rate / TARGET_RATE:.2f} of the target); 429s"
        f" {result.errors_429}; received twice {result.twice}; outbox {result.statuses};"
        f" process exit {result.process.returncode} after {result.process.seconds:.1f} s,"
        f" {result.process.cpu_seconds:.1f} CPU s ="
        f" {result.pace.messages / result.process.cpu_seconds:.0f} msg per CPU-second, start-up"
        " included",
        f"  {kind:<9} peak RSS of the sending process {rss:.0f} MiB"
        f" ({rss / TARGET_RSS_MIB:.2f} of the limit)",
    ]


def report(kinds: tuple[str, ...] = ("sqlite", "postgres")) -> list[str]:
    """Lines for `make bench`."""
    out = [
        f"Sender ceiling: `oudersbot dispatch` as its own process, {GUARDIANS} guardians,"
        f" simulator unthrottled (targets >= {TARGET_RATE:.0f} msg/s,"
        f" peak RSS < {TARGET_RSS_MIB:.0f} MiB); load average {os.getloadavg()[0]:.1f}"
        f" on {os.cpu_count()} cores"
    ]
    for kind in kinds:
        out += lines(asyncio.run(run(kind)), kind)
    return out


if __name__ == "__main__":
    print("\n".join(report(tuple(sys.argv[1:]) or ("sqlite", "postgres"))))
