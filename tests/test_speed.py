"""What keeps cvpress fast, checked without timing anything: one engine pass per compile, variants
compiling in parallel, and commands that need no PDF work importing no PDF or template library.
(The timings themselves are `make bench`.)"""

from __future__ import annotations

import subprocess
import sys
import threading

from conftest import CONTENT, MINIMAL

from cvpress import compile as tex
from cvpress import cores
from cvpress.build import Options, build


def test_shipped_variants_compile_in_one_pass_each(tmp_path, monkeypatch):
    passes = []
    real = tex.compile_tex

    def recorded(*args, **kwargs):
        compiled = real(*args, **kwargs)
        passes.append(compiled.passes)
        return compiled

    monkeypatch.setattr(tex, "compile_tex", recorded)
    results = build(Options(content=CONTENT, out=tmp_path, cache=False))
    assert all(r.error is None for r in results)
    assert len(passes) >= len(results) and set(passes) == {1}


def test_variants_compile_in_parallel(write_content, tmp_path, monkeypatch):
    """The first engine run waits for a second one to start: only possible if they overlap."""
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    started, second, overlapped = [], threading.Event(), []
    real = cores.Cores.run

    def run(self, *args, **kwargs):
        started.append(1)
        if len(started) == 2:
            second.set()
        overlapped.append(second.wait(timeout=60))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cores.Cores, "run", run)
    path = write_content(MINIMAL + "\n[variants.a]\n\n[variants.b]\n")
    results = build(Options(content=path, out=tmp_path / "out", cache=False))
    assert [r.error for r in results] == [None, None]
    assert overlapped[:2] == [True, True]


def _imported_by(*argv: str) -> set[str]:
    code = ("import sys\nfrom cvpress import cli\n"
            "try:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
    return set(done.stdout.split())


def test_help_imports_no_pipeline_library():
    modules = _imported_by("--help")
    assert not {"pypdf", "jinja2", "pydantic", "pylatex"} & modules


def test_check_imports_pydantic_but_no_pdf_or_template_library():
    modules = _imported_by("check", "-c", str(CONTENT))
    assert "pydantic" in modules
    assert not {"pypdf", "jinja2"} & modules
