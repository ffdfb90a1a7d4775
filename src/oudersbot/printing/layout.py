"""Layout decisions shared by the HTML and the PDF sheet, so both print the same pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from oudersbot.printing.model import InviteCard

_T = TypeVar("_T")

COLUMNS = 2
ROWS = 2
CARDS_PER_PAGE = COLUMNS * ROWS
"""Cards on one A4 page: a 2 x 2 grid of A6 cards (105 x 148.5 mm), cut apart along dashed lines."""


def paginate(cards: Sequence[_T]) -> list[tuple[_T, ...]]:
    """Split ``cards`` (or what is drawn for them) into pages of ``CARDS_PER_PAGE``, in order."""
    return [
        tuple(cards[start : start + CARDS_PER_PAGE])
        for start in range(0, len(cards), CARDS_PER_PAGE)
    ]


def page_count(n_cards: int) -> int:
    """Return how many A4 pages ``n_cards`` cards take."""
    return -(-n_cards // CARDS_PER_PAGE)


def shows_dutch_line(card: InviteCard) -> bool:
    """Tell whether the card needs the Dutch instruction next to the guardian's own one.

    A Dutch-speaking guardian's instruction already is the Dutch line; printing it twice would
    only add noise to the card.
    """
    return card.instruction.strip() != card.instruction_nl.strip()


def children_line(card: InviteCard) -> tuple[str, ...]:
    """Return the children's names to print, skipping empty ones."""
    return tuple(name.strip() for name in card.children if name.strip())
