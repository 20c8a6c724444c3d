"""Engines take the machine's cores one at a time, and none outlives cvpress.

Every TeX process a build starts goes through one `Cores` of that build: `run` waits for a free
core, starts the engine in a process group of its own, and kills the whole group on timeout or
interrupt (`stop`). On Linux an engine is also killed by the kernel the moment cvpress dies, even
by SIGKILL (PR_SET_PDEATHSIG), so nothing is left running whatever stops cvpress, and when.
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from cvpress.errors import BuildError, CompileError


class Cores:
    """One build's engines: at most one per core at a time (variants build in threads); `stop` kills
    every running one and starts no more."""

    def __init__(self, count: int | None = None):
        self._free = threading.Semaphore(count or os.cpu_count() or 1)
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopped = threading.Event()
        self.started = threading.Event()  # an engine is running: the build's own Python may use the time

    def run(self, command: list[str], cwd: Path, env: dict, timeout: float) -> int:
        """Run the engine when a core is free; its exit code (CompileError on timeout)."""
        with self._free:
            return self.wait(self.start(command, cwd, env), timeout)

    def start(self, command: list[str], cwd: Path, env: dict) -> subprocess.Popen:
        with self._lock:
            if self.stopped.is_set():
                raise BuildError("interrupted")
            process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                       start_new_session=True, preexec_fn=_die_with(os.getpid()))
            self._running.add(process)
        self.started.set()
        return process

    def wait(self, process: subprocess.Popen, timeout: float) -> int:
        """The engine's exit code; killed after `timeout` seconds (CompileError) or on `stop`."""
        # A timer kills on timeout: Popen.wait(timeout=…) would poll with sleeps of up to 50 ms
        expired = threading.Event()
        timer = threading.Timer(timeout, lambda: (expired.set(), kill(process)))
        timer.daemon = True
        timer.start()
        try:
            code = process.wait()
            if expired.is_set():
                raise CompileError(f"the TeX engine did not finish within {timeout:g} s and was stopped "
                                   "(raise the limit with --timeout)")
            if self.stopped.is_set():
                raise BuildError("interrupted")
            return code
        except BaseException:
            kill(process)
            process.wait()
            raise
        finally:
            timer.cancel()
            with self._lock:
                self._running.discard(process)

    def stop(self) -> None:
        """The build was interrupted: kill every running engine (and its children), start no more."""
        with self._lock:
            self.stopped.set()
            for process in self._running:
                kill(process)


def kill(process: subprocess.Popen) -> None:
    """Kill the engine and every process it started (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _die_with(parent: int):
    """For Popen's preexec_fn: the child gets SIGKILL when the thread that started it ends (Linux;
    each variant's thread waits for its engines, so: when cvpress dies), and stops at once if cvpress
    died already. prctl is looked up before the fork: the child only makes two system calls."""
    prctl = _prctl()
    if prctl is None:
        return None

    def in_child() -> None:
        prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        if os.getppid() != parent:  # cvpress died before the line above
            os._exit(1)

    return in_child


@functools.cache
def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
