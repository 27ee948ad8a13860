"Shared fixtures: the repository root and the tools of the environment that runs the tests."
import shutil
import sys
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
