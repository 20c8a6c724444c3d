"""No-op builds: the record of the last successful build answers only when nothing changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import MINIMAL

from cvpress import memo, outputs, render, texlive, verify
from cvpress.build import Options, build


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content.toml"
    content.write_text(MINIMAL, encoding="utf-8")
    [first] = build(Options(content=content, out=tmp_path / "out"))
    assert first.error is None and not first.replayed
    return content


def _again(content, **options):
    [result] = build(Options(content=content, out=content.parent / "out", **options))
    assert result.error is None, result.error.format()
    return result


def test_an_unchanged_build_is_replayed_with_the_same_results(project):
    result = _again(project)
    assert result.replayed and result.cached and result.pages == 1
    assert result.pdf == (project.parent / "out" / "full.pdf") and result.engine == "pdflatex"


def test_a_replay_loads_no_stage(project):
    code = ("import sys; from pathlib import Path; from cvpress.build import Options, build; "
            f"[r] = build(Options(content=Path({str(project)!r}), out=Path({str(project.parent / 'out')!r}))); "
            "print(r.replayed, sorted(m for m in ('cvpress.model', 'pydantic', 'jinja2', 'pypdf') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "True []", done.stderr


@pytest.mark.parametrize("change", ["content", "request", "epoch", "output", "deleted", "templates", "engine"])
def test_any_change_builds_again(project, change, monkeypatch):
    options = {}
    if change == "content":
        project.write_text(MINIMAL.replace("first published", "first printed"), encoding="utf-8")
    elif change == "request":
        options = {"ats": False}
    elif change == "epoch":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    elif change == "output":
        outputs.put(project.parent / "out", "full", "full.pdf", b"%PDF-1.5 another build's")
    elif change == "deleted":
        (project.parent / "out" / "full.pdf").unlink()
    elif change == "templates":
        (project.parent / "templates").mkdir()
        (project.parent / "templates" / "unused.tex.j2").write_text("x")
    elif change == "engine":
        monkeypatch.setattr(texlive, "engine_version", lambda engine: "pdfTeX 9.99 (a newer TeX Live)")
    result = _again(project, **options)
    assert not result.replayed
    assert (project.parent / "out" / "full.pdf").read_bytes().startswith(b"%PDF-")
    assert _again(project, **options).replayed  # and the new build is remembered in turn


def test_a_changed_tex_installation_file_builds_again(project, tmp_path):
    """The record lists the TeX Live files the engine read (path, size, mtime): one of them changing,
    as after a TeX Live update, makes `replay` refuse and the build run again."""
    installed = tmp_path / "texmf.sty"
    installed.write_text("old")
    stat = os.stat(installed)
    [path] = (project.parent / memo.FOLDER).glob("*.json")
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["tex_inputs"], "the engine's TeX Live inputs are recorded"
    record["tex_inputs"].append([str(installed), stat.st_size, stat.st_mtime_ns])
    path.write_text(json.dumps(record), encoding="utf-8")
    assert _again(project).replayed  # the file as recorded: still the same build
    path.write_text(json.dumps(record), encoding="utf-8")
    installed.write_text("newer")
    assert not _again(project).replayed


def test_force_and_no_cache_never_replay(project):
    assert not _again(project, force=True).replayed
    assert not _again(project, cache=False).replayed


def test_a_failed_build_is_not_followed_by_a_replay(project):
    # a template of the user's own that breaks the compile: the build fails, out/full.pdf stays
    (project.parent / "templates").mkdir()
    broken = project.parent / "templates" / "highlights.tex.j2"
    broken.write_text("\\undefinedmacro\n")
    [failed] = build(Options(content=project, out=project.parent / "out"))
    assert failed.error is not None
    broken.unlink()  # back to exactly the inputs of the last success: still no replay of it
    assert not _again(project).replayed


def test_a_save_during_a_build_is_not_taken_for_what_that_build_read(project, monkeypatch):
    """The record holds the text the build read: a save while it ran (here, as it renders) makes
    the next build run again, with the new text."""
    real = render.render

    def saved_meanwhile(*args, **kwargs):
        project.write_text(MINIMAL.replace("first published", "first printed"), encoding="utf-8")
        return real(*args, **kwargs)

    project.write_text(MINIMAL.replace("first published", "first copied"), encoding="utf-8")
    monkeypatch.setattr(render, "render", saved_meanwhile)
    assert not _again(project).replayed
    monkeypatch.setattr(render, "render", real)
    result = _again(project)
    assert not result.replayed
    assert "first printed" in verify.read(result.pdf, text=True).text


def test_outside_git_touching_the_content_file_changes_nothing(project):
    os.utime(project, (1800000000, 1800000000))  # the PDF date's guess moves, the content does not
    assert _again(project).replayed
