"""One scheduler per SQLite database: a second process refuses to start one, and says why.

PostgreSQL lets several processes claim planned sends side by side (FOR UPDATE SKIP LOCKED);
SQLite has no such thing, so the process that runs the scheduler holds an exclusive lock on a
file next to the database. The operating system drops the lock when the process ends, however
it ends, so a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import IO

from sqlalchemy.engine import make_url


class SchedulerLockError(RuntimeError):
    """Another process already runs the scheduler on this SQLite database."""

    def __init__(self, path: Path, holder: str) -> None:
        self.path = path
        self.holder = holder
        super().__init__(f"another process (pid {holder or '?'}) runs the scheduler; lock {path}")


class SchedulerLock:
    """An exclusive, process-wide lock for the scheduler and the outbox of one SQLite database file:
    the process that holds it is the only one that plans and sends on it."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: IO[str] | None = None

    @classmethod
    def for_database(cls, url: str) -> SchedulerLock:
        """A file lock for a SQLite file; no lock for PostgreSQL (or an in-memory database)."""
        parsed = make_url(url)
        if not parsed.drivername.startswith("sqlite") or parsed.database in (None, "", ":memory:"):
            return cls(None)
        database = Path(parsed.database or "")
        return cls(database.with_name(database.name + ".scheduler.lock"))

    def acquire(self) -> None:
        """Take the lock or raise SchedulerLockError naming the process that holds it."""
        if self.path is None or self._file is not None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = self.path.open("a+", encoding="utf-8")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            handle.close()
            raise SchedulerLockError(self.path, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._file = handle

    def release(self) -> None:
        """Let another process run the scheduler."""
        if self._file is not None:
            fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
            self._file.close()
            self._file = None

    @property
    def sole_sender(self) -> bool:
        """True while this process holds a SQLite file's lock: no other process sends on it."""
        return self.path is not None and self._file is not None

    @property
    def held(self) -> bool:
        """True while this process holds the lock (always True without a lock file)."""
        return self.path is None or self._file is not None
