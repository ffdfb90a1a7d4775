"""What every `oudersbot` command shares: the wiring, and staff words from the nl catalog."""

from __future__ import annotations

import getpass
import html
import re
import sys
from datetime import datetime
from typing import NoReturn
from zoneinfo import ZoneInfo

import click

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.settings import Settings, SettingsError

STAFF = "nl"
_TAG = re.compile(r"<[^>]+>")


def staff_deps(ctx: click.Context, *, migrate: bool = False) -> Deps:
    """The wired parts, built once per command (tests hand in their own via ctx.obj). Only
    `migrate`, `run`, `worker` and `dispatch` bring the database up to date; other commands
    stop in one line on a database that is not (exit code 2)."""
    deps = ctx.obj.get("deps") if ctx.obj else None
    if deps is None:
        settings = load_settings()
        try:
            deps = bootstrap(settings, migrate=migrate)
        except SettingsError as exc:  # a setting only the wiring can judge (the translator)
            _bad_setting(settings, exc)
        if not migrate:
            from oudersbot.store.migrate import is_current

            if not is_current(deps.db):
                click.echo(deps.words.text(STAFF, "cli.migrate.needed"), err=True)
                sys.exit(2)
        ctx.ensure_object(dict)["deps"] = deps
    return deps


def shell_actor() -> str:
    """Who acts at the shell, for the audit log: "cli:" and the operating system's user."""
    return f"cli:{getpass.getuser()}"


def load_settings() -> Settings:
    """The settings from the environment and `.env`, or one line naming the bad one (exit 2)."""
    try:
        return Settings.load()
    except SettingsError as exc:
        _bad_setting(None, exc)


def _bad_setting(settings: Settings | None, exc: SettingsError) -> NoReturn:
    """One line naming the setting, what it allows and what it got; exit code 2."""
    from oudersbot.translation.catalog import Words

    folder = settings.locales_dir if settings else Settings.model_fields["locales_dir"].default
    words = Words.load(folder)
    allowed = words.text(STAFF, f"settings.allowed.{exc.rule}")
    line = words.text(STAFF, "cli.settings.bad", name=exc.name, allowed=allowed, value=exc.value)
    click.echo(line, err=True)
    sys.exit(2)


def school_id(deps: Deps) -> int:
    """The id of the school the settings name (OUDERSBOT_SCHOOL), or a clear stop."""
    from oudersbot.store.schools import UnknownSchoolError, get_school

    school = deps.settings.school_slug
    try:
        with deps.db.session() as session:
            return get_school(session, slug=school).id
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=school)


def token(deps: Deps) -> str:
    """The bot token, or a clear stop that says where to put it."""
    from oudersbot.settings import SettingsError

    try:
        return deps.settings.require_token()
    except SettingsError:
        fail(deps, "cli.token_missing")


def say(deps: Deps, key: str, /, **slots: object) -> None:
    """Print staff words."""
    click.echo(deps.words.text(STAFF, key, **slots))


def fail(deps: Deps, key: str, /, **slots: object) -> NoReturn:
    """Print staff words on stderr and stop with exit code 1."""
    click.echo(deps.words.text(STAFF, key, **slots), err=True)
    sys.exit(1)


def problem(deps: Deps, exc: Exception) -> str:
    """Staff words for why a message cannot be made as asked."""
    from oudersbot.services.problem_words import problem_words

    return problem_words(deps.words, STAFF, exc)


def parse_local(raw: str, zone: ZoneInfo) -> datetime:
    """A date-time as staff type it (2026-12-01T18:00 or 2026-12-01 18:00), in the school's
    zone unless it names its own; a date alone means the end of that day (23:59)."""
    from oudersbot.domain.slips import parse_moment

    return parse_moment(raw, zone)


def plain(html_text: str) -> str:
    """Telegram HTML as plain text for a terminal preview."""
    return (
        html.unescape(_TAG.sub("", html_text))
        .replace("\u2066", "")
        .replace("\u2067", "")
        .replace("\u2069", "")
    )
