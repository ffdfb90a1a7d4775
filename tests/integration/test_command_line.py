"""The school's day as staff type it: each command run as a real process (the installed
`oudersbot` entry point's module), with its exit code, what it prints and what it changed in the
database. Nothing here goes through click's test runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import Engine

from oudersbot.store.models import AuditEntry, Delivery, Guardian, Invite
from tests.conftest import FIXTURE_DIR

TOKEN = "123456:COMMAND-LINE-TEST-TOKEN"


class Shell:
    """A staff member's terminal: one folder, the school's settings, one command at a time."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"sqlite:///{folder / 'school.sqlite3'}"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("OUDERSBOT_")},
            "DATABASE_URL": self.url,
            "OUDERSBOT_DATA_DIR": str(folder / "var"),
            "OUDERSBOT_SCHOOL": "demo",
            "OUDERSBOT_BOT_USERNAME": "regenboog_bot",
            "TELEGRAM_BOT_TOKEN": TOKEN,
        }

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "oudersbot.cli", *args],
            cwd=self.folder,
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "Traceback" not in done.stderr, done.stderr
        assert TOKEN not in done.stdout + done.stderr
        return done

    def engine(self) -> Engine:
        return create_engine(self.url)


@pytest.fixture
def shell(tmp_path: Path) -> Shell:
    return Shell(tmp_path)


def count(engine: Engine, model: type) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_school_week_typed_at_the_shell(shell: Shell) -> None:
    before = shell.run("roster", "import", str(FIXTURE_DIR / "roster_3a_3b.csv"))
    assert before.returncode == 2 and "oudersbot migrate" in before.stderr
    untouched = shell.engine()
    assert inspect(untouched).get_table_names() == []  # nothing imported, nothing made
    untouched.dispose()

    assert shell.run("migrate").returncode == 0
    imported = shell.run(
        "roster", "import", str(FIXTURE_DIR / "roster_3a_3b.csv"), "--school-name", "De Regenboog"
    )
    assert imported.returncode == 0, imported.stderr
    assert "roster_3a_3b.csv" in imported.stdout
    engine = shell.engine()
    guardians = count(engine, Guardian)
    assert guardians == 9
    with engine.connect() as conn:
        phones = set(conn.execute(select(Guardian.phone).where(Guardian.phone.is_not(None))))
    assert ("+32470123456",) in phones  # typed as "+32 470 12 34 56": stored as E.164
    assert shell.run("roster", "import", str(FIXTURE_DIR / "roster_3a_3b.csv")).returncode == 0
    assert count(engine, Guardian) == guardians  # the same file again: nobody twice

    printed = shell.run("invites", "print", "--class", "3A")
    assert printed.returncode == 0, printed.stderr
    sheets = sorted((shell.folder / "var" / "invites").glob("uitnodigingen-3A-*.pdf"))
    assert len(sheets) == 1
    assert count(engine, Invite) == 5  # one card per guardian of 3A
    unknown = shell.run("invites", "print", "--class", "9Z")
    assert unknown.returncode == 1 and "9Z" in unknown.stderr + unknown.stdout

    sent = shell.run("send", "--class", "3A", "--text", "Morgen turnen.", "--yes", "--nu")
    assert sent.returncode == 0, sent.stderr
    assert "oudersbot run" in sent.stdout  # no bot runs: staff are told how it gets sent
    assert count(engine, Delivery) == 5
    with engine.connect() as conn:
        statuses = set(conn.execute(select(Delivery.status)).scalars())
    assert statuses == {"not_joined"}  # nobody of 3A joined yet: nothing to send
    waiting = shell.run("status")
    assert waiting.returncode == 0, waiting.stdout  # nothing waits, so no sender is missed
    assert "Wachtrij: 0 nu te versturen" in waiting.stdout

    export = shell.folder / "fatima"
    exported = shell.run("privacy", "export", "--ouder", "Fatima El Amrani", "--out", str(export))
    assert exported.returncode == 0, exported.stderr
    record = json.loads(export.with_suffix(".json").read_text(encoding="utf-8"))
    assert "Fatima El Amrani" in json.dumps(record, ensure_ascii=False)
    refused = shell.run("privacy", "erase", "--ouder", "Fatima El Amrani")  # no terminal, no --yes
    assert refused.returncode != 0
    assert count(engine, Guardian) == guardians
    with engine.connect() as conn:
        actions = list(conn.execute(select(AuditEntry.action, AuditEntry.actor)))
    assert ("privacy.export", f"cli:{_user()}") in actions
    assert any(action == "roster.import" for action, _ in actions)
    engine.dispose()


def test_a_bad_setting_is_one_line_before_anything_happens(shell: Shell) -> None:
    shell.env["OUDERSBOT_SEND_RATE"] = "veel"
    done = shell.run("status")
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "OUDERSBOT_SEND_RATE" in done.stderr
    assert not (shell.folder / "school.sqlite3").exists()


def test_the_demo_runs_the_whole_product_on_the_embedded_defaults(shell: Shell) -> None:
    done = shell.run("demo")
    assert done.returncode == 0, done.stderr
    assert "📱" in done.stdout  # what the parents' phones showed
    assert list((shell.folder / "var").rglob("*.pdf"))  # the invite sheets it printed


def _user() -> str:
    import getpass

    return getpass.getuser()
