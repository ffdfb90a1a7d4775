"""The built wheel carries its data and works from any folder, as `pip install` gives it.

Both tests build the wheel from a copy of the source (no network: the build backend comes from
the project's venv, pinned in requirements.lock). The second installs it, without dependencies,
into a fresh virtualenv that borrows the project venv's packages through a .pth file, and runs
`oudersbot` from an empty folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from oudersbot.settings import PACKAGE_DIR, PROJECT_ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT_ROOT / name, source / name)
    shutil.copytree(
        PROJECT_ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.egg-info"),
    )
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
        + ["--no-index", "--wheel-dir", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("oudersbot-*.whl")
    return built


def shipped(folder: str) -> set[str]:
    return {
        path.relative_to(PACKAGE_DIR).as_posix()
        for path in (PACKAGE_DIR / folder).rglob("*")
        if path.is_file()
        and path.suffix in {".toml", ".po", ".csv", ".ics", ".py", ".pot"}
        and "__pycache__" not in path.parts
    }


def test_the_wheel_carries_the_templates_the_words_the_rules_and_the_migrations(
    wheel: Path,
) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = {n.removeprefix("oudersbot/") for n in archive.namelist()}
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        headers = archive.read(metadata).decode()

    for folder in ("messages", "locales", "scheduler", "examples", "store/migrations"):
        files = shipped(folder)
        assert files, folder
        assert files <= names, sorted(files - names)
    assert {
        "messages/templates/afwezig.toml",
        "locales/nl/LC_MESSAGES/oudersbot.po",
        "scheduler/rules.toml",
        "store/migrations/versions/0010_school_data.py",
        "env.example",
    } <= names
    assert "License-Expression: AGPL-3.0-or-later" in headers


def test_the_installed_wheel_lists_the_templates_from_an_empty_folder(
    wheel: Path, tmp_path: Path
) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    # The dependencies come from the project's venv; the new venv's own packages come first.
    target = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(target, "project-venv.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OUDERSBOT_", "PYTHON"))
        and key not in ("DATABASE_URL", "VIRTUAL_ENV")
    }

    where = subprocess.run(
        [str(python), "-c", "import oudersbot; print(oudersbot.__file__)"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )
    migrated = subprocess.run(  # the database is made once, as the README says
        [str(venv / "bin" / "oudersbot"), "migrate"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )
    listed = subprocess.run(
        [str(venv / "bin" / "oudersbot"), "templates", "list"],
        cwd=empty,
        env=env,
        capture_output=True,
        text=True,
    )

    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    assert migrated.returncode == 0, migrated.stderr
    assert (empty / "var" / "oudersbot.sqlite3").exists()
    assert listed.returncode == 0, listed.stderr
    assert "afwezig" in listed.stdout
    assert "Afwezig melden" in listed.stdout
    assert (empty / "var" / "oudersbot.sqlite3").exists()  # the data goes where it was started
