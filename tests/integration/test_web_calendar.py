"""The desk's Kalender: a calendar file checked first (what it would change, or the problem
table with nothing imported), applied only with the token of exactly that file; the planned
sends to come, each moved (the CLI's rules: not past, not in quiet hours, before the event) or
cancelled through the same services. Only for the administrator, only their own school."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services import calendar_import, calendar_view
from oudersbot.services.roster import import_roster
from oudersbot.settings import PACKAGE_DIR
from oudersbot.store.db import Database
from oudersbot.store.models import CalendarEventRow, PlannedSend
from tests.conftest import (
    FIXTURE_DIR,
    import_fixture_roster,
    make_settings,
    mark_joined,
)
from tests.desk import BASE, add_staff, csrf_of, desk_client, login

TEACHER, ADMIN, OTHER_ADMIN = 921, 922, 923
EXAMPLE = (PACKAGE_DIR / "scheduler" / "voorbeeld-kalender.ics").read_bytes()
BAD_CSV = "datum;uur;titel;klas\n2026-02-30;;Geen dag;3A\n2026-12-04;;Klas die er niet is;7C\n"
_TOKEN = re.compile(r'name="token" value="([^"]+)"')


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    """School 1 (3A, 3B) with a teacher and an administrator; school 2 with its own
    administrator and the example calendar already imported."""
    rules = tmp_path / "scheduler"
    rules.mkdir()
    shutil.copy(PACKAGE_DIR / "scheduler" / "rules.toml", rules / "rules.toml")
    settings = make_settings(tmp_path, school_slug="demo", scheduler_dir=rules)
    deps = bootstrap(settings, clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103})
    report = import_roster(
        deps,
        data=(FIXTURE_DIR / "roster_3a_3b.csv").read_bytes(),
        filename="lijst.csv",
        school="andere",
        school_name="De Andere School",
    )
    assert report.ok
    calendar_import.import_calendar_data(deps, school="andere", data=EXAMPLE, name="k.ics")
    add_staff(deps, "Juf Lies", "teacher", TEACHER, groups=("3A",))
    add_staff(deps, "Mevrouw Claes", "admin", ADMIN)
    add_staff(deps, "Meneer Peeters", "admin", OTHER_ADMIN, school_id=2)
    return deps


def events(deps: Deps, school_id: int = 1) -> int:
    with deps.db.session() as session:
        query = select(func.count()).select_from(CalendarEventRow)
        return int(session.scalar(query.where(CalendarEventRow.school_id == school_id)) or 0)


def planned(deps: Deps, school_id: int = 1) -> list[tuple[str, str, str | None]]:
    """(key, due, changed_by) of every planned send of a school."""
    with deps.db.session() as session:
        rows = session.execute(
            select(PlannedSend.key, PlannedSend.due_at, PlannedSend.status, PlannedSend.changed_by)
            .where(PlannedSend.school_id == school_id)
            .order_by(PlannedSend.id)
        )
        return [(key, f"{utc(due):%Y-%m-%d %H:%M} {status}", by) for key, due, status, by in rows]


def utc(moment: dt.datetime) -> dt.datetime:
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)


async def upload(
    client: httpx.AsyncClient, data: bytes, name: str = "kalender.ics"
) -> httpx.Response:
    page = await client.get("/kalender")
    assert page.status_code == 200
    return await client.post(
        "/kalender/controleren",
        data={"csrftoken": csrf_of(page.text)},
        files={"file": (name, data, "text/calendar")},
    )


def token_of(html: str) -> str:
    found = _TOKEN.search(html)
    assert found, "no Toepassen button"
    return found.group(1)


async def imported(client: httpx.AsyncClient) -> httpx.Response:
    checked = await upload(client, EXAMPLE)
    assert checked.status_code == 200, checked.text
    applied = await client.post(
        "/kalender/toepassen",
        data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
    )
    assert applied.status_code == 200, applied.text
    return applied


def key_of(deps: Deps, title: str, school: str = "demo") -> str:
    found = calendar_view.upcoming(deps, school=school, days=60)
    return next(item.key for item in found if item.title == title)


async def test_upload_shows_the_change_and_apply_plans_the_reminders(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, EXAMPLE)
        assert checked.status_code == 200, checked.text
        assert "Wat kalender.ics zou veranderen" in checked.text
        assert re.search(r"Nieuwe activiteiten</td>\s*<td[^>]*>37</td>", checked.text)
        assert events(school) == 0 and planned(school) == []  # checking writes nothing
        applied = await client.post(
            "/kalender/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
        )
        assert applied.status_code == 200
        assert "Kalender kalender.ics ingelezen" in applied.text
        assert events(school) == 37 and planned(school)
        # The list of what goes out, each with Verplaatsen and Annuleren.
        assert "Zwemmen 3A" in applied.text
        assert "Verplaatsen" in applied.text and "Annuleren" in applied.text
        assert "23/11/2026 18:00" in applied.text
        # Each reminder says when its activity is, in words, not by the rule's own name.
        assert re.search(
            r"Zwemmen 3A <small>\(het gebeurt op \d\d/\d\d/2026[ 0-9:]*\)", applied.text
        )
        assert "_before)" not in applied.text
        # The same file again changes nothing: no button.
        again = await upload(client, EXAMPLE)
        assert "Niets te veranderen" in again.text and 'name="token"' not in again.text


async def test_a_bad_file_shows_the_problem_table_and_imports_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, BAD_CSV.encode(), name="kalender.csv")
        wrong_kind = await upload(client, b"hallo", name="kalender.pdf")
    assert checked.status_code == 422
    assert "Problemen in kalender.csv" in checked.text
    assert "regel 2" in checked.text and "2026-02-30" in checked.text
    assert "regel 3" in checked.text and "7C" in checked.text
    assert 'name="token"' not in checked.text
    assert wrong_kind.status_code == 422
    assert events(school) == 0 and planned(school) == []


async def test_a_file_too_big_is_refused_in_dutch(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, EXAMPLE + b" " * 5_000_001)
    assert checked.status_code == 413
    assert "te groot" in checked.text
    assert events(school) == 0


async def test_a_planned_send_moves_within_the_rules(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await imported(client)
        key = key_of(school, "Zwemmen 3A")
        token = csrf_of(page.text)
        for to, words in (
            ("2026-11-25T22:30", "sturen we niets"),  # quiet hours
            ("2026-11-20T17:00", "al voorbij"),  # the past
            ("2026-12-20T17:00", "vóór de activiteit"),  # after the event
            ("morgen", ""),  # not a moment
        ):
            refused = await client.post(
                "/kalender/verplaatsen", data={"csrftoken": token, "key": key, "to": to}
            )
            assert refused.status_code == 400, to
            assert words in refused.text
        before = [row for row in planned(school) if row[0] == key]
        assert all(row[1].startswith("2026-11-25 17:00") for row in before)  # 18:00 Brussels
        moved = await client.post(
            "/kalender/verplaatsen",
            data={"csrftoken": token, "key": key, "to": "2026-11-25T16:00"},
        )
        assert moved.status_code == 303
        shown = await client.get(moved.headers["location"].removeprefix(BASE))
    assert "Verplaatst." in shown.text
    after = [row for row in planned(school) if row[0] == key]
    assert after and all(row[1].startswith("2026-11-25 15:00") for row in after)
    assert {row[2] for row in after} == {"desk:Mevrouw Claes"}


async def test_a_planned_send_is_cancelled_for_everyone(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await imported(client)
        key = key_of(school, "Zwemmen 3A")
        cancelled = await client.post(
            "/kalender/annuleren", data={"csrftoken": csrf_of(page.text), "key": key}
        )
        assert cancelled.status_code == 303
        shown = await client.get(cancelled.headers["location"].removeprefix(BASE))
    assert "Geannuleerd" in shown.text
    rows = [row for row in planned(school) if row[0] == key]
    assert rows and all(row[1].endswith("cancelled") for row in rows)
    assert key not in {item.key for item in calendar_view.upcoming(school, school="demo", days=60)}


async def test_another_schools_send_is_not_found_and_stays(school: Deps) -> None:
    theirs = key_of(school, "Zwemmen 3A", school="andere")
    before = planned(school, 2)
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await imported(client)
        token = csrf_of(page.text)
        cancel = await client.post("/kalender/annuleren", data={"csrftoken": token, "key": theirs})
        move = await client.post(
            "/kalender/verplaatsen",
            data={"csrftoken": token, "key": theirs, "to": "2026-11-20T17:00"},
        )
        made_up = await client.post("/kalender/annuleren", data={"csrftoken": token, "key": "e1:x"})
    assert cancel.status_code == move.status_code == made_up.status_code == 404
    assert planned(school, 2) == before


async def test_a_forged_or_foreign_token_changes_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, EXAMPLE)
        token = token_of(checked.text)
        forged = await client.post(
            "/kalender/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": "x" + token[1:]},
        )
        assert forged.status_code == 400 and "niet meer klaar" in forged.text
        # A Klaslijst token is no Kalender token, and the other way round.
        roster_page = await client.get("/klaslijst")
        wrong_page = await client.post(
            "/klaslijst/toepassen", data={"csrftoken": csrf_of(roster_page.text), "token": token}
        )
        assert wrong_page.status_code == 400
    async with desk_client(school) as other:
        await login(other, school, OTHER_ADMIN)
        page = await other.get("/kalender")
        stolen = await other.post(
            "/kalender/toepassen", data={"csrftoken": csrf_of(page.text), "token": token}
        )
        assert stolen.status_code == 400
    assert events(school) == 0 and planned(school) == []


async def test_without_a_session_or_as_a_teacher_nothing_opens(school: Deps) -> None:
    theirs = key_of(school, "Zwemmen 3A", school="andere")
    before = planned(school, 2)
    async with desk_client(school) as client:
        answer = await client.get("/kalender")
        assert answer.status_code == 303 and answer.headers["location"] == f"{BASE}/login"
        no_session = await client.post("/kalender/annuleren", data={"key": theirs})
        assert no_session.status_code in (303, 403)
        await login(client, school, TEACHER)
        assert (await client.get("/kalender")).status_code == 403
        home = await client.get("/")
        token = csrf_of(home.text)
        refused = await client.post(
            "/kalender/controleren",
            data={"csrftoken": token},
            files={"file": ("kalender.ics", EXAMPLE, "text/calendar")},
        )
        cancel = await client.post("/kalender/annuleren", data={"csrftoken": token, "key": "e1:x"})
    assert refused.status_code == 403 and cancel.status_code == 403
    assert events(school) == 0 and planned(school, 2) == before


async def test_a_post_without_csrf_is_refused_and_changes_nothing(school: Deps) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        page = await imported(client)
        key = key_of(school, "Zwemmen 3A")
        before = planned(school)
        cancel = await client.post("/kalender/annuleren", data={"key": key})
        move = await client.post(
            "/kalender/verplaatsen", data={"key": key, "to": "2026-11-25T16:00"}
        )
        checked = await upload(client, BAD_CSV.encode(), name="kalender.csv")
        apply = await client.post("/kalender/toepassen", data={"token": "x"})
        assert csrf_of(page.text) and checked.status_code == 422
    assert cancel.status_code == move.status_code == apply.status_code == 403
    assert planned(school) == before


async def test_a_calendar_changed_since_the_check_is_not_applied_but_shown_anew(
    school: Deps,
) -> None:
    async with desk_client(school) as client:
        await login(client, school, ADMIN)
        checked = await upload(client, EXAMPLE)
        calendar_import.import_calendar_data(school, school="demo", data=EXAMPLE, name="k.ics")
        before = planned(school)
        applied = await client.post(
            "/kalender/toepassen",
            data={"csrftoken": csrf_of(checked.text), "token": token_of(checked.text)},
        )
    assert applied.status_code == 200
    assert "intussen veranderd" in applied.text
    assert planned(school) == before
