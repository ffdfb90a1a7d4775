"""Vertalingen: per language the school's progress and the drafts beside the Dutch, to
approve ("Goedkeuren") or correct ("Opslaan"), with the bot's /vertalen rules, the second
reader included (services/desk_translations.py). A vertaler sees only their own languages
(another language is not found: 404); the administrator looks on without reviewing. Texts in
a right-to-left language carry dir="rtl" and their lang."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from oudersbot.domain.languages import dutch_name, is_rtl
from oudersbot.services import desk_translations
from oudersbot.services.desk_translations import NotFoundError
from oudersbot.services.translation_review import ReviewError, slot_names
from oudersbot.services.viewers import NotAllowedError
from oudersbot.services.web_login import DeskUser
from oudersbot.web.auth import page
from oudersbot.web.pages import TRANSLATIONS
from oudersbot.web.render import STAFF_LANGUAGE, deps_of, render

PAGE = TRANSLATIONS
DONE = {
    "approved": "web.translations.approved",
    "corrected": "web.translations.corrected",
    "waiting": "web.translations.waiting",
    "unchanged": "web.translations.unchanged",
}
SHOWN = 25  # drafts on the page at once: the first ones to do, then the next after those
PROBLEMS = {
    "empty": "review.empty",
    "slots": "review.slots",
    "too_long": "web.translations.too_long",
}


async def _show(
    request: Request,
    user: DeskUser,
    language: str | None,
    *,
    everything: bool = False,
    notice: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> Response:
    deps, viewer = deps_of(request), user.viewer

    def gather() -> dict[str, Any]:
        progress = desk_translations.progress(deps, viewer, staff_id=user.staff_id)
        chosen = language or (progress[0].language if progress else None)
        drafts = []
        if chosen is not None:
            drafts = desk_translations.drafts_of(
                deps, viewer, staff_id=user.staff_id, language=chosen, everything=everything
            )
        return {"progress": progress, "chosen": chosen, "drafts": drafts}

    try:
        found = await run_in_threadpool(gather)
    except NotFoundError as exc:
        raise HTTPException(status_code=404) from exc
    chosen = found["chosen"]
    return render(
        request,
        "translations.html",
        user=user,
        page=PAGE,
        status=status,
        everything=everything,
        may_review=desk_translations.may_review(viewer),
        shown=len(found["drafts"]) if everything else SHOWN,
        language_name=dutch_name,
        rtl=is_rtl(chosen) if chosen else False,
        urlencode=urlencode,
        notice=notice,
        problem=problem,
        **found,
    )


def _language(raw: object) -> str | None:
    text = str(raw or "").strip()
    return text[:35] or None


@page(PAGE)
async def translations(request: Request, user: DeskUser) -> Response:
    """The progress per language and the chosen language's drafts."""
    params = request.query_params
    return await _show(
        request, user, _language(params.get("taal")), everything=params.get("alles") == "1"
    )


@page(PAGE)
async def review(request: Request, user: DeskUser) -> Response:
    """Approve or save one draft; then the list again, with what happened."""
    deps = deps_of(request)
    form = await request.form()
    language = _language(form.get("taal"))
    ident = str(form.get("draft") or "")[:140]
    raw = form.get("tekst")
    text = str(raw).replace("\r\n", "\n") if raw is not None else None
    approve = form.get("actie") == "goedkeuren"
    everything = form.get("alles") == "1"
    if language is None:
        raise HTTPException(status_code=404)
    words = deps.words
    try:
        outcome = await run_in_threadpool(
            lambda: desk_translations.review(
                deps,
                user.viewer,
                staff_id=user.staff_id,
                language=language,
                ident=ident,
                text=text,
                approve=approve,
            )
        )
    except NotFoundError as exc:
        raise HTTPException(status_code=404) from exc
    except ReviewError as exc:
        if exc.code == "not_allowed":
            raise NotAllowedError(exc.code) from exc
        key = PROBLEMS.get(exc.code, "review.not_allowed")
        dutch = next(
            (d.item.dutch for d in await _drafts(request, user, language) if d.ident == ident), ""
        )
        problem = words.text(STAFF_LANGUAGE, key, slots=", ".join(sorted(slot_names(dutch))))
        return await _show(
            request, user, language, everything=everything, problem=problem, status=400
        )
    return await _show(
        request,
        user,
        language,
        everything=everything,
        notice=words.text(STAFF_LANGUAGE, DONE[outcome]),
    )


async def _drafts(
    request: Request, user: DeskUser, language: str
) -> list[desk_translations.DeskDraft]:
    deps = deps_of(request)
    return await run_in_threadpool(
        lambda: desk_translations.drafts_of(
            deps, user.viewer, staff_id=user.staff_id, language=language, everything=True
        )
    )


ROUTES = [
    Route(PAGE.path, translations, methods=["GET"], name=PAGE.name),
    Route(PAGE.path + "/nakijken", review, methods=["POST"], name="translations_review"),
]
