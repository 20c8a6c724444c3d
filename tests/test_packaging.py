"""A wheel, installed without the repository around it, carries everything a build needs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT


def test_a_wheel_builds_a_new_project_on_its_own(tmp_path):
    wheels, target, source = tmp_path / "wheels", tmp_path / "site", tmp_path / "source"
    # build from a copy: setuptools writes build/ and *.egg-info beside the sources
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, source / name)
    for name in ("src", "latex"):
        shutil.copytree(ROOT / name, source / name, symlinks=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels), str(source)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("cvpress-*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}  # the installed copy, not src/
    run = lambda *args: subprocess.run([sys.executable, "-m", "cvpress", *args], cwd=tmp_path, env=env,  # noqa: E731
                                       capture_output=True, text=True, timeout=300)
    where = subprocess.run([sys.executable, "-c", "import cvpress; print(cvpress.LATEX_DIR)"], env=env, cwd=tmp_path,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(target)), where
    assert run("new", "project").returncode == 0
    done = run("build", "-c", "project/content.toml", "-o", "project/out", "--theme", "modern", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (tmp_path / "project" / "out").glob("*.pdf")} == {"full.pdf", "onepage.pdf", "manager.pdf"}
