"""Sending, for the school's IT person: the bot, a worker, a one-off dispatch, the status.

Each bot has one sender at a time (a lease in the database with a heartbeat): the bot and
`dispatch` refuse to start while another live process sends for it, and say so in one line;
workers stand by and take over when it stops. `status` shows it all.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import click
from babel.dates import format_datetime, format_timedelta

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF, fail, say, school_id, staff_deps, token
from oudersbot.cli.operate import (
    check_telegram,
    check_webhook,
    serve_with,
    settle_start_up,
    start_logging,
)
from oudersbot.cli.progress import Report, progress
from oudersbot.cli.web import desk_with
from oudersbot.delivery.worker import SenderBusyError
from oudersbot.services.sending import sending_status
from oudersbot.settings import DEFAULT_BOT, SettingsError
from oudersbot.store.senders import Lease

if TYPE_CHECKING:
    from telegram.ext import Application

STAFF_LOCALE = "nl_BE"


def staff_moment(deps: Deps, moment: datetime) -> str:
    """A moment as staff read it: "maandag 30 november om 07:30"."""
    local = moment.astimezone(deps.settings.timezone)
    return format_datetime(local, "EEEE d MMMM 'om' HH:mm", locale=STAFF_LOCALE)


def _age(delta: timedelta) -> str:
    return format_timedelta(delta, locale=STAFF_LOCALE, threshold=1.1)


def bot_tokens(deps: Deps) -> dict[str, str]:
    """Every bot's token, or a clear stop that says where to put them."""
    token(deps)  # the main one, with its own message when missing
    try:
        return deps.settings.bot_tokens()
    except SettingsError as exc:
        fail(deps, "cli.settings_error", error=str(exc))


def say_busy(deps: Deps, exc: SenderBusyError) -> None:
    """One line on stderr: who already sends for this bot, and what to do."""
    click.echo(deps.words.text(STAFF, "cli.sender.busy", **_holder(deps, exc.lease)), err=True)


def _holder(deps: Deps, lease: Lease) -> dict[str, object]:
    """The words' slots that name a lease's holder."""
    return {
        "bot": lease.bot,
        "role": lease.role,
        "pid": lease.pid,
        "host": lease.host,
        "since": staff_moment(deps, lease.started_at),
    }


def say_who_sends(deps: Deps, due: datetime | None) -> None:
    """Tell staff the truth about when their message goes out, and whether anything sends it."""
    status = sending_status(deps)
    if due is not None and due > deps.clock.now():
        say(deps, "cli.send.goes_at", when=staff_moment(deps, due))
    if status.alive():
        say(deps, "cli.send.bot_sends")
    else:
        say(deps, "cli.send.no_bot")


async def _watch_queue(deps: Deps, report: Report, total: int) -> None:
    """Tell the progress how much of the queue is sent, twice a second, until cancelled."""
    while True:
        queue = (await asyncio.to_thread(sending_status, deps)).queue
        left = queue.due + queue.sending
        total = max(total, left)
        report(total - left, total)
        await asyncio.sleep(0.5)


@click.command()
@click.pass_context
def dispatch(ctx: click.Context) -> None:
    """Send what is waiting in the outbox now (and what the plans made due), then stop."""
    from oudersbot.bootstrap import sending
    from oudersbot.delivery.worker import SenderBusyError
    from oudersbot.services.due import queue_due

    deps = staff_deps(ctx, migrate=True)
    tokens = bot_tokens(deps)
    start_logging(deps)
    check_telegram(deps, tokens)

    async def drain() -> None:
        async with sending(deps, role="dispatch", tokens=tokens) as worker:
            try:
                await worker.start(exclusive=True)
            except SenderBusyError as exc:
                say_busy(deps, exc)
                sys.exit(1)
            await asyncio.to_thread(queue_due, deps)
            queue = (await asyncio.to_thread(sending_status, deps)).queue
            waiting = queue.due + queue.sending
            with progress(deps, "progress.dispatch", total=waiting) as report:
                watching = asyncio.create_task(_watch_queue(deps, report, waiting))
                try:
                    stats = await worker.drain()
                finally:
                    watching.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await watching
        say(
            deps,
            "cli.dispatch.done",
            sent=stats.sent,
            retried=stats.retried,
            unreachable=stats.unreachable,
            failed=stats.failed,
            unconfirmed=stats.unconfirmed,
        )

    asyncio.run(drain())


@click.command()
@click.option(
    "--zonder-verzenden",
    "--no-sender",
    "no_sender",
    is_flag=True,
    help="Answer parents and staff only; `oudersbot worker` processes send.",
)
@click.pass_context
def run(ctx: click.Context, no_sender: bool) -> None:
    """Run every bot (TELEGRAM_BOT_TOKEN and OUDERSBOT_EXTRA_BOTS) in one process: polling by
    default, a webhook (one bot only) when asked. It is each bot's only sender: it refuses to
    start while another live process sends for one of them."""
    from oudersbot.bot.app import build_application
    from oudersbot.delivery.worker import SenderBusyError

    deps = staff_deps(ctx, migrate=True)
    tokens = bot_tokens(deps)
    start_logging(deps)
    settings = deps.settings
    check_webhook(deps)
    if settings.mode == "webhook" and len(tokens) > 1:
        fail(deps, "cli.run.webhook_one_bot", bots=", ".join(tokens))
    check_telegram(deps, tokens)
    try:
        if settings.mode == "webhook":
            app = build_application(
                deps,
                token=tokens[DEFAULT_BOT],
                base_url=settings.telegram_base_url,
                send=not no_sender,
            )
            observe_with(app, deps)
            desk_with(app, deps)
            settle_start_up()
            app.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path="telegram",
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                bootstrap_retries=settings.start_retries,
            )
        else:
            asyncio.run(poll_every_bot(deps, tokens, send=not no_sender))
    except SenderBusyError as exc:
        say_busy(deps, exc)
        sys.exit(1)


async def poll_every_bot(deps: Deps, tokens: dict[str, str], *, send: bool) -> None:
    """`run` in polling mode: one Application per bot in this event loop, until SIGINT or
    SIGTERM; /healthz and /metrics start and stop with the first."""
    from oudersbot.bot.fleet import build_fleet, serve_fleet, stop_on_signals

    settings = deps.settings
    apps = build_fleet(deps, tokens, base_url=settings.telegram_base_url, send=send)
    observe_with(apps[0], deps)
    desk_with(apps[0], deps)
    settle_start_up()
    stop = asyncio.Event()
    stop_on_signals(stop)
    await serve_fleet(apps, stop, bootstrap_retries=settings.start_retries)


@click.command()
@click.pass_context
def worker(ctx: click.Context) -> None:
    """Send the outbox of every bot (TELEGRAM_BOT_TOKEN and OUDERSBOT_EXTRA_BOTS), next to
    other workers: each bot is sent by one worker at a time, the others stand by."""
    from oudersbot.bootstrap import sending
    from oudersbot.observe.server import observing
    from oudersbot.scheduling.wakeup import Waker, run_forever

    deps = staff_deps(ctx, migrate=True)
    tokens = bot_tokens(deps)
    start_logging(deps)
    check_telegram(deps, tokens)

    async def serve() -> None:
        settle_start_up()
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signal_number, stop.set)
        async with (
            sending(deps, role="worker", tokens=tokens) as sender,
            observing(deps),
        ):
            await sender.start(exclusive=False)
            await run_forever(Waker(deps, sender), stop)

    asyncio.run(serve())


def observe_with(app: Application, deps: Deps) -> None:  # type: ignore[type-arg]
    """/healthz and /metrics start and stop with the bot (OUDERSBOT_METRICS_PORT; 0: none)."""
    from oudersbot.observe.server import ObserveServer

    settings = deps.settings
    if not settings.metrics_port:
        return
    server = ObserveServer(deps, host=settings.metrics_listen, port=settings.metrics_port)
    serve_with(app, server)


@click.command()
@click.option(
    "--message",
    "--bericht",
    "message_id",
    type=int,
    default=None,
    help="One broadcast's progress: delivered, waiting, unreachable, unconfirmed.",
)
@click.pass_context
def status(ctx: click.Context, message_id: int | None) -> None:
    """Is a sender alive, how long is the queue, what failed or may not have arrived; with
    --message N, where the copies of message N stand."""
    deps = staff_deps(ctx)
    if message_id is not None:
        _say_broadcast(deps, message_id)
        return
    report = sending_status(deps)
    if not report.senders:
        say(deps, "cli.status.no_sender")
    for sender in report.senders:
        key = "cli.status.sender_alive" if sender.alive else "cli.status.sender_dead"
        say(deps, key, beat=_age(sender.beat_age), **_holder(deps, sender.lease))
    queue = report.queue
    say(deps, "cli.status.queue", due=queue.due, later=queue.later, sending=queue.sending)
    age = report.oldest_due_age
    if age is not None:
        say(deps, "cli.status.oldest", age=_age(age))
    say(
        deps,
        "cli.status.problems",
        failed=queue.failed,
        unreachable=queue.unreachable,
        unconfirmed=queue.unconfirmed,
    )
    if queue.due and not report.alive():
        say(deps, "cli.send.no_bot")
        sys.exit(2)


def _say_broadcast(deps: Deps, message_id: int) -> None:
    from oudersbot.store.broadcast import broadcast_progress

    with deps.db.session() as session:
        found = broadcast_progress(session, school_id=school_id(deps), message_id=message_id)
    if found is None:
        fail(deps, "cli.status.no_message", id=message_id)
    first_line = found.text_nl.strip().splitlines()[0] if found.text_nl.strip() else ""
    say(deps, "cli.status.message", id=message_id, text=first_line[:60], total=found.total)
    say(
        deps,
        "cli.status.message_counts",
        delivered=found.delivered,
        waiting=found.waiting,
        unreachable=found.unreachable,
        not_joined=found.not_joined,
        unconfirmed=found.unconfirmed,
        failed=found.failed,
        resent=found.resent,
    )
    if found.waiting and not sending_status(deps).alive():
        say(deps, "cli.send.no_bot")
