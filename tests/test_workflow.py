"""The GitHub Actions workflow that publishes the book is valid (actionlint) and builds it the way the README does.
It cannot run here: no runner, no network. actionlint checks its syntax, expressions, action inputs and permissions."""
import subprocess

import yaml

from conftest import BIN, ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "book.yml"


def test_workflow_lints():
    r = subprocess.run([BIN / "actionlint", "-no-color", WORKFLOW], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_workflow_builds_and_publishes_the_book():
    wf = yaml.safe_load(WORKFLOW.read_text())
    trigger = wf.get("on", wf.get(True))            # YAML 1.1 reads a bare `on` key as true
    assert trigger["push"]["branches"] == ["main"]
    steps = [s for job in wf["jobs"].values() for s in job.get("steps", [])]
    assert [s["run"].strip() for s in steps if "run" in s] == ["make book"]   # the README's command, nothing else
    uses = {s["uses"].split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/upload-pages-artifact"]["with"]["path"] == "_build/html"   # what `make book` renders
    assert "actions/deploy-pages" in uses and wf["permissions"]["pages"] == "write"


def test_make_book_is_the_readme_build():
    assert "make book" in (ROOT / "README.md").read_text() and "\nbook:" in (ROOT / "Makefile").read_text()
