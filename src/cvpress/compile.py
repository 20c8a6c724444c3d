"""Stage 4: compile a rendered document with TeX Live, sandboxed, one pass when one is enough."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cvpress import cores, engines, formats, warm
from cvpress.errors import BuildError, CompileError

if TYPE_CHECKING:
    from cvpress.render import Rendered

JOB = "resume"
MAX_PASSES = 3
ENGINES = (engines.PDFLATEX, engines.LUALATEX)  # which one: engines.choose, from the document's characters
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|rerunfilecheck Warning")
# -file-line-error lines: "./resume.tex:42: Undefined control sequence." (or a theme/package file)
_FILE_LINE = re.compile(r"^(?P<file>[^\s:][^:]*\.(?:tex|sty|cls|def|cfg|fd|ltx|clo)):(?P<line>\d+): (?P<msg>.*)$")
_SRC = re.compile(r"% @(\S+)\s*$")


@dataclass
class Compiled:
    pdf: Path
    log: Path
    passes: int  # 0: the build cache answered, the engine did not run
    seconds: float
    entry: Path | None = None  # the build-cache entry holding this result (cache.py)
    inputs: list = field(default_factory=list)  # [path, size, mtime_ns] of the TeX Live files the engine read
    format: str | None = None  # the precompiled preamble it loaded (formats.py)


def sandbox_env(source_date_epoch: int | None = None, engine: str = "pdflatex") -> dict[str, str]:
    """The engine's environment: no shell escape, reads and writes only below the build folder.

    Only a few of cvpress's own variables pass (a document could print the others: kpathsea expands
    $NAME in file names, Lua has os.getenv). LuaLaTeX's font loader keeps a font cache, written with
    Lua's own I/O into TEXMFCACHE: cvpress's own folder, so it works whatever $HOME is; Lua's I/O is
    confined by sandbox.lua (engine_command).
    """
    env = {k: v for k, v in os.environ.items() if k in _PASSED or k.startswith("LC_")}
    env.update(
        openin_any="p",  # paranoid: no absolute paths, no .., no dotfiles
        openout_any="p",
        shell_escape="f",
        MKTEXPK="0",  # a missing font is an error, never a bitmap font made on the fly
        MKTEXTFM="0",
        MKTEXMF="0",
        TEXINPUTS=".:",
        max_print_line="100000",  # unwrapped log lines: measurements and errors parse reliably
    )
    if source_date_epoch is not None:
        env.update(SOURCE_DATE_EPOCH=str(source_date_epoch), FORCE_SOURCE_DATE="1")
    if engine == engines.LUALATEX:
        env.update(TEXMFCACHE=str(engines.font_cache()))
    return env


_PASSED = ("PATH", "HOME", "LANG", "TZ", "TMPDIR", "SYSTEMROOT")  # what the engine may see of cvpress's environment
SANDBOX_LUA = Path(__file__).with_name("sandbox.lua")  # LuaLaTeX's Lua, confined before the document runs


def engine_path(engine: str = "pdflatex") -> str:
    found = shutil.which(engine)
    if not found:
        raise BuildError(
            f"{engine} not found: install TeX Live (`make setup` does it on Debian/Ubuntu; "
            "elsewhere install TeX Live or MacTeX and put it on PATH)"
        )
    return found


def compile_tex(rendered: Rendered, workdir: Path, *, engine: str | None = None, timeout: float = 60,
                source_date_epoch: int | None = None, priority: int = 0) -> Compiled:
    """Write the document into `workdir` and compile it; raise CompileError on failure.

    `engine` None: the one the document's characters need (rendered.engine). Characters that no
    font can set raise engines.UnsupportedCharacters. `priority`: the engine's place in the queue
    for a core (Slots).
    """
    started = time.perf_counter()
    engine = engine or rendered.engine
    unsupported = engines.unsupported_in(rendered.tex)  # reported with what the engine cannot find
    workdir.mkdir(parents=True, exist_ok=True)
    env = sandbox_env(source_date_epoch, engine)
    # The trailer /ID comes from the document itself (pdfTeX would hash the time and file name),
    # so the same content gives the same bytes in any folder, at any time.
    trailer = trailer_id(rendered)
    trailer = (rf"\pdfvariable trailerid{{[<{trailer}> <{trailer}>]}}" if engine == engines.LUALATEX
               else rf"\pdftrailerid{{{trailer}}}")
    document, preloaded, ready = rendered.tex, None, None
    if engine == engines.PDFLATEX and (parts := formats.split(rendered.tex)):
        preloaded = formats.get(parts[0], rendered.support, engine, env, cores.run, timeout)
    if preloaded:
        # The format skips the document's lines up to its marker line, which it then reads: the
        # frozen lines are blanked (line numbers in errors stay right), the trailer joins the marker.
        document = parts[1].replace(formats.MARKER, formats.MARKER + trailer, 1)
        env["TEXFORMATS"] = str(preloaded.path.parent)
        command = engine_command(engine, preloaded.path.stem)
        ready = warm.take(command, env)  # an engine started ahead with this format, waiting for the document
        workdir = ready.folder if ready else workdir
    else:
        command = engine_command(engine) + [rf"{trailer}\input{{{JOB}.tex}}"]
    for support in rendered.support:
        shutil.copyfile(support, workdir / support.name)
    log, source = workdir / f"{JOB}.log", workdir / f"{JOB}.tex"
    if not ready:
        source.write_text(document, encoding="utf-8")
    for passes in range(1, MAX_PASSES + 1):
        with engines.first_run_lock(env.get("TEXMFCACHE")):
            if ready and passes == 1:
                code = ready.finish(document, timeout, priority)
                source.unlink()  # the started engine's named pipe: a rerun reads a file
                source.write_text(document, encoding="utf-8")
            else:
                code = cores.run(command, workdir, env, timeout, priority)
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        engines.check(unsupported, text)  # characters dropped or refused: name them, never ship a blank
        if code != 0:
            raise _error(text, rendered.tex, log)
        if not _RERUN.search(text):
            break
    inputs = recorded_inputs(workdir / f"{JOB}.fls") + (preloaded.inputs if preloaded else [])
    return Compiled(workdir / f"{JOB}.pdf", log, passes, time.perf_counter() - started, inputs=inputs,
                    format=preloaded.path.stem if preloaded else None)


AHEAD = 1000  # a preamble built ahead takes a core only when no compile waits for one


def prepare(rendered: Rendered, engine: str | None = None, timeout: float = 60,
            source_date_epoch: int | None = None) -> threading.Thread | None:
    """Start precompiling, in a thread, the preamble a later compile of `rendered` would load, when
    it was never built; None when there is nothing to build. Join the thread before the build ends.

    Page fitting may step down a font size, and each size has its own preamble: building it while
    the first compile runs saves waiting for it after. A failure is left to that compile to report."""
    engine = engine or rendered.engine
    if not unprepared(rendered, engine):
        return None
    frozen = formats.split(rendered.tex)[0]
    env = sandbox_env(source_date_epoch, engine)

    def later(command, cwd, env, timeout, priority=0):
        return cores.run(command, cwd, env, timeout, AHEAD)

    def build():
        try:
            formats.get(frozen, rendered.support, engine, env, later, timeout)
        except (BuildError, OSError):
            pass

    thread = threading.Thread(target=build, name="cvpress-preamble-ahead", daemon=True)
    thread.start()
    return thread


def unprepared(rendered: Rendered, engine: str | None = None) -> bool:
    """Whether compiling `rendered` would first precompile its preamble (never tried before)."""
    engine = engine or rendered.engine
    parts = formats.split(rendered.tex) if engine == engines.PDFLATEX else None
    return bool(parts) and not formats.known(parts[0], rendered.support, engine)


def engine_command(engine: str, preloaded: str | None = None) -> list[str]:
    """The engine's command line; with `preloaded` (a format's name, found through TEXFORMATS) it
    also names the document, resume.tex, to read after loading it.

    -recorder lists every file the engine read in resume.fls (the build cache checks them);
    -no-parse-first-line: a document never chooses its own format; LuaLaTeX starts with sandbox.lua."""
    command = [engine_path(engine), "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "-recorder",
               "-no-parse-first-line", "-file-line-error", f"-jobname={JOB}"]
    if engine == engines.LUALATEX:  # Lua's own I/O, processes and libraries confined (sandbox.lua)
        command.insert(1, f"--lua={SANDBOX_LUA}")
    return command + [f"-fmt={preloaded}", f"{JOB}.tex"] if preloaded else command


def recorded_inputs(fls: Path) -> list[list]:
    """Files the engine read from the TeX installation (absolute paths in its -recorder list, outside
    the build folder: the .tex and theme files there are covered by the cache keys), with size and mtime."""
    if not fls.exists():
        return []
    seen, inputs, here = set(), [], str(fls.parent.resolve()) + os.sep
    for line in fls.read_text(encoding="utf-8", errors="surrogateescape").splitlines():
        if line.startswith("PWD /"):
            here = line[4:].rstrip(os.sep) + os.sep
        elif line.startswith("INPUT /") and (path := line[6:]) not in seen and not path.startswith(here):
            seen.add(path)
            stat = os.stat(path)
            inputs.append([path, stat.st_size, stat.st_mtime_ns])
    return inputs


def trailer_id(rendered: Rendered) -> str:
    """A stable identifier for the PDF's trailer /ID: a hash of the .tex and the theme files."""
    digest = hashlib.sha256(rendered.tex.encode("utf-8"))
    for support in rendered.support:
        digest.update(b"\0" + support.name.encode("utf-8") + b"\0" + support.read_bytes())
    return digest.hexdigest()[:32]


def _error(log_text: str, tex: str, log: Path) -> CompileError:
    """The engine's error lines, the generated line and the content that produced it.

    Only an error located in the generated document is blamed on content; one raised inside a
    theme or package file names that file instead."""
    errors, tex_line, located = [], None, False
    lines = log_text.splitlines()
    for i, line in enumerate(lines):
        match = _FILE_LINE.match(line)
        if match or line.startswith("!"):
            if match:
                ours = Path(match["file"]).name == f"{JOB}.tex"
                errors.append(match["msg"] + ("" if ours else f" (in {Path(match['file']).name}, line {match['line']})"))
                if ours and not located:
                    tex_line = int(match["line"])
                located = True
            else:
                errors.append(line[1:].strip())
            errors.extend(l.strip() for l in lines[i + 1 : i + 3] if l.startswith("l.") or l.strip())
    if not located:  # no file:line: fall back to TeX's own "l.N" context line
        found = re.search(r"^l\.(\d+) ", log_text, re.M)
        tex_line = int(found[1]) if found else None
    tex_lines = tex.splitlines()
    text = tex_lines[tex_line - 1] if tex_line and tex_line <= len(tex_lines) else None
    source = None
    if tex_line:  # the nearest source-map comment at or above the failing line
        for candidate in reversed(tex_lines[: tex_line]):
            if match := _SRC.search(candidate):
                source = match[1]
                break
    unique = list(dict.fromkeys(e for e in errors if e))
    return CompileError("LaTeX failed", unique or ["(no error line in the log)"], tex_line, text, source, log)
