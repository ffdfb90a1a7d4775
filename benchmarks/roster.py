"""Importing a school's roster as an Excel file: 2,000 guardians, each with a child (a tenth of
them with two, and every class with a pair of siblings), with the school's pupil and parent
ids and a phone each; then the same file again, which must change nothing, and the same file
as the complete list (--volledig). Wall time per import, on SQLite and PostgreSQL.

Figures are printed, never asserted. `python -m benchmarks.run roster` runs only this.
"""

from __future__ import annotations

import io
import tempfile
import time

from openpyxl import Workbook

from benchmarks.harness import database
from oudersbot.bootstrap import bootstrap
from oudersbot.services.roster import Scope, import_roster
from oudersbot.settings import Settings

GUARDIANS = 2000
PER_CLASS = 25
LANGUAGES = ["nl", "fr", "ar", "tr", "pl", "ro", "uk", "en"]


def workbook() -> tuple[bytes, int]:
    """The roster as an .xlsx made with openpyxl, and its number of data rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Leerlingen"
    sheet.append(
        ["Leerling ID", "Klas", "Voornaam leerling", "Contact ID", "Naam ouder", "Taal", "GSM"]
    )
    rows = 0
    for n in range(GUARDIANS):
        group = f"K{n // PER_CLASS:03d}"
        language = LANGUAGES[n % len(LANGUAGES)]
        phone = f"0470 {n // 10000:02d} {n % 10000:04d}"
        sheet.append([10000 + n, group, f"Kind {n}", 50000 + n, f"Ouder {n}", language, phone])
        rows += 1
        if n % 10 == 0:  # a second child of the same parent, in another class
            sibling = f"K{(n // PER_CLASS + 1) % (GUARDIANS // PER_CLASS):03d}"
            sheet.append(
                [20000 + n, sibling, f"Broer {n}", 50000 + n, f"Ouder {n}", language, phone]
            )
            rows += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), rows


def run(kind: str, data: bytes) -> dict[str, float] | None:
    """Import the file three times: new, again, again as the complete list."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        settings = Settings.from_env({"OUDERSBOT_DATA_DIR": folder, "OUDERSBOT_SCHOOL": "bench"})
        deps = bootstrap(settings, db=db)
        result: dict[str, float] = {}
        for label, scope in (
            ("first", Scope.PART),
            ("again", Scope.PART),
            ("complete", Scope.SCHOOL),
        ):
            started = time.perf_counter()
            report = import_roster(
                deps, data=data, filename="leerlingen.xlsx", school="bench", scope=scope
            )
            result[f"{label}_s"] = time.perf_counter() - started
            assert report.changes is not None, report.problems
            result[f"{label}_changes"] = report.changes.changes
            result["children"] = report.changes.children
            result["guardians"] = report.changes.guardians
        return result


def report() -> list[str]:
    """Lines for `make bench`."""
    data, rows = workbook()
    lines = [
        f"Roster import, {GUARDIANS} guardians as .xlsx ({rows} rows, {len(data) // 1024} KiB,"
        " pupil and parent ids, phones to E.164)"
    ]
    for kind in ("sqlite", "postgres"):
        result = run(kind, data)
        if result is None:
            lines.append(f"  {kind:<9} skipped (PostgreSQL not reachable)")
            continue
        lines.append(
            f"  {kind:<9} first import {result['first_s']:.2f} s"
            f" ({result['children']:.0f} children, {result['guardians']:.0f} guardians);"
            f" same file again {result['again_s']:.2f} s, {result['again_changes']:.0f} changes;"
            f" again as the complete list {result['complete_s']:.2f} s,"
            f" {result['complete_changes']:.0f} changes"
        )
    return lines
