"""Parents tapping, from a process of their own: `python -m benchmarks.tapper CONTROL_URL
TARGETS.json WINDOW` taps each (chat, message, data) spread over WINDOW seconds and prints the
callback query ids as JSON."""

from __future__ import annotations

import asyncio
import json
import sys
import time

from oudersbot.simulator.client import SimulatorClient


async def tap_all(control_url: str, targets: list[list[object]], window: float) -> list[str]:
    """Tap every target, evenly spread over the window."""
    gap = window / max(1, len(targets))
    started = time.monotonic()
    ids = []
    async with SimulatorClient(control_url) as client:
        for n, (chat_id, message_id, data) in enumerate(targets):
            ids.append(await client.tap(int(str(chat_id)), int(str(message_id)), str(data)))
            pause = started + (n + 1) * gap - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
    return ids


if __name__ == "__main__":
    with open(sys.argv[2], encoding="utf-8") as handle:
        work = json.load(handle)
    began = time.monotonic()
    query_ids = asyncio.run(tap_all(sys.argv[1], work, float(sys.argv[3])))
    print(json.dumps({"ids": query_ids, "seconds": time.monotonic() - began}))
