"""Telegram's HTML subset (parse_mode=HTML) turned into plain text plus MessageEntity dicts.

Supported like the Bot API: b/strong, i/em, u/ins, s/strike/del, tg-spoiler and
span class="tg-spoiler", a href, code, pre (with a nested code class="language-x"),
blockquote (with the `expandable` attribute), tg-emoji emoji-id, tg-time unix/format; the
named entities &lt; &gt; &amp; &quot; and all numeric ones. Anything else is an error whose
message mimics Telegram's ("Unsupported start tag "div" at byte offset 0", ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from oudersbot.simulator.text import Entity, FormattedText, sort_entities, utf16_length

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SIMPLE_TAGS = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "pre": "pre",
}
_SUPPORTED_TAGS = frozenset(_SIMPLE_TAGS) | {
    "a",
    "code",
    "span",
    "blockquote",
    "tg-emoji",
    "tg-time",
}


class EntityParseError(Exception):
    """The HTML could not be parsed; the message follows "can't parse entities: "."""


@dataclass(slots=True)
class _OpenTag:
    tag: str
    offset: int
    entity: Entity | None
    extra: dict[str, Any] = field(default_factory=dict)


class _TelegramHTMLParser(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self._source = source
        self._line_starts: list[int] = []
        self._parts: list[str] = []
        self._position = 0
        self._stack: list[_OpenTag] = []
        self.entities: list[Entity] = []

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def _index(self) -> int:
        line, column = self.getpos()
        if not self._line_starts:
            self._line_starts = [0] + [match.end() for match in re.finditer("\n", self._source)]
        return self._line_starts[line - 1] + column

    def _byte_offset(self, index: int | None = None) -> int:
        position = self._index() if index is None else index
        return len(self._source[:position].encode("utf-8"))

    def _append(self, text: str) -> None:
        self._parts.append(text)
        self._position += utf16_length(text)

    def handle_data(self, data: str) -> None:
        bracket = data.find("<")
        if bracket >= 0:
            self._fail_on_bracket(self._index() + bracket)
        self._append(data)

    def _fail_on_bracket(self, index: int) -> None:
        rest = self._source[index + 1 :]
        offset = self._byte_offset(index)
        if ">" not in rest:
            kind = "end" if rest.startswith("/") else "start"
            raise EntityParseError(f"Unclosed {kind} tag at byte offset {offset}")
        name = rest.split(">", 1)[0].split(None, 1)[0] if rest.split(">", 1)[0].strip() else ""
        raise EntityParseError(f'Unsupported start tag "{name}" at byte offset {offset}')

    def handle_entityref(self, name: str) -> None:
        if name in _NAMED_ENTITIES:
            self._append(_NAMED_ENTITIES[name])
            return
        index = self._index() + 1 + len(name)
        closed = self._source[index : index + 1] == ";"
        self._append(f"&{name}{';' if closed else ''}")

    def handle_charref(self, name: str) -> None:
        try:
            code = int(name[1:], 16) if name[:1] in {"x", "X"} else int(name)
            self._append(chr(code))
        except (ValueError, OverflowError):
            self._append(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self._unsupported("!--")

    def handle_decl(self, decl: str) -> None:
        self._unsupported("!" + decl.split(None, 1)[0] if decl else "!")

    def unknown_decl(self, data: str) -> None:
        self._unsupported("![")

    def handle_pi(self, data: str) -> None:
        self._unsupported("?")

    def _unsupported(self, tag: str) -> None:
        raise EntityParseError(
            f'Unsupported start tag "{tag}" at byte offset {self._byte_offset()}'
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _SUPPORTED_TAGS:
            self._unsupported(tag)
        attributes = {name: value or "" for name, value in attrs}
        entity = self._entity_for(tag, attributes)
        self._stack.append(_OpenTag(tag, self._position, entity))

    def _entity_for(self, tag: str, attributes: dict[str, str]) -> Entity | None:
        if tag in _SIMPLE_TAGS:
            return {"type": _SIMPLE_TAGS[tag]}
        if tag == "span":
            if attributes.get("class") != "tg-spoiler":
                raise EntityParseError(
                    f'Tag "span" must have class "tg-spoiler" at byte offset {self._byte_offset()}'
                )
            return {"type": "spoiler"}
        if tag == "a":
            href = attributes.get("href", "")
            return {"type": "text_link", "url": href} if href else None
        if tag == "blockquote":
            return {"type": "expandable_blockquote" if "expandable" in attributes else "blockquote"}
        if tag == "tg-emoji":
            emoji_id = attributes.get("emoji-id", "")
            if not emoji_id.isdigit():
                raise EntityParseError("Custom emoji identifier must be non-empty")
            return {"type": "custom_emoji", "custom_emoji_id": emoji_id}
        if tag == "tg-time":
            return self._time_entity(attributes)
        return self._code_entity(attributes)

    def _time_entity(self, attributes: dict[str, str]) -> Entity:
        unix = attributes.get("unix", "")
        if not unix.isdigit():
            raise EntityParseError(
                f'Tag "tg-time" must have attribute "unix" at byte offset {self._byte_offset()}'
            )
        entity: Entity = {"type": "date_time", "unix_time": int(unix)}
        if attributes.get("format"):
            entity["date_time_format"] = attributes["format"]
        return entity

    def _code_entity(self, attributes: dict[str, str]) -> Entity | None:
        parent = self._stack[-1] if self._stack else None
        if parent is not None and parent.tag == "pre" and parent.entity is not None:
            language = attributes.get("class", "").removeprefix("language-")
            if attributes.get("class", "").startswith("language-") and language:
                parent.entity["language"] = language
            return None
        return {"type": "code"}

    def handle_endtag(self, tag: str) -> None:
        if not self._stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self._byte_offset()}")
        top = self._stack[-1]
        if top.tag != tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self._byte_offset()}, "
                f'expected "</{top.tag}>", found "</{tag}>"'
            )
        self._stack.pop()
        length = self._position - top.offset
        if top.entity is not None and length > 0:
            self.entities.append({**top.entity, "offset": top.offset, "length": length})

    def finish(self) -> None:
        self.close()
        if self._stack:
            tag = self._stack[-1].tag
            raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{tag}"')


def parse_html(source: str) -> FormattedText:
    """Parse Telegram HTML into plain text and entities; raise EntityParseError when malformed."""
    if "<" not in source and "&" not in source:
        return FormattedText(source, [])
    parser = _TelegramHTMLParser(source)
    parser.feed(source)
    parser.finish()
    return FormattedText(parser.text, sort_entities(parser.entities))
