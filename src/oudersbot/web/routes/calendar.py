"""Kalender, for the administrator: a calendar file (.ics or .csv) checked first (the problem
table, or what it would change) and applied only on "Toepassen", exactly the file that was
checked; the planned sends to come, each to move or cancel (services/desk_calendar.py, the same
as `oudersbot calendar import / upcoming / move / cancel`). Another school's key is not found."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from oudersbot.domain.calendar import WHOLE_SCHOOL
from oudersbot.domain.slips import SlipError
from oudersbot.services.calendar_import import OVERVIEW_RULE
from oudersbot.services.desk_calendar import (
    UPCOMING_DAYS,
    CalendarChangedError,
    CalendarCheck,
    ImportReport,
    NotPlannedError,
    apply_calendar,
    cancel_send,
    check_calendar,
    move_send,
    problem_of,
    upcoming_sends,
)
from oudersbot.services.messages import DraftError
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.pages import CALENDAR
from oudersbot.web.render import deps_of, render
from oudersbot.web.uploads import (
    MAX_UPLOAD_BYTES,
    UploadRefusedError,
    keep_checked,
    receive_upload,
    take_checked,
)

PAGE = CALENDAR
KIND = "calendar"
DONE = {"verplaatst": "web.calendar.moved", "geannuleerd": "web.calendar.cancelled"}


async def _page(
    request: Request, user: DeskUser, *, status: int = 200, **context: object
) -> Response:
    deps = deps_of(request)
    items = await run_in_threadpool(upcoming_sends, deps, user.viewer)
    done = DONE.get(request.query_params.get("gedaan", ""))
    return render(
        request,
        "calendar.html",
        user=user,
        page=PAGE,
        status=status,
        items=items,
        done=done,
        limit_mb=MAX_UPLOAD_BYTES // 1_000_000,
        zone=deps.settings.timezone,
        overview_rule=OVERVIEW_RULE,
        days=UPCOMING_DAYS,
        whole_school=WHOLE_SCHOOL,
        **context,
    )


@page(PAGE)
async def calendar(request: Request, user: DeskUser) -> Response:
    """The upload form and the planned sends to come."""
    return await _page(request, user)


@page(PAGE)
async def check(request: Request, user: DeskUser) -> Response:
    """Check an uploaded calendar: its problems (nothing imported), or what it would change
    with a token to apply exactly this file."""
    deps = deps_of(request)
    try:
        upload = await receive_upload(request, default_name="kalender.ics")
    except UploadRefusedError as exc:
        return await _page(request, user, status=exc.status, error=exc.key, file=exc.file)
    data, filename = upload.data, upload.filename
    found = await run_in_threadpool(
        lambda: check_calendar(deps, user.viewer, data=data, filename=filename)
    )
    return await _preview(request, user, found, data)


async def _preview(
    request: Request, user: DeskUser, found: CalendarCheck, data: bytes, **context: object
) -> Response:
    """What a file would change (with a token to apply exactly it), or its problems."""
    token = None
    if found.ok and found.changes:
        token = keep_checked(
            request, user, kind=KIND, filename=found.filename, data=data, expected=found.report
        )
    return await _page(
        request, user, status=200 if found.ok else 422, found=found, token=token, **context
    )


@page(PAGE)
async def apply(request: Request, user: DeskUser) -> Response:
    """Import the calendar checked before under this token; any other token changes nothing."""
    deps = deps_of(request)
    pending = await take_checked(request, user, kind=KIND)
    if pending is None:
        return await _page(request, user, status=400, error="web.upload.gone")
    expected = pending.expected if isinstance(pending.expected, ImportReport) else None
    try:
        found = await run_in_threadpool(
            lambda: apply_calendar(
                deps, user.viewer, data=pending.data, filename=pending.filename, expect=expected
            )
        )
    except CalendarChangedError as exc:  # changed meanwhile: show what it would do now
        again = CalendarCheck(pending.filename, exc.report)
        return await _preview(request, user, again, pending.data, error="web.upload.changed")
    return await _page(
        request, user, status=200 if found.ok else 422, found=found, applied=found.ok
    )


@page(PAGE)
async def move(request: Request, user: DeskUser) -> Response:
    """Move one planned send to another moment (the rules of `oudersbot calendar move`)."""
    deps = deps_of(request)
    form = await request.form()
    key, to = str(form.get("key", "")), str(form.get("to", ""))
    try:
        await run_in_threadpool(lambda: move_send(deps, user.viewer, key=key, to=to))
    except NotPlannedError:
        raise HTTPException(status_code=404) from None
    except (DraftError, SlipError) as exc:
        return await _page(request, user, status=400, problem=problem_of(deps, exc), key=key)
    return RedirectResponse(request.url_for(PAGE.name).path + "?gedaan=verplaatst", 303)


@page(PAGE)
async def cancel(request: Request, user: DeskUser) -> Response:
    """Cancel one planned send for everyone it would reach."""
    deps = deps_of(request)
    form = await request.form()
    key = str(form.get("key", ""))
    try:
        await run_in_threadpool(lambda: cancel_send(deps, user.viewer, key=key))
    except NotPlannedError:
        raise HTTPException(status_code=404) from None
    except DraftError as exc:
        return await _page(request, user, status=400, problem=problem_of(deps, exc), key=key)
    return RedirectResponse(request.url_for(PAGE.name).path + "?gedaan=geannuleerd", 303)


ROUTES = [
    Route(PAGE.path, calendar, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/controleren", check, methods=["POST"], name="calendar_check"),
    Route(PAGE.path + "/toepassen", apply, methods=["POST"], name="calendar_apply"),
    Route(PAGE.path + "/verplaatsen", move, methods=["POST"], name="calendar_move"),
    Route(PAGE.path + "/annuleren", cancel, methods=["POST"], name="calendar_cancel"),
]
