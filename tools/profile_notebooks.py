"""Execute notebooks as the book build does (nbclient, a fresh kernel each, in the notebook's folder) and time
every cell: the slowest cells are where a chapter or an API notebook is worth making faster.

    .venv/bin/python tools/profile_notebooks.py                      # every notebook in _toc.yml, in order
    .venv/bin/python tools/profile_notebooks.py nbs/03_surgery.ipynb  # just these
    .venv/bin/python tools/profile_notebooks.py --save _build/executed nbs/06_amplification.ipynb   # keep the outputs

Writes `_build/profile.json` ({notebook: {"seconds": total, "cells": [[seconds, index, first line], ...]}}) and
prints each notebook's total and its slowest cells.
"""
import argparse
import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from book import ROOT, toc_notebooks


def profile(path: Path, timeout: int = 3600, save: Path | None = None) -> dict:
    "Execute one notebook; its total and per-cell seconds. With `save`, write the executed notebook into that folder."
    nb = nbformat.read(path, as_version=4)
    cells, started = [], {}
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": path.parent}})
    client.on_cell_execute = lambda cell, cell_index: started.__setitem__(cell_index, time.time())
    client.on_cell_executed = lambda cell, cell_index, execute_reply: cells.append(
        [round(time.time() - started[cell_index], 1), cell_index, (cell.source.splitlines() or [""])[0][:80]])
    t0 = time.time()
    try: client.execute()
    finally:
        if save: save.mkdir(parents=True, exist_ok=True); nbformat.write(nb, save / path.name)
    return {"seconds": round(time.time() - t0, 1), "cells": sorted(cells, reverse=True)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in _toc.yml")
    parser.add_argument("--top", type=int, default=5, help="slowest cells to print per notebook")
    parser.add_argument("--save", type=Path, help="write each executed notebook (with its outputs) into this folder")
    args = parser.parse_args()
    out = ROOT / "_build" / "profile.json"
    out.parent.mkdir(exist_ok=True)
    result = {}
    for path in [p.resolve() for p in args.notebooks] or toc_notebooks():
        name = path.relative_to(ROOT).as_posix()
        result[name] = profile(path, save=args.save)
        print(f"{name}: {result[name]['seconds']:.0f} s", flush=True)
        for s, i, first in result[name]["cells"][:args.top]:
            if s >= 1: print(f"   {s:7.1f} s  cell {i:>3}  {first}", flush=True)
        out.write_text(json.dumps(result, indent=1))
    print(f"total {sum(r['seconds'] for r in result.values()):.0f} s; per cell in {out.relative_to(ROOT)}")
