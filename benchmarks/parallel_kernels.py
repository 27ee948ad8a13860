"""How many notebooks `make book` should run at once: kernels × threads on a fixed generation workload.

Each worker generates chapter 2's held-out split (long lists, phrasings 2–4, 0–7 given items) greedily with
`generate_records`. Compared: one worker with every core's thread, one worker with one thread, and as many workers as
cores side by side with one thread each, or with every core's thread each (oversubscribed). Throughput is workloads
per second relative to the first. `tools/book.py`'s `default_jobs` follows this result. Usage:

    .venv/bin/python benchmarks/parallel_kernels.py [--model organism] [--json benchmarks/parallel_kernels.json]
"""
import argparse
import json
import os
import subprocess
import sys
import time


def worker(model_name: str, threads: int) -> None:
    "Time one workload in this process with `threads` torch threads; print the seconds."
    import torch
    torch.set_num_threads(threads)
    from loopbook import load_model
    from loopbook.benchmark import TEMPLATES, list_prompts, tasks
    from loopbook.generate import generate_records
    model, tokenizer = load_model(model_name, dtype=torch.float32)
    prompts = [p for p in list_prompts(tasks("long"), givens=range(8)) if TEMPLATES.index(p.template) >= 2]
    start = time.perf_counter()
    generate_records(model, tokenizer, prompts, "greedy", progress=False, cache=False)  # timed
    print(json.dumps(dict(seconds=time.perf_counter() - start, prompts=len(prompts))))


def run(model_name: str, workers: int, threads: int) -> list[float]:
    "Start `workers` processes at once; the seconds each one's workload took."
    env = os.environ | {"OMP_NUM_THREADS": str(threads)}
    procs = [subprocess.Popen([sys.executable, __file__, "--model", model_name, "--worker", str(threads)],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
             for _ in range(workers)]
    return [json.loads(p.communicate()[0].strip().splitlines()[-1])["seconds"] for p in procs]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="organism")
    ap.add_argument("--json")
    ap.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker: return worker(args.model, args.worker)
    cores = os.cpu_count() or 1
    setups = {f"1 kernel × {cores} threads": (1, cores), "1 kernel × 1 thread": (1, 1),
              f"{cores} kernels × 1 thread": (cores, 1), f"{cores} kernels × {cores} threads": (cores, cores)}
    rows = {}
    for name, (workers, threads) in setups.items():
        seconds = run(args.model, workers, threads)
        rows[name] = dict(kernels=workers, threads=threads, seconds=[round(s, 1) for s in seconds],
                          workloads_per_second=round(workers / max(seconds), 4))
        print(name, rows[name], flush=True)
    base = next(iter(rows.values()))["workloads_per_second"]
    for r in rows.values(): r["throughput_vs_first"] = round(r["workloads_per_second"] / base, 2)
    result = dict(model=args.model, cores=cores, setups=rows)
    print(json.dumps(result, indent=1))
    if args.json: json.dump(result, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
