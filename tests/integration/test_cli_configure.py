"""Configuring oudersbot as the school's IT person does: environment, `.env`, a bad value,
the database brought up to date once, and a start that never shows the token."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import socket
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.cli import main
from oudersbot.delivery.reach import TokenRefusedError, reach_telegram
from oudersbot.observe.logs import configure_logging
from oudersbot.settings import PACKAGE_DIR, Settings, env_name
from oudersbot.simulator import Simulator, SimulatorConfig

TOKEN = "123456:TEST-token"
WRONG = "654321:NOT-the-right-token"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working folder (no .env) and no oudersbot variables from the outside."""
    for name in list(os.environ):
        if name.startswith("OUDERSBOT_") or name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OUDERSBOT_DATA_DIR", str(tmp_path / "var"))
    (tmp_path / "var").mkdir()
    return tmp_path


def oudersbot(*args: str, **env: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


def lines(result: Result) -> list[str]:
    return [line for line in result.output.splitlines() if line.strip()]


def test_a_bad_number_is_one_line_naming_the_setting(folder: Path) -> None:
    result = oudersbot("status", OUDERSBOT_SEND_RATE="abc")
    assert result.exit_code == 2
    assert lines(result) == ["OUDERSBOT_SEND_RATE: een getal groter dan 0 verwacht, kreeg 'abc'"]


def test_an_unknown_or_unofficial_translator_is_one_line_naming_the_opt_in(folder: Path) -> None:
    for raw in ("google", "vertaalmachine"):
        result = oudersbot("status", OUDERSBOT_TRANSLATOR=raw)
        assert result.exit_code == 2
        [line] = lines(result)
        assert line.startswith("OUDERSBOT_TRANSLATOR: deepl, microsoft of libre")
        assert "google-web-onofficieel" in line and line.endswith(f"kreeg '{raw}'")


@pytest.mark.parametrize(
    ("name", "raw", "allowed"),
    [
        ("OUDERSBOT_MODE", "push", "'polling' of 'webhook' verwacht"),
        ("OUDERSBOT_TIMEZONE", "Mars/Olympus", "een tijdzone zoals Europe/Brussels verwacht"),
        ("OUDERSBOT_WEBHOOK_PORT", "99999", "een poortnummer van 1 tot 65535 verwacht"),
        ("OUDERSBOT_LOG_LEVEL", "luid", "DEBUG, INFO, WARNING of ERROR verwacht"),
    ],
)
def test_each_kind_of_bad_value_says_what_is_allowed(
    folder: Path, name: str, raw: str, allowed: str
) -> None:
    result = oudersbot("status", **{name: raw})
    assert result.exit_code == 2
    [line] = lines(result)
    assert line.startswith(f"{name}: {allowed}")


def test_a_bad_extra_bot_never_shows_its_token(folder: Path) -> None:
    result = oudersbot("status", OUDERSBOT_EXTRA_BOTS=f"main={TOKEN}")
    assert result.exit_code == 2 and TOKEN not in result.output
    assert lines(result)[0].startswith("OUDERSBOT_EXTRA_BOTS: naam=token-paren")


def test_settings_come_from_a_dot_env_in_the_working_folder(folder: Path) -> None:
    (folder / ".env").write_text("OUDERSBOT_SCHOOL=regenboog\nOUDERSBOT_SEND_RATE=12\n")
    settings = Settings.load()
    assert settings.school_slug == "regenboog" and settings.send_rate == 12
    (folder / ".env").write_text("OUDERSBOT_INVITE_DAYS=0\n")
    result = oudersbot("status")
    assert result.exit_code == 2
    assert lines(result) == [
        "OUDERSBOT_INVITE_DAYS: een geheel getal groter dan 0 verwacht, kreeg '0'"
    ]


def test_the_environment_wins_over_dot_env(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (folder / ".env").write_text("OUDERSBOT_SCHOOL=uit-het-bestand\n")
    monkeypatch.setenv("OUDERSBOT_SCHOOL", "uit-de-omgeving")
    assert Settings.load().school_slug == "uit-de-omgeving"


def test_every_setting_is_in_env_example_with_a_comment() -> None:
    text = (PACKAGE_DIR / "env.example").read_text()
    documented = re.findall(r"^([A-Z_]+)=", text, flags=re.MULTILINE)
    assert sorted(documented) == sorted(env_name(field) for field in Settings.model_fields)
    for block in text.split("\n\n")[1:]:
        assert block.lstrip().startswith("#"), block


def test_only_migrate_brings_the_database_up_to_date(folder: Path) -> None:
    before = oudersbot("status")
    assert before.exit_code == 2
    assert lines(before) == [
        "De databank is niet bijgewerkt voor deze versie van oudersbot: voer eerst "
        "`oudersbot migrate` uit."
    ]
    assert oudersbot("migrate").exit_code == 0
    after = oudersbot("status")
    assert after.exit_code == 0, after.output
    assert "Wachtrij: 0 nu te versturen" in after.output


def test_a_database_of_an_older_version_is_refused_until_migrated(folder: Path) -> None:
    from alembic import command

    from oudersbot.store.db import Database
    from oudersbot.store.migrate import alembic_config

    db = Database.from_url(Settings.load().database_url)
    config = alembic_config()
    with db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0009")
    db.dispose()
    assert oudersbot("status").exit_code == 2
    assert oudersbot("migrate").exit_code == 0
    assert oudersbot("status").exit_code == 0


def test_webhook_mode_without_a_url_refuses_in_one_line(folder: Path) -> None:
    result = oudersbot("run", OUDERSBOT_MODE="webhook", TELEGRAM_BOT_TOKEN=TOKEN)
    assert result.exit_code == 2
    assert lines(result) == [
        "Niet gestart: OUDERSBOT_MODE=webhook vraagt OUDERSBOT_WEBHOOK_URL, het publieke "
        "https-adres waarop Telegram de bot bereikt (zie .env.example)."
    ]


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_no_network_is_retried_then_one_line_without_the_token(
    folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    result = oudersbot(
        "run",
        TELEGRAM_BOT_TOKEN=TOKEN,
        OUDERSBOT_TELEGRAM_BASE_URL=f"http://127.0.0.1:{_closed_port()}/bot",
        OUDERSBOT_START_RETRIES="2",
        OUDERSBOT_START_RETRY_DELAY="0.01",
    )
    assert result.exit_code == 1
    [line] = lines(result)
    assert line.startswith("Niet gestart: Telegram (127.0.0.1:") and "na 3 pogingen" in line
    retries = [r for r in caplog.records if r.name == "oudersbot.delivery.reach"]
    assert len(retries) == 2
    assert TOKEN not in caplog.text and TOKEN.split(":")[1] not in caplog.text + result.output


async def test_a_token_telegram_refuses_is_an_error_and_never_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG", [WRONG])
    async with Simulator(SimulatorConfig(bot_token=TOKEN)) as sim:
        with pytest.raises(TokenRefusedError):
            await reach_telegram({"main": WRONG}, base_url=sim.base_url, retries=3, first_wait=0.01)
        # A library that logs the URL it called (httpx does at INFO) shows no token either.
        logging.getLogger("httpx").warning("HTTP Request: POST %s/getMe", sim.base_url + WRONG)
        try:
            raise RuntimeError(f"failed: {sim.base_url}{WRONG}/getMe")
        except RuntimeError:
            logging.getLogger("telegram.ext.Updater").exception("error while polling")
    assert "HTTP Request: POST" in caplog.text and "error while polling" in caplog.text
    assert WRONG not in caplog.text and WRONG.split(":")[1] not in caplog.text


async def test_run_with_a_refused_token_is_one_line_as_the_it_person_starts_it(
    tmp_path: Path,
) -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("OUDERSBOT_") and key not in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN")
    }
    env.update(
        OUDERSBOT_DATA_DIR=str(tmp_path),
        TELEGRAM_BOT_TOKEN=WRONG,
        OUDERSBOT_LOG_LEVEL="DEBUG",
    )
    async with Simulator(SimulatorConfig(bot_token=TOKEN)) as sim:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "oudersbot.cli",
            "run",
            env={**env, "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url},
            cwd=tmp_path,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    shown = [line for line in (out + err).decode().splitlines() if line.strip()]
    assert shown == [
        "Telegram weigert dit token (bot main): kijk TELEGRAM_BOT_TOKEN of OUDERSBOT_EXTRA_BOTS "
        "na bij @BotFather."
    ]
