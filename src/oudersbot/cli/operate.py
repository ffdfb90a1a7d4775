"""For the school's IT person: bring the database up to date, and the checks every
long-running command makes before it starts (Telegram reachable, the token accepted)."""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import fail, say, staff_deps

if TYPE_CHECKING:
    from telegram.ext import Application


@click.command()
@click.pass_context
def migrate(ctx: click.Context) -> None:
    """Bring the database to the newest schema (`run`, `worker` and `dispatch` do it too)."""
    deps = staff_deps(ctx, migrate=True)
    say(deps, "cli.migrate.done")


def check_webhook(deps: Deps) -> None:
    """Webhook mode needs the public URL Telegram should call: refuse without it (exit 2)."""
    if deps.settings.mode == "webhook" and not deps.settings.webhook_url:
        click.echo(deps.words.text("nl", "cli.webhook.no_url"), err=True)
        sys.exit(2)


def start_logging(deps: Deps) -> None:
    """oudersbot's lines at OUDERSBOT_LOG_LEVEL, the tokens and keys never shown."""
    from oudersbot.observe.logs import configure_logging

    configure_logging(deps.settings.log_level, deps.settings.secrets())


def check_telegram(deps: Deps, tokens: Mapping[str, str]) -> None:
    """Telegram answers and accepts every token, or one line and exit code 1."""
    from oudersbot.delivery.reach import TelegramUnreachableError, TokenRefusedError, reach_telegram

    settings = deps.settings
    try:
        asyncio.run(
            reach_telegram(
                tokens,
                base_url=settings.telegram_base_url,
                retries=settings.start_retries,
                first_wait=settings.start_retry_delay,
            )
        )
    except TokenRefusedError as exc:
        fail(deps, "cli.telegram.refused", bot=exc.bot)
    except TelegramUnreachableError as exc:
        fail(
            deps, "cli.telegram.unreachable", tries=exc.tries, url=_host(settings.telegram_base_url)
        )


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).netloc or url


def settle_start_up() -> None:
    """For a long-running process, once everything is loaded: what start-up built (catalogs,
    templates, the lexicon, the wiring) lives as long as the process, so the garbage collector
    need not walk it on every full pass; those passes otherwise add tens of milliseconds to a
    request now and then (the brugfiguur's list waited on them)."""
    gc.collect()
    gc.freeze()


class _Served(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


def serve_with(app: Application, server: _Served) -> None:  # type: ignore[type-arg]
    """`server` starts after the bot's own start-up and stops before its own shutdown."""
    init, shutdown = app.post_init, app.post_shutdown

    async def post_init(the_app: Application) -> None:  # type: ignore[type-arg]
        if init is not None:
            await init(the_app)
        await server.start()

    async def post_shutdown(the_app: Application) -> None:  # type: ignore[type-arg]
        await server.stop()
        if shutdown is not None:
            await shutdown(the_app)

    app.post_init = post_init
    app.post_shutdown = post_shutdown
