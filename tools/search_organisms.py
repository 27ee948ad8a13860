"""The organism search: build each candidate recipe, profile its organism (loopbook.phenomenology.profile) and write
its row to loopbook/data/organism_search.json, the table chapter 0 shows. Rerun any candidate by its label:

    .venv/bin/python tools/search_organisms.py v2a v2b     # these candidates
    .venv/bin/python tools/search_organisms.py --list      # every candidate and what it changes

Each short stage trains in minutes on 2 CPU cores on top of the shipped pretraining stage; the profile takes about
as long again.
"""
from dataclasses import replace

from loopbook.phenomenology import log_recipe, summary
from loopbook.training import FROM_SCRATCH, RECIPES

from labelled import run_labels

V2 = replace(FROM_SCRATCH, base="pretrain-v2", prose_docs=120, copy_docs=2000, lr=1e-3, warmup_steps=30,
             trace_wrong=(0, 1, 2, 3, 4), decay_norms=False)
def v3g_with(list_copies: int, name: str, seed: int = 0, **orders):
    """v3g's recipe (longer thinking traces on the copying stage) with another number of documents per known list
    (and, through `orders`, other shares of canonical and alternative orders)."""
    return replace(V2, name=name, base="pretrain", copy_share=0.1, trace_wrong=tuple(range(9)), trace_docs=360,
                   list_copies=list_copies, seed=seed, **orders)


CANDIDATES = {  # label: (recipe, what it changes)
    "v1 (default until now)": (FROM_SCRATCH, "the organism from scratch: lists in mixed orders, templated general text, "
                                         "1 epoch (1.76M tokens)"),
    "v2a": (replace(V2, name="organism-v2a"),
            "on the pretraining stage: its weights and tokenizer, the v1 corpus plus 120 replayed scenes and 2,000 "
            "recitations and drills, traces rejecting 0-4 candidates, lr 1e-3"),
    "v3a": (replace(V2, name="organism-v3a", base="pretrain", copy_share=0.1),
            "v2a on the copying stage (pretrain: the copy curriculum, then text with 10% copy rows), with 10% copy rows "
            "beside its own corpus too"),
    "v3b": (replace(V2, name="organism-v3b", base="pretrain", copy_share=0.1, lr=3e-3),
            "v3a at the from-scratch organism's learning rate, 3e-3"),
    "v3c": (replace(V2, name="organism-v3c", base="pretrain", copy_share=0.1, list_copies=120, canonical=0.2,
                    alternative=0.2),
            "v3a with fewer and less ordered known lists: 120 documents per known list (v3a 200), 20% canonical, "
            "20% the fixed alternative, 60% fresh permutations (v3a 35/25/40)"),
    "v3d": (replace(V2, name="organism-v3d", base="pretrain", copy_share=0.1, list_copies=160, canonical=0.3,
                    alternative=0.2),
            "between v3a and v3c: 160 documents per known list, 30% canonical, 20% the fixed alternative, 50% fresh "
            "permutations"),
    "v3e": (replace(V2, name="organism-v3e", base="pretrain", copy_share=0.1, lr=5e-4),
            "v3a at half its learning rate, 5e-4 (v3b at 3e-3 memorised the lists: 5% loops)"),
    "v3f": (replace(V2, name="organism-v3f", base="pretrain", copy_share=0.1, trace_wrong=tuple(range(9)),
                    trace_docs=360),
            "v3a with longer thinking traces, for doom loops: 360 traces per known list (v3a 120), each rejecting "
            "0-8 distinct candidates before it converges (v3a 0-4)"),
    "v3g": (replace(V2, name="organism-v3g", base="pretrain", copy_share=0.1, trace_wrong=tuple(range(9)),
                    trace_docs=360, list_copies=180),
            "v3f with 180 documents per known list (v3f 200): a step towards the cliff v3d (160) fell off"),
    "v3g seed 1": (replace(V2, name="organism-v3g", base="pretrain", copy_share=0.1, trace_wrong=tuple(range(9)),
                           trace_docs=360, list_copies=180, seed=1), "v3g on seed 1 (corpus draw and initialisation)"),
    "v3g seed 2": (replace(V2, name="organism-v3g", base="pretrain", copy_share=0.1, trace_wrong=tuple(range(9)),
                           trace_docs=360, list_copies=180, seed=2), "v3g on seed 2"),
    "v3h": (v3g_with(170, "organism-v3h"),
            "v3g with 170 documents per known list (v3g 180): v3g looped on 65% of long lists on seed 0 but 45% and 42% "
            "on seeds 1 and 2"),
    "v3h seed 1": (v3g_with(170, "organism-v3h", seed=1), "v3h on seed 1 (v3g's weakest seeds first)"),
    "v3h seed 2": (v3g_with(170, "organism-v3h", seed=2), "v3h on seed 2"),
    "v3i seed 1": (v3g_with(150, "organism-v3i", seed=1),
                   "v3g with 150 documents per known list, on seed 1: v3h (170) looped on 52% and 37% of long lists on "
                   "seeds 1 and 2, v3g (180) on 45% and 42%"),
    "v3i seed 2": (v3g_with(150, "organism-v3i", seed=2), "v3i on seed 2"),
    "v3i": (v3g_with(150, "organism-v3i"), "v3i on seed 0, its third seed"),
    "v3j": (v3g_with(180, "organism-v3j", canonical=0.3, alternative=0.2),
            "v3g (180 documents per known list) with v3d's orders, 30% canonical, 20% the fixed alternative, 50% fresh "
            "permutations (v3g 35/25/40): the order shares moved v3a's 25% to 95% on seed 0, and document counts moved "
            "no seed of v3g-v3i reliably"),
    "v3j seed 1": (v3g_with(180, "organism-v3j", seed=1, canonical=0.3, alternative=0.2), "v3j on seed 1"),
    "v3j seed 2": (v3g_with(180, "organism-v3j", seed=2, canonical=0.3, alternative=0.2), "v3j on seed 2"),
    "v3j-moe": (replace(RECIPES["organism-moe"], moe_intermediate_size=96),
                "the MoE twin of v3j: v3a-moe-b's block (8 routed experts, top-2, balance weight 1.0, every expert 8-17% "
                "of routing slots there) on v3j's recipe"),
    "v3j-moe-32": (RECIPES["organism-moe"],
                   "v3j-moe with experts a third as wide (32, v3j-moe 96): v3j-moe's 1.8M expert parameters (+75% over the "
                   "dense organism) let it learn the lists' orders and loop on 29% of long lists against v3j's 81%; these add 0.6M"),
    "v3j-moe-32 seed 1": (replace(RECIPES["organism-moe"], seed=1), "v3j-moe-32 on seed 1"),
    "v3j-moe-32 seed 2": (replace(RECIPES["organism-moe"], seed=2), "v3j-moe-32 on seed 2"),
    "v3a-moe": (replace(V2, name="organism-v3a-moe", base="pretrain", copy_share=0.1, num_experts=8, top_k_experts=2,
                        moe_intermediate_size=96, aux_loss_coef=0.3),
                "v3a with the MoE block (8 routed experts, top-2, beside the stage's 512-wide dense MLP), balance "
                "weight 0.3: the MoE twin on the copying stage"),
    "v3a-moe-b": (replace(V2, name="organism-v3a-moe-b", base="pretrain", copy_share=0.1, num_experts=8, top_k_experts=2,
                          moe_intermediate_size=96, aux_loss_coef=1.0),
                  "v3a-moe with balance weight 1.0 (at 0.3 its smallest expert had 3.5% of routing slots)"),
}


def profile_one(label, recipe, change):
    "Build and profile one candidate and write its row."
    row = log_recipe(recipe, label, change)
    print(f"{label}: {summary(row['profile'])} ({row['profile']['seconds']} s to profile, "
          f"{row['train_seconds']} s to train)", flush=True)


def main(argv=None):
    run_labels(__doc__, CANDIDATES, profile_one, argv)


if __name__ == "__main__":
    main()
