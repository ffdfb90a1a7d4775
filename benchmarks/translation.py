"""Translation cost of a broadcast: provider calls and added time, with a 200 ms stub provider.

A message to 1,000 guardians in 12 languages besides Dutch should cost 12 provider calls, and
sending it again none (the translation memory). The provider is deep-translator's MyMemory,
routed through a proxy to oudersbot's local stub, which waits 200 ms per call.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.harness import database
from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.services import messages
from oudersbot.services.roster import import_roster
from oudersbot.settings import Settings
from oudersbot.simulator.translator import MyMemoryStub
from oudersbot.store.db import Database
from oudersbot.translation.machine import MachineTranslator, NoTranslator, Translator

GUARDIANS = 1000
LATENCY = 0.2
LANGUAGES = ["nl", "fr", "en", "ar", "tr", "pl", "ro", "uk", "bg", "ru", "es", "pt", "so"]
TEXT = (
    "Vrijdag is er geen school. De leerkrachten volgen een opleiding. "
    "Uw kind blijft thuis. De opvang is open van 07:00 tot 18:00."
)


def _school(db: Database, folder: Path, translator: Translator) -> Deps:
    settings = Settings.from_env({"OUDERSBOT_DATA_DIR": str(folder), "OUDERSBOT_SCHOOL": "bench"})
    deps = bootstrap(settings, db=db, translator=translator)
    rows = ["klas,kind,ouder,taal"]
    rows += [f"K{n // 25:03d},Kind {n},Ouder {n},{LANGUAGES[n % 13]}" for n in range(GUARDIANS)]
    report = import_roster(deps, data="\n".join(rows).encode(), filename="b.csv", school="bench")
    assert report.ok, report.problems
    return deps


def _prepare(deps: Deps) -> float:
    groups = sorted({f"K{n // 25:03d}" for n in range(GUARDIANS)})
    started = time.perf_counter()
    messages.prepare_message(deps, school="bench", groups=groups, text=TEXT)
    return time.perf_counter() - started


def run(kind: str = "sqlite", concurrency: int = 4) -> dict[str, float] | None:
    """Calls and seconds for the first send and a resend, and the same without translation."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        with MyMemoryStub(latency=LATENCY) as stub:
            translator = MachineTranslator("mymemory", proxy=stub.proxy, concurrency=concurrency)
            deps = _school(db, Path(folder), translator)
            first = _prepare(deps)
            first_calls = len(stub.state.calls)
            again = _prepare(deps)
            resend_calls = len(stub.state.calls) - first_calls
            untranslated = bootstrap(deps.settings, db=db, translator=NoTranslator())
            plain = _prepare(untranslated)
            return {
                "first_calls": first_calls,
                "resend_calls": resend_calls,
                "first_seconds": first,
                "resend_seconds": again,
                "no_translation_seconds": plain,
                "added_seconds": first - plain,
                "max_in_flight": stub.state.max_in_flight,
            }


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [
        f"Translation of a message to {GUARDIANS} guardians in 12 languages + Dutch, stub provider"
        f" {LATENCY * 1000:.0f} ms per call (target: 12 calls, resend 0)"
    ]
    for kind, concurrency in (("sqlite", 4), ("postgres", 4), ("sqlite", 1)):
        result = run(kind, concurrency)
        label = f"  {kind}, {concurrency} call(s) at once"
        if result is None:
            lines.append(f"{label:<34} skipped (PostgreSQL not reachable)")
            continue
        lines.append(
            f"{label:<34} calls {result['first_calls']:.0f}, resend {result['resend_calls']:.0f};"
            f" prepare {result['first_seconds']:.2f} s, resend {result['resend_seconds']:.2f} s,"
            f" without translation {result['no_translation_seconds']:.2f} s"
            f" -> translation adds {result['added_seconds']:.2f} s"
            f" (max {result['max_in_flight']:.0f} in flight)"
        )
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
