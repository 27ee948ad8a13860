"The package is generated from the notebooks: loopbook/*.py must be exactly what nbdev-export makes from nbs/."
import filecmp
import subprocess

from conftest import BIN, ROOT, copy_repo


def _copy(tmp_path):
    return copy_repo(tmp_path / "repo")


def test_package_matches_notebooks(tmp_path):
    copy = _copy(tmp_path)
    for f in (copy / "loopbook").glob("*.py"):
        if f.name != "__init__.py": f.unlink()  # export must recreate every module from nbs/
    subprocess.run([BIN / "nbdev-export"], cwd=copy, check=True, capture_output=True)
    made = sorted(p.name for p in (copy / "loopbook").glob("*.py"))
    have = sorted(p.name for p in (ROOT / "loopbook").glob("*.py"))
    assert have == made, f"loopbook/ holds {have}, but nbdev-export makes {made} from nbs/"
    differ = [n for n in made if not filecmp.cmp(copy / "loopbook" / n, ROOT / "loopbook" / n, shallow=False)]
    assert not differ, (f"loopbook/{differ} differ from what nbdev-export makes from nbs/. Edit the notebooks, "
                        "never loopbook/*.py, then run nbdev-export.")


def test_notebooks_are_clean(tmp_path):
    copy = _copy(tmp_path)
    subprocess.run([BIN / "nbdev-clean"], cwd=copy, check=True, capture_output=True)
    dirty = [str(p.relative_to(copy)) for p in sorted((copy / "nbs").rglob("*.ipynb"))
             if not filecmp.cmp(p, ROOT / p.relative_to(copy), shallow=False)]
    assert not dirty, f"{dirty} are not clean: run nbdev-clean before committing."
