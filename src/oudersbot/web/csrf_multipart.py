"""asgi-csrf 0.11 reads a multipart form's CSRF field with python-multipart's `FormParser`,
passing `FileClass=`, which python-multipart 0.0.26 dropped (simonw/asgi-csrf#38; the older
python-multipart has CVE-2026-40347, so no pin). `install()` gives asgi-csrf a parser that
takes the old call: a file part before the CSRF field is still refused (403), at the end of
that part instead of at its first byte. Our forms put the CSRF field first (render.py)."""

from __future__ import annotations

import inspect
from typing import Any

import asgi_csrf
from python_multipart import FormParser


class _TokenFirstParser(FormParser):
    """FormParser as asgi-csrf calls it: `FileClass` accepted and ignored; a whole file part
    before the token raises asgi-csrf's FileBeforeToken."""

    def __init__(
        self,
        content_type: str,
        on_field: Any,
        on_file: Any = None,
        *args: Any,
        FileClass: Any = None,  # noqa: N803 (asgi-csrf's keyword)
        **kwargs: Any,
    ) -> None:
        def refuse(_file: object) -> None:
            raise asgi_csrf.FileBeforeToken

        super().__init__(content_type, on_field, refuse, *args, **kwargs)


def install() -> None:
    """Use the compatible parser when python-multipart no longer takes `FileClass`."""
    if "FileClass" in inspect.signature(FormParser.__init__).parameters:
        return
    asgi_csrf.FormParser = _TokenFirstParser
