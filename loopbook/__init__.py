"""Measure, localise and surgically remove repetition loops in language models: a literate reproduction book.

Modules:

- `loopbook.attribution`: Scores over components (MLP neurons, attention heads, routed experts) for how much each drives a contrast: by gradients, by direct logit attribution, by activation differences, and by exact ablation.
- `loopbook.cases`: Decision points of looping generations as contrast cases: the prefix, the token the model emitted, and the token it should have emitted."""

__version__ = "0.0.1"
