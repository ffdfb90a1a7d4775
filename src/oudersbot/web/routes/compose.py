"""Nieuw bericht: a class and a template (with its pictogram) or own words; the slots as typed
fields (own words may tick 2 to 5 answers and become a slip, as `oudersbot send --answers`);
"Controleren" shows the plain-language findings (the spans marked, as `oudersbot check`
finds them) and the preview in every language of the class with its number of parents; a slip
asks its deadline; then send now, at the school's next allowed moment, urgent, or planned.

Nothing is kept between the steps but the form: every step checks the role and the class again
(services/staff_compose.py, the phone's /bericht's own), and so does the send. A class of
another teacher or school is not found (404). The door's dedupe (the same message to the same
class on the same day queues nothing twice) and one lock per process make a double submit send
once; both submits land on the same page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from oudersbot.domain.answers import ANSWER_OPTIONS, MAX_ANSWER_OPTIONS
from oudersbot.domain.languages import dutch_name, is_rtl
from oudersbot.domain.rendering import TEXT_LIMIT
from oudersbot.domain.slips import SlipError, parse_answers, parse_moment
from oudersbot.domain.slots import SlotError
from oudersbot.domain.time_rules import Urgency
from oudersbot.reports import clean
from oudersbot.services import messages, staff_compose
from oudersbot.services.check_lines import finding_lines, marked_segments
from oudersbot.services.language_overview import language_lines
from oudersbot.services.messages import DraftError
from oudersbot.services.problem_words import problem_words
from oudersbot.services.staff_compose import (
    ClassChoice,
    Composition,
    NotYourClassError,
    TemplateChoice,
)
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.forms import moment, number, send_lock
from oudersbot.web.pages import COMPOSE
from oudersbot.web.render import STAFF_LANGUAGE, deps_of, render

PAGE = COMPOSE
SLOT_PREFIX = "slot-"
URGENT = "dringend"
NOW = "nu"
ANSWER_FIELD = "antwoord"  # own words: each answer ticked, by its option key
NAMES_SHOWN = 20
_INPUT_TYPES = {"date": "date", "time": "time"}  # the browser's pickers give ISO values
PROBLEMS = (DraftError, SlotError, SlipError)


async def _class(request: Request, user: DeskUser, raw: object) -> ClassChoice:
    """One of the sender's classes, or 404."""
    group_id = number(raw)
    if group_id is None:
        raise HTTPException(status_code=404)
    try:
        return await run_in_threadpool(
            staff_compose.class_of, deps_of(request), user.viewer, group_id
        )
    except NotYourClassError as exc:
        raise HTTPException(status_code=404) from exc


def _template(request: Request, raw: object) -> TemplateChoice | None:
    """The chosen template; None for own words; 404 for an unknown one."""
    template_id = str(raw or "").strip()
    if not template_id:
        return None
    found = staff_compose.template_choice(deps_of(request), template_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


def _values(form: FormData, template: TemplateChoice | None) -> dict[str, str]:
    """What the sender typed: the slots (as `slot-<name>`), the text, the deadline, and for
    own words the answers ticked (option keys, comma-separated, as `--answers` takes them)."""
    values = {"tekst": str(form.get("tekst") or "")[: TEXT_LIMIT + 1]}
    values["tegen"] = str(form.get("tegen") or "").strip()[:40]
    ticked = [str(a).strip()[:20] for a in form.getlist(ANSWER_FIELD)[: len(ANSWER_OPTIONS)]]
    values[ANSWER_FIELD] = "" if template else ",".join(a for a in ticked if a)
    for name, _ in template.slots if template else ():
        values[SLOT_PREFIX + name] = str(form.get(SLOT_PREFIX + name) or "")[:400]
    return values


async def _posted(
    request: Request, user: DeskUser
) -> tuple[FormData, ClassChoice, TemplateChoice | None, dict[str, str]]:
    """A posted step: the form, the sender's class (or 404), the template and the values."""
    form = await request.form()
    group = await _class(request, user, form.get("klas"))
    template = _template(request, form.get("sjabloon"))
    return form, group, template, _values(form, template)


def _composition(
    request: Request, group: ClassChoice, template: TemplateChoice | None, values: Mapping[str, str]
) -> Composition:
    """The values as the services take them; SlipError for a deadline that does not read."""
    if template is None:
        # Own words with answers ticked are a slip (parse_answers: 2 to 5 known options).
        answers = parse_answers(values[ANSWER_FIELD]) if values[ANSWER_FIELD] else None
        deadline = _deadline(request, values) if answers else None
        return Composition(group.id, text=values["tekst"], answers=answers, deadline=deadline)
    slots = {name: values[SLOT_PREFIX + name] for name, _ in template.slots}
    deadline = _deadline(request, values) if template.slip else None
    return Composition(group.id, template.id, slots, deadline=deadline)


def _deadline(request: Request, values: Mapping[str, str]) -> dt.datetime:
    raw = values["tegen"] or ""
    if not raw:
        raise SlipError("no_deadline", "a slip needs a deadline")
    return parse_moment(raw, deps_of(request).settings.timezone)


def _default_deadline(request: Request) -> str:
    deps = deps_of(request)
    first = staff_compose.deadline_in(deps, staff_compose.DEADLINE_DAYS[0])
    return first.astimezone(deps.settings.timezone).strftime("%Y-%m-%dT%H:%M")


def _show(
    request: Request,
    user: DeskUser,
    group: ClassChoice,
    template: TemplateChoice | None,
    values: Mapping[str, str],
    *,
    checked: dict[str, Any] | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    deps = deps_of(request)
    today = deps.clock.now().astimezone(deps.settings.timezone).date()
    label = {a: deps.words.text(STAFF_LANGUAGE, f"answer.{a}") for a in ANSWER_OPTIONS}
    ticked = values.get(ANSWER_FIELD, "").split(",")
    answers = template.answers if template else tuple(a for a in ticked if a in label)
    return render(
        request,
        "compose_write.html",
        user=user,
        page=PAGE,
        status=status,
        group=group,
        chosen=template,
        values=values,
        slot_prefix=SLOT_PREFIX,
        input_types=_INPUT_TYPES,
        examples={"date": (today + dt.timedelta(days=7)).isoformat(), "amount": "12,50"},
        text_limit=TEXT_LIMIT,
        answers=", ".join(label[a] for a in answers),
        answer_field=ANSWER_FIELD,
        answer_options=[(a, label[a], a in answers) for a in ANSWER_OPTIONS],
        ticked=answers,
        max_answers=MAX_ANSWER_OPTIONS,
        checked=checked,
        problem=problem,
        urgent=URGENT,
        now_choice=NOW,
    )


def _checked(request: Request, user: DeskUser, composition: Composition) -> dict[str, Any]:
    """The findings, and when the draft can be made, its preview and the send choices."""
    deps = deps_of(request)
    words = deps.words
    text_nl, findings = staff_compose.text_findings(
        deps,
        template_id=composition.template_id,
        slots=composition.slots,
        text=composition.text,
    )
    lines = finding_lines(words, STAFF_LANGUAGE, text_nl, findings)
    found: dict[str, Any] = {
        "text": text_nl,
        "segments": marked_segments(text_nl, findings),
        "findings": list(zip(findings, lines, strict=False)),
        "summary": lines[-1],
    }
    try:
        draft = staff_compose.composed_draft(deps, user.viewer, composition)
    except PROBLEMS as exc:
        found["problem"] = problem_words(words, STAFF_LANGUAGE, exc)
        return found
    planned = messages.planned_moment(deps, draft)
    now = deps.clock.now()  # after: the door's moment is "now" when it may go at once
    counts = staff_compose.families_per_language(draft)
    cards = []
    for language, version in draft.versions.items():
        origin = words.text(STAFF_LANGUAGE, f"cli.send.origin.{version.origin}")
        if version.status:
            origin += ", " + words.text(STAFF_LANGUAGE, f"cli.send.status.{version.status}")
        cards.append(
            {
                "language": language,
                "name": dutch_name(language),
                "count": counts.get(language, 0),
                "origin": origin,
                "rtl": is_rtl(language) and version.origin != "none",
                # Telegram HTML as parents get it: render_html escaped every word in it.
                "parts": [Markup(part) for part in version.parts],  # noqa: S704
            }
        )
    found.update(
        draft=draft,
        cards=cards,
        languages=language_lines(words, draft.versions),
        joined=len(draft.recipients) - len(draft.not_joined),
        not_joined=[
            (
                clean(r.name),
                clean(", ".join(r.children)),
                r.phone if user.viewer.sees_phones else None,
            )
            for r in draft.not_joined[:NAMES_SHOWN]
        ],
        not_joined_count=len(draft.not_joined),
        planned=planned,
        goes_now=planned is not None and planned <= now,
        choices=staff_compose.send_choices(now, planned),
        moments=staff_compose.plan_moments(deps, draft),
        deadline_words=staff_compose.staff_moment(deps, draft.deadline) if draft.deadline else None,
        moment=lambda m: staff_compose.staff_moment(deps, m),
    )
    return found


@page(PAGE)
async def compose(request: Request, user: DeskUser) -> Response:
    """Step 1: which class, and which template or own words."""
    deps = deps_of(request)
    classes = await run_in_threadpool(staff_compose.sendable_classes, deps, user.viewer)
    params = request.query_params
    sent = number(params.get("verstuurd"))
    notice = None
    if sent is not None:
        words = deps.words
        if params.get("al") == "1":
            notice = words.text(STAFF_LANGUAGE, "bericht.duplicate", id=sent)
        else:
            count = number(params.get("aantal")) or 0
            notice = words.text(STAFF_LANGUAGE, "cli.send.queued", id=sent, count=count)
            due = moment(params.get("om"))
            if due is not None and due > deps.clock.now():
                when = staff_compose.staff_moment(deps, due)
                notice += " " + words.text(STAFF_LANGUAGE, "cli.send.goes_at", when=when)
            else:
                notice += " " + words.text(STAFF_LANGUAGE, "bericht.goes_now")
    return render(
        request,
        "compose.html",
        user=user,
        page=PAGE,
        classes=classes,
        templates=staff_compose.template_choices(deps),
        notice=notice,
    )


@page(PAGE)
async def write(request: Request, user: DeskUser) -> Response:
    """Step 2: the slots as typed fields (and a slip's deadline), or the own words."""
    params = request.query_params
    group = await _class(request, user, params.get("klas"))
    template = _template(request, params.get("sjabloon"))
    # Own words may become a slip: its deadline field waits, filled in, for answers ticked.
    values = {
        "tekst": "",
        "tegen": _default_deadline(request) if not template or template.slip else "",
        ANSWER_FIELD: "",
    }
    return _show(request, user, group, template, values)


@page(PAGE)
async def check(request: Request, user: DeskUser) -> Response:
    """Step 3: the findings with the spans marked, the preview per language, the send form."""
    _, group, template, values = await _posted(request, user)
    try:
        composition = _composition(request, group, template, values)
        checked = await run_in_threadpool(_checked, request, user, composition)
    except NotYourClassError as exc:
        raise HTTPException(status_code=404) from exc
    except PROBLEMS as exc:
        problem = problem_words(deps_of(request).words, STAFF_LANGUAGE, exc)
        return _show(request, user, group, template, values, problem=problem, status=400)
    return _show(request, user, group, template, values, checked=checked)


def _when(raw: str) -> tuple[Urgency, dt.datetime | None]:
    """The send button: now (or at the next allowed moment), urgent, or a planned moment."""
    if raw == URGENT:
        return Urgency.NOW, None
    if raw == NOW:
        return Urgency.NORMAL, None
    chosen = moment(raw)
    if chosen is None:
        raise DraftError("past", f"{raw!r} is not a moment")
    return Urgency.NORMAL, chosen


@page(PAGE)
async def send(request: Request, user: DeskUser) -> Response:
    """The send: role, class and draft checked anew; then to the slip's page, or back to
    Nieuw bericht with what was queued."""
    deps = deps_of(request)
    form, group, template, values = await _posted(request, user)
    try:
        composition = _composition(request, group, template, values)
        urgency, not_before = _when(str(form.get("wanneer") or ""))
        async with send_lock(request, "compose"):
            report = await run_in_threadpool(
                lambda: staff_compose.send_composed(
                    deps, user.viewer, composition, urgency=urgency, not_before=not_before
                )
            )
    except NotYourClassError as exc:
        raise HTTPException(status_code=404) from exc
    except PROBLEMS as exc:
        problem = problem_words(deps.words, STAFF_LANGUAGE, exc)
        return _show(request, user, group, template, values, problem=problem, status=400)
    if composition.deadline is not None:  # a slip (only a slip has a deadline)
        url = f"{request.url_for('slip', slip_id=report.message_id).path}"
    else:
        query = {"verstuurd": str(report.message_id), "aantal": str(report.queued)}
        if report.duplicate:
            query["al"] = "1"
        elif report.due is not None:
            query["om"] = report.due.isoformat()
        url = f"{request.url_for(PAGE.name).path}?{urlencode(query)}"
    return RedirectResponse(url, status_code=303)


ROUTES = [
    Route(PAGE.path, compose, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/opstellen", write, methods=["GET"], name="compose_write"),
    Route(PAGE.path + "/controleren", check, methods=["POST"], name="compose_check"),
    Route(PAGE.path + "/versturen", send, methods=["POST"], name="compose_send"),
]
