"""Categories and pictograms: what a message is about, at a glance."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Category(StrEnum):
    """The colour of a paper letter: important, slip to return, for information."""

    IMPORTANT = "important"
    SLIP = "slip"
    INFO = "info"

    @property
    def mark(self) -> str:
        """The coloured mark shown first, as the paper colour was."""
        return _MARKS[self]


_MARKS = {Category.IMPORTANT: "🔴", Category.SLIP: "🟢", Category.INFO: "⚪"}

# Dutch names staff may type on the command line.
CATEGORY_ALIASES = {
    "belangrijk": Category.IMPORTANT,
    "important": Category.IMPORTANT,
    "strookje": Category.SLIP,
    "slip": Category.SLIP,
    "info": Category.INFO,
    "ter-info": Category.INFO,
}


@dataclass(frozen=True)
class Pictogram:
    """One pictogram: a stable key, the symbol shown and its default category."""

    key: str
    symbol: str
    category: Category


class UnknownPictogramError(KeyError):
    """No pictogram or category with that name."""

    def __init__(self, name: str, known: str) -> None:
        super().__init__(f"unknown pictogram {name!r}; known: {known}")
        self.name = name
        self.known = known


@dataclass(frozen=True)
class PictogramSet:
    """All pictograms a school uses, by key."""

    by_key: dict[str, Pictogram]

    def resolve(self, name: str) -> Pictogram:
        """A pictogram by key, or by a category name (which picks that category's own one)."""
        key = name.strip().lower()
        if key in self.by_key:
            return self.by_key[key]
        category = CATEGORY_ALIASES.get(key)
        if category is not None:
            for picto in self.by_key.values():
                if picto.key == category.value:
                    return picto
        known = ", ".join(sorted(self.by_key))
        raise UnknownPictogramError(name, known)
