"""The desk's route modules, one per page (see ../README.md): each has `PAGE` (a
`pages.Page`, or None for the login pages) and `ROUTES` (Starlette routes)."""

from __future__ import annotations

from types import ModuleType

from oudersbot.web.routes import followup, login, slips, today

# Add a new page's module here; its menu entry (pages.NAV) becomes a link.
MODULES: tuple[ModuleType, ...] = (login, today, slips, followup)

from oudersbot.web.routes import prikkels, translations  # noqa: E402  (Prikkels, Vertalingen)

MODULES += (prikkels, translations)
