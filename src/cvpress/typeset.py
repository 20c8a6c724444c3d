"""Stage 4: compile a rendered document with TeX Live, sandboxed, one pass when one is enough."""

from __future__ import annotations

import hashlib
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from cvpress import engines, formats
from cvpress.cores import Cores
from cvpress.errors import CompileError
from cvpress.texlive import (  # noqa: F401 (engine_path, SANDBOX_LUA: through compile, as tests and cache use them)
    JOB, SANDBOX_LUA, engine_command, engine_path, recorded_inputs, sandbox_env)

if TYPE_CHECKING:
    from cvpress.render import Rendered

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


def compile_tex(rendered: Rendered, workdir: Path, *, engine: str | None = None, timeout: float = 60,
                source_date_epoch: int | None = None, cores: Cores | None = None, retried: bool = False) -> Compiled:
    """Write the document into `workdir` and compile it; raise CompileError on failure.

    `engine` None: the one the document's characters need (rendered.engine). Characters that no
    font can set raise engines.UnsupportedCharacters. `cores`: the build's engines (a core each,
    stopped together); None: this compile's own.
    """
    cores = cores or Cores()
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
    document, preloaded = rendered.tex, None
    if engine == engines.PDFLATEX and (parts := formats.split(rendered.tex)):
        preloaded = formats.get(parts[0], rendered.support, engine, env, cores.run, timeout)
    if preloaded:
        # The format skips the document's lines up to its marker line, which it then reads: the
        # frozen lines are blanked (line numbers in errors stay right), the trailer joins the marker.
        document = parts[1].replace(formats.MARKER, formats.MARKER + trailer, 1)
        env["TEXFORMATS"] = str(preloaded.path.parent)
        command = engine_command(engine, preloaded.path.stem)
    else:
        command = engine_command(engine) + [rf"{trailer}\input{{{JOB}.tex}}"]
    for support in rendered.support:
        shutil.copyfile(support, workdir / support.name)
    log, source = workdir / f"{JOB}.log", workdir / f"{JOB}.tex"
    source.write_text(document, encoding="utf-8")
    for passes in range(1, MAX_PASSES + 1):
        with engines.first_run_lock(env.get("TEXMFCACHE")):
            code = cores.run(command, workdir, env, timeout)
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        engines.check(unsupported, text)  # characters dropped or refused: name them, never ship a blank
        if code != 0 and preloaded and not log.exists() and not retried:  # it could not load its format
            formats.discard(preloaded)  # built again, once, by the retry
            return compile_tex(rendered, workdir, engine=engine, timeout=timeout,
                               source_date_epoch=source_date_epoch, cores=cores, retried=True)
        if code != 0:
            raise _error(text, rendered.tex, log)
        if not _RERUN.search(text):
            break
    inputs = recorded_inputs(workdir / f"{JOB}.fls") + (preloaded.inputs if preloaded else [])
    return Compiled(workdir / f"{JOB}.pdf", log, passes, time.perf_counter() - started, inputs=inputs,
                    format=preloaded.path.stem if preloaded else None)


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
    if not log.exists():
        return CompileError("LaTeX failed", ["the engine stopped before it wrote a log"], None, None, None, None)
    return CompileError("LaTeX failed", unique or ["(no error line in the log)"], tex_line, text, source, log)
