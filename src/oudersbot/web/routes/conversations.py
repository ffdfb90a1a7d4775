"""Gesprekken: the open conversations with parents, longest waiting first, scoped as the phone's
/gesprekken (a teacher the families of their classes, the brugfiguur and the administrator the
whole school); one conversation with both sides, each parent message in Dutch with the
original beside it; and a form to answer.

The answer goes through the same service as a Telegram reply (services/conversations.py):
the same role and class checks, translated to the parent's language, through the outbox's
door as a staff reply (quiet hours respected). A conversation of another school or class is
not found (404). Every form carries a one-time token that becomes the door's dedupe key, and
one lock per process holds the sends, so a double submit sends once; both land on the same
page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from oudersbot.conversation_reports import children_text, first_words, media_mark
from oudersbot.domain.languages import dutch_name, is_rtl
from oudersbot.services import conversation_list, conversations
from oudersbot.services.conversation_handled import Handled, mark_handled_on_desk
from oudersbot.services.conversation_list import ConversationPage, ThreadLine, WaitingItem
from oudersbot.services.web_login import DeskUser
from oudersbot.translation.conversation import is_dutch
from oudersbot.web.auth import page, refused
from oudersbot.web.forms import moment, number, send_lock
from oudersbot.web.pages import CONVERSATIONS
from oudersbot.web.render import STAFF_LANGUAGE, deps_of, render

PAGE = CONVERSATIONS
MAX_ANSWER = 4000  # a Telegram message holds 4096 characters; the translation may grow


@page(PAGE)
async def conversation_list_page(request: Request, user: DeskUser) -> Response:
    """The open conversations the viewer may see, longest waiting first."""
    deps = deps_of(request)
    found = await run_in_threadpool(conversation_list.waiting_list, deps, user.viewer)
    words = deps.words
    mark = words.text(STAFF_LANGUAGE, "conversation.not_translated_mark")

    def first(item: WaitingItem) -> tuple[str, bool]:
        """The first words in Dutch, and whether they are the untranslated original."""
        untranslated = bool(item.text) and item.dutch is None and not is_dutch(item.language)
        shown = first_words(words, STAFF_LANGUAGE, item)
        if untranslated:  # the page marks it itself, more visibly than the phone's "[...]"
            shown = shown.removeprefix(mark + " ")
        return shown, untranslated

    return render(
        request,
        "conversations.html",
        user=user,
        page=PAGE,
        items=found.items,
        first=first,
        answer_within=found.answer_within,
    )


def _line(request: Request, line: ThreadLine, parent_language: str) -> dict[str, Any]:
    """One message as the page shows it: the Dutch first, the other side's words beside it (a
    parent's original, or the translation of a staff answer the parent read)."""
    words = deps_of(request).words
    parent = line.direction == "parent"
    dutch_parent = parent and is_dutch(line.language)
    if parent:
        dutch = line.text if dutch_parent else line.translated
        other = None if dutch_parent else line.text
    else:
        dutch, other = line.text, line.translated
    return {
        "line": line,
        "parent": parent,
        "mark": media_mark(words, STAFF_LANGUAGE, line.kind),
        "dutch": dutch,
        "untranslated": parent and bool(line.text) and not dutch_parent and dutch is None,
        "other": other if other and other != dutch else None,
        "other_language": line.language if parent else parent_language,
        "rtl": is_rtl(line.language if parent else parent_language),
    }


def _notice(request: Request, found: ConversationPage) -> str | None:
    """What the answer just sent did: sent (translated or in Dutch), waits for the end of
    the quiet hours, sent before, or kept for a parent the bot cannot reach."""
    params = request.query_params
    deps = deps_of(request)
    words = deps.words
    if params.get("afgehandeld") == "1":
        return words.text(STAFF_LANGUAGE, "web.conversations.handled_notice")
    if params.get("verstuurd") != "1":
        return None
    if params.get("al") == "1":
        return words.text(STAFF_LANGUAGE, "web.conversations.duplicate")
    if params.get("onbereikbaar") == "1":
        return words.text(STAFF_LANGUAGE, "conversation.reply.problem.not_reachable")
    key = "conversation.reply.sent" if params.get("vertaald") == "1" else None
    notice = words.text(
        STAFF_LANGUAGE, key or "conversation.reply.sent_dutch", guardian=found.guardian
    )
    due = moment(params.get("om"))
    if due is not None and (due - deps.clock.now()).total_seconds() > 60:
        when = due.astimezone(deps.settings.timezone).strftime("%d/%m %H:%M")
        notice += " " + words.text(STAFF_LANGUAGE, "conversation.reply.waits", when=when)
    return notice


def _show(
    request: Request,
    user: DeskUser,
    found: ConversationPage,
    *,
    text: str = "",
    problem: str | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "conversation.html",
        user=user,
        page=PAGE,
        status=status,
        found=found,
        lines=[_line(request, line, found.language) for line in found.lines],
        children=children_text(found.children),
        language=dutch_name(found.language),
        notice=_notice(request, found) if problem is None else None,
        problem=problem,
        text=text,
        token=conversations.desk_token(),
        max_answer=MAX_ANSWER,
    )


async def _found(request: Request, user: DeskUser) -> ConversationPage:
    """The conversation of the address, if the viewer may see it; else 404."""
    conversation_id = number(request.path_params.get("conversation_id"))
    if conversation_id is None:
        raise HTTPException(status_code=404)
    found = await run_in_threadpool(
        lambda: conversation_list.conversation_page(
            deps_of(request), user.viewer, conversation_id=conversation_id
        )
    )
    if found is None:
        raise HTTPException(status_code=404)
    return found


@page(PAGE)
async def conversation(request: Request, user: DeskUser) -> Response:
    """One conversation, both sides, and the form to answer."""
    return _show(request, user, await _found(request, user))


@page(PAGE)
async def answer(request: Request, user: DeskUser) -> Response:
    """The answer: checked, translated and put through the door by the service; then back to
    the conversation with what happened."""
    deps = deps_of(request)
    found = await _found(request, user)
    form = await request.form()
    text = str(form.get("antwoord") or "").strip()
    token = str(form.get("token") or "")[:100]
    words = deps.words
    if not text:
        problem = words.text(STAFF_LANGUAGE, "web.conversations.empty")
        return _show(request, user, found, problem=problem, status=400)
    if len(text) > MAX_ANSWER:
        problem = words.text(STAFF_LANGUAGE, "web.conversations.too_long", limit=MAX_ANSWER)
        return _show(request, user, found, text=text, problem=problem, status=400)
    async with send_lock(request, "conversation"):
        result = await run_in_threadpool(
            lambda: conversations.answer_on_desk(
                deps,
                user.viewer,
                staff_id=user.staff_id,
                conversation_id=found.conversation_id,
                text=text,
                token=token,
            )
        )
    if result is None:
        raise HTTPException(status_code=404)
    if result.problem == "not_allowed":
        return refused(request, user, PAGE)
    if result.problem in ("bad_form", "not_a_question"):
        key = f"web.conversations.problem.{result.problem}"
        return _show(
            request, user, found, text=text, problem=words.text(STAFF_LANGUAGE, key), status=400
        )
    query = {"verstuurd": "1"}
    if result.duplicate:
        query["al"] = "1"
    elif result.problem == "not_reachable":
        query["onbereikbaar"] = "1"
    else:
        query["vertaald"] = "1" if result.translated else "0"
        if result.due is not None:
            query["om"] = result.due.isoformat()
    path = request.url_for("conversation", conversation_id=found.conversation_id).path
    return RedirectResponse(f"{path}?{urlencode(query)}", status_code=303)


@page(PAGE)
async def handled(request: Request, user: DeskUser) -> Response:
    """Mark the waiting question handled without an answer (the parent only told the school
    something); then back to the conversation. Marked before (a double click): the same page."""
    conversation_id = number(request.path_params.get("conversation_id"))
    result = None
    if conversation_id is not None:  # the service finds it for the viewer, or not (404)
        result = await run_in_threadpool(
            lambda: mark_handled_on_desk(
                deps_of(request), user.viewer, conversation_id=conversation_id
            )
        )
    if result is None:
        raise HTTPException(status_code=404)
    if result == Handled.NOT_ALLOWED:
        return refused(request, user, PAGE)
    path = request.url_for("conversation", conversation_id=conversation_id).path
    query = "?afgehandeld=1" if result == Handled.DONE else ""
    return RedirectResponse(path + query, status_code=303)


ROUTES = [
    Route(PAGE.path, conversation_list_page, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/{conversation_id}", conversation, methods=["GET"], name="conversation"),
    Route(
        PAGE.path + "/{conversation_id}/antwoord",
        answer,
        methods=["POST"],
        name="conversation_answer",
    ),
    Route(
        PAGE.path + "/{conversation_id}/afgehandeld",
        handled,
        methods=["POST"],
        name="conversation_handled",
    ),
]
