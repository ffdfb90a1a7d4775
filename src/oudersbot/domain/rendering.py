"""How one message looks on a parent's phone, as Telegram HTML."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024

# Unicode isolates keep right-to-left text and the left-to-right parts around it apart.
_RLI, _LRI, _PDI = "\u2067", "\u2066", "\u2069"
_TAG = re.compile(r"<[^>]+>")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


@dataclass(frozen=True)
class Version:
    """A message in one language, ready to send: its parts, and where its words came from."""

    language: str
    origin: str  # source, phrasebook, machine, none
    parts: tuple[str, ...]
    status: str | None = None
    # Why a version is the Dutch text (origin "none"): failed, unsupported, no_provider.
    reason: str | None = None


@dataclass(frozen=True)
class MessageView:
    """Everything a parent sees of one message, with every word already in their language."""

    mark: str
    category_label: str
    symbol: str
    topic_label: str | None
    body: str
    rtl: bool
    translation_note: str | None
    original_label: str | None = None
    original: str | None = None


def visible_length(html_text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units of the text after entity parsing."""
    plain = _ENTITY.sub("x", _TAG.sub("", html_text))
    return len(plain.encode("utf-16-le")) // 2


def _isolate(text: str, rtl: bool) -> str:
    return f"{_RLI if rtl else _LRI}{text}{_PDI}"


def _header(view: MessageView) -> str:
    label = f"{view.mark} <b>{escape(view.category_label)}</b>"
    if view.topic_label:
        label += f" · {view.symbol} {escape(view.topic_label)}"
    elif view.symbol != view.mark:
        label += f" · {view.symbol}"
    return _isolate(label, view.rtl)


def _body(view: MessageView) -> str:
    lines = [escape(line) for line in view.body.strip().splitlines()]
    body = "\n".join(_isolate(line, view.rtl) if line else "" for line in lines)
    if view.translation_note:
        note = _isolate(f"<i>{escape(view.translation_note)}</i>", view.rtl)
        body = f"{note}\n{body}"
    return body


def _original(view: MessageView) -> str:
    if view.original is None:
        return ""
    label = escape(view.original_label or "")
    text = escape(view.original.strip())
    return f"<blockquote expandable><b>{label}</b>\n{text}</blockquote>"


def render_html(view: MessageView, limit: int = TEXT_LIMIT) -> list[str]:
    """The message as one Telegram HTML text, or several parts when it is over the limit."""
    head, body, original = _header(view), _body(view), _original(view)
    whole = "\n\n".join(part for part in (head, body, original) if part)
    if visible_length(whole) <= limit:
        return [whole]
    parts = [f"{head}\n\n{chunk}" for chunk in split_text(body, limit - visible_length(head) - 2)]
    if original:
        label = escape(view.original_label or "")
        parts.extend(
            f"<blockquote expandable><b>{label}</b>\n{chunk}</blockquote>"
            for chunk in split_text(escape(view.original or ""), limit - 200)
        )
    return parts


def split_text(text: str, limit: int) -> list[str]:
    """Split text into chunks under the limit, on paragraph, then sentence, then word boundaries."""
    if visible_length(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", ". ", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            break
    else:
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if visible_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            chunks.append(current)
        if visible_length(piece) > limit:
            chunks.extend(split_text(piece, limit))
            current = ""
        else:
            current = piece
    if current:
        chunks.append(current)
    return chunks


def with_school_line(parts: list[str], school: str, *, caption: bool = False) -> list[str]:
    """The parts with the school's name as the first line, for a parent linked to several
    schools (they cannot tell otherwise which school writes); unchanged when the first part
    would be over Telegram's limit."""
    if not parts:
        return parts
    first = f"{_isolate(f'🏫 <b>{escape(school)}</b>', False)}\n{parts[0]}"
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if visible_length(first) > limit:
        return parts
    return [first, *parts[1:]]
