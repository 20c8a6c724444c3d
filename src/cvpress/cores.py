"""Engines take the machine's cores one at a time, and an interrupt stops every one of them.

Every TeX process a build starts goes through here: `run` waits for a free core (`SLOTS`, by
priority), starts the engine in a process group of its own, and kills the whole group on timeout
or interrupt (`stop_all`).
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from cvpress.errors import BuildError, CompileError

_running: set[subprocess.Popen] = set()  # engines running now, so that an interrupt can stop them all
_running_lock = threading.Lock()
CANCEL = threading.Event()  # set by stop_all(): no engine starts, running ones are killed


class Slots:
    """Engines run one per core. Variants build in threads, one each, and a free core goes to the
    waiting engine with the lowest priority number, then the earliest: build.py ranks the variants
    likeliest to need a second, fitting compile first, and `expect`s them, so that one whose thread
    is a moment late still gets the first core (a lower rank waits for it at most HOLD seconds)."""

    HOLD = 0.05

    def __init__(self, cores: int):
        self.cores = cores
        self._free, self._waiting, self._expected = cores, [], Counter()
        self._turn = threading.Condition()

    def expect(self, priorities) -> None:
        with self._turn:
            self._expected.update(priorities)

    def arrived(self, priority: int) -> None:
        """The variant ranked `priority` asked for a core, or will not ask any more."""
        with self._turn:
            if self._expected[priority] > 0:
                self._expected[priority] -= 1
                self._turn.notify_all()

    @contextmanager
    def slot(self, priority: int = 0):
        with self._turn:
            self.arrived(priority)  # (the condition's lock is re-entrant)
            ticket = (priority, time.monotonic_ns(), threading.get_ident())
            self._waiting.append(ticket)
            hold_until = time.monotonic() + self.HOLD
            while True:
                ahead = any(p < priority and n > 0 for p, n in self._expected.items())
                if self._free and min(self._waiting) == ticket and (not ahead or time.monotonic() >= hold_until):
                    break
                self._turn.wait(max(0.001, hold_until - time.monotonic()) if ahead else None)
            self._waiting.remove(ticket)
            self._free -= 1
            self._turn.notify_all()  # another core may be free for the next in line
        try:
            yield
        finally:
            with self._turn:
                self._free += 1
                self._turn.notify_all()


SLOTS = Slots(max(1, os.cpu_count() or 1))


def stop_all() -> None:
    """The build was interrupted: kill every running engine (and its children), start no more."""
    CANCEL.set()
    with _running_lock:
        for process in _running:
            kill(process)


def run(command: list[str], cwd: Path, env: dict, timeout: float, priority: int = 0) -> int:
    """Run the engine in its own process group when a core is free (SLOTS); kill the whole group on
    timeout or interrupt."""
    with SLOTS.slot(priority):
        return wait(start(command, cwd, env), timeout)


def start(command: list[str], cwd: Path, env: dict) -> subprocess.Popen:
    """Start an engine in its own process group (registered: an interrupt kills it)."""
    with _running_lock:
        if CANCEL.is_set():
            raise BuildError("interrupted")
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _running.add(process)
    return process


def wait(process: subprocess.Popen, timeout: float) -> int:
    """The engine's exit code; killed after `timeout` seconds (CompileError) or on interrupt."""
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
        if CANCEL.is_set():
            raise BuildError("interrupted")
        return code
    except BaseException:
        kill(process)
        process.wait()
        raise
    finally:
        timer.cancel()
        with _running_lock:
            _running.discard(process)


def forget(process: subprocess.Popen) -> None:
    """An engine started with `start` that will not be waited for (warm.py stopped it)."""
    with _running_lock:
        _running.discard(process)


def kill(process: subprocess.Popen) -> None:
    """Kill the engine and every process it started (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
