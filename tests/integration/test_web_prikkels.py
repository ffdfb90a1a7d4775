"""The desk's Prikkels page over HTTP: the library, "In de wachtrij" for a class (through the
outbox's door, within the weekly dose: nothing is sent from the page), the queue per class
with cancel, and the week view; a teacher only for their own classes; the security cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import prikkel_draft, prikkel_queue, translation_review
from oudersbot.store.db import Database
from oudersbot.store.models import Delivery, DeliveryStatus, Message
from tests.conftest import import_fixture_roster, make_settings, mark_joined
from tests.desk import BASE, add_staff, csrf_of, desk_client, import_other_school, login

LIAISON, TEACHER_3A, ADMIN, TRANSLATOR, OTHER_TEACHER = 900, 901, 902, 903, 904
JOINED = {"Fatima El Amrani": 101, "Ayşe Yılmaz": 103, "Iryna Kovalenko": 104, "Anna Nowak": 105}
BOOK = "lezen-prentenboek-in-de-klas"


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """School 1 (3A, 3B; some families joined) with a brugfiguur, a teacher of 3A, an
    administrator and a vertaler; school 2 with its own teacher of 3A."""
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    import_other_school(deps)
    mark_joined(deps, JOINED)
    add_staff(deps, "Bram", "liaison", LIAISON)
    add_staff(deps, "Juf Lies", "teacher", TEACHER_3A, groups=("3A",))
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    add_staff(deps, "Lina", "translator", TRANSLATOR)
    add_staff(deps, "Meester Tom", "teacher", OTHER_TEACHER, groups=("3A",), school_id=2)
    return deps


def pending(deps: Deps) -> int:
    """Prikkel deliveries waiting in the outbox."""
    with deps.db.session() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status == DeliveryStatus.PENDING.value)
            )
            or 0
        )


def messages(deps: Deps) -> int:
    with deps.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Message)) or 0)


def queue_directly(deps: Deps, school: str, group: str, prikkel_id: str = BOOK) -> int:
    draft = prikkel_draft.prepare_prikkel(
        deps, school=school, groups=[group], prikkel_id=prikkel_id
    )
    return prikkel_queue.queue_prikkel(deps, draft)


async def test_without_a_session_the_page_leads_to_login_and_nothing_is_queued(
    school: Deps,
) -> None:
    async with desk_client(school) as client:
        answer = await client.get("/prikkels")
        assert answer.status_code == 303 and answer.headers["location"] == f"{BASE}/login"
        answer = await client.post("/prikkels/wachtrij", data={"klas": "3A", "prikkel": BOOK})
        assert answer.status_code in (303, 403)
    assert messages(school) == 0


async def test_a_vertaler_may_not_open_prikkels(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, TRANSLATOR)
        assert (await client.get("/prikkels")).status_code == 403


async def test_a_teacher_queues_a_prikkel_and_sees_it_in_the_queue_and_the_week(
    school: Deps,
) -> None:
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels")
        assert page.status_code == 200
        assert "Vraag aan uw kind: wat gebeurt er in het verhaal?" in page.text
        assert "📖" in page.text or "lezen" in page.text  # the pictogram and theme
        # Only her own class to choose from.
        assert "<option>3A</option>" in page.text and "<option>3B</option>" not in page.text
        answer = await client.post(
            "/prikkels/wachtrij",
            data={
                "csrftoken": csrf_of(page.text),
                "klas": "3A",
                "prikkel": BOOK,
                "dag": "2026-11-25",
            },
        )
        assert answer.status_code == 200, answer.text
        assert "staat in de wachtrij voor 3A: 3 gezinnen, vanaf 25/11/2026 15:45" in answer.text
    # Three families of 3A joined: one delivery each, waiting for the scheduler.
    assert pending(school) == 3
    waiting = prikkel_queue.queued(school, school_id=1, group="3A")
    assert len(waiting) == 1 and waiting[0].families == 3
    queue_part = answer.text.split('id="queue-title"', 1)[1].split('id="library-title"', 1)[0]
    assert "25/11/2026 15:45" in queue_part and "In de klas lezen we" in queue_part
    week_part = answer.text.split('id="week-title"', 1)[1].split('id="queue-title"', 1)[0]
    wednesday = week_part.split("woensdag 25 november", 1)[1].split("</tr>", 1)[0]
    assert "3A" in wednesday and "3 gezinnen" in wednesday and "gepland" in wednesday
    tuesday = week_part.split("dinsdag 24 november", 1)[1].split("</tr>", 1)[0]
    assert "3A" not in tuesday


async def test_the_week_view_keeps_the_weekly_dose(school: Deps) -> None:
    ids = [p.id for p in school.phrasebook.prikkels.choose(theme="natuur")][:4]
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels")
        token = csrf_of(page.text)
        for pid in ids:
            answer = await client.post(
                "/prikkels/wachtrij",
                data={"csrftoken": token, "klas": "3A", "prikkel": pid, "dag": "2026-11-24"},
            )
            assert answer.status_code == 200
        assert "Bij 3 gezinnen is die week al vol" in answer.text
        weeks = answer.text.split('id="week-title"', 1)[1].split('id="queue-title"', 1)[0]
    this_week, next_week = weeks.split("Week van maandag 30 november")
    assert "Meeste prikkels voor één gezin deze week: 3 (hoogstens 3)" in this_week
    assert "Meeste prikkels voor één gezin deze week: 1 (hoogstens 3)" in next_week
    monday = next_week.split("maandag 30 november", 1)[1].split("</tr>", 1)[0]
    assert "3A" in monday


async def test_a_prikkel_that_cannot_go_says_why_and_queues_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels")
        answer = await client.post(
            "/prikkels/wachtrij",
            data={
                "csrftoken": csrf_of(page.text),
                "klas": "3A",
                "prikkel": BOOK,
                "dag": "2026-11-28",  # a Saturday
            },
        )
        assert answer.status_code == 400
        assert "Kan het bericht niet maken" in answer.text
        for day in ("2027-12-31", "9999-12-31"):  # more than a year ahead
            answer = await client.post(
                "/prikkels/wachtrij",
                data={"csrftoken": csrf_of(page.text), "klas": "3A", "prikkel": BOOK, "dag": day},
            )
            assert answer.status_code == 400 and "meer dan een jaar" in answer.text
    assert messages(school) == 0


async def test_a_teacher_may_not_use_or_cancel_another_class_or_schools_prikkels(
    school: Deps,
) -> None:
    theirs_3b = queue_directly(school, "demo", "3B")
    other_school = queue_directly(school, "andere", "3A")
    before = pending(school)
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels")
        assert page.status_code == 200
        # The 3B prikkel is in neither her queue nor her week.
        assert f'name="bericht" value="{theirs_3b}"' not in page.text
        token = csrf_of(page.text)
        for data in (
            {"klas": "3B", "prikkel": BOOK},  # not her class
            {"klas": "3A", "prikkel": "bestaat-niet"},  # no such prikkel
            {"klas": "9Z", "prikkel": BOOK},  # no such class
        ):
            answer = await client.post("/prikkels/wachtrij", data={"csrftoken": token, **data})
            assert answer.status_code == 404, data
        for message_id in (theirs_3b, other_school, 999999):
            answer = await client.post(
                "/prikkels/annuleren", data={"csrftoken": token, "bericht": str(message_id)}
            )
            assert answer.status_code == 404, message_id
        answer = await client.post(
            "/prikkels/annuleren", data={"csrftoken": token, "bericht": "abc"}
        )
        assert answer.status_code == 404
    assert pending(school) == before
    assert prikkel_queue.queued(school, school_id=1, group="3B")[0].message_id == theirs_3b


async def test_a_post_without_csrf_is_refused_and_changes_nothing(school: Deps) -> None:
    ours = queue_directly(school, "demo", "3A")
    before = pending(school)
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        answer = await client.post("/prikkels/wachtrij", data={"klas": "3A", "prikkel": BOOK})
        assert answer.status_code == 403
        answer = await client.post("/prikkels/annuleren", data={"bericht": str(ours)})
        assert answer.status_code == 403
    assert pending(school) == before


async def test_a_teacher_cancels_her_own_queued_prikkel(school: Deps) -> None:
    ours = queue_directly(school, "demo", "3A")
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels")
        assert f'name="bericht" value="{ours}"' in page.text
        answer = await client.post(
            "/prikkels/annuleren", data={"csrftoken": csrf_of(page.text), "bericht": str(ours)}
        )
        assert answer.status_code == 200
        assert f"Prikkel {ours} is geannuleerd voor 3 gezinnen." in answer.text
        assert f'name="bericht" value="{ours}"' not in answer.text
    assert pending(school) == 0


async def test_the_brugfiguur_queues_for_any_class_of_the_school(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, LIAISON)
        page = await client.get("/prikkels")
        assert "<option>3A</option>" in page.text and "<option>3B</option>" in page.text
        answer = await client.post(
            "/prikkels/wachtrij",
            data={"csrftoken": csrf_of(page.text), "klas": "3B", "prikkel": BOOK},
        )
        assert answer.status_code == 200
        assert "staat in de wachtrij voor 3B: 2 gezinnen" in answer.text
    waiting = prikkel_queue.queued(school, school_id=1, group="3B")
    assert len(waiting) == 1 and waiting[0].families == 2
    # Queued for the scheduler, from school 1 only.
    with school.db.session() as session:
        assert set(session.scalars(select(Message.school_id))) == {1}


async def test_the_library_filters_and_shows_the_reviewed_languages(school: Deps) -> None:
    vertaler = add_staff(school, "Omar", "translator", 950)
    with school.db.session() as session:
        from oudersbot.store.models import Staff

        row = session.get(Staff, vertaler)
        assert row is not None
        row.reads = "ar"
    translation_review.record(
        school, staff_id=vertaler, school_id=1, kind="prikkel", item_id=BOOK, language="ar"
    )
    async with desk_client(school) as client:
        await login(client, school, TEACHER_3A)
        page = await client.get("/prikkels?thema=lezen&leeftijd=kleuter")
        assert page.status_code == 200
        lezen = school.phrasebook.prikkels.choose(theme="lezen", age="kleuter")
        assert f"{len(lezen)} prikkel" in page.text
        for prikkel in school.phrasebook.prikkels.choose(theme="natuur"):
            assert f'id="p-{prikkel.id}"' not in page.text
        book = page.text.split(f'id="p-{BOOK}"', 1)[1].split("</li>", 1)[0]
        assert "Nagekeken in: Arabisch" in book
        # Queueing from a filtered library keeps the filter.
        assert 'action="/prikkels/wachtrij?thema=lezen&amp;leeftijd=kleuter"' in page.text
        answer = await client.post(
            "/prikkels/wachtrij?thema=lezen&leeftijd=kleuter",
            data={"csrftoken": csrf_of(page.text), "klas": "3A", "prikkel": BOOK},
        )
        assert answer.status_code == 200 and "staat in de wachtrij" in answer.text
        assert f"{len(lezen)} prikkel" in answer.text
        # Odd filter values mean "any": no error.
        assert (await client.get("/prikkels?leeftijd=<script>&thema=x")).status_code == 200
