"""The fonts shipped with the package for the PDF sheet, and which characters they cover."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from pathlib import Path

_FONT_DIR = Path(__file__).resolve().parent / "fonts"

FONT_FAMILY = "DejaVuSans"
"""The family name the PDF registers the shipped fonts under."""

REGULAR = _FONT_DIR / "DejaVuSans.ttf"
"""Path of the shipped regular face (DejaVu Sans, see ``fonts/LICENSE``)."""

BOLD = _FONT_DIR / "DejaVuSans-Bold.ttf"
"""Path of the shipped bold face."""


def _needs_glyph(ch: str) -> bool:
    # Spaces and invisible format characters (ZWJ, ZWNJ, bidi marks) need no glyph of their own.
    return not (ch.isspace() or unicodedata.category(ch) in {"Cc", "Cf", "Zs", "Zl", "Zp"})


def missing_chars(text: str, covered: Collection[int]) -> str:
    """Return the distinct characters of ``text`` that need a glyph not in ``covered``.

    ``covered`` is a font's set of code points (its cmap keys). The result keeps first-seen order.
    """
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
