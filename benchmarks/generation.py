"""Generation against this machine's own limit.

Measures the fp32 matrix-product peak (one 2048 x 2048 product, best of 5, at 1 thread and at every thread), then
loopbook's greedy and sampled (`gemma`) generation on chapter 2's held-out split (long lists, phrasings 2-4, givens
0-3, the result cache off), at the full budget and with the chapters' early stop at a loop: generated tokens per second, the FLOP/s that achieves
from the model's own shapes (2 x (non-embedding parameters + unembedding) per token; attention over the context is
left out, a few percent at these lengths), and its ratio to the peak at the same thread count. Each run is a row
under its label in benchmarks/generation.json, so a change to generation is judged against the row before it:

    .venv/bin/python benchmarks/generation.py --label before [--model organism]
    .venv/bin/python benchmarks/generation.py --label after --same-as before

Each run keeps a hash of its records; `--same-as` fails unless the greedy records are identical to the named row's,
and gives each run's speed-up over it and whether its records are identical.
"""
import argparse
import hashlib
import json
import os
import platform
import time
from pathlib import Path

import torch

from loopbook import load_model
from loopbook.benchmark import TEMPLATES, list_prompts, tasks
from loopbook.generate import generate_records

OUT = Path(__file__).with_suffix(".json")


def matmul_peak(threads: int, n: int = 2048, repeats: int = 5) -> float:
    "The best fp32 GFLOP/s of one n x n product at `threads` threads."
    torch.set_num_threads(threads)
    a, b = torch.randn(n, n, generator=torch.Generator().manual_seed(0)), torch.randn(n, n)
    a @ b   # warm-up
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * n ** 3 / best / 1e9


def _timed(f) -> float:
    start = time.perf_counter(); f(); return time.perf_counter() - start


def flop_per_token(model) -> int:
    "2 x (parameters outside the embeddings + the unembedding matrix): one token's forward pass, attention left out."
    embed = model.get_input_embeddings()
    outside = sum(p.numel() for name, p in model.named_parameters() if "embed" not in name)
    return 2 * (outside + embed.weight.numel())


def heldout_split():
    "Chapter 2's held-out split: long lists, phrasings 2-4, givens 0-3."
    return [p for p in list_prompts(tasks("long"), givens=range(4)) if TEMPLATES.index(p.template) >= 2]


RUNS = {"greedy": ("greedy", False), "gemma": ("gemma", False),
        "greedy, early stop": ("greedy", True), "gemma, early stop": ("gemma", True)}


def measure(model, tokenizer, prompts, cfg: str, early_stop: bool, peak: float) -> dict:
    start = time.perf_counter()
    records = generate_records(model, tokenizer, prompts, cfg, early_stop=early_stop, progress=False, cache=False)
    seconds = time.perf_counter() - start
    tokens = sum(len(r["token_ids"]) for r in records)
    gflops = tokens * flop_per_token(model) / seconds / 1e9
    return dict(prompts=len(prompts), tokens=tokens, seconds=round(seconds, 2), tokens_per_s=round(tokens / seconds),
                gflops=round(gflops, 2), share_of_peak=round(gflops / peak, 4),
                looping=sum(r["verdict"]["looping"] for r in records), records_sha256=records_hash(records))


def records_hash(records) -> str:
    "SHA-256 of every record's prompt id, token ids and verdict: equal hashes, identical records."
    rows = [(r["prompt_id"], r["token_ids"], r["verdict"]) for r in records]
    return hashlib.sha256(json.dumps(rows, sort_keys=True).encode()).hexdigest()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--label", required=True, help="the row's name, e.g. before or after")
    ap.add_argument("--model", default="organism")
    ap.add_argument("--same-as", help="a row's label: fail unless the greedy records are identical to that row's")
    args = ap.parse_args(argv)
    cores = len(os.sched_getaffinity(0))
    peaks = {t: round(matmul_peak(t), 1) for t in sorted({1, cores})}
    torch.set_num_threads(cores)
    model, tokenizer = load_model(args.model, dtype=torch.float32)
    prompts = heldout_split()
    row = dict(label=args.label, model=args.model, machine=platform.processor() or platform.machine(), cores=cores,
               torch=torch.__version__, threads=cores, matmul_gflops=peaks, flop_per_token=flop_per_token(model),
               runs={run: measure(model, tokenizer, prompts, cfg, stop, peaks[cores]) for run, (cfg, stop) in RUNS.items()})
    log = json.loads(OUT.read_text()) if OUT.exists() else {"rows": []}
    if args.same_as:
        (ref,) = [r for r in log["rows"] if r["label"] == args.same_as]
        row["compared_to"] = args.same_as
        for run, new in row["runs"].items():
            if run not in ref["runs"]: continue
            new["speedup"] = round(new["tokens_per_s"] / ref["runs"][run]["tokens_per_s"], 2)
            new["identical"] = new["records_sha256"] == ref["runs"][run]["records_sha256"]
        if not all(new["identical"] for run, new in row["runs"].items() if run.startswith("greedy") and "identical" in new):
            raise SystemExit(f"greedy records differ from row {args.same_as!r}")
    log["rows"] = [r for r in log["rows"] if r["label"] != args.label] + [row]
    OUT.write_text(json.dumps(log, indent=1) + "\n")
    print(json.dumps(row, indent=1))


if __name__ == "__main__":
    main()
