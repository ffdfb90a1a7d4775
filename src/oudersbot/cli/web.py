"""`oudersbot web`: the staff desk on its own; and the desk inside `oudersbot run`."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import click

from oudersbot.cli.common import fail, say, staff_deps
from oudersbot.cli.operate import serve_with, start_logging

if TYPE_CHECKING:
    from telegram.ext import Application

    from oudersbot.bootstrap import Deps


def _socket(deps: Deps, host: str, port: int) -> socket.socket:
    """The desk's listening socket, or one clear line and exit."""
    from oudersbot.web.server import listening_socket

    try:
        return listening_socket(host, port)
    except OSError as exc:
        fail(deps, "cli.web.cannot_listen", address=f"{host}:{port}", reason=exc.strerror or exc)


@click.command(name="web")
@click.option("--host", default=None, help="The address to listen on (OUDERSBOT_WEB_LISTEN).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="The port.")
@click.pass_context
def web_command(ctx: click.Context, host: str | None, port: int | None) -> None:
    """Serve the staff desk (staff log in with /web in Telegram) until stopped."""
    from oudersbot.web.server import DEFAULT_PORT, serve_forever

    deps = staff_deps(ctx, migrate=True)
    start_logging(deps)
    settings = deps.settings
    host = host or settings.web_listen
    port = port or settings.web_port or DEFAULT_PORT
    sock = _socket(deps, host, port)
    say(deps, "cli.web.serving", address=f"http://{host}:{port}", url=settings.web_url)
    from oudersbot.cli.operate import settle_start_up

    settle_start_up()
    serve_forever(deps, sock)


def desk_with(app: Application, deps: Deps) -> None:  # type: ignore[type-arg]
    """The desk starts and stops with the bot, on OUDERSBOT_WEB_PORT (0: not served)."""
    from oudersbot.web.server import DeskServer

    settings = deps.settings
    if not settings.web_port:
        return
    server = DeskServer(deps, _socket(deps, settings.web_listen, settings.web_port))
    serve_with(app, server)
