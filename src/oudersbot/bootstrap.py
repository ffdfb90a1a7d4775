"""The one place where the parts are put together (the CLI, the bot, the demo and tests use it)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field

from telegram import Bot

from oudersbot.calendar_files.rules_file import RulesFileError, load_schedule
from oudersbot.clock import Clock, SystemClock
from oudersbot.delivery.aiohttp_request import AiohttpRequest
from oudersbot.delivery.door import Outbox
from oudersbot.delivery.telegram_sender import TelegramSender
from oudersbot.delivery.worker import SendWorker
from oudersbot.domain.plain_language import Lexicon
from oudersbot.domain.slips import QuietHours
from oudersbot.settings import Settings, SettingsError
from oudersbot.speech import ESpeakSynthesizer, Synthesizer
from oudersbot.store.db import Database
from oudersbot.store.migrate import upgrade
from oudersbot.translation.catalog import Words
from oudersbot.translation.machine import MachineTranslator, NoTranslator, Translator
from oudersbot.translation.memory import TranslationMemory
from oudersbot.translation.phrasebook import Phrasebook
from oudersbot.translation.plain_lexicon import load_lexicon
from oudersbot.translation.providers import OFFICIAL, choose_provider

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Deps:
    """What every use case may need, built once."""

    settings: Settings
    db: Database
    clock: Clock
    words: Words
    phrasebook: Phrasebook
    translator: Translator
    memory: TranslationMemory
    lexicon: Lexicon
    outbox: Outbox
    # Messages read aloud (eSpeak NG, started at the first voice message).
    speech: Synthesizer = field(default_factory=ESpeakSynthesizer)


def translator_from(settings: Settings) -> Translator:
    """The machine translator the settings ask for, or none. A public web service only when
    the school named it by its opt-in name, with a warning line at every start."""
    if not settings.translator:
        return NoTranslator()
    try:
        provider = choose_provider(settings.translator)
        translator = MachineTranslator(
            provider,
            api_key=settings.translator_key,
            url=settings.translator_url,
            region=settings.translator_region,
            timeout=settings.translator_timeout,
            concurrency=settings.translator_concurrency,
            proxy=settings.translator_proxy,
        )
    except ValueError as exc:
        name, value = "OUDERSBOT_TRANSLATOR", settings.translator
        raise SettingsError(str(exc), name=name, rule="translator", value=value) from exc
    if provider not in OFFICIAL:
        log.warning(
            "OUDERSBOT_TRANSLATOR=%s: parents' texts go to a public web service without a"
            " processing agreement (the school opted in by name)",
            settings.translator,
        )
    return translator


def quiet_hours_of(settings: Settings, phrasebook: Phrasebook) -> Callable[[str], QuietHours]:
    """A school's quiet hours from its rules file (scheduler/schools/<slug>.toml)."""

    def quiet_for(slug: str) -> QuietHours:
        try:
            return load_schedule(
                settings.scheduler_dir, school=slug, kinds=list(phrasebook.templates)
            ).quiet
        except (RulesFileError, ValueError) as exc:
            # `calendar import` lists the file's problems; sending keeps the default hours.
            log.error("the reminder rules of school %s cannot be read: %s", slug, exc)
            return QuietHours()

    return quiet_for


def bootstrap(
    settings: Settings,
    *,
    clock: Clock | None = None,
    translator: Translator | None = None,
    db: Database | None = None,
    migrate: bool = True,
) -> Deps:
    """Load words and templates (failing early when inconsistent), open the database."""
    database = db or Database.from_url(settings.database_url)
    if migrate:
        upgrade(database)
    the_clock = clock or SystemClock()
    the_translator = translator or translator_from(settings)
    phrasebook = Phrasebook.load(settings.messages_dir)
    return Deps(
        settings=settings,
        db=database,
        clock=the_clock,
        words=Words.load(settings.locales_dir),
        phrasebook=phrasebook,
        translator=the_translator,
        memory=TranslationMemory(
            database,
            the_translator,
            the_clock,
            concurrency=settings.translator_concurrency,
        ),
        lexicon=load_lexicon(settings.messages_dir / "plain-language.toml"),
        outbox=Outbox(
            clock=the_clock,
            zone=settings.timezone,
            quiet_for=quiet_hours_of(settings, phrasebook),
        ),
    )


@asynccontextmanager
async def sending(
    deps: Deps,
    *,
    role: str,
    tokens: Mapping[str, str] | None = None,
    base_url: str | None = None,
    rate: float | None = None,
) -> AsyncIterator[SendWorker]:
    """The sending side, built once for the bot, `dispatch`, `worker`, the demo and the tests:
    one unthrottled Telegram client per bot (the dispatcher paces itself and must see every
    429), a dispatcher per bot, and the lease that makes it the bot's only sender."""
    tokens = dict(tokens) if tokens is not None else deps.settings.bot_tokens()
    url = base_url or deps.settings.telegram_base_url
    bots = {
        name: Bot(token, base_url=url, request=AiohttpRequest(connection_pool_size=64))
        for name, token in tokens.items()
    }
    async with AsyncExitStack() as stack:
        for bot in bots.values():
            await stack.enter_async_context(bot)
        worker = SendWorker(
            deps.db,
            deps.clock,
            {name: TelegramSender(bot) for name, bot in bots.items()},
            role=role,
            rate=deps.settings.send_rate if rate is None else rate,
        )
        try:
            yield worker
        finally:
            await worker.stop()
