"""What an import of a roster changes (or would change): new, changed, back, left, unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Scope(StrEnum):
    """What a file is the list of."""

    # A plain import: it adds and updates; nobody leaves.
    PART = "part"
    # The complete list of the whole school: who is not on it has left.
    SCHOOL = "school"
    # The complete list of the classes that appear in it: who is not on it, in those classes,
    # has left; other classes are left alone.
    CLASSES = "classes"


@dataclass(frozen=True)
class RosterChanges:
    """The difference between a file and the school's roster, by name: children as
    "Amira (3A)", guardians by name. Counts are the lengths; unchanged ones are only counted."""

    scope: Scope
    groups: tuple[str, ...]  # the classes in the file
    new_children: tuple[str, ...] = ()
    changed_children: tuple[str, ...] = ()
    returned_children: tuple[str, ...] = ()
    left_children: tuple[str, ...] = ()
    unchanged_children: int = 0
    new_guardians: tuple[str, ...] = ()
    changed_guardians: tuple[str, ...] = ()
    returned_guardians: tuple[str, ...] = ()
    left_guardians: tuple[str, ...] = ()
    unchanged_guardians: int = 0
    languages: dict[str, int] = field(default_factory=dict)  # guardians in the file per language
    # Per class (by name) the first names of its new, changed, returned and left children (the
    # same kinds as the fields above); a class without any such child is left out.
    children_per_class: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    @property
    def children(self) -> int:
        """Children in the file."""
        return (
            len(self.new_children)
            + len(self.changed_children)
            + len(self.returned_children)
            + self.unchanged_children
        )

    @property
    def guardians(self) -> int:
        """Guardians in the file."""
        return (
            len(self.new_guardians)
            + len(self.changed_guardians)
            + len(self.returned_guardians)
            + self.unchanged_guardians
        )

    @property
    def changes(self) -> int:
        """How many people the import changes (0: the roster already says what the file says)."""
        return sum(
            len(names)
            for names in (
                self.new_children,
                self.changed_children,
                self.returned_children,
                self.left_children,
                self.new_guardians,
                self.changed_guardians,
                self.returned_guardians,
                self.left_guardians,
            )
        )
