"""Helpers for the staff desk's tests: an HTTP client on the app, a staff member, a login
through a real /web link, the CSRF field of a page."""

from __future__ import annotations

import re

import httpx
from sqlalchemy import select

from oudersbot.bootstrap import Deps
from oudersbot.services.web_login import issue_link
from oudersbot.store.models import Group, Staff, StaffGroup
from oudersbot.web.app import create_app

BASE = "http://desk.test"
_CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


def desk_client(deps: Deps, base: str = BASE) -> httpx.AsyncClient:
    """An HTTP client on the desk's ASGI app (no network; cookies kept like a browser)."""
    transport = httpx.ASGITransport(app=create_app(deps))
    return httpx.AsyncClient(transport=transport, base_url=base, follow_redirects=False)


def add_staff(
    deps: Deps,
    name: str,
    role: str,
    chat_id: int,
    *,
    groups: tuple[str, ...] = (),
    school_id: int = 1,
) -> int:
    """A staff member linked to a chat, with their classes; their id."""
    with deps.db.session() as session:
        staff = Staff(school_id=school_id, name=name, role=role, chat_id=chat_id)
        session.add(staff)
        session.flush()
        for group in groups:
            group_id = session.scalars(
                select(Group.id).where(Group.school_id == school_id, Group.name == group)
            ).one()
            session.add(StaffGroup(staff_id=staff.id, group_id=group_id))
        return staff.id


def csrf_of(html: str) -> str:
    """The CSRF field's value on a page."""
    found = _CSRF.search(html)
    assert found, "the page has no form with a CSRF field"
    return found.group(1)


async def login(client: httpx.AsyncClient, deps: Deps, chat_id: int) -> None:
    """Log in as the staff member of this chat, through a fresh /web link."""
    link = issue_link(deps, chat_id=chat_id)
    assert link is not None
    page = await client.get(link.url.removeprefix(deps.settings.web_url))
    assert page.status_code == 200
    answer = await client.post(
        "/login", data={"token": link.token, "csrftoken": csrf_of(page.text)}
    )
    assert answer.status_code == 303, answer.text


def import_other_school(deps: Deps) -> None:
    """A second school, 'andere' (school 2), with the same two-class roster as 'demo'."""
    from oudersbot.services.roster import import_roster
    from tests.conftest import FIXTURE_DIR

    report = import_roster(
        deps,
        data=(FIXTURE_DIR / "roster_3a_3b.csv").read_bytes(),
        filename="lijst.csv",
        school="andere",
        school_name="De Andere School",
    )
    assert report.ok, report.problems
