"""Tests for cvpress.warm: engines started ahead.

Real pdfTeX runs; the engines started ahead must give the very PDFs a compile started now gives."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import CONTENT

from cvpress import cores, formats, warm
from cvpress.build import Options, build


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = tmp_path / "content.toml"
    path.write_text(CONTENT.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def recent(path: Path) -> list[str]:
    return json.loads((formats.folder() / warm.RECENT).read_text(encoding="utf-8"))[str(path.resolve())]


def test_a_build_remembers_its_formats_and_the_next_one_uses_engines_started_ahead(project, tmp_path, monkeypatch):
    build(Options(content=project, out=tmp_path / "first", cache=False))
    names = recent(project)
    assert len(names) == 4 and len(set(names)) == 2  # 3 variants at 11pt, onepage refitted at 10pt

    taken, started = [], []
    real_take, real_start = warm.take, warm.start
    monkeypatch.setattr(warm, "take", lambda *a: taken.append(found := real_take(*a)) or found)
    monkeypatch.setattr(warm, "start", lambda *a: started.append(handle := real_start(*a)) or handle)
    results = build(Options(content=project, out=tmp_path / "warm", cache=False))
    assert not any(r.error for r in results)
    assert sum(1 for t in taken if t) == len(started[0].engines) == min(4, cores.SLOTS.cores)
    assert not started[0].base.exists()  # the engines' folders go when the build ends

    (formats.folder() / warm.RECENT).unlink()  # nothing started ahead: every engine starts when needed
    build(Options(content=project, out=tmp_path / "cold", cache=False))
    for name in ("full", "onepage", "manager"):
        assert (tmp_path / "warm" / f"{name}.pdf").read_bytes() == (tmp_path / "cold" / f"{name}.pdf").read_bytes()


def test_engines_nobody_takes_are_stopped_and_their_folder_removed(project, tmp_path):
    build(Options(content=project, out=tmp_path / "out", cache=False))
    started = warm.start(project, 1700000000, 2)
    assert len(started.engines) == 2 and started.base.is_dir()
    time.sleep(0.3)
    assert all(ready.process.poll() is None for ready in started.engines)  # waiting for a document
    started.stop()
    assert all(ready.process.poll() is not None for ready in started.engines)
    assert not started.base.exists() and not warm.take(started.engines[0].command, started.engines[0].env)


def test_an_engine_whose_cvpress_died_stops_on_its_own(project, tmp_path):
    build(Options(content=project, out=tmp_path / "out", cache=False))
    started = warm.start(project, 1700000000, 1)
    [ready] = started.engines
    time.sleep(0.3)  # the engine has opened the pipe: closing our end is what dying does to it
    os.close(ready.pipe)
    assert ready.process.wait(timeout=30) != 0
    ready.pipe = os.open(os.devnull, os.O_RDONLY)  # so that stop() has something to close
    started.stop()


def test_a_document_without_an_end_fails_instead_of_waiting(project, tmp_path):
    build(Options(content=project, out=tmp_path / "out", cache=False))
    started = warm.start(project, 1700000000, 1)
    [ready] = started.engines
    assert warm.take(ready.command, ready.env) is ready
    lines = "\n" * 40 + formats.MARKER + "\n\\begin{document}\nno end\n"
    try:
        assert ready.finish(lines, timeout=30) != 0
        log = (ready.folder / "resume.log").read_text(errors="replace")
        assert "the document ended without \\end{document}" in log
    finally:
        started.stop()


def test_nothing_is_started_without_a_remembered_build(tmp_path):
    started = warm.start(tmp_path / "content.toml", 0, 2)
    assert started.engines == () and started.base is None
