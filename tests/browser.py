"""The staff desk in a real Chromium: the Debian package (`/usr/bin/chromium`) driven by
Playwright, whose own browsers are never downloaded. `make test` installs the package when it
runs as root; elsewhere the browser tests skip and say why. With OUDERSBOT_SCREENSHOTS=1 they
save their pages to docs/screenshots/ (install Debian's fonts-noto-color-emoji first, or the
pictograms show as empty boxes; the tests themselves do not need it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from oudersbot.bootstrap import Deps
from oudersbot.settings import PROJECT_ROOT
from oudersbot.store.db import Database
from oudersbot.web.server import serving_desk

CHROMIUM = "/usr/bin/chromium"
# What Chromium needs on this kind of machine (no sandbox, no GPU, nothing phoning home).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = PROJECT_ROOT / "docs" / "screenshots"

needs_chromium = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
    reason="no Chromium at /usr/bin/chromium: `make test` installs the Debian package "
    "`chromium` when it runs as root; install it to run the browser tests",
)


def shots_wanted() -> bool:
    """OUDERSBOT_SCREENSHOTS=1: save the pages as PNG in docs/screenshots/."""
    return os.environ.get("OUDERSBOT_SCREENSHOTS") == "1"


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    """SQLite only: one browser run is enough (the HTTP tests cover PostgreSQL)."""
    db = Database.from_url(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield db
    db.dispose()


@asynccontextmanager
async def desk_in_chromium(deps: Deps, tmp_path: Path, **options: Any) -> AsyncIterator[Any]:
    """The desk on uvicorn (a free port) and a fresh Chromium profile on a laptop-sized
    screen, in Dutch; yields (the desk's base address, the browser context)."""
    from playwright.async_api import async_playwright

    async with serving_desk(deps, port=0) as server, async_playwright() as driver:
        assert server is not None
        browser = await driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            locale="nl-BE",
            viewport={"width": 1280, "height": 860},
            **options,
        )
        try:
            yield f"http://127.0.0.1:{server.port}", browser
        finally:
            await browser.close()
