"""Opvolging: the brugfiguur's list (services/followup.py through services/desk_followup.py)
with filters, pages, the outcome form, the resend button and the export (exports.py). Only the
brugfiguur and the administrator; an id of another school in the address or a form is not
found (404) and changes nothing."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from oudersbot import exports, reports
from oudersbot.domain.languages import dutch_name
from oudersbot.services.desk_followup import (
    REACHES,
    FollowUpFilter,
    filtered_items,
    followup_page,
)
from oudersbot.services.followup import (
    FOLLOW_UP_ACTIONS,
    FOLLOW_UP_OUTCOMES,
    RESOLVED,
    FollowUpError,
    note_export,
    record_followup,
)
from oudersbot.services.resend import resend_unconfirmed
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.forms import number
from oudersbot.web.pages import FOLLOWUP
from oudersbot.web.render import STAFF_LANGUAGE, deps_of, render

PAGE = FOLLOWUP
FILTER_FIELDS = ("strookje", "klas", "status", "bereik")
NOT_FOUND = ("no_slip", "no_child", "not_their_child")  # ids not of this school or slip
TEXT_LIMIT = 500  # a note longer than this is cut


def filters_of(values: QueryParams | FormData) -> FollowUpFilter:
    """The filters in the address (or carried along in a form); odd values mean "any"."""
    reach = str(values.get("bereik") or "")
    group = str(values.get("klas") or "").strip()
    return FollowUpFilter(
        slip_id=number(values.get("strookje")),
        group=group[:64] or None,
        open_only=values.get("status") != "alles",
        reach=reach if reach in REACHES else None,
    )


def _query(filters: FollowUpFilter) -> dict[str, str]:
    query = {"status": "open" if filters.open_only else "alles"}
    if filters.slip_id is not None:
        query["strookje"] = str(filters.slip_id)
    if filters.group:
        query["klas"] = filters.group
    if filters.reach:
        query["bereik"] = filters.reach
    return query


async def _show(
    request: Request,
    user: DeskUser,
    filters: FollowUpFilter,
    *,
    offset: int = 0,
    notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    deps = deps_of(request)
    found = await run_in_threadpool(followup_page, deps, user.viewer, filters, offset=offset)
    if filters.slip_id is not None and filters.slip_id not in {s for s, _ in found.slips}:
        raise HTTPException(status_code=404)
    return render(
        request,
        "followup.html",
        user=user,
        page=PAGE,
        status=status,
        found=found,
        filters=filters,
        query=_query(filters),
        urlencode=urlencode,
        actions=FOLLOW_UP_ACTIONS,
        outcomes=FOLLOW_UP_OUTCOMES,
        resolved=RESOLVED,
        reaches=REACHES,
        language_name=dutch_name,
        notice=notice,
        problem=problem,
    )


@page(PAGE)
async def followup(request: Request, user: DeskUser) -> Response:
    """The list, filtered, one page at a time."""
    params = request.query_params
    notice = deps_of(request).words.text(STAFF_LANGUAGE, "web.followup.saved")
    return await _show(
        request,
        user,
        filters_of(params),
        offset=number(params.get("vanaf")) or 0,
        notice=notice if params.get("bewaard") == "1" else None,
    )


@page(PAGE)
async def record(request: Request, user: DeskUser) -> Response:
    """What the brugfiguur did for one guardian about one child; then back to the list."""
    deps = deps_of(request)
    form = await request.form()
    filters = filters_of(form)
    slip_id, guardian_id = number(form.get("slip")), number(form.get("guardian"))
    child_id = number(form.get("child"))
    if slip_id is None or guardian_id is None or child_id is None:
        raise HTTPException(status_code=404)
    outcome = str(form.get("outcome") or "")
    try:
        await run_in_threadpool(
            lambda: record_followup(
                deps,
                user.viewer,
                slip_id=slip_id,
                guardian_id=guardian_id,
                child_id=child_id,
                action=str(form.get("action") or ""),
                outcome=outcome,
                answer=str(form.get("answer") or "") or None if outcome == RESOLVED else None,
                note=str(form.get("note") or "").strip()[:TEXT_LIMIT] or None,
            )
        )
    except FollowUpError as exc:
        if exc.code in NOT_FOUND:
            raise HTTPException(status_code=404) from exc
        problem = deps.words.text(STAFF_LANGUAGE, f"cli.followup.problem.{exc.code}", **exc.params)
        return await _show(request, user, filters, problem=problem, status=400)
    query = {**_query(filters), "bewaard": "1"}
    url = f"{request.url_for(PAGE.name).path}?{urlencode(query)}"
    return RedirectResponse(url, status_code=303)


@page(PAGE)
async def resend(request: Request, user: DeskUser) -> Response:
    """Send again what may not have arrived (the brugfiguur decides, as with the bot's
    button); a delivery of another school is "not on the list" and nothing is sent."""
    deps = deps_of(request)
    form = await request.form()
    delivery_id = number(form.get("delivery"))
    if delivery_id is None:
        raise HTTPException(status_code=404)
    result = await run_in_threadpool(
        lambda: resend_unconfirmed(deps, user.viewer, delivery_id=delivery_id)
    )
    line = reports.resend_line(deps.words, STAFF_LANGUAGE, delivery_id, result)
    return await _show(
        request,
        user,
        filters_of(form),
        notice=line if result.problem is None else None,
        problem=line if result.problem is not None else None,
    )


@page(PAGE)
async def export(request: Request, user: DeskUser) -> Response:
    """The filtered list as a CSV or XLSX file; the export is written to the audit log."""
    deps = deps_of(request)
    kind = request.path_params["kind"]
    if kind not in ("csv", "xlsx"):
        raise HTTPException(status_code=404)
    items, _, silent_after = await run_in_threadpool(
        filtered_items, deps, user.viewer, filters_of(request.query_params)
    )
    words = deps.words
    rows = reports.followup_rows(words, STAFF_LANGUAGE, items, silent_after)
    header = words.text(STAFF_LANGUAGE, "cli.followup.export_header").split(";")
    await run_in_threadpool(
        lambda: note_export(deps, user.viewer, actor=user.viewer.name, kind=kind, rows=len(rows))
    )
    name = words.text(STAFF_LANGUAGE, "cli.followup.sheet_title")
    if kind == "xlsx":
        buffer = io.BytesIO()
        exports.write_xlsx(buffer, name, header, rows)
        body, media = (
            buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        body, media = exports.csv_bytes(header, rows), "text/csv; charset=utf-8"
    filename = f"opvolging.{kind}"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


ROUTES = [
    Route(PAGE.path, followup, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/noteren", record, methods=["POST"], name="followup_record"),
    Route(PAGE.path + "/opnieuw", resend, methods=["POST"], name="followup_resend"),
    Route(PAGE.path + "/export.{kind:str}", export, methods=["GET"], name="followup_export"),
]
