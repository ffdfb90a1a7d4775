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
from oudersbot.clock import Clock
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import messages
from oudersbot.services.roster import import_roster
from oudersbot.settings import Settings
from oudersbot.simulator.client import SimulatorClient
from oudersbot.store.db import Database
from oudersbot.store.models import Guardian, School

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


def deps_for(db: Database, folder: Path, *, clock: Clock | None = None) -> Deps:
    """Wired like production, on the given database."""
    settings = Settings.from_env({"OUDERSBOT_DATA_DIR": str(folder), "OUDERSBOT_SCHOOL": "bench"})
    return bootstrap(settings, db=db, clock=clock)


def database_url(db: Database) -> str:
    """The URL another process opens the same database (and schema) with."""
    return db.engine.url.render_as_string(hide_password=False)


def oudersbot_command() -> list[str]:
    """The `oudersbot` console script of this environment (.venv/bin/oudersbot)."""
    script = Path(sys.executable).with_name("oudersbot")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from oudersbot.cli import main; main()"]


def sender_env(
    db: Database, folder: Path, base_url: str, *, rate: float, extra_bots: str = ""
) -> dict[str, str]:
    """The environment of an `oudersbot worker` or `dispatch` process against the simulator."""
    return {
        **os.environ,
        "DATABASE_URL": database_url(db),
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "OUDERSBOT_EXTRA_BOTS": extra_bots,
        "OUDERSBOT_TELEGRAM_BASE_URL": base_url,
        "OUDERSBOT_SEND_RATE": str(rate),
        "OUDERSBOT_DATA_DIR": str(folder),
        "OUDERSBOT_SCHOOL": "bench",
    }


async def joined_school(
    deps: Deps,
    control_url: str,
    guardians: int,
    per_class: int = 25,
    *,
    school: str = "bench",
    bot_token: str | None = None,
) -> list[int]:
    """A school of `guardians` parents in 8 languages, each joined from a simulated phone (of
    the simulator's bot `bot_token`, the first bot by default); their chat ids in roster order."""
    rows = ["klas,kind,ouder,taal"]
    for n in range(guardians):
        rows.append(f"K{n // per_class:03d},Kind {n},Ouder {n},{LANGUAGES[n % len(LANGUAGES)]}")
    report = import_roster(deps, data="\n".join(rows).encode(), filename="bench.csv", school=school)
    assert report.ok, report.problems
    async with SimulatorClient(control_url, bot=bot_token) as client:
        chat_ids: list[int] = []
        for start in range(0, guardians, 50):  # 50 phones at a time
            names = [f"Ouder {n}" for n in range(start, min(guardians, start + 50))]
            chat_ids += await asyncio.gather(*(client.add_user(name) for name in names))
    with deps.db.session() as session:
        ids = dict(
            session.execute(
                select(Guardian.name, Guardian.id)
                .join(School, School.id == Guardian.school_id)
                .where(School.slug == school)
            ).all()
        )
        session.execute(
            update(Guardian),
            [
                {"id": ids[f"Ouder {n}"], "chat_id": chat, "reachability": "joined"}
                for n, chat in enumerate(chat_ids)
            ],
        )
    return chat_ids


def broadcast_now(deps: Deps, guardians: int, *, school: str = "bench") -> int:
    """One message to every class of a `joined_school`, due now: urgent, because the benchmark
    runs at any hour and the school's quiet hours would hold it. Its message id."""
    groups = sorted({f"K{n // 25:03d}" for n in range(guardians)})
    draft = messages.prepare_message(
        deps, school=school, groups=groups, template_id="turnkledij", slots={"datum": "2026-12-03"}
    )
    return messages.send_message(deps, draft, urgency=Urgency.NOW).message_id
