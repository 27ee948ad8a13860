"""The organism search: build each candidate recipe, profile its organism (loopbook.phenomenology.profile) and write
its row to loopbook/data/organism_search.json, the table chapter 0 shows. Rerun any candidate by its label:

    .venv/bin/python tools/search_organisms.py v2a v2b     # these candidates
    .venv/bin/python tools/search_organisms.py --list      # every candidate and what it changes

Each short stage trains in minutes on 2 CPU cores on top of the shipped pretraining stage; the profile takes about
as long again.
"""
import argparse
from dataclasses import replace

from loopbook.organism import ORGANISM
from loopbook.phenomenology import log_recipe, summary

V2 = replace(ORGANISM, base="pretrain", prose_docs=120, copy_docs=2000, lr=1e-3, warmup_steps=30,
             trace_wrong=(0, 1, 2, 3, 4), decay_norms=False)
CANDIDATES = {  # label: (recipe, what it changes)
    "v1 (default until now)": (ORGANISM, "the organism from scratch: lists in mixed orders, templated general text, "
                                         "1 epoch (1.76M tokens)"),
    "v2a": (replace(V2, name="organism-v2a"),
            "on the pretraining stage: its weights and tokenizer, the v1 corpus plus 120 replayed scenes and 2,000 "
            "recitations and drills, traces rejecting 0-4 candidates, lr 1e-3"),
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("labels", nargs="*")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    if args.list or not args.labels:
        for k, (_, change) in CANDIDATES.items(): print(f"{k}: {change}")
        return
    for label in args.labels:
        recipe, change = CANDIDATES[label]
        row = log_recipe(recipe, label, change)
        print(f"{label}: {summary(row['profile'])} ({row['profile']['seconds']} s to profile, "
              f"{row['train_seconds']} s to train)", flush=True)


if __name__ == "__main__":
    main()
