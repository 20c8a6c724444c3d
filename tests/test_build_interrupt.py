"""An interrupted build (Ctrl-C, SIGTERM) stops its engines, removes its temporary folders and
leaves the previous PDFs as they were; a killed one (SIGKILL, at any moment) leaves no process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import MINIMAL

from cvpress import outputs, render


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


def _looping_theme(tmp_path: Path) -> Path:
    """The classic theme with a document whose engine never finishes."""
    theme = tmp_path / "looping-theme"
    shutil.copytree(render.theme_dir("classic"), theme)
    document = theme / "document.tex.j2"
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}\def\x{\x}\x"))
    return theme


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextmanager
def _cpu_hog():
    """A busy loop on every core (each stops by itself after two minutes, and is killed at the end)."""
    loop = "import time\nend = time.monotonic() + 120\nwhile time.monotonic() < end:\n    pass\n"
    hogs = [subprocess.Popen([sys.executable, "-c", loop]) for _ in range(os.cpu_count() or 1)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()


def _signal_a_thread(pid: int, sig: int) -> None:
    """Send `sig` to a thread of `pid` other than its main one (tgkill): the kernel hands a signal
    sent to a process to any of its threads, so this is what `kill` does now and then."""
    import ctypes

    tid = next(int(t.name) for t in Path(f"/proc/{pid}/task").iterdir() if int(t.name) != pid)
    assert ctypes.CDLL(None, use_errno=True).tgkill(pid, tid, sig) == 0, os.strerror(ctypes.get_errno())


@pytest.mark.parametrize("receiver", ["process", "a worker thread"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_stops_the_engine_cleans_up_and_keeps_the_previous_pdf(tmp_path, sig, receiver):
    """SIGTERM or Ctrl-C ends the build within seconds, whichever of its threads the kernel gives it to."""
    theme = _looping_theme(tmp_path)
    content = tmp_path / "content.toml"
    content.write_text(MINIMAL, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    outputs.put(out, "full", "full.pdf", b"previous PDF")  # a previous build's
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    with _cpu_hog():  # as on a busy machine
        build = subprocess.Popen([sys.executable, "-m", "cvpress", "build", "-c", str(content), "-o", str(out),
                                  "--theme", str(theme), "--no-cache", "--timeout", "120"],
                                 env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        def running() -> bool:  # the engine typesets, and its /proc entry shows it (cvpress's and its own)
            return bool(_engines_below(temp)) and len(_processes_with_env(f"TMPDIR={temp}")) >= 2

        try:
            assert _wait_for(running, 60), "the engine never started"
            started = time.monotonic()
            if receiver == "process":
                build.send_signal(sig)
            else:
                _signal_a_thread(build.pid, sig)
            _, stderr = build.communicate(timeout=30)
        finally:
            if build.poll() is None:  # (a failed test leaves nothing running)
                build.kill()
                build.communicate()
        assert time.monotonic() - started < 10
        assert build.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr
        assert not _engines_below(temp)  # the engine and its children are gone
        assert not _processes_with_env(f"TMPDIR={temp}")  # and nothing else cvpress started
    assert list(temp.iterdir()) == []  # no temporary build folder left
    assert (out / "full.pdf").read_bytes() == b"previous PDF"
    assert sorted(p.name for p in out.iterdir()) == ["full.build.json", "full.pdf"]


@pytest.mark.parametrize("moment", [0.05, 0.2, 0.4, 0.6, 0.8, 1.0, "engine"])
def test_sigkill_at_any_moment_leaves_no_process(tmp_path, moment):
    """`kill -9` of cvpress on a loaded machine, after `moment` seconds or as soon as an engine runs:
    whatever it started (engines, whose documents never finish here) is gone within seconds. The
    engines run in sessions of their own, which no signal to cvpress reaches."""
    content = tmp_path / "content.toml"
    content.write_text(MINIMAL + "\n[variants.a]\n\n[variants.b]\n", encoding="utf-8")
    temp = tmp_path / "tmp"
    temp.mkdir()
    cache = temp / "cache"  # per-user: the preamble precompiled by the first build below is reused
    env = {**os.environ, "TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache)}
    first = subprocess.run([sys.executable, "-m", "cvpress", "build", "-q", "-c", str(content), "-o",
                            str(tmp_path / "first"), "--no-cache"], env=env, capture_output=True, text=True, timeout=300)
    assert first.returncode == 0, first.stderr

    def started() -> list[int]:
        return sorted(set(_engines_below(temp)) | set(_processes_with_env(f"TMPDIR={temp}")) - {build.pid})

    def compiling() -> set[int]:  # engines typesetting (not precompiling a preamble in the cache)
        return set(_engines_below(temp)) - set(_engines_below(cache))

    with _cpu_hog():
        build = subprocess.Popen([sys.executable, "-m", "cvpress", "build", "-c", str(content), "-o",
                                  str(tmp_path / "out"), "--theme", str(_looping_theme(tmp_path)), "--no-cache",
                                  "--timeout", "300"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            if moment == "engine":
                assert _wait_for(compiling, 120), "no engine ever started"
            else:
                time.sleep(moment)  # the moment of the kill (what is tested), not a synchronisation
        finally:
            build.kill()
            build.wait()
        assert _wait_for(lambda: not started(), 10), f"left running after kill -9: {started()}"
