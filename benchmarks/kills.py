"""SIGKILLs of the sending process during a broadcast: nothing sent twice, nothing lost.

`oudersbot worker` sends a 5,000-guardian broadcast (SQLite, the simulator at 200 msg/s, the
worker at 195). Ten times, a while after the worker took the bot's lease, it is killed with
SIGKILL and a new one is started at once: it takes over the dead process's lease immediately
(same host, the pid is gone) and settles what the dead one held, back to the queue or, if its
request had started, unconfirmed (it may have reached the parent; a person decides). The
simulator's ledger counts what each parent received.
Targets: 0 parents who received the message twice; every guardian ends sent, unreachable or
unconfirmed (the brugfiguur's list), none lost. Figures are printed, never asserted.
`python -m benchmarks.kills [sqlite|postgres]` runs this section alone.
"""

from __future__ import annotations

import asyncio
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from benchmarks.figures import received, settled, start_process, statuses, stop_process
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
from oudersbot.store.db import Database
from oudersbot.store.models import DEFAULT_BOT, Delivery, Guardian
from oudersbot.store.senders import current_lease

GUARDIANS = 5000
KILLS = 10
LIMIT = 200.0
SEND_RATE = 195.0
LIFE = (1.0, 2.5)  # seconds a worker sends (after it took the lease) before it is killed
GIVE_UP = 300.0  # seconds for the last worker to settle the rest


@dataclass
class Result:
    """What the kills left."""

    kind: str
    statuses: dict[str, int] = field(default_factory=dict)
    copies: Counter[int] = field(default_factory=Counter)  # messages received, per chat
    by_status: dict[str, list[int]] = field(default_factory=dict)  # chat ids per status
    in_flight: list[int] = field(default_factory=list)  # deliveries held at each kill
    takeovers: list[float] = field(default_factory=list)  # seconds from exec to the lease
    settled: bool = False
    seconds: float = 0.0


def held_by(db: Database, pid: int) -> bool:
    """True when process `pid` holds the bot's lease."""
    with db.session() as session:
        lease = current_lease(session, bot=DEFAULT_BOT)
    return lease is not None and lease.pid == pid


async def wait_for_lease(db: Database, pid: int, within: float = 60.0) -> float:
    """Seconds until process `pid` holds the lease."""
    started = time.monotonic()
    while not await asyncio.to_thread(held_by, db, pid):
        if time.monotonic() - started > within:
            raise RuntimeError(f"worker {pid} did not take the lease within {within:.0f} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


def chats_by_status(db: Database) -> dict[str, list[int]]:
    """The guardians' chat ids per delivery status."""
    found: dict[str, list[int]] = {}
    with db.session() as session:
        rows = session.execute(
            select(Delivery.status, Guardian.chat_id).join(
                Guardian, Guardian.id == Delivery.guardian_id
            )
        )
        for status, chat_id in rows:
            found.setdefault(status, []).append(chat_id)
    return found


async def run(kind: str = "sqlite") -> Result | None:
    """The broadcast through KILLS kill-and-restart cycles, then the ledger."""
    with database(kind) as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        result = Result(kind)
        async with simulator_process("--global-rate", str(LIMIT)) as (base_url, control_url):
            deps = deps_for(db, folder)
            await joined_school(deps, control_url, GUARDIANS)
            broadcast_now(deps, GUARDIANS)
            env = sender_env(db, folder, base_url, rate=SEND_RATE)
            command = [*oudersbot_command(), "worker"]
            rng = random.Random(11)  # noqa: S311 - reproducible kill times, not secrecy
            started = time.monotonic()
            with (folder / "workers.log").open("wb") as log:
                worker = await start_process(command, env, log)
                try:
                    for _ in range(KILLS):
                        result.takeovers.append(await wait_for_lease(db, worker.pid))
                        await asyncio.sleep(rng.uniform(*LIFE))
                        worker.kill()  # SIGKILL: no clean-up of any kind
                        await worker.wait()
                        result.in_flight.append(
                            (await asyncio.to_thread(statuses, db)).get("sending", 0)
                        )
                        worker = await start_process(command, env, log)
                    result.settled = await settled(db, within=GIVE_UP)
                    result.seconds = time.monotonic() - started
                finally:
                    await stop_process(worker)
            async with SimulatorClient(control_url) as client:
                result.copies = received(await client.ledger())
        result.statuses = statuses(db)
        result.by_status = chats_by_status(db)
        return result


def lines(result: Result | None, kind: str) -> list[str]:
    """The counts."""
    if result is None:
        return [f"  {kind}: skipped (PostgreSQL not reachable)"]
    twice = sum(1 for n in result.copies.values() if n > 1)
    sent = result.by_status.get("sent", [])
    unconfirmed = result.by_status.get("unconfirmed", [])
    arrived = sum(1 for chat in unconfirmed if result.copies[chat])
    lost = sum(1 for chat in sent if not result.copies[chat])
    ended = sum(result.statuses.get(s, 0) for s in ("sent", "unreachable", "unconfirmed"))
    others = {
        s: n for s, n in result.statuses.items() if s not in ("sent", "unreachable", "unconfirmed")
    }
    return [
        f"  {kind}: kills={len(result.in_flight)} sent_twice={twice} sent={len(sent)}"
        f" unreachable={result.statuses.get('unreachable', 0)} unconfirmed={len(unconfirmed)}"
        f" other={sum(others.values())}" + (f" {others}" if others else ""),
        f"  {ended}/{GUARDIANS} guardians ended sent, unreachable or unconfirmed"
        f" ({ended / GUARDIANS:.2f} of the target); unconfirmed that had arrived: {arrived},"
        f" not arrived: {len(unconfirmed) - arrived}; recorded sent but not received: {lost}",
        f"  claimed (status sending) when each worker died: {result.in_flight};"
        f" a new worker held the lease {max(result.takeovers, default=0):.1f} s after exec at"
        f" most; all settled: {'yes' if result.settled else 'NO'} after {result.seconds:.1f} s",
    ]


def report(kinds: tuple[str, ...] = ("sqlite",)) -> list[str]:
    """Lines for `make bench`."""
    out = [
        f"SIGKILLs: {KILLS} kills of `oudersbot worker` during a {GUARDIANS}-guardian broadcast,"
        f" simulator at {LIMIT:.0f} msg/s (target: 0 sent twice, every guardian sent,"
        " unreachable or unconfirmed)"
    ]
    for kind in kinds:
        out += lines(asyncio.run(run(kind)), kind)
    return out


if __name__ == "__main__":
    print("\n".join(report(tuple(sys.argv[1:]) or ("sqlite",))))
