"""`make bench`: broadcast pace against Telegram's limit (one process, several worker
processes and bots), the sender's own ceiling and memory, SIGKILLs and a fault storm during a
broadcast, the translation cost of a broadcast, the plain-language check's speed, taps, prikkels,
the follow-up list, the calendar, a roster import, erasing a guardian, a parent's question
to the teacher and back, and 'Begrepen' / 'Uitleg graag'.

`python -m benchmarks.run translation plain` runs only the sections named.

Figures are printed, never asserted: speed is measured here, not in the tests.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from telegram import Bot
from telegram.ext import AIORateLimiter

from benchmarks import (
    calendar_lateness,
    calendar_plan,
    ceiling,
    conversation,
    desk,
    flood,
    followup,
    install,
    kills,
    metrics,
    plain_language,
    prikkel_delivery,
    privacy,
    roster,
    run_start,
    sheet,
    speech,
    storm,
    taps,
    translation,
    understanding,
    workers,
)
from benchmarks.harness import (
    TOKEN,
    broadcast_now,
    database,
    deps_for,
    joined_school,
    simulator_process,
)
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.dispatcher import Dispatcher
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.outbox import status_counts

GUARDIANS = 3000
LIMIT = 300.0
TARGET = 0.95


async def _errors_429(control_url: str) -> int:
    async with SimulatorClient(control_url) as client:
        stats = await client.stats()
    return int(stats.get("errors", {}).get("429", 0))


async def broadcast(
    kind: str, rate: float | None, guardians: int, sim_args: list[str]
) -> dict[str, float] | None:
    """Queue one message to every guardian and time the dispatcher draining it."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        async with simulator_process(*sim_args) as (base_url, control_url):
            deps = deps_for(db, Path(folder))
            await joined_school(deps, control_url, guardians)
            broadcast_now(deps, guardians)
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


def line(label: str, result: dict[str, float] | None, limit: float | None = None) -> str:
    if result is None:
        return f"{label:<52} skipped (PostgreSQL not reachable)"
    ratio = ""
    if limit:
        share = result["rate"] / limit
        ratio = f"  rate/limit {share:5.3f} ({share / TARGET:.2f} of the target)"
    return (
        f"{label:<52} {result['sent']:>6.0f} msgs in {result['seconds']:6.2f} s = "
        f"{result['rate']:7.1f} msg/s{ratio}  429s {result['errors_429']:.0f}"
    )


async def broadcasts() -> list[str]:
    """The outbox paced against Telegram's limit, next to the naive loop."""
    paced = await broadcast("sqlite", LIMIT, GUARDIANS, ["--global-rate", str(LIMIT)])
    naive = await naive_baseline(GUARDIANS, LIMIT)
    return [
        f"Broadcast to {GUARDIANS} joined guardians, simulator limited to {LIMIT:.0f} msg/s"
        f" (target rate/limit >= {TARGET}, 0 429s)",
        line("  oudersbot dispatcher (SQLite)", paced, LIMIT),
        line("  naive loop + AIORateLimiter (baseline)", naive, LIMIT),
    ]


def plain_report() -> list[str]:
    """The plain-language check on a 1,000-word letter, and held against an editor."""
    result = plain_language.run()
    return [
        f"Plain-language check, {result['words']:.0f}-word letter (target < 50 ms):"
        f" median {result['ms_per_letter_median']:.1f} ms,"
        f" p95 {result['ms_per_letter_p95']:.1f} ms"
        f" = {result['ms_per_letter_median'] / 50.0:.2f} of the limit",
        *plain_language.agreement_report(),
    ]


def broadcast_report() -> list[str]:
    """Lines for `make bench`: the paced broadcast, next to the naive loop."""
    return asyncio.run(broadcasts())


SECTIONS: dict[str, Callable[[], list[str]]] = {
    "broadcast": broadcast_report,
    "workers": workers.report,
    "ceiling": ceiling.report,
    "kills": kills.report,
    "storm": storm.report,
    "translation": translation.report,
    "plain": plain_report,
    "followup": followup.report,
    "desk": desk.report,
    "taps": taps.report,
    "flood": flood.report,
    "understanding": understanding.report,
    "prikkel": prikkel_delivery.report,
    "calendar-plan": calendar_plan.report,
    "calendar-late": calendar_lateness.report,
    "roster": roster.report,
    "privacy": privacy.report,
    "install": install.report,
    "metrics": metrics.report,
    "run_start": run_start.report,
    "sheet": sheet.report,
    "conversation": conversation.report,
    "speech": speech.report,
}


def main(argv: list[str]) -> None:
    """Run every section, or the ones named (see SECTIONS), in the order named."""
    wanted = argv or list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise SystemExit(f"unknown section {unknown[0]!r}; sections: {', '.join(SECTIONS)}")
    for name in wanted:
        print("\n".join(SECTIONS[name]()), end="\n\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
