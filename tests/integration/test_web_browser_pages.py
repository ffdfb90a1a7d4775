"""The Prikkels and Vertalingen pages in a real Chromium (the Debian package, driven by
Playwright, as in test_web_browser.py): a teacher queues a prikkel and sees it in the week
view; a vertaler approves an Arabic draft shown right to left beside the Dutch. With
OUDERSBOT_SCREENSHOTS=1 it saves docs/screenshots/prikkels.png and translations.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services.web_login import issue_link
from oudersbot.store.db import Database
from oudersbot.store.models import Staff
from tests.browser import SHOTS, desk_in_chromium, needs_chromium, shots_wanted
from tests.browser import database as sqlite_database
from tests.conftest import import_fixture_roster, make_settings, mark_joined
from tests.desk import add_staff

pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = needs_chromium
database = sqlite_database  # SQLite only: one browser run is enough

TEACHER, VERTALER = 921, 922
JOINED = {"Fatima El Amrani": 101, "Ayşe Yılmaz": 103, "Iryna Kovalenko": 104}


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, JOINED)
    add_staff(deps, "Juf Lies", "teacher", TEACHER, groups=("3A",))
    staff_id = add_staff(deps, "Lina", "translator", VERTALER)
    with deps.db.session() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        row.reads = "ar"
    return deps


def login_path(deps: Deps, chat_id: int) -> str:
    link = issue_link(deps, chat_id=chat_id)
    assert link is not None
    return f"/login/{link.token}"


async def test_prikkels_and_vertalingen_in_a_browser(school: Deps, tmp_path: Path) -> None:
    shots = shots_wanted()
    async with desk_in_chromium(school, tmp_path) as (base, browser):
        page = await browser.new_page()
        await page.goto(base + login_path(school, TEACHER))
        await page.get_by_role("button", name="Aanmelden").click()
        await page.wait_for_url(f"{base}/")
        await page.get_by_role("link", name="Prikkels").click()
        await page.get_by_role("heading", name="Prikkels", exact=True).wait_for()
        await page.get_by_label("Thema").select_option("lezen")
        await page.get_by_role("button", name="Toon", exact=True).click()
        card = page.locator("li.card").first
        await card.get_by_label("Dag (leeg: de volgende schooldag)").fill("2026-11-25")
        await card.get_by_role("button", name="In de wachtrij").click()
        await page.get_by_text("staat in de wachtrij voor 3A").wait_for()
        week = page.locator("tr", has_text="woensdag 25 november").first
        assert "3A" in await week.inner_text()
        if shots:
            await page.screenshot(path=str(SHOTS / "prikkels.png"), full_page=True)
        await page.get_by_role("button", name="Afmelden").click()

        await page.goto(base + login_path(school, VERTALER))
        await page.get_by_role("button", name="Aanmelden").click()
        await page.goto(f"{base}/vertalingen")
        await page.get_by_role("heading", name="Vertalingen").wait_for()
        textarea = page.locator("textarea").first
        assert await textarea.get_attribute("dir") == "rtl"
        assert await textarea.get_attribute("lang") == "ar"
        if shots:
            await page.screenshot(path=str(SHOTS / "translations.png"), full_page=False)
        first = page.locator("article").first
        await first.get_by_role("button", name="Goedkeuren").click()
        await page.get_by_text("Dank je, goedgekeurd.").wait_for()
