"""Importing a class roster: all of a file or nothing of it."""

from __future__ import annotations

from dataclasses import dataclass, field

from oudersbot.bootstrap import Deps
from oudersbot.domain.roster import RosterParse, RosterProblem, parse_roster
from oudersbot.store.models import Child, Group, Guardian, GuardianChild
from oudersbot.store.roster import (
    GuardianOf,
    children_by_class,
    classes_by_name,
    guardian_links,
    guardians_by_name,
)
from oudersbot.store.schools import get_or_create_school


@dataclass
class RosterReport:
    """What an import did, or why it did nothing."""

    filename: str
    problems: tuple[RosterProblem, ...] = ()
    groups: int = 0
    children: int = 0
    guardians_created: int = 0
    guardians_updated: int = 0
    guardians_unchanged: int = 0
    links_added: int = 0
    languages: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the file was imported."""
        return not self.problems


def import_roster(
    deps: Deps, *, data: bytes, filename: str, school: str, school_name: str | None = None
) -> RosterReport:
    """Check the whole file, then create or update its rows in one transaction."""
    parsed: RosterParse = parse_roster(data, filename)
    if not parsed.ok:
        return RosterReport(filename, problems=parsed.problems)
    report = RosterReport(filename)
    with deps.db.session() as session:
        school_row = get_or_create_school(session, slug=school, name=school_name)
        sid = school_row.id
        groups = classes_by_name(session, school_id=sid)
        children = children_by_class(session, school_id=sid)
        guardians = guardians_by_name(session, school_id=sid)
        links = guardian_links(session, school_id=sid)
        touched: dict[int, str] = {}
        for row in parsed.rows:
            group = groups.get(row.group)
            if group is None:
                group = groups[row.group] = Group(school_id=sid, name=row.group)
                session.add(group)
                session.flush()
            child = children.get((group.id, row.child))
            if child is None:
                child = children[(group.id, row.child)] = Child(
                    school_id=sid, group_id=group.id, first_name=row.child
                )
                session.add(child)
                session.flush()
            guardian = guardians.get(row.guardian.casefold())
            if guardian is None:
                guardian = guardians[row.guardian.casefold()] = Guardian(
                    school_id=sid,
                    name=row.guardian,
                    language=row.language,
                    phone=row.phone,
                    language_source="roster",
                    reachability="not_joined",
                )
                session.add(guardian)
                session.flush()
                touched[guardian.id] = "created"
            else:
                changed = False
                if guardian.language_source == "roster" and guardian.language != row.language:
                    guardian.language, changed = row.language, True
                if row.phone and guardian.phone != row.phone:
                    guardian.phone, changed = row.phone, True
                if changed and touched.get(guardian.id) != "created":
                    touched[guardian.id] = "updated"
                touched.setdefault(guardian.id, "unchanged")
            if (link := GuardianOf(guardian.id, child.id)) not in links:
                links.add(link)
                session.add(GuardianChild(guardian_id=guardian.id, child_id=child.id))
                report.links_added += 1
        report.groups = len({row.group for row in parsed.rows})
        report.children = len({(row.group, row.child) for row in parsed.rows})
        for state in touched.values():
            if state == "created":
                report.guardians_created += 1
            elif state == "updated":
                report.guardians_updated += 1
            else:
                report.guardians_unchanged += 1
        for row_guardian in {row.guardian.casefold(): row for row in parsed.rows}.values():
            language = guardians[row_guardian.guardian.casefold()].language
            report.languages[language] = report.languages.get(language, 0) + 1
    return report
