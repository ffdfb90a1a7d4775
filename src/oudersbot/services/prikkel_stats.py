"""The class view of prikkels, per week and in aggregate only: how many went out, the share
of families reached, the share who talked about it, and how many paused them — never who."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from oudersbot.domain.prikkels import week_of
from oudersbot.store.audience import recipients_of_groups
from oudersbot.store.prikkels import paused_guardians, sent_prikkels
from oudersbot.store.schools import get_groups

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps


@dataclass(frozen=True)
class WeekStats:
    """One week of a class's prikkels, in aggregate only."""

    week: dt.date
    prikkels: int
    families: int
    reached: int
    talked: int
    paused: int = 0
    shares: dict[str, float] = field(default_factory=dict)


def class_view(deps: Deps, *, school_id: int, group: str) -> list[WeekStats]:
    """Per week: prikkels sent, share of families reached, share who tapped 'we talked about
    it'; and how many families paused — never who."""
    zone = deps.settings.timezone
    with deps.db.session() as session:
        sent = sent_prikkels(session, school_id=school_id, group=group)
        group_rows = get_groups(session, school_id=school_id, names=[group])
        families = recipients_of_groups(session, group_ids=[g.id for g in group_rows])
        paused = len(paused_guardians(session, guardian_ids=[f.guardian_id for f in families]))
    weeks: dict[dt.date, dict[str, set[object]]] = {}
    for delivery in sent:
        week = weeks.setdefault(
            week_of(delivery.sent_at.astimezone(zone)),
            {"prikkels": set(), "reached": set(), "talked": set()},
        )
        week["prikkels"].add(delivery.message_id)
        week["reached"].add(delivery.guardian_id)
        if delivery.talked:
            week["talked"].add(delivery.guardian_id)
    total = len(families)
    return [
        WeekStats(
            week,
            len(data["prikkels"]),
            total,
            len(data["reached"]),
            len(data["talked"]),
            paused,
            {
                "reached": len(data["reached"]) / total if total else 0.0,
                "talked": len(data["talked"]) / len(data["reached"]) if data["reached"] else 0.0,
            },
        )
        for week, data in sorted(weeks.items())
    ]
