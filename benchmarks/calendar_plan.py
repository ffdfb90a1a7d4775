"""Planning a whole school year: 200 calendar events for a school of 2,000 guardians in 80
classes, clock at the morning of 1 September 2026.

Measured on SQLite and on PostgreSQL: the first import (events stored, one planned-send row
per guardian and rule, month overviews included), a re-import of the same file (should add
nothing) and a re-import with 10 events moved to another day (their reminders move). Figures
are printed, never asserted.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import resource
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from benchmarks.harness import LANGUAGES, database
from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.domain.holidays import holidays, is_school_day
from oudersbot.services.calendar_import import ImportReport, import_calendar
from oudersbot.services.roster import import_roster
from oudersbot.settings import PACKAGE_DIR, Settings
from oudersbot.store.db import Database
from oudersbot.store.models import PlannedSend, PlannedStatus

BRUSSELS = ZoneInfo("Europe/Brussels")
GUARDIANS = 2000
PER_CLASS = 25  # 80 classes
EVENTS = 200
CHANGED = 10
NOW = dt.datetime(2026, 9, 1, 7, 45, tzinfo=BRUSSELS)
HEADER = "id;datum;uur;titel;klas;sjabloon;velden"

# (template, title, slot values, time or "" for all day); the class events cycle through these.
CLASS_KINDS = [
    ("zwemmen", "Zwemmen", "bedrag=2,50", "13:30"),
    ("uitstap", "Uitstap", "plaats=het Gravensteen in Gent", ""),
    ("oudercontact", "Oudercontact", "", "16:00"),
    ("theater", "Theater", "bedrag=4", "10:00"),
    ("", "Bezoek aan de bibliotheek", "", "09:00"),
    ("turnkledij", "Turnen", "", ""),
]
SCHOOL_KINDS = [
    ("vrije-dag", "Vrije dag", "", ""),
    ("studiedag", "Studiedag: geen school", "", ""),
    ("fotodag", "Fotodag", "", ""),
    ("sportdag", "Sportdag", "", ""),
    ("", "Schoolfeest", "", "14:00"),
    ("", "Infoavond", "", "19:00"),
]
SCHOOL_WIDE = 40  # of the 200 events; the rest is for one class


def school_days() -> list[dt.date]:
    """Every school day from 2 September 2026 to 30 June 2027 (Flemish holidays left out)."""
    off = holidays(2026)
    day, days = dt.date(2026, 9, 2), []
    while day <= dt.date(2027, 6, 30):
        if is_school_day(day, school_year_holidays=off):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def calendar_rows(moved: int = 0) -> list[str]:
    """The year's 200 events as CSV rows; the first `moved` class events a week later."""
    rng = random.Random(2026)  # noqa: S311 - a reproducible calendar, not secrecy
    days = school_days()
    classes = [f"K{n:03d}" for n in range(GUARDIANS // PER_CLASS)]
    # School-wide free days on their own days, so no class event falls on a day off.
    free_days = set(rng.sample(days, SCHOOL_WIDE))
    class_days = [day for day in days if day not in free_days]
    rows = []
    for n, day in enumerate(sorted(free_days)):
        template, title, slots, at = SCHOOL_KINDS[n % len(SCHOOL_KINDS)]
        rows.append(f"s{n};{day.isoformat()};{at};{title} {n};school;{template};{slots}")
    for n in range(EVENTS - SCHOOL_WIDE):
        template, title, slots, at = CLASS_KINDS[n % len(CLASS_KINDS)]
        index = rng.randrange(len(class_days) - 10)
        day = class_days[index + 5] if n < moved else class_days[index]
        group = classes[n % len(classes)]
        rows.append(f"c{n};{day.isoformat()};{at};{title} {group};{group};{template};{slots}")
    return rows


def write_calendar(folder: Path, name: str, moved: int = 0) -> Path:
    path = folder / name
    path.write_text("\n".join([HEADER, *calendar_rows(moved)]) + "\n", encoding="utf-8")
    return path


def school(db: Database, folder: Path) -> Deps:
    """2,000 guardians in 80 classes and 8 languages, the default reminder rules."""
    rules = folder / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = Settings.from_env(
        {
            "OUDERSBOT_DATA_DIR": str(folder),
            "OUDERSBOT_SCHOOL": "bench",
            "OUDERSBOT_SCHEDULER_DIR": str(rules),
        }
    )
    deps = bootstrap(settings, db=db, clock=FixedClock(NOW))
    lines = ["klas,kind,ouder,taal"]
    for n in range(GUARDIANS):
        lines.append(f"K{n // PER_CLASS:03d},Kind {n},Ouder {n},{LANGUAGES[n % len(LANGUAGES)]}")
    report = import_roster(deps, data="\n".join(lines).encode(), filename="r.csv", school="bench")
    assert report.ok, report.problems
    return deps


def planned_rows(deps: Deps) -> dict[str, int]:
    with deps.db.session() as session:
        counts = session.execute(
            select(PlannedSend.status, func.count()).group_by(PlannedSend.status)
        ).all()
    return {status: count for status, count in counts}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(deps: Deps, path: Path) -> tuple[ImportReport, float]:
    started = time.perf_counter()
    report = import_calendar(deps, school="bench", path=path)
    return report, time.perf_counter() - started


def run(kind: str) -> list[str] | None:
    """The three imports on one database; None when PostgreSQL is not reachable."""
    with database(kind) as db, tempfile.TemporaryDirectory() as tmp:
        if db is None:
            return None
        folder = Path(tmp)
        deps = school(db, folder)
        calendar = write_calendar(folder, "jaarkalender.csv")
        before = peak_rss_mib()
        lines = []
        first, seconds = timed(deps, calendar)
        rows = planned_rows(deps).get(PlannedStatus.PLANNED.value, 0)
        assert first.plan is not None
        lines.append(
            f"  first import   {first.added:>3} events, {first.plan.added:>7} planned rows"
            f" in {seconds:6.2f} s = {first.plan.added / seconds:8.0f} rows/s"
            f"  (planned now: {rows}; peak RSS {peak_rss_mib():.0f} MiB, {before:.0f} before)"
        )
        again, seconds = timed(deps, calendar)
        assert again.plan is not None
        lines.append(
            f"  same file      {again.unchanged:>3} unchanged, added {again.plan.added},"
            f" moved {again.plan.moved}, cancelled {again.plan.cancelled},"
            f" kept {again.plan.kept} in {seconds:6.2f} s"
            f" = {again.plan.kept / seconds:8.0f} rows/s checked"
        )
        # The same file name: the same source, so an event gone from it would be cancelled.
        changed = write_calendar(folder, "jaarkalender.csv", moved=CHANGED)
        edit, seconds = timed(deps, changed)
        assert edit.plan is not None
        touched = edit.plan.added + edit.plan.moved + edit.plan.cancelled
        lines.append(
            f"  {CHANGED} moved       {edit.changed:>3} changed, added {edit.plan.added},"
            f" moved {edit.plan.moved}, cancelled {edit.plan.cancelled},"
            f" kept {edit.plan.kept} in {seconds:6.2f} s ({touched} rows touched)"
        )
        lines.append(f"  planned rows by status: {planned_rows(deps)}")
        lines.append(f"  peak RSS of this process (one per database): {peak_rss_mib():.0f} MiB")
        return lines


def report() -> list[str]:
    """Lines for `make bench`."""
    out = [
        f"Calendar: planning a school year of {EVENTS} events ({SCHOOL_WIDE} school-wide)"
        f" for {GUARDIANS} guardians in {GUARDIANS // PER_CLASS} classes, clock {NOW:%d %B %Y}"
    ]
    # Each database in a fresh process, so the peak memory is that database's own.
    spawn = multiprocessing.get_context("spawn")
    for kind in ("sqlite", "postgres"):
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
            lines = pool.submit(run, kind).result()
        out.append(f" {kind}:")
        out.extend(lines if lines is not None else ["  skipped (PostgreSQL not reachable)"])
    return out


if __name__ == "__main__":
    print("\n".join(report()))
