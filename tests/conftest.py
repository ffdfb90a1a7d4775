"""Shared fixtures: settings in a temporary folder, a clock we move, databases on both engines."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.settings import Settings
from oudersbot.store.db import Database
from oudersbot.translation.machine import NoTranslator, Translator

BRUSSELS = ZoneInfo("Europe/Brussels")
POSTGRES_URL = os.environ.get(
    "OUDERSBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
FIXTURE_DIR = Path(__file__).parent / "fixtures"


def _postgres_available() -> str | None:
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "not here"
        return f"PostgreSQL not reachable at {POSTGRES_URL}: {type(exc).__name__}"
    return None


_PG_PROBLEM = _postgres_available()


@pytest.fixture
def clock() -> FixedClock:
    """Monday 23 November 2026, 09:00 in Brussels."""
    return FixedClock(datetime(2026, 11, 23, 9, 0, tzinfo=BRUSSELS))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database on SQLite (a file, WAL) and on PostgreSQL (a fresh schema)."""
    if request.param == "sqlite":
        db = Database.from_url(f"sqlite:///{tmp_path / 'test.sqlite3'}")
        yield db
        db.dispose()
        return
    if _PG_PROBLEM:
        pytest.skip(_PG_PROBLEM)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    db = Database.from_url(f"{POSTGRES_URL}?options=-csearch_path%3D{schema}")
    yield db
    db.dispose()
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings that write only below tmp_path."""
    env = {"OUDERSBOT_DATA_DIR": str(tmp_path / "var"), "OUDERSBOT_BOT_USERNAME": "testschool_bot"}
    settings = Settings.from_env(env)
    return Settings(**{**settings.__dict__, **overrides})  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Default settings in a temporary folder."""
    return make_settings(tmp_path)


@pytest.fixture
def translator() -> Translator:
    """No machine translation unless a test brings its own."""
    return NoTranslator()


@pytest.fixture
def deps(settings: Settings, database: Database, clock: FixedClock, translator: Translator) -> Deps:
    """Everything wired, migrated, on both databases."""
    return bootstrap(settings, clock=clock, translator=translator, db=database)


def import_fixture_roster(deps: Deps) -> None:
    """The two-class roster in tests/fixtures, as school 'demo' named 'De Regenboog'."""
    from oudersbot.services.roster import import_roster

    report = import_roster(
        deps,
        data=(FIXTURE_DIR / "roster_3a_3b.csv").read_bytes(),
        filename="lijst.csv",
        school="demo",
        school_name="De Regenboog",
    )
    assert report.ok, report.problems


def mark_joined(deps: Deps, chats: dict[str, int]) -> None:
    """Guardians (by name) linked to chats, as if they had joined through their invite."""
    from oudersbot.store.models import Guardian

    with deps.db.session() as session:
        for name, chat in chats.items():
            session.execute(
                sa.update(Guardian)
                .where(Guardian.name == name)
                .values(chat_id=chat, reachability="joined")
            )
