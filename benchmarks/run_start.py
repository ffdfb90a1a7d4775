"""`oudersbot run` from start to its first poll: the process as the IT person starts it, with
one bot and with three (one Application per bot in one process), against the simulator.

Timed from spawning the process until every bot has called getUpdates once: a fresh SQLite
database (the migrations run first) and the same database again (already migrated).

Figures are printed, never asserted: speed is measured here, not in the tests.
Run: python -m benchmarks.run run_start
"""

from __future__ import annotations

import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from oudersbot.simulator import Simulator, SimulatorConfig

TOKEN = "123456:BENCH-start"
ROUNDS = 5


async def _first_poll(sim: Simulator, env: dict[str, str]) -> float:
    """Seconds from spawning `oudersbot run` to every bot's first getUpdates; then SIGTERM."""
    for bot in sim.bots:
        bot.reset_stats()
    started = time.perf_counter()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "oudersbot.cli",
        "run",
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        while not all(bot.stats.requests.get("getUpdates") for bot in sim.bots):
            if process.returncode is not None:
                _, err = await process.communicate()
                raise RuntimeError(f"oudersbot run stopped: {err.decode()[-500:]}")
            await asyncio.sleep(0.005)
        return time.perf_counter() - started
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 60)


async def _measure(bots: int) -> tuple[list[float], list[float]]:
    config = SimulatorConfig(bot_token=TOKEN).with_bots(bots)
    fresh, again = [], []
    async with Simulator(config) as sim:
        extra = ",".join(f"b{n}={token}" for n, token in enumerate(config.extra_bot_tokens, 2))
        for _ in range(ROUNDS):
            with tempfile.TemporaryDirectory() as folder:
                env = {
                    **os.environ,
                    "DATABASE_URL": f"sqlite:///{Path(folder) / 'school.sqlite3'}",
                    "OUDERSBOT_DATA_DIR": folder,
                    "TELEGRAM_BOT_TOKEN": TOKEN,
                    "OUDERSBOT_EXTRA_BOTS": extra,
                    "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url,
                    "OUDERSBOT_METRICS_PORT": "0",
                }
                fresh.append(await _first_poll(sim, env))
                again.append(await _first_poll(sim, env))
    return fresh, again


def report() -> list[str]:
    """One line per number of bots."""
    lines = [f"run_start: `oudersbot run` to every bot's first getUpdates ({ROUNDS} starts)"]
    for bots in (1, 3):
        fresh, again = asyncio.run(_measure(bots))
        lines.append(
            f"  {bots} bot(s): fresh database (migrations included) median "
            f"{statistics.median(fresh):.2f} s, best {min(fresh):.2f} s; already migrated median "
            f"{statistics.median(again):.2f} s, best {min(again):.2f} s"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
