"""The reminder rules files in scheduler/: the defaults, a school's override, and bad files."""

from __future__ import annotations

import datetime as dt
import shutil
import string
import tomllib
from pathlib import Path
from typing import get_args

import pytest

from oudersbot.calendar_files.rules_file import (
    ANY_KIND,
    RulesCode,
    RulesFileError,
    RulesProblem,
    RulesWhere,
    Schedule,
    load_schedule,
)
from oudersbot.cli.calendar import problem_line, problem_text
from oudersbot.domain.calendar import PLAIN_EVENT, ReminderRule
from oudersbot.domain.slips import QuietHours
from oudersbot.translation.catalog import Words

ROOT = Path(__file__).parents[2]
PACKAGE = ROOT / "src" / "oudersbot"
SCHEDULER = PACKAGE / "scheduler"
WORDS = Words.load(PACKAGE / "locales")


def template_ids() -> set[str]:
    """The ids of the message templates in messages/templates/."""
    ids = set()
    for path in (PACKAGE / "messages" / "templates").glob("*.toml"):
        with path.open("rb") as handle:
            ids.add(str(tomllib.load(handle)["id"]))
    return ids


KINDS = template_ids()


def when(rules: tuple[ReminderRule, ...]) -> list[tuple[str, int, int | None, dt.time]]:
    return [(r.name, r.days_before, r.school_days_before, r.at) for r in rules]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the real defaults, with room for a school's file."""
    shutil.copy(SCHEDULER / "rules.toml", tmp_path / "rules.toml")
    (tmp_path / "schools").mkdir()
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_the_default_rules_load_and_use_real_template_ids() -> None:
    schedule = load_schedule(SCHEDULER, school=None, kinds=KINDS)
    assert schedule.quiet == QuietHours(dt.time(20, 0), dt.time(7, 30))
    assert schedule.overview_at == dt.time(16, 0)
    assert {rule.kind for rule in schedule.rules} - {ANY_KIND} <= KINDS
    assert when(schedule.rules_for("uitstap")) == [
        ("week_before", 7, None, dt.time(18)),
        ("day_before", 1, None, dt.time(18)),
    ]
    assert when(schedule.rules_for("meerdaagse-uitstap")) == [
        ("two_weeks_before", 14, None, dt.time(18)),
        ("two_days_before", 2, None, dt.time(18)),
    ]
    for kind in ("vrije-dag", "studiedag", "vakantie", "laatste-schooldag", "rapport"):
        assert when(schedule.rules_for(kind)) == [("school_day_before", 0, 1, dt.time(15, 45))]
    book, day_before = schedule.rules_for("oudercontact")
    assert (book.days_before, book.slip, day_before.days_before, day_before.slip) == (
        5,
        True,
        1,
        False,
    )
    for kind in ("zwemmen", "turnkledij", "fotodag", "theater", "sportdag"):
        assert when(schedule.rules_for(kind)) == [("day_before", 1, None, dt.time(18))]
    (strike,) = schedule.rules_for("staking")
    assert strike.urgent and strike.days_before == 1
    assert not any(rule.urgent for rule in schedule.rules if rule.kind != "staking")


def test_a_kind_without_rules_of_its_own_gets_the_star_rules() -> None:
    schedule = load_schedule(SCHEDULER, school=None, kinds=KINDS)
    expected = [("two_days_before", 2, None, dt.time(18))]
    assert when(schedule.rules_for("luizen")) == expected
    assert when(schedule.rules_for(PLAIN_EVENT)) == expected


def test_the_demo_school_overrides_quiet_hours_overview_and_trip_rules() -> None:
    defaults = load_schedule(SCHEDULER, school=None, kinds=KINDS)
    demo = load_schedule(SCHEDULER, school="demo", kinds=KINDS)
    assert demo.quiet == QuietHours(dt.time(21, 0), dt.time(7, 0))
    assert demo.overview_at == dt.time(15, 30)
    assert when(demo.rules_for("uitstap")) == [("three_days_before", 3, None, dt.time(17))]
    assert demo.rules_for("zwemmen") == defaults.rules_for("zwemmen")


def test_a_school_without_a_file_uses_the_defaults() -> None:
    defaults = load_schedule(SCHEDULER, school=None, kinds=KINDS)
    assert load_schedule(SCHEDULER, school="geen-eigen-bestand", kinds=KINDS) == defaults


def test_an_override_replaces_every_rule_of_a_kind_and_keeps_the_other_keys(folder: Path) -> None:
    write(
        folder / "schools" / "klim.toml",
        """
[quiet_hours]
end = "08:00"

[overview]
enabled = false

[[rule]]
kind = "oudercontact"
name = "week_before"
days_before = 7
at = "16:00"
slip = true

[[rule]]
kind = "event"
name = "day_before"
days_before = 1
at = "18:30"
""",
    )
    schedule = load_schedule(folder, school="klim", kinds=KINDS)
    assert schedule.quiet == QuietHours(dt.time(20, 0), dt.time(8, 0))
    assert schedule.overview_at is None
    (meeting,) = schedule.rules_for("oudercontact")
    assert (meeting.name, meeting.days_before, meeting.slip) == ("week_before", 7, True)
    assert when(schedule.rules_for(PLAIN_EVENT)) == [("day_before", 1, None, dt.time(18, 30))]
    assert when(schedule.rules_for("luizen")) == [("two_days_before", 2, None, dt.time(18))]


def test_a_school_slug_cannot_point_outside_the_schools_folder(folder: Path) -> None:
    with pytest.raises(ValueError, match="slug"):
        load_schedule(folder, school="../rules", kinds=KINDS)


def problems_of(folder: Path, text: str) -> RulesFileError:
    path = write(folder / "schools" / "fout.toml", text)
    with pytest.raises(RulesFileError) as caught:
        load_schedule(folder, school="fout", kinds=KINDS)
    assert caught.value.path == path
    assert "fout.toml" in str(caught.value)
    return caught.value


def placeholders(key: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(WORDS.text("nl", key)) if name}


def in_dutch(error: RulesFileError) -> list[str]:
    """The problems as staff read them, from the catalog."""
    for problem in error.problems:  # every detail given is used by the sentence
        assert set(problem.params) == placeholders(f"rules_file.{problem.code}"), problem
    return [problem_line(WORDS, problem) for problem in error.problems]


def test_bad_toml_is_reported(folder: Path) -> None:
    error = problems_of(folder, "[[rule]\nkind = ")
    assert [problem.code for problem in error.problems] == ["not_toml"]
    [text] = in_dutch(error)
    assert text.startswith("geen geldige TOML: ")


def test_every_problem_of_a_file_is_reported_at_once(folder: Path) -> None:
    error = problems_of(
        folder,
        """
kleur = "blauw"

[quiet_hours]
start = "07:30"
end = "07:30"

[overview]
at = "4 uur"

[[rule]]
kind = "uitstapje"
name = "day_before"
days_before = 1
at = "18:00"

[[rule]]
kind = "uitstap"
days_before = 1
dagen = 2

[[rule]]
kind = "zwemmen"
name = "both"
days_before = 1
school_days_before = 1
at = "18:00"

[[rule]]
kind = "theater"
name = "negative"
days_before = -1
at = "25:00"

[[rule]]
kind = "vrije-dag"
name = "too_early"
school_days_before = 61
at = "15:45"

[[rule]]
kind = "vakantie"
name = "a_year_and_more"
days_before = 366
at = "15:45"

[[rule]]
kind = "vrije-dag"
name = "too_early"
school_days_before = 2
at = "15:45"
""",
    )
    assert [(p.where.rule, p.code) for p in error.problems][:5] == [
        (0, "unknown_key"),
        (0, "same_quiet_hours"),
        (0, "bad_time"),
        (1, "unknown_kind"),
        (2, "unknown_key"),
    ]
    assert error.problems[1].where == RulesWhere(table="quiet_hours")
    assert error.problems[-1] == RulesProblem(
        "duplicate_name", {"name": "too_early", "first": 5}, RulesWhere(rule=7, kind="vrije-dag")
    )
    assert in_dutch(error) == [
        "onbekende sleutel 'kleur'",
        "[quiet_hours]: start en end zijn gelijk (07:30); kies twee uren",
        "[overview]: at = '4 uur' is geen uur zoals \"18:00\"",
        "regel 1 (uitstapje): onbekende soort 'uitstapje' (geen sjabloon, 'event' of '*')",
        "regel 2 (uitstap): onbekende sleutel 'dagen'",
        "regel 2 (uitstap): name ontbreekt",
        'regel 2 (uitstap): at ontbreekt (het uur, bv. "18:00")',
        "regel 3 (zwemmen): days_before en school_days_before samen; kies er één",
        "regel 4 (theater): at = '25:00' is geen uur zoals \"18:00\"",
        "regel 4 (theater): days_before mag niet negatief zijn (-1)",
        "regel 5 (vrije-dag): school_days_before = 61 is te ver vooraf (hoogstens 60)",
        "regel 6 (vakantie): days_before = 366 is te ver vooraf (hoogstens 365)",
        "regel 7 (vrije-dag): de naam 'too_early' staat al in regel 5",
    ]


def test_a_bad_default_file_is_reported_with_its_own_name(folder: Path) -> None:
    write(folder / "rules.toml", '[[rule]]\nkind = "*"\nname = "x"\nat = "18:00"\n')
    with pytest.raises(RulesFileError) as caught:
        load_schedule(folder, school=None, kinds=KINDS)
    assert caught.value.path == folder / "rules.toml"
    assert in_dutch(caught.value) == [
        "regel 1 (*): days_before of school_days_before ontbreekt",
    ]


def test_wrong_types_and_a_missing_kind_are_reported(folder: Path) -> None:
    error = problems_of(
        folder,
        """
[[rule]]
name = "Dag Voor"
days_before = "1"
at = 18
urgent = "ja"
""",
    )
    assert in_dutch(error) == [
        "regel 1: kind ontbreekt",
        "regel 1: name 'Dag Voor' mag enkel a-z, 0-9, _ en - (max. 40 tekens)",
        'regel 1: at = 18 is geen uur zoals "18:00"',
        "regel 1: days_before moet een geheel getal zijn, niet '1'",
        "regel 1: urgent moet true of false zijn",
    ]


def test_a_schedule_without_star_rules_plans_nothing_for_other_kinds() -> None:
    schedule = Schedule(rules=(ReminderRule("uitstap", "day_before", days_before=1),))
    assert schedule.rules_for("zwemmen") == ()


def test_tables_and_rules_of_the_wrong_shape_are_reported(folder: Path) -> None:
    error = problems_of(folder, 'quiet_hours = 5\nrule = "x"\n[overview]\nenabled = "ja"\n')
    assert in_dutch(error) == [
        "[quiet_hours] moet een tabel zijn",
        "[overview]: enabled moet true of false zijn",
        "[[rule]] moet een lijst van tabellen zijn",
    ]


# Every code a rules file problem can have, with details as the reader gives them.
EXAMPLES: dict[str, dict[str, object]] = {
    "unreadable": {"error": "Permission denied"},
    "not_toml": {"error": "Expected ']' (at line 1, column 7)"},
    "unknown_key": {"key": "kleur"},
    "not_table": {"table": "overview"},
    "rules_not_list": {},
    "same_quiet_hours": {"time": "07:30"},
    "not_bool": {"key": "urgent"},
    "bad_time": {"key": "at", "value": "'4 uur'"},
    "no_kind": {},
    "unknown_kind": {"kind": "uitstapje"},
    "no_name": {},
    "bad_name": {"name": "'Dag Voor'"},
    "no_at": {},
    "both_offsets": {},
    "no_offset": {},
    "not_integer": {"key": "days_before", "value": "'1'"},
    "negative": {"key": "days_before", "value": -1},
    "too_far": {"key": "days_before", "value": 366, "most": 365},
    "duplicate_name": {"name": "too_early", "first": 5},
}


def test_the_examples_cover_every_code() -> None:
    assert sorted(EXAMPLES) == sorted(get_args(RulesCode))


@pytest.mark.parametrize("code", sorted(get_args(RulesCode)))
def test_every_code_has_a_dutch_sentence_filled_by_its_details(code: RulesCode) -> None:
    params = EXAMPLES[code]
    assert placeholders(f"rules_file.{code}") == set(params)
    text = problem_text(WORDS, RulesProblem(code, params))
    assert text and "{" not in text and code not in text


def test_the_log_message_names_codes() -> None:
    error = RulesFileError(Path("r.toml"), [RulesProblem("no_at", where=RulesWhere(rule=2))])
    assert str(error) == "r.toml: rule 2: no_at"
