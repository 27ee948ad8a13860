"A fresh install: the built wheel alone gives an importable package and a working console script."
import os
import subprocess
import sys

from conftest import copy_repo


def test_wheel_installs_and_imports(tmp_path):
    source = copy_repo(tmp_path / "source")  # an in-tree build would leave build/ in the repository
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp_path, source],
                   check=True, capture_output=True)
    wheel, = tmp_path.glob("loopbook-*.whl")
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", site, wheel], check=True,
                   capture_output=True)
    probe = ("import loopbook, loopbook.models, loopbook.cli; from loopbook import load_model; print(loopbook.__file__); "
             "raise SystemExit(loopbook.cli.main(['--help']))")
    r = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(site)})
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(str(site)), f"imported the wrong copy: {r.stdout}"
    assert (site / "bin" / "loopbook").exists(), "the wheel declares no `loopbook` console script"
    assert (site / "loopbook" / "data" / "lists.json").exists(), "the wheel lacks the enumeration data"
    for name in ("organism", "organism-moe", "reasoner"):
        assert (site / "loopbook" / "organisms" / name / "model.safetensors").exists(), f"the wheel lacks {name}"
    checkpoints = list((site / "loopbook" / "organisms" / "pretrain" / "checkpoints").glob("step*/model.safetensors"))
    assert len(checkpoints) >= 6, "the wheel lacks the pretraining stage's checkpoints"
    size = sum(f.stat().st_size for f in (site / "loopbook" / "organisms").rglob("*") if f.is_file())
    assert size <= 60e6, f"the shipped organisms and checkpoints take {size / 1e6:.1f} MB, over the 60 MB budget"
