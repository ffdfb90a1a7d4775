"""Pages from Jinja2 templates, in Dutch from the catalogs (`t("web....")` in a template),
with the CSRF field, the menu for the viewer's role, and the desk's security headers."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from oudersbot.web.pages import NAV, Page

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps
    from oudersbot.services.web_login import DeskUser

TEMPLATES = Path(__file__).resolve().parent / "templates"
STAFF_LANGUAGE = "nl"
CSRF_FIELD = "csrftoken"  # asgi-csrf's form field


def environment() -> Environment:
    """The desk's templates; everything is escaped unless marked safe."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def deps_of(request: Request) -> Deps:
    """The wired parts the app was built with."""
    deps: Deps = request.app.state.deps
    return deps


def _csrf_input(request: Request) -> Markup:
    token = request.scope["csrftoken"]()
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, token)


def menu(request: Request, user: DeskUser | None) -> list[dict[str, Any]]:
    """The menu entries this viewer sees: a link for a built page, "soon" for the others."""
    if user is None:
        return []
    built: set[str] = request.app.state.built_pages
    return [
        {"page": page, "built": page.name in built}
        for page in NAV
        if user.viewer.role in page.roles
    ]


def render(
    request: Request,
    template: str,
    *,
    user: DeskUser | None = None,
    page: Page | None = None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page of the desk: the template with the words, the menu and the CSRF field."""
    deps = deps_of(request)
    words, zone = deps.words, deps.settings.timezone

    def t(key: str, /, **slots: Any) -> str:
        return words.text(STAFF_LANGUAGE, key, **slots)

    def tn(key: str, count: int, /, **slots: Any) -> str:
        return words.plural(STAFF_LANGUAGE, key, count, **slots)

    def when(moment: datetime | None) -> str:
        return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M") if moment else "–"

    env: Environment = request.app.state.templates
    html = env.get_template(template).render(
        request=request,
        t=t,
        tn=tn,
        when=when,
        csrf_input=lambda: _csrf_input(request),
        user=user,
        page=page,
        menu=menu(request, user),
        # The pages' addresses, for links in long lists (request.url_for costs per call).
        paths={entry.name: entry.path for entry in NAV},
        **context,
    )
    return HTMLResponse(html, status_code=status)
