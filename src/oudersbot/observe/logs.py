"""Log lines: one per event, at the level the settings ask, never with a secret in them.

Telegram's API puts the bot token in every URL, and httpx, aiohttp and python-telegram-bot
may log those URLs or put them in an exception. Every record is scrubbed where it is made
(a log record factory), so no handler, and no test's log capture, ever sees a secret; an
uncaught exception's traceback is scrubbed the same way.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType

HIDDEN = "<geheim>"
_secrets: set[str] = set()
_installed = False
# Libraries whose INFO lines carry URLs (and with them the token), or are too chatty.
QUIET_LOGGERS = ("httpx", "httpcore", "aiohttp.access", "apscheduler", "telegram")


def scrub(text: str) -> str:
    """The text with every known secret replaced."""
    for secret in sorted(_secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, HIDDEN)
    return text


def hide_secrets(secrets: Iterable[str]) -> None:
    """From now on, these never appear in a log line or an uncaught traceback."""
    global _installed
    for secret in secrets:
        if len(secret) >= 6:
            _secrets.add(secret)
            _, _, after_colon = secret.partition(":")
            if len(after_colon) >= 8:  # a bot token's secret part on its own
                _secrets.add(after_colon)
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def scrubbed_record(*args: object, **kwargs: object) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if _secrets:
            _scrub_record(record)
        return record

    logging.setLogRecordFactory(scrubbed_record)
    previous_hook = sys.excepthook

    def scrubbed_hook(
        kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if not _secrets:
            previous_hook(kind, exc, tb)
            return
        sys.stderr.write(scrub("".join(traceback.format_exception(kind, exc, tb))))

    sys.excepthook = scrubbed_hook


def _scrub_record(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except (TypeError, ValueError):
        return
    clean = scrub(message)
    if clean != message:
        record.msg, record.args = clean, ()
    if record.exc_info and record.exc_info[1] is not None:
        text = logging.Formatter().formatException(record.exc_info)
        record.exc_text = scrub(text)


def configure_logging(level: str, secrets: Iterable[str]) -> None:
    """oudersbot's own lines at `level` (INFO: one line per event, no personal data), the
    libraries' at WARNING or above, and the secrets hidden."""
    hide_secrets(secrets)
    number = logging.getLevelName(level)
    logging.getLogger("oudersbot").setLevel(number)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(number, logging.WARNING))
