"""The administrator's desk pages in a real Chromium (the Debian package, driven by
Playwright, as in test_web_browser.py): Klaslijst (upload, check, apply, the invite sheet) and
Kalender (upload, check, apply, cancel a planned send). With OUDERSBOT_SCREENSHOTS=1 it saves
docs/screenshots/roster.png and calendar.png."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services.web_login import issue_link
from oudersbot.settings import PACKAGE_DIR
from oudersbot.web.server import serving_desk
from tests.conftest import FIXTURE_DIR, import_fixture_roster, make_settings
from tests.desk import add_staff
from tests.integration.test_web_browser import CHROMIUM, FLAGS, SHOTS

playwright = pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
    reason="no Chromium at /usr/bin/chromium: install the Debian package `chromium`",
)

ADMIN = 931


@pytest.fixture(params=["sqlite"])
def database(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    """SQLite only: one browser run is enough (the HTTP tests cover PostgreSQL)."""
    from oudersbot.store.db import Database

    db = Database.from_url(f"sqlite:///{tmp_path / 'test.sqlite3'}")
    yield db
    db.dispose()


@pytest.fixture
def school(tmp_path: Path, database, clock: FixedClock) -> Deps:  # type: ignore[no-untyped-def]
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    return deps


async def test_the_administrator_updates_the_roster_and_the_calendar(
    school: Deps, tmp_path: Path
) -> None:
    roster = tmp_path / "klaslijst.csv"
    roster.write_text(
        (FIXTURE_DIR / "roster_3a_3b.csv").read_text(encoding="utf-8")
        + "3B,Noor,Karim Haddad,ar,\n",
        encoding="utf-8",
    )
    calendar = PACKAGE_DIR / "scheduler" / "voorbeeld-kalender.ics"
    link = issue_link(school, chat_id=ADMIN)
    assert link is not None
    shots = os.environ.get("OUDERSBOT_SCREENSHOTS") == "1"
    async with (
        serving_desk(school, port=0) as server,
        playwright.async_playwright() as driver,
    ):
        assert server is not None
        base = f"http://127.0.0.1:{server.port}"
        browser = await driver.chromium.launch_persistent_context(
            str(tmp_path / "chromium-profile"),
            executable_path=CHROMIUM,
            args=FLAGS,
            headless=True,
            locale="nl-BE",
            viewport={"width": 1280, "height": 860},
            accept_downloads=True,
        )
        try:
            page = await browser.new_page()
            await page.goto(f"{base}/login/{link.token}")
            await page.get_by_role("button", name="Aanmelden").click()
            await page.wait_for_url(f"{base}/")

            # Klaslijst: the file is checked first, then applied.
            await page.get_by_role("link", name="Klaslijst").click()
            await page.get_by_role("heading", name="Klaslijst", exact=True).wait_for()
            await page.get_by_label("Bestand", exact=True).set_input_files(str(roster))
            await page.get_by_role("button", name="Controleren").click()
            await page.get_by_role("heading", name="Wat klaslijst.csv zou veranderen").wait_for()
            assert "Noor" in await page.locator("table").first.inner_text()
            if shots:
                await page.screenshot(path=str(SHOTS / "roster.png"), full_page=True)
            await page.get_by_role("button", name="Toepassen").click()
            await page.get_by_role("heading", name="klaslijst.csv is ingelezen").wait_for()
            async with page.expect_download() as waiting:
                await page.get_by_role("button", name="PDF voor 3A").click()
            download = await waiting.value
            assert download.suggested_filename.endswith(".pdf")

            # Kalender: checked, applied, then one planned send cancelled.
            await page.get_by_role("link", name="Kalender").click()
            await page.get_by_label("Bestand", exact=True).set_input_files(str(calendar))
            await page.get_by_role("button", name="Controleren").click()
            await page.get_by_role("button", name="Toepassen").click()
            await page.get_by_text("de herinneringen zijn gepland").wait_for()
            if shots:
                await page.screenshot(path=str(SHOTS / "calendar.png"), full_page=True)
            row = page.locator("tr", has_text="Zwemmen 3A")
            await row.get_by_role("button", name="Annuleren").click()
            await page.get_by_text("Geannuleerd").wait_for()
            assert await page.locator("tr", has_text="Zwemmen 3A").count() == 0
        finally:
            await browser.close()
