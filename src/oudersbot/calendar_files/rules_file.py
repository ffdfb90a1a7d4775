"""The reminder rules, quiet hours and month-overview time, read from `scheduler/`.

`scheduler/rules.toml` holds the defaults; `scheduler/schools/<slug>.toml` may override them
for one school. An override's quiet hours and overview replace the defaults key by key; the
rules it gives for a kind replace every default rule of that kind, the other kinds keep theirs.
A school without a file of its own uses the defaults.

A file with mistakes is refused whole, with every problem listed: codes with their details,
which staff read in Dutch from the catalog (`rules_file.<code>`).
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from oudersbot.domain.calendar import PLAIN_EVENT, ReminderRule
from oudersbot.domain.slips import QuietHours

RULES_FILE = "rules.toml"
SCHOOLS_FOLDER = "schools"
ANY_KIND = "*"  # the rules for every kind without rules of its own
MAX_DAYS_BEFORE = 365
MAX_SCHOOL_DAYS_BEFORE = 60

_TOP_KEYS = {"quiet_hours", "overview", "rule"}
_QUIET_KEYS = {"start", "end"}
_OVERVIEW_KEYS = {"at", "enabled"}
_RULE_KEYS = {"kind", "name", "days_before", "school_days_before", "at", "urgent", "slip"}
_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")  # a planned send's key holds it (64 chars)
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


@dataclass(frozen=True)
class Schedule:
    """A school's reminder rules, quiet hours and month-overview time."""

    rules: tuple[ReminderRule, ...]
    quiet: QuietHours = field(default_factory=QuietHours)
    overview_at: dt.time | None = dt.time(16, 0)  # None: no monthly overview

    def rules_for(self, kind: str) -> tuple[ReminderRule, ...]:
        """The kind's own rules, or else the rules for every kind ("*")."""
        own = tuple(rule for rule in self.rules if rule.kind == kind)
        return own or tuple(rule for rule in self.rules if rule.kind == ANY_KIND)


# What can be wrong with a rules file: the staff words are `rules_file.<code>` in the Dutch
# catalog (see `oudersbot.cli.calendar.problem_text`).
RulesCode = Literal[
    "unreadable",
    "not_toml",
    "unknown_key",
    "not_table",
    "rules_not_list",
    "same_quiet_hours",
    "not_bool",
    "bad_time",
    "no_kind",
    "unknown_kind",
    "no_name",
    "bad_name",
    "no_at",
    "both_offsets",
    "no_offset",
    "not_integer",
    "negative",
    "too_far",
    "duplicate_name",
]


@dataclass(frozen=True)
class RulesWhere:
    """Where in a rules file: a table, one [[rule]] (by number, with its kind), or the top."""

    table: str = ""  # "quiet_hours" or "overview"
    rule: int = 0  # the [[rule]]'s number, from 1
    kind: str = ""  # that rule's kind, when it has one as text


@dataclass(frozen=True)
class RulesProblem:
    """One thing wrong in a rules file: `rules_file.<code>` filled with `params`, and where."""

    code: RulesCode
    params: Mapping[str, object] = field(default_factory=dict)
    where: RulesWhere = RulesWhere()

    def __str__(self) -> str:
        """For logs: where and code, not the staff words."""
        place = self.where
        where = f"[{place.table}]" if place.table else f"rule {place.rule}" if place.rule else ""
        where += f" ({place.kind})" if place.kind else ""
        text = f"{self.code} {dict(self.params)}" if self.params else self.code
        return f"{where}: {text}" if where else text


class RulesFileError(ValueError):
    """A rules file that cannot be used; lists every problem in it."""

    def __init__(self, path: Path, problems: list[RulesProblem]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(str(p) for p in problems))


def load_schedule(folder: Path, *, school: str | None, kinds: Collection[str]) -> Schedule:
    """The defaults in `folder`, with the school's override on top when it has one.

    `kinds` are the known template ids; "event" and "*" are always allowed."""
    known = {*kinds, PLAIN_EVENT, ANY_KIND}
    schedule = _apply(Schedule(rules=()), folder / RULES_FILE, known)
    if school is None:
        return schedule
    if not _SLUG.fullmatch(school):
        raise ValueError(f"not a school slug: {school!r}")
    override = folder / SCHOOLS_FOLDER / f"{school}.toml"
    return _apply(schedule, override, known) if override.is_file() else schedule


def _apply(base: Schedule, path: Path, known: Collection[str]) -> Schedule:
    """`base` with the file's settings on top; raises RulesFileError listing all problems."""
    problems: list[RulesProblem] = []
    data = _read(path, problems)
    _unknown_keys(RulesWhere(), data, _TOP_KEYS, problems)
    quiet = _quiet(_table(data, "quiet_hours", problems), base.quiet, problems)
    overview_at = _overview(_table(data, "overview", problems), base.overview_at, problems)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        problems.append(RulesProblem("rules_not_list"))
        raw_rules = []
    rules = [_rule(number, raw, known, problems) for number, raw in enumerate(raw_rules, 1)]
    _check_unique(raw_rules, problems)
    if problems:
        raise RulesFileError(path, problems)
    given = [rule for rule in rules if rule is not None]
    replaced = {rule.kind for rule in given}
    kept = tuple(rule for rule in base.rules if rule.kind not in replaced)
    return Schedule(rules=kept + tuple(given), quiet=quiet, overview_at=overview_at)


def _read(path: Path, problems: list[RulesProblem]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        problems.append(RulesProblem("unreadable", {"error": exc.strerror}))
    except tomllib.TOMLDecodeError as exc:
        problems.append(RulesProblem("not_toml", {"error": str(exc)}))
    return {}


def _table(data: Mapping[str, Any], key: str, problems: list[RulesProblem]) -> dict[str, Any]:
    table = data.get(key, {})
    if isinstance(table, dict):
        return table
    problems.append(RulesProblem("not_table", {"table": key}))
    return {}


def _quiet(table: Mapping[str, Any], base: QuietHours, problems: list[RulesProblem]) -> QuietHours:
    where = RulesWhere(table="quiet_hours")
    _unknown_keys(where, table, _QUIET_KEYS, problems)
    start = _time(where, "start", table.get("start"), problems) or base.start
    end = _time(where, "end", table.get("end"), problems) or base.end
    if start == end:
        problems.append(RulesProblem("same_quiet_hours", {"time": f"{start:%H:%M}"}, where))
    return QuietHours(start, end)


def _overview(
    table: Mapping[str, Any], base: dt.time | None, problems: list[RulesProblem]
) -> dt.time | None:
    where = RulesWhere(table="overview")
    _unknown_keys(where, table, _OVERVIEW_KEYS, problems)
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(RulesProblem("not_bool", {"key": "enabled"}, where))
    at = _time(where, "at", table.get("at"), problems)
    if enabled is False:
        return None
    return at or base or dt.time(16, 0)


def _rule(
    number: int, raw: Mapping[str, Any], known: Collection[str], problems: list[RulesProblem]
) -> ReminderRule | None:
    """One [[rule]] table, or None (with its problems added) when it is wrong."""
    kind = raw.get("kind")
    where = RulesWhere(rule=number, kind=kind if isinstance(kind, str) else "")
    before = len(problems)
    _unknown_keys(where, raw, _RULE_KEYS, problems)
    if not isinstance(kind, str):
        problems.append(RulesProblem("no_kind", where=where))
    elif kind not in known:
        problems.append(RulesProblem("unknown_kind", {"kind": kind}, where))
    name = raw.get("name")
    if name is None:
        problems.append(RulesProblem("no_name", where=where))
    elif not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(RulesProblem("bad_name", {"name": repr(name)}, where))
    at = _time(where, "at", raw.get("at"), problems)
    if "at" not in raw:
        problems.append(RulesProblem("no_at", where=where))
    days, school_days = _offsets(where, raw, problems)
    urgent, slip = (_flag(where, key, raw.get(key, False), problems) for key in ("urgent", "slip"))
    if len(problems) > before or at is None or not isinstance(kind, str):
        return None
    return ReminderRule(kind, str(name), days, school_days, at, urgent, slip)


def _offsets(
    where: RulesWhere, raw: Mapping[str, Any], problems: list[RulesProblem]
) -> tuple[int, int | None]:
    """(days_before, school_days_before): exactly one of the two is given."""
    if "days_before" in raw and "school_days_before" in raw:
        problems.append(RulesProblem("both_offsets", where=where))
        return 0, None
    if "school_days_before" in raw:
        count = _count(where, "school_days_before", raw, MAX_SCHOOL_DAYS_BEFORE, problems)
        return 0, count
    if "days_before" in raw:
        return _count(where, "days_before", raw, MAX_DAYS_BEFORE, problems), None
    problems.append(RulesProblem("no_offset", where=where))
    return 0, None


def _count(
    where: RulesWhere, key: str, raw: Mapping[str, Any], most: int, problems: list[RulesProblem]
) -> int:
    value = raw[key]
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(RulesProblem("not_integer", {"key": key, "value": repr(value)}, where))
    elif value < 0:
        problems.append(RulesProblem("negative", {"key": key, "value": value}, where))
    elif value > most:
        problems.append(RulesProblem("too_far", {"key": key, "value": value, "most": most}, where))
    else:
        return value
    return 0


def _time(
    where: RulesWhere, key: str, value: object, problems: list[RulesProblem]
) -> dt.time | None:
    """A "HH:MM" string (or a TOML time) as a time; None when absent or wrong."""
    if value is None:
        return None
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    problems.append(RulesProblem("bad_time", {"key": key, "value": repr(value)}, where))
    return None


def _flag(where: RulesWhere, key: str, value: object, problems: list[RulesProblem]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(RulesProblem("not_bool", {"key": key}, where))
    return False


def _unknown_keys(
    where: RulesWhere,
    table: Mapping[str, Any],
    allowed: Collection[str],
    problems: list[RulesProblem],
) -> None:
    for key in sorted(table.keys() - allowed):
        problems.append(RulesProblem("unknown_key", {"key": key}, where))


def _check_unique(raw_rules: list[Any], problems: list[RulesProblem]) -> None:
    """Two rules with the same kind and name would plan the same reminder twice."""
    seen: dict[tuple[object, object], int] = {}
    for number, raw in enumerate(raw_rules, 1):
        kind, name = raw.get("kind"), raw.get("name")
        if not isinstance(kind, str) or not isinstance(name, str):
            continue
        if (kind, name) in seen:
            where = RulesWhere(rule=number, kind=kind)
            first = seen[(kind, name)]
            problems.append(RulesProblem("duplicate_name", {"name": name, "first": first}, where))
        else:
            seen[(kind, name)] = number
