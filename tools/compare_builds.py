"""Compare what two book builds showed: every executed notebook's outputs, cell by cell.

A refactor that should change nothing a reader sees is checked by building the book before and after (each build keeps
its executed notebooks in `_build/.jupyter_cache`) and comparing them:

    .venv/bin/python tools/compare_builds.py ../before/_build ../after/_build            # every notebook
    .venv/bin/python tools/compare_builds.py ../before/_build _build --only nbs/0        # the chapters

Outputs are compared after removing what differs between any two runs: progress bars and other stderr, times
("executed in 12.3 s", "took 4 minutes"), the build machine's paths and object addresses. Each notebook prints
`identical` or the cells whose outputs differ, with the first differing line of each; the exit code is the number of
notebooks that differ.
"""
import argparse
import difflib
import re
import sys
from pathlib import Path

from jupyter_cache import get_cache

VOLATILE = [
    (re.compile(r"\d+(\.\d+)?\s*(s|sec|seconds|min|minutes|ms)\b"), "<time>"),
    (re.compile(r"\b\d+:\d{2}(:\d{2})?\b"), "<clock>"),
    (re.compile(r"(/[\w.+-]+)+/(nbs|loopbook|_build|\.cache)\b[\w/.+-]*"), "<path>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<address>"),
    (re.compile(r"/tmp/[\w./-]+"), "<tmp>"),
    (re.compile(r"\d+(\.\d+)?\s*(it/s|s/it)"), "<rate>"),
]


def executed(build: Path) -> dict[str, object]:
    "The executed notebooks of a build, by their path relative to the repository (e.g. nbs/00_organisms.ipynb)."
    cache, out = get_cache(str(build / ".jupyter_cache")), {}
    for record in cache.list_cache_records():
        uri = Path(record.uri)
        key = str(uri.relative_to(uri.parents[len(uri.parts) - 1 - uri.parts.index("nbs")]))
        out[key] = cache.get_cache_bundle(record.pk).nb
    return out


def shown(cell) -> list[str]:
    "What a reader sees of a code cell's outputs, with the volatile parts replaced."
    lines = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and o.get("name") == "stderr": continue
        data = o.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data: continue   # a progress bar's widget
        text = o.get("text") or data.get("text/markdown") or data.get("text/html") or data.get("text/plain") or ""
        if "image/png" in data: text = f"<image {len(data['image/png']) // 1000} kB>\n" + str(text)
        if o.get("output_type") == "error": text = f"{o.get('ename')}: {o.get('evalue')}"
        text = "".join(text) if isinstance(text, list) else str(text)
        for pattern, repl in VOLATILE: text = pattern.sub(repl, text)
        lines += text.splitlines()
    return lines


def compare(a, b) -> list[str]:
    """One line per code cell whose shown outputs differ between notebooks `a` and `b`, with its differing lines. Cells
    are paired by their source, so a cell added or removed is reported as such and does not shift the others."""
    ca, cb = ([c for c in nb.cells if c.cell_type == "code"] for nb in (a, b))
    diffs = []
    matcher = difflib.SequenceMatcher(a=[c.source for c in ca], b=[c.source for c in cb], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal" or (op == "replace" and i2 - i1 == j2 - j1):
            pairs = zip(range(i1, i2), range(j1, j2))
        else:
            diffs += [f"  code cell {i} (before) removed or changed: {ca[i].source.splitlines()[0][:100] if ca[i].source else ''}" for i in range(i1, i2)]
            diffs += [f"  code cell {j} (after) added or changed: {cb[j].source.splitlines()[0][:100] if cb[j].source else ''}" for j in range(j1, j2)]
            continue
        for i, j in pairs:
            sx, sy = shown(ca[i]), shown(cb[j])
            if sx == sy: continue
            lines = [d for d in difflib.unified_diff(sx, sy, lineterm="", n=0) if d[:1] in "+-" and d[:3] not in ("---", "+++")]
            diffs.append(f"  code cell {j}{' (source changed)' if ca[i].source != cb[j].source else ''}:")
            diffs += [f"    {d[:200]}" for d in lines[:4]]
    return diffs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path, help="the first build's _build folder")
    ap.add_argument("after", type=Path, help="the second build's _build folder")
    ap.add_argument("--only", default="", help="compare only notebooks whose path starts with this")
    args = ap.parse_args(argv)
    a, b = executed(args.before), executed(args.after)
    names = sorted(n for n in set(a) | set(b) if n.startswith(args.only))
    differing = 0
    for n in names:
        if n not in a or n not in b:
            print(f"{n}: only in the {'second' if n in b else 'first'} build"); differing += 1; continue
        d = compare(a[n], b[n])
        print(f"{n}: {'identical' if not d else 'differs'}")
        for line in d: print(line)
        differing += bool(d)
    return differing


if __name__ == "__main__":
    sys.exit(main())
