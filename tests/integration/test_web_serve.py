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


async def test_oudersbot_run_serves_the_desk_in_the_same_process(tmp_path: Path) -> None:
    """OUDERSBOT_WEB_PORT set: `oudersbot run` polls Telegram and answers the desk, and
    both stop on SIGTERM."""
    import asyncio
    import os
    import signal
    import sys
    import time

    from oudersbot.simulator import Simulator, SimulatorConfig

    token = "123456:TEST-desk"
    free = listening_socket("127.0.0.1", 0)
    port = free.getsockname()[1]
    free.close()
    async with Simulator(SimulatorConfig(bot_token=token, bot_username="desk_bot")) as sim:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'school.sqlite3'}",
            "OUDERSBOT_DATA_DIR": str(tmp_path / "var"),
            "TELEGRAM_BOT_TOKEN": token,
            "OUDERSBOT_TELEGRAM_BASE_URL": sim.base_url,
            "OUDERSBOT_WEB_PORT": str(port),
        }
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "oudersbot.cli",
            "run",
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            while True:
                assert process.returncode is None, await process.communicate()
                assert time.monotonic() < deadline, "the desk never answered"
                try:
                    login = await client.get("/login")
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            assert login.status_code == 200 and "Aanmelden" in login.text
        process.send_signal(signal.SIGTERM)
        out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert token not in err.decode() + out.decode()
