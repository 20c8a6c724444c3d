"""The compile sandbox: no shell escape, paranoid file access, a wall-clock timeout.

Both engines compile real documents that attack from TeX and, under LuaLaTeX, from Lua. Each attack
is first run unconfined (kpathsea permissive, shell escape on, no sandbox.lua) to show it works there,
so a refusal under cvpress's sandbox is the sandbox's doing, not a broken attack.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import time
import zlib

import pytest
from conftest import MINIMAL

from cvpress import typeset as tex
from cvpress import content, engines, render, variants
from cvpress.build import Options, build
from cvpress.errors import CompileError
from cvpress.render import Rendered

SECRET = "SECRETXMARKERQ"  # what a file outside the build folder holds
BOTH = [engines.PDFLATEX, engines.LUALATEX]
CONFINEMENTS = ["unconfined", "sandbox.lua alone", "cvpress"]


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
    assert "File `/etc/hostname.tex' not found" in result.error.format()


def test_writing_outside_the_build_folder_and_shell_escape_are_refused(theme, write_content, tmp_path):
    target = tmp_path / "escaped.txt"
    document = theme / "document.tex.j2"
    attack = (r"\newwrite\w\immediate\openout\w=" + str(target) + r"\immediate\write\w{x}\immediate\closeout\w"
              r"\immediate\write18{touch " + str(tmp_path / "pwned") + "}")
    document.write_text(document.read_text().replace(r"\begin{document}", r"\begin{document}" + attack))
    result = _build_with(theme, write_content, tmp_path)
    assert result.error is not None and "I can't write on file" in result.error.format()  # the attack ran
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


def test_unknown_theme_is_a_clear_user_error(write_content):
    resume = content.load(write_content(MINIMAL))
    from cvpress.errors import UserError

    with pytest.raises(UserError, match="theme 'nope' not found"):
        render.render(variants.select(resume, "full"), "nope")


# ---------------------------------------------------------------- attacks on both engines, confined or not


@pytest.fixture
def confine(monkeypatch):
    """confine(how): "cvpress" (as shipped), "sandbox.lua alone" (kpathsea permissive and shell
    escape on: only sandbox.lua stands in the way) or "unconfined" (no sandbox.lua either)."""
    env, command = tex.sandbox_env, tex.engine_command

    def confine(how: str) -> None:
        if how == "cvpress":
            return
        monkeypatch.setattr(tex, "sandbox_env", lambda *a, **k: {**env(*a, **k), "openin_any": "a",
                                                                 "openout_any": "a", "shell_escape": "t"})
        monkeypatch.setattr(tex, "engine_command", lambda engine, preloaded=None: [
            part for part in command(engine, preloaded)
            if part != "-no-shell-escape" and (how != "unconfined" or not part.startswith("--lua="))])

    return confine


def _compile(tmp_path, engine: str, body: str) -> tuple[str, str]:
    """Compile a real document with `body`; (the PDF's text or the error, the log's text)."""
    rendered = Rendered("\\documentclass{article}\n\\usepackage{shellesc}\n\\begin{document}\nBEGIN " + body
                        + " END\n\\end{document}\n", ())
    workdir = tmp_path / "work"
    try:
        compiled = tex.compile_tex(rendered, workdir, engine=engine, timeout=120)
        text = subprocess.run(["pdftotext", str(compiled.pdf), "-"], capture_output=True, text=True, check=True).stdout
    except CompileError as error:
        text = error.format()
    log = workdir / "resume.log"
    return text, log.read_text(errors="replace") if log.exists() else ""


@pytest.fixture
def secret(tmp_path):
    """A file outside the build folder (tmp_path/work): secret.tex, also valid Lua."""
    path = tmp_path / "secret.tex"
    path.write_text(f'return "{SECRET}" -- {SECRET}\n')
    png = zlib.compress(b"\0\0")  # and secret.png, one white pixel
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)), (b"IDAT", png), (b"IEND", b"")]
    (tmp_path / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)) for kind, data in chunks))
    return path


@pytest.mark.parametrize("engine", BOTH)
@pytest.mark.parametrize("how", ["unconfined", "cvpress"])
def test_tex_reads_nothing_outside_the_build_folder(engine, how, confine, secret, tmp_path):
    confine(how)
    text, log = _compile(tmp_path, engine, rf"\input{{{secret}}}")
    if how == "unconfined":
        assert SECRET in text, text
    else:
        assert SECRET not in text and SECRET not in log
        assert f"File `{secret}' not found" in text


@pytest.mark.parametrize("engine", BOTH)
@pytest.mark.parametrize("how", ["unconfined", "cvpress"])
def test_tex_writes_nothing_outside_the_build_folder_and_runs_nothing(engine, how, confine, tmp_path):
    confine(how)
    target, pwned = tmp_path / "written.txt", tmp_path / "pwned"
    _compile(tmp_path, engine, rf"\newwrite\w\immediate\openout\w={target}\immediate\write\w{{x}}\immediate\closeout\w"
                               rf"\ShellEscape{{touch {pwned}}}")  # \write18 in pdfTeX, os.execute in LuaTeX
    assert target.exists() == pwned.exists() == (how == "unconfined")


LUA_READS = {
    "io.open": 'local f = io.open("{path}"); return f:read("a")',
    "io.lines": 'local out = ""; for line in io.lines("{path}") do out = out .. line end; return out',
    "io.input": 'io.input("{path}"); return io.read("a")',
    "loadfile": 'return loadfile("{path}")()',
    "dofile": 'return dofile("{path}")',
    "lfs.dir": 'for name in lfs.dir("{folder}") do if name == "secret.tex" then return ("{marker}"):upper() end end',
    "img.scan": 'return img.scan({{filename = "{folder}/secret.png"}}) and ("{marker}"):upper()',
    "lfs.chdir": 'local here = lfs.currentdir(); lfs.chdir("{folder}"); local f = io.open("secret.tex");'
                 'lfs.chdir(here); return f:read("a")',
    "TeX's find_read_file": 'luatexbase.add_to_callback("find_read_file", function(id, name) if name:find("anything")'
                            ' then return "{path}" end return kpse.find_file(name, "tex") or name end, "x");'
                            'tex.print("\\\\csname @@input\\\\endcsname anything "); return ""',  # TeX's own
}


@pytest.mark.parametrize("how", CONFINEMENTS)
@pytest.mark.parametrize("attack", list(LUA_READS))
def test_lua_reads_nothing_outside_the_build_folder(attack, how, confine, secret, tmp_path):
    confine(how)
    code = LUA_READS[attack].format(path=secret, folder=secret.parent, marker=SECRET.lower())
    text, log = _compile(tmp_path, engines.LUALATEX, rf"\directlua{{tex.sprint((function() {code} end)())}}")
    if how == "unconfined":
        assert SECRET in text, text
    else:
        assert SECRET not in text and SECRET not in log
        assert "cvpress sandbox: refused" in log and str(secret.parent) in log


LUA_WRITES = {
    "io.open": 'io.open("{target}", "w"):write("x")',
    "io.output": 'io.output("{target}"); io.write("x"); io.close()',
    "os.rename": 'io.open("inside.txt", "w"):close(); os.rename("inside.txt", "{target}")',
    "lfs.mkdir": 'lfs.mkdir("{target}")',
    "lfs.touch": 'io.open("inside.txt", "w"):close(); lfs.touch("{target}")',
    "TeX's find_write_file": 'luatexbase.add_to_callback("find_write_file", function() return "{target}" end, "x");'
                             'tex.print("\\\\newwrite\\\\w\\\\immediate\\\\openout\\\\w=x.txt\\\\immediate\\\\write\\\\w{{x}}'
                             '\\\\immediate\\\\closeout\\\\w")',
    "os.execute": 'os.execute("touch {target}")',
    "io.popen": 'io.popen("touch {target}"):close()',
    "os.spawn": 'os.spawn("touch {target}")',
}


@pytest.mark.parametrize("how", CONFINEMENTS)
@pytest.mark.parametrize("attack", list(LUA_WRITES))
def test_lua_writes_nothing_outside_the_build_folder_and_runs_nothing(attack, how, confine, tmp_path):
    if attack == "lfs.touch":  # touch changes a time: the target must exist to be written
        (tmp_path / "target").write_text("")
        before = (tmp_path / "target").stat().st_mtime_ns
    confine(how)
    target = tmp_path / "target"
    code = LUA_WRITES[attack].format(target=target)
    text, log = _compile(tmp_path, engines.LUALATEX, rf"\directlua{{{code}}}")
    if attack == "lfs.touch":
        written = target.stat().st_mtime_ns != before
    else:
        written = target.exists()
    assert written == (how == "unconfined"), (text, log[-2000:])
    if how != "unconfined":
        assert "cvpress sandbox: refused" in log


def test_lua_cannot_reach_the_originals_or_load_bytecode(tmp_path):
    checks = ('local up = debug.getupvalue; local ok = pcall(load, string.char(27) .. "Lua"); '
              'tex.sprint(tostring(up) .. " " .. tostring(package.loadlib) .. " " .. tostring(io.saved_open) .. " "'
              ' .. tostring(not load(string.char(27) .. "LuaS")) .. " " .. tostring(os.getenv("CVPRESS_SECRET")) .. " " .. tostring(os.uname().nodename))')
    import os
    os.environ["CVPRESS_SECRET"] = SECRET
    try:
        text, _ = _compile(tmp_path, engines.LUALATEX, rf"\directlua{{{checks}}}")
    finally:
        del os.environ["CVPRESS_SECRET"]
    assert "BEGIN nil nil nil true nil nil END" in text, text
