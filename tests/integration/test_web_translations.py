"""The desk's Vertalingen page over HTTP: per language the progress and the drafts beside the
Dutch, "Goedkeuren" and "Opslaan" with the bot's /vertalen rules (the second reader
included), right-to-left languages marked as such; a vertaler only for their own languages;
the security cases."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import translation_review
from oudersbot.services.messages import prepare_message
from oudersbot.store.db import Database
from oudersbot.store.models import Staff, TranslationReview
from tests.conftest import import_fixture_roster, make_settings
from tests.desk import BASE, add_staff, csrf_of, desk_client, import_other_school, login

LINA, OMAR, TARIQ, ADMIN, TEACHER, LIAISON, OTHER_LINA = 910, 911, 912, 913, 914, 915, 916
DRAFT_WORD = "مسودة ترجمة"  # "conceptvertaling" under an Arabic draft
CORRECTED = "يوم {datum} يذهب الصف إلى المكتبة. نص مصحح."
BOOK = "template:bibliotheek"


def vertaler(deps: Deps, name: str, chat_id: int, reads: str, school_id: int = 1) -> int:
    staff_id = add_staff(deps, name, "translator", chat_id, school_id=school_id)
    with deps.db.session() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        row.reads = reads
    return staff_id


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """School 1 with vertalers Lina and Omar (Arabic) and Tariq (Turkish), an administrator,
    a teacher and a brugfiguur; school 2 with its own Arabic vertaler."""
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    import_other_school(deps)
    vertaler(deps, "Lina", LINA, "ar")
    vertaler(deps, "Omar", OMAR, "ar")
    vertaler(deps, "Tariq", TARIQ, "tr")
    vertaler(deps, "Leila", OTHER_LINA, "ar", school_id=2)
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    add_staff(deps, "Juf Lies", "teacher", TEACHER, groups=("3A",))
    add_staff(deps, "Bram", "liaison", LIAISON)
    return deps


def arabic_text(deps: Deps, school: str = "demo") -> str:
    """What an Arabic parent reads of the 'bibliotheek' message."""
    draft = prepare_message(
        deps, school=school, groups=["3A"], template_id="bibliotheek", slots={"datum": "2026-12-10"}
    )
    return "\n".join(draft.versions["ar"].parts)


def shipped(deps: Deps) -> str:
    """The shipped Arabic draft of 'bibliotheek'."""
    return next(
        i.text
        for i in translation_review.drafts(deps.phrasebook, "ar")
        if i.item_id == "bibliotheek"
    )


def reviews(deps: Deps) -> int:
    with deps.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(TranslationReview)) or 0)


def draft_of(html: str, ident: str) -> str:
    """The article of one draft on the page."""
    marker = f'name="draft" value="{ident}"'
    start = html.rindex("<article", 0, html.index(marker))
    return html[start : html.index("</article>", start)]


async def post(client: httpx.AsyncClient, html: str, **fields: str) -> httpx.Response:
    """A press on a draft's button (the Arabic 'bibliotheek' unless told), with the CSRF field."""
    data = {"csrftoken": csrf_of(html), "taal": "ar", "draft": BOOK, **fields}
    return await client.post("/vertalingen/nakijken", data=data)


async def test_without_a_session_or_the_right_role_the_page_stays_closed(school: Deps) -> None:
    async with desk_client(school) as client:
        answer = await client.get("/vertalingen")
        assert answer.status_code == 303 and answer.headers["location"] == f"{BASE}/login"
        answer = await client.post(
            "/vertalingen/nakijken", data={"taal": "ar", "draft": BOOK, "actie": "goedkeuren"}
        )
        assert answer.status_code in (303, 403)
    for chat in (TEACHER, LIAISON):
        async with desk_client(school) as client:
            await login(client, school, chat)
            assert (await client.get("/vertalingen")).status_code == 403
    assert reviews(school) == 0


async def test_a_vertaler_sees_her_language_beside_the_dutch_right_to_left(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen")
        assert page.status_code == 200
        assert "Arabisch" in page.text and "Turks" not in page.text
        article = draft_of(page.text, BOOK)
        bibliotheek = school.phrasebook.templates["bibliotheek"]
        assert bibliotheek.text_nl.split("{")[0].strip() in article  # the Dutch beside it
        assert 'lang="ar" dir="rtl"' in article
        assert "Goedkeuren" in article and "Opslaan" in article
        # A page shows 25 drafts at once, the first ones to do.
        assert page.text.count("<article") == 25 and "De eerste 25 van" in page.text
        # Another language (even one the school has), or one that does not exist: not found.
        for language in ("tr", "fr", "xx", quote("<b>")):
            assert (await client.get(f"/vertalingen?taal={language}")).status_code == 404
    async with desk_client(school) as client:
        await login(client, school, TARIQ)
        page = await client.get("/vertalingen")
        assert "Turks" in page.text and 'dir="rtl"' not in draft_of(page.text, BOOK)


async def test_approving_a_draft_changes_what_parents_read(school: Deps) -> None:
    assert DRAFT_WORD in arabic_text(school)
    total = translation_review.progress(school, school_id=1)["ar"][1]
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen?taal=ar")
        assert f'<progress max="{total}" value="0"' in page.text
        answer = await post(client, page.text, actie="goedkeuren", tekst=shipped(school))
        assert answer.status_code == 200, answer.text
        assert "Dank je, goedgekeurd." in answer.text
        # Done: off the to-do list, shown as reviewed with everything.
        assert f'value="{BOOK}"' not in answer.text
        everything = await client.get("/vertalingen?taal=ar&alles=1")
        assert "Nagekeken" in draft_of(everything.text, BOOK)
    assert DRAFT_WORD not in arabic_text(school)
    assert translation_review.progress(school, school_id=1)["ar"] == (1, total)
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen")
        assert f'<progress max="{total}" value="1"' in page.text
    assert DRAFT_WORD in arabic_text(school, "andere")  # only this school's parents


async def test_saving_an_edit_is_a_correction_parents_then_read(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen?taal=ar")
        # "Opslaan" with the text as it was (a browser sends CRLF line ends) changes nothing.
        shown = shipped(school).replace("\n", "\r\n")
        answer = await post(client, page.text, actie="opslaan", tekst=shown)
        assert "Niets gewijzigd." in answer.text
        assert reviews(school) == 0
        # A correction must keep the {slots}, and may not be empty.
        answer = await post(client, page.text, actie="opslaan", tekst="بدون تاريخ")
        assert answer.status_code == 400 and "{datum}" in answer.text
        answer = await post(client, page.text, actie="opslaan", tekst="  ")
        assert answer.status_code == 400
        assert reviews(school) == 0
        answer = await post(client, page.text, actie="opslaan", tekst=CORRECTED)
        assert answer.status_code == 200 and "ouders lezen nu die tekst" in answer.text
    assert "نص مصحح" in arabic_text(school) and DRAFT_WORD not in arabic_text(school)


async def test_a_correction_waits_for_a_second_vertaler_as_in_the_bot(school: Deps) -> None:
    translation_review.set_school_second_reader(school, school="demo", required=True)
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen?taal=ar")
        answer = await post(client, page.text, actie="goedkeuren", tekst=CORRECTED)
        assert "wacht nog op een tweede vertaler" in answer.text
        assert "نص مصحح" not in arabic_text(school)
        # Lina may not approve her own correction: no button, and a forged press counts nothing.
        everything = await client.get("/vertalingen?taal=ar&alles=1")
        mine = draft_of(everything.text, BOOK)
        assert "Jouw verbetering wacht" in mine and "Goedkeuren" not in mine
        await post(client, page.text, actie="goedkeuren", tekst=CORRECTED)
    assert "نص مصحح" not in arabic_text(school)
    async with desk_client(school) as client:
        await login(client, school, OMAR)
        page = await client.get("/vertalingen?taal=ar")
        # For Omar it comes first, with Lina's text, to approve.
        first = page.text.split('name="draft" value="', 1)[1].split('"', 1)[0]
        assert first == BOOK and "نص مصحح" in draft_of(page.text, BOOK)
        answer = await post(client, page.text, actie="goedkeuren", tekst=CORRECTED)
        assert "Dank je, goedgekeurd." in answer.text
    assert "نص مصحح" in arabic_text(school)


async def test_forged_languages_drafts_and_schools_change_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, LINA)
        page = await client.get("/vertalingen?taal=ar")
        for fields in (
            {"taal": "tr"},  # not her language
            {"taal": "", "draft": BOOK},
            {"draft": "template:bestaat-niet"},
            {"draft": "bibliotheek"},
            {"draft": "prikkel:bestaat-niet"},
        ):
            answer = await post(client, page.text, actie="goedkeuren", **fields)
            assert answer.status_code == 404, fields
    async with desk_client(school) as client:
        await login(client, school, OTHER_LINA)  # the other school's Arabic vertaler
        page = await client.get("/vertalingen?taal=ar")
        answer = await post(client, page.text, actie="opslaan", tekst=CORRECTED)
        assert answer.status_code == 200
    # Her correction is her school's: school 1's parents still read the draft.
    assert DRAFT_WORD in arabic_text(school) and "نص مصحح" in arabic_text(school, "andere")
    assert translation_review.progress(school, school_id=1)["ar"][0] == 0


async def test_a_post_without_csrf_is_refused_and_records_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, LINA)
        answer = await client.post(
            "/vertalingen/nakijken",
            data={"taal": "ar", "draft": BOOK, "actie": "opslaan", "tekst": CORRECTED},
        )
        assert answer.status_code == 403
    assert reviews(school) == 0


async def test_the_administrator_sees_every_language_but_does_not_review(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await client.get("/vertalingen")
        assert page.status_code == 200
        assert "Arabisch" in page.text and "Turks" in page.text
        arabic = await client.get("/vertalingen?taal=ar")
        article = draft_of(arabic.text, BOOK)
        assert "readonly" in article and "Goedkeuren" not in article
        answer = await post(client, arabic.text, actie="goedkeuren")
        assert answer.status_code == 403
    assert reviews(school) == 0
