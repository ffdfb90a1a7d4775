"""Matching a checked roster to the school's people: who is new, who is the same person (by the
school's id, else by name), what changes, and — for a complete list — who has left.

Pure: the school's people come in as `KnownChild` and `KnownGuardian`, the result is a
`RosterPlan` that the service writes. A file row that could match two known people is a problem,
never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from oudersbot.domain.roster import RosterRow
from oudersbot.domain.roster_changes import RosterChanges, Scope
from oudersbot.domain.roster_file import RosterCode, RosterProblem
from oudersbot.domain.roster_headers import printed

Key = tuple[str, ...]


@dataclass(frozen=True)
class KnownChild:
    """A child the school already has."""

    id: int
    group: str
    first_name: str
    external_id: str | None
    left: bool
    guardian_ids: frozenset[int]


@dataclass(frozen=True)
class KnownGuardian:
    """A guardian the school already has."""

    id: int
    name: str
    external_id: str | None
    language: str
    language_from_roster: bool  # False once the parent chose their own language
    phone: str | None
    left: bool


@dataclass(frozen=True)
class ChildPlan:
    """A child of the file as it will be stored; `existing_id` None for a new one."""

    key: Key
    existing_id: int | None
    group: str
    first_name: str
    external_id: str | None
    write: bool = True  # False: a known child the file leaves as it is


@dataclass(frozen=True)
class GuardianPlan:
    """A guardian of the file as they will be stored; `existing_id` None for a new one."""

    key: Key
    existing_id: int | None
    name: str
    external_id: str | None
    language: str
    phone: str | None
    write: bool = True  # False: a known guardian the file leaves as they are


@dataclass(frozen=True)
class RosterPlan:
    """Everything an import writes, or the problems that stop it."""

    children: tuple[ChildPlan, ...]
    guardians: tuple[GuardianPlan, ...]
    links_added: tuple[tuple[Key, Key], ...]  # (child key, guardian key)
    links_removed: tuple[tuple[int, int], ...]  # (child id, guardian id)
    children_leaving: tuple[int, ...]
    guardians_leaving: tuple[int, ...]
    changes: RosterChanges
    problems: tuple[RosterProblem, ...] = ()


def child_label(first_name: str, group: str) -> str:
    """A child as lists name it: "Amira (3A)"."""
    return f"{first_name} ({group})"


def _problem(
    row: RosterRow, filename: str, code: RosterCode, **details: str | int
) -> RosterProblem:
    column = printed("child" if code == "existing_child_ambiguous" else "guardian")
    return RosterProblem(filename, row.line, column, code, dict(details))


def plan_import(
    rows: Sequence[RosterRow],
    *,
    filename: str,
    children: Iterable[KnownChild],
    guardians: Iterable[KnownGuardian],
    scope: Scope,
) -> RosterPlan:
    """What importing these rows does to a school that has these children and guardians."""
    known_children = list(children)
    known_guardians = {g.id: g for g in guardians}
    problems: list[RosterProblem] = []
    guardian_plans, guardian_match = _match_guardians(
        rows, filename, known_guardians.values(), problems
    )
    child_rows: dict[Key, list[RosterRow]] = defaultdict(list)
    for row in rows:
        child_rows[row.child_key].append(row)
    child_match = _match_children(child_rows, filename, known_children, guardian_match, problems)
    by_id = {c.id: c for c in known_children}
    problems.extend(
        _other_phone(rows, filename, guardian_plans, known_guardians, child_match, by_id)
    )
    links: dict[Key, set[Key]] = defaultdict(set)
    for row in rows:
        links[row.child_key].add(row.guardian_key)
    added: list[tuple[Key, Key]] = []
    removed: list[tuple[int, int]] = []
    child_plans: list[ChildPlan] = []
    new_c, changed_c, returned_c = [], [], []
    per_class: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    unchanged_c = 0
    for key, its_rows in child_rows.items():
        first = its_rows[0]
        existing = by_id.get(child_match[key]) if key in child_match else None
        external_id = first.child_id or (existing.external_id if existing else None)
        child_plans.append(
            ChildPlan(
                key,
                existing.id if existing else None,
                first.group,
                first.child,
                external_id,
                existing is None
                or existing.left
                or (existing.group, existing.first_name, existing.external_id)
                != (first.group, first.child, external_id),
            )
        )
        label = child_label(first.child, first.group)
        if existing is None:
            new_c.append(label)
            per_class[first.group]["new_children"].append(first.child)
            added.extend((key, g) for g in sorted(links[key]))
            continue
        listed = {guardian_match[g] for g in links[key] if g in guardian_match}
        changed = existing.first_name != first.child or existing.group != first.group
        for g in sorted(links[key]):
            if guardian_match.get(g) not in existing.guardian_ids:
                added.append((key, g))
                changed = True
        if scope is not Scope.PART:
            for gid in sorted(existing.guardian_ids - listed):
                removed.append((existing.id, gid))
                changed = True
        if existing.left:
            returned_c.append(label)
            per_class[first.group]["returned_children"].append(first.child)
        elif changed:
            changed_c.append(label)
            per_class[first.group]["changed_children"].append(first.child)
        else:
            unchanged_c += 1

    leaving_c: list[KnownChild] = []
    leaving_g: list[KnownGuardian] = []
    if scope is not Scope.PART:
        in_scope = (
            {c.group for c in known_children}
            if scope is Scope.SCHOOL
            else {row.group for row in rows}
        )
        claimed = set(child_match.values())
        leaving_c = [
            c for c in known_children if c.id not in claimed and not c.left and c.group in in_scope
        ]
        leaving_g = _guardians_leaving(
            known_children, known_guardians, guardian_match, claimed, leaving_c, removed, scope
        )
    for child in leaving_c:
        per_class[child.group]["left_children"].append(child.first_name)
    new_g, changed_g, returned_g, unchanged_g = _guardian_states(guardian_plans, known_guardians)
    languages: dict[str, int] = {}
    for plan in guardian_plans:
        languages[plan.language] = languages.get(plan.language, 0) + 1
    changes = RosterChanges(
        scope=scope,
        groups=tuple(sorted({row.group for row in rows})),
        new_children=tuple(new_c),
        changed_children=tuple(changed_c),
        returned_children=tuple(returned_c),
        left_children=tuple(child_label(c.first_name, c.group) for c in leaving_c),
        unchanged_children=unchanged_c,
        new_guardians=new_g,
        changed_guardians=changed_g,
        returned_guardians=returned_g,
        left_guardians=tuple(g.name for g in leaving_g),
        unchanged_guardians=unchanged_g,
        languages=languages,
        children_per_class={
            group: {kind: tuple(names) for kind, names in kinds.items()}
            for group, kinds in sorted(per_class.items())
        },
    )
    return RosterPlan(
        tuple(child_plans),
        tuple(guardian_plans),
        tuple(added),
        tuple(removed),
        tuple(c.id for c in leaving_c),
        tuple(g.id for g in leaving_g),
        changes,
        tuple(problems),
    )


def _match_guardians(
    rows: Sequence[RosterRow],
    filename: str,
    known: Iterable[KnownGuardian],
    problems: list[RosterProblem],
) -> tuple[list[GuardianPlan], dict[Key, int]]:
    by_external = {g.external_id: g for g in known if g.external_id is not None}
    by_name: dict[str, list[KnownGuardian]] = defaultdict(list)
    for g in known:
        by_name[g.name.casefold()].append(g)
    firsts: dict[Key, RosterRow] = {}
    phones: dict[Key, str] = {}
    for row in rows:
        firsts.setdefault(row.guardian_key, row)
        if row.phone and row.guardian_key not in phones:
            phones[row.guardian_key] = row.phone
    matched: dict[Key, int] = {}
    claimed: set[int] = set()
    plans: list[GuardianPlan] = []
    for key, row in firsts.items():
        phone = phones.get(key)
        found: KnownGuardian | None = None
        if row.guardian_id is not None and row.guardian_id in by_external:
            found = by_external[row.guardian_id]
        else:
            same = [g for g in by_name[row.guardian.casefold()] if g.id not in claimed]
            if row.guardian_id is not None:  # an id the school had not given before
                same = [g for g in same if g.external_id is None]
            if len(same) > 1 and phone is not None:
                same = [g for g in same if g.phone == phone]
            if len(same) > 1:
                problems.append(
                    _problem(row, filename, "existing_guardian_ambiguous", guardian=row.guardian)
                )
            elif same:
                found = same[0]
        if found is not None:
            matched[key] = found.id
            claimed.add(found.id)
        plan = GuardianPlan(
            key,
            found.id if found else None,
            row.guardian,
            row.guardian_id or (found.external_id if found else None),
            found.language if found and not found.language_from_roster else row.language,
            phone or (found.phone if found else None),
        )
        if found is not None and not found.left:
            before = (found.name, found.external_id, found.language, found.phone)
            after = (plan.name, plan.external_id, plan.language, plan.phone)
            plan = replace(plan, write=before != after)
        plans.append(plan)
    return plans, matched


def _match_children(
    child_rows: dict[Key, list[RosterRow]],
    filename: str,
    known: Sequence[KnownChild],
    guardian_match: dict[Key, int],
    problems: list[RosterProblem],
) -> dict[Key, int]:
    by_external = {c.external_id: c for c in known if c.external_id is not None}
    by_name: dict[tuple[str, str], list[KnownChild]] = defaultdict(list)
    for c in known:
        by_name[(c.group, c.first_name.casefold())].append(c)
    matched: dict[Key, int] = {}
    claimed: set[int] = set()
    for key, its_rows in child_rows.items():
        row = its_rows[0]
        found: KnownChild | None = None
        if row.child_id is not None and row.child_id in by_external:
            found = by_external[row.child_id]
        else:
            same = [c for c in by_name[(row.group, row.child.casefold())] if c.id not in claimed]
            if row.child_id is not None:
                same = [c for c in same if c.external_id is None]
            if len(same) > 1:
                theirs = {
                    guardian_match[r.guardian_key]
                    for r in its_rows
                    if r.guardian_key in guardian_match
                }
                same = [c for c in same if c.guardian_ids & theirs]
                if len(same) != 1:
                    problems.append(
                        _problem(
                            row,
                            filename,
                            "existing_child_ambiguous",
                            child=row.child,
                            group=row.group,
                        )
                    )
                    continue
            if same:
                found = same[0]
        if found is not None:
            matched[key] = found.id
            claimed.add(found.id)
    return matched


def _guardians_leaving(
    known_children: Sequence[KnownChild],
    known_guardians: dict[int, KnownGuardian],
    guardian_match: dict[Key, int],
    claimed_children: set[int],
    leaving: Sequence[KnownChild],
    removed: Sequence[tuple[int, int]],
    scope: Scope,
) -> list[KnownGuardian]:
    """Guardians not in the file who keep no child that stays."""
    in_file = set(guardian_match.values())
    gone = {c.id for c in leaving}
    cut = set(removed)
    remaining: dict[int, int] = defaultdict(int)
    linked: set[int] = set()
    for c in known_children:
        for gid in c.guardian_ids:
            linked.add(gid)
            stays = c.id in claimed_children or (not c.left and c.id not in gone)
            if stays and (c.id, gid) not in cut:
                remaining[gid] += 1
    return [
        g
        for g in known_guardians.values()
        if g.id not in in_file
        and not g.left
        and not remaining[g.id]
        and (scope is Scope.SCHOOL or g.id in linked)
    ]


def _guardian_states(
    plans: Sequence[GuardianPlan], known: dict[int, KnownGuardian]
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], int]:
    new, changed, returned = [], [], []
    unchanged = 0
    for plan in plans:
        before = known.get(plan.existing_id) if plan.existing_id is not None else None
        if before is None:
            new.append(plan.name)
        elif before.left:
            returned.append(plan.name)
        elif (before.name, before.language, before.phone) != (plan.name, plan.language, plan.phone):
            changed.append(plan.name)
        else:
            unchanged += 1
    return tuple(new), tuple(changed), tuple(returned), unchanged


def _other_phone(
    rows: Sequence[RosterRow],
    filename: str,
    plans: Sequence[GuardianPlan],
    known: dict[int, KnownGuardian],
    child_match: dict[Key, int],
    children: dict[int, KnownChild],
) -> list[RosterProblem]:
    """Guardians matched by name alone whose phone differs from the known one, while none of
    their children in the file is a known child of theirs: that may be another person with the
    same name, and linking them to the known one's chat is the worst mistake there is."""
    found = []
    for plan in plans:
        before = known.get(plan.existing_id) if plan.existing_id is not None else None
        if before is None or plan.key[0] == "id" or before.external_id is not None:
            continue
        if before.phone is None or plan.phone in (None, before.phone):
            continue
        own = [row for row in rows if row.guardian_key == plan.key]
        shared = any(
            before.id in children[child_match[row.child_key]].guardian_ids
            for row in own
            if row.child_key in child_match
        )
        if not shared:
            found.append(
                RosterProblem(
                    filename,
                    own[0].line,
                    printed("phone"),
                    "existing_guardian_other_phone",
                    {"guardian": plan.name, "value": plan.phone or "", "earlier": before.phone},
                )
            )
    return found
