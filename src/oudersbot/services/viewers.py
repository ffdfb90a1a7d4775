"""Who may see what: a teacher their own classes, the liaison and the administrator the school."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.store.models import Role
from oudersbot.store.staff import staff_seat_of_chat

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


@dataclass(frozen=True)
class Viewer:
    """Who asks: a teacher (own classes only), a liaison (the whole school), the school's
    administrator on the desk or in Telegram (the whole school, no phone numbers), or the
    administrator at the command line (`console`: the whole school, phones too)."""

    school_id: int
    role: str
    group_ids: frozenset[int] = frozenset()
    name: str = "school"
    console: bool = False

    @property
    def sees_school(self) -> bool:
        """Liaison and administrator see every class."""
        return self.role in (Role.LIAISON.value, "admin")

    @property
    def sees_phones(self) -> bool:
        """Phone numbers only for the liaison, who calls the families (and for whoever runs
        the command line on the server, which holds everything anyway)."""
        return self.role == Role.LIAISON.value or self.console


class NotAllowedError(PermissionError):
    """This role may not do this."""


def viewer_for_chat(deps: Deps, chat_id: int) -> Viewer | None:
    """The staff member behind a chat, with their classes; None for anyone else."""
    with deps.db.session() as session:
        seat = staff_seat_of_chat(session, chat_id=chat_id)
    if seat is None:
        return None
    return Viewer(seat.school_id, seat.role, seat.group_ids, seat.name)


def admin_viewer(school_id: int) -> Viewer:
    """The command line: the school's administrator."""
    return Viewer(school_id, "admin", frozenset(), "school", console=True)
