"""Printable invite sheets: one card per guardian with a QR code for the bot's deep link.

Everything printed arrives as data (words already translated by the caller); this package only
lays it out, as a self-contained HTML page and as a PDF with embedded Unicode fonts for every
supported script, and formats the sheet's dates per language (``sheet_date``).
"""

from oudersbot.printing.dates import sheet_date
from oudersbot.printing.html_sheet import render_invite_html
from oudersbot.printing.model import InviteCard, InviteSheet, SheetLabels, SheetWarning
from oudersbot.printing.pdf_sheet import PdfSheet, render_invite_pdf
from oudersbot.printing.sheet import write_invite_sheet

__all__ = [
    "InviteCard",
    "InviteSheet",
    "PdfSheet",
    "SheetLabels",
    "SheetWarning",
    "render_invite_html",
    "render_invite_pdf",
    "sheet_date",
    "write_invite_sheet",
]
