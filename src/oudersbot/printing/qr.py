"""QR codes for invite links, as inline SVG (HTML sheet) and as PNG (PDF sheet)."""

from __future__ import annotations

import io

import segno

# Medium error correction; segno raises it further when that costs no extra size. A phone camera
# reads a ~33-37 module code printed at 4-5 cm without trouble, even slightly creased.
_ERROR = "m"
_BORDER = 4  # the quiet zone the QR standard asks for, in modules


def _make(link: str) -> segno.QRCode:
    if not link:
        raise ValueError("cannot make a QR code for an empty link")
    return segno.make_qr(link, error=_ERROR, boost_error=True)


def qr_svg(link: str) -> str:
    """Return an inline ``<svg>`` element (no XML declaration) that encodes ``link``.

    The element has a ``viewBox`` and no fixed size, so CSS sizes it.
    """
    svg: str = _make(link).svg_inline(
        scale=1, border=_BORDER, omitsize=True, svgclass="qr", lineclass=None
    )
    return svg


def qr_png(link: str, scale: int = 10) -> bytes:
    """Return a black-on-white PNG that encodes ``link``, ``scale`` pixels per module."""
    buf = io.BytesIO()
    _make(link).save(buf, kind="png", scale=scale, border=_BORDER)
    return buf.getvalue()


def short_link(link: str) -> str:
    """Return ``link`` as printed under the QR code: without the ``https://`` scheme."""
    for scheme in ("https://", "http://"):
        if link.startswith(scheme):
            return link[len(scheme) :]
    return link
