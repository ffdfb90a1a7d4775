"""The invite sheet as one self-contained, printable A4 HTML page (QR codes as inline SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from oudersbot.printing import layout, typeface
from oudersbot.printing.model import InviteCard, SheetLabels, require_cards
from oudersbot.printing.qr import qr_svg, short_link

_TEMPLATE = "invite_sheet.html.j2"


@dataclass(frozen=True)
class _CardView:
    card: InviteCard
    children: tuple[str, ...]
    children_size: str
    svg: Markup
    short_link: str
    show_nl: bool
    card_dir: str
    """The card's own direction, that of the guardian's language (``lang`` is its tag)."""
    instruction_dir: str
    """Each line's own direction (``typeface.direction``): a Dutch fallback on an Arabic card
    is ``ltr``; each line is its own block, so it is isolated from the card around it."""
    expires_dir: str


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).resolve().parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _size_class(names: tuple[str, ...]) -> str:
    # CSS cannot shrink text to fit, so pick a size from the length (as the PDF measures it).
    length = sum(len(name) for name in names) + 3 * (len(names) - 1)
    if length <= 16:
        return "l"
    return "m" if length <= 24 else "s"


def _view(card: InviteCard) -> _CardView:
    children = layout.children_line(card)
    return _CardView(
        card=card,
        children=children,
        children_size=_size_class(children),
        # segno draws the code as path data only; the link never appears as markup text.
        svg=Markup(qr_svg(card.link)),
        short_link=short_link(card.link),
        show_nl=layout.shows_dutch_line(card),
        card_dir="rtl" if card.rtl else "ltr",
        instruction_dir=typeface.direction(card.instruction, card.rtl),
        expires_dir=typeface.direction(card.expires_label, card.rtl),
    )


def render_invite_html(cards: Sequence[InviteCard], labels: SheetLabels) -> str:
    """Return the HTML document for ``cards``: four cards per A4 page, every value escaped.

    The same input always gives the same text. Raises ``ValueError`` when ``cards`` is empty.
    """
    require_cards(cards)
    pages = [[_view(card) for card in page] for page in layout.paginate(cards)]
    return _environment().get_template(_TEMPLATE).render(pages=pages, labels=labels)
