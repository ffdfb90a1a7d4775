"""The desk's route modules, one per page (see ../README.md): each has `PAGE` (a
`pages.Page`, or None for the login pages) and `ROUTES` (Starlette routes)."""

from __future__ import annotations

from types import ModuleType

from oudersbot.web.routes import (
    calendar,
    compose,
    conversations,
    followup,
    login,
    prikkels,
    roster,
    slips,
    today,
    translations,
)

# Add a new page's module here; its menu entry (pages.NAV) becomes a link.
MODULES: tuple[ModuleType, ...] = (
    login,
    today,
    compose,
    slips,
    conversations,
    followup,
    roster,
    calendar,
    prikkels,
    translations,
)
