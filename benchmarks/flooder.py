"""One chat floods while other parents tap and ask, from a process of their own:
`python -m benchmarks.flooder CONTROL_URL WORK.json` reads {"flood": chat, "count": N,
"window": S, "taps": [[chat, message, data], ...], "askers": [chat, ...]}, runs the three
side by side, each spread evenly over the window, and prints JSON: the callback query ids,
each asker's (chat, monotonic send time) and the seconds it took."""

from __future__ import annotations

import asyncio
import json
import sys
import time
from collections.abc import Awaitable, Callable

from oudersbot.simulator.client import SimulatorClient


async def _spread(count: int, window: float, act: Callable[[int], Awaitable[None]]) -> None:
    gap = window / max(1, count)
    started = time.monotonic()
    for n in range(count):
        await act(n)
        pause = started + (n + 1) * gap - time.monotonic()
        if pause > 0:
            await asyncio.sleep(pause)


async def run(control_url: str, work: dict[str, object]) -> dict[str, object]:
    """The flood, the taps and the questions, side by side."""
    flood = int(str(work["flood"]))
    count = int(str(work["count"]))
    window = float(str(work["window"]))
    taps = list(work["taps"])  # type: ignore[call-overload]
    askers = [int(a) for a in work["askers"]]  # type: ignore[attr-defined]
    ids: list[str] = []
    asked: list[tuple[int, float]] = []
    async with SimulatorClient(control_url) as client:

        async def flood_one(n: int) -> None:
            await client.send_text(flood, f"Bericht {n + 1} van de ouder die blijft typen")

        async def tap_one(n: int) -> None:
            chat, message, data = taps[n]
            ids.append(await client.tap(int(chat), int(message), str(data)))

        async def ask_one(n: int) -> None:
            asked.append((askers[n], time.monotonic()))
            await client.send_text(askers[n], "Is er morgen turnen?")

        began = time.monotonic()
        await asyncio.gather(
            _spread(count, window, flood_one),
            _spread(len(taps), window, tap_one),
            _spread(len(askers), window, ask_one),
        )
    return {"ids": ids, "asked": asked, "seconds": time.monotonic() - began}


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as handle:
        job = json.load(handle)
    print(json.dumps(asyncio.run(run(sys.argv[1], job))))
