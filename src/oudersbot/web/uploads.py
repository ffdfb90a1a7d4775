"""Uploaded files between "check" and "apply": the bytes stay on the server, in memory, under a
random token, for the staff member who uploaded them, for a short while. Applying takes exactly
the file that was checked; a forged, stale or someone else's token finds nothing.

In memory on purpose: a roster is personal data and never lands on disk here; a restart of the
desk only means uploading the file again."""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from starlette.datastructures import UploadFile
from starlette.requests import Request

from oudersbot.web.render import deps_of

if TYPE_CHECKING:
    from oudersbot.services.web_login import DeskUser

MAX_UPLOAD_BYTES = 5_000_000  # a school's roster or calendar is a few hundred kilobytes at most
KEEP_FOR = timedelta(minutes=30)
MAX_PENDING = 20  # uploads waiting at once, over every staff member; the oldest goes first
MAX_NAME = 120


class TooBigError(ValueError):
    """The uploaded file is larger than MAX_UPLOAD_BYTES."""


class UploadRefusedError(ValueError):
    """No file, or one too big: the words to show (`key`, about `file`) and the status."""

    def __init__(self, key: str, status: int, file: str = "") -> None:
        super().__init__(key)
        self.key, self.status, self.file = key, status, file


@dataclass(frozen=True)
class Uploaded:
    """A file from an upload form, and the form's other fields asked for."""

    filename: str
    data: bytes
    fields: dict[str, str]


@dataclass(frozen=True)
class Pending:
    """One checked file waiting for "apply"."""

    kind: str  # "roster" or "calendar": a token of one page does nothing on the other
    school_id: int
    staff_id: int
    filename: str
    data: bytes
    expires_at: datetime
    options: dict[str, str] = field(default_factory=dict)
    expected: object = None  # what the check showed: applied only if it still holds


class PendingUploads:
    """The checked files of this desk process, by token."""

    def __init__(self) -> None:
        self._items: dict[str, Pending] = {}
        self._lock = threading.Lock()

    def keep(self, item: Pending) -> str:
        """Keep a checked file; its token (256 random bits)."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._drop_expired(item.expires_at - KEEP_FOR)
            while len(self._items) >= MAX_PENDING:
                self._items.pop(next(iter(self._items)))
            self._items[token] = item
        return token

    def take(
        self, token: str, *, kind: str, school_id: int, staff_id: int, now: datetime
    ) -> Pending | None:
        """The file under `token` if it is this staff member's, of this page, and fresh; then it
        is forgotten (applied once). Anyone else's token finds nothing and leaves it be."""
        with self._lock:
            self._drop_expired(now)
            item = self._items.get(token)
            if item is None or (item.kind, item.school_id, item.staff_id) != (
                kind,
                school_id,
                staff_id,
            ):
                return None
            del self._items[token]
        return item

    def _drop_expired(self, now: datetime) -> None:
        for token in [t for t, item in self._items.items() if item.expires_at <= now]:
            del self._items[token]


def pending_uploads(app_state: object) -> PendingUploads:
    """The desk's waiting files (made on first use)."""
    found = getattr(app_state, "pending_uploads", None)
    if found is None:
        found = PendingUploads()
        setattr(app_state, "pending_uploads", found)  # noqa: B010 (Starlette's State)
    assert isinstance(found, PendingUploads)
    return found


def clean_name(raw: str | None, default: str) -> str:
    """An uploaded file's name without any folder, short enough to show."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:MAX_NAME] or default


async def read_upload(upload: UploadFile) -> bytes:
    """The file's bytes; TooBigError past MAX_UPLOAD_BYTES (the rest is never read)."""
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise TooBigError(upload.filename)
    return data


async def receive_upload(
    request: Request, *, default_name: str, fields: tuple[str, ...] = ()
) -> Uploaded:
    """The form's one file (field "file") and the named fields; UploadRefusedError when there
    is no file or it is too big (never read past the limit)."""
    async with request.form(max_files=1, max_fields=10) as form:
        upload = form.get("file")
        values = {name: str(form.get(name, "")) for name in fields}
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise UploadRefusedError("web.upload.no_file", 400)
        filename = clean_name(upload.filename, default_name)
        try:
            data = await read_upload(upload)
        except TooBigError:
            raise UploadRefusedError("web.upload.too_big", 413, filename) from None
    return Uploaded(filename, data, values)


def keep_checked(
    request: Request,
    user: DeskUser,
    *,
    kind: str,
    filename: str,
    data: bytes,
    expected: object,
    options: dict[str, str] | None = None,
) -> str:
    """Keep a checked file for this staff member and page; the token of its "Toepassen"."""
    return pending_uploads(request.app.state).keep(
        Pending(
            kind,
            user.viewer.school_id,
            user.staff_id,
            filename,
            data,
            deps_of(request).clock.now() + KEEP_FOR,
            options or {},
            expected=expected,
        )
    )


async def take_checked(request: Request, user: DeskUser, *, kind: str) -> Pending | None:
    """The checked file under the form's token, if it is this staff member's, of this page,
    and fresh (once); None for anything else."""
    form = await request.form()
    return pending_uploads(request.app.state).take(
        str(form.get("token", "")),
        kind=kind,
        school_id=user.viewer.school_id,
        staff_id=user.staff_id,
        now=deps_of(request).clock.now(),
    )
