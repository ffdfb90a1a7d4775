"""Loading the vendored machine-readable Bot API spec (`spec/api.json`)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

SPEC_FILENAME = "api.json"


def vendored_spec_path() -> Path:
    """Return the path of the vendored `api.json` inside the package."""
    return Path(str(resources.files("oudersbot.simulator") / "spec" / SPEC_FILENAME))


@cache
def load_spec() -> dict[str, Any]:
    """Return the parsed vendored spec (cached: it is read once per process)."""
    with vendored_spec_path().open(encoding="utf-8") as handle:
        spec: dict[str, Any] = json.load(handle)
    return spec


def spec_version() -> str:
    """Return the Bot API version of the vendored spec, e.g. "Bot API 10.1"."""
    return str(load_spec()["version"])
