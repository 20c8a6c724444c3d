"""The build cache: an unchanged compile is reused, any change to what shapes the PDF recompiles.

Real TeX runs; "the engine ran" is counted by wrapping cores.Cores.run (it still runs pdflatex).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, run_cli

from cvpress import build as build_module
from cvpress import cache, cores, formats, memo, render, texlive, verify
from cvpress import typeset as tex
from cvpress.build import Options, build


@pytest.fixture
def engine_runs(monkeypatch):
    """How many times the TeX engine compiled a document (the real engine still runs);
    precompiling a preamble (its -ini run and test load, both in the per-user formats folder) is
    not counted."""
    runs = []
    real = cores.Cores.run

    def counted(self, *args, **kwargs):
        if not Path(args[1]).resolve().is_relative_to(formats.folder().resolve()):
            runs.append(args[0])
        return real(self, *args, **kwargs)

    monkeypatch.setattr(cores.Cores, "run", counted)
    return runs


@pytest.fixture
def minimal(write_content, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return write_content(MINIMAL)


def _build(content: Path, **options) -> build_module.Result:
    """A build that goes through the compile cache: the no-op record (memo.py) is cleared first,
    so that these tests see the compile cache itself answer (tests/test_memo.py covers the record)."""
    shutil.rmtree(content.parent / memo.FOLDER, ignore_errors=True)
    [result] = build(Options(content=content, out=content.parent / "out", **options))
    assert result.error is None, result.error.format()
    return result


def _entries(content: Path) -> list[Path]:
    return sorted((content.parent / ".cache" / "cvpress").glob("*.entry"))


def test_an_unchanged_build_reuses_the_pdf_without_running_the_engine(minimal, engine_runs):
    first = _build(minimal)
    assert not first.cached and len(engine_runs) == 1
    fresh = first.pdf.read_bytes()
    second = _build(minimal)
    assert second.cached and len(engine_runs) == 1
    assert second.pages == first.pages == 1  # still page-counted on a hit
    assert second.pdf.read_bytes() == fresh
    assert len(_entries(minimal)) == 1


def test_a_content_change_recompiles(minimal, engine_runs):
    _build(minimal)
    minimal.write_text(minimal.read_text().replace("first published", "first printed"))
    assert not _build(minimal).cached and len(engine_runs) == 2


def test_a_theme_style_file_change_recompiles(minimal, tmp_path, engine_runs):
    theme = tmp_path / "theme"
    shutil.copytree(render.theme_dir("classic"), theme)
    _build(minimal, theme=str(theme))
    assert _build(minimal, theme=str(theme)).cached
    sty = theme / "cvpress.sty"
    sty.write_text(sty.read_text() + "% a comment changes no tex, only the support file's bytes\n")
    assert not _build(minimal, theme=str(theme)).cached
    assert _build(minimal, theme=str(theme)).cached


def test_a_template_change_recompiles(minimal, tmp_path):
    theme = tmp_path / "theme"
    shutil.copytree(render.theme_dir("classic"), theme)
    _build(minimal, theme=str(theme))
    document = theme / "document.tex.j2"
    document.write_text(document.read_text().replace(r"\begin{document}", "\\begin{document}\n\\relax"))
    assert not _build(minimal, theme=str(theme)).cached


def test_the_timeout_does_not_matter_but_source_date_epoch_does(minimal, monkeypatch, engine_runs):
    _build(minimal, timeout=60)
    assert _build(minimal, timeout=30).cached
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert not _build(minimal).cached
    assert _build(minimal).cached
    assert len(engine_runs) == 2


def test_outside_git_an_edit_recompiles_only_the_variants_it_changes(write_content, monkeypatch, engine_runs):
    """Outside git the PDF date is the content file's time, which every save moves: it is no input
    of the compile cache, or every edit would recompile every variant."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    content = write_content(MINIMAL.replace('program."]', 'program.", { text = "Translated Menabrea\'s paper.", '
                                            'priority = 2 }]') + """
[variants.full]
[variants.short]
max_priority = 1
""").resolve()  # tmp_path: not in a git repository
    os.utime(content, (1700000000, 1700000000))
    build(Options(content=content, out=content.parent / "out"))
    assert len(engine_runs) == 2
    short = (content.parent / "out" / "short.pdf").read_bytes()
    content.write_text(content.read_text().replace("Menabrea's paper", "Menabrea's memoir"))  # shown in full only
    os.utime(content, (1800000000, 1800000000))
    results = {r.variant: r for r in build(Options(content=content, out=content.parent / "out"))}
    assert not results["full"].cached and results["short"].cached and len(engine_runs) == 3
    assert (content.parent / "out" / "short.pdf").read_bytes() == short
    assert verify.metadata(results["full"].pdf)["CreationDate"].startswith("D:20270115")  # 1800000000


def test_an_engine_version_change_recompiles(minimal, monkeypatch):
    _build(minimal)
    assert texlive.engine_version("pdflatex").startswith("pdfTeX")  # memoised once per process
    monkeypatch.setattr(texlive, "engine_version", lambda engine: "pdfTeX 9.99 (a newer TeX Live)")
    assert not _build(minimal).cached
    assert _build(minimal).cached


def test_a_changed_tex_installation_file_invalidates_the_entry(tmp_path):
    """Entries record the engine's inputs (-recorder); a changed package or font is a miss."""
    workdir = tmp_path / "work"
    workdir.mkdir()
    package = tmp_path / "texmf" / "somepackage.sty"
    package.parent.mkdir()
    package.write_text("% version 1\n")
    (workdir / "resume.pdf").write_bytes(b"%PDF-1.5 pretend")
    (workdir / "resume.log").write_text("This is pdfTeX\n")
    (workdir / "resume.fls").write_text(f"PWD {workdir}\nINPUT resume.tex\nINPUT {workdir}/resume.tex\n"
                                        f"INPUT {package}\nINPUT {package}\n")
    entry = tmp_path / "cache" / ("0" * 64 + ".entry")
    cache.store(entry, tex.Compiled(workdir / "resume.pdf", workdir / "resume.log", 1, 0.0))
    header = json.loads(entry.read_bytes().split(b"\n")[1])
    assert [path for path, *_ in header["inputs"]] == [str(package)]

    (tmp_path / "a").mkdir()
    hit = cache.fetch(entry, tmp_path / "a")
    assert hit is not None and hit.passes == 0 and hit.pdf.read_bytes() == b"%PDF-1.5 pretend"
    package.write_text("% version 2, a little longer\n")
    (tmp_path / "b").mkdir()
    assert cache.fetch(entry, tmp_path / "b") is None


def test_a_damaged_entry_is_a_miss_not_an_error(minimal, engine_runs):
    _build(minimal)
    [entry] = _entries(minimal)
    entry.write_bytes(entry.read_bytes()[:100])
    result = _build(minimal)
    assert not result.cached and len(engine_runs) == 2
    assert _build(minimal).cached  # the rebuild replaced the damaged entry


def test_force_rebuilds_and_refreshes_no_cache_leaves_no_trace(minimal, engine_runs):
    _build(minimal)
    [entry] = _entries(minimal)
    os.utime(entry, ns=(0, 0))
    forced = _build(minimal, force=True)
    assert not forced.cached and len(engine_runs) == 2
    assert entry.stat().st_mtime_ns > 0  # rewritten
    assert not _build(minimal, cache=False).cached
    shutil.rmtree(minimal.parent / ".cache")
    _build(minimal, cache=False)
    assert not (minimal.parent / ".cache").exists()


def test_cli_force_and_no_cache(minimal, tmp_path):
    args = ("build", "-c", str(minimal), "-o", str(tmp_path / "out"))
    first = run_cli(*args, cwd=tmp_path).stdout
    assert "(cached)" not in first and "(unchanged)" not in first
    assert "(unchanged)" in run_cli(*args, cwd=tmp_path).stdout  # nothing changed: the last build stands
    shutil.rmtree(minimal.parent / memo.FOLDER)
    assert "(cached)" in run_cli(*args, cwd=tmp_path).stdout  # the compile cache answers
    forced = run_cli(*args, "--force", cwd=tmp_path)
    assert forced.returncode == 0 and "(cached)" not in forced.stdout and "(unchanged)" not in forced.stdout
    plain = run_cli(*args, "--no-cache", cwd=tmp_path).stdout
    assert "(cached)" not in plain and "(unchanged)" not in plain
    assert "--force" in run_cli("build", "--help", cwd=tmp_path).stdout


def test_parallel_builds_give_the_same_pdfs_as_serial_ones_and_as_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    content = Path(shutil.copy(CONTENT, tmp_path / "content.toml"))
    parallel = build(Options(content=content, out=tmp_path / "parallel"))
    monkeypatch.setattr(build_module.os, "cpu_count", lambda: 1)  # one core: one engine at a time
    running, most = [], []
    real_wait = cores.Cores.wait

    def wait(self, process, timeout):
        running.append(process)
        most.append(len(running))
        try:
            return real_wait(self, process, timeout)
        finally:
            running.remove(process)

    monkeypatch.setattr(cores.Cores, "wait", wait)
    serial = build(Options(content=content, out=tmp_path / "serial", cache=False))
    monkeypatch.setattr(cores.Cores, "wait", real_wait)
    assert most and max(most) == 1, "the serial build ran engines side by side"
    cached = build(Options(content=content, out=tmp_path / "cached"))
    assert [r.variant for r in parallel] == [r.variant for r in serial] and len(parallel) >= 2
    for p, s, c in zip(parallel, serial, cached):
        assert p.error is None and s.error is None and c.error is None
        assert not p.cached and not s.cached and c.cached
        assert p.pdf.read_bytes() == s.pdf.read_bytes() == c.pdf.read_bytes(), p.variant


def test_the_cache_stays_within_its_entry_bound(minimal, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    for word in ("first", "second", "third", "fourth"):
        minimal.write_text(MINIMAL.replace("Wrote", f"Wrote ({word})"))
        _build(minimal)
        assert len(_entries(minimal)) <= 2
    assert _build(minimal).cached  # the newest entry survived


def test_eviction_keeps_the_newest_entries_within_count_and_bytes(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    for age in range(6):  # entry 0 is the newest
        entry = folder / f"{age:064d}.entry"
        entry.write_bytes(b"x" * 1000)
        os.utime(entry, (1_000_000 - age, 1_000_000 - age))
    dead = folder / ".abandoned.tmp"
    dead.write_bytes(b"partial")
    os.utime(dead, (0, 0))
    cache.evict(folder, max_entries=4, max_bytes=3500)
    assert sorted(p.name[:64] for p in folder.glob("*.entry")) == [f"{age:064d}" for age in range(3)]
    assert not dead.exists()
    cache.evict(folder, max_entries=1)
    assert [p.name[:64] for p in folder.glob("*.entry")] == [f"{0:064d}"]


def test_the_cache_folder_is_beside_the_content_file_and_marked(minimal):
    _build(minimal)
    folder = minimal.parent / ".cache" / "cvpress"
    assert cache.folder(minimal) == folder.resolve()
    assert (folder / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (folder / ".gitignore").read_text() == "*\n"


def test_concurrent_builds_share_the_cache_without_corrupting_it(minimal, tmp_path):
    command = [sys.executable, "-m", "cvpress", "build", "-c", str(minimal)]
    builds = [subprocess.Popen([*command, "-o", str(tmp_path / f"out{i}")], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True) for i in range(3)]
    assert [b.wait(timeout=300) for b in builds] == [0, 0, 0]
    [entry] = _entries(minimal)
    assert not list(entry.parent.glob("*.tmp"))
    again = _build(minimal)
    assert again.cached
    assert again.pdf.read_bytes() == (tmp_path / "out0" / "full.pdf").read_bytes()


def test_a_cache_hit_reuses_the_checks_of_that_very_pdf(minimal, monkeypatch):
    from cvpress import ats

    calls = []
    real = ats.check
    monkeypatch.setattr(ats, "check", lambda *a, **k: calls.append(1) or real(*a, **k))
    first = _build(minimal)
    assert len(calls) == 1
    second = _build(minimal)
    assert second.cached and second.pages == first.pages and len(calls) == 1  # verdict reused
    [entry] = _entries(minimal)
    entry.with_suffix(".verdict").write_text('{"pages": 1, "ats": true, "checker": "older code"}')
    _build(minimal)
    assert len(calls) == 2  # a verdict from other checking code is not trusted
    _build(minimal, ats=False)
    assert len(calls) == 2
