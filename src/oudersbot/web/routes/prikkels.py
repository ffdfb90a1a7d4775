"""Prikkels: the library (by theme and age, each with its pictogram and the languages it is
reviewed in), "In de wachtrij" for a class, the queue per class with cancel, and the week view
of this week and the next (services/desk_prikkels.py). The scheduler sends what is queued,
through the one door; nothing is sent from here. A teacher works with their own classes; the
brugfiguur and the administrator with every class. A class or prikkel outside that is not
found (404) and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oudersbot.domain.languages import dutch_name
from oudersbot.domain.prikkels import DEFAULT_WEEKLY_LIMIT
from oudersbot.services import desk_prikkels
from oudersbot.services.desk_prikkels import NotFoundError
from oudersbot.services.messages import DraftError
from oudersbot.services.web_login import DeskUser
from oudersbot.translation.prikkels import AGE_BANDS
from oudersbot.web.auth import page
from oudersbot.web.forms import number
from oudersbot.web.pages import PRIKKELS
from oudersbot.web.render import STAFF_LANGUAGE, deps_of, render

PAGE = PRIKKELS
STAFF_LOCALE = "nl_BE"


def _day(raw: object) -> dt.date | None:
    """A date from a date field (YYYY-MM-DD); empty or odd input means "the next school day"."""
    try:
        return dt.date.fromisoformat(str(raw or "").strip())
    except ValueError:
        return None


def _filters(values: QueryParams) -> tuple[str | None, str | None]:
    theme = str(values.get("thema") or "").strip()[:64] or None
    age = str(values.get("leeftijd") or "")
    return theme, age if age in AGE_BANDS else None


def _query(theme: str | None, age: str | None) -> dict[str, str]:
    query = {"thema": theme, "leeftijd": age}
    return {key: value for key, value in query.items() if value}


def _day_name(day: dt.date) -> str:
    return format_date(day, "EEEE d MMMM", locale=STAFF_LOCALE)


async def _show(
    request: Request,
    user: DeskUser,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    deps, viewer = deps_of(request), user.viewer
    theme, age = _filters(request.query_params)

    def gather() -> dict[str, Any]:
        return {
            "entries": desk_prikkels.library(deps, viewer, theme=theme, age=age),
            "themes": desk_prikkels.themes(deps),
            "classes": desk_prikkels.classes(deps, viewer),
            "queues": desk_prikkels.queues(deps, viewer),
            "weeks": desk_prikkels.week_view(deps, viewer),
        }

    found = await run_in_threadpool(gather)
    return render(
        request,
        "prikkels.html",
        user=user,
        page=PAGE,
        status=status,
        theme=theme,
        age=age,
        # The library's filters stay when a form is sent from it.
        query="?" + urlencode(filters) if (filters := _query(theme, age)) else "",
        ages=AGE_BANDS,
        limit=DEFAULT_WEEKLY_LIMIT,
        language_names=lambda tags: ", ".join(dutch_name(tag) for tag in tags),
        day_name=_day_name,
        today=deps.clock.now().astimezone(deps.settings.timezone).date(),
        notice=notice,
        problem=problem,
        **found,
    )


@page(PAGE)
async def prikkels(request: Request, user: DeskUser) -> Response:
    """The week view, the queues and the library."""
    return await _show(request, user)


@page(PAGE)
async def enqueue(request: Request, user: DeskUser) -> Response:
    """Queue a library prikkel for a class (the weekly dose applies per family)."""
    deps = deps_of(request)
    form = await request.form()
    group = str(form.get("klas") or "").strip()[:64]
    prikkel_id = str(form.get("prikkel") or "").strip()[:100]
    day = _day(form.get("dag"))
    words = deps.words
    try:
        done = await run_in_threadpool(
            lambda: desk_prikkels.queue_for_class(
                deps, user.viewer, group=group, prikkel_id=prikkel_id, day=day
            )
        )
    except NotFoundError as exc:
        raise HTTPException(status_code=404) from exc
    except DraftError as exc:
        reason = words.text(STAFF_LANGUAGE, f"draft.{exc.code}", **exc.params)
        problem = words.text(STAFF_LANGUAGE, "cli.draft_error", error=reason)
        return await _show(request, user, problem=problem, status=400)
    zone = deps.settings.timezone
    notice = words.text(
        STAFF_LANGUAGE,
        "web.prikkels.queued",
        id=done.message_id,
        group=done.group,
        count=done.reaching,
        when=done.due.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
    )
    if done.delayed:
        notice += " " + words.text(STAFF_LANGUAGE, "web.prikkels.delayed", count=done.delayed)
    return await _show(request, user, notice=notice)


@page(PAGE)
async def cancel(request: Request, user: DeskUser) -> Response:
    """Cancel what still waits of a prikkel for one of the viewer's classes."""
    deps = deps_of(request)
    form = await request.form()
    message_id = number(form.get("bericht"))
    if message_id is None:
        raise HTTPException(status_code=404)
    try:
        count = await run_in_threadpool(
            lambda: desk_prikkels.cancel(deps, user.viewer, message_id=message_id)
        )
    except NotFoundError as exc:
        raise HTTPException(status_code=404) from exc
    notice = deps.words.text(STAFF_LANGUAGE, "cli.prikkel.cancelled", id=message_id, count=count)
    return await _show(request, user, notice=notice)


ROUTES = [
    Route(PAGE.path, prikkels, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/wachtrij", enqueue, methods=["POST"], name="prikkels_queue"),
    Route(PAGE.path + "/annuleren", cancel, methods=["POST"], name="prikkels_cancel"),
]
