"Shared fixtures: the repository root and the tools of the environment that runs the tests."
import json
import os
import shutil
import subprocess
import sys
import tempfile
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


class BookBuild:
    "`tools/book.py` (what `make book` runs) started in the background; `result()` waits for it."
    def __init__(self, source: Path = ROOT):
        self.log = tempfile.TemporaryFile("w+")
        self.proc = subprocess.Popen([BIN / "python", ROOT / "tools" / "book.py", "--source", source], text=True,
                                     stdout=self.log, stderr=subprocess.STDOUT)

    def result(self) -> subprocess.CompletedProcess:
        self.proc.wait()
        self.log.seek(0)
        return subprocess.CompletedProcess(self.proc.args, self.proc.returncode, self.log.read(), "")


BUILD: list[BookBuild] = []


@pytest.hookimpl(trylast=True)   # after -k and -m have deselected what they deselect
def pytest_collection_modifyitems(config, items):
    """The book build is most of `make test` and keeps both cores busy, so it starts as soon as the tests are
    collected and every test that does not need it runs meanwhile; the tests that read the built book run last. The
    tests meanwhile use their own empty organism cache, so they never race the build for a folder in the real one."""
    needs = [i for i in items if "book" in getattr(i, "fixturenames", ())]
    if not needs or config.option.collectonly: return
    items[:] = [i for i in items if i not in needs] + needs
    BUILD.append(BookBuild())
    os.environ["LOOPBOOK_CACHE"] = tempfile.mkdtemp(prefix="loopbook-test-cache-")


def pytest_terminal_summary(terminalreporter):
    "After the tests: how long the book build the tests ran took per notebook (the slowest first)."
    times = ROOT / "_build" / "book-times.json"
    if not times.exists() or times.stat().st_mtime < STARTED: return
    terminalreporter.section("book build: seconds per notebook")
    rows = sorted(json.loads(times.read_text()).items(), key=lambda kv: -kv[1] if isinstance(kv[1], float) else 0)
    for name, t in rows: terminalreporter.write_line(f"{t:>8.0f}  {name}" if isinstance(t, float) else f"{t:>8}  {name}")


def pytest_sessionfinish(session, exitstatus):
    "A build still running when the session ends (interrupted, or no test waited for it) is stopped."
    for b in BUILD:
        if b.proc.poll() is None: b.proc.terminate(); b.proc.wait()
