"""The package imports in one direction. Every module's imports are read with ast (nothing is run), function-level
imports included, and the test fails on an import cycle and on any import that goes up the order of layers written
once below. A new module must be given a layer here before the test passes."""
import ast
import shutil
from pathlib import Path

from conftest import ROOT

PACKAGE = "loopbook"

LAYERS = (  # lowest first. A module imports from its own layer or a lower one, never from a higher one.
    ("errors", {"errors"}),                                          # imports nothing of loopbook
    ("data and text", {"corpus", "prose", "problems", "benchmark"}),  # lists, plays, problems, prompts
    ("models", {"models", "cache"}),                                 # checkpoint folders, device and dtype, the adapter; the cache
    ("interventions", {"interventions"}),                            # hooks on the adapter's components
    ("measurement", {"loops", "stats", "scoring", "generate", "probes", "induction", "cases"}),
    ("training primitives", {"training"}),
    # The stages each get a layer, so that a stage imports the one it starts from and never one built on it.
    ("pretraining stage", {"pretrain"}),
    ("loop-organism stage", {"organism"}),
    ("reasoning stage", {"reasoner"}),
    ("zoo", {"zoo"}),                                                # every model by name
    ("attribution, edits, evaluation", {"attribution", "edits", "evaluate"}),
    ("chapter modules", {"cycles", "amplify", "thinking", "phenomenology", "search", "scale", "explore"}),
    ("command line", {"cli"}),
    ("package", {"__init__"}),                                       # loopbook.load_model, imported lazily
)


def modules(package: Path) -> dict[str, Path]:
    "Every module of the package by name (`__init__` included, nbdev's generated index `_modidx` left out)."
    return {p.stem: p for p in sorted(package.glob("*.py")) if p.stem == "__init__" or not p.stem.startswith("_")}


def imports(path: Path, names: set[str]) -> list[tuple[int, str]]:
    "(line, module) for each import of a loopbook module in `path`, at any depth."
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name.split(".")[1]) for a in node.names if a.name.startswith(PACKAGE + ".")]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 0 and module != PACKAGE and not module.startswith(PACKAGE + "."): continue
            inner = module.removeprefix(PACKAGE).lstrip(".") if node.level == 0 else module
            if inner: found.append((node.lineno, inner.split(".")[0]))
            else:   # from loopbook import x / from . import x: a submodule, or a name of the package's __init__
                found += [(node.lineno, a.name if a.name in names else "__init__") for a in node.names]
    return found


def graph(package: Path) -> dict[str, list[tuple[int, str]]]:
    mods = modules(package)
    return {m: [(line, t) for line, t in imports(p, set(mods)) if t != m] for m, p in mods.items()}


def layer_of() -> dict[str, int]:
    return {m: i for i, (_, ms) in enumerate(LAYERS) for m in ms}


def unplaced(package: Path) -> list[str]:
    "Modules no layer names, and layer entries no module has."
    have, placed = set(modules(package)), set(layer_of())
    return [f"loopbook/{m}.py has no layer in tests/test_layers.py" for m in sorted(have - placed)] + \
           [f"tests/test_layers.py places {m}, which is no module of loopbook" for m in sorted(placed - have)]


def upward(package: Path) -> list[str]:
    "Every import of a higher layer, as one line naming the import and the two layers."
    rank, out = layer_of(), []
    for m, deps in graph(package).items():
        for line, t in deps:
            if m in rank and t in rank and rank[t] > rank[m]:
                out.append(f"loopbook/{m}.py:{line} imports loopbook.{t}: {m} is in layer {rank[m]} "
                           f"({LAYERS[rank[m]][0]}), {t} in layer {rank[t]} ({LAYERS[rank[t]][0]}), above it")
    return out


def cycles(package: Path) -> list[list[str]]:
    "Each import cycle once, as the modules around it (strongly connected components of more than one module)."
    g = {m: sorted({t for _, t in deps}) for m, deps in graph(package).items()}
    index, low, stack, on, found, counter = {}, {}, [], set(), [], [0]
    def visit(v):   # Tarjan
        index[v] = low[v] = counter[0]; counter[0] += 1; stack.append(v); on.add(v)
        for w in g.get(v, []):
            if w not in index: visit(w); low[v] = min(low[v], low[w])
            elif w in on: low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop(); on.discard(w); comp.append(w)
                if w == v: break
            if len(comp) > 1: found.append(sorted(comp))
    for v in sorted(g):
        if v not in index: visit(v)
    return found


def test_every_module_has_a_layer():
    assert not unplaced(ROOT / PACKAGE), "\n".join(unplaced(ROOT / PACKAGE))


def test_imports_run_down_the_layers():
    bad = upward(ROOT / PACKAGE)
    assert not bad, "Imports run from higher layers to lower ones only:\n" + "\n".join(bad)


def test_no_import_cycle():
    found = cycles(ROOT / PACKAGE)
    assert not found, "Import cycles: " + "; ".join(" <-> ".join(c) for c in found)


def test_checks_catch_an_injected_upward_import_and_cycle(tmp_path):
    "Known answer: the checks fail on a copy of the package with one upward import and one cycle put in."
    package = tmp_path / PACKAGE
    shutil.copytree(ROOT / PACKAGE, package, ignore=shutil.ignore_patterns("organisms", "data", "__pycache__"))
    assert not upward(package) and not cycles(package)
    models = package / "models.py"
    models.write_text(models.read_text() + "\n\ndef _named(name):\n    from loopbook.zoo import load_model\n"
                      "    return load_model(name)\n")
    bad = upward(package)
    assert len(bad) == 1 and bad[0].startswith("loopbook/models.py:") and "imports loopbook.zoo" in bad[0], bad
    assert "layer 2 (models)" in bad[0] and "layer 9 (zoo)" in bad[0], bad
    assert cycles(package) == [["models", "zoo"]], cycles(package)   # the zoo imports models: an upward import closes a cycle
    stats = package / "stats.py"
    stats.write_text(stats.read_text() + "\nfrom . import scoring\n")   # scoring imports stats: a cycle in one layer
    assert ["scoring", "stats"] in cycles(package), cycles(package)
