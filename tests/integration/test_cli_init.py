"""`oudersbot init`, as the school's IT person types it: a .env and the school's own templates."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from oudersbot.bootstrap import bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.settings import PACKAGE_DIR, Settings
from oudersbot.store.db import Database


def run(*args: str, obj: dict[str, object] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), obj=obj, catch_exceptions=False)


def read_env(path: Path) -> dict[str, str]:
    pairs = (
        line.partition("=")
        for line in path.read_text(encoding="utf-8").splitlines()
        if "=" in line and not line.startswith("#")
    )
    return {key: value for key, _, value in pairs if value}


def test_init_writes_a_env_and_a_copy_of_the_templates_and_rules(tmp_path: Path) -> None:
    folder = tmp_path / "regenboog"

    result = run("init", str(folder), "--school", "regenboog")

    assert result.exit_code == 0, result.output
    assert f"De instellingen staan in {folder / '.env'}" in result.output
    env = read_env(folder / ".env")
    assert env["OUDERSBOT_SCHOOL"] == "regenboog"
    assert env["OUDERSBOT_DATA_DIR"] == str(folder / "data")
    assert env["OUDERSBOT_MESSAGES_DIR"] == str(folder / "messages")
    assert env["OUDERSBOT_SCHEDULER_DIR"] == str(folder / "scheduler")
    assert "TELEGRAM_BOT_TOKEN" not in env  # left for the school to fill in
    shipped = (PACKAGE_DIR / "env.example").read_text(encoding="utf-8")
    assert shipped.count("\n# ") > 0
    for line in shipped.splitlines():
        if line.startswith("#"):
            assert line in (folder / ".env").read_text(encoding="utf-8")  # every comment kept
    assert (folder / "data").is_dir()
    assert sorted(p.name for p in (folder / "messages" / "templates").glob("*.toml")) == sorted(
        p.name for p in (PACKAGE_DIR / "messages" / "templates").glob("*.toml")
    )
    assert (folder / "scheduler" / "rules.toml").read_bytes() == (
        PACKAGE_DIR / "scheduler" / "rules.toml"
    ).read_bytes()


def test_the_school_s_own_templates_are_the_ones_used(
    tmp_path: Path, database: Database, clock: FixedClock
) -> None:
    folder = tmp_path / "school"
    assert run("init", str(folder), "--school", "demo").exit_code == 0
    own = folder / "messages" / "templates" / "afwezig.toml"
    own.write_text(
        own.read_text(encoding="utf-8").replace(
            'title = "Afwezig melden"', 'title = "Afwezig melden bij juf Lies"'
        ),
        encoding="utf-8",
    )

    settings = Settings.from_env(read_env(folder / ".env"))
    deps = bootstrap(settings, clock=clock, db=database)
    result = run("templates", "list", obj={"deps": deps})

    assert settings.messages_dir == folder / "messages"
    assert result.exit_code == 0, result.output
    assert "Afwezig melden bij juf Lies" in result.output


def test_init_overwrites_nothing(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("TELEGRAM_BOT_TOKEN=keep-me\n", encoding="utf-8")

    result = run("init", str(tmp_path))

    assert result.exit_code == 1
    assert f"{tmp_path / '.env'} bestaat al: er is niets geschreven." in result.output
    assert (tmp_path / ".env").read_text(encoding="utf-8") == "TELEGRAM_BOT_TOKEN=keep-me\n"
    assert not (tmp_path / "messages").exists()


def test_a_school_name_with_spaces_is_refused_in_one_line(tmp_path: Path) -> None:
    result = run("init", str(tmp_path / "x"), "--school", "De Regenboog")

    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "'De Regenboog' kan geen korte schoolnaam zijn: gebruik kleine letters, cijfers, - of _"
        " (bijvoorbeeld regenboog)."
    ]
    assert not (tmp_path / "x").exists()
