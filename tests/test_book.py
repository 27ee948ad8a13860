"""The book builds (and fails loudly when a notebook fails), every _toc.yml entry renders, and a real headless
Chromium shows a reader every cell's output, every computed table as a table, and every explorer's static view."""
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading

import matplotlib.image
import nbformat
import pytest
import yaml
from bs4 import BeautifulSoup
from jupyter_cache import get_cache

from conftest import BIN, BUILD, ROOT

SITE = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"


def toc_entries() -> list[str]:
    "Every file the book's _toc.yml names, root first."
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    files = [toc["root"]]
    def walk(node):
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []):
                if "file" in child: files.append(child["file"])
                walk(child)
    walk(toc)
    return [re.sub(r"\.(ipynb|md)$", "", f) for f in files]


sys.path.insert(0, str(ROOT / "tools"))
from book import failures  # noqa: E402  (tools/book.py is what `make book` runs)


def build_book(source=ROOT):
    "Build the book in `source` exactly as `make book` does."
    return subprocess.run([BIN / "python", ROOT / "tools" / "book.py", "--source", source], capture_output=True,
                          text=True)


@pytest.fixture(scope="session")
def book():
    """The book built once for every test here: each notebook executes once (changed ones only), with the cache. The
    build started in the background when the tests were collected (conftest.py); this waits for it."""
    r = BUILD[0].result() if BUILD else build_book()   # a failed notebook runs once more inside the build (a rare hang)
    print(r.stdout)
    return r


@pytest.fixture(scope="session")
def site(book):
    assert (SITE / "index.html").exists(), book.stdout[-3000:] + book.stderr[-5000:]
    return SITE


def test_book_builds(book):
    assert book.returncode == 0, book.stdout[-3000:] + book.stderr[-5000:]


@pytest.mark.parametrize("notebook", toc_entries())
def test_notebook_executes(book, notebook):
    "Every notebook, chapter or API, ran to its end in the build (the API notebooks' tests are their own cells)."
    failed = [line for line in failures(ROOT) if line.startswith(f"{notebook}.ipynb")]
    assert not failed, "\n".join(failed)
    status = json.loads((ROOT / "_build" / "book-times.json").read_text()).get(notebook)
    assert status == "cached" or isinstance(status, float), f"{notebook}: {status}"


def test_failed_notebook_fails_the_build(tmp_path):
    "A failed assert in a chapter makes the build exit non-zero, naming the notebook, the cell and the report."
    shutil.copy(ROOT / "_config.yml", tmp_path)
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: claim\n")
    for name, cells in {"index": ["# A book", "print('fine')"],
                        "claim": ["# A chapter", "x = 1", "assert x == 2, 'the claim no longer holds'", "print(x)"]}.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(cells[0])] +
                                      [nbformat.v4.new_code_cell(c) for c in cells[1:]])
        nb.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    for attempt in range(2):   # the second build must not pass on the pages the first one left behind
        r = build_book(tmp_path)
        assert r.returncode != 0, r.stdout
        assert "claim.ipynb, code cell 2 of 3: AssertionError: the claim no longer holds" in r.stderr, r.stderr
        assert "_build/html/reports/claim.err.log" in r.stderr and "claim: FAILED" in r.stdout


def test_every_toc_entry_rendered(site):
    for entry in toc_entries():
        page = site / f"{entry}.html"
        assert page.exists(), f"{entry} is in _toc.yml but {page} was not rendered"
        html = page.read_text()
        assert "<h1" in html, f"{page} has no title"
        assert "Traceback (most recent call last)" not in html, f"{page} shows a traceback"


def _chromium():
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        msg = "Debian's chromium is not installed: `make chromium` installs it"
        if os.environ.get("CI"): pytest.fail(msg)
        pytest.skip(msg)
    return exe


@pytest.fixture(scope="module")
def served(site):
    "The built site on a loopback HTTP server."
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def browse(tmp_path, *args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1280,900", "--virtual-time-budget=5000"]
    r = subprocess.run([_chromium(), *flags, *args], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-3000:]
    return r.stdout


def test_navigation_lists_every_chapter(served, tmp_path):
    dom = browse(tmp_path, "--dump-dom", f"{served}/{toc_entries()[0]}.html")
    nav = re.search(r'<nav[^>]*bd-docs-nav.*?</nav>', dom, re.S)
    assert nav, "the rendered front page has no navigation sidebar"
    for entry in toc_entries()[1:]:
        assert re.search(rf'href="[^"]*{re.escape(entry.split("/")[-1])}\.html"', nav.group(0)), \
            f"the navigation does not list {entry}"


CHAPTERS = [e for e in toc_entries() if not e.startswith("nbs/api/")]


@pytest.mark.parametrize("entry", CHAPTERS)
def test_screenshot(served, tmp_path, entry):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{entry.replace('/', '_')}.png"
    png.unlink(missing_ok=True)
    browse(tmp_path, f"--screenshot={png}", f"{served}/{entry}.html")
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (900, 1280)
    assert pixels.std() > 0.05, f"{png} is blank"


def rendered(data: dict) -> str:
    "The mime type the built page shows for an output's data (the priorities of _config.yml's html builder)."
    order = ["text/html", "application/vnd.jupyter.widget-view+json", "image/svg+xml", "image/png", "image/jpeg",
             "text/markdown", "text/latex", "text/plain"]
    return next((m for m in order if m in data), "")


# A pipe table's |---|---| line; on a page, smartquotes may have turned its dashes into — or –.
TABLE_RULE = re.compile(r"^\s*\|?\s*:?[-–—]{1,}:?\s*(\|\s*:?[-–—]{1,}:?\s*)+\|?\s*$", re.M)


@pytest.mark.parametrize("entry", toc_entries())
def test_reader_sees_every_output(served, tmp_path, entry):
    "Every output the executed notebook holds is on the page, computed tables are <table>s, explorers say what they are."
    cache = get_cache(ROOT / "_build" / ".jupyter_cache")   # the executed notebook the page was rendered from
    executed = cache.get_cache_bundle(cache.match_cache_notebook(nbformat.read(ROOT / f"{entry}.ipynb", 4)).pk).nb
    cells = [c for c in executed.cells if c.cell_type == "code" and c.outputs
             and not {"remove-output", "remove-cell"} & set(c.metadata.get("tags", []))]
    tables = sum(1 for c in cells for o in c.outputs
                 if rendered(o.get("data", {})) == "text/markdown" and TABLE_RULE.search(o.data["text/markdown"]))
    explorers = sum(1 for c in cells for o in c.outputs if 'class="loopbook-explorer"' in o.get("data", {}).get("text/html", ""))

    dom = BeautifulSoup(browse(tmp_path, "--dump-dom", f"{served}/{entry}.html"), "html.parser")
    outputs = dom.select("div.cell_output")
    assert len(outputs) == len(cells), f"{entry}: {len(cells)} cells have outputs, the page shows {len(outputs)}"
    for printed in dom.select("div.output.stream, div.output.stderr, div.output.text_plain"):
        printed.decompose()   # printed text may hold pipes of its own
    raw = [o.get_text()[:200] for o in outputs if TABLE_RULE.search(o.get_text())]
    assert not raw, f"{entry}: a computed table shows as raw pipes: {raw}"
    assert sum(len(o.select("table")) for o in outputs) >= tables, f"{entry}: {tables} computed tables, fewer <table>s"
    notes = [o for o in outputs if o.select_one("div.loopbook-explorer")]
    assert len(notes) == explorers, f"{entry}: {explorers} explorers, {len(notes)} static views on the page"
    for note in notes:
        assert "needs a live kernel" in note.get_text() and len(note.get_text()) > 120, note.get_text()[:300]
