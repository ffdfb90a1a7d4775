"""The liaison's follow-up list for a school of 2,000 guardians and 200 slips (5,000
deliveries, 1 % of them unconfirmed): time to build, p50 and p95.

Target: p95 under 50 ms on SQLite and PostgreSQL. Figures are printed, never asserted. The
slowest calls are those in which Python's full garbage collection runs (it walks every object
of the process); the second line per engine shows the same calls with the objects made before
them frozen (gc.freeze), as a long-running bot can do once after start-up.
`python -m benchmarks.run followup` runs only this.
"""

from __future__ import annotations

import gc
import math
import random
import tempfile
import time
from datetime import timedelta

from sqlalchemy import insert, select, text

from benchmarks.harness import database
from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.services import followup
from oudersbot.services.roster import import_roster
from oudersbot.services.viewers import Viewer
from oudersbot.settings import Settings
from oudersbot.store.models import (
    Child,
    Delivery,
    Group,
    GuardianChild,
    Message,
    Rendition,
    Reply,
)

GUARDIANS = 2000
SLIPS = 200
PER_CLASS = 25
ROUNDS = 100
WARM_UP = 3
UNCONFIRMED_SHARE = 0.01
TARGET_MS = 50.0
LANGUAGES = ["nl", "fr", "ar", "tr", "pl", "ro", "uk", "en"]


def build_school(deps: Deps) -> None:
    """GUARDIANS guardians with a child each, SLIPS slips of one class each, about 70 % of the
    children answered; each slip delivered to its class, a few deliveries unconfirmed."""
    rows = ["klas,kind,ouder,taal,telefoon"]
    rows += [
        f"K{n // PER_CLASS:03d},Kind {n},Ouder {n},{LANGUAGES[n % 8]},0470{n:06d}"
        for n in range(GUARDIANS)
    ]
    report = import_roster(deps, data="\n".join(rows).encode(), filename="b.csv", school="bench")
    assert report.ok, report.problems
    rng = random.Random(7)
    now = deps.clock.now()
    with deps.db.session() as session:
        groups = list(session.execute(select(Group.id, Group.name)).all())
        families = {
            gid: session.execute(
                select(Child.id, GuardianChild.guardian_id)
                .join(GuardianChild, GuardianChild.child_id == Child.id)
                .where(Child.group_id == gid)
            ).all()
            for gid, _ in groups
        }
        slip_rows = [
            {
                "school_id": 1,
                "kind": "slip",
                "text_nl": f"Strookje {n}",
                "pictogram": "slip",
                "category": "slip",
                "audience": {"groups": [groups[n % len(groups)][1]]},
                "created_at": now,
                "answers": ["yes", "no"],
                "deadline": now + timedelta(days=3),
                "slots": {},
            }
            for n in range(SLIPS)
        ]
        ids = list(session.scalars(insert(Message).returning(Message.id), slip_rows))
        renditions = list(
            session.scalars(
                insert(Rendition).returning(Rendition.id),
                [{"message_id": m, "language": "nl", "origin": "human", "parts": []} for m in ids],
            )
        )
        replies, deliveries = [], []
        for n, (message_id, rendition_id) in enumerate(zip(ids, renditions, strict=True)):
            for child_id, guardian_id in families[groups[n % len(groups)][0]]:
                unsure = rng.random() < UNCONFIRMED_SHARE
                deliveries.append(
                    {
                        "school_id": 1,
                        "message_id": message_id,
                        "guardian_id": guardian_id,
                        "rendition_id": rendition_id,
                        "status": "unconfirmed" if unsure else "sent",
                        "attempts": 1,
                        "send_started_at": now if unsure else None,
                        "sent_at": None if unsure else now,
                    }
                )
                if rng.random() < 0.7:
                    replies.append(
                        {
                            "school_id": 1,
                            "message_id": message_id,
                            "child_id": child_id,
                            "answer": rng.choice(["yes", "no"]),
                            "source": "button",
                            "received_at": now,
                        }
                    )
        session.execute(insert(Delivery), deliveries)
        session.execute(insert(Reply), replies)


def run(kind: str) -> dict[str, float] | None:
    """Build the liaison's list (what `oudersbot followup list` and /opvolgen ask for) ROUNDS
    times after WARM_UP rounds, as the process is and then with the objects made so far
    frozen (gc.freeze); p50 and p95 in ms, and how many full garbage collections ran during
    the rounds."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        settings = Settings.from_env({"OUDERSBOT_DATA_DIR": folder, "OUDERSBOT_SCHOOL": "bench"})
        deps = bootstrap(settings, db=db)
        build_school(deps)
        if kind == "postgres":  # what autovacuum does soon after a bulk load
            with deps.db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        liaison = Viewer(1, "liaison")
        for _ in range(WARM_UP):
            overview = followup.followup_overview(deps, liaison)
        result: dict[str, float] = {
            "items": len(overview.items),
            "unconfirmed": len(overview.unconfirmed),
        }
        for label in ("", "frozen_"):
            if label:
                gc.collect()
                gc.freeze()
            full_passes = 0

            def count(phase: str, info: dict[str, int]) -> None:
                nonlocal full_passes
                full_passes += phase == "start" and info["generation"] == 2

            gc.callbacks.append(count)
            times = []
            for _ in range(ROUNDS):
                started = time.perf_counter()
                overview = followup.followup_overview(deps, liaison)
                times.append((time.perf_counter() - started) * 1000)
            gc.callbacks.remove(count)
            gc.unfreeze()
            result |= {
                f"{label}p50_ms": percentile(times, 50),
                f"{label}p95_ms": percentile(times, 95),
                f"{label}full_gc": full_passes,
            }
        return result


def percentile(times: list[float], p: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [
        f"Follow-up list, {GUARDIANS} guardians, {SLIPS} slips, {ROUNDS} rounds"
        f" (target p95 < {TARGET_MS:.0f} ms)"
    ]
    for kind in ("sqlite", "postgres"):
        result = run(kind)
        if result is None:
            lines.append(f"  {kind:<9} skipped (PostgreSQL not reachable)")
            continue
        lines.append(
            f"  {kind:<9} {result['items']:.0f} children and {result['unconfirmed']:.0f}"
            f" unconfirmed deliveries to follow up: p50 {result['p50_ms']:.1f} ms,"
            f" p95 {result['p95_ms']:.1f} ms = {result['p95_ms'] / TARGET_MS:.2f} of the limit"
            f" ({result['full_gc']:.0f} full GC passes during the rounds)"
        )
        lines.append(
            f"  {'':<9} with start-up objects frozen (gc.freeze): p50"
            f" {result['frozen_p50_ms']:.1f} ms, p95 {result['frozen_p95_ms']:.1f} ms"
            f" ({result['frozen_full_gc']:.0f} full GC passes)"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
