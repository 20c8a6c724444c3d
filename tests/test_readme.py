"""The README's quick start, run line by line as written, in a fresh clone of this repository.

One step is prepared rather than run: the clone's `.venv`. Creating it for real means downloading
every dependency from the package index (a minute, and a network the tests do not have), so the
test makes the same `.venv` from what this test run already has installed: a bare venv whose
site-packages points at the clone's own `src/` and at this interpreter's dependencies, with the
`cvpress` script pip would write and the stamp the Makefile checks (`.venv/.installed`). Everything
else, `make pdf`, `make install`, `cvpress new`, `cvpress build`, `cvpress watch`, runs for real.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

from conftest import ROOT


def quick_start() -> list[str]:
    """The commands of the README's quick-start block, comments removed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Quick start\n", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]


def _venv(clone: Path) -> None:
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(clone / ".venv")], check=True)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(clone / ".venv"),
                                                    "platbase": str(clone / ".venv")}))
    # Plain path lines: the clone's src first; this run's site-packages after it, as a directory only
    # (its .pth files, among them the editable install of the repository itself, are not processed).
    (site / "cvpress-clone.pth").write_text(f"{clone / 'src'}\n{sysconfig.get_path('purelib')}\n")
    script = clone / ".venv" / "bin" / "cvpress"
    script.write_text(f"#!{clone / '.venv' / 'bin' / 'python'}\nimport sys\nfrom cvpress.cli import run\n"
                      "sys.exit(run())\n")
    script.chmod(0o755)
    (clone / ".venv" / ".installed").touch()  # newer than pyproject.toml: `make` keeps this .venv


def test_readme_quick_start_in_a_fresh_clone(tmp_path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None or shutil.which("make") is None:
        pytest.skip("needs git, make and a git checkout of cvpress (this is not one)")
    commands = quick_start()
    assert commands[:2] == ["make pdf", "make install"] and commands[-1] == "cvpress watch", commands
    clone, home = tmp_path / "cvpress", tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    _venv(clone)
    # A login shell on Debian/Ubuntu puts ~/.local/bin on PATH once it exists; so does this one.
    env = {**os.environ, "HOME": str(home), "PATH": f"{home / '.local' / 'bin'}:{os.environ['PATH']}"}
    env.pop("VIRTUAL_ENV", None)
    script = "set -euo pipefail\n" + "\n".join(commands[:-1]) + "\npwd\n"
    done = subprocess.run(["bash", "-c", script], cwd=clone, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"installed {home}/.local/bin/cvpress" in done.stdout
    assert os.path.realpath(home / ".local" / "bin" / "cvpress") == str(clone / ".venv" / "bin" / "cvpress")
    project = Path(done.stdout.strip().splitlines()[-1])
    assert project == home / "my-cv"
    for name in ("full", "onepage", "manager"):
        assert (clone / "out" / f"{name}.pdf").stat().st_size > 0  # make pdf, the sample
        assert (project / "out" / f"{name}.pdf").stat().st_size > 0  # cvpress build, one's own

    # `cvpress watch` runs until Ctrl-C: wait for it to say it is watching, then interrupt it.
    watching = subprocess.Popen(["bash", "-c", commands[-1]], cwd=project, env=env, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    lines, deadline = [], time.monotonic() + 300
    try:
        for line in watching.stdout:
            lines.append(line)
            if line.startswith("watching ") or time.monotonic() > deadline:
                break
        assert lines and lines[-1].startswith("watching "), "".join(lines)
    finally:
        os.killpg(watching.pid, signal.SIGINT)
        watching.wait(timeout=60)
    assert watching.returncode in (0, 130), "".join(lines)
