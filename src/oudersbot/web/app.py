"""The desk's ASGI app: Starlette routes from the page modules, Jinja2 templates, static CSS,
/healthz, the CSRF check on every form (asgi-csrf) and security headers on every answer."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

from asgi_csrf import asgi_csrf
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oudersbot.observe.server import health
from oudersbot.web import csrf_multipart
from oudersbot.web.render import deps_of, environment, render
from oudersbot.web.routes import MODULES
from oudersbot.web.routes.login import LOGIN_POST

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

csrf_multipart.install()  # upload forms (Klaslijst, Kalender): asgi-csrf with python-multipart

STATIC = Path(__file__).resolve().parent / "static"
SECRET_FILE = "web-secret"
HEADERS = [
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; form-action 'self'"),
    (b"cache-control", b"no-store"),
]


def csrf_secret(deps: Deps) -> str:
    """The secret that signs CSRF tokens: the setting, or one kept in the data folder (so a
    restart or a second process keeps the forms open in a browser valid)."""
    if deps.settings.web_secret:
        return deps.settings.web_secret
    path = deps.settings.data_dir / SECRET_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def _with_headers(app: ASGIApp) -> ASGIApp:
    async def headed(scope: Scope, receive: Receive, send: Send) -> None:
        async def send_headed(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        await app(scope, receive, send_headed)

    return headed


async def _not_found(request: Request, exc: Exception) -> Response:
    status = exc.status_code if isinstance(exc, HTTPException) else 404
    code = "404" if status == 404 else "other"
    return render(request, "error.html", status=status, code=code)


async def _server_error(request: Request, exc: Exception) -> Response:
    return render(request, "error.html", status=500, code="500")


async def _healthz(request: Request) -> Response:
    ok, detail = await run_in_threadpool(health, deps_of(request))
    return JSONResponse({"status": "ok" if ok else "unhealthy", **detail}, 200 if ok else 503)


def routes() -> list[BaseRoute]:
    """Every page module's routes, /healthz and the static files."""
    found: list[BaseRoute] = []
    for module in MODULES:
        found.extend(module.ROUTES)
    found.append(Route("/healthz", _healthz, name="healthz"))
    found.append(Mount("/static", StaticFiles(directory=STATIC), name="static"))
    return found


def create_app(deps: Deps) -> ASGIApp:
    """The desk, ready for uvicorn (or an HTTP test client)."""
    app = Starlette(
        routes=routes(),
        exception_handlers={HTTPException: _not_found, Exception: _server_error},
    )
    app.state.deps = deps
    app.state.templates = environment()
    app.state.built_pages = {m.PAGE.name for m in MODULES if m.PAGE is not None}
    words = deps.words
    refusal = words.text("nl", "web.csrf.refused").encode("utf-8")

    async def csrf_failed(scope: Scope, send: Send, message_id: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": refusal})

    protected = asgi_csrf(
        app,
        signing_secret=csrf_secret(deps),
        always_protect={LOGIN_POST},
        cookie_secure=deps.settings.web_url.startswith("https://"),
        cookie_samesite="Lax",
        send_csrf_failed=csrf_failed,
    )
    return _with_headers(protected)
