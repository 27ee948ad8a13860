"""Draw uncommitted thoughts for hand-labelling the doom-loop detector: the default organism thinks about every fact
of chapter 4 (6 per list, seed 0) with 8 sampled generations (t0.7), each read at budgets 24, 32 and 48 tokens; of the
thoughts that have not committed and are not verbatim loops or collapses (the ones `outcome` hands to the doom-loop
detector), every one that names some candidate at least twice, and as many others drawn with seed 0, are written
unlabelled to the file given. A person then sets each "circles" to true or false (does the thought propose one
candidate on two separate occasions?), and `loopbook/data/doom_loop_labels.json` keeps the result.

    .venv/bin/python tools/sample_thoughts.py /tmp/thoughts.json
"""
import json
import random
import sys
from collections import Counter

from loopbook import load_model
from loopbook.benchmark import tasks
from loopbook.loops import detect_loop
from loopbook.thinking import facts, read, think, thinking_format


def main(out):
    model, tok = load_model("organism")
    fmt = thinking_format(tok)
    fs = facts(tasks("all"), per_list=6, seed=0)
    recs = think(model, tok, fs, 128, "t0.7", tuple(range(8)), batch_size=96)
    by_id, rows = {f.id: f for f in fs}, []
    for r in recs:
        f = by_id[r["fact"]]
        for b in (24, 32, 48):
            s = read(r, b, tok, fmt)
            if s["committed"] or detect_loop(s["thought"]).looping: continue
            named = Counter(x.casefold() for x in f.enumeration.items if x.casefold() in s["thought"].casefold())
            rows.append(dict(task=f.enumeration.name, position=f.position, seed=r["seed"], budget=b,
                             question=f.question, prev=f.prev, thought=s["thought"],
                             repeats_a_name=any(s["thought"].casefold().count(x) >= 2 for x in named), circles=None))
    seen, unique = set(), []
    for row in rows:
        if row["thought"] not in seen: seen.add(row["thought"]); unique.append(row)
    flagged = [r for r in unique if r["repeats_a_name"]]
    others = random.Random(0).sample([r for r in unique if not r["repeats_a_name"]], len(flagged))
    json.dump(flagged + others, open(out, "w"), indent=1, ensure_ascii=False)
    print(f"{len(flagged)} thoughts that repeat a name, {len(others)} others -> {out}")


if __name__ == "__main__":
    main(sys.argv[1])
