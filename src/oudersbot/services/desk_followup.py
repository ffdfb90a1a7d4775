"""The desk's follow-up page: the brugfiguur's list (services/followup.py) filtered by slip,
class, open or all and how a family is reached, one page at a time, with each slip's answer
options for the outcome form and the slips and classes to filter on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from oudersbot.domain.reach import Reach
from oudersbot.services.followup import FollowUpItem, UnconfirmedItem, followup_overview
from oudersbot.services.slip_status import title
from oudersbot.services.viewers import NotAllowedError, Viewer
from oudersbot.store.followup import slip_answer_options
from oudersbot.store.slip_status import slips_of_school

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

PAGE_SIZE = 50


@dataclass(frozen=True)
class FollowUpFilter:
    """What the brugfiguur asks to see; None is "any"."""

    slip_id: int | None = None
    group: str | None = None
    open_only: bool = True
    reach: str | None = None

    def keeps(self, item: FollowUpItem) -> bool:
        """True when the item passes every filter."""
        if self.open_only and not item.open:
            return False
        if self.group is not None and item.state.group != self.group:
            return False
        return self.reach is None or any(g.reach.value == self.reach for g in item.state.guardians)


@dataclass(frozen=True)
class FollowUpPage:
    """One page of the filtered list and what the page's forms need."""

    items: list[FollowUpItem]
    total: int
    offset: int
    limit: int
    slips: list[tuple[int, str]]  # every slip of the school, newest first, for the filter
    groups: list[str]
    options: dict[int, tuple[str, ...]]  # each listed slip's answer options
    unconfirmed: list[UnconfirmedItem]
    silent_after: int

    @property
    def next_offset(self) -> int | None:
        """Where the next page starts, if there is one."""
        after = self.offset + self.limit
        return after if after < self.total else None

    @property
    def previous_offset(self) -> int | None:
        """Where the previous page starts, if there is one."""
        return max(self.offset - self.limit, 0) if self.offset > 0 else None


REACHES = tuple(r.value for r in Reach)


def filtered_items(
    deps: Deps, viewer: Viewer, filters: FollowUpFilter
) -> tuple[list[FollowUpItem], list[UnconfirmedItem], int]:
    """Every item that passes the filters, the unconfirmed messages and the school's N."""
    if not viewer.sees_school:
        raise NotAllowedError("only the liaison works the follow-up list")
    overview = followup_overview(deps, viewer, slip_id=filters.slip_id)
    items = [item for item in overview.items if filters.keeps(item)]
    return items, overview.unconfirmed, overview.silent_after


def followup_page(
    deps: Deps,
    viewer: Viewer,
    filters: FollowUpFilter,
    *,
    offset: int = 0,
    limit: int = PAGE_SIZE,
) -> FollowUpPage:
    """One page of the brugfiguur's list (the liaison and the administrator only)."""
    items, unconfirmed, silent_after = filtered_items(deps, viewer, filters)
    offset = max(0, min(offset, max(len(items) - 1, 0)))
    shown = items[offset : offset + limit]
    with deps.db.session() as session:
        headers = slips_of_school(session, school_id=viewer.school_id)
        options = slip_answer_options(
            session, school_id=viewer.school_id, slip_ids={i.message_id for i in shown}
        )
    groups = sorted({g for header in headers for g in header.groups})
    slips = [(h.message_id, title(h.text_nl)) for h in reversed(headers)]
    return FollowUpPage(
        shown, len(items), offset, limit, slips, groups, options, unconfirmed, silent_after
    )
