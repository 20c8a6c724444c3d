"""The code passes pyflakes' checks (ruff's F rules): no undefined name, no unused import."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_no_undefined_names_or_unused_imports():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--select", "F", "--no-cache", "src", "tests"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
