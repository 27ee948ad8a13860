"""Run the chapters on another model: each must compute and report its verdict there, not fail.

    .venv/bin/python tools/chapters_on.py MODEL [--chapters 01 02 03 04 05 06] [--out _build/on]

MODEL is anything `LOOPBOOK_MODEL` takes: an organism's name or a checkpoint folder. Each chapter runs in a fresh
kernel with `LOOPBOOK_MODEL=MODEL`, as `make book` runs it (two at a time, one thread each; chapter 4 after chapter 3,
whose chosen edit it reads). The executed notebooks land in `OUT/<model>/`, and every verdict the chapters generated
(each displayed paragraph with a bold sentence) is collected in `OUT/<model>/verdicts.md`, with each chapter's time.
Chapter 3's edit file for MODEL is moved there too, so the source tree is left as it was. Chapter 5 runs both its
natural and its enumeration loops on MODEL, without the training axis unless MODEL is a pretraining stage; chapter 6
runs both its problems and its loop update on MODEL. Chapter 0
is about the organisms themselves and ignores `LOOPBOOK_MODEL`, so it is not run here. Exits non-zero when a chapter
fails.
"""
import argparse
import multiprocessing
import os
import re
import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
from book import ROOT, _execute  # noqa: E402  (tools/ is not a package)

from loopbook.edits import chosen_edits  # noqa: E402


def verdicts(nb) -> list[str]:
    "The markdown each code cell displayed that states a verdict (has a bold sentence), in order."
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            text = o.get("data", {}).get("text/markdown", "")
            if "**" in text: out.append(text.strip())
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", help="an organism's name or a checkpoint folder, as LOOPBOOK_MODEL takes")
    ap.add_argument("--chapters", nargs="+", default=["01", "02", "03", "04", "05", "06"], help="chapter numbers (default: 01 02 03 04 05 06)")
    ap.add_argument("--out", default=str(ROOT / "_build" / "on"), help="where the executed notebooks go")
    ap.add_argument("--timeout", type=int, default=3600, help="per-cell hang guard, seconds")
    args = ap.parse_args()
    paths = {c: next((ROOT / "nbs").glob(f"{c}_*.ipynb"), None) for c in args.chapters}
    if missing := [c for c, p in paths.items() if p is None]: sys.exit(f"no chapter notebook nbs/{missing[0]}_*.ipynb")
    out = Path(args.out) / re.sub(r"[^\w.-]+", "_", args.model).strip("_")
    out.mkdir(parents=True, exist_ok=True)
    os.environ["LOOPBOOK_MODEL"] = args.model     # the spawned workers, and their kernels, inherit it
    edit_file = ROOT / "nbs" / chosen_edits(args.model)
    had_edit_file = edit_file.exists()
    # chapter 4 reads chapter 3's edit: it runs in the second wave, after chapter 3 has finished
    waves = [[c for c in args.chapters if c != "04"], [c for c in args.chapters if c == "04"]]
    results, ctx = {}, multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool:
        for wave in waves:
            futures = {c: pool.submit(_execute, str(paths[c]), paths[c].stem, args.timeout, 1, str(out / "kernels.log"))
                       for c in wave}
            for c, f in futures.items():
                nb, seconds, error = f.result()
                nbformat.write(nb, out / paths[c].name)
                results[c] = (nb, seconds, error)
                print(f"{paths[c].stem}: {'FAILED' if error else 'passed'} in {seconds:.0f} s", flush=True)
    if edit_file.exists() and not had_edit_file: shutil.move(edit_file, out / edit_file.name)
    lines = [f"# The chapters on `{args.model}`\n"]
    for c, (nb, seconds, error) in results.items():
        lines.append(f"## {paths[c].stem}: {'FAILED' if error else 'passed'} in {seconds:.0f} s\n")
        lines += [error.strip()[-2000:] + "\n"] if error else [v + "\n" for v in verdicts(nb)]
    (out / "verdicts.md").write_text("\n".join(lines))
    print(f"verdicts: {out / 'verdicts.md'}")
    sys.exit(1 if any(e for _, _, e in results.values()) else 0)


if __name__ == "__main__":
    main()
