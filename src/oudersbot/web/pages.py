"""The desk's pages: what each is called, where it lives and which roles open it.

`NAV` lists every page of the desk in menu order. A page whose route module is registered in
`routes/__init__.py` is a link; one not built yet shows as "binnenkort" (soon) for the roles that
will see it.
"""

from __future__ import annotations

from dataclasses import dataclass

from oudersbot.store.models import Role

TEACHER, LIAISON, ADMIN, TRANSLATOR = (
    Role.TEACHER.value,
    Role.LIAISON.value,
    Role.ADMIN.value,
    Role.TRANSLATOR.value,
)
STAFF = (TEACHER, LIAISON, ADMIN)  # everyone who works with classes and slips
SCHOOL_WIDE = (LIAISON, ADMIN)  # the brugfiguur and the administrator: the whole school


@dataclass(frozen=True)
class Page:
    """One page of the desk: its name (the route's name), its address, its menu words
    (`web.nav.<name>`) and the roles that may open it."""

    name: str
    path: str
    roles: tuple[str, ...]

    @property
    def label_key(self) -> str:
        """The catalog key of its name in the menu."""
        return f"web.nav.{self.name}"


TODAY = Page("today", "/", STAFF)
COMPOSE = Page("compose", "/bericht", STAFF)
SLIPS = Page("slips", "/strookjes", STAFF)
CONVERSATIONS = Page("conversations", "/gesprekken", STAFF)
FOLLOWUP = Page("followup", "/opvolging", SCHOOL_WIDE)
ROSTER = Page("roster", "/klaslijst", (ADMIN,))
CALENDAR = Page("calendar", "/kalender", (ADMIN,))
PRIKKELS = Page("prikkels", "/prikkels", STAFF)
TRANSLATIONS = Page("translations", "/vertalingen", (TRANSLATOR, ADMIN))

NAV = (TODAY, COMPOSE, SLIPS, CONVERSATIONS, FOLLOWUP, ROSTER, CALENDAR, PRIKKELS, TRANSLATIONS)


def home_of(role: str) -> Page | None:
    """The first page of the menu a role may open: where a vertaler lands, who may not see
    Vandaag."""
    return next((entry for entry in NAV if role in entry.roles), None)
