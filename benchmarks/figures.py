"""What the benchmarks read from the simulator's ledger, and the sending processes they run.

The ledger is per chat: `received` (every message that arrived, `at` on the simulator's
monotonic clock) and `refused` (every request that delivered nothing: an error answer or a
dropped connection). Pace, duplicates and the manners towards a chat are counted from it, so
the figures are what Telegram would have seen, not what the sender believes it did.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from oudersbot.store.db import Database
from oudersbot.store.outbox import status_counts

Ledger = Mapping[int, Mapping[str, Any]]
UNSETTLED = ("pending", "sending")


@dataclass(frozen=True)
class Pace:
    """Messages that arrived, and the seconds from the first to the last."""

    messages: int
    seconds: float

    @property
    def rate(self) -> float:
        """Messages per second over the intervals between the first and the last arrival."""
        return (self.messages - 1) / self.seconds if self.seconds > 0 else 0.0


def pace(ledger: Ledger) -> Pace:
    """The pace of every arrival in the ledger."""
    times = [m["at"] for chat in ledger.values() for m in chat["received"]]
    if not times:
        return Pace(0, 0.0)
    return Pace(len(times), max(times) - min(times))


def received_twice(ledger: Ledger) -> int:
    """Chats that received some text (a whole message, or one part of a letter) more than once."""
    return sum(
        1
        for chat in ledger.values()
        if any(n > 1 for n in Counter(m["text"] for m in chat["received"]).values())
    )


def received(ledger: Ledger) -> Counter[int]:
    """Messages received, per chat."""
    return Counter({chat_id: len(chat["received"]) for chat_id, chat in ledger.items()})


def _requests(chat: Mapping[str, Any]) -> list[float]:
    """When each request to the chat was carried out or refused."""
    return sorted([m["at"] for m in chat["received"]] + [r["at"] for r in chat["refused"]])


def early_after_429(ledger: Ledger) -> int:
    """Requests to a chat before the retry_after of a 429 that chat got had passed."""
    early = 0
    for chat in ledger.values():
        times = _requests(chat)
        for refusal in chat["refused"]:
            if refusal["error_code"] == 429:
                start, end = refusal["at"], refusal["at"] + (refusal["retry_after"] or 0)
                early += sum(1 for t in times if start < t < end)
    return early


def after_gone(ledger: Ledger) -> int:
    """Requests to a chat after it answered 403 (blocked) or "chat not found"."""
    later = 0
    for chat in ledger.values():
        gone = [
            r["at"]
            for r in chat["refused"]
            if r["error_code"] == 403 or "chat not found" in r["description"].lower()
        ]
        if gone:
            later += sum(1 for t in _requests(chat) if t > min(gone))
    return later


def statuses(db: Database) -> dict[str, int]:
    """Deliveries per status."""
    with db.session() as session:
        return status_counts(session)


async def settled(db: Database, *, within: float) -> bool:
    """Wait until no delivery is pending or being sent; False if that takes over `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        counts = await asyncio.to_thread(statuses, db)
        if not any(counts.get(status, 0) for status in UNSETTLED):
            return True
        await asyncio.sleep(0.25)
    return False


async def start_process(
    command: list[str], env: Mapping[str, str], log: IO[bytes]
) -> asyncio.subprocess.Process:
    """A sending process (`oudersbot worker`), its output to the log."""
    return await asyncio.create_subprocess_exec(
        *command, env=dict(env), stdout=log, stderr=subprocess.STDOUT
    )


async def stop_process(process: asyncio.subprocess.Process, *, grace: float = 20.0) -> None:
    """SIGTERM (a clean stop: the worker gives its leases up), SIGKILL after `grace` s."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


@dataclass(frozen=True)
class Finished:
    """A sending process that ran to its end by itself."""

    returncode: int
    seconds: float
    cpu_seconds: float  # user + system, its own: how much of a core it needed
    peak_rss_mib: float


def peak_rss_mib(pid: int) -> float | None:
    """The high-water mark of a live process's resident memory since its exec (VmHWM), MiB.

    Not wait4's or getrusage's ru_maxrss: Linux carries the parent's memory from before the
    exec into those (the child is forked from the benchmark process)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def run_measured(command: list[str], env: Mapping[str, str], log: Path, within: float) -> Finished:
    """Run a process to its end (killed after `within` s), reading its peak RSS as it goes
    (every 20 ms: a high-water mark, so only the last moments before the exit can be missed)
    and its CPU time when it ends."""
    started = time.monotonic()
    peak = 0.0
    with log.open("ab") as out:
        process = subprocess.Popen(command, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() - started > within:
            process.kill()
        peak = max(peak, peak_rss_mib(process.pid) or 0.0)
        time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    return Finished(
        process.returncode,
        time.monotonic() - started,
        usage.ru_utime + usage.ru_stime,
        peak,
    )
