"""Engines take the machine's cores one at a time, and none outlives cvpress.

Every TeX process a build starts goes through one `Cores` of that build: `run` waits for a free
core, starts the engine in a process group of its own, and kills the whole group on timeout or
interrupt (`stop`). On Linux an engine is also killed by the kernel the moment cvpress dies, even
by SIGKILL (PR_SET_PDEATHSIG), so nothing is left running whatever stops cvpress, and when.
"""

from __future__ import annotations

import concurrent.futures
import functools
import os
import signal
import subprocess
import sys
import threading
from concurrent.futures import Future
from contextlib import suppress
from pathlib import Path
from typing import Callable, Iterable, Iterator

from cvpress.errors import BuildError, CompileError


class Cores:
    """One build's engines: at most one per core at a time (variants build in threads); `stop` kills
    every running one and starts no more."""

    def __init__(self, count: int | None = None):
        self._free = threading.Semaphore(count or os.cpu_count() or 1)
        self._running: set[subprocess.Popen] = set()
        self._lock = threading.Lock()
        self.stopped = threading.Event()
        self._busy = threading.Event()  # an engine started, or the build is over (`close`)
        self._closed = False

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
        self._busy.set()
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

    def while_engines_run(self, work: Callable, *args) -> Future:
        """`work(*args)` in a thread of its own once an engine runs: the build's Python waits on TeX
        then, and a core is often free. Never run if the build closes first (cancelled)."""
        future: Future = Future()

        def run() -> None:
            self._busy.wait()
            if self._closed or not future.set_running_or_notify_cancel():
                future.cancel()
                return
            try:
                future.set_result(work(*args))
            except BaseException as e:  # handed to whoever waits for the result
                future.set_exception(e)

        threading.Thread(target=run, daemon=True).start()
        return future

    def close(self) -> None:
        """The build is over: work still waiting for an engine is dropped."""
        self._closed = True
        self._busy.set()

    def stop(self) -> None:
        """The build was interrupted: kill every running engine (and its children), start no more."""
        with self._lock:
            self.stopped.set()
            for process in self._running:
                kill(process)


def as_completed(futures: Iterable[Future]) -> Iterator[Future]:
    """Each future as it completes, like concurrent.futures.as_completed, except that a signal ends
    the wait. The kernel hands SIGTERM or Ctrl-C to any thread; Python runs its handler in the main
    thread, which a lock wait does not leave, so the main thread waits in a read of a pipe that both
    the futures and the signal (`signal.set_wakeup_fd`) write to."""
    pending = list(futures)
    if threading.current_thread() is not threading.main_thread():  # (watch builds in a thread)
        yield from concurrent.futures.as_completed(pending)
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    lock = threading.Lock()  # no write to the pipe once it is closed (its number could be reused)
    closed = False

    def wake(_future: Future) -> None:
        with lock, suppress(BlockingIOError):  # (a full pipe wakes the reader anyway)
            if not closed:
                os.write(write, b"\0")

    previous = signal.set_wakeup_fd(write)
    try:
        for future in pending:
            future.add_done_callback(wake)
        while pending:
            for future in [f for f in pending if f.done()]:
                pending.remove(future)
                yield future
            if pending:
                os.read(read, 512)
    finally:
        signal.set_wakeup_fd(previous)
        with lock:
            closed = True
            os.close(write)
        os.close(read)


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
