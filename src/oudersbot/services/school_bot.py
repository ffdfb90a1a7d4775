"""Which of the deployment's bots speaks for a school: the shared bot "main", or its own."""

from __future__ import annotations

from dataclasses import dataclass

from oudersbot.bootstrap import Deps
from oudersbot.store import audit
from oudersbot.store.schools import get_school, set_school_bot

ASSIGN_BOT = "school.bot"


class UnknownBotError(LookupError):
    """No bot by that name in the settings; `known` are the configured names."""

    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(name)
        self.name = name
        self.known = known


@dataclass(frozen=True)
class BotChange:
    """A school's bot before and after."""

    school: str
    before: str
    after: str


def school_bot(deps: Deps, *, school: str) -> str:
    """The name of the bot that speaks for the school."""
    with deps.db.session() as session:
        return get_school(session, slug=school).bot


def assign_bot(deps: Deps, *, school: str, bot: str, actor: str) -> BotChange:
    """Let the school speak through `bot` (a name in TELEGRAM_BOT_TOKEN/OUDERSBOT_EXTRA_BOTS);
    messages already queued keep the bot they were queued for. Written in the audit log."""
    known = deps.settings.bot_names()
    if bot not in known:
        raise UnknownBotError(bot, known)
    with deps.db.session() as session:
        row = get_school(session, slug=school)
        before = row.bot
        if before != bot:
            set_school_bot(session, slug=school, bot=bot)
            audit.record(
                session,
                row.id,
                deps.clock.now(),
                actor,
                ASSIGN_BOT,
                f"school:{row.id}",
                f"{before} -> {bot}",
            )
        return BotChange(school=school, before=before, after=bot)
