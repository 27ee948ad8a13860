"""Copy probes: can the organism's shape learn to copy repeated random tokens, and from what? Each probe trains a model
with loopbook.pretrain.copy_training, logs the copy score as it goes, and writes its row to
loopbook/data/organism_search.json (the table chapter 0 shows). Rerun any probe by its label:

    .venv/bin/python tools/search_copying.py c1 c3     # these probes, one after the other
    .venv/bin/python tools/search_copying.py --list    # every probe and what it tests

Probes c1-c3 take 10-25 minutes each on one CPU thread (OMP_NUM_THREADS=1 lets two run side by side); c4 about 5;
c6 about 10, c7 and c8 about 20. The p3 row reads the stage that `loopbook pretrain pretrain` built (about 50
minutes on 2 cores if it has to train it).
"""
import json
import random
import time
from dataclasses import replace

import torch
from transformers import Gemma4ForCausalLM, LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from loopbook.induction import repeated_sequences
from loopbook.phenomenology import write_search_row
from loopbook.pretrain import (PRETRAININGS, Pretraining, cipher_document, copy_task_blocks, copy_training,
                               init_model, play_words, pretrained, pretraining_corpus, repeated_blocks, replay_documents)
from loopbook.prose import prose_documents
from loopbook.training import pack

from labelled import run_labels

BARE = Pretraining(batch_size=16, lr=1e-3, warmup_steps=100)


def llama_twin(p: Pretraining):
    "A Llama of the stage's size (same width, depth, heads, vocabulary): no QK-norm, attention scaled by 1/sqrt(d)."
    c = init_model(p).config
    torch.manual_seed(p.seed)
    return LlamaForCausalLM(LlamaConfig(vocab_size=c.vocab_size, hidden_size=c.hidden_size, intermediate_size=c.intermediate_size,
                                        num_hidden_layers=c.num_hidden_layers, num_attention_heads=c.num_attention_heads,
                                        num_key_value_heads=c.num_key_value_heads, head_dim=c.head_dim, bos_token_id=2,
                                        eos_token_id=1, pad_token_id=0, tie_word_embeddings=True))


def bare(vocab_hi, steps, model="gemma4", copies=2, p=BARE):
    "The bare induction task on random ids below `vocab_hi`, from the stage's initial weights (or a Llama twin)."
    def run():
        m = init_model(p) if model == "gemma4" else llama_twin(p)
        log = copy_training(m, copy_task_blocks(steps * p.batch_size, vocab_hi, seed=1, copies=copies), p, steps, pad=0,
                            eval_ids=repeated_sequences(vocab_hi, 20, 30, seed=5))
        return log, dict(model=model, vocab_hi=vocab_hi, copies=copies, steps=steps, tokens=steps * p.batch_size * 100,
                         recipe=p.to_dict())
    return run


def ciphers(share, steps, name="pretrain"):
    "The stage's final weights, trained on for `steps` more steps of which a `share` of documents are cipher documents."
    def run():
        folder, p = pretrained(name), PRETRAININGS[name]
        m = Gemma4ForCausalLM.from_pretrained(folder, dtype=torch.float32)
        tok = PreTrainedTokenizerFast.from_pretrained(folder)
        rng, words, n = random.Random(p.seed), play_words(prose_documents("train")), 12000
        docs = replay_documents(name, 400, int(n * (1 - share)), p.seed) + [cipher_document(tok, words, rng) for _ in range(int(n * share))]
        rng.shuffle(docs)
        q = Pretraining(lr=1e-3, warmup_steps=30)
        log = copy_training(m, pack(docs, tok, q.seq_len), q, steps)
        return log, dict(model=name, share=share, steps=steps, tokens=steps * q.batch_size * q.seq_len, recipe=q.to_dict())
    return run


CURRICULUM = replace(BARE, batch_size=32, lr=3e-3, warmup_steps=100, betas=(0.9, 0.98), weight_decay=0.01, constant_lr=True)


def curriculum(steps, then=0, share=0.1, block=(8, 24), seq_len=64, p=CURRICULUM, name="pretrain"):
    """The stage's initial weights trained on repeated blocks of distinct random ids over the whole vocabulary
    (`seq_len`-token rows, batch 32, AdamW 3e-3 held after 100 warm-up steps, betas (0.9, 0.98), weight decay 0.01);
    with `then`, that many more steps of the stage's own natural text (its first epoch's scenes, recitations and drills,
    batch 8 x 256) in which a `share` of the rows are repeated blocks too: does the copying survive natural text?"""
    def run():
        m = init_model(p)
        vocab = m.config.vocab_size
        log = copy_training(m, repeated_blocks(steps * p.batch_size, vocab, seq_len, block, seed=1), p, steps, heads=True,
                            until=None if then else 0.5)
        fields = dict(model="gemma4", curriculum="repeated blocks", vocab_hi=vocab, block=list(block), seq_len=seq_len,
                      steps=log[-1]["step"], tokens=log[-1]["step"] * p.batch_size * seq_len, recipe=p.to_dict())
        if not then: return log, fields
        stage = replace(PRETRAININGS[name], warmup_steps=50)
        tok = PreTrainedTokenizerFast.from_pretrained(pretrained(name))
        natural = pack(pretraining_corpus(stage)[0], tok, stage.seq_len)
        k = int(share * len(natural) / (1 - share))
        rows = torch.cat([natural, repeated_blocks(k, vocab, stage.seq_len, block, seed=2)]) if k else natural
        more = copy_training(m, rows, stage, then, heads=True)
        offset = log[-1]["step"]
        log += [dict(r, step=offset + r["step"], phase="natural") for r in more]
        fields.update(then=then, share=share, natural_recipe=stage.to_dict(),
                      tokens=fields["tokens"] + then * stage.batch_size * stage.seq_len)
        return log, fields
    return run


def stage(name="pretrain"):
    """The stage `name` as built by `loopbook pretrain` (trained now if it is neither shipped nor cached): its copy log,
    with the loss at each logged step, as a row beside the probes."""
    def run():
        meta = json.loads((pretrained(name) / "recipe.json").read_text())
        p, loss = meta["recipe"], {r["step"]: r["loss"] for r in meta["log"]}
        c = p.get("curriculum") or {}
        log = [dict(step=r["step"], copy=r["copy"], loss=loss.get(r["step"]), seconds=r["seconds"]) |
               (dict(phase="natural") if c and r["step"] > meta["curriculum_steps"] else {}) for r in meta["copy_log"]]
        fields = dict(model="gemma4", vocab_hi=2048, steps=meta["steps"], tokens=meta["tokens"], recipe=p,
                      train_seconds=meta["train_seconds"], hash=meta["hash"])
        if c: fields |= dict(curriculum="repeated blocks", block=c["block"], seq_len=c["seq_len"],
                             then=meta["steps"] - meta["curriculum_steps"], share=p.get("copy_share", 0.0))
        return log, fields
    return run


PROBES = {  # label: (run, what it tests)
    "c1": (bare(260, 4000), "bare induction task (random ids 4-259, 8-39 tokens shown twice), the stage's initial "
                            "weights, batch 16 x 100, lr 1e-3, 4,000 steps: can this shape learn to copy at all?"),
    "c2": (bare(2048, 1500), "as c1 over the whole vocabulary (ids 4-2047), 1,500 steps"),
    "c3": (bare(260, 2000, model="llama"), "as c1 on a Llama of the same size (no QK-norm, 1/sqrt(d) scaling), "
                                           "2,000 steps: is it Gemma 4's attention?"),
    "c4": (ciphers(0.4, 600), "the stage's final weights + 600 steps (1.2M tokens) of which 40% of documents are "
                              "cipher documents (random tokens read back after a gap): is it the data?"),
    "c5": (bare(260, 2000, copies=4, p=replace(BARE, lr=3e-3)),
           "as c1 with each sequence shown 4 times (3 of 4 copies predictable by copying) and lr 3e-3, 2,000 steps: "
           "does a stronger copy signal shorten the plateau?"),
    "c6": (curriculum(1000), "a copy curriculum: repeated blocks of 8-24 distinct random ids over the whole "
                             "vocabulary in 64-token rows, batch 32, AdamW 3e-3 held after 100 warm-up steps, betas "
                             "(0.9, 0.98), weight decay 0.01, from the stage's initial weights; 1,000 steps, or on by "
                             "the stopping rule while the copy score is below 0.5"),
    "c7": (curriculum(600, then=1200, share=0.1), "c6's curriculum for 600 steps, then 1,200 steps of the stage's natural "
                                                  "text with 10% of rows repeated blocks: does the copying survive?"),
    "c8": (curriculum(600, then=1200, share=0.0), "as c7 with no repeated blocks among the natural text"),
    "p3 (pretraining) = shipped pretrain": (stage("pretrain"), "the stage itself (loopbook pretrain pretrain): c6's "
        "curriculum for 600 steps, then 4 epochs of the plays, recitations and drills with 10% copy rows (half repeated "
        "blocks, half the bare task packed in 256-token rows), 8 x 256 tokens, lr 2.5e-3 with cosine decay"),
}


def probe_one(label, run, change):
    "Run one probe and write its row, with its copy log."
    start = time.time()
    log, fields = run()
    last, best = log[-1], max(log, key=lambda r: r["copy"])
    first = next(r for r in log if r["loss"] is not None)
    curriculum = [r for r in log if r.get("phase") != "natural"]
    result = (f"copy on random tokens {last['copy']:.3f} after {last['step']:,} steps (best {best['copy']:.3f})" +
              (f"; {curriculum[-1]['copy']:.3f} at the curriculum's end (step {curriculum[-1]['step']:,})"
               if len(curriculum) < len(log) else "") +
              (f"; on its own ids {last['copy_eval']:.3f} (best {max(r['copy_eval'] for r in log):.3f})" if "copy_eval" in last else "") +
              f"; loss {first['loss']:.2f} -> {last['loss']:.2f}")
    write_search_row(dict(recipe=label, change=change, result=result, copy_log=log, recipe_fields=fields,
                          train_seconds=fields.pop("train_seconds", round(time.time() - start, 1)), tokens=fields["tokens"]))
    print(f"{label}: {result}", flush=True)


def main(argv=None):
    run_labels(__doc__, PROBES, probe_one, argv)


if __name__ == "__main__":
    main()
