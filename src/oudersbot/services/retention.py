"""Retention per school: what has expired, a preview of it, removing it, and the daily run.

The rule itself (school years ending on 31 August) is `domain.retention`; the rows are
`store.retention` and `store.erasure`. Messages go in small batches, each its own
transaction, so the sender is never held up for long.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from oudersbot.domain.retention import Cutoffs, RetentionPolicy, cutoffs, run_due
from oudersbot.services.web_login import SESSION_LONGEST
from oudersbot.store import audit
from oudersbot.store import retention as rows
from oudersbot.store.erasure import erase_child, erase_guardian
from oudersbot.store.web import forget_old as forget_web_logins

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

log = logging.getLogger(__name__)
RUN = "privacy.retention"
POLICY = "privacy.retention_policy"
SCHEDULER = "scheduler"
BATCH = 500


@dataclass(frozen=True)
class RetentionPreview:
    """What retention would remove today at one school."""

    policy: RetentionPolicy
    cutoffs: Cutoffs
    guardians: int
    children: int
    history: rows.HistoryCount


def _zone(deps: Deps, school_id: int) -> ZoneInfo:
    with deps.db.session() as session:
        return ZoneInfo(rows.school_zone(session, school_id=school_id))


def _start_of(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone)


def policy(deps: Deps, *, school_id: int) -> RetentionPolicy:
    """The school's retention policy."""
    with deps.db.session() as session:
        leavers, history = rows.policy_of(session, school_id=school_id)
    return RetentionPolicy(leavers, history)


def set_policy(
    deps: Deps, *, school_id: int, leavers: int | None, history: int | None, actor: str
) -> RetentionPolicy:
    """Change the school's policy (RetentionError when out of range); audited."""
    old = policy(deps, school_id=school_id)
    new = RetentionPolicy(
        old.leavers_years if leavers is None else leavers,
        old.history_years if history is None else history,
    )
    with deps.db.session() as session:
        rows.set_policy(
            session, school_id=school_id, leavers=new.leavers_years, history=new.history_years
        )
        detail = f"leavers_years={new.leavers_years} history_years={new.history_years}"
        audit.record(session, school_id, deps.clock.now(), actor, POLICY, None, detail)
    return new


def preview(deps: Deps, *, school_id: int) -> RetentionPreview:
    """What would go if retention ran now (nothing is changed)."""
    the_policy = policy(deps, school_id=school_id)
    zone = _zone(deps, school_id)
    limits = cutoffs(the_policy, deps.clock.now().astimezone(zone).date())
    with deps.db.session() as session:
        leavers = _start_of(limits.leavers, zone)
        return RetentionPreview(
            the_policy,
            limits,
            len(rows.leaver_guardians(session, school_id=school_id, before=leavers)),
            len(rows.leaver_children(session, school_id=school_id, before=leavers)),
            rows.count_history(
                session, school_id=school_id, before=_start_of(limits.history, zone)
            ),
        )


def apply(deps: Deps, *, school_id: int, actor: str) -> dict[str, int]:
    """Remove what has expired at the school; the totals, also written to the audit log."""
    the_policy = policy(deps, school_id=school_id)
    zone = _zone(deps, school_id)
    now = deps.clock.now()
    limits = cutoffs(the_policy, now.astimezone(zone).date())
    leavers, history = _start_of(limits.leavers, zone), _start_of(limits.history, zone)
    totals: dict[str, int] = {"guardians": 0, "children": 0}
    with deps.db.session() as session:
        for guardian_id in rows.leaver_guardians(session, school_id=school_id, before=leavers):
            erased = erase_guardian(session, school_id=school_id, guardian_id=guardian_id, now=now)
            totals["guardians"] += 1
            totals["children"] += erased["children"]
        for child_id in rows.leaver_children(session, school_id=school_id, before=leavers):
            erase_child(session, child_id=child_id)
            totals["children"] += 1
    while True:
        with deps.db.session() as session:
            ids = rows.expired_message_ids(
                session, school_id=school_id, before=history, limit=BATCH
            )
            if not ids:
                break
            for name, count in rows.delete_messages(session, ids=ids).items():
                totals[name] = totals.get(name, 0) + count
    with deps.db.session() as session:
        for name, count in rows.delete_old_rows(
            session, school_id=school_id, before=history
        ).items():
            totals[name] = totals.get(name, 0) + count
        # The desk's login links and sessions are kept only while they could still be used.
        totals["web_logins"] = forget_web_logins(
            session, school_id=school_id, before=now - SESSION_LONGEST
        )
        detail = " ".join(f"{name}={count}" for name, count in totals.items())
        audit.record(session, school_id, now, actor, RUN, None, detail)
    return totals


def apply_when_due(deps: Deps) -> int:
    """The scheduler's daily run: each school once per day of its own calendar; how many
    schools ran now."""
    now = deps.clock.now()
    with deps.db.session() as session:
        zones = rows.school_zones(session)
        last = {s: audit.last_at(session, school_id=s, action=RUN) for s in zones}
    ran = 0
    for school_id, zone_name in zones.items():
        zone = ZoneInfo(zone_name)
        moment = last[school_id]
        previous = moment.astimezone(zone).date() if moment is not None else None
        if run_due(previous, now.astimezone(zone).date()):
            apply(deps, school_id=school_id, actor=SCHEDULER)
            ran += 1
    return ran


def run_daily(deps: Deps) -> None:
    """`apply_when_due` for the scheduler: a failure is logged and tried again at the next
    wake, and never keeps the reminders behind it from going out."""
    try:
        ran = apply_when_due(deps)
    except Exception:
        log.exception("retention could not run; it is tried again at the next wake")
        return
    if ran:
        log.info("retention ran for %d schools", ran)
