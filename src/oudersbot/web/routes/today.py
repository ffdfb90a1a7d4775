"""Vandaag: what needs attention now (services/desk_today.py)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oudersbot.services.desk_today import today as today_of
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.pages import TODAY
from oudersbot.web.render import deps_of, render

PAGE = TODAY


@page(PAGE)
async def today(request: Request, user: DeskUser) -> Response:
    """The open slips per class, soonest first; what may not have arrived."""
    found = await run_in_threadpool(today_of, deps_of(request), user.viewer)
    return render(request, "today.html", user=user, page=PAGE, today=found)


ROUTES = [Route(PAGE.path, today, methods=["GET"], name=PAGE.name)]
