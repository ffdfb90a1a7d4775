"""The liaison's follow-up list for a school of 2,000 guardians and 200 slips: time to build.

Target: under 50 ms on SQLite and PostgreSQL. Figures are printed, never asserted.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import timedelta

from sqlalchemy import insert, select, text

from benchmarks.harness import database
from oudersbot.bootstrap import bootstrap
from oudersbot.services import slips
from oudersbot.services.roster import import_roster
from oudersbot.settings import Settings
from oudersbot.store.models import Child, Group, Message, Reply

GUARDIANS = 2000
SLIPS = 200
PER_CLASS = 25
ROUNDS = 20
TARGET_MS = 50.0
LANGUAGES = ["nl", "fr", "ar", "tr", "pl", "ro", "uk", "en"]


def run(kind: str) -> dict[str, float] | None:
    """Build the list ROUNDS times after one warm-up; median and p95 in ms."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        settings = Settings.from_env({"OUDERSBOT_DATA_DIR": folder, "OUDERSBOT_SCHOOL": "bench"})
        deps = bootstrap(settings, db=db)
        rows = ["klas,kind,ouder,taal,telefoon"]
        rows += [
            f"K{n // PER_CLASS:03d},Kind {n},Ouder {n},{LANGUAGES[n % 8]},0470{n:06d}"
            for n in range(GUARDIANS)
        ]
        report = import_roster(
            deps, data="\n".join(rows).encode(), filename="b.csv", school="bench"
        )
        assert report.ok, report.problems
        rng = random.Random(7)
        now = deps.clock.now()
        with deps.db.session() as session:
            groups = list(session.execute(select(Group.id, Group.name)).all())
            children = {
                gid: list(session.scalars(select(Child.id).where(Child.group_id == gid)))
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
            replies = []
            for n, message_id in enumerate(ids):
                for child_id in children[groups[n % len(groups)][0]]:
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
            session.execute(insert(Reply), replies)
        if kind == "postgres":  # what autovacuum does soon after a bulk load
            with deps.db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        liaison = slips.Viewer(1, "liaison")
        items = slips.followup_list(deps, liaison)
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            items = slips.followup_list(deps, liaison)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        return {
            "items": len(items),
            "median_ms": statistics.median(times),
            "p95_ms": times[int(len(times) * 0.95) - 1],
        }


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [f"Follow-up list, {GUARDIANS} guardians, {SLIPS} slips (target < {TARGET_MS:.0f} ms)"]
    for kind in ("sqlite", "postgres"):
        result = run(kind)
        if result is None:
            lines.append(f"  {kind:<9} skipped (PostgreSQL not reachable)")
            continue
        lines.append(
            f"  {kind:<9} {result['items']:.0f} children to follow up:"
            f" median {result['median_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms"
            f" = {result['median_ms'] / TARGET_MS:.2f} of the limit"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
