"""Erasing a guardian with two school years of history, in a school of 500 families: a slip and
a prikkel to everyone every week (80 weeks: 80,000 deliveries), and for our guardian an answer
for two children, a free text and a tap every week and a follow-up every fourth week.

Prints the time of `privacy erase` (the service the CLI calls: every table, the audit entry, one
transaction) for that guardian, the median over 20 ordinary guardians of the same school, the
export of the full guardian before it, and retention's preview and run a school year later.
Figures, never assertions. `python -m benchmarks.run privacy` runs only this.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, text
from tests.privacy_history import build_school

from benchmarks.harness import database
from oudersbot.bootstrap import bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import privacy, retention
from oudersbot.settings import Settings
from oudersbot.store.models import Guardian

BRUSSELS = ZoneInfo("Europe/Brussels")
START = datetime(2024, 9, 2, 9, 0, tzinfo=BRUSSELS)
NOW = datetime(2026, 6, 15, 9, 0, tzinfo=BRUSSELS)
FAMILIES = 500
WEEKS = 80
ORDINARY = 20


def run(kind: str) -> dict[str, float] | None:
    """Build the school, then time the export, the erasures and retention."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        settings = Settings.from_env({"OUDERSBOT_DATA_DIR": folder, "OUDERSBOT_SCHOOL": "demo"})
        clock = FixedClock(NOW)
        deps = bootstrap(settings, db=db, clock=clock)
        started = time.perf_counter()
        with deps.db.session() as session:
            family = build_school(session, start=START, weeks=WEEKS, others=FAMILIES)
        built = time.perf_counter() - started
        if kind == "postgres":
            with deps.db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        school = family.school_id
        started = time.perf_counter()
        privacy.export_guardian(deps, school_id=school, guardian_id=family.guardian_id, actor="b")
        exported = time.perf_counter() - started
        started = time.perf_counter()
        report = privacy.erase_guardian(
            deps, school_id=school, guardian_id=family.guardian_id, actor="bench"
        )
        erased = time.perf_counter() - started
        with deps.db.session() as session:
            others = list(
                session.scalars(
                    select(Guardian.id)
                    .where(Guardian.name.like("Ouder %"))
                    .order_by(Guardian.id)
                    .limit(ORDINARY)
                )
            )
        times = []
        for guardian_id in others:
            started = time.perf_counter()
            privacy.erase_guardian(deps, school_id=school, guardian_id=guardian_id, actor="bench")
            times.append(time.perf_counter() - started)
        clock.advance(datetime(2026, 9, 1, 6, 0, tzinfo=BRUSSELS) + timedelta(days=365) - NOW)
        started = time.perf_counter()
        preview = retention.preview(deps, school_id=school)
        previewed = time.perf_counter() - started
        started = time.perf_counter()
        totals = retention.apply(deps, school_id=school, actor="bench")
        applied = time.perf_counter() - started
        return {
            "built_s": built,
            "deliveries": float(report.counts["deliveries"]),
            "replies": float(report.counts["replies"]),
            "export_ms": exported * 1000,
            "erase_ms": erased * 1000,
            "ordinary_ms": statistics.median(times) * 1000,
            "preview_ms": previewed * 1000,
            "messages": float(preview.history.messages),
            "apply_s": applied,
            "deleted_deliveries": float(totals.get("deliveries", 0)),
        }


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [
        f"Privacy: erase a guardian with two school years of history ({FAMILIES} families,"
        f" {WEEKS} weeks of a slip and a prikkel to all)"
    ]
    for kind in ("sqlite", "postgres"):
        r = run(kind)
        if r is None:
            lines.append(f"  {kind:<9} skipped (PostgreSQL not reachable)")
            continue
        lines.append(
            f"  {kind:<9} erase {r['erase_ms']:.0f} ms ({r['deliveries']:.0f} deliveries,"
            f" {r['replies']:.0f} answers kept as counts); an ordinary guardian"
            f" {r['ordinary_ms']:.0f} ms (median of {ORDINARY}); export {r['export_ms']:.0f} ms"
        )
        lines.append(
            f"  {'':<9} retention a school year later: preview {r['preview_ms']:.0f} ms,"
            f" run {r['apply_s']:.1f} s ({r['messages']:.0f} messages,"
            f" {r['deleted_deliveries']:.0f} deliveries); school built in {r['built_s']:.1f} s"
        )
    return lines
