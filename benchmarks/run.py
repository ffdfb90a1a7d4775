"""`make bench`: broadcast pace against Telegram's limit, the dispatcher's own ceiling, the
translation cost of a broadcast and the plain-language check's speed.

`python -m benchmarks.run translation plain` runs only the sections named.

Figures are printed, never asserted: speed is measured here, not in the tests.
"""

from __future__ import annotations

import asyncio
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from telegram import Bot
from telegram.ext import AIORateLimiter

from benchmarks import (
    calendar_lateness,
    calendar_plan,
    followup,
    plain_language,
    prikkel_delivery,
    taps,
    translation,
)
from benchmarks.harness import TOKEN, database, deps_for, joined_school, simulator_process
from oudersbot.bootstrap import Deps
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.services import messages
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.outbox import status_counts

GUARDIANS = 3000
LIMIT = 300.0
CEILING_GUARDIANS = 6000


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _errors_429(control_url: str) -> int:
    async with SimulatorClient(control_url) as client:
        stats = await client.stats()
    return int(stats.get("errors", {}).get("429", 0))


async def queue_broadcast(deps: Deps, control_url: str, guardians: int) -> None:
    """A school of joined guardians and one message to all of them in the outbox."""
    await joined_school(deps, control_url, guardians)
    groups = sorted({f"K{n // 25:03d}" for n in range(guardians)})
    draft = messages.prepare_message(
        deps, school="bench", groups=groups, template_id="turnkledij", slots={"datum": "2026-12-03"}
    )
    messages.send_message(deps, draft)


async def broadcast(
    kind: str, rate: float | None, guardians: int, sim_args: list[str]
) -> dict[str, float] | None:
    """Queue one message to every guardian and time the dispatcher draining it."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        async with simulator_process(*sim_args) as (base_url, control_url):
            deps = deps_for(db, Path(folder))
            await queue_broadcast(deps, control_url, guardians)
            request = AiohttpRequest(connection_pool_size=64)
            async with Bot(TOKEN, base_url=base_url, request=request) as bot:
                dispatcher = Dispatcher(db, TelegramSender(bot), deps.clock, rate=rate)
                started = time.perf_counter()
                stats = await dispatcher.drain()
                elapsed = time.perf_counter() - started
            with db.session() as session:
                counts = status_counts(session)
            return {
                "sent": stats.sent,
                "seconds": elapsed,
                "rate": stats.sent / elapsed,
                "errors_429": await _errors_429(control_url),
                "flood_waits": stats.flood_waits,
                "all_sent": float(counts == {"sent": guardians}),
            }


async def naive_baseline(guardians: int, limit: float) -> dict[str, float]:
    """The loop people write first: one awaited send after another, PTB's AIORateLimiter on top."""
    async with simulator_process("--global-rate", str(limit)) as (base_url, control_url):
        async with SimulatorClient(control_url) as client:
            chats = [await client.add_user(f"Ouder {n}") for n in range(guardians)]
        limiter = AIORateLimiter(overall_max_rate=limit, overall_time_period=1, max_retries=5)
        from telegram.ext import ExtBot

        async with ExtBot(TOKEN, base_url=base_url, rate_limiter=limiter) as bot:
            started = time.perf_counter()
            for chat in chats:
                await bot.send_message(chat, "Morgen is er turnen.")
            elapsed = time.perf_counter() - started
        return {
            "sent": guardians,
            "seconds": elapsed,
            "rate": guardians / elapsed,
            "errors_429": await _errors_429(control_url),
        }


async def two_workers(guardians: int) -> dict[str, float] | None:
    """The same outbox drained by two worker processes (PostgreSQL, FOR UPDATE SKIP LOCKED)."""
    with database("postgres") as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        unthrottled = ["--global-rate", "none", "--per-chat-rate", "none"]
        async with simulator_process(*unthrottled) as (base_url, control_url):
            deps = deps_for(db, Path(folder))
            await queue_broadcast(deps, control_url, guardians)
            url = db.engine.url.render_as_string(hide_password=False)
            started = time.perf_counter()
            workers = [
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "benchmarks.worker", url, base_url, stdout=subprocess.PIPE
                )
                for _ in range(2)
            ]
            outputs = [(await w.communicate())[0].decode() for w in workers]
            elapsed = time.perf_counter() - started
            sent = sum(int(out.split("sent=")[1].split()[0]) for out in outputs)
            with db.session() as session:
                counts = status_counts(session)
            return {
                "sent": sent,
                "seconds": elapsed,
                "rate": sent / elapsed,
                "errors_429": await _errors_429(control_url),
                "all_sent": float(counts == {"sent": guardians}),
            }


def line(label: str, result: dict[str, float] | None, limit: float | None = None) -> str:
    if result is None:
        return f"{label:<52} skipped (PostgreSQL not reachable)"
    ratio = f"  rate/limit {result['rate'] / limit:5.3f}" if limit else ""
    return (
        f"{label:<52} {result['sent']:>6.0f} msgs in {result['seconds']:6.2f} s = "
        f"{result['rate']:7.1f} msg/s{ratio}  429s {result['errors_429']:.0f}"
    )


async def broadcasts() -> None:
    """The outbox: paced against Telegram's limit, then its own ceiling."""
    print(
        f"Broadcast to {GUARDIANS} joined guardians, simulator limited to {LIMIT:.0f} msg/s"
        " (target rate/limit >= 0.95, 0 429s)"
    )
    paced = await broadcast("sqlite", LIMIT, GUARDIANS, ["--global-rate", str(LIMIT)])
    print(line("  oudersbot dispatcher (SQLite)", paced, LIMIT))
    naive = await naive_baseline(GUARDIANS, LIMIT)
    print(line("  naive loop + AIORateLimiter (baseline)", naive, LIMIT))
    print()
    print(
        f"Dispatcher ceiling, simulator unthrottled, {CEILING_GUARDIANS} guardians"
        " (target >= 1000 msg/s)"
    )
    unthrottled = ["--global-rate", "none", "--per-chat-rate", "none"]
    for kind in ("sqlite", "postgres"):
        result = await broadcast(kind, None, CEILING_GUARDIANS, unthrottled)
        print(line(f"  {kind}", result))
    print(line("  postgres, two worker processes", await two_workers(CEILING_GUARDIANS)))
    print(f"  peak RSS of the benchmark process: {peak_rss_mib():.0f} MiB")


def plain_check() -> None:
    """The plain-language check on a 1,000-word letter."""
    result = plain_language.run()
    print(
        f"Plain-language check, {result['words']:.0f}-word letter (target < 50 ms):"
        f" median {result['ms_per_letter_median']:.1f} ms,"
        f" p95 {result['ms_per_letter_p95']:.1f} ms"
        f" = {result['ms_per_letter_median'] / 50.0:.2f} of the limit"
    )


SECTIONS = (
    "broadcast",
    "translation",
    "plain",
    "followup",
    "taps",
    "prikkel",
    "calendar-plan",
    "calendar-late",
)


def main(argv: list[str]) -> None:
    """Run every section, or the ones named (see SECTIONS)."""
    wanted = argv or list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section {unknown[0]!r}; sections: {', '.join(SECTIONS)}")
    if "translation" in wanted:
        print("\n".join(translation.report()))
        print()
    if "plain" in wanted:
        plain_check()
        print()
    if "followup" in wanted:
        print("\n".join(followup.report()))
        print()
    if "taps" in wanted:
        print("\n".join(taps.report()))
        print()
    if "prikkel" in wanted:
        print("\n".join(prikkel_delivery.report()))
        print()
    if "calendar-plan" in wanted:
        print("\n".join(calendar_plan.report()))
        print()
    if "calendar-late" in wanted:
        print("\n".join(calendar_lateness.report()))
        print()
    if "broadcast" in wanted:
        asyncio.run(broadcasts())


if __name__ == "__main__":
    main(sys.argv[1:])
