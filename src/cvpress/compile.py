"""Stage 4: compile a rendered document with TeX Live, sandboxed, one pass when one is enough."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cvpress import engines
from cvpress.errors import BuildError
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


@dataclass
class CompileError(BuildError):
    """The engine stopped with an error; carries what a person needs to find its cause."""

    message: str
    errors: list[str] = field(default_factory=list)  # the engine's "!" lines
    tex_line: int | None = None
    tex_text: str | None = None
    source: str | None = None  # key path from the source map, e.g. work[0].positions[0].highlights[2]
    log: Path | None = None

    def __post_init__(self):
        BuildError.__init__(self, self.message)

    def format(self) -> str:
        lines = [self.message] + [f"  {e}" for e in self.errors[:6]]
        if self.tex_line is not None:
            lines.append(f"  generated line {self.tex_line}: {(self.tex_text or '').strip()[:200]}")
        if self.source:
            lines.append(f"  produced by: {self.source}")
        if self.log:
            lines.append(f"  full log: {self.log}")
        return "\n".join(lines)


def sandbox_env(source_date_epoch: int | None = None, engine: str = "pdflatex") -> dict[str, str]:
    """The engine's environment: no shell escape, reads and writes only below the build folder.

    LuaLaTeX's font loader also keeps a font cache, written with Lua's own I/O (not TeX's paranoid
    \\openout) into TEXMFCACHE: cvpress's own folder, so it works whatever $HOME is.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXMF", "TEXINPUTS", "openin", "openout"))}
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


def engine_path(engine: str = "pdflatex") -> str:
    found = shutil.which(engine)
    if not found:
        raise BuildError(
            f"{engine} not found: install TeX Live (`make setup` does it on Debian/Ubuntu; "
            "elsewhere install TeX Live or MacTeX and put it on PATH)"
        )
    return found


def compile_tex(rendered: Rendered, workdir: Path, *, engine: str | None = None, timeout: float = 60,
                source_date_epoch: int | None = None) -> Compiled:
    """Write the document into `workdir` and compile it; raise CompileError on failure.

    `engine` None: the one the document's characters need (rendered.engine). Characters that no
    font can set raise engines.UnsupportedCharacters.
    """
    started = time.perf_counter()
    engine = engine or rendered.engine
    unsupported = engines.unsupported_in(rendered.tex)  # reported with what the engine cannot find
    workdir.mkdir(parents=True, exist_ok=True)
    (workdir / f"{JOB}.tex").write_text(rendered.tex, encoding="utf-8")
    for support in rendered.support:
        shutil.copyfile(support, workdir / support.name)
    # The trailer /ID comes from the document itself (pdfTeX would hash the time and file name),
    # so the same content gives the same bytes in any folder, at any time.
    # -recorder lists every file the engine read in resume.fls: the build cache checks them (cache.py).
    trailer = trailer_id(rendered)
    trailer = (rf"\pdfvariable trailerid{{[<{trailer}> <{trailer}>]}}" if engine == engines.LUALATEX
               else rf"\pdftrailerid{{{trailer}}}")
    command = [engine_path(engine), "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "-recorder",
               "-file-line-error", f"-jobname={JOB}", rf"{trailer}\input{{{JOB}.tex}}"]
    env = sandbox_env(source_date_epoch, engine)
    log = workdir / f"{JOB}.log"
    for passes in range(1, MAX_PASSES + 1):
        with engines.first_run_lock(env.get("TEXMFCACHE")):
            code = _run(command, workdir, env, timeout)
        text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
        engines.check(unsupported, text)  # characters dropped or refused: name them, never ship a blank
        if code != 0:
            raise _error(text, rendered.tex, log)
        if not _RERUN.search(text):
            break
    return Compiled(workdir / f"{JOB}.pdf", log, passes, time.perf_counter() - started)


def trailer_id(rendered: Rendered) -> str:
    """A stable identifier for the PDF's trailer /ID: a hash of the .tex and the theme files."""
    digest = hashlib.sha256(rendered.tex.encode("utf-8"))
    for support in rendered.support:
        digest.update(b"\0" + support.name.encode("utf-8") + b"\0" + support.read_bytes())
    return digest.hexdigest()[:32]


_running: set[subprocess.Popen] = set()  # engines running now, so that an interrupt can stop them all
_running_lock = threading.Lock()
CANCEL = threading.Event()  # set by stop_all(): no engine starts, running ones are killed


def stop_all() -> None:
    """The build was interrupted: kill every running engine (and its children), start no more."""
    CANCEL.set()
    with _running_lock:
        for process in _running:
            _kill(process)


def _run(command: list[str], cwd: Path, env: dict, timeout: float) -> int:
    """Run the engine in its own process group; kill the whole group on timeout or interrupt."""
    with _running_lock:
        if CANCEL.is_set():
            raise BuildError("interrupted")
        process = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        _running.add(process)
    # A timer kills on timeout: Popen.wait(timeout=…) would poll with sleeps of up to 50 ms
    expired = threading.Event()
    timer = threading.Timer(timeout, lambda: (expired.set(), _kill(process)))
    timer.daemon = True
    timer.start()
    try:
        code = process.wait()
        if expired.is_set():
            raise CompileError(f"the TeX engine did not finish within {timeout:g} s and was stopped "
                               "(raise the limit with --timeout)")
        if CANCEL.is_set():
            raise BuildError("interrupted")
        return code
    except BaseException:
        _kill(process)
        process.wait()
        raise
    finally:
        timer.cancel()
        with _running_lock:
            _running.discard(process)


def _kill(process: subprocess.Popen) -> None:
    """Kill the engine and every process it started (its own process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


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
