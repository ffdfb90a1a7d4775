"""Write one printable invite sheet to disk, as HTML and as PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from oudersbot.printing.html_sheet import render_invite_html
from oudersbot.printing.model import InviteCard, InviteSheet, SheetLabels, require_cards
from oudersbot.printing.pdf_sheet import render_invite_pdf


def _check_basename(basename: str) -> None:
    if not basename or basename in {".", ".."} or "/" in basename or "\\" in basename:
        raise ValueError(f"basename must be a plain file name without a folder: {basename!r}")


def write_invite_sheet(
    cards: Sequence[InviteCard], labels: SheetLabels, out_dir: Path, basename: str
) -> InviteSheet:
    """Write ``<basename>.html`` and ``<basename>.pdf`` into ``out_dir`` (made if missing).

    Both print four cards per A4 page, in the order given. Raises ``ValueError`` when ``cards``
    is empty or ``basename`` is not a plain file name. Characters the PDF font cannot show do
    not stop the sheet: they are listed in the returned ``InviteSheet.warnings``.
    """
    require_cards(cards)
    _check_basename(basename)
    html = render_invite_html(cards, labels)
    pdf = render_invite_pdf(cards, labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"{basename}.html"
    pdf_path = out_dir / f"{basename}.pdf"
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(pdf.data)
    return InviteSheet(
        html_path=html_path, pdf_path=pdf_path, pages=pdf.pages, warnings=pdf.warnings
    )
