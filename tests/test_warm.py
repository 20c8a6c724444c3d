"""Tests for cvpress.warm (engines started ahead) and the order engines get cores in (cores.Slots).

Real pdfTeX runs; the engines started ahead must give the very PDFs a compile started now gives."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest
from conftest import CONTENT

from cvpress import cores, formats, warm
from cvpress.build import Options, _ranks, build


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


# ---------------------------------------------------------------- cores in priority order


def _grants(slots: cores.Slots, requests: list[tuple[float, int]]) -> list[int]:
    """Threads asking for a core at the given delays with the given priorities; the order served."""
    order, lock = [], threading.Lock()

    def ask(delay: float, priority: int) -> None:
        time.sleep(delay)
        with slots.slot(priority):
            with lock:
                order.append(priority)
            time.sleep(0.02)

    threads = [threading.Thread(target=ask, args=r) for r in requests]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return order


def test_a_free_core_goes_to_the_lowest_priority_number_waiting():
    slots = cores.Slots(1)
    with slots.slot(9):  # the only core is busy while all three queue up
        threads = threading.Thread(target=lambda: order.extend(_grants(slots, [(0, 2), (0.01, 0), (0.02, 1)])))
        order: list[int] = []
        threads.start()
        time.sleep(0.2)
    threads.join(timeout=30)
    assert order == [0, 1, 2]


def test_an_expected_variant_gets_the_core_even_when_it_asks_late(monkeypatch):
    monkeypatch.setattr(cores.Slots, "HOLD", 10.0)
    slots = cores.Slots(1)
    slots.expect([0, 1])
    assert _grants(slots, [(0, 1), (0.2, 0)]) == [0, 1]


def test_an_expected_variant_that_never_asks_holds_no_one_for_long(monkeypatch):
    monkeypatch.setattr(cores.Slots, "HOLD", 0.05)
    slots = cores.Slots(1)
    slots.expect([0])
    assert _grants(slots, [(0, 1)]) == [1]
    slots.arrived(0)  # a cache hit or an error: it will not ask


def test_the_tightest_page_budget_is_first_in_line():
    from cvpress import content, variants

    resume = content.load(CONTENT)
    selections = [variants.select(resume, name) for name in ("full", "onepage", "manager")]
    assert _ranks(selections, Options()) == [1, 0, 2]
    assert _ranks(selections, Options(fit=False)) == [0, 1, 2]
