"""Write one printable invite sheet to disk, as HTML and as PDF, never over an earlier one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from oudersbot.printing.html_sheet import render_invite_html
from oudersbot.printing.model import InviteCard, InviteSheet, SheetLabels, require_cards
from oudersbot.printing.pdf_sheet import render_invite_pdf

MAX_COPIES = 1000
"""Sheets of one base name in one folder; past this something is wrong (a loop, a full disk)."""


def _check_basename(basename: str) -> None:
    if not basename or basename in {".", ".."} or "/" in basename or "\\" in basename:
        raise ValueError(f"basename must be a plain file name without a folder: {basename!r}")


def _claim(out_dir: Path, basename: str) -> tuple[Path, Path]:
    """Create the two empty files of the first free name: basename, basename-2, ...

    Exclusive creation (mode "x") makes the claim atomic: two printers at the same minute
    get different files, and an earlier sheet (codes already handed out) is never replaced.
    """
    for copy in range(1, MAX_COPIES + 1):
        stem = basename if copy == 1 else f"{basename}-{copy}"
        html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
        try:
            html_path.open("x").close()
        except FileExistsError:
            continue
        try:
            pdf_path.open("x").close()
        except FileExistsError:
            html_path.unlink()
            continue
        return html_path, pdf_path
    raise FileExistsError(f"{MAX_COPIES} sheets named {basename!r} in {out_dir} already")


def write_invite_sheet(
    cards: Sequence[InviteCard], labels: SheetLabels, out_dir: Path, basename: str
) -> InviteSheet:
    """Write ``<basename>.html`` and ``<basename>.pdf`` into ``out_dir`` (made if missing).

    An existing sheet of that name is kept: the new one is ``<basename>-2`` (``-3``, ...); the
    returned ``InviteSheet`` has the paths written. Both print four cards per A4 page, in the
    order given. Raises ``ValueError`` when ``cards`` is empty or ``basename`` is not a plain
    file name. Characters the PDF font cannot show do not stop the sheet: they are listed in
    the returned ``InviteSheet.warnings``.
    """
    require_cards(cards)
    _check_basename(basename)
    html = render_invite_html(cards, labels)
    pdf = render_invite_pdf(cards, labels)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path, pdf_path = _claim(out_dir, basename)
    html_path.write_text(html, encoding="utf-8")
    pdf_path.write_bytes(pdf.data)
    return InviteSheet(
        html_path=html_path, pdf_path=pdf_path, pages=pdf.pages, warnings=pdf.warnings
    )
