"""A parent's message and the open conversations as staff read them, in Dutch: the same
words in Telegram and at the command line. Plain text: a parent's words are shown as they
came, never as markup."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from oudersbot.domain.languages import dutch_name
from oudersbot.services.conversation_list import ThreadLine, WaitingItem, WaitingList
from oudersbot.services.conversations import ParentNote
from oudersbot.store.conversations import ChildInClass
from oudersbot.store.models import ConversationKind
from oudersbot.translation.catalog import Words
from oudersbot.translation.conversation import is_dutch

FIRST_WORDS = 80


def children_text(children: Sequence[ChildInClass]) -> str:
    """ "Amira (3A), Sami (3B)"."""
    return ", ".join(f"{c.name} ({c.group})" for c in children)


def media_mark(words: Words, language: str, kind: str) -> str | None:
    """[spraakbericht], [foto], ... for what is no text; None for text."""
    marks = {
        ConversationKind.VOICE.value: lambda: words.text(language, "conversation.media.voice"),
        ConversationKind.PHOTO.value: lambda: words.text(language, "conversation.media.photo"),
        ConversationKind.STICKER.value: lambda: words.text(language, "conversation.media.sticker"),
        ConversationKind.DOCUMENT.value: lambda: words.text(
            language, "conversation.media.document"
        ),
        ConversationKind.VIDEO.value: lambda: words.text(language, "conversation.media.video"),
    }
    if kind in (ConversationKind.TEXT.value, ConversationKind.ACKNOWLEDGEMENT.value):
        return None
    mark = marks.get(kind)
    return mark() if mark else words.text(language, "conversation.media.other")


def note_lines(words: Words, language: str, note: ParentNote) -> list[str]:
    """A parent's message on a staff member's phone: who, which child and class, the slip it
    is about, the words in Dutch (or the original, marked "niet vertaald"), how to answer."""
    lines = [
        words.text(
            language,
            "conversation.note.from",
            guardian=note.guardian,
            children=children_text(note.children),
        )
    ]
    if note.slip_title:
        lines.append(words.text(language, "conversation.note.slip", title=note.slip_title))
    mark = media_mark(words, language, note.kind)
    if mark:
        lines.append(mark)
    if note.text:
        if is_dutch(note.language):
            lines.append(note.text)
        elif note.dutch is not None:
            name = dutch_name(note.language)
            lines.append(words.text(language, "conversation.note.translated", language=name))
            lines.append(note.dutch)
        else:
            name = dutch_name(note.language)
            lines.append(words.text(language, "conversation.note.not_translated", language=name))
            lines.append(note.text)
    lines.append(words.text(language, "conversation.note.how_to_answer"))
    return lines


def first_words(words: Words, language: str, item: WaitingItem) -> str:
    """The start of the first waiting message, in Dutch when it was translated."""
    mark = media_mark(words, language, item.kind)
    if item.text is None:
        return mark or ""
    if item.dutch is None and not is_dutch(item.language):
        mark_nl = words.text(language, "conversation.not_translated_mark")
        shown = f"{mark_nl} {item.text}"
    else:
        shown = item.dutch if item.dutch is not None else item.text
    shown = " ".join(shown.split())
    if len(shown) > FIRST_WORDS:
        shown = shown[: FIRST_WORDS - 1] + "…"
    return f"{mark} {shown}" if mark else shown


def item_line(words: Words, language: str, item: WaitingItem, zone: ZoneInfo) -> str:
    """One conversation waiting: who, class, since when, first words."""
    since = item.waiting_since.astimezone(zone).strftime("%d/%m %H:%M")
    line = words.text(
        language,
        "conversation.list.item",
        guardian=item.guardian,
        children=children_text(item.children),
        since=since,
        hours=f"{item.school_hours:.1f}",
        number=item.conversation_id,
    )
    if item.overdue:
        line += " ⏰"
    return f"{line}\n   {first_words(words, language, item)}"


def waiting_lines(words: Words, language: str, found: WaitingList, zone: ZoneInfo) -> list[str]:
    """The whole list, as the command line prints it."""
    if not found.items:
        return [words.text(language, "conversation.list.empty")]
    lines = [words.text(language, "conversation.list.header", hours=found.answer_within)]
    lines.extend(
        f"{n}. {item_line(words, language, item, zone)}" for n, item in enumerate(found.items, 1)
    )
    return lines


def unanswered_lines(words: Words, language: str, found: WaitingList, zone: ZoneInfo) -> list[str]:
    """The brugfiguur's section of questions waiting longer than the answer time; nothing
    when there are none."""
    if not found.items:
        return []
    lines = [words.text(language, "conversation.followup.header", hours=found.answer_within)]
    lines.extend(f"• {item_line(words, language, item, zone)}" for item in found.items)
    return lines


def thread_lines(words: Words, language: str, lines: list[ThreadLine], zone: ZoneInfo) -> list[str]:
    """A whole conversation: each message with its time and author, a parent's words in Dutch
    with the original below, a staff answer in Dutch with what the parent read below."""
    shown = []
    for line in lines:
        at = line.at.astimezone(zone).strftime("%d/%m %H:%M")
        mark = media_mark(words, language, line.kind)
        words_nl = line.text if line.direction == "staff" or is_dutch(line.language) else None
        if words_nl is None:
            words_nl = line.translated or words.text(language, "conversation.not_translated_mark")
        head = f"{at}  {line.who}: {mark + ' ' if mark else ''}{words_nl or ''}".rstrip()
        shown.append(head)
        other = line.translated if line.direction == "staff" else line.text
        if (
            other
            and other != words_nl
            and not (line.direction == "parent" and is_dutch(line.language))
        ):
            shown.append(f"      ({other})")
    return shown or [words.text(language, "conversation.list.empty")]
