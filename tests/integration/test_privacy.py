"""`oudersbot privacy`: a guardian's export and erasure, as the school's administrator types
them, on SQLite and PostgreSQL; afterwards a full dump of the database knows nothing of them."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.services.understanding import explain_list
from oudersbot.services.viewers import admin_viewer
from oudersbot.store.db import Database
from oudersbot.store.models import (
    AuditEntry,
    Child,
    Conversation,
    ConversationMessage,
    ConversationNotice,
    Delivery,
    FollowUp,
    Guardian,
    GuardianChild,
    InboundText,
    PrikkelFeedback,
    Reply,
    Understanding,
)
from tests.conftest import BRUSSELS, make_settings
from tests.privacy_history import CHAT, EXTERNAL, NAME, PHONE, Family, build_school

START = datetime(2024, 9, 2, 9, 0, tzinfo=BRUSSELS)  # two school years and a bit before the clock


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> tuple[Deps, Family]:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    with deps.db.session() as session:
        family = build_school(session, start=START, weeks=115)
    return deps, family


def run(deps: Deps, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, input=input)


def full_dump(deps: Deps) -> str:
    """Every row of every table as text: SQLite's iterdump of the file, or on PostgreSQL each
    row of each table of the test schema cast to text."""
    if deps.db.is_sqlite:
        path = deps.db.engine.url.database
        assert path
        with sqlite3.connect(path) as conn:
            return "\n".join(conn.iterdump())
    with deps.db.engine.connect() as conn:
        tables = conn.execute(
            sa.text(
                "SELECT table_name FROM information_schema.tables"
                " WHERE table_schema = current_schema()"
            )
        ).scalars()
        return "\n".join(
            str(row[0])
            for table in list(tables)
            for row in conn.execute(sa.text(f'SELECT t::text FROM "{table}" t'))
        )


def counts(deps: Deps) -> dict[str, int]:
    with deps.db.session() as s:
        return {
            model.__tablename__: s.scalar(select(func.count()).select_from(model)) or 0
            for model in (
                Reply,
                Delivery,
                FollowUp,
                PrikkelFeedback,
                Understanding,
                InboundText,
                Guardian,
            )
        }


def test_the_export_holds_every_table_about_the_guardian_in_json_and_dutch_text(
    school: tuple[Deps, Family], tmp_path: Path
) -> None:
    deps, family = school
    result = run(deps, "privacy", "export", "--ouder", NAME.upper(), "--out", str(tmp_path / "x"))
    assert result.exit_code == 0, result.output
    assert f"Alles over ouder nr. {family.guardian_id}" in result.output
    data = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    assert data["guardian"] | {"joined_at": None} == data["guardian"] | {
        "name": NAME,
        "phone": PHONE,
        "chat_id": CHAT,
        "external_id": EXTERNAL,
        "joined_at": None,
        "prefers_listening": True,
    }
    assert [(c["first_name"], c["class"]) for c in data["children"]] == [
        ("Zümrüt", "3A"),
        ("Yıldızhan", "3B"),
    ]
    assert len(data["deliveries"]) == 230
    assert len(data["replies"]) == 230
    assert len(data["inbound_texts"]) == 115
    assert len(data["conversation"]) == 230  # a question and the teacher's answer a week
    assert [c["direction"] for c in data["conversation"][:2]] == ["parent", "staff"]
    assert PHONE in data["conversation"][0]["text"]
    assert data["conversation"][1]["staff"] == "Juf Lies"
    (state,) = data["conversation_state"]
    assert (state["status"], state["handled_by"]) == ("handled", "Juf Lies")
    assert state["handled_at"] and state["waiting_since"] is None
    assert len(data["follow_ups"]) == 29
    assert len(data["prikkel_feedback"]) == 115
    taps = data["understanding"]
    assert len(taps) == 115
    assert sum(t["reaction"] == "explain" for t in taps) == 23
    assert taps[0]["explained_by"] == "Brugfiguur Els" and taps[0]["explain_at"]
    assert data["invites"][0]["used_by_chat_id"] == CHAT
    assert data["join_throttle"][0]["failures"] == 2
    assert f"bel mij op {PHONE}" in data["inbound_texts"][0]["text"]
    text = (tmp_path / "x.txt").read_text(encoding="utf-8")
    assert f"Naam: {NAME}" in text
    assert "Zümrüt, klas 3A" in text
    assert "Eigen teksten (115):" in text
    assert "Gesprek met de school (230 berichten):" in text
    assert "afgehandeld, geen antwoord nodig  (wacht sinds: —; afgehandeld door Juf Lies op" in text
    assert "gebeld: bereikt, geantwoord" in text or "Opvolging (29):" in text
    assert "Begrepen / uitleg graag onder berichten (115):" in text
    assert "uitleg graag  (uitgelegd: 2024-09-03" in text
    with deps.db.session() as s:
        entry = s.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.subject) == ("privacy.export", f"guardian:{family.guardian_id}")
    assert entry.actor.startswith("cli:")
    assert NAME not in (entry.detail or "")


def test_a_name_two_guardians_share_lists_both_and_changes_nothing(
    school: tuple[Deps, Family], tmp_path: Path
) -> None:
    deps, family = school
    with deps.db.session() as s:
        s.add(
            Guardian(
                school_id=family.school_id, name="jan peeters", language="fr", external_id="P9"
            )
        )
    before = full_dump(deps)
    result = run(deps, "privacy", "erase", "--ouder", "Jan Peeters", "--yes")
    assert result.exit_code == 1
    assert "'Jan Peeters' past bij 2 ouders" in result.output
    assert f"nr. {family.other_guardian_id}: Jan Peeters, kinderen: Zümrüt (3A)" in result.output
    assert "(ouder-id P9): jan peeters, kinderen: geen" in result.output
    assert full_dump(deps) == before
    unknown = run(deps, "privacy", "export", "--ouder", "Niemand", "--out", str(tmp_path / "n"))
    assert unknown.exit_code == 1
    assert "Geen ouder gevonden voor 'Niemand'" in unknown.output
    assert not (tmp_path / "n.json").exists()
    assert full_dump(deps) == before


def test_erasing_asks_and_a_pipe_without_yes_changes_nothing(school: tuple[Deps, Family]) -> None:
    deps, _ = school
    before = full_dump(deps)
    result = run(deps, "privacy", "erase", "--ouder", EXTERNAL)
    assert result.exit_code == 1
    assert "bevestig met --yes" in result.output
    assert full_dump(deps) == before


def test_after_erasing_a_full_dump_holds_nothing_of_the_guardian_and_the_counts_stay(
    school: tuple[Deps, Family],
) -> None:
    deps, family = school
    assert NAME in full_dump(deps) and PHONE in full_dump(deps)
    before = counts(deps)
    waiting = explain_list(deps, admin_viewer(family.school_id))
    assert {i.guardian_id for i in waiting} == {family.guardian_id} and len(waiting) == 11
    result = run(deps, "privacy", "erase", "--ouder", EXTERNAL, "--yes")
    assert result.exit_code == 0, result.output
    assert f"Ouder nr. {family.guardian_id} is gewist" in result.output
    dump = full_dump(deps)
    for trace in (NAME, "Xylofonia", "Qwertzbergh", PHONE, "499817263", str(CHAT), EXTERNAL):
        assert trace not in dump, trace
    assert "bel mij op" not in dump and "Groeten," not in dump
    after = counts(deps)
    # Answers, deliveries, follow-ups and taps stay countable; only the free texts went.
    assert after == before | {"inbound_text": 0}
    assert after["understanding"] == 115
    # An erased family is nobody on the brugfiguur's list any more.
    assert explain_list(deps, admin_viewer(family.school_id)) == []
    with deps.db.session() as s:
        assert (
            s.scalar(select(func.count()).select_from(Reply).where(Reply.guardian_id.is_not(None)))
            == 0
        )
        # Their conversation went, both ways, with the teacher's copies; the partner's stays.
        kept = s.scalars(select(ConversationMessage.guardian_id)).all()
        assert family.guardian_id not in kept and len(kept) == 230
        assert s.scalar(select(func.count()).select_from(ConversationNotice)) == 115
        assert s.scalars(select(Conversation.guardian_id)).all() == [family.other_guardian_id]
        assert s.scalars(select(Conversation.handled_by)).all() == [None]  # the mark went too
        links = s.scalars(select(GuardianChild.guardian_id)).all()
        assert family.guardian_id not in links
        assert not s.get_one(Guardian, family.guardian_id).prefers_listening
        # A child still at school stays a pupil, also when no guardian is left.
        own = s.get_one(Child, family.only_child_id)
        assert own.first_name == "Yıldızhan"
        entry = s.scalars(select(AuditEntry)).one()
        assert (entry.action, entry.subject) == ("privacy.erase", f"guardian:{family.guardian_id}")
    again = run(deps, "privacy", "erase", "--ouder", str(family.guardian_id), "--yes")
    assert again.exit_code == 1  # an erased guardian is nobody any more
