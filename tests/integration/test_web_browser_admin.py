"""The administrator's desk pages in a real Chromium (the Debian package, driven by
Playwright, as in test_web_browser.py): Klaslijst (upload, check, apply, the invite sheet) and
Kalender (upload, check, apply, cancel a planned send). With OUDERSBOT_SCREENSHOTS=1 it saves
docs/screenshots/roster.png and calendar.png."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services.web_login import issue_link
from oudersbot.settings import PACKAGE_DIR
from oudersbot.store.db import Database
from tests.browser import SHOTS, desk_in_chromium, needs_chromium, shots_wanted
from tests.browser import database as sqlite_database
from tests.conftest import FIXTURE_DIR, import_fixture_roster, make_settings
from tests.desk import add_staff

pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = needs_chromium

ADMIN = 931
database = sqlite_database  # SQLite only: one browser run is enough


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
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
    shots = shots_wanted()
    async with desk_in_chromium(school, tmp_path, accept_downloads=True) as (base, browser):
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
