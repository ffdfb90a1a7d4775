"""/metrics under a 3,000-guardian broadcast: a real `oudersbot worker` process serves it
(OUDERSBOT_METRICS_PORT) while it sends; Prometheus is played by a loop that scrapes it twice a
second until the queue depth falls to 0 and the delivered counter reaches every guardian."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import aiohttp
from prometheus_client.parser import text_string_to_metric_families

from benchmarks.figures import start_process, stop_process
from benchmarks.harness import (
    broadcast_now,
    database,
    deps_for,
    joined_school,
    oudersbot_command,
    sender_env,
    simulator_process,
)

GUARDIANS = 3000
LIMIT = 300.0
EVERY = 0.5
GIVE_UP = 120.0


@dataclass
class Scrapes:
    """What the scrapes saw."""

    count: int = 0
    failed: int = 0
    first_depth: float | None = None
    max_depth: float = 0.0
    depth: float | None = None
    delivered: float | None = None
    oldest_max: float = 0.0
    scrape_ms_max: float = 0.0
    seconds: float = 0.0
    healthz: int = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _values(text: str) -> dict[str, float]:
    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.labels.get("school") != "bench":
                continue
            status = sample.labels.get("status")
            if status and status != "sent":
                continue
            found[sample.name] = sample.value
    return found


async def _scrape_until_done(port: int, seen: Scrapes) -> None:
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while time.perf_counter() - started < GIVE_UP:
            asked = time.perf_counter()
            try:
                async with session.get(f"http://127.0.0.1:{port}/metrics") as response:
                    text = await response.text()
            except aiohttp.ClientError:
                seen.failed += 1  # the worker is still starting
                await asyncio.sleep(EVERY)
                continue
            seen.scrape_ms_max = max(seen.scrape_ms_max, (time.perf_counter() - asked) * 1000)
            values = _values(text)
            seen.count += 1
            seen.depth = values.get("oudersbot_queue_depth")
            seen.delivered = values.get("oudersbot_deliveries_total")
            if seen.first_depth is None:
                seen.first_depth = seen.depth
            seen.max_depth = max(seen.max_depth, seen.depth or 0)
            seen.oldest_max = max(seen.oldest_max, values.get("oudersbot_oldest_due_seconds", 0))
            if seen.depth == 0 and seen.delivered == GUARDIANS:
                async with session.get(f"http://127.0.0.1:{port}/healthz") as response:
                    seen.healthz = response.status
                break
            await asyncio.sleep(EVERY)
    seen.seconds = time.perf_counter() - started


async def run(kind: str) -> Scrapes | None:
    """Queue one message to 3,000 joined guardians, start a worker that serves /metrics."""
    with database(kind) as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        async with simulator_process("--global-rate", str(LIMIT)) as (base_url, control_url):
            deps = deps_for(db, folder)
            await joined_school(deps, control_url, GUARDIANS)
            broadcast_now(deps, GUARDIANS)
            port = _free_port()
            env = {
                **sender_env(db, folder, base_url, rate=LIMIT),
                "OUDERSBOT_METRICS_PORT": str(port),
            }
            seen = Scrapes()
            with (folder / "worker.log").open("wb") as log:
                process = await start_process([*oudersbot_command(), "worker"], env, log)
                try:
                    await _scrape_until_done(port, seen)
                finally:
                    with contextlib.suppress(ProcessLookupError):
                        await stop_process(process)
        return seen


def _line(kind: str, seen: Scrapes | None) -> str:
    if seen is None:
        return f"  {kind}: not measured (database not reachable)"
    return (
        f"  {kind}: {seen.count} scrapes in {seen.seconds:.1f} s ({seen.failed} before the"
        f" worker listened); queue depth {seen.first_depth:.0f} -> {seen.depth:.0f}"
        f" (max {seen.max_depth:.0f}), delivered {seen.delivered:.0f} of {GUARDIANS},"
        f" oldest due at most {seen.oldest_max:.1f} s, slowest scrape"
        f" {seen.scrape_ms_max:.0f} ms, /healthz {seen.healthz}"
    )


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [
        f"/metrics during a {GUARDIANS}-guardian broadcast by `oudersbot worker`"
        f" (simulator limited to {LIMIT:.0f} msg/s, a scrape every {EVERY} s):"
    ]
    for kind in ("sqlite", "postgres"):
        lines.append(_line(kind, asyncio.run(run(kind))))
    return lines
