"""Gesprekken in a real Chromium (the Debian package, driven by Playwright, as in
test_web_browser.py): a teacher opens the menu's Gesprekken, reads an Arabic question shown
right to left (marked "niet vertaald" when no translation was available), answers it with a
double click, and the answer is queued once. With OUDERSBOT_SCREENSHOTS=1 it saves
docs/screenshots/conversation.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from oudersbot.bootstrap import Deps
from tests.browser import SHOTS, desk_in_chromium, needs_chromium, shots_wanted
from tests.browser import database as sqlite_database
from tests.integration.test_web_browser_pages import TEACHER, login_path
from tests.integration.test_web_browser_pages import school as browser_school
from tests.integration.test_web_conversations import replies_queued, writes

pytest.importorskip("playwright.async_api", reason="playwright is not installed")
pytestmark = needs_chromium

database = sqlite_database  # SQLite only: one browser run is enough
school = browser_school  # Juf Lies (3A); Fatima, Ayşe and Iryna joined
QUESTION = "هل يحتاج أمين إلى حذاء رياضي غدا؟"


async def test_a_teacher_reads_and_answers_a_conversation_in_a_browser(
    school: Deps, tmp_path: Path
) -> None:
    shots = shots_wanted()
    writes(school, 101, QUESTION, 1)  # Fatima (Amira in 3A); no translation service here
    async with desk_in_chromium(school, tmp_path) as (base, browser):
        page = await browser.new_page()
        await page.goto(base + login_path(school, TEACHER))
        await page.get_by_role("button", name="Aanmelden").click()
        await page.wait_for_url(f"{base}/")
        await page.get_by_role("navigation").get_by_role("link", name="Gesprekken").click()
        await page.get_by_role("heading", name="Gesprekken met ouders").wait_for()
        await page.get_by_role("link", name="Fatima El Amrani").click()
        await page.get_by_role("heading", name="Fatima El Amrani").wait_for()
        original = page.locator("blockquote").first
        assert await original.get_attribute("dir") == "rtl"
        assert await original.get_attribute("lang") == "ar"
        assert QUESTION in await original.inner_text()
        await page.get_by_label("Uw antwoord, in het Nederlands").fill("Ja, graag.")
        if shots:
            await page.screenshot(path=str(SHOTS / "conversation.png"), full_page=True)
        await page.get_by_role("button", name="Versturen").dblclick()
        await page.get_by_role("status").wait_for()
        await page.get_by_text("Beantwoord: niemand wacht.").wait_for()
    assert replies_queued(school) == 1
