"""The reminder rules, quiet hours and month-overview time, read from `scheduler/`.

`scheduler/rules.toml` holds the defaults; `scheduler/schools/<slug>.toml` may override them
for one school. An override's quiet hours and overview replace the defaults key by key; the
rules it gives for a kind replace every default rule of that kind, the other kinds keep theirs.
A school without a file of its own uses the defaults.

A file with mistakes is refused whole, with every problem listed in Dutch for staff.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class RulesFileError(ValueError):
    """A rules file that cannot be used; lists every problem in it, in Dutch."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


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
    problems: list[str] = []
    data = _read(path, problems)
    problems += [f"onbekende sleutel {key!r}" for key in sorted(data.keys() - _TOP_KEYS)]
    quiet = _quiet(_table(data, "quiet_hours", problems), base.quiet, problems)
    overview_at = _overview(_table(data, "overview", problems), base.overview_at, problems)
    raw_rules = data.get("rule", [])
    if not isinstance(raw_rules, list) or not all(isinstance(r, dict) for r in raw_rules):
        problems.append("[[rule]] moet een lijst van tabellen zijn")
        raw_rules = []
    rules = [_rule(number, raw, known, problems) for number, raw in enumerate(raw_rules, 1)]
    _check_unique(raw_rules, problems)
    if problems:
        raise RulesFileError(path, problems)
    given = [rule for rule in rules if rule is not None]
    replaced = {rule.kind for rule in given}
    kept = tuple(rule for rule in base.rules if rule.kind not in replaced)
    return Schedule(rules=kept + tuple(given), quiet=quiet, overview_at=overview_at)


def _read(path: Path, problems: list[str]) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        problems.append(f"kan het bestand niet lezen ({exc.strerror})")
    except tomllib.TOMLDecodeError as exc:
        problems.append(f"geen geldige TOML: {exc}")
    return {}


def _table(data: Mapping[str, Any], key: str, problems: list[str]) -> dict[str, Any]:
    table = data.get(key, {})
    if isinstance(table, dict):
        return table
    problems.append(f"[{key}] moet een tabel zijn")
    return {}


def _quiet(table: Mapping[str, Any], base: QuietHours, problems: list[str]) -> QuietHours:
    where = "[quiet_hours]"
    _unknown_keys(where, table, _QUIET_KEYS, problems)
    start = _time(where, "start", table.get("start"), problems) or base.start
    end = _time(where, "end", table.get("end"), problems) or base.end
    if start == end:
        problems.append(f"{where}: start en end zijn gelijk ({start:%H:%M}); kies twee uren")
    return QuietHours(start, end)


def _overview(
    table: Mapping[str, Any], base: dt.time | None, problems: list[str]
) -> dt.time | None:
    where = "[overview]"
    _unknown_keys(where, table, _OVERVIEW_KEYS, problems)
    enabled = table.get("enabled", True)
    if not isinstance(enabled, bool):
        problems.append(f"{where}: enabled moet true of false zijn")
    at = _time(where, "at", table.get("at"), problems)
    if enabled is False:
        return None
    return at or base or dt.time(16, 0)


def _rule(
    number: int, raw: Mapping[str, Any], known: Collection[str], problems: list[str]
) -> ReminderRule | None:
    """One [[rule]] table, or None (with its problems added) when it is wrong."""
    kind = raw.get("kind")
    where = f"regel {number} ({kind})" if isinstance(kind, str) else f"regel {number}"
    before = len(problems)
    _unknown_keys(where, raw, _RULE_KEYS, problems)
    if not isinstance(kind, str):
        problems.append(f"{where}: kind ontbreekt")
    elif kind not in known:
        problems.append(f"{where}: onbekende soort {kind!r} (geen sjabloon, 'event' of '*')")
    name = raw.get("name")
    if name is None:
        problems.append(f"{where}: name ontbreekt")
    elif not isinstance(name, str) or not _NAME.fullmatch(name):
        problems.append(f"{where}: name {name!r} mag enkel a-z, 0-9, _ en - (max. 40 tekens)")
    at = _time(where, "at", raw.get("at"), problems)
    if "at" not in raw:
        problems.append(f'{where}: at ontbreekt (het uur, bv. "18:00")')
    days, school_days = _offsets(where, raw, problems)
    urgent, slip = (_flag(where, key, raw.get(key, False), problems) for key in ("urgent", "slip"))
    if len(problems) > before or at is None or not isinstance(kind, str):
        return None
    return ReminderRule(kind, str(name), days, school_days, at, urgent, slip)


def _offsets(where: str, raw: Mapping[str, Any], problems: list[str]) -> tuple[int, int | None]:
    """(days_before, school_days_before): exactly one of the two is given."""
    if "days_before" in raw and "school_days_before" in raw:
        problems.append(f"{where}: days_before en school_days_before samen; kies er één")
        return 0, None
    if "school_days_before" in raw:
        count = _count(where, "school_days_before", raw, MAX_SCHOOL_DAYS_BEFORE, problems)
        return 0, count
    if "days_before" in raw:
        return _count(where, "days_before", raw, MAX_DAYS_BEFORE, problems), None
    problems.append(f"{where}: days_before of school_days_before ontbreekt")
    return 0, None


def _count(where: str, key: str, raw: Mapping[str, Any], most: int, problems: list[str]) -> int:
    value = raw[key]
    if not isinstance(value, int) or isinstance(value, bool):
        problems.append(f"{where}: {key} moet een geheel getal zijn, niet {value!r}")
    elif value < 0:
        problems.append(f"{where}: {key} mag niet negatief zijn ({value})")
    elif value > most:
        problems.append(f"{where}: {key} = {value} is te ver vooraf (hoogstens {most})")
    else:
        return value
    return 0


def _time(where: str, key: str, value: object, problems: list[str]) -> dt.time | None:
    """A "HH:MM" string (or a TOML time) as a time; None when absent or wrong."""
    if value is None:
        return None
    if isinstance(value, dt.time) and value.tzinfo is None:
        return value
    match = _TIME.fullmatch(value) if isinstance(value, str) else None
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return dt.time(int(match[1]), int(match[2]))
    problems.append(f'{where}: {key} = {value!r} is geen uur zoals "18:00"')
    return None


def _flag(where: str, key: str, value: object, problems: list[str]) -> bool:
    if isinstance(value, bool):
        return value
    problems.append(f"{where}: {key} moet true of false zijn")
    return False


def _unknown_keys(
    where: str, table: Mapping[str, Any], allowed: Collection[str], problems: list[str]
) -> None:
    problems += [f"{where}: onbekende sleutel {key!r}" for key in sorted(table.keys() - allowed)]


def _check_unique(raw_rules: list[Any], problems: list[str]) -> None:
    """Two rules with the same kind and name would plan the same reminder twice."""
    seen: dict[tuple[object, object], int] = {}
    for number, raw in enumerate(raw_rules, 1):
        ident = (raw.get("kind"), raw.get("name"))
        if not all(isinstance(part, str) for part in ident):
            continue
        if ident in seen:
            problems.append(
                f"regel {number} ({ident[0]}): de naam {ident[1]!r} staat al in regel {seen[ident]}"
            )
        else:
            seen[ident] = number
