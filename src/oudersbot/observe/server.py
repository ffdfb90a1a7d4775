"""/healthz and /metrics over HTTP, inside `oudersbot run` and `oudersbot worker`
(OUDERSBOT_METRICS_PORT; 0 serves nothing). Database reads run in a thread, so a scrape never
holds up parents' taps."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy.exc import SQLAlchemyError

from oudersbot.observe.metrics import registry_for, render
from oudersbot.services.sending import sending_status
from oudersbot.store.metrics import database_answers

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)


def health(deps: Deps) -> tuple[bool, dict[str, object]]:
    """Healthy when the database answers and a live process holds the sender lease."""
    try:
        with deps.db.session() as session:
            database = database_answers(session)
        sender = sending_status(deps).alive()
    except SQLAlchemyError as exc:
        log.warning("health check: the database does not answer (%s)", type(exc).__name__)
        database, sender = False, False
    return database and sender, {"database": database, "sender": sender}


def make_app(deps: Deps) -> web.Application:
    """The two routes."""
    registry = registry_for(deps)

    async def healthz(_: web.Request) -> web.Response:
        ok, detail = await asyncio.to_thread(health, deps)
        body = json.dumps({"status": "ok" if ok else "unhealthy", **detail})
        return web.Response(text=body, status=200 if ok else 503, content_type="application/json")

    async def metrics(_: web.Request) -> web.Response:
        body = await asyncio.to_thread(render, registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


class ObserveServer:
    """The HTTP server, started and stopped with the process's event loop."""

    def __init__(self, deps: Deps, *, host: str, port: int) -> None:
        self._runner = web.AppRunner(make_app(deps), access_log=None)
        self._host, self._port = host, port
        self.port = port  # the port it listens on, once started

    async def start(self) -> None:
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        if self._runner.addresses:  # the port the system chose for port 0
            self.port = int(self._runner.addresses[0][1])
        log.info("health and metrics on http://%s:%s/healthz and /metrics", self._host, self.port)

    async def stop(self) -> None:
        await self._runner.cleanup()


@asynccontextmanager
async def observing(deps: Deps, *, port: int | None = None) -> AsyncIterator[ObserveServer | None]:
    """Serve /healthz and /metrics while inside (nothing when the port setting is 0)."""
    chosen = deps.settings.metrics_port if port is None else port
    if chosen == 0 and port is None:
        yield None
        return
    server = ObserveServer(deps, host=deps.settings.metrics_listen, port=chosen)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
