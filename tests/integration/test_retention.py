"""Retention per school: a preview, the school's own terms, and the scheduler's daily run that
removes leavers and old history without breaking the outbox; every run in the audit log."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.clock import FixedClock
from oudersbot.services.due import queue_due
from oudersbot.store.db import Database
from oudersbot.store.models import (
    AuditEntry,
    Child,
    ConversationMessage,
    Delivery,
    Guardian,
    InboundText,
    Message,
    Rendition,
    Understanding,
)
from tests.conftest import BRUSSELS, make_settings
from tests.integration.test_privacy import START, full_dump, run
from tests.privacy_history import NAME, PHONE, Family, build_school

LEFT = datetime(2026, 6, 30, 12, 0, tzinfo=BRUSSELS)


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> tuple[Deps, Family]:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    with deps.db.session() as session:
        family = build_school(session, start=START, weeks=115)
        session.execute(
            update(Guardian).where(Guardian.id == family.guardian_id).values(left_at=LEFT)
        )
        session.execute(update(Child).where(Child.id == family.only_child_id).values(left_at=LEFT))
    return deps, family


def messages_from(deps: Deps, before: datetime) -> int:
    with deps.db.session() as s:
        return (
            s.scalar(select(func.count()).select_from(Message).where(Message.created_at < before))
            or 0
        )


def audit_actions(deps: Deps) -> list[tuple[str, str]]:
    with deps.db.session() as s:
        return [(e.actor, e.action) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_nothing_has_expired_yet_and_the_preview_says_so(school: tuple[Deps, Family]) -> None:
    deps, _ = school
    result = run(deps, "privacy", "retention", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "nog 1 schooljaar/schooljaren na het schooljaar van vertrek" in result.output
    assert "Vandaag zou verdwijnen: 0 ouders en 0 kinderen die vertrokken vóór 2025-09-01" in (
        result.output
    )
    assert "0 berichten van vóór 2024-09-01" in result.output
    queue_due(deps)
    assert NAME in full_dump(deps)
    assert audit_actions(deps) == [("scheduler", "privacy.retention")]


def test_a_year_later_the_scheduler_removes_the_leaver_and_the_oldest_school_year(
    school: tuple[Deps, Family], clock: FixedClock
) -> None:
    deps, family = school
    clock.advance(datetime(2027, 9, 1, 6, 0, tzinfo=BRUSSELS) - clock.now())
    cutoff = datetime(2025, 9, 1, tzinfo=BRUSSELS)
    old = messages_from(deps, cutoff)
    assert old == 2 * 52  # school year 2024-2025: a slip and a prikkel a week
    # One old message is still going out: it must survive, with its pending delivery.
    with deps.db.session() as s:
        busy = s.scalars(select(Message.id).order_by(Message.id)).first()
        s.execute(update(Delivery).where(Delivery.message_id == busy).values(status="pending"))
        pending_before = s.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == "pending")
        )
    before = full_dump(deps)
    preview = run(deps, "privacy", "retention", "--dry-run")
    assert "1 ouders en 1 kinderen die vertrokken vóór 2026-09-01" in preview.output
    assert f"{old - 1} berichten van vóór 2025-09-01" in preview.output
    assert full_dump(deps) == before  # a preview changes nothing

    queue_due(deps)  # the scheduler's wake
    dump = full_dump(deps)
    assert NAME not in dump and PHONE not in dump and "Yıldızhan" not in dump
    assert messages_from(deps, cutoff) == 1
    with deps.db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Delivery).where(Delivery.status == "pending"))
            == pending_before - 1  # the leaver's own copy was cancelled with them
        )
        assert s.scalar(select(func.count()).select_from(Rendition)) == s.scalar(
            select(func.count()).select_from(Message)
        )
        assert (
            s.scalar(
                select(func.count())
                .select_from(InboundText)
                .where(InboundText.received_at < cutoff)
            )
            == 0
        )
        # The conversation's old messages went (both ways), the newer ones stay.
        conversation = select(func.count()).select_from(ConversationMessage)
        assert s.scalar(conversation.where(ConversationMessage.at < cutoff)) == 0
        assert (s.scalar(conversation) or 0) > 0
        shared = s.get_one(Child, family.child_id)
        assert shared.first_name == "Zümrüt"  # still at school, with its other guardian
        # The taps under the removed messages went with them; the later ones stay.
        taps = select(func.count()).select_from(Understanding)
        assert s.scalar(taps.where(Understanding.message_id.not_in(select(Message.id)))) == 0
        assert s.scalar(taps) == 115 - 52 + 1  # + the old slip still going out
    assert audit_actions(deps) == [("scheduler", "privacy.retention")]
    clock.advance(timedelta(hours=12))
    queue_due(deps)  # the same day: not again
    assert audit_actions(deps) == [("scheduler", "privacy.retention")]
    clock.advance(timedelta(days=1))
    queue_due(deps)
    assert audit_actions(deps) == [("scheduler", "privacy.retention")] * 2


def test_the_school_sets_its_own_terms_and_the_audit_log_lists_who_did_what(
    school: tuple[Deps, Family],
) -> None:
    deps, _ = school
    bad = run(deps, "privacy", "retention", "--leerlingen-jaar", "11")
    assert bad.exit_code == 1
    assert "Een bewaartermijn is 0 tot 10 schooljaren, niet 11" in bad.output
    result = run(deps, "privacy", "retention", "--leerlingen-jaar", "0", "--geschiedenis-jaar", "3")
    assert result.exit_code == 0, result.output
    assert "nog 0 schooljaar/schooljaren na het schooljaar van vertrek" in result.output
    assert "1 ouders en 1 kinderen die vertrokken vóór 2026-09-01" in result.output
    refused = run(deps, "privacy", "retention", "--uitvoeren")
    assert refused.exit_code == 1 and NAME in full_dump(deps)
    done = run(deps, "privacy", "retention", "--uitvoeren", "--yes")
    assert done.exit_code == 0, done.output
    assert "Verwijderd: ouders 1, kinderen 1" in done.output
    assert NAME not in full_dump(deps)
    listing = run(deps, "privacy", "audit", "--sinds", "2026-11-01")
    lines = listing.output.splitlines()
    assert len(lines) == 2
    assert "privacy.retention_policy  —  leavers_years=0 history_years=3" in lines[0]
    assert lines[0].startswith("2026-11-23 09:00  cli:")
    assert "privacy.retention  —  guardians=1 children=1" in lines[1]
    assert run(deps, "privacy", "audit", "--sinds", "2027-01-01").output.startswith(
        "Het auditlogboek heeft geen acties"
    )
    assert run(deps, "privacy", "audit", "--sinds", "gisteren").exit_code == 1
