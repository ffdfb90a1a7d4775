"""`oudersbot send --answers --deadline`, `slips status` and `followup`, as staff type them."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from oudersbot.bootstrap import Deps, bootstrap
from oudersbot.cli import main
from oudersbot.clock import FixedClock
from oudersbot.store.db import Database
from tests.conftest import import_fixture_roster, make_settings, mark_joined


@pytest.fixture
def school(tmp_path: Path, database: Database, clock: FixedClock) -> Deps:
    deps = bootstrap(make_settings(tmp_path, school_slug="demo"), clock=clock, db=database)
    import_fixture_roster(deps)
    mark_joined(deps, {"Ayşe Yılmaz": 103})
    return deps


def run(deps: Deps, *args: str) -> Result:
    return CliRunner().invoke(main, list(args), obj={"deps": deps}, catch_exceptions=False)


def send_slip(deps: Deps) -> Result:
    return run(
        deps,
        "send",
        "--class",
        "3A",
        "--text",
        "Gaat uw kind mee naar de zoo?",
        "--answers",
        "Ja, ik kom / Nee / Ik heb een vraag",
        "--deadline",
        "2026-12-01T18:00",
        "--yes",
    )


def test_a_slip_is_sent_with_its_deadline_and_the_tally_shows_who_answered(school: Deps) -> None:
    result = send_slip(school)
    assert result.exit_code == 0, result.output
    assert "Antwoord met een knop hieronder, ten laatste dinsdag 1 december, 18:00." in (
        result.output
    )
    status = run(school, "slips", "status").output
    assert "klas 3A, tegen 2026-12-01 18:00: 0 beantwoord, 4 niet beantwoord" in status
    assert "- Emre: -" in status


def test_the_follow_up_list_on_screen_and_as_csv_then_recorded(
    school: Deps, tmp_path: Path
) -> None:
    send_slip(school)
    listing = run(school, "followup", "list").output
    assert "3A Jan — Katrien Peeters" in listing
    assert "Nederlands (België)" in listing or "Nederlands" in listing
    assert "tel. +32475998877: nooit aangesloten" in listing
    assert "Ayşe Yılmaz" in listing and "bereikbaar via de bot" in listing

    out = tmp_path / "opvolgen.csv"
    run(school, "followup", "list", "--export", "csv", "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    assert rows[0][:6] == ["strookje", "klas", "kind", "ouder", "taal", "telefoon"]
    assert rows[[r[3] for r in rows].index("Katrien Peeters")][1:4] == [
        "3A",
        "Jan",
        "Katrien Peeters",
    ]

    recorded = run(
        school,
        "followup",
        "record",
        "--slip",
        "1",
        "--ouder",
        "Katrien Peeters",
        "--actie",
        "school_gate",
        "--uitkomst",
        "reached_answered",
        "--antwoord",
        "komt",
    )
    assert "Opvolging bewaard" in recorded.output
    assert "Katrien" not in run(school, "followup", "list").output
    assert "- Jan: Ja, ik kom" in run(school, "slips", "status").output


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--answers", "ja", "--deadline", "2026-12-01T18:00"], "2 tot 5 antwoorden"),
        (["--answers", "ja,misschien", "--deadline", "2026-12-01T18:00"], "'misschien' ken ik"),
        (["--answers", "ja,nee", "--deadline", "2026-11-01T18:00"], "al voorbij"),
        (["--answers", "ja,nee", "--deadline", "morgen"], "'morgen' is geen datum en uur"),
        (["--answers", "ja,nee"], "uiterste datum nodig"),
        (["--deadline", "2026-12-01T18:00"], "geef ook --answers"),
    ],
)
def test_a_slip_that_cannot_work_is_explained_and_nothing_is_sent(
    school: Deps, extra: list[str], words: str
) -> None:
    result = run(school, "send", "--class", "3A", "--text", "Komt u?", *extra, "--yes")
    assert result.exit_code == 1
    assert words in result.output
    assert "Er zijn nog geen strookjes." in run(school, "slips", "status").output


def test_recording_for_an_unknown_guardian_or_bad_answer_says_why(school: Deps) -> None:
    send_slip(school)
    unknown = run(
        school, "followup", "record", "--slip", "1", "--ouder", "Niemand",
        "--actie", "called", "--uitkomst", "not_reached",
    )  # fmt: skip
    assert unknown.exit_code == 1 and "Ouder 'Niemand' vind ik niet." in unknown.output
    wrong = run(
        school, "followup", "record", "--slip", "1", "--ouder", "Ayşe Yılmaz",
        "--actie", "called", "--uitkomst", "reached_answered", "--antwoord", "misschien",
    )  # fmt: skip
    assert wrong.exit_code == 1 and "hoort niet bij dit strookje" in wrong.output
