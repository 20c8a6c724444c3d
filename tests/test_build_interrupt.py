"""An interrupted build (Ctrl-C, SIGTERM) stops its engines, removes its temporary folders and
leaves the previous PDFs as they were."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import MINIMAL

from cvpress import render


def _processes(matches) -> list[int]:
    """PIDs of the processes whose /proc entry `matches` (unreadable ones are skipped)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and matches(proc):
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def _engines_below(folder: Path) -> list[int]:
    """PIDs of processes whose working directory is inside `folder`."""
    return _processes(lambda proc: Path(os.readlink(proc / "cwd")).is_relative_to(folder))


def _processes_with_env(entry: str) -> list[int]:
    """PIDs of processes whose environment holds `entry` (NAME=value): what a build started."""
    return _processes(lambda proc: entry.encode() in (proc / "environ").read_bytes().split(b"\0"))


def test_sigterm_stops_the_engine_cleans_up_and_keeps_the_previous_pdf(tmp_path):
    theme = tmp_path / "looping-theme"
    shutil.copytree(render.theme_dir("classic"), theme)
    document = theme / "document.tex.j2"
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}\def\x{\x}\x"))
    content = tmp_path / "content.toml"
    content.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "full.pdf").write_bytes(b"previous PDF")
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    build = subprocess.Popen([sys.executable, "-m", "cvpress", "build", "-c", str(content), "-o", str(out),
                              "--theme", str(theme), "--no-cache", "--timeout", "120"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _engines_below(temp) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _engines_below(temp), "the engine never started"
    assert len(_processes_with_env(f"TMPDIR={temp}")) >= 3  # cvpress, its PDF reader and the engine
    started = time.monotonic()
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=30)
    assert time.monotonic() - started < 10
    assert build.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
    assert not _engines_below(temp)  # the engine and its children are gone
    assert not _processes_with_env(f"TMPDIR={temp}")  # and the PDF reader process (verify.reading)
    assert list(temp.iterdir()) == []  # no temporary build folder left
    assert (out / "full.pdf").read_bytes() == b"previous PDF"
    assert [p.name for p in out.iterdir()] == ["full.pdf"]
