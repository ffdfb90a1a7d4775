"""Shared set-up for the benchmarks: a simulator in its own process, a school of joined parents."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import subprocess
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.services.roster import import_roster
from oudersbot.settings import Settings
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.db import Database
from oudersbot.store.models import Guardian

TOKEN = "123456:BENCH"
POSTGRES_URL = os.environ.get(
    "OUDERSBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
LANGUAGES = ["nl", "ar", "tr", "pl", "ro", "uk", "fr", "en"]


@contextlib.asynccontextmanager
async def simulator_process(*args: str) -> AsyncIterator[tuple[str, str]]:
    """The simulator on a free port in its own process; yields (base_url, control_url)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "oudersbot.simulator",
        "--port",
        "0",
        "--token",
        TOKEN,
        *args,
        stdout=subprocess.PIPE,
    )
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), 30)).decode()
    match = re.search(r"base_url=(\S+) control_url=(\S+)", line)
    if match is None:
        process.kill()
        raise RuntimeError(f"the simulator said {line!r}")
    try:
        yield match.group(1), match.group(2)
    finally:
        process.terminate()
        await process.wait()


@contextlib.contextmanager
def database(kind: str) -> Iterator[Database | None]:
    """A fresh SQLite file or PostgreSQL schema; None when PostgreSQL is not reachable."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            db = Database.from_url(f"sqlite:///{Path(folder) / 'bench.sqlite3'}")
            yield db
            db.dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    try:
        admin = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with admin.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError:
        yield None
        return
    db = Database.from_url(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    try:
        yield db
    finally:
        db.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def deps_for(db: Database, folder: Path) -> Deps:
    """Wired like production, on the given database."""
    settings = Settings.from_env({"OUDERSBOT_DATA_DIR": str(folder), "OUDERSBOT_SCHOOL": "bench"})
    return bootstrap(settings, db=db)


async def joined_school(
    deps: Deps, control_url: str, guardians: int, per_class: int = 25
) -> list[int]:
    """A school of `guardians` parents in 8 languages, each joined from a simulated phone."""
    rows = ["klas,kind,ouder,taal"]
    for n in range(guardians):
        rows.append(f"K{n // per_class:03d},Kind {n},Ouder {n},{LANGUAGES[n % len(LANGUAGES)]}")
    report = import_roster(
        deps, data="\n".join(rows).encode(), filename="bench.csv", school="bench"
    )
    assert report.ok, report.problems
    async with SimulatorClient(control_url) as client:
        chat_ids = [await client.add_user(f"Ouder {n}") for n in range(guardians)]
    with deps.db.session() as session:
        ids = dict(session.execute(select(Guardian.name, Guardian.id)).all())
        session.execute(
            update(Guardian),
            [
                {"id": ids[f"Ouder {n}"], "chat_id": chat, "reachability": "joined"}
                for n, chat in enumerate(chat_ids)
            ],
        )
    return chat_ids
