"""Build the book as `make book` does, and fail loudly.

Two steps. First every notebook whose code changed since it was last executed (all of them on a fresh clone, or
when the `loopbook` package changed) runs in a fresh kernel, `--jobs` at a time (`default_jobs`; each kernel's
torch gets its share of the cores), longest first, and lands in Jupyter Book's cache (`_build/.jupyter_cache`),
with one progress line per notebook. Then Jupyter Book renders the site to `_build/html` from that cache; a notebook
that failed in the first step runs once more there (a second chance for a rare kernel hang, and the source of its
error report).

The build prints which notebooks ran and how long each took, keeps its logs in `_build/book.log` and
`_build/kernels.log` and the times in `_build/book-times.json`, and exits non-zero, naming the notebook, the cell
and the report, when any notebook failed to execute: a failed assert is a claim of the book that no longer holds,
and a half-executed chapter must not pass as built.

The per-cell timeout only guards against a hung kernel. It is `execute.timeout` in `_config.yml` unless
`--timeout SECONDS` (`make book CELL_TIMEOUT=SECONDS`) overrides it; -1 means no limit.
"""
import argparse
import hashlib
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def toc_notebooks(source: Path = ROOT) -> list[Path]:
    "The notebooks the book's _toc.yml names, in reading order."
    toc, found = yaml.safe_load((source / "_toc.yml").read_text()), []
    def walk(node):
        if "file" in node: found.append(source / (re.sub(r"\.ipynb$", "", node["file"]) + ".ipynb"))
        for key in ("parts", "chapters", "sections"):
            for child in node.get(key, []): walk(child)
    walk({"file": toc["root"], **toc})
    return found


def package_digest(source: Path) -> str:
    "A hash of every file of the package the notebooks import (its code, data and shipped organisms)."
    h = hashlib.sha256()
    for f in sorted((source / "loopbook").rglob("*")) if (source / "loopbook").exists() else []:
        if f.is_file() and "__pycache__" not in f.parts: h.update(f.relative_to(source).as_posix().encode() + f.read_bytes())
    return h.hexdigest()


def default_jobs() -> int:
    """Notebooks to execute at once: on a CPU, one per core up to four, each kernel with one thread per job's share
    of the cores (benchmarks/parallel_kernels.py: on two cores, two one-thread kernels do 1.6× the generation work of
    one two-thread kernel, two two-thread kernels 0.4×); with a GPU or a real model, one, so that two kernels never
    hold a large model at the same time."""
    if os.environ.get("LOOPBOOK_MODEL") or shutil.which("nvidia-smi") and \
            subprocess.run(["nvidia-smi", "-L"], capture_output=True).returncode == 0: return 1
    return max(1, min(4, os.cpu_count() or 1))


def _execute(path: str, name: str, timeout: int, threads: int, log: str):
    "In a worker process: execute one notebook as Jupyter Book would; (executed notebook, seconds, error or None)."
    from jupyter_cache.executors.utils import single_nb_execution
    print(f"  {name}: executing ...", flush=True)
    os.environ.update(OMP_NUM_THREADS=str(threads), MKL_NUM_THREADS=str(threads))   # the kernel inherits these
    with open(log, "a") as f: os.dup2(f.fileno(), 2)   # the kernels' own chatter goes to the log, not the screen
    nb = nbformat.read(path, as_version=4)
    result = single_nb_execution(nb, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                 meta_override=True)
    return nb, result.time, (result.exc_string or str(result.err)) if result.err else None


def execute(source: Path, timeout: int, jobs: int, times: dict, rerun_all: bool = False) -> dict:
    "Execute the notebooks that the cache lacks (every one if `rerun_all`), `jobs` at a time; their times, by name."
    from jupyter_cache import get_cache
    from jupyter_cache.cache.main import CacheBundleIn
    cache = get_cache(source / "_build" / ".jupyter_cache")
    if rerun_all: cache.clear_cache()
    todo = []
    for path in toc_notebooks(source):
        try: cache.match_cache_notebook(nbformat.read(path, as_version=4))
        except KeyError: todo.append(path)
    name = lambda p: p.relative_to(source).with_suffix("").as_posix()
    times |= {name(p): "cached" for p in toc_notebooks(source) if p not in todo}
    # Longest first, so that no long notebook starts last: the time its last cached version took, else a guess, the
    # amount of code that is not a definition (what a chapter runs, what an API notebook tests).
    known = {Path(r.uri): r.data.get("execution_seconds", 0) for r in cache.list_cache_records()}
    code = lambda p: sum(len(c.source) for c in nbformat.read(p, as_version=4).cells
                         if c.cell_type == "code" and not c.source.startswith("#| export"))
    todo.sort(key=lambda p: (p in known, known.get(p, 0), code(p)), reverse=True)
    cached = len(toc_notebooks(source)) - len(todo)
    threads = max(1, (os.cpu_count() or 1) // jobs)
    if not todo: print(f"all {cached} notebooks are unchanged since they last ran: taken from the cache", flush=True)
    else: print(f"executing {len(todo)} notebook(s), {jobs} at a time with {threads} thread(s) each"
                f"{f'; {cached} unchanged, taken from the cache' if cached else ''}", flush=True)
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
        log = source / "_build" / "kernels.log"
        running = {pool.submit(_execute, str(p), name(p), timeout, threads, str(log)): p for p in todo}
        for done, future in enumerate(as_completed(running), 1):
            path = running[future]
            nb, seconds, error = future.result()
            if error:
                times[name(path)] = f"failed after {seconds:.0f} s"
                print(f"  [{done}/{len(todo)}] {name(path)}: FAILED after {seconds:.0f} s (it runs once more below)",
                      flush=True)
            else:
                cache.cache_notebook_bundle(CacheBundleIn(nb, str(path), data={"execution_seconds": seconds}),
                                            check_validity=False, overwrite=True)
                times[name(path)] = round(seconds, 1)
                print(f"  [{done}/{len(todo)}] {name(path)}: executed in {seconds:.0f} s", flush=True)
    return times


def failed_cell(notebook: Path, report: str) -> str:
    "Which code cell of `notebook` the error report `report` is about, e.g. 'code cell 14 of 30'."
    m = re.search(r"following cell:\n-+\n(.*?)\n-+\n", report, re.S) or \
        re.search(r"preview of the cell contents:\n-+\n(.*?)\n-+", report, re.S)
    if not m: return "an unknown cell"
    shown = [line for line in m.group(1).strip().splitlines() if line.strip() not in ("", "...")]
    code = [c for c in nbformat.read(notebook, as_version=4).cells if c.cell_type == "code"]
    for i, cell in enumerate(code, 1):
        if shown and all(line in cell.source for line in shown): return f"code cell {i} of {len(code)}"
    return "an unknown cell"


def failures(source: Path = ROOT) -> list[str]:
    "One line per notebook that failed to execute in the last build of `source`: notebook, cell, error, report."
    lines, reports = [], source / "_build" / "html" / "reports"
    for report in sorted(reports.rglob("*.err.log")) if reports.exists() else []:
        name = report.relative_to(reports).as_posix().removesuffix(".err.log")
        text = ANSI.sub("", report.read_text(errors="replace"))
        errors = re.findall(r"^(?:[\w.]+\.)?(\w+(?:Error|Exception|Interrupt)\b.*)$", text, re.M)
        error = errors[-1].strip() if errors else "unknown error"
        cell = failed_cell(source / f"{name}.ipynb", text)
        lines.append(f"{name}.ipynb, {cell}: {error[:200]}\n    report: {report.relative_to(source)}")
    return lines


def render(source: Path, config: Path, fresh: bool, times: dict) -> int:
    "Run `jupyter-book build`, logging to _build/book.log; a line for each notebook it executes itself."
    cmd = [Path(sys.executable).parent / "jupyter-book", "build", source, "--config", config, *(["--all"] * fresh)]
    running = None   # (notebook, start time) while one executes

    def stop_running():
        "A notebook that began executing and printed no 'Executed' line before the next one began has failed."
        nonlocal running
        if running and not isinstance(times.get(running[0]), float):
            times[running[0]] = f"failed after {time.time() - running[1]:.0f} s"
            print(f"  {running[0]}: FAILED again after {time.time() - running[1]:.0f} s", flush=True)
        running = None

    print("rendering the site", flush=True)
    with open(source / "_build" / "book.log", "w") as log, subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=os.environ | {"PYTHONUNBUFFERED": "1"}) as proc:
        for line in proc.stdout:
            log.write(line)
            plain = ANSI.sub("", line)
            m = re.match(r"(\S+)\.ipynb: (Executing notebook using|Executed notebook in ([\d.]+))", plain)
            if "reading sources..." in plain or m and m.group(2).startswith("Executing"): stop_running()
            if not m: continue
            name = Path(m.group(1)).resolve().relative_to(source).as_posix()
            if m.group(3):
                times[name] = float(m.group(3))
                print(f"  {name}: executed in {times[name]:.0f} s", flush=True)
            else:
                running = (name, time.time())
                print(f"  {name}: executing ...", flush=True)
        stop_running()
    return proc.returncode


def build(source: Path = ROOT, timeout: int | None = None, jobs: int | None = None) -> int:
    "Build the book in `source` with progress lines; return the exit status, non-zero if any notebook failed."
    build_dir, t0 = source / "_build", time.time()
    config = yaml.safe_load((source / "_config.yml").read_text())
    if timeout is not None: config["execute"]["timeout"] = timeout
    timeout = config["execute"]["timeout"]
    jobs = jobs or default_jobs()
    build_dir.mkdir(exist_ok=True)
    (build_dir / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    shutil.rmtree(build_dir / "html" / "reports", ignore_errors=True)
    print(f"building the book; a cell may run {timeout} s before it counts as hung (make book CELL_TIMEOUT=...); "
          "full log in _build/book.log", flush=True)
    # Jupyter Book's cache knows a notebook's code, not the package it imports: when the package changed, every
    # notebook's results may have changed with it, so every notebook runs again.
    stamp, digest = build_dir / "package.sha256", package_digest(source)
    changed = stamp.read_text() != digest if stamp.exists() else (build_dir / ".jupyter_cache").exists()
    if changed: print("the loopbook package changed since the last build: every notebook runs again", flush=True)
    times = execute(source, timeout, jobs, {}, rerun_all=changed)
    stamp.write_text(digest)
    # After a failed build, or with new results, read every page afresh: Sphinx keeps pages whose source is unchanged.
    failed_before = build_dir / "book-failed.txt"
    status = render(source, build_dir / "_config.yml", failed_before.exists() or changed, times)
    (build_dir / "book-times.json").write_text(json.dumps(times, indent=1))
    executed = sum(t for t in times.values() if isinstance(t, float))
    print(f"built in {time.time() - t0:.0f} s ({executed:.0f} s of notebook execution)", flush=True)
    failed = failures(source)
    failed_before.write_text("\n".join(failed)) if failed else failed_before.unlink(missing_ok=True)
    if failed:
        print(f"\nBOOK BUILD FAILED: {len(failed)} notebook(s) did not execute to the end; their pages are incomplete.",
              *failed, sep="\n", file=sys.stderr)
        return 1
    if status: print(f"jupyter-book exited {status}; see _build/book.log", file=sys.stderr)
    else: print("open _build/html/index.html")
    return status


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--timeout", type=int, help="seconds a cell may run before it counts as hung (-1: no limit)")
    parser.add_argument("--jobs", type=int, help="notebooks executed at once (default: one per core, up to 4; 1 on a GPU)")
    parser.add_argument("--source", type=Path, default=ROOT, help="the book's folder (default: this repository)")
    args = parser.parse_args()
    sys.exit(build(args.source.resolve(), args.timeout, args.jobs))
