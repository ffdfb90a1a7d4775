"""Logging in from a /web link, and out. Opening the link shows a button (a link preview or a
virus scanner that fetches the address uses nothing); pressing it uses the link once."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from oudersbot.services.web_login import LOGIN_PATH, close_session, open_session
from oudersbot.web.auth import (
    SESSION_COOKIE,
    clear_session_cookie,
    current_user,
    set_session_cookie,
)
from oudersbot.web.pages import Page
from oudersbot.web.render import deps_of, render

PAGE: Page | None = None  # not in the menu
LOGIN_POST = LOGIN_PATH
TOKEN_LIMIT = 200  # longer than any link we issue


async def login_page(request: Request) -> Response:
    """No session: how to get in (type /web in Telegram)."""
    if await current_user(request) is not None:
        return RedirectResponse(request.url_for("today"), status_code=303)
    return render(request, "login.html", left=request.query_params.get("uit") == "1")


async def link_page(request: Request) -> Response:
    """The link from /web: a button to log in with it (the form carries the link's secret)."""
    token = str(request.path_params["token"])[:TOKEN_LIMIT]
    return render(request, "login_link.html", token=token)


async def login(request: Request) -> Response:
    """Use the link: a session and its cookie, or the clear refusal of a used or expired
    link."""
    form = await request.form()
    token = str(form.get("token", ""))[:TOKEN_LIMIT]
    session_token = (
        await run_in_threadpool(open_session, deps_of(request), link_token=token) if token else None
    )
    if session_token is None:
        return render(request, "link_refused.html", status=403)
    response = RedirectResponse(request.url_for("today"), status_code=303)
    set_session_cookie(request, response, session_token)
    return response


async def logout(request: Request) -> Response:
    """End the session (a form with the CSRF field)."""
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await run_in_threadpool(close_session, deps_of(request), session_token=token)
    response = RedirectResponse(str(request.url_for("login_page")) + "?uit=1", status_code=303)
    clear_session_cookie(response)
    return response


ROUTES = [
    Route(LOGIN_PATH, login_page, methods=["GET"], name="login_page"),
    Route(LOGIN_PATH, login, methods=["POST"], name="login"),
    Route(LOGIN_PATH + "/{token}", link_page, methods=["GET"], name="login_link"),
    Route("/logout", logout, methods=["POST"], name="logout"),
]
