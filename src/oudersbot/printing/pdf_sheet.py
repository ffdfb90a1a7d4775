"""The invite sheet as a PDF: four A6 cards per A4 page with cut lines, drawn with fpdf2.

Text goes through the fonts shipped in ``fonts/`` (DejaVu Sans, Noto Naskh Arabic, Noto Sans
Ethiopic; see ``typeface``) with HarfBuzz shaping: each block is set in the family of its own
script, with the others as fallback, and runs through the Unicode bidi algorithm with its own
base direction (as a bidi isolate would), so Arabic, Dari and Pashto are joined and right to
left, and a Dutch line on their card stays left to right. Characters no shipped font has a glyph
for never reach the PDF: the card is still printed, without them, and the returned warnings say
what was left out.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos

from oudersbot.printing import layout, typeface
from oudersbot.printing.model import InviteCard, SheetLabels, SheetWarning, require_cards
from oudersbot.printing.qr import qr_png, short_link

PAGE_W = 210.0
PAGE_H = 297.0
CARD_W = PAGE_W / layout.COLUMNS
CARD_H = PAGE_H / layout.ROWS
PAD_X = 8.0
PAD_TOP = 7.0
PAD_BOTTOM = 6.0
INNER_W = CARD_W - 2 * PAD_X
QR_SIZE = 58.0  # mm, quiet zone included
LINE = 1.25  # line height as a multiple of the font size

PT = 25.4 / 72  # one point in mm

_SUBSTITUTE = "?"


@dataclass(frozen=True)
class PdfSheet:
    """A rendered PDF: its bytes, its number of pages and what could not be shown."""

    data: bytes
    pages: int
    warnings: tuple[SheetWarning, ...] = ()


@dataclass(frozen=True)
class _Text:
    """One block of text on a card."""

    text: str
    size: float  # pt
    bold: bool = False
    grey: int = 0  # 0 = black, 255 = white
    gap: float = 0.0  # mm of space above the block
    rtl: bool = False
    language: str | None = None
    wrap_chars: bool = False  # break anywhere (the link), not only between words
    shrink_to: float | None = None  # try smaller sizes down to this before wrapping
    align: Align = Align.C
    max_lines: int | None = None  # cut off with an ellipsis past this many lines


@dataclass(frozen=True)
class _Card:
    """What one card prints, after the font check."""

    head: list[_Text]
    badge: str
    top: list[_Text]  # above the QR code
    link: _Text
    bottom: list[_Text]  # under the QR code
    expires: _Text
    qr: bytes


class _Checker:
    """Checks text against the glyphs the shipped families have (each in regular and bold)."""

    def __init__(self, covered: frozenset[int]) -> None:
        self.covered = covered
        self.warnings: list[SheetWarning] = []

    def _missing(
        self, text: str, index: int | None, name: str, language_tag: str, action: str
    ) -> str:
        """The characters the font lacks; each gap is recorded as a warning."""
        missing = typeface.missing_chars(text, self.covered)
        if missing:
            self.warnings.append(
                SheetWarning(
                    card_index=index,
                    field=name,
                    language_tag=language_tag,
                    missing=missing,
                    action=action,
                )
            )
        return missing

    def clean(self, text: str, index: int | None, name: str, language_tag: str) -> str:
        action = f"printed {_SUBSTITUTE!r} in their place in the PDF"
        missing = self._missing(text, index, name, language_tag, action)
        return typeface.replace_missing(text, missing, _SUBSTITUTE) if missing else text

    def printable(self, text: str, index: int, name: str, language_tag: str) -> bool:
        action = "left this line out of the PDF (the HTML sheet has it)"
        return not self._missing(text, index, name, language_tag, action)


def _new_document(labels: SheetLabels, cards: Sequence[InviteCard]) -> tuple[FPDF, frozenset[int]]:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.c_margin = 0
    texts = [labels.title, labels.school_name]
    for card in cards:
        texts += [card.guardian_name, card.class_name, card.instruction, card.instruction_nl]
        texts += [card.expires_label, *card.children]
    # Only the families the sheet's scripts need are embedded.
    typeface.register(pdf, typeface.faces_needed(texts))
    pdf.set_text_shaping(True)
    pdf.set_lang("nl")
    pdf.set_title(labels.title)
    pdf.set_author(labels.school_name)
    return pdf, typeface.covered_codepoints()


def _primary_language(tag: str) -> str:
    return tag.split("-", 1)[0].split("_", 1)[0].lower()


def _plan(card: InviteCard, index: int, labels: SheetLabels, check: _Checker) -> _Card:
    """Decide what ``card`` prints; ``labels`` must already be font-checked."""
    lang = card.language_tag
    children = " · ".join(
        check.clean(name, index, "children", lang) for name in layout.children_line(card)
    )
    guardian = check.clean(card.guardian_name, index, "guardian_name", lang)
    badge = check.clean(card.class_name, index, "class_name", lang)
    instruction_nl = check.clean(card.instruction_nl, index, "instruction_nl", "nl")
    expires = check.clean(card.expires_label, index, "expires_label", lang)
    link = check.clean(short_link(card.link), index, "link", lang)

    bottom: list[_Text] = []
    own_printable = check.printable(card.instruction, index, "instruction", lang)
    if own_printable:
        bottom.append(
            _Text(
                card.instruction,
                size=16 if card.rtl else 14,
                bold=True,
                gap=4,
                rtl=card.rtl,
                language=_primary_language(lang),
            )
        )
    if not own_printable:
        # The guardian's line cannot be printed: the Dutch one takes its prominent place.
        bottom.append(_Text(instruction_nl, size=14, bold=True, gap=4, language="nl"))
    elif layout.shows_dutch_line(card):
        bottom.append(_Text(instruction_nl, size=11, grey=40, gap=2.5, language="nl"))

    return _Card(
        head=[
            _Text(labels.title, 9, bold=True, grey=50, shrink_to=7.5, align=Align.L, max_lines=2),
            _Text(labels.school_name, 9, grey=50, shrink_to=7.5, align=Align.L, max_lines=2),
        ],
        badge=badge,
        top=[
            _Text(children, size=24, bold=True, gap=4, shrink_to=15),
            _Text(guardian, size=13, gap=1.5, shrink_to=11),
        ],
        link=_Text(link, size=6.5, grey=70, gap=0.5, wrap_chars=True),
        bottom=bottom,
        expires=_Text(expires, size=10, bold=True, rtl=card.rtl, language=_primary_language(lang)),
        qr=qr_png(card.link),
    )


def _use(pdf: FPDF, block: _Text, size: float, text: str | None = None) -> None:
    """Set the family of the block's script (the others as fallback), its size and colour, and
    its base direction: that of its own letters, never forced by the card (see ``typeface``)."""
    text = block.text if text is None else text
    face = typeface.face_for(text)
    pdf.set_font(face.family, "B" if block.bold else "", size)
    pdf.set_fallback_fonts(
        [f.family for f in typeface.FACES if f != face and f.family.lower() in pdf.fonts]
    )
    pdf.set_text_color(block.grey)
    pdf.set_text_shaping(
        True, direction=typeface.direction(text, block.rtl), language=block.language
    )


def _fitted_size(pdf: FPDF, block: _Text, width: float) -> float:
    """Shrink a one-line block (down to ``shrink_to``) until it fits ``width``."""
    size = block.size
    if block.shrink_to is None:
        return size
    while size > block.shrink_to:
        _use(pdf, block, size)
        if pdf.get_string_width(block.text) <= width:
            break
        size = max(block.shrink_to, size - 0.5)
    return size


def _lines(pdf: FPDF, block: _Text, width: float, size: float) -> list[str]:
    _use(pdf, block, size)
    lines = pdf.multi_cell(
        width,
        size * PT * LINE,
        block.text,
        align=block.align,
        wrapmode=WrapMode.CHAR if block.wrap_chars else WrapMode.WORD,
        dry_run=True,
        output="LINES",
    )
    assert isinstance(lines, list)
    return lines


def _height(pdf: FPDF, block: _Text, width: float, scale: float = 1.0) -> float:
    size = _fitted_size(pdf, block, width) * scale
    return block.gap + len(_lines(pdf, block, width, size)) * size * PT * LINE


def _draw(pdf: FPDF, block: _Text, x: float, y: float, width: float, scale: float = 1.0) -> float:
    """Draw ``block`` in ``width`` from ``y`` (before its gap); return the y below it."""
    size = _fitted_size(pdf, block, width) * scale
    text = block.text
    if block.max_lines is not None:
        lines = _lines(pdf, block, width, size)
        if len(lines) > block.max_lines:
            # Only for the sheet labels, whose words are all on the page's other cards too.
            kept = " ".join(line.strip() for line in lines[: block.max_lines])
            while kept and pdf.get_string_width(kept + "\u2026") > width * block.max_lines * 0.97:
                kept = kept[:-1]
            text = kept.rstrip() + "\u2026"
    _use(pdf, block, size, text)
    pdf.set_xy(x, y + block.gap)
    pdf.multi_cell(
        width,
        size * PT * LINE,
        text,
        align=block.align,
        wrapmode=WrapMode.CHAR if block.wrap_chars else WrapMode.WORD,
        new_x=XPos.LEFT,
        new_y=YPos.NEXT,
    )
    return pdf.get_y()


# Ways to make a crowded card fit, best first: a smaller QR code (still easy to scan at 46 mm),
# then smaller instruction lines. Names and the expiry line keep their size.
_SQUEEZE = tuple((qr, 1.0) for qr in (QR_SIZE, 54.0, 50.0)) + tuple(
    (46.0, scale) for scale in (1.0, 0.92, 0.84, 0.76, 0.68, 0.6, 0.52, 0.45)
)


def _draw_card(pdf: FPDF, plan: _Card, x0: float, y0: float) -> None:
    x = x0 + PAD_X
    y = y0 + PAD_TOP

    # Head: sheet title and school on the left, the class in a box on the right.
    _use(pdf, _Text(plan.badge, size=14, bold=True), 14)
    badge_w = min(pdf.get_string_width(plan.badge) + 5, INNER_W / 3)
    badge_h = 8.0
    pdf.set_draw_color(0)
    pdf.set_line_width(0.4)
    pdf.rect(x + INNER_W - badge_w, y, badge_w, badge_h, style="D", round_corners=True)
    pdf.set_xy(x + INNER_W - badge_w, y)
    pdf.cell(badge_w, badge_h, plan.badge, align=Align.C)
    head_w = INNER_W - badge_w - 3
    head_y = y
    for block in plan.head:
        head_y = _draw(pdf, block, x, head_y, head_w)
    y = max(head_y, y + badge_h)

    # Expiry line sits at the bottom edge; everything else must fit above it.
    expires_h = plan.expires.size * PT * LINE
    expires_y = y0 + CARD_H - PAD_BOTTOM - expires_h
    room = expires_y - 2 - y
    fixed = sum(_height(pdf, b, INNER_W) for b in (*plan.top, plan.link)) + 3 - 2.5
    qr_size, scale = _SQUEEZE[-1]
    for qr_size, scale in _SQUEEZE:  # noqa: B007 (the last tried values are used below)
        if fixed + qr_size + sum(_height(pdf, b, INNER_W, scale) for b in plan.bottom) <= room:
            break

    for block in plan.top:
        y = _draw(pdf, block, x, y, INNER_W)
    y += 3
    pdf.image(io.BytesIO(plan.qr), x=x0 + (CARD_W - qr_size) / 2, y=y, w=qr_size, h=qr_size)
    y += qr_size
    # The quiet zone is white: pull the link up into it a little.
    y = _draw(pdf, plan.link, x, y - 2.5, INNER_W)
    for block in plan.bottom:
        y = _draw(pdf, block, x, y, INNER_W, scale)
    _draw(pdf, plan.expires, x, expires_y, INNER_W)


def _draw_cut_lines(pdf: FPDF, cards_on_page: int) -> None:
    rows_used = -(-cards_on_page // layout.COLUMNS)
    pdf.set_draw_color(140)
    pdf.set_line_width(0.25)
    with pdf.local_context():
        pdf.set_dash_pattern(dash=2.5, gap=1.5)
        for col in range(1, layout.COLUMNS):
            pdf.line(col * CARD_W, 0, col * CARD_W, rows_used * CARD_H)
        for row in range(1, min(rows_used + 1, layout.ROWS)):
            pdf.line(0, row * CARD_H, PAGE_W, row * CARD_H)
    # A pair of scissors where each cut starts (U+2702 is in DejaVu Sans).
    pdf.set_font(typeface.FONT_FAMILY, "", 16)
    pdf.set_fallback_fonts([])
    pdf.set_text_color(110)
    pdf.set_text_shaping(True)
    # Kept 5 mm from the paper's edge, which most printers leave blank.
    for row in range(1, min(rows_used + 1, layout.ROWS)):
        pdf.text(5, row * CARD_H + 2.0, "\u2702")
    with pdf.rotation(-90, x=CARD_W, y=5):
        pdf.text(CARD_W - 0.5, 5 + 2.0, "\u2702")


def render_invite_pdf(cards: Sequence[InviteCard], labels: SheetLabels) -> PdfSheet:
    """Return the PDF for ``cards``, four cards per A4 page, and what it could not show.

    Raises ``ValueError`` when ``cards`` is empty. A card whose script the embedded font lacks
    is still printed: the missing characters are replaced (names) or the line is left out (the
    guardian's instruction; the Dutch one is printed instead), each recorded in ``warnings``.
    Every script of the supported languages is covered by the shipped fonts.
    """
    require_cards(cards)
    pdf, covered = _new_document(labels, cards)
    check = _Checker(covered)
    labels = SheetLabels(
        title=check.clean(labels.title, None, "title", "nl"),
        school_name=check.clean(labels.school_name, None, "school_name", "nl"),
    )
    plans = [_plan(card, i, labels, check) for i, card in enumerate(cards)]
    pages = layout.paginate(plans)
    for page in pages:
        pdf.add_page()
        _draw_cut_lines(pdf, len(page))
        for slot, plan in enumerate(page):
            col, row = slot % layout.COLUMNS, slot // layout.COLUMNS
            _draw_card(pdf, plan, col * CARD_W, row * CARD_H)
    try:
        data = bytes(pdf.output())
    finally:
        typeface.close(pdf)
    return PdfSheet(data=data, pages=len(pages), warnings=tuple(check.warnings))
