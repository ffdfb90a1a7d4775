"""The school's own settings kept in the database: which bot speaks for it."""

from __future__ import annotations

import click

from oudersbot.cli.common import fail, say, shell_actor, staff_deps
from oudersbot.services.school_bot import UnknownBotError, assign_bot, school_bot
from oudersbot.store.schools import UnknownSchoolError


@click.group(name="school")
def school_group() -> None:
    """The school (OUDERSBOT_SCHOOL) in this deployment."""


@school_group.command(name="bot")
@click.argument("name", required=False)
@click.pass_context
def bot_command(ctx: click.Context, name: str | None) -> None:
    """Which bot speaks for the school; with NAME, let it speak through that bot ("main" is
    TELEGRAM_BOT_TOKEN, others are named in OUDERSBOT_EXTRA_BOTS)."""
    deps = staff_deps(ctx)
    school = deps.settings.school_slug
    try:
        if name is None:
            say(deps, "cli.school.bot_is", school=school, bot=school_bot(deps, school=school))
            return
        change = assign_bot(deps, school=school, bot=name, actor=shell_actor())
    except UnknownSchoolError:
        fail(deps, "cli.unknown_school", school=school)
    except UnknownBotError as exc:
        fail(deps, "cli.school.unknown_bot", bot=exc.name, bots=", ".join(exc.known))
    key = "cli.school.bot_same" if change.before == change.after else "cli.school.bot_set"
    say(deps, key, school=school, bot=change.after, before=change.before)
