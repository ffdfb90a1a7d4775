"""Strookjes: the tally per slip and class, and each child's answer (services/slip_status.py,
the same as /overzicht). A teacher sees only their own classes; a slip of another school, or
one without any of the teacher's classes, is not found (404)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oudersbot.services.slip_status import SlipTally, slip_status
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.pages import SLIPS
from oudersbot.web.render import deps_of, render

PAGE = SLIPS


def _by_slip(tallies: list[SlipTally]) -> list[list[SlipTally]]:
    """The tallies grouped per slip, newest slip first."""
    slips: dict[int, list[SlipTally]] = {}
    for tally in tallies:
        slips.setdefault(tally.message_id, []).append(tally)
    return [slips[key] for key in sorted(slips, reverse=True)]


@page(PAGE)
async def slips(request: Request, user: DeskUser) -> Response:
    """Every slip with its tally per class."""
    tallies = await run_in_threadpool(slip_status, deps_of(request), user.viewer)
    return render(request, "slips.html", user=user, page=PAGE, slips=_by_slip(tallies))


@page(PAGE)
async def slip(request: Request, user: DeskUser) -> Response:
    """One slip: per class the tally and each child's answer and questions."""
    slip_id = request.path_params["slip_id"]
    tallies = await run_in_threadpool(slip_status, deps_of(request), user.viewer, slip_id=slip_id)
    if not tallies:
        raise HTTPException(status_code=404)
    return render(request, "slip.html", user=user, page=PAGE, tallies=tallies)


ROUTES = [
    Route(PAGE.path, slips, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/{slip_id:int}", slip, methods=["GET"], name="slip"),
]
