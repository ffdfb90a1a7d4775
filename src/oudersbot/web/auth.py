"""Who asks: the desk session from its cookie, and `page(...)`, which every page's handler wears:
no session → the login page; a role the page is not for → refused (403); the handler gets the
same `Viewer` the bot builds, and the services check the rest (another school's or class's ids
are not found: 404)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from oudersbot.services.viewers import NotAllowedError
from oudersbot.services.web_login import DeskUser, user_of_session
from oudersbot.web.pages import TODAY, Page, home_of
from oudersbot.web.render import deps_of, render

SESSION_COOKIE = "oudersbot_desk"

Handler = Callable[[Request, DeskUser], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]


async def current_user(request: Request) -> DeskUser | None:
    """The staff member of the request's session, or None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    return await run_in_threadpool(user_of_session, deps_of(request), session_token=token)


def refused(request: Request, user: DeskUser | None, page: Page | None = None) -> Response:
    """The page for a role that may not do this."""
    return render(request, "refused.html", user=user, page=page, status=403)


def page(the_page: Page) -> Callable[[Handler], Endpoint]:
    """Wrap a page's handler: a session is needed, and a role the page is for."""

    def wrap(handler: Handler) -> Endpoint:
        @wraps(handler)
        async def endpoint(request: Request) -> Response:
            user = await current_user(request)
            if user is None:
                return RedirectResponse(request.url_for("login_page"), status_code=303)
            if user.viewer.role not in the_page.roles:
                home = home_of(user.viewer.role)
                if the_page is TODAY and home is not None:  # where the login lands
                    return RedirectResponse(request.url_for(home.name), status_code=303)
                return refused(request, user, the_page)
            try:
                return await handler(request, user)
            except NotAllowedError:
                return refused(request, user, the_page)

        return endpoint

    return wrap


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """The session's secret: HttpOnly, SameSite=Lax, Secure when the desk is on HTTPS."""
    deps = deps_of(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=deps.settings.web_url.startswith("https://"),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    """Logout: the browser forgets the cookie."""
    response.delete_cookie(SESSION_COOKIE, path="/")
