"""The data a printed invite sheet is made of, and what writing one gives back.

The printing package holds no user-facing words: every word on the sheet arrives here, already
translated and formatted by the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class InviteCard:
    """One guardian's invite: a QR code for the deep link plus the words around it."""

    link: str
    """The deep link encoded in the QR code, also printed small under it."""
    guardian_name: str
    children: tuple[str, ...]
    """The children's first names, printed big."""
    class_name: str
    language_tag: str
    """BCP 47 tag of the guardian's language, e.g. ``"ar"``, ``"uk"``, ``"nl-BE"``."""
    rtl: bool
    """The guardian's language is written right-to-left."""
    instruction: str
    """One line in the guardian's language ("Scan this code with your phone ...")."""
    instruction_nl: str
    """The same line in Dutch."""
    expires_label: str
    """For example ``"Geldig tot 23 december 2026"``, already formatted by the caller."""


@dataclass(frozen=True)
class SheetLabels:
    """The fixed words of the sheet, in Dutch, from the caller."""

    title: str
    """For example ``"Uitnodiging oudersbot — klas 3A"``."""
    school_name: str


@dataclass(frozen=True)
class SheetWarning:
    """Something on a card the PDF could not show as given (for the log, not for parents).

    ``card_index`` is the card's position in the input (``None`` for the sheet labels);
    ``field`` names the InviteCard/SheetLabels attribute; ``missing`` holds the characters the
    embedded font has no glyph for; ``action`` says what the PDF printed instead.
    """

    card_index: int | None
    field: str
    language_tag: str
    missing: str
    action: str

    def __str__(self) -> str:
        """Render the warning as one log line."""
        where = "labels" if self.card_index is None else f"card {self.card_index}"
        codepoints = " ".join(f"U+{ord(ch):04X}" for ch in self.missing)
        return f"{where} {self.field} [{self.language_tag}]: font lacks {codepoints}; {self.action}"


@dataclass(frozen=True)
class InviteSheet:
    """The files written for one sheet."""

    html_path: Path
    pdf_path: Path
    pages: int
    """Number of A4 pages in the PDF (the HTML prints on as many)."""
    warnings: tuple[SheetWarning, ...] = ()
    """Non-fatal problems, e.g. a script the PDF font cannot show."""


def require_cards(cards: Sequence[InviteCard]) -> None:
    """Raise ``ValueError`` when there is nothing to print."""
    if not cards:
        raise ValueError("an invite sheet needs at least one InviteCard; got none")
