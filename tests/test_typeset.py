"""Tests for cvpress.typeset: real pdflatex runs, sandboxed, with useful errors.

Hostile content must come out as text; hostile *trusted* TeX (written straight into a Rendered)
must still be stopped by the sandbox: no shell, no reading or writing outside the build folder.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from conftest import MINIMAL, ROOT

from cvpress import content, render, variants, verify
from cvpress.typeset import SANDBOX_LUA, CompileError, compile_tex, engine_command, engine_path, sandbox_env
from cvpress.errors import EXIT_BUILD, BuildError
from cvpress.render import Rendered

HOSTILE = [
    r"\input{/etc/passwd}",
    r"\write18{touch pwned}",
    r"\immediate\write18{touch pwned}",
    r"\catcode`\{=12 \catcode`\%=11",
    r"\def\x{\x}\x",
    "an unbalanced } brace",
    "an unbalanced { brace",
    r"\immediate\openout1=pwned.tex \immediate\write1{x}",
    r"\usepackage{shellesc}\ShellEscape{touch pwned}",
    "^^5cinput^^7b/etc/passwd^^7d",
    r"\end{document}",
]


def doc(body: str) -> Rendered:
    """Trusted TeX, written by hand: no escaping, no theme."""
    return Rendered("\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n", ())


def no_pwned(*folders: Path) -> None:
    found = [p for folder in folders for p in folder.rglob("pwned*")]
    assert not found, found


# ---------------------------------------------------------------- hostile content


def test_hostile_content_prints_literally(write_content, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lines = ",\n".join(f"  {json.dumps(f'H{n}: {h} :END')}" for n, h in enumerate(HOSTILE))
    path = write_content(MINIMAL.replace('["Wrote the first published program."]', f"[\n{lines}\n]"))
    selection = variants.select(content.load(path), "full")
    workdir = tmp_path / "work"
    compiled = compile_tex(render.render(selection), workdir, timeout=30)

    text = " ".join(verify.text(compiled.pdf).split())
    missing = [h for n, h in enumerate(HOSTILE) if f"H{n}: {h} :END" not in text]
    assert not missing, f"not printed verbatim: {missing}\n{text}"
    no_pwned(workdir, tmp_path, ROOT)
    assert not Path("/tmp/pwned").exists()
    assert compiled.passes == 1


# ---------------------------------------------------------------- the sandbox, against trusted TeX


def test_shell_escape_is_off(tmp_path):
    compiled = compile_tex(doc(r"\immediate\write18{touch pwned}hello"), tmp_path / "work")
    assert "hello" in verify.text(compiled.pdf)
    assert "runsystem(touch pwned)...disabled" in compiled.log.read_text()
    no_pwned(tmp_path)


def test_no_writing_outside_the_build_folder(tmp_path):
    target = tmp_path / "evil.txt"
    with pytest.raises(CompileError) as caught:
        compile_tex(doc(rf"\immediate\openout5={target}\immediate\write5{{x}}\immediate\closeout5"),
                    tmp_path / "work")
    assert not target.exists()
    assert any("I can't write on file" in e for e in caught.value.errors)


@pytest.mark.parametrize("name", ["/etc/hostname", "../secret"])
def test_no_reading_outside_the_build_folder(tmp_path, name):
    (tmp_path / "secret.tex").write_text("SECRET")
    with pytest.raises(CompileError) as caught:
        compile_tex(doc(rf"\input{{{name}}}"), tmp_path / "work")
    assert any("not found" in e for e in caught.value.errors), caught.value.errors


def test_sandbox_environment(monkeypatch):
    monkeypatch.setenv("TEXMFHOME", "/home/evil/texmf")
    monkeypatch.setenv("TEXINPUTS", "/home/evil//:")
    monkeypatch.setenv("openin_any", "a")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "secret")  # a document could print it ($NAME in a file name)
    env = sandbox_env(1700000000)
    assert (env["shell_escape"], env["openin_any"], env["openout_any"]) == ("f", "p", "p")
    assert env["TEXINPUTS"] == ".:" and "TEXMFHOME" not in env
    assert "AWS_SECRET_ACCESS_KEY" not in env and env["PATH"] == os.environ["PATH"]
    assert (env["SOURCE_DATE_EPOCH"], env["FORCE_SOURCE_DATE"]) == ("1700000000", "1")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    monkeypatch.delenv("FORCE_SOURCE_DATE", raising=False)
    assert "FORCE_SOURCE_DATE" not in sandbox_env()


def test_lualatex_starts_with_the_sandbox_and_pdflatex_needs_none():
    assert SANDBOX_LUA.is_file()
    assert engine_command("lualatex")[1] == f"--lua={SANDBOX_LUA}"
    assert not any(part.startswith("--lua") for part in engine_command("pdflatex"))


def test_a_runaway_document_is_stopped(tmp_path):
    workdir = tmp_path / "work"
    started = time.monotonic()
    with pytest.raises(CompileError, match=r"did not finish within 1\.5 s and was stopped"):
        compile_tex(doc(r"\def\x{\x}\x"), workdir, timeout=1.5)
    assert time.monotonic() - started < 10
    time.sleep(0.2)
    survivors = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and Path(os.readlink(proc / "cwd")) == workdir:
                survivors.append(proc.name)
        except OSError:
            continue
    assert not survivors, f"engine processes still running in {workdir}: {survivors}"


# ---------------------------------------------------------------- errors


def test_error_names_engine_lines_generated_line_and_source(tmp_path):
    body = "\n".join([
        r"First line. % @work[0].positions[0].highlights[0]",
        r"Second \undefinedmacro line. % @work[0].positions[0].highlights[1]",
        "Third line.",
    ])
    rendered = doc(body)
    with pytest.raises(CompileError) as caught:
        compile_tex(rendered, tmp_path / "work")
    error = caught.value
    assert error.exit_code == EXIT_BUILD
    assert any("Undefined control sequence" in e for e in error.errors)
    assert error.tex_line == 4
    assert error.tex_text == rendered.tex.splitlines()[3]
    assert error.source == "work[0].positions[0].highlights[1]"
    assert error.log == tmp_path / "work" / "resume.log" and error.log.exists()
    shown = error.format()
    assert shown.startswith("LaTeX failed\n")
    assert r"generated line 4: Second \undefinedmacro line." in shown
    assert "produced by: work[0].positions[0].highlights[1]" in shown
    assert len(shown.splitlines()) <= 12  # the engine's lines, not the whole log


def test_error_without_source_map(tmp_path):
    with pytest.raises(CompileError) as caught:
        compile_tex(doc(r"\undefinedmacro"), tmp_path / "work")
    assert caught.value.source is None and caught.value.tex_line == 3
    assert "produced by" not in caught.value.format()


def test_error_in_a_support_file_is_not_blamed_on_content(tmp_path):
    sty = tmp_path / "broken.sty"
    sty.write_text("\\ProvidesPackage{broken}\n" + "% filler\n" * 8 + "\\undefinedmacro\n")
    body = "\n".join(f"Line {n}. % @work[0].positions[0].highlights[{n}]" for n in range(12))
    rendered = Rendered("\\documentclass{article}\n\\usepackage{broken}\n\\begin{document}\n" + body
                        + "\n\\end{document}\n", (sty,))
    with pytest.raises(CompileError) as caught:
        compile_tex(rendered, tmp_path / "work")
    error = caught.value
    assert any("Undefined control sequence" in e for e in error.errors), error.errors
    assert error.source is None, f"blamed on {error.source}"


def test_missing_engine_is_a_build_error():
    with pytest.raises(BuildError, match="no-such-tex-engine not found: install TeX Live"):
        engine_path("no-such-tex-engine")


# ---------------------------------------------------------------- passes, reproducibility


def test_one_pass_when_one_is_enough(tmp_path):
    compiled = compile_tex(doc("hello"), tmp_path / "work")
    assert compiled.passes == 1 and compiled.pdf.exists() and compiled.seconds > 0


def test_reruns_until_references_settle(tmp_path):
    compiled = compile_tex(doc(r"here\label{x}, on page \pageref{x}"), tmp_path / "work")
    assert compiled.passes == 2
    assert "on page 1" in verify.text(compiled.pdf)


def test_same_document_same_bytes_in_any_folder(tmp_path):
    first = compile_tex(doc("hello"), tmp_path / "one", source_date_epoch=1700000000)
    second = compile_tex(doc("hello"), tmp_path / "elsewhere" / "two", source_date_epoch=1700000000)
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert verify.metadata(first.pdf)["CreationDate"].startswith("D:20231114221320")
