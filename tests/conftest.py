"Shared fixtures: the repository root and the tools of the environment that runs the tests."
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent  # the .venv's bin: nbdev-export, jupyter-book, loopbook


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
