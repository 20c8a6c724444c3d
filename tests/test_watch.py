"""Tests for cvpress.watch: `cvpress watch` driven in a subprocess, with real TeX builds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import MINIMAL, ROOT

from cvpress import verify

CONTENT = MINIMAL + '''
[variants.only]
description = "One variant, to keep the test quick"
'''
DEADLINE = 60  # seconds for any one step: a build takes about one


def wait_for(condition, what: str, log: Path, timeout: float = DEADLINE):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if value := condition():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}; watch printed:\n{log.read_text(encoding='utf-8')}")


def pdf_text(pdf: Path) -> str:
    try:
        return " ".join(verify.text(pdf).split())
    except Exception:  # not there yet, or being replaced
        return ""


def test_watch_rebuilds_on_save_and_survives_a_broken_one(tmp_path):
    content, out, log = tmp_path / "content.toml", tmp_path / "out", tmp_path / "watch.log"
    content.write_text(CONTENT, encoding="utf-8")
    pdf = out / "only.pdf"
    env = {**os.environ, "NO_COLOR": "1", "PYTHONUNBUFFERED": "1"}
    with log.open("w", encoding="utf-8") as sink:
        process = subprocess.Popen([sys.executable, "-m", "cvpress", "watch", "-c", str(content), "-o", str(out),
                                    "--debounce", "100"], cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: "Ada Lovelace" in pdf_text(pdf), "the first build", log)
        wait_for(lambda: "watching" in log.read_text(encoding="utf-8"), "the watch to start", log)

        content.write_text(CONTENT.replace("Ada Lovelace", "Ada King"), encoding="utf-8")
        wait_for(lambda: "Ada King" in pdf_text(pdf), "the rebuild after a save", log)

        content.write_text(CONTENT.replace('name = "Ada Lovelace"', 'name = "Ada'), encoding="utf-8")
        wait_for(lambda: "not valid TOML" in log.read_text(encoding="utf-8"), "the error of a broken save", log)
        assert process.poll() is None, "a broken save must not end the watch"
        assert "Ada King" in pdf_text(pdf)  # the last good PDF stays

        content.write_text(CONTENT.replace("Ada Lovelace", "Augusta Ada"), encoding="utf-8")
        wait_for(lambda: "Augusta Ada" in pdf_text(pdf), "the rebuild after the fix", log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    printed = log.read_text(encoding="utf-8")
    assert code == 0, printed
    assert "stopped watching" in printed and "changed: " in printed and "Traceback" not in printed
    assert "\033[" not in printed  # NO_COLOR


def test_make_watch_runs_the_cli():
    done = subprocess.run(["make", "-n", "watch", "CONTENT=cv.toml", "VARIANT=onepage"], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "cvpress watch --content cv.toml --out out --variant onepage" in done.stdout
