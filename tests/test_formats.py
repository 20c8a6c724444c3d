"""Tests for cvpress.formats: precompiled preambles, built by real pdfTeX, reused exactly when they may be."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, run_cli

from cvpress import content, formats, render, variants
from cvpress.typeset import CompileError, compile_tex
from cvpress.render import Rendered

PREAMBLE = "\\documentclass{article}\n\\usepackage{xcolor}\n"


def doc(body: str, preamble: str = PREAMBLE, after: str = "") -> Rendered:
    """Trusted TeX with a format marker: `preamble` is frozen, `after` and the body are not."""
    return Rendered(f"{preamble}{formats.MARKER}\n{after}\\begin{{document}}\n{body}\n\\end{{document}}\n", ())


@pytest.fixture
def user_cache(tmp_path, monkeypatch) -> Path:
    """A per-user cache of this test's own: formats built here, not shared with other tests."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    return tmp_path / "user-cache" / "cvpress" / "formats"


def shipped(name: str = "full", **style) -> Rendered:
    selection = variants.select(content.load(CONTENT), name)
    merged = render.merged_style(selection)
    return render.render(selection, style=merged.model_copy(update=style) if style else None)


def test_split_blanks_the_frozen_lines_and_keeps_line_numbers():
    tex = doc("Hello").tex
    frozen, rest = formats.split(tex)
    assert frozen == PREAMBLE
    assert rest.count("\n") == tex.count("\n") and rest.splitlines()[2] == formats.MARKER
    assert not rest.splitlines()[0] and not rest.splitlines()[1]
    assert formats.split("\\documentclass{article}\n\\begin{document}x\\end{document}\n") is None
    assert formats.split(f"% {formats.MARKER}\n") is None  # only a line of its own marks the end


def test_the_document_template_marks_what_fitting_varies_as_not_frozen():
    frozen, rest = formats.split(shipped().tex)
    assert "\\usepackage{cvpress}" in frozen and "\\documentclass[11pt" in frozen
    for varying in ("\\geometry{margin=", "\\cvSpacing", "pdftitle=", "\\definecolor{accent}"):
        assert varying not in frozen and varying in rest


def test_a_compile_builds_the_format_once_and_then_reuses_it(user_cache, tmp_path):
    first = compile_tex(shipped(), tmp_path / "a", timeout=60)
    assert first.format and (user_cache / f"{first.format}.fmt").exists()
    built = (user_cache / f"{first.format}.fmt").stat().st_mtime_ns
    again = compile_tex(shipped("manager"), tmp_path / "b", timeout=60)  # another variant, same preamble
    assert again.format == first.format
    assert (user_cache / f"{first.format}.fmt").stat().st_mtime_ns == built
    # The packages inside the format count as the compile's inputs (the build cache checks them).
    assert any(path.endswith("/enumitem.sty") for path, _, _ in again.inputs)
    assert any(path.endswith(f"{first.format}.fmt") for path, _, _ in again.inputs)


def test_what_is_frozen_decides_the_format(user_cache, tmp_path):
    base = compile_tex(shipped(), tmp_path / "a", timeout=60).format
    assert compile_tex(shipped(margin="0.9in", spacing=0.8), tmp_path / "b", timeout=60).format == base
    assert compile_tex(shipped(font_size=10), tmp_path / "c", timeout=60).format != base
    theme = shipped()
    changed = tmp_path / "cvtheme.sty"  # one theme file changed by a byte: never the old format
    changed.write_bytes(next(p for p in theme.support if p.name == "cvtheme.sty").read_bytes() + b"%\n")
    support = tuple(changed if p.name == "cvtheme.sty" else p for p in theme.support)
    edited = Rendered(theme.tex, support, theme.templates)
    assert compile_tex(edited, tmp_path / "d", timeout=60).format != base


def test_same_bytes_whether_the_format_existed_or_not(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    pdfs = []
    for run in ("fresh", "reused", "reused-again"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / ("cache-fresh" if run == "fresh" else "cache")))
        compiled = compile_tex(shipped(), tmp_path / run, timeout=60, source_date_epoch=1700000000)
        assert compiled.format
        pdfs.append(compiled.pdf.read_bytes())
    assert pdfs[0] == pdfs[1] == pdfs[2]


def test_formats_are_stored_uncompressed_and_give_the_bytes_of_the_packed_one(user_cache, tmp_path):
    first = compile_tex(shipped(), tmp_path / "a", timeout=60, source_date_epoch=1700000000)
    stored = user_cache / f"{first.format}.fmt"
    raw = stored.read_bytes()
    assert raw[:2] != b"\x1f\x8b" and len(raw) > 5_000_000  # not gzip: TeX reads it without inflating (8.9 MB in TL 2024)
    stored.write_bytes(gzip.compress(raw, compresslevel=1))  # as TeX itself writes formats
    packed = compile_tex(shipped(), tmp_path / "b", timeout=60, source_date_epoch=1700000000)
    assert packed.format == first.format
    assert packed.pdf.read_bytes() == first.pdf.read_bytes()


def test_an_out_of_date_format_is_rebuilt(user_cache, tmp_path):
    name = compile_tex(doc("Hello"), tmp_path / "a", timeout=60).format
    record = user_cache / f"{name}.json"
    data = json.loads(record.read_text())
    data["inputs"][0][1] += 1  # as if TeX Live had updated a package since
    record.write_text(json.dumps(data))
    before = (user_cache / f"{name}.fmt").stat().st_mtime_ns
    assert compile_tex(doc("Hello"), tmp_path / "b", timeout=60).format == name
    assert (user_cache / f"{name}.fmt").stat().st_mtime_ns != before


def test_errors_after_the_marker_keep_their_line_numbers(user_cache, tmp_path):
    rendered = doc("fine\n\\undefinedcommand % @work[0].name\n")
    with pytest.raises(CompileError) as caught:
        compile_tex(rendered, tmp_path / "a", timeout=60)
    assert list(user_cache.glob("*.fmt")), "the preamble was precompiled"
    line = rendered.tex.splitlines().index("\\undefinedcommand % @work[0].name") + 1
    assert caught.value.tex_line == line and caught.value.source == "work[0].name"


def test_a_preamble_that_cannot_be_precompiled_is_compiled_without_one(user_cache, tmp_path):
    rendered = doc("Hello", preamble="\\documentclass{article}\n\\undefinedinpreamble\n")
    with pytest.raises(CompileError) as caught:  # reported as any error: line and all
        compile_tex(rendered, tmp_path / "a", timeout=60)
    assert caught.value.tex_line == 2
    failed = [json.loads(p.read_text()) for p in user_cache.glob("*.json")]
    assert [f.get("failed") for f in failed] == [True] and not list(user_cache.glob("*.fmt"))
    # A preamble that compiles fine but is not dumped the same way still builds, without a format.
    plain = compile_tex(Rendered("\\documentclass{article}\n\\begin{document}x\\end{document}\n", ()),
                        tmp_path / "b", timeout=60)
    assert plain.format is None and plain.pdf.exists()


def test_least_recently_used_formats_are_evicted(user_cache, tmp_path, monkeypatch):
    monkeypatch.setattr(formats, "MAX_FORMATS", 1)
    first = compile_tex(doc("a"), tmp_path / "a", timeout=60).format
    second = compile_tex(doc("b", preamble="\\documentclass[12pt]{article}\n"), tmp_path / "b", timeout=60).format
    assert first != second
    assert sorted(p.stem for p in user_cache.glob("*.fmt")) == [second]


def test_lualatex_never_uses_a_format(user_cache, tmp_path):
    compiled = compile_tex(doc("Hello"), tmp_path / "a", engine="lualatex", timeout=120)
    assert compiled.format is None and compiled.pdf.exists()


def test_a_format_that_cannot_be_stored_leaves_the_compile_without_one(user_cache, tmp_path):
    rendered = doc("Hello")
    user_cache.mkdir(parents=True)
    name = formats.key(formats.split(rendered.tex)[0], (), "pdflatex")
    (user_cache / f"{name}.fmt").mkdir()  # in the way of the built format, as a full disk would be
    compiled = compile_tex(rendered, tmp_path / "a", timeout=60)
    assert compiled.format is None and compiled.pdf.exists()


# ---------------------------------------------------------------- a broken cache costs time, never a build


def _corrupt_in_place(path: Path) -> None:
    """Garbage over the start of a format, its size and time kept: only loading it shows the damage."""
    stat = path.stat()
    with open(path, "r+b") as raw:
        raw.write(b"not a format " * 1000)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


@pytest.mark.parametrize("damage", ["truncated", "garbage", "garbage, time kept"])
def test_a_corrupt_format_is_rebuilt_and_the_build_succeeds(user_cache, tmp_path, damage):
    """`cvpress build` as a user runs it, twice: the second build also starts engines ahead with the
    format the first one used (warm.py), so the damaged file is what they load."""
    (tmp_path / "content.toml").write_text(MINIMAL, encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(user_cache.parents[1])}
    assert run_cli("build", cwd=tmp_path, env=env).returncode == 0
    (stored,) = user_cache.glob("*.fmt")
    size = stored.stat().st_size
    if damage == "truncated":
        os.truncate(stored, 4096)
    elif damage == "garbage":
        stored.write_bytes(b"\0garbage" * 1000)
    else:
        _corrupt_in_place(stored)
    done = run_cli("build", "--force", cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "full.pdf").exists()
    assert stored.stat().st_size == size and not stored.read_bytes().startswith(b"not a format")  # built again
    assert run_cli("build", "--force", cwd=tmp_path, env=env).returncode == 0


def test_a_format_the_engine_cannot_load_is_built_again_once(user_cache, tmp_path):
    first = compile_tex(doc("Hello"), tmp_path / "a", timeout=60)
    stored = user_cache / f"{first.format}.fmt"
    _corrupt_in_place(stored)
    again = compile_tex(doc("Hello"), tmp_path / "b", timeout=60)
    assert again.format == first.format and again.pdf.exists()
    assert not stored.read_bytes().startswith(b"not a format")
def test_what_a_killed_preamble_build_left_goes_with_the_next_build(user_cache, tmp_path):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process that has ended: its folder is left over from a killed build
    user_cache.mkdir(parents=True)
    (user_cache / f"build-{gone.pid}-abc").mkdir()
    (user_cache / f"build-{gone.pid}-abc" / "frozen.tex").write_text("half built")
    (user_cache / f"build-{os.getpid()}-def").mkdir()  # a build of a process still running
    compile_tex(doc("Hello"), tmp_path / "a", timeout=60)  # builds a format: then sweeps
    assert sorted(p.name for p in user_cache.glob("build-*")) == [f"build-{os.getpid()}-def"]
