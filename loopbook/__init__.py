"""Measure, localise and surgically remove repetition loops in language models: a literate reproduction book.

Modules:

- `loopbook.attribution`: Scores over components (MLP neurons, attention heads, routed experts) for how much each drives a contrast: by gradients, by direct logit attribution, by activation differences, and by exact ablation.
- `loopbook.cases`: Decision points of looping generations as contrast cases: the prefix, the token the model emitted, and the token it should have emitted.
- `loopbook.edits`: Static weight edits of neurons, heads and experts: applied in place, undone bit-exactly, written as a JSON manifest, and saved as a standard Hugging Face checkpoint.
- `loopbook.evaluate`: One table for any checkpoint: loop rate and coverage on the enumeration benchmark, beside what an edit could break: general perplexity, a knowledge cloze, and text that should repeat.
- `loopbook.scale`: Real sizes without real weights: randomly initialised models of a given shape, and the memory and time a step of the pipeline takes on them, so that what a large checkpoint needs is known before it is downloaded.
- `loopbook.search`: The organism search of paper 1's positive half: train a recipe variant, measure its loops, look for a small edit that removes them, confirm it on held-out phrasings against random edits, and log one row.
- `loopbook.thinking`: Fact questions answered after a block of thought, a thinking-token budget, outcome classes with a doom-loop detector, and knowledge precision: the measurements of chapter 4."""

__version__ = "0.0.1"
__all__ = ["load_model"]


def __getattr__(name: str):
    "`loopbook.load_model`, imported on first use, so that importing one small module does not load the zoo."
    if name == "load_model":
        from loopbook.zoo import load_model
        return load_model
    raise AttributeError(f"module 'loopbook' has no attribute {name!r}")
