"""What /bericht shows at each step: staff words from the Dutch catalog, the keyboards, and
the preview in every language of the class as parents will read it (Telegram HTML, split over
several messages when it is longer than one may be)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from oudersbot.bootstrap import Deps
from oudersbot.domain.languages import dutch_name
from oudersbot.domain.rendering import TEXT_LIMIT, visible_length
from oudersbot.domain.slots import SlotType
from oudersbot.reports import clean
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import Draft
from oudersbot.services.staff_compose import (
    SEND_AT,
    SEND_NOW,
    SEND_PLAN,
    SEND_URGENT,
    ClassChoice,
    families_per_language,
    send_choices,
    staff_moment,
    template_choices,
)
from oudersbot.translation.phrasebook import Template

STAFF = "nl"
PREFIX = "bm:"
NAMES_SHOWN = 20
Button = tuple[str, str]


def data(token: str, action: str, arg: object = "") -> str:
    """A button's callback data: this /bericht's token, the action, its argument."""
    return f"{PREFIX}{token}:{action}:{arg}"


def keyboard(rows: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup:
    """Rows of (label, callback data)."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=d) for label, d in row] for row in rows]
    )


def cancel_row(deps: Deps, token: str) -> list[Button]:
    return [(deps.words.text(STAFF, "bericht.cancel_button"), data(token, "x"))]


def class_keyboard(deps: Deps, token: str, classes: Sequence[ClassChoice]) -> InlineKeyboardMarkup:
    """One button per class, three to a row."""
    buttons = [(choice.name, data(token, "c", choice.id)) for choice in classes]
    rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
    return keyboard([*rows, cancel_row(deps, token)])


def template_keyboard(deps: Deps, token: str) -> InlineKeyboardMarkup:
    """'Own words' first, then every template with its pictogram (a slip marked), two a row."""
    own = [(deps.words.text(STAFF, "bericht.own_words_button"), data(token, "o"))]
    buttons = []
    for choice in template_choices(deps):
        mark = f" {choice.mark}" if choice.slip else ""
        buttons.append((f"{choice.symbol} {choice.title}{mark}", data(token, "t", choice.id)))
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    return keyboard([own, *rows, cancel_row(deps, token)])


def slot_question(deps: Deps, template: Template, name: str, today: dt.date) -> str:
    """Ask for one slot, with what kind of value it is and an example."""
    kind = template.slots[name]
    example = {
        SlotType.DATE: (today + dt.timedelta(days=7)).isoformat(),
        SlotType.TIME: "08:30",
        SlotType.AMOUNT: "12,50",
    }.get(kind)
    words = deps.words
    question = words.text(
        STAFF, "bericht.ask_slot", slot=name, kind=words.text(STAFF, f"cli.slot.{kind.value}")
    )
    if example is not None:
        question += " " + words.text(STAFF, "bericht.example", example=example)
    return question


def findings_keyboard(deps: Deps, token: str) -> InlineKeyboardMarkup:
    words = deps.words
    return keyboard(
        [
            [(words.text(STAFF, "bericht.go_on_button"), data(token, "g"))],
            [(words.text(STAFF, "bericht.change_button"), data(token, "e"))],
            cancel_row(deps, token),
        ]
    )


def answers_text(deps: Deps, answers: Sequence[str]) -> str:
    return " / ".join(deps.words.text(STAFF, f"answer.{a}") for a in answers)


# Own words may become a slip on the phone: one tap for the answer buttons parents get (the
# desk and `oudersbot send --answers` choose any 2 to 5).
ANSWER_SETS: tuple[tuple[str, ...], ...] = (
    ("yes", "no"),
    ("coming", "not_coming"),
    ("allowed", "not_allowed"),
    ("yes", "no", "question"),
)


def answers_keyboard(deps: Deps, token: str) -> InlineKeyboardMarkup:
    """'No, a plain message' first, then each set of answers (index + 1), one a row."""
    plain = (deps.words.text(STAFF, "bericht.no_answers_button"), data(token, "a", 0))
    rows = [
        [(answers_text(deps, answers), data(token, "a", index))]
        for index, answers in enumerate(ANSWER_SETS, start=1)
    ]
    return keyboard([[plain], *rows, cancel_row(deps, token)])


def deadline_question(deps: Deps, answers: Sequence[str], today: dt.date) -> str:
    example = f"{(today + dt.timedelta(days=3)).isoformat()} 18:00"
    return deps.words.text(
        STAFF, "bericht.ask_deadline", answers=answers_text(deps, answers), example=example
    )


def deadline_keyboard(deps: Deps, token: str, choices: Sequence[int]) -> InlineKeyboardMarkup:
    rows = [
        [(deps.words.text(STAFF, "bericht.deadline_button", days=days), data(token, "d", days))]
        for days in choices
    ]
    return keyboard([*rows, cancel_row(deps, token)])


def preview_messages(deps: Deps, draft: Draft) -> list[str]:
    """Every language version as parents will read it, under a header with how many parents
    get it and where its words come from; packed into messages of at most 4096 characters."""
    counts = families_per_language(draft)
    blocks: list[list[str]] = []
    for language, version in draft.versions.items():
        origin = deps.words.text(STAFF, f"cli.send.origin.{version.origin}")
        if version.status:
            origin += ", " + deps.words.text(STAFF, f"cli.send.status.{version.status}")
        header = deps.words.text(
            STAFF,
            "cli.send.preview_header",
            language=dutch_name(language),
            count=counts.get(language, 0),
            origin=origin,
        )
        first, *rest = version.parts or ("",)
        blocks.append([f"<b>{html.escape(header)}</b>", first])
        blocks.extend([part] for part in rest)
    return pack(blocks)


def pack(groups: Sequence[Sequence[str]], limit: int = TEXT_LIMIT) -> list[str]:
    """Blocks joined by blank lines into as few messages as fit under the limit. A group (a
    header and its text) that does not fit after the blocks before it starts a new message."""
    messages: list[str] = []
    current = ""

    def add(block: str) -> None:
        nonlocal current
        joined = f"{current}\n\n{block}" if current else block
        if visible_length(joined) <= limit:
            current = joined
            return
        if current:
            messages.append(current)
        current = block

    for group in groups:
        whole = "\n\n".join(group)
        if current and visible_length(f"{current}\n\n{whole}") > limit:
            messages.append(current)
            current = ""
        for block in group:
            add(block)
    if current:
        messages.append(current)
    return messages


def send_question(
    deps: Deps, draft: Draft, planned: dt.datetime | None, *, sees_phones: bool
) -> str:
    """Under the preview: the languages' summary, who will not get it, and when it goes."""
    words = deps.words
    joined = len(draft.recipients) - len(draft.not_joined)
    lines = [*language_lines(words, draft.versions)]
    if draft.answers and draft.deadline is not None:
        answers = answers_text(deps, draft.answers)
        deadline = staff_moment(deps, draft.deadline)
        lines.append(words.text(STAFF, "bericht.slip_summary", answers=answers, deadline=deadline))
    lines.append(words.text(STAFF, "bericht.reaches", count=joined, group=", ".join(draft.groups)))
    if draft.not_joined:
        lines.append(words.plural(STAFF, "cli.send.not_joined", len(draft.not_joined)))
        for r in draft.not_joined[:NAMES_SHOWN]:
            phone = f", {r.phone}" if sees_phones and r.phone else ""
            lines.append(f"- {clean(r.name)} ({clean(', '.join(r.children))}){phone}")
    if planned is None:
        lines.append(words.text(STAFF, "bericht.too_late"))
    elif planned > deps.clock.now():
        lines.append(words.text(STAFF, "bericht.waits", when=staff_moment(deps, planned)))
    else:
        lines.append(words.text(STAFF, "bericht.goes_now"))
    return "\n".join(line for line in lines if line)


def send_keyboard(deps: Deps, token: str, planned: dt.datetime | None) -> InlineKeyboardMarkup:
    """Send now (at the door's next allowed moment), urgent in the quiet hours, or plan."""
    words = deps.words
    rows: list[list[Button]] = []
    for choice in send_choices(deps.clock.now(), planned):
        if choice == SEND_NOW:
            rows.append([(words.text(STAFF, "bericht.send_now_button"), data(token, "n"))])
        elif choice == SEND_AT and planned is not None:
            when = staff_moment(deps, planned)
            label = words.text(STAFF, "bericht.send_at_button", when=when)
            rows.append([(label, data(token, "n"))])
        elif choice == SEND_URGENT:
            rows.append([(words.text(STAFF, "bericht.urgent_button"), data(token, "u"))])
        elif choice == SEND_PLAN:
            rows.append([(words.text(STAFF, "bericht.plan_button"), data(token, "p"))])
    return keyboard([*rows, cancel_row(deps, token)])


def plan_keyboard(deps: Deps, token: str, moments: Sequence[dt.datetime]) -> InlineKeyboardMarkup:
    rows = [[(staff_moment(deps, m), data(token, "w", i))] for i, m in enumerate(moments)]
    return keyboard([*rows, cancel_row(deps, token)])
