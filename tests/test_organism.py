"The organisms shipped in the package are exactly what their recipes build."
import json

import pytest
from transformers import AutoTokenizer

from loopbook.corpus import build_corpus
from loopbook.organism import RECIPES, pack, recipe_hash, shipped_dir, train, train_tokenizer

SHIPPED = sorted(p.name for p in shipped_dir().iterdir() if (p / "recipe.json").exists())


def test_default_organisms_are_shipped():
    assert {"organism", "organism-moe"} <= set(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_hash_matches_recipe(name):
    meta = json.loads((shipped_dir() / name / "recipe.json").read_text())
    digest = recipe_hash(RECIPES[name], build_corpus(RECIPES[name]))
    assert meta["hash"] == digest, (f"the {name} recipe or corpus changed since it was shipped; rebuild it with "
                                    f"`loopbook organism {name} --ship`")


@pytest.mark.parametrize("name", SHIPPED)
def test_recipe_reproduces_first_steps(name):
    "Retrain the tokenizer and the first optimizer steps; they must match the shipped ones."
    recipe, folder = RECIPES[name], shipped_dir() / name
    docs = build_corpus(recipe)
    tokenizer = train_tokenizer(docs, recipe.vocab_size)
    assert tokenizer.get_vocab() == AutoTokenizer.from_pretrained(folder).get_vocab()
    logged = json.loads((folder / "recipe.json").read_text())["log"][:3]
    _, log = train(recipe, pack(docs, tokenizer, recipe.seq_len), max_steps=3, progress=False)
    for ours, theirs in zip(log, logged):
        assert ours["loss"] == pytest.approx(theirs["loss"], rel=1e-3), (ours, theirs)
