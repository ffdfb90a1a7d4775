"""The staff desk's Vandaag and Opvolging for a school of 2,000 guardians and 200 slips (the
follow-up benchmark's school), asked over HTTP from uvicorn by a logged-in brugfiguur: p50 and
p95 per page, with the start-up objects frozen as the commands do (gc.freeze).
Target: p95 under 200 ms on SQLite and PostgreSQL. Printed, never asserted.
`python -m benchmarks.run desk` runs only this.
"""

from __future__ import annotations

import asyncio
import gc
import tempfile
import time

import httpx
from sqlalchemy import text

from benchmarks.followup import GUARDIANS, SLIPS, build_school, percentile
from benchmarks.harness import database
from oudersbot.bootstrap import bootstrap
from oudersbot.services.web_login import issue_link, open_session
from oudersbot.settings import Settings
from oudersbot.store.models import Staff
from oudersbot.web.auth import SESSION_COOKIE
from oudersbot.web.server import serving_desk

ROUNDS = 40
WARM_UP = 3
TARGET_MS = 200.0
PAGES = {"Vandaag": "/", "Opvolging": "/opvolging"}


async def _measure(deps: object, cookie: str) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {name: [] for name in PAGES}
    async with serving_desk(deps, port=0) as server:  # type: ignore[arg-type]
        assert server is not None
        base = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=base, cookies={SESSION_COOKIE: cookie}) as client:
            for name, path in PAGES.items():
                for round_ in range(WARM_UP + ROUNDS):
                    started = time.perf_counter()
                    answer = await client.get(path)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert answer.status_code == 200, (path, answer.status_code)
                    if round_ >= WARM_UP:
                        times[name].append(elapsed)
    return times


def run(kind: str) -> dict[str, float] | None:
    """p50 and p95 in ms of each page, on one engine."""
    with database(kind) as db, tempfile.TemporaryDirectory() as folder:
        if db is None:
            return None
        settings = Settings.from_env({"OUDERSBOT_DATA_DIR": folder, "OUDERSBOT_SCHOOL": "bench"})
        deps = bootstrap(settings, db=db)
        build_school(deps)
        with deps.db.session() as session:
            session.add(Staff(school_id=1, name="Brugfiguur", role="liaison", chat_id=42))
        if kind == "postgres":
            with deps.db.engine.connect() as conn:
                conn.execute(text("ANALYZE"))
                conn.commit()
        link = issue_link(deps, chat_id=42)
        assert link is not None
        cookie = open_session(deps, link_token=link.token)
        assert cookie is not None
        # What `oudersbot web` and `oudersbot run` do once started (settle_start_up).
        gc.collect()
        gc.freeze()
        try:
            times = asyncio.run(_measure(deps, cookie))
        finally:
            gc.unfreeze()
        result: dict[str, float] = {}
        for name, found in times.items():
            result[f"{name}_p50"] = percentile(found, 50)
            result[f"{name}_p95"] = percentile(found, 95)
        return result


def report() -> list[str]:
    """Lines for `make bench`."""
    lines = [
        f"Staff desk over HTTP (uvicorn), {GUARDIANS} guardians, {SLIPS} slips, {ROUNDS} rounds"
        f" per page (target p95 < {TARGET_MS:.0f} ms)"
    ]
    for kind in ("sqlite", "postgres"):
        result = run(kind)
        if result is None:
            lines.append(f"  {kind:<9} skipped (PostgreSQL not reachable)")
            continue
        for name in PAGES:
            p50, p95 = result[f"{name}_p50"], result[f"{name}_p95"]
            lines.append(
                f"  {kind:<9} {name:<10} p50 {p50:.1f} ms, p95 {p95:.1f} ms"
                f" = {p95 / TARGET_MS:.2f} of the limit"
            )
    return lines
