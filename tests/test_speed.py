"""What keeps cvpress fast, checked without timing anything: one engine pass per compile, variants
compiling in parallel, and commands that need no PDF work importing no PDF or template library.
(The timings themselves are `make bench`.)"""

from __future__ import annotations

import subprocess
import sys
import threading

from conftest import CONTENT, MINIMAL

from cvpress import typeset as tex
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
    """An engine, once it holds a core (`wait` runs holding one), waits for a second engine to run beside
    it: only possible with two cores' worth of engines at once (with one core, none ever sees another)."""
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)
    running, lock, both, overlapped = set(), threading.Lock(), threading.Event(), []
    real = cores.Cores.wait

    def wait(self, process, timeout):
        with lock:
            running.add(process)
            if len(running) >= 2:
                both.set()
        overlapped.append(both.wait(timeout=10))
        try:
            return real(self, process, timeout)
        finally:
            with lock:
                running.discard(process)

    monkeypatch.setattr(cores.Cores, "wait", wait)
    # two different documents (the same one twice would be compiled once, the other waiting for it)
    path = write_content(MINIMAL + "\n[variants.a]\nlabel = \"A\"\n\n[variants.b]\nlabel = \"B\"\n")
    results = build(Options(content=path, out=tmp_path / "out", cache=False))
    assert [r.error for r in results] == [None, None]
    assert True in overlapped, overlapped


def _imported_by(*argv: str) -> set[str]:
    code = ("import sys\nfrom cvpress import cli\n"
            "try:\n    cli.main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            "print(' '.join(sorted(sys.modules)))")
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=60)
    return set(done.stdout.split())


def test_help_imports_no_pipeline_library():
    modules = _imported_by("--help")
    assert not {"pypdf", "jinja2", "pydantic"} & modules


def test_check_imports_pydantic_but_no_pdf_or_template_library():
    modules = _imported_by("check", "-c", str(CONTENT))
    assert "pydantic" in modules
    assert not {"pypdf", "jinja2"} & modules
