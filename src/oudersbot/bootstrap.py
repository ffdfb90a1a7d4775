"""The one place where the parts are put together (the CLI, the bot, the demo and tests use it)."""

from __future__ import annotations

from dataclasses import dataclass

from oudersbot.clock import Clock, SystemClock
from oudersbot.domain.plain_language import Lexicon
from oudersbot.settings import Settings
from oudersbot.store.db import Database
from oudersbot.store.migrate import upgrade
from oudersbot.translation.catalog import Words
from oudersbot.translation.machine import DeepTranslator, NoTranslator, Translator
from oudersbot.translation.memory import TranslationMemory
from oudersbot.translation.phrasebook import Phrasebook
from oudersbot.translation.plain_lexicon import load_lexicon


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


def translator_from(settings: Settings) -> Translator:
    """The machine translator the settings ask for, or none."""
    if not settings.translator:
        return NoTranslator()
    return DeepTranslator(
        settings.translator,
        api_key=settings.translator_key,
        url=settings.translator_url,
        timeout=settings.translator_timeout,
        concurrency=settings.translator_concurrency,
        proxy=settings.translator_proxy,
    )


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
    return Deps(
        settings=settings,
        db=database,
        clock=the_clock,
        words=Words.load(settings.locales_dir),
        phrasebook=Phrasebook.load(settings.messages_dir),
        translator=the_translator,
        memory=TranslationMemory(
            database,
            the_translator,
            the_clock,
            concurrency=settings.translator_concurrency,
        ),
        lexicon=load_lexicon(settings.messages_dir / "plain-language.toml"),
    )
