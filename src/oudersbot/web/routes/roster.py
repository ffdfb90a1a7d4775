"""Klaslijst, for the administrator: the classes with their counts; a roster file (CSV or
Excel) checked first (the problem table, or the change it would make) and applied only on
"Toepassen", exactly the file that was checked; a class's invite sheet as a PDF
(services/desk_roster.py, the same as `oudersbot roster import` and `oudersbot invites print`)."""

from __future__ import annotations

import re
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oudersbot.services.desk_roster import (
    ProblemLine,
    RosterChangedError,
    RosterChanges,
    RosterReport,
    Scope,
    apply_roster,
    check_roster,
    classes,
    invite_pdf,
    problem_lines,
)
from oudersbot.services.web_login import DeskUser
from oudersbot.settings import SettingsError
from oudersbot.web.auth import page
from oudersbot.web.pages import ROSTER
from oudersbot.web.render import deps_of, render
from oudersbot.web.uploads import (
    MAX_UPLOAD_BYTES,
    UploadRefusedError,
    keep_checked,
    receive_upload,
    take_checked,
)

PAGE = ROSTER
KIND = "roster"
SCOPES = {scope.value: scope for scope in Scope}
CHILD_KINDS = ("new_children", "changed_children", "returned_children", "left_children")
GUARDIAN_KINDS = ("new_guardians", "changed_guardians", "returned_guardians", "left_guardians")


def _changed_kinds(changes: RosterChanges) -> set[str]:
    """The kinds of change with anyone in them."""
    return {kind for kind in GUARDIAN_KINDS if getattr(changes, kind)}


async def _page(
    request: Request, user: DeskUser, *, status: int = 200, **context: object
) -> Response:
    found = await run_in_threadpool(classes, deps_of(request), user.viewer)
    return render(
        request,
        "roster.html",
        user=user,
        page=PAGE,
        status=status,
        classes=found,
        scopes=list(SCOPES),
        child_kinds=CHILD_KINDS,
        guardian_kinds=GUARDIAN_KINDS,
        changed_kinds=_changed_kinds,
        limit_mb=MAX_UPLOAD_BYTES // 1_000_000,
        **context,
    )


@page(PAGE)
async def roster(request: Request, user: DeskUser) -> Response:
    """The classes, the upload form and the invite sheets."""
    return await _page(request, user)


@page(PAGE)
async def check(request: Request, user: DeskUser) -> Response:
    """Check an uploaded file: its problems (nothing imported), or the change it would make
    with a token to apply exactly this file."""
    deps = deps_of(request)
    try:
        upload = await receive_upload(request, default_name="klaslijst.csv", fields=("scope",))
    except UploadRefusedError as exc:
        return await _page(request, user, status=exc.status, error=exc.key, file=exc.file)
    data, filename = upload.data, upload.filename
    scope = SCOPES.get(upload.fields["scope"], Scope.PART)
    report, problems = await run_in_threadpool(
        lambda: check_roster(deps, user.viewer, data=data, filename=filename, scope=scope)
    )
    return await _preview(request, user, report, problems, data, scope)


async def _preview(
    request: Request,
    user: DeskUser,
    report: RosterReport,
    problems: list[ProblemLine],
    data: bytes,
    scope: Scope,
    **context: object,
) -> Response:
    """The change a file would make (with a token to apply exactly it), or its problems."""
    token = None
    if report.ok and report.changes is not None and report.changes.changes:
        token = keep_checked(
            request,
            user,
            kind=KIND,
            filename=report.filename,
            data=data,
            expected=report.changes,
            options={"scope": scope.value},
        )
    return await _page(
        request,
        user,
        status=200 if report.ok else 422,
        report=report,
        problems=problems,
        token=token,
        scope=scope.value,
        **context,
    )


@page(PAGE)
async def apply(request: Request, user: DeskUser) -> Response:
    """Import the file checked before under this token; any other token changes nothing."""
    deps = deps_of(request)
    pending = await take_checked(request, user, kind=KIND)
    if pending is None:
        return await _page(request, user, status=400, error="web.upload.gone")
    scope = SCOPES[pending.options["scope"]]
    expected = pending.expected if isinstance(pending.expected, RosterChanges) else None
    try:
        report, problems = await run_in_threadpool(
            lambda: apply_roster(
                deps,
                user.viewer,
                data=pending.data,
                filename=pending.filename,
                scope=scope,
                expect=expected,
            )
        )
    except RosterChangedError as exc:  # the list changed meanwhile: check again, show anew
        now = exc.report
        problems = problem_lines(deps, now, pending.data)
        return await _preview(
            request, user, now, problems, pending.data, scope, error="web.upload.changed"
        )
    return await _page(
        request,
        user,
        status=200 if report.ok else 422,
        report=report,
        problems=problems,
        applied=report.ok,
        scope=scope.value,
    )


@page(PAGE)
async def invites(request: Request, user: DeskUser) -> Response:
    """New invite codes for a class of the school, as a PDF to print; another school's class
    is not found."""
    deps = deps_of(request)
    group_id = request.path_params["group_id"]
    form = await request.form()
    reissue = form.get("reissue") == "1"
    try:
        sheet = await run_in_threadpool(
            lambda: invite_pdf(deps, user.viewer, group_id=group_id, reissue=reissue)
        )
    except SettingsError as exc:  # the school's own bot has no username in the settings
        return await _page(request, user, status=409, error="web.roster.no_bot", bot=exc.value)
    if sheet is None:
        raise HTTPException(status_code=404)
    if not sheet.cards:
        return await _page(request, user, sheet=sheet)
    return pdf_response(sheet.data, sheet.filename)


def pdf_response(data: bytes, filename: str) -> Response:
    """A PDF to save: an ASCII file name for every browser, the exact one (RFC 6266) beside."""
    ascii_name = re.sub(r"[^A-Za-z0-9._-]", "-", filename)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    return Response(
        data, media_type="application/pdf", headers={"content-disposition": disposition}
    )


ROUTES = [
    Route(PAGE.path, roster, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/controleren", check, methods=["POST"], name="roster_check"),
    Route(PAGE.path + "/toepassen", apply, methods=["POST"], name="roster_apply"),
    Route(
        PAGE.path + "/{group_id:int}/uitnodigingen",
        invites,
        methods=["POST"],
        name="roster_invites",
    ),
]
