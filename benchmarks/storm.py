"""A fault storm on a broadcast of a three-part letter: what each parent and chat went through.

1,500 guardians get a letter in three parts (each language version has three parts), put in
through the outbox's door. The simulator (300 msg/s, 1 msg/s per chat) storms every request to
a chat: 429 with retry_after 1 s (3%), the user blocks the bot (2%), chat not found (1%), the
connection dropped before the request is carried out (2%) or after it, the answer lost (3%).
The sender is driven in-process, as `oudersbot dispatch` does, again and again until nothing is
pending: retries are due later (the backoff, the retry_after).
Targets, from the simulator's ledger: 0 parents who received a part twice, 0 requests to a chat
before the retry_after of its 429, 0 requests to a chat after a 403 or "chat not found"; every
guardian ends sent, unreachable or unconfirmed. Figures are printed, never asserted.
`python -m benchmarks.storm` runs this section alone.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.figures import (
    UNSETTLED,
    after_gone,
    early_after_429,
    received_twice,
    statuses,
)
from benchmarks.harness import TOKEN, database, deps_for, joined_school, simulator_process
from oudersbot.bootstrap import Deps, sending
from oudersbot.delivery.door import SendKind
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.models import DEFAULT_BOT

GUARDIANS = 1500
LIMIT = 300.0
SEND_RATE = 290.0
SEED = 2026
STORM: dict[str, Any] = {
    "p_429": 0.03,
    "retry_after": 1,
    "p_403": 0.02,
    "p_chat_not_found": 0.01,
    "p_drop_before": 0.02,
    "p_drop_after": 0.03,
}
GIVE_UP = 600.0  # seconds for everything to settle
ENDED = ("sent", "unreachable", "unconfirmed")


def three_part_letter(deps: Deps, guardians: int) -> int:
    """Put a letter of three parts in every language to the whole school through the door."""
    groups = sorted({f"K{n // 25:03d}" for n in range(guardians)})
    draft = messages.prepare_message(
        deps, school="bench", groups=groups, text="Brief over de schooluitstap naar de zoo."
    )
    content = messages.content_of(draft, created_by=None)
    versions = {
        language: dataclasses.replace(
            version,
            parts=tuple(
                f"{version.parts[0]}\n\n({n}/3) " + "Lees dit deel rustig. " * 20 * n
                for n in (1, 2, 3)
            ),
        )
        for language, version in content.versions.items()
    }
    with deps.db.session() as session:
        posted = deps.outbox.put(
            session,
            school_id=draft.school_id,
            content=dataclasses.replace(content, versions=versions),
            to=draft.recipients,
            kind=SendKind.MESSAGE,
            urgency=Urgency.NOW,
        )
    return posted.message_id


async def run(guardians: int = GUARDIANS) -> dict[str, Any]:
    """The storm, the sending until nothing is pending, then the ledger."""
    with database("sqlite") as db, tempfile.TemporaryDirectory() as tmp:
        assert db is not None
        async with simulator_process("--global-rate", str(LIMIT)) as (base_url, control_url):
            deps = deps_for(db, Path(tmp))
            await joined_school(deps, control_url, guardians)
            three_part_letter(deps, guardians)
            # The sender's warnings (every 429, every lost answer) are the storm's expected noise.
            logging.getLogger("oudersbot.delivery").setLevel(logging.ERROR)
            async with SimulatorClient(control_url) as client:
                await client.storm(method="*", seed=SEED, **STORM)
                started = time.monotonic()
                drains = 0
                async with sending(
                    deps,
                    role="dispatch",
                    tokens={DEFAULT_BOT: TOKEN},
                    base_url=base_url,
                    rate=SEND_RATE,
                ) as worker:
                    await worker.start(exclusive=True)
                    while time.monotonic() - started < GIVE_UP:
                        await worker.drain()
                        drains += 1
                        counts = await asyncio.to_thread(statuses, db)
                        if not any(counts.get(status, 0) for status in UNSETTLED):
                            break
                        await asyncio.sleep(0.5)  # the next retry is not due yet
                seconds = time.monotonic() - started
                dealt = (await client.storms())[0]["counts"]
                ledger = await client.ledger()
                stats = await client.stats()
        return {
            "seconds": seconds,
            "drains": drains,
            "statuses": statuses(db),
            "dealt": dealt,
            "twice": received_twice(ledger),
            "early": early_after_429(ledger),
            "after_gone": after_gone(ledger),
            "parts": sum(len(chat["received"]) for chat in ledger.values()),
            "errors": stats.get("errors", {}),
        }


def report() -> list[str]:
    """Lines for `make bench`."""
    result = asyncio.run(run())
    counts = result["statuses"]
    ended = sum(counts.get(status, 0) for status in ENDED)
    others = {s: n for s, n in counts.items() if s not in ENDED}
    return [
        f"Fault storm (seed {SEED}: {STORM}) on a {GUARDIANS}-guardian broadcast of a three-part"
        f" letter, simulator at {LIMIT:.0f} msg/s (targets 0, 0, 0; every guardian ended)",
        f"  received a part twice: {result['twice']} parents; requests before a 429's"
        f" retry_after: {result['early']}; requests after a 403 or chat not found:"
        f" {result['after_gone']}",
        f"  outbox: sent={counts.get('sent', 0)} unreachable={counts.get('unreachable', 0)}"
        f" unconfirmed={counts.get('unconfirmed', 0)} other={sum(others.values())}"
        + (f" {others}" if others else "")
        + f"; {ended}/{GUARDIANS} ended ({ended / GUARDIANS:.2f} of the target)",
        f"  the storm dealt {result['dealt']}; error answers {result['errors']};"
        f" {result['parts']} parts arrived; settled in {result['seconds']:.1f} s,"
        f" {result['drains']} drains",
    ]


if __name__ == "__main__":
    print("\n".join(report()))
