"""Preparing a message (with a preview per language) and putting it in the outbox."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from babel.dates import format_datetime
from sqlalchemy.exc import IntegrityError

from oudersbot.bootstrap import Deps
from oudersbot.delivery.door import Content, SendKind
from oudersbot.domain.languages import (
    SOURCE_LANGUAGE,
    babel_locale_name,
    is_rtl,
    is_source_language,
    normalize,
)
from oudersbot.domain.pictograms import Category, Pictogram
from oudersbot.domain.plain_language import Finding, check
from oudersbot.domain.rendering import TEXT_LIMIT, MessageView, Version, render_html
from oudersbot.domain.slips import SlipError, check_deadline
from oudersbot.domain.slots import SlotValue, to_json
from oudersbot.domain.time_rules import Urgency
from oudersbot.services import speech, translation_review
from oudersbot.services.slip_answers import answer_buttons, plan_reminders
from oudersbot.services.understanding import understanding_row
from oudersbot.store.audience import Recipient, recipients_of_groups
from oudersbot.store.door import message_with_key
from oudersbot.store.models import Message, MessageKind
from oudersbot.store.schools import get_groups, get_school
from oudersbot.translation.memory import Translation

log = logging.getLogger(__name__)


class DraftError(ValueError):
    """The message cannot be made as asked (no text, unknown template, ...); `code` and
    `params` name the staff words for it (`draft.<code>` in the catalog)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Draft:
    """A message with its audience and every language version; nothing stored yet."""

    school_id: int
    groups: tuple[str, ...]
    kind: MessageKind
    template_id: str | None
    slots: Mapping[str, str]
    text_nl: str
    pictogram: Pictogram
    category: Category
    recipients: tuple[Recipient, ...]
    versions: Mapping[str, Version]
    findings: tuple[Finding, ...] = ()
    answers: tuple[str, ...] = ()
    deadline: datetime | None = None

    @property
    def not_joined(self) -> list[Recipient]:
        """Guardians who will not get it because they have not joined the bot."""
        return [r for r in self.recipients if r.chat_id is None]


@dataclass(frozen=True)
class SendReport:
    """What went into the outbox."""

    message_id: int
    queued: int
    not_joined: list[Recipient] = field(default_factory=list)
    unreachable: list[Recipient] = field(default_factory=list)
    duplicate: bool = False  # the same message was already queued: nothing new went in
    due: datetime | None = None  # when the first copy goes out


def prepare_message(
    deps: Deps,
    *,
    school: str,
    groups: list[str],
    template_id: str | None = None,
    slots: Mapping[str, str] | None = None,
    text: str | None = None,
    picto: str | None = None,
    category: str | None = None,
    answers: tuple[str, ...] | None = None,
    deadline: datetime | None = None,
) -> Draft:
    """Fill the template or take the text, find the audience, render every language once.

    With answer options (given, or the template's own) the message is a slip and needs a
    deadline in the future."""
    values: dict[str, SlotValue] = {}
    template = None
    if template_id is not None:
        template = deps.phrasebook.templates.get(template_id)
        if template is None:
            raise DraftError(
                "unknown_template", f"unknown template {template_id!r}", template=template_id
            )
        values = template.parse_slots(slots or {})
        text_nl = template.fill(template.text_nl, values, SOURCE_LANGUAGE)
        pictogram = deps.phrasebook.pictograms.resolve(picto or template.pictogram)
        chosen = Category(category) if category else template.category
    else:
        if not text or not text.strip():
            raise DraftError("no_text", "a message needs a template or a text")
        text_nl = text.strip()
        if len(text_nl) > TEXT_LIMIT:
            raise DraftError(
                "too_long",
                f"the text has {len(text_nl)} characters; one message holds at most {TEXT_LIMIT}",
                count=len(text_nl),
                limit=TEXT_LIMIT,
            )
        pictogram = deps.phrasebook.pictograms.resolve(picto or "info")
        chosen = Category(category) if category else pictogram.category
    options = answers if answers is not None else (template.answers if template else ())
    if options:
        if deadline is None:
            raise SlipError("no_deadline", "a slip needs a deadline")
        check_deadline(deadline, deps.clock.now())
        chosen = Category.SLIP
    elif deadline is not None:
        raise SlipError("deadline_without_answers", "a deadline needs answer options")
    with deps.db.session() as session:
        school_row = get_school(session, slug=school)
        group_rows = get_groups(session, school_id=school_row.id, names=groups)
        recipients = recipients_of_groups(session, group_ids=[g.id for g in group_rows])
    if options and not recipients:
        raise SlipError("no_guardians", "nobody to answer: the classes have no guardians")
    languages = sorted({r.language for r in recipients} | {SOURCE_LANGUAGE})
    needs_machine = [
        lang
        for lang in languages
        if not is_source_language(lang) and (template is None or not template.wording_for(lang))
    ]
    machine = deps.memory.translate(school_id=school_row.id, text=text_nl, languages=needs_machine)
    wording = translation_review.for_school(
        deps, school_id=school_row.id, source=template, kind="template", item_id=template_id or ""
    )
    versions = {
        language: render_version(
            deps, language, text_nl, wording, values, pictogram, chosen, machine, deadline
        )
        for language in languages
    }
    return Draft(
        school_id=school_row.id,
        groups=tuple(groups),
        kind=MessageKind.SLIP if options else MessageKind.MESSAGE,
        template_id=template_id,
        slots={name: to_json(value) for name, value in values.items()},
        text_nl=text_nl,
        pictogram=pictogram,
        category=chosen,
        recipients=tuple(recipients),
        versions=versions,
        findings=tuple(check(text_nl, deps.lexicon, kind=pictogram.key)),
        answers=tuple(options),
        deadline=deadline,
    )


def preview_template(
    deps: Deps,
    template_id: str,
    *,
    languages: list[str],
    slots: Mapping[str, str] | None = None,
) -> dict[str, Version]:
    """A template as parents in each language will read it (phrasebook wordings only; a
    language without one shows the Dutch with the 'not translated' line)."""
    template = deps.phrasebook.templates.get(template_id)
    if template is None:
        raise DraftError(
            "unknown_template", f"unknown template {template_id!r}", template=template_id
        )
    values = template.parse_slots(slots or {})
    text_nl = template.fill(template.text_nl, values, SOURCE_LANGUAGE)
    pictogram = deps.phrasebook.pictograms.resolve(template.pictogram)
    return {
        language: render_version(
            deps, language, text_nl, template, values, pictogram, template.category, {}
        )
        for language in languages
    }


def render_version(
    deps: Deps,
    language: str,
    text_nl: str,
    template: Any,
    values: Mapping[str, SlotValue],
    pictogram: Pictogram,
    category: Category,
    machine: Mapping[str, Translation],
    deadline: datetime | None = None,
) -> Version:
    words = deps.words
    status = reason = None
    if is_source_language(language):
        body, note, origin, original = text_nl, None, "source", None
    else:
        wording = template.wording_for(language) if template is not None else None
        translated = machine.get(normalize(language))
        if wording is not None:
            body = template.fill(wording[1].text, values, language)
            status = wording[1].status
            # A draft nobody of the school reviewed yet says so: "conceptvertaling".
            key = "message.draft_translated" if status == "draft" else "message.translated"
            note, origin = words.text(language, key), "phrasebook"
        elif translated is not None and translated.text is not None:
            body = translated.text
            origin = translated.origin or "machine"
            trusted = translated.reviewed or origin == "human"
            status = "reviewed" if trusted else "machine"
            key = "message.translated" if trusted else "message.machine_translated"
            note = words.text(language, key)
        else:
            body, note, origin = text_nl, words.text(language, "message.no_translation"), "none"
            reason = translated.reason if translated is not None else None
        original = None if origin == "none" else text_nl
    if deadline is not None:
        local = deadline.astimezone(deps.settings.timezone)
        when = format_datetime(local, "EEEE d MMMM, HH:mm", locale=babel_locale_name(language))
        body = f"{body}\n\n{words.text(language, 'slip.answer_by', date=when)}"
    topic = None if pictogram.key in {c.value for c in Category} else f"picto.{pictogram.key}"
    view = MessageView(
        mark=category.mark,
        category_label=words.text(language, f"category.{category.value}"),
        symbol=pictogram.symbol,
        topic_label=words.text(language, topic) if topic else None,
        body=body,
        rtl=is_rtl(language) and origin != "none",
        translation_note=note,
        original_label=words.text(language, "message.original") if original else None,
        original=original,
    )
    return Version(language, origin, tuple(render_html(view)), status, reason)


def dedupe_key_of(draft: Draft, *, day: str, planned: datetime | None = None) -> str:
    """The same message to the same classes on the same day is one send: a retried command
    queues nothing twice."""
    content = json.dumps(
        [
            draft.text_nl,
            draft.template_id,
            dict(draft.slots),
            sorted(draft.groups),
            list(draft.answers),
            draft.deadline.isoformat() if draft.deadline else None,
            planned.isoformat() if planned else None,
            day,
        ],
        sort_keys=True,
        ensure_ascii=False,
    )
    return "staff:" + hashlib.sha256(content.encode()).hexdigest()[:40]


def content_of(draft: Draft, *, created_by: str | None) -> Content:
    """The draft as the outbox's door takes it."""
    return Content(
        kind=draft.kind,
        text_nl=draft.text_nl,
        pictogram=draft.pictogram.key,
        category=draft.category.value,
        versions=draft.versions,
        template_id=draft.template_id,
        slots=dict(draft.slots),
        audience={"groups": list(draft.groups)},
        created_by=created_by,
        answers=draft.answers,
        deadline=draft.deadline,
    )


def message_buttons(
    deps: Deps, draft: Draft, message_id: int, recipient: Recipient
) -> list[list[list[str]]]:
    """Every button row under a school message for one guardian: a slip's answers, then the
    small rows of every message ('Begrepen' / 'Uitleg graag', then 🔊 where the language has
    a voice)."""
    rows = answer_buttons(deps, message_id, draft.answers, recipient) if draft.answers else []
    rows.append(understanding_row(deps, message_id, recipient.language))
    return rows + speech.read_aloud_button(deps, message_id, recipient)


def send_message(
    deps: Deps,
    draft: Draft,
    *,
    created_by: str | None = None,
    urgency: Urgency = Urgency.NORMAL,
    not_before: datetime | None = None,
    again: bool = False,
) -> SendReport:
    """Put the message in the outbox through its door: stored with its versions and one
    delivery per guardian, due at the first moment the school's time rules allow (now when
    `urgency` is NOW). The same message to the same classes on the same day queues nothing twice,
    unless `again`."""
    now = deps.clock.now()
    key = None
    if not again:
        day = now.astimezone(deps.settings.timezone).date().isoformat()
        key = dedupe_key_of(draft, day=day, planned=not_before)
    kind = SendKind.SLIP if draft.answers else SendKind.MESSAGE
    try:
        return _put(deps, draft, created_by, urgency, not_before, key, kind)
    except IntegrityError:
        # Two sends of the same message at once (a double submit in two processes): the
        # other one queued it first, and the dedupe key's unique row refused this one.
        if key is None:
            raise
        with deps.db.session() as session:
            earlier = message_with_key(session, school_id=draft.school_id, key=key)
        if earlier is None:
            raise
        return SendReport(earlier, 0, duplicate=True)


def _put(
    deps: Deps,
    draft: Draft,
    created_by: str | None,
    urgency: Urgency,
    not_before: datetime | None,
    key: str | None,
    kind: SendKind,
) -> SendReport:
    with deps.db.session() as session:
        posted = deps.outbox.put(
            session,
            school_id=draft.school_id,
            content=content_of(draft, created_by=created_by),
            to=draft.recipients,
            kind=kind,
            not_before=not_before,
            urgency=urgency,
            latest=draft.deadline,
            dedupe_key=key,
            buttons=lambda message_id, r: message_buttons(deps, draft, message_id, r),
        )
        if draft.answers and draft.deadline is not None and not posted.duplicate:
            message = session.get(Message, posted.message_id)
            assert message is not None
            plan_reminders(session, deps, message, draft.deadline)
    if not posted.duplicate:  # parents who prefer to listen get the voice message with it
        speech.listen_along(
            deps,
            message_id=posted.message_id,
            recipients=draft.recipients,
            versions=draft.versions,
            urgency=urgency,
            not_before=posted.first_due,
            latest=draft.deadline,
        )
    return SendReport(
        posted.message_id,
        posted.queued,
        list(posted.not_joined),
        list(posted.unreachable),
        duplicate=posted.duplicate,
        due=posted.first_due,
    )


def planned_moment(
    deps: Deps,
    draft: Draft,
    *,
    urgency: Urgency = Urgency.NORMAL,
    not_before: datetime | None = None,
) -> datetime | None:
    """When the door would send this draft (the staff's preview), or None if not before its
    deadline."""
    with deps.db.session() as session:
        return deps.outbox.moment(
            session,
            school_id=draft.school_id,
            not_before=not_before,
            urgency=urgency,
            latest=draft.deadline,
        )
