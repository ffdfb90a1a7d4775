"""The fonts shipped with the package for the PDF sheet, which characters they cover, and which
face and writing direction a run of text takes.

Three families ship in ``fonts/``: DejaVu Sans (Latin, Cyrillic, Greek, symbols; see
``fonts/LICENSE``), Noto Naskh Arabic (Arabic, Dari, Pashto) and Noto Sans Ethiopic (Tigrinya,
Amharic), both under the SIL Open Font License 1.1 (``fonts/LICENSE-Noto-OFL.txt``). A block of
text is set in the family of its own script; characters that family lacks come from the others
(fpdf2's fallback fonts).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from fpdf import FPDF
from fpdf.fonts import TTFFont

_FONT_DIR = Path(__file__).resolve().parent / "fonts"


@dataclass(frozen=True)
class Face:
    """One shipped family: the name the PDF registers it under and its two files."""

    family: str
    regular: Path
    bold: Path


LATIN = Face("DejaVuSans", _FONT_DIR / "DejaVuSans.ttf", _FONT_DIR / "DejaVuSans-Bold.ttf")
"""DejaVu Sans: Latin, Cyrillic and the symbols (scissors) of the sheet."""

ARABIC = Face(
    "NotoNaskhArabic",
    _FONT_DIR / "NotoNaskhArabic-Regular.ttf",
    _FONT_DIR / "NotoNaskhArabic-Bold.ttf",
)
"""Noto Naskh Arabic: Arabic, Dari (Persian) and Pashto letters and digits."""

ETHIOPIC = Face(
    "NotoSansEthiopic",
    _FONT_DIR / "NotoSansEthiopic-Regular.ttf",
    _FONT_DIR / "NotoSansEthiopic-Bold.ttf",
)
"""Noto Sans Ethiopic: the Ge'ez script of Tigrinya and Amharic."""

FACES = (LATIN, ARABIC, ETHIOPIC)
"""Every shipped family; the first is the default."""

FONT_FAMILY = LATIN.family
"""The default family (Latin and Cyrillic text, the sheet labels)."""

REGULAR = LATIN.regular
"""Path of the default regular face."""

BOLD = LATIN.bold
"""Path of the default bold face."""

# Code point ranges of the scripts that need a family of their own.
_ARABIC_RANGES = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF))
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


def _in(ch: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(ch)
    return any(low <= code <= high for low, high in ranges)


def face_for(text: str) -> Face:
    """The family ``text`` is set in: that of the first Arabic or Ethiopic letter, else DejaVu."""
    for ch in text:
        if _in(ch, _ARABIC_RANGES) or 0xFE70 <= ord(ch) <= 0xFEFF:
            return ARABIC
        if _in(ch, _ETHIOPIC_RANGES):
            return ETHIOPIC
    return LATIN


def direction(text: str, rtl: bool = False) -> Literal["ltr", "rtl"]:
    """The base direction of a block, as a bidi isolate (FSI) or HTML ``dir="auto"`` finds it.

    ``rtl`` says the block is meant to be in a right-to-left language: it is set right to left
    when it holds any right-to-left letter (a Dari line that starts with "Telegram"). Otherwise
    the first strong letter decides, so a Dutch fallback on an Arabic card stays left to right
    and an Arabic name on a Dutch card reads right to left. Text without letters is LTR.
    """
    kinds = [unicodedata.bidirectional(ch) for ch in text]
    if rtl and any(kind in {"R", "AL"} for kind in kinds):
        return "rtl"
    for kind in kinds:
        if kind in {"R", "AL"}:
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def faces_needed(texts: Iterable[str]) -> tuple[Face, ...]:
    """The families ``texts`` need: DejaVu always, a Noto family only where its script occurs."""
    joined = "".join(texts)
    needed = [LATIN]
    if any(_in(ch, _ARABIC_RANGES) or 0xFE70 <= ord(ch) <= 0xFEFF for ch in joined):
        needed.append(ARABIC)
    if any(_in(ch, _ETHIOPIC_RANGES) for ch in joined):
        needed.append(ETHIOPIC)
    return tuple(needed)


def register(pdf: FPDF, faces: Iterable[Face] = FACES) -> None:
    """Add the families ``faces`` (default: all shipped; regular and bold) to ``pdf``."""
    for face in faces:
        pdf.add_font(face.family, "", str(face.regular))
        pdf.add_font(face.family, "B", str(face.bold))


def close(pdf: FPDF) -> None:
    """Close the font files of ``pdf`` (fpdf2 closes only the fonts a page used)."""
    for font in pdf.fonts.values():
        if isinstance(font, TTFFont):
            font.close()


def _cmap(pdf: FPDF, family: str, style: str) -> frozenset[int]:
    font = pdf.fonts[family.lower() + style]
    assert isinstance(font, TTFFont), f"{family} is not a TrueType font"
    return frozenset(font.cmap)


@cache
def covered_codepoints() -> frozenset[int]:
    """Every code point some shipped family has, in both its regular and its bold face."""
    pdf = FPDF()
    register(pdf)
    covered: set[int] = set()
    for face in FACES:
        covered |= _cmap(pdf, face.family, "") & _cmap(pdf, face.family, "B")
    close(pdf)
    return frozenset(covered)


def _needs_glyph(ch: str) -> bool:
    # Spaces and invisible format characters (ZWJ, ZWNJ, bidi marks) need no glyph of their own.
    return not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"})


def missing_chars(text: str, covered: Collection[int] | None = None) -> str:
    """Return the distinct characters of ``text`` that need a glyph not in ``covered``.

    ``covered`` is a set of code points (default: every shipped family). The result keeps
    first-seen order.
    """
    if covered is None:
        covered = covered_codepoints()
    seen: dict[str, None] = {}
    for ch in text:
        if ch not in seen and _needs_glyph(ch) and ord(ch) not in covered:
            seen[ch] = None
    return "".join(seen)


def replace_missing(text: str, missing: str, substitute: str = "?") -> str:
    """Return ``text`` with every character from ``missing`` replaced by ``substitute``."""
    if not missing:
        return text
    return "".join(substitute if ch in missing else ch for ch in text)
