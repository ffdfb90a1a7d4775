"""The built wheel in a fresh virtualenv: does `oudersbot` work from an empty folder, how fast?

Builds the wheel from a copy of the source, makes a new virtualenv, installs the wheel with its
dependencies pinned by requirements.lock (from the configured package index), then, from an
empty folder, runs `oudersbot migrate` and `oudersbot templates list` and times `oudersbot --help`.

Figures are printed, never asserted: speed is measured here, not in the tests.
Run: python -m benchmarks.install
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from oudersbot.settings import PROJECT_ROOT

ROUNDS = 5


def _timed(args: list[str], **kwargs: object) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)  # type: ignore[call-overload]
    return time.perf_counter() - started, done


def _clean_env() -> dict[str, str]:
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("OUDERSBOT_", "PYTHON", "VIRTUAL_ENV")) and key != "DATABASE_URL"
    }


def report() -> list[str]:
    """Build, install, run; one line per figure."""
    lines = ["install: the built wheel in a fresh virtualenv"]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        source = root / "source"
        source.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(PROJECT_ROOT / name, source / name)
        shutil.copytree(
            PROJECT_ROOT / "src",
            source / "src",
            ignore=shutil.ignore_patterns("__pycache__", "*.mo", "*.egg-info"),
        )
        seconds, built = _timed(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]
            + ["--wheel-dir", str(root / "dist"), str(source)]
        )
        if built.returncode:
            return [*lines, f"  building the wheel failed: {built.stderr.strip()[-500:]}"]
        (wheel,) = (root / "dist").glob("oudersbot-*.whl")
        lines.append(
            f"  wheel {wheel.name}: {wheel.stat().st_size / 1e6:.1f} MB, built in {seconds:.1f} s"
        )

        venv = root / "venv"
        seconds, made = _timed([sys.executable, "-m", "venv", str(venv)])
        pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
        lock = str(PROJECT_ROOT / "requirements.lock")
        more, installed = _timed([*pip, "--constraint", lock, str(wheel)])
        if made.returncode or installed.returncode:
            return [*lines, f"  installing failed: {(made.stderr + installed.stderr)[-500:]}"]
        lines.append(f"  fresh venv and install with the lock: {seconds + more:.1f} s")

        empty = root / "elsewhere"
        empty.mkdir()
        command = str(venv / "bin" / "oudersbot")
        env = _clean_env()
        made_db, migrated = _timed([command, "migrate"], cwd=empty, env=env)
        lines.append(
            f"  `oudersbot migrate` in an empty folder: exit {migrated.returncode}"
            f" ({made_db:.2f} s, creates var/oudersbot.sqlite3)"
        )
        first, listed = _timed([command, "templates", "list"], cwd=empty, env=env)
        lines.append(
            f"  `oudersbot templates list` then: exit {listed.returncode},"
            f" {len(listed.stdout.splitlines())} lines ({first:.2f} s)"
        )
        if listed.returncode:
            lines.append(f"    {listed.stderr.strip()[-500:]}")
        again = [_timed([command, "templates", "list"], cwd=empty, env=env)[0] for _ in range(3)]
        lines.append(f"  `oudersbot templates list` again: median {statistics.median(again):.2f} s")
        helps = []
        for _ in range(ROUNDS):
            seconds, shown = _timed([command, "--help"], cwd=empty, env=env)
            helps.append(seconds)
        lines.append(
            f"  `oudersbot --help`: median {statistics.median(helps):.2f} s,"
            f" min {min(helps):.2f} s over {ROUNDS} runs (exit {shown.returncode})"
        )
        seconds, _ = _timed(
            [str(venv / "bin" / "python"), "-c", "import oudersbot.cli"], cwd=empty, env=env
        )
        lines.append(f"  `import oudersbot.cli` alone: {seconds:.2f} s")
    return lines


if __name__ == "__main__":
    print("\n".join(report()))
