"The book builds, every _toc.yml entry renders, and the site works in a real headless Chromium."
import functools
import http.server
import os
import re
import shutil
import subprocess
import threading

import matplotlib.image
import pytest
import yaml

from conftest import BIN, ROOT

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


@pytest.fixture(scope="session")
def site():
    "Build the book as `make book` does (executing chapters, with the cache) and return the HTML folder."
    for attempt in range(2):  # one retry: a rare kernel hang ends in a cell timeout; the cache keeps what succeeded
        shutil.rmtree(SITE / "reports", ignore_errors=True)
        r = subprocess.run([BIN / "jupyter-book", "build", ROOT], capture_output=True, text=True)
        log = r.stdout + r.stderr
        failed = sorted(p.name for p in (SITE / "reports").glob("*.log")) if (SITE / "reports").exists() else []
        if r.returncode == 0 and "Execution Failed" not in log and not failed: break
    assert r.returncode == 0, log[-5000:]
    assert "Execution Failed" not in log and not failed, f"chapters failed to execute: {failed}\n{log[-5000:]}"
    return SITE


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


@pytest.mark.parametrize("entry", toc_entries()[:2], ids=["front-page", "first-chapter"])
def test_screenshot(served, tmp_path, entry):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = SCREENSHOTS / f"{entry.replace('/', '_')}.png"
    png.unlink(missing_ok=True)
    browse(tmp_path, f"--screenshot={png}", f"{served}/{entry}.html")
    pixels = matplotlib.image.imread(png)
    assert pixels.shape[:2] == (900, 1280)
    assert pixels.std() > 0.05, f"{png} is blank"
