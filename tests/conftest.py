"Shared fixtures: the repository root and the tools of the environment that runs the tests."
import json
import shutil
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the .venv's bin: nbdev-export, jupyter-book, loopbook


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


IGNORE = shutil.ignore_patterns(".venv", "_build", "build", ".git", "__pycache__", "*.egg-info", ".hypothesis",
                                ".loopbook-cache")


def copy_repo(dest: Path) -> Path:
    "A copy of the working tree without environments, builds or caches."
    shutil.copytree(ROOT, dest, ignore=IGNORE)
    return dest


STARTED = time.time()


def pytest_terminal_summary(terminalreporter):
    "After the tests: how long the book build the tests ran took per notebook (the slowest first)."
    times = ROOT / "_build" / "book-times.json"
    if not times.exists() or times.stat().st_mtime < STARTED: return
    terminalreporter.section("book build: seconds per notebook")
    rows = sorted(json.loads(times.read_text()).items(), key=lambda kv: -kv[1] if isinstance(kv[1], float) else 0)
    for name, t in rows: terminalreporter.write_line(f"{t:>8.0f}  {name}" if isinstance(t, float) else f"{t:>8}  {name}")
