"""The compile sandbox: no shell escape, paranoid file access, a wall-clock timeout."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import MINIMAL

from cvpress import compile as tex
from cvpress import content, render, variants
from cvpress.build import Options, build


@pytest.fixture
def theme(tmp_path):
    """A copy of the classic theme that a test may break on purpose."""
    folder = tmp_path / "theme"
    shutil.copytree(render.theme_dir("classic"), folder)
    return folder


def _build_with(theme, write_content, tmp_path, timeout=60.0):
    path = write_content(MINIMAL)
    return build(Options(content=path, out=tmp_path / "out", theme=str(theme), timeout=timeout, cache=False))[0]


def test_a_template_level_infinite_loop_is_stopped_by_the_timeout(theme, write_content, tmp_path):
    document = theme / "document.tex.j2"
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}\def\x{\x}\x"))
    started = time.monotonic()
    result = _build_with(theme, write_content, tmp_path, timeout=3)
    assert time.monotonic() - started < 30
    assert result.error is not None and "did not finish within 3 s" in result.error.format()
    assert not (tmp_path / "out" / "full.pdf").exists()


def test_reading_outside_the_build_folder_is_refused(theme, write_content, tmp_path):
    document = theme / "document.tex.j2"
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}\input{/etc/hostname}"))
    result = _build_with(theme, write_content, tmp_path)
    assert result.error is not None
    assert "not writable" not in result.error.format()
    assert "/etc/hostname" in result.error.format() or "LaTeX failed" in result.error.format()


def test_writing_outside_the_build_folder_and_shell_escape_are_refused(theme, write_content, tmp_path):
    target = tmp_path / "escaped.txt"
    document = theme / "document.tex.j2"
    attack = (r"\newwrite\w\immediate\openout\w=" + str(target) + r"\immediate\write\w{x}\immediate\closeout\w"
              r"\immediate\write18{touch " + str(tmp_path / "pwned") + "}")
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}" + attack))
    _build_with(theme, write_content, tmp_path)
    assert not target.exists()
    assert not (tmp_path / "pwned").exists()


def test_compile_error_points_at_generated_line_and_content_key(theme, write_content, tmp_path):
    highlights = theme / "highlights.tex.j2"
    highlights.write_text(highlights.read_text().replace(r"\item \cvmark", r"\item \undefinedmacro\cvmark"))
    result = _build_with(theme, write_content, tmp_path)
    message = result.error.format()
    assert "Undefined control sequence" in message
    assert "generated line" in message
    assert "work[0].positions[0].highlights[0]" in message
    assert "content.toml:" in message  # the TOML line that holds it
    assert "full log:" in message and (tmp_path / "out" / "full.log").exists()
    assert len(message.splitlines()) < 15


def test_sandbox_env_is_paranoid():
    env = tex.sandbox_env(0)
    assert env["openin_any"] == "p" and env["openout_any"] == "p" and env["shell_escape"] == "f"
    assert env["SOURCE_DATE_EPOCH"] == "0" and env["FORCE_SOURCE_DATE"] == "1"


def test_unknown_theme_is_a_clear_user_error(write_content):
    resume = content.load(write_content(MINIMAL))
    from cvpress.errors import UserError

    with pytest.raises(UserError, match="theme 'nope' not found"):
        render.render(variants.select(resume, "full"), "nope")
