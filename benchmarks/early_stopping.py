"""Loop-aware early stopping vs full-budget generation on the default greedy sweep.

Runs chapter 1's greedy sweep (every task × phrasing × given items) on a model twice, with early stopping on and
off, and reports whether every verdict is identical and the wall-time ratio. Usage:

    .venv/bin/python benchmarks/early_stopping.py [--model organism] [--json out.json]
"""
import argparse
import json
import time

import torch

from loopbook import load_model
from loopbook.benchmark import list_prompts, tasks
from loopbook.generate import generate_records

GIVENS = {"long": 8, "medium": 4, "short": 3}  # chapter 1's default sweep

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="organism")
    ap.add_argument("--json")
    args = ap.parse_args()
    model, tokenizer = load_model(args.model, dtype=torch.float32)
    prompts = [p for e in tasks("all") for p in list_prompts([e], givens=range(GIVENS[e.size]))]
    times, runs = {}, {}
    for early in (True, False):
        start = time.perf_counter()
        runs[early] = generate_records(model, tokenizer, prompts, "greedy", early_stop=early, cache=False)  # timed
        times[early] = time.perf_counter() - start
    same = sum(a["verdict"] == b["verdict"] for a, b in zip(runs[True], runs[False]))
    loops = sum(r["verdict"]["looping"] for r in runs[True])
    result = dict(model=args.model, prompts=len(prompts), looping=loops, identical_verdicts=same,
                  seconds_early=round(times[True], 1), seconds_full=round(times[False], 1),
                  ratio=round(times[False] / times[True], 2), torch_threads=torch.get_num_threads())
    print(json.dumps(result, indent=1))
    if args.json: json.dump(result, open(args.json, "w"), indent=1)
    assert same == len(prompts), "early stopping changed a verdict"

if __name__ == "__main__":
    main()
