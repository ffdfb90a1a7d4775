"""Long work shows progress: on a terminal a bar with counts and time left (rich), elsewhere
(a log, a pipe, a test) a plain line now and then, and nothing for work that ends quickly.

    with progress(deps, "progress.dispatch", total=3000) as report:
        report(done)          # or report(done, total) when the total grows

`report` is a plain callable, so a service can take it as its hook without knowing about the
terminal (`on_progress: Callable[[int, int | None], None] | None = None`).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

import click

from oudersbot.bootstrap import Deps
from oudersbot.cli.common import STAFF

Report = Callable[..., None]
# Without a terminal: one line at most every this many seconds (a quick job prints none).
PLAIN_EVERY = 10.0


class _Plain:
    """A plain line to stderr at most every PLAIN_EVERY seconds."""

    def __init__(
        self, deps: Deps, label: str, total: int | None, stream: TextIO, every: float
    ) -> None:
        self._deps, self._label, self._total, self._stream = deps, label, total, stream
        self._every = every
        self._last = time.monotonic()

    def __call__(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self._total = total
        now = time.monotonic()
        if now - self._last < self._every:
            return
        self._last = now
        key = "progress.line" if self._total else "progress.line_no_total"
        line = self._deps.words.text(
            STAFF, key, label=self._label, done=done, total=self._total or 0
        )
        click.echo(line, file=self._stream)


def is_terminal(stream: TextIO) -> bool:
    """True when a person watches this stream."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


@contextmanager
def progress(
    deps: Deps,
    key: str,
    *,
    total: int | None = None,
    stream: TextIO | None = None,
    every: float = PLAIN_EVERY,
) -> Iterator[Report]:
    """Show the progress of one piece of work named by the staff words `key` (on a terminal a
    bar; elsewhere a line at most every `every` seconds)."""
    out = stream or sys.stderr
    label = deps.words.text(STAFF, key)
    if not is_terminal(out):
        yield _Plain(deps, label, total, out, every)
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(file=out),
        transient=True,
    )
    with bar:
        task = bar.add_task(label, total=total)

        def report(done: int, new_total: int | None = None) -> None:
            if new_total is not None:
                bar.update(task, total=new_total)
            bar.update(task, completed=done)

        yield report
