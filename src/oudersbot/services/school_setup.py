"""A school's starting configuration: a .env and its own copy of the templates and rules.

`oudersbot init` writes into one folder:

- `.env`: the shipped example with every setting, and the ones that name this folder filled in
  (the school, the data folder, the templates and the reminder rules);
- `messages/`: the templates, prikkels, pictograms and plain-language rules, to edit;
- `scheduler/`: the reminder rules (rules.toml, schools/) and the example year calendar.

Nothing already there is overwritten.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from oudersbot.settings import PACKAGE_DIR

ENV_EXAMPLE = PACKAGE_DIR / "env.example"
_SCHOOL = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class SetupError(Exception):
    """The starting configuration cannot be written as asked."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class StartingConfiguration:
    """What `write_starting_configuration` wrote."""

    env_file: Path
    data_dir: Path
    messages_dir: Path
    scheduler_dir: Path


def env_text(example: str, values: dict[str, str]) -> str:
    """The example with `KEY=` lines set to the values; keys it lacks are added at the end."""
    lines = example.splitlines()
    missing = dict(values)
    for number, line in enumerate(lines):
        key = line.partition("=")[0].strip()
        if not line.lstrip().startswith("#") and "=" in line and key in missing:
            lines[number] = f"{key}={missing.pop(key)}"
    if missing:
        lines.append("# Written by `oudersbot init` for this school.")
        lines.extend(f"{key}={value}" for key, value in missing.items())
    return "\n".join(lines) + "\n"


def write_starting_configuration(folder: Path, school: str) -> StartingConfiguration:
    """Write .env, messages/ and scheduler/ into the folder (made if needed)."""
    if not _SCHOOL.fullmatch(school):
        raise SetupError("bad_school", school=school)
    folder = folder.resolve()
    config = StartingConfiguration(
        env_file=folder / ".env",
        data_dir=folder / "data",
        messages_dir=folder / "messages",
        scheduler_dir=folder / "scheduler",
    )
    for path in (config.env_file, config.messages_dir, config.scheduler_dir):
        if path.exists():
            raise SetupError("exists", path=path)
    values = {
        "OUDERSBOT_SCHOOL": school,
        "OUDERSBOT_DATA_DIR": str(config.data_dir),
        "OUDERSBOT_MESSAGES_DIR": str(config.messages_dir),
        "OUDERSBOT_SCHEDULER_DIR": str(config.scheduler_dir),
    }
    try:
        config.data_dir.mkdir(parents=True, exist_ok=True)
        shutil.copytree(PACKAGE_DIR / "messages", config.messages_dir)
        shutil.copytree(PACKAGE_DIR / "scheduler", config.scheduler_dir)
        config.env_file.write_text(
            env_text(ENV_EXAMPLE.read_text(encoding="utf-8"), values), encoding="utf-8"
        )
    except OSError as exc:
        raise SetupError("unwritable", path=exc.filename or folder, error=exc.strerror) from exc
    return config
