"""What can be checked of the deployment files without a Docker engine.

compose.yaml is read with PyYAML (this machine has no compose plugin, and a test that cannot
run here would only skip); the Dockerfile installs from the same lock file as the Makefile; the
systemd unit runs `oudersbot run` as a plain user.
"""

from __future__ import annotations

import configparser
import re
import shlex
import tomllib
from typing import Any

import yaml

from oudersbot.settings import PROJECT_ROOT

LOCK = "requirements.lock"


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _pinned() -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / LOCK).read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith((" ", "#")):
            name, _, version = line.partition("==")
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    return pins


def _dockerfile_runs() -> list[str]:
    text = (PROJECT_ROOT / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    return [line for line in text.splitlines() if line and not line.startswith("#")]


def _compose() -> dict[str, Any]:
    with (PROJECT_ROOT / "compose.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def test_the_lock_pins_every_dependency_of_pyproject() -> None:
    project = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wanted = project["project"]["dependencies"] + project["project"]["optional-dependencies"]["dev"]
    missing = sorted({_name(r) for r in wanted} - set(_pinned()))
    assert missing == [], f"run `make lock`: {missing} not in {LOCK}"


def test_make_and_the_dockerfile_install_from_the_same_lock() -> None:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    make_installs = [line.strip() for line in makefile.splitlines() if "pip install" in line]
    assert f"$(BIN)/pip install --quiet -r {LOCK}" in make_installs
    assert "$(BIN)/pip install --quiet --no-deps --no-build-isolation -e ." in make_installs
    assert re.search(rf"^\$\(STAMP\):.*\b{re.escape(LOCK)}\b", makefile, re.MULTILINE)

    lines = _dockerfile_runs()
    copies = [shlex.split(line)[1:] for line in lines if line.startswith("COPY ")]
    assert [LOCK, "/tmp/" + LOCK] in copies
    installs = [cmd for line in lines for cmd in line.split("&&") if "pip install" in cmd]
    assert len(installs) == 1
    words = shlex.split(installs[0])
    assert words[words.index("--constraint") + 1] == "/tmp/" + LOCK
    assert words[-1] == "/wheels/oudersbot-*.whl"


def test_the_image_is_small_multi_stage_and_runs_as_a_plain_user() -> None:
    lines = _dockerfile_runs()
    stages = [line for line in lines if line.startswith("FROM ")]
    assert stages == ["FROM python:3.11-slim AS build", "FROM python:3.11-slim"]
    lock_header = (PROJECT_ROOT / LOCK).read_text(encoding="utf-8").splitlines()[1]
    assert "Python 3.11" in lock_header  # the image runs the Python the lock was made for
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users == ["oudersbot"]
    assert lines.index("USER oudersbot") > max(
        i for i, line in enumerate(lines) if line.startswith("RUN ")
    )
    assert 'VOLUME ["/data"]' in lines
    assert any("OUDERSBOT_DATA_DIR=/data" in line for line in lines)
    assert lines[-1] == 'CMD ["oudersbot", "run"]'


def test_the_docker_context_holds_what_the_dockerfile_copies() -> None:
    allowed = {
        line[1:].rstrip("/")
        for line in (PROJECT_ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.startswith("!")
    }
    copied = {
        source.rstrip("/")
        for line in _dockerfile_runs()
        if line.startswith("COPY ") and "--from=" not in line
        for source in shlex.split(line)[1:-1]
    }
    assert copied == allowed


def test_compose_runs_the_bot_after_a_healthy_postgresql_with_volumes() -> None:
    compose = _compose()
    services = compose["services"]
    assert set(services) == {"bot", "db"}
    bot, db = services["bot"], services["db"]
    assert bot["build"] == "."
    assert bot["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert "@db:5432/oudersbot" in bot["environment"]["DATABASE_URL"]
    assert bot["environment"]["OUDERSBOT_DATA_DIR"] == "/data"
    assert bot["volumes"] == ["bot-data:/data"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert db["volumes"] == ["db-data:/var/lib/postgresql/data"]
    assert set(compose["volumes"]) == {"bot-data", "db-data"}
    assert bot["env_file"] == [{"path": ".env", "required": False}]


def test_the_systemd_unit_runs_the_bot_as_a_plain_user_in_its_folder() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=True)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(PROJECT_ROOT / "deploy" / "oudersbot.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"] == "/opt/oudersbot/bin/oudersbot run"
    assert service["User"] == "oudersbot"
    assert service["EnvironmentFile"] == f"{service['WorkingDirectory']}/.env"
    assert service["ReadWritePaths"] == service["WorkingDirectory"]
    assert service["Restart"] == "on-failure"
    assert unit["Install"]["WantedBy"] == "multi-user.target"
