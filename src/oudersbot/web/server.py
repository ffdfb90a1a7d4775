"""Serving the desk with uvicorn: on its own (`oudersbot web`), or inside `oudersbot run` next
to the bot (OUDERSBOT_WEB_PORT). Behind a reverse proxy uvicorn reads X-Forwarded-Proto and
X-Forwarded-For from the addresses in OUDERSBOT_WEB_PROXIES only. No access log: a login
link's secret is in its address."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import uvicorn

from oudersbot.web.app import create_app

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)
DEFAULT_PORT = 8080


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to the address (OSError when it cannot be: in use, not allowed)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def config_for(deps: Deps) -> uvicorn.Config:
    """uvicorn's configuration for the desk."""
    return uvicorn.Config(
        create_app(deps),
        proxy_headers=True,
        forwarded_allow_ips=deps.settings.web_proxies,
        log_config=None,
        access_log=False,
        server_header=False,
        lifespan="off",
    )


class _Embedded(uvicorn.Server):
    """A uvicorn server that leaves the process's signals to its owner (the bot)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class DeskServer:
    """The desk, started and stopped in the process's event loop."""

    def __init__(self, deps: Deps, sock: socket.socket) -> None:
        self._server = _Embedded(config_for(deps))
        self._socket = sock
        self._task: asyncio.Task[None] | None = None
        self.port = int(sock.getsockname()[1])

    async def start(self) -> None:
        self._task = asyncio.create_task(self._server.serve(sockets=[self._socket]))
        while not self._server.started and not self._task.done():  # noqa: ASYNC110 - uvicorn has no event
            await asyncio.sleep(0.01)
        log.info("the staff desk listens on port %s", self.port)

    async def stop(self) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task
        self._socket.close()


@contextlib.asynccontextmanager
async def serving_desk(deps: Deps, *, port: int | None = None) -> AsyncIterator[DeskServer | None]:
    """Serve the desk while inside (nothing when OUDERSBOT_WEB_PORT is 0 and no port is
    given)."""
    chosen = deps.settings.web_port if port is None else port
    if chosen == 0 and port is None:
        yield None
        return
    server = DeskServer(deps, listening_socket(deps.settings.web_listen, chosen))
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


def serve_forever(deps: Deps, sock: socket.socket) -> None:
    """`oudersbot web`: serve until SIGINT or SIGTERM."""
    uvicorn.Server(config_for(deps)).run(sockets=[sock])
