"The `loopbook` console script, as a user runs it."
import subprocess

from conftest import BIN
from loopbook.models import tiny_checkpoint


def run(*args):
    return subprocess.run([BIN / "loopbook", *args], capture_output=True, text=True, timeout=300)


def test_info_lists_components(tmp_path):
    ckpt = tiny_checkpoint("gemma4-double-wide", tmp_path / "tiny")
    r = run("info", "--model", str(ckpt))
    assert r.returncode == 0, r.stderr
    assert "Adapter(gemma4_text: 4 layers, 384 neurons, 0 experts, 16 heads)" in r.stdout


def test_bad_input_gets_one_line_not_a_traceback(tmp_path):
    r = run("info", "--model", str(tmp_path / "missing"))
    assert r.returncode == 2
    assert r.stderr.startswith("loopbook: error: No model at") and "Traceback" not in r.stderr


def test_a_count_that_leaves_no_prompt_is_one_line():
    for givens in ("0", "-3"):
        r = run("measure", "--givens", givens)
        assert r.returncode == 2 and not r.stdout, (r.stdout, r.stderr)
        assert r.stderr == f"loopbook: error: --givens {givens} leaves nothing to run: it counts givens and must be at least 1.\n"


def test_help():
    r = run("--help")
    assert r.returncode == 0 and "info" in r.stdout


def test_measure_writes_records_and_summary(tmp_path):
    r = run("measure", "--model", "organism", "--tasks", "months,planets", "--out", str(tmp_path / "runs.jsonl"),
            "--json", str(tmp_path / "summary.json"))
    assert r.returncode == 0, r.stderr
    assert "overall" in r.stdout and "loop rate" in r.stdout
    import json
    summary = json.loads((tmp_path / "summary.json").read_text())
    for key in ("loop_rate", "n", "ci_low", "ci_high", "coverage"):
        assert key in summary["overall"] and all(key in t for t in summary["tasks"].values())
    assert summary["overall"]["n"] == 10 and len((tmp_path / "runs.jsonl").read_text().splitlines()) == 10


def test_cases_then_attribute(tmp_path):
    r = run("cases", "--model", "organism", "--tasks", "constellations", "--givens", "1",
            "--out", str(tmp_path / "cases.jsonl"))
    assert r.returncode == 0, r.stderr
    import json
    lines = [json.loads(l) for l in (tmp_path / "cases.jsonl").read_text().splitlines()]
    assert lines and all({"prefix", "target", "foil"} <= set(l) for l in lines)
    r = run("attribute", "--model", "organism", "--cases", str(tmp_path / "cases.jsonl"), "--method", "act_grad",
            "--out", str(tmp_path / "scores.json"))
    assert r.returncode == 0, r.stderr
    rows = json.loads((tmp_path / "scores.json").read_text())
    assert len(rows) == 50 and all(set(row) == {"kind", "layer", "index", "score"} for row in rows)
    assert rows[0]["score"] >= rows[-1]["score"]
    r = run("attribute", "--model", "organism", "--cases", str(tmp_path / "cases.jsonl"), "--method", "magic",
            "--out", str(tmp_path / "x.json"))
    assert r.returncode == 2 and "Unknown method 'magic'" in r.stderr and "Traceback" not in r.stderr


def test_cycles_icl_writes_every_case(tmp_path):
    r = run("cycles", "--model", "pretrain", "--condition", "icl", "--n", "8", "--tokens", "32",
            "--json", str(tmp_path / "cycles.json"))
    assert r.returncode == 0, r.stderr
    assert "natural cycles of 8 prompts" in r.stdout and "successful ICL" in r.stdout
    import json
    result = json.loads((tmp_path / "cycles.json").read_text())
    assert result["condition"] == "icl" and result["n"] == 8 and result["max_new_tokens"] == 32
    assert result["natural_cycles"] == len(result["cases"]) and 0 <= result["success"] <= 1


def test_cycles_bad_condition_or_checkpoint_is_one_line():
    r = run("cycles", "--model", "pretrain", "--condition", "natural-ish", "--n", "8")
    assert r.returncode == 2 and "Unknown condition 'natural-ish'" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = run("cycles", "--model", "pretrain@step7", "--n", "8")
    assert r.returncode == 2 and "has no checkpoint at step 7; it has steps" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_loop_cases_for_amplify_then_amplify(tmp_path):
    "Paper 3's CCA from the command line: loop cases as {prefix, desired, undesired}, then a checkpoint with its manifest."
    import json
    r = run("cases", "--model", "organism", "--tasks", "constellations", "--givens", "1", "--later", "1",
            "--for-amplify", "--out", str(tmp_path / "loops.jsonl"))
    assert r.returncode == 0, r.stderr
    rows = [json.loads(l) for l in (tmp_path / "loops.jsonl").read_text().splitlines()]
    assert rows and all({"prefix", "desired", "undesired"} <= set(row) and row["desired"] != row["undesired"] for row in rows)
    (tmp_path / "few.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows[:8]))
    r = run("amplify", "--model", "organism", "--cases", str(tmp_path / "few.jsonl"), "--lam", "0.5", "--steps", "2",
            "--mask-steps", "60", "--c=-1e-3", "--out", str(tmp_path / "amplified"))
    assert r.returncode == 0, r.stderr
    assert "components (" in r.stdout and "contrast logit(desired)" in r.stdout and "60 optimiser steps" in r.stdout
    manifest = json.loads((tmp_path / "amplified" / "loopbook_edits.json").read_text())
    assert manifest["edits"] and all(e["op"] == "cca" for e in manifest["edits"])
    (tmp_path / "empty.jsonl").write_text("")
    r = run("amplify", "--model", "organism", "--cases", str(tmp_path / "empty.jsonl"), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "holds no cases" in r.stderr and "Traceback" not in r.stderr


def test_organism_search_bad_recipe_is_one_line(tmp_path):
    (tmp_path / "v.json").write_text('{"name": "x", "overrides": {"seed": 3}}')
    for recipe, says in (("nonesuch", "No variant 'nonesuch'"), (str(tmp_path / "v.json"), "seed cannot be overridden")):
        r = run("organism", "--recipe", recipe)
        assert r.returncode == 2 and says in r.stderr and "Traceback" not in r.stderr, r.stderr
