"""Tests for cvpress.cores: one engine per core, `stop` kills them all, and none outlives its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from cvpress import cores
from cvpress.errors import BuildError

SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _wait_for(condition, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_no_more_engines_run_at_once_than_there_are_cores(tmp_path):
    machine, running, most, lock = cores.Cores(2), [0], [0], threading.Lock()
    real_start = machine.start

    def start(*args):
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        return real_start(*args)

    machine.start = start
    real_wait = machine.wait

    def wait(*args):
        try:
            return real_wait(*args)
        finally:
            with lock:
                running[0] -= 1

    machine.wait = wait
    command = [sys.executable, "-c", "import time; time.sleep(0.2)"]
    threads = [threading.Thread(target=machine.run, args=(command, tmp_path, dict(os.environ), 60)) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert most[0] == 2


def test_stop_kills_the_running_engines_and_starts_no_more(tmp_path):
    machine, failures = cores.Cores(1), []

    def run():
        try:
            machine.run(SLEEPER, tmp_path, dict(os.environ), 300)
        except BuildError as e:
            failures.append(str(e))

    threads = [threading.Thread(target=run) for _ in range(2)]  # the second waits for the only core
    for thread in threads:
        thread.start()
    assert _wait_for(lambda: machine._running)
    started = time.monotonic()
    machine.stop()
    for thread in threads:
        thread.join(timeout=30)
    assert time.monotonic() - started < 10 and failures == ["interrupted", "interrupted"]
    with pytest.raises(BuildError, match="interrupted"):
        machine.start(SLEEPER, tmp_path, dict(os.environ))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_an_engine_dies_with_its_parent_even_by_sigkill(tmp_path):
    """A parent that starts an engine through Cores, then is SIGKILLed: the engine goes too, though
    it runs in a session of its own (start_new_session) that no signal to the parent reaches."""
    code = ("import os, sys, time\nfrom pathlib import Path\nfrom cvpress import cores\n"
            f"process = cores.Cores().start({SLEEPER!r}, Path('.'), dict(os.environ))\n"
            "print(process.pid, flush=True)\ntime.sleep(300)\n")
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE, text=True)
    engine = int(parent.stdout.readline())
    assert _alive(engine) and os.getpgid(engine) != os.getpgid(parent.pid)
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    assert _wait_for(lambda: not _alive(engine)), "the engine outlived its parent"


def test_the_timeout_kills_the_engine_and_says_so(tmp_path):
    started = time.monotonic()
    with pytest.raises(cores.CompileError, match="did not finish within 0.5 s"):
        cores.Cores().run(SLEEPER, Path(tmp_path), dict(os.environ), 0.5)
    assert time.monotonic() - started < 30


def test_work_for_while_engines_run_waits_for_an_engine_and_is_dropped_on_close(tmp_path):
    machine, ran = cores.Cores(1), threading.Event()
    early = machine.while_engines_run(lambda x: (ran.set(), x * 2)[1], 21)
    assert not ran.wait(0.2) and not early.done()  # no engine yet: the work waits
    process = machine.start([sys.executable, "-c", "pass"], tmp_path, dict(os.environ))
    assert early.result(timeout=30) == 42
    machine.wait(process, 30)
    failing = machine.while_engines_run(lambda: 1 / 0)  # an engine ran already: at once, its error handed on
    with pytest.raises(ZeroDivisionError):
        failing.result(timeout=30)
    idle = cores.Cores(1)
    dropped = idle.while_engines_run(ran.clear)
    idle.close()
    assert _wait_for(dropped.cancelled) and ran.is_set()  # never run


def test_as_completed_yields_each_future_when_done_and_a_signal_to_any_thread_ends_the_wait():
    from concurrent.futures import Future

    first, second, never = Future(), Future(), Future()
    seen = []
    threading.Timer(0.05, second.set_result, ["second"]).start()
    for future in cores.as_completed([first, second]):
        seen.append(future.result())
        if future is second:
            first.set_result("first")
    assert seen == ["second", "first"]
    assert signal.set_wakeup_fd(-1) == -1  # the previous wakeup fd (none) is back

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGUSR1, interrupt)
    release = threading.Event()
    other = threading.Thread(target=release.wait)  # the thread the kernel handed the signal to
    other.start()
    threading.Timer(0.1, signal.pthread_kill, [other.ident, signal.SIGUSR1]).start()
    late = threading.Timer(5, never.set_result, [None])  # (without the pipe, the wait would end only here)
    late.start()
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            list(cores.as_completed([never]))
        assert time.monotonic() - started < 2
    finally:
        late.cancel()
        signal.signal(signal.SIGUSR1, previous)
        release.set()
        other.join()
