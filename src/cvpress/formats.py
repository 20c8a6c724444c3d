"""Precompiled preambles: the class, packages and theme of a document, loaded once into a TeX format.

A pdfLaTeX pass of the shipped résumé spends 0.27 s, most of it reading the ~60 files of its
preamble; loading them from a format instead takes 0.09 s (stored uncompressed: `_inflate`). The
document template marks where the part that never varies ends with a line `\\csname
endofdump\\endcsname` (after it: margins, spacing, colour, metadata -- what fitting and variants
change; the font size and paper are class options, so each has its own format). Those lines are
dumped once with mylatexformat (TeX Live's texlive-latex-extra), and each compile loads the format
and reads the rest of the document: the frozen lines are blanked, so line numbers in errors stay
those of the generated .tex.

Formats are per user, like LuaLaTeX's font cache ($XDG_CACHE_HOME/cvpress/formats): they depend on
TeX Live and the theme, never on a project. A format's name is a sha256 over the frozen lines, the
theme's support files, the engine, its version and this module's source; it is used only while every
TeX Live file its build read is unchanged (size and mtime, as in cache.py), and those files count as
inputs of every compile that uses it. A format whose size or time is not what its build stored
(truncated, overwritten), or that the engine could not load (a compile stopped before writing its
log: typeset.py), is built again: a broken cache costs time, never a build. Every pdfLaTeX compile goes through a format (one is built when
missing), so the bytes of a PDF never depend on what was cached before: a compile without one
numbers its fonts differently. A preamble that cannot be dumped is remembered and compiled without
one, every time. LuaLaTeX documents never use one: their Lua font set-up does not survive a dump.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from cvpress import hashing, publish, texlive
from cvpress.errors import BuildError
from cvpress.texlive import JOB, engine_command, recorded_inputs

MARKER = r"\csname endofdump\endcsname"
MAX_FORMATS = 8  # about 18 MB each (stored uncompressed); the least recently used go first
_DUMPER = "mylatexformat.ltx"


@dataclass(frozen=True)
class Format:
    path: Path  # the .fmt file
    inputs: list  # [path, size, mtime_ns] of the TeX Live files its build read
    frozen: int  # how many lines of the document it holds


def split(tex: str) -> tuple[str, str] | None:
    """(frozen lines, the rest with those lines blanked), or None when the document has no marker."""
    lines = tex.split("\n")
    for number, line in enumerate(lines):
        if line.strip() == MARKER:
            return "\n".join(lines[:number]) + "\n", "\n" * number + "\n".join(lines[number:])
    return None


def folder() -> Path:
    return texlive.user_cache("formats", "cvpress keeps precompiled preambles in a per-user cache")


@functools.cache
def _source() -> bytes:
    return Path(__file__).read_bytes()


def key(frozen: str, support: tuple[Path, ...], engine: str) -> str:
    digest = hashlib.sha256()
    feed = functools.partial(hashing.feed, digest)
    feed("module", _source())
    feed("frozen", frozen)
    for path in support:
        feed(f"support {path.name}", path.read_bytes())
    feed("engine", os.path.realpath(shutil.which(engine) or engine))
    feed("engine version", texlive.engine_version(engine))
    return digest.hexdigest()[:40]


def get(frozen: str, support: tuple[Path, ...], engine: str, env: dict, run: Callable, timeout: float) -> Format | None:
    """The format for these frozen lines, built now if missing; None when they cannot be dumped.

    `run(command, cwd, env, timeout) -> exit code` runs the engine (Cores.run: timeout, interrupt,
    a core).
    """
    name = key(frozen, support, engine)
    try:
        home = folder()
    except BuildError:  # no per-user cache anywhere: compile without a format
        return None
    with _locked(home / f"{name}.lock"):  # one build per format, in this process and others
        found = _lookup(home, name)
        if found is not None:
            return found or None
        try:
            return _build(home, name, frozen, support, engine, env, run, timeout)
        except OSError:  # the cache cannot take it (a full disk): compile without one, as a cache should
            return None


def discard(found: Format) -> None:
    """Forget a format the engine could not load (corrupt in a way its size and time do not show):
    the next `get` builds it again."""
    for path in (found.path.with_suffix(".json"), found.path):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            pass


@contextmanager
def _locked(path: Path):
    """Hold an exclusive lock on `path` (flock: also between threads of one process); none if the
    platform or the folder cannot give one: then concurrent builds race harmlessly (atomic renames)."""
    try:
        import fcntl

        handle = open(path, "a")
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def _lookup(home: Path, name: str) -> Format | bool | None:
    """A usable format (touched: recently used), False when it is known not to build, None: build it."""
    try:
        record = json.loads((home / f"{name}.json").read_text(encoding="utf-8"))
        if not texlive.unchanged(record["inputs"]):
            return None
        if record.get("failed"):
            return False
        path = home / f"{name}.fmt"
        stat = path.stat()
        if [stat.st_size, stat.st_mtime_ns] != record.get("stored"):  # truncated, overwritten: build it again
            return None
        os.utime(home / f"{name}.json")  # recently used (the .fmt keeps its mtime: compiles record it)
        return Format(path, record["inputs"], record["frozen"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _build(home: Path, name: str, frozen: str, support: tuple[Path, ...], engine: str, env: dict,
           run: Callable, timeout: float) -> Format | None:
    work = Path(tempfile.mkdtemp(prefix=f"build-{os.getpid()}-", dir=home))  # whose: see _evict
    try:
        (work / "frozen.tex").write_text(frozen + MARKER + "\n", encoding="utf-8")
        for path in support:
            shutil.copyfile(path, work / path.name)
        # Dates are those of each compile (TeX sets them after loading a format): build with a fixed one.
        env = {**env, "SOURCE_DATE_EPOCH": "0", "FORCE_SOURCE_DATE": "1"}
        ini = shutil.which("pdftex", path=os.path.dirname(shutil.which(engine) or "")) or "pdftex"
        command = [ini, "-ini", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "-recorder",
                   f"-jobname={name}", f"&{engine}", _DUMPER, "frozen.tex"]
        code = run(command, work, env, timeout)
        built = work / f"{name}.fmt"
        inputs = recorded_inputs(work / f"{name}.fls")
        record = {"frozen": frozen.count("\n"), "inputs": inputs}
        if code != 0 or not built.exists():
            record["failed"] = True
        else:
            os.replace(_inflate(built, engine, env, run, timeout), home / f"{name}.fmt")
            stat = (home / f"{name}.fmt").stat()
            record["stored"] = [stat.st_size, stat.st_mtime_ns]
        publish.write(home / f"{name}.json", json.dumps(record))
        _evict(home)
        return None if record.get("failed") else Format(home / f"{name}.fmt", inputs, record["frozen"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _inflate(built: Path, engine: str, env: dict, run: Callable, timeout: float) -> Path:
    """The format stored uncompressed, when the engine loads it so; else as built.

    TeX writes formats gzipped and reads them through zlib, which passes an uncompressed file through
    as is: loading the 18 MB of the shipped preamble then takes 0.035 s instead of 0.1 s spent
    inflating it, and every compile loads one. An engine that refused it would keep the packed one.
    """
    folder = built.parent / "inflated"
    folder.mkdir()
    inflated = folder / built.name
    try:
        with gzip.open(built, "rb") as packed, open(inflated, "wb") as raw:
            shutil.copyfileobj(packed, raw, 1 << 20)
    except (OSError, EOFError):  # not gzipped after all
        return built
    # Loaded the way every compile loads it, by a document that ends at once.
    (folder / f"{JOB}.tex").write_text(MARKER + "\n\\csname @@end\\endcsname\n", encoding="utf-8")
    code = run(engine_command(engine, built.stem), folder, {**env, "TEXFORMATS": str(folder)}, timeout)
    return inflated if code == 0 else built


def _evict(home: Path) -> None:
    """Keep the MAX_FORMATS most recently used formats; drop what builds killed midway left: their
    folders (at once when the process that made one is gone, else after an hour) and lock files."""
    records = []
    for path in home.glob("*.json"):
        try:
            records.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    records.sort(reverse=True)
    for _, path in records[MAX_FORMATS:]:
        path.unlink(missing_ok=True)
        path.with_suffix(".fmt").unlink(missing_ok=True)
        path.with_suffix(".lock").unlink(missing_ok=True)
    now = time.time()
    for stale in home.glob("build-*"):
        try:
            if not _alive(stale.name.split("-")[1]) or now - stale.stat().st_mtime > 3600:
                shutil.rmtree(stale, ignore_errors=True)
        except OSError:
            continue
    for lock in home.glob("*.lock"):
        try:
            if not lock.with_suffix(".json").exists() and now - lock.stat().st_mtime > 3600:
                lock.unlink(missing_ok=True)
        except OSError:
            continue


def _alive(pid: str) -> bool:
    """Whether the process `pid` still runs (True when unknown: the folder then waits its hour)."""
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
