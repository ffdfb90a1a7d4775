"""A guardian's rights at the school: find whom staff mean, export everything, erase it.

Each export and erase is written to the audit log (who, what, about which guardian id; never
a name), in the same transaction as the act itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from oudersbot.store import audit
from oudersbot.store.erasure import erase_guardian as erase_rows
from oudersbot.store.models import AuditEntry
from oudersbot.store.privacy import Candidate, GuardianRecord, guardian_record, guardians_matching

if TYPE_CHECKING:
    from oudersbot.bootstrap import Deps

EXPORT = "privacy.export"
ERASE = "privacy.erase"


def subject_of(guardian_id: int) -> str:
    """How the audit log names a guardian: by id only."""
    return f"guardian:{guardian_id}"


class GuardianLookupError(LookupError):
    """Nobody, or more than one guardian, fits what staff typed; `candidates` lists the latter."""

    def __init__(self, who: str, candidates: list[Candidate]) -> None:
        super().__init__(f"{len(candidates)} guardians fit {who!r}")
        self.who = who
        self.candidates = candidates


def find_guardian(deps: Deps, *, school_id: int, who: str) -> Candidate:
    """The one guardian `who` names (an id, the school's parent id or a name), or
    GuardianLookupError with every guardian it may mean (none when it fits nobody)."""
    with deps.db.session() as session:
        found = guardians_matching(session, school_id=school_id, who=who)
    if len(found) != 1:
        raise GuardianLookupError(who, found)
    return found[0]


def export_guardian(deps: Deps, *, school_id: int, guardian_id: int, actor: str) -> GuardianRecord:
    """Everything stored about the guardian, and the audit entry that staff looked
    (LookupError when the school has no such guardian)."""
    with deps.db.session() as session:
        record = guardian_record(session, guardian_id=guardian_id)
        if record.guardian.school_id != school_id:
            raise LookupError(f"no guardian {guardian_id} at school {school_id}")
        detail = (
            f"deliveries={len(record.received)} replies={len(record.replies)}"
            f" texts={len(record.texts)} follow_ups={len(record.follow_ups)}"
        )
        audit.record(
            session,
            school_id,
            deps.clock.now(),
            actor,
            EXPORT,
            subject_of(guardian_id),
            detail,
        )
        return record


@dataclass(frozen=True)
class ErasureReport:
    """What an erase touched, table by table (rows, never content)."""

    guardian_id: int
    counts: dict[str, int]


def erase_guardian(deps: Deps, *, school_id: int, guardian_id: int, actor: str) -> ErasureReport:
    """Remove the guardian's personal data from every table; audited in the same transaction
    (LookupError when the school has no such guardian)."""
    now = deps.clock.now()
    with deps.db.session() as session:
        counts = erase_rows(session, school_id=school_id, guardian_id=guardian_id, now=now)
        detail = " ".join(f"{name}={count}" for name, count in counts.items())
        audit.record(session, school_id, now, actor, ERASE, subject_of(guardian_id), detail)
    return ErasureReport(guardian_id, counts)


def audit_entries(deps: Deps, *, school_id: int, since: datetime | None = None) -> list[AuditEntry]:
    """The school's audit log, oldest first, from `since` if given."""
    with deps.db.session() as session:
        return audit.entries(session, school_id=school_id, since=since)
