"""The desk served for real: uvicorn on a port, behind a proxy that says HTTPS, and a port
that cannot be had as one clear line."""

from __future__ import annotations

from pathlib import Path

import httpx
from click.testing import CliRunner

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.store.db import Database
from oudersbot.web.server import listening_socket, serving_desk
from tests.conftest import import_fixture_roster, make_settings
from tests.desk import add_staff, csrf_of


async def test_uvicorn_serves_the_desk_and_believes_only_its_proxy(deps: Deps) -> None:
    import_fixture_roster(deps)
    add_staff(deps, "Bram", "liaison", 900)
    async with serving_desk(deps, port=0) as server:
        assert server is not None
        base = f"http://127.0.0.1:{server.port}"
        async with httpx.AsyncClient(base_url=base) as client:
            health = await client.get("/healthz")
            assert health.json()["database"] is True
            login = await client.get("/login")
            assert login.status_code == 200 and "Aanmelden" in login.text
            assert "server" not in login.headers
            # The proxy (127.0.0.1 here) says the browser came over HTTPS: redirects say so.
            behind = await client.get("/", headers={"X-Forwarded-Proto": "https"})
            assert behind.status_code == 303
            assert behind.headers["location"].startswith("https://")
            css = await client.get("/static/desk.css")
            assert css.status_code == 200 and "text/css" in css.headers["content-type"]
            page = await client.get("/login/abc")
            refused = await client.post(
                "/login", data={"token": "abc", "csrftoken": csrf_of(page.text)}
            )
            assert refused.status_code == 403


def test_a_port_in_use_is_one_clear_line(
    tmp_path: Path, database: Database, clock: FixedClock
) -> None:
    taken = listening_socket("127.0.0.1", 0)
    taken.listen()
    port = taken.getsockname()[1]
    try:
        deps = bootstrap(make_settings(tmp_path), clock=clock, db=database)
        result = CliRunner().invoke(main, ["web", "--port", str(port)], obj={"deps": deps})
    finally:
        taken.close()
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert f"127.0.0.1:{port}" in lines[0] and "OUDERSBOT_WEB_PORT" in lines[0]
    assert "Traceback" not in result.output
