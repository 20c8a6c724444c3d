"""How to call TeX Live: where an engine is, its version, its command line, the sandbox it runs in,
the files it read, and the per-user cache folders. Low level: no other cvpress module is imported
but errors (itself a leaf), so every stage can depend on this one, one way.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path

from cvpress.errors import BuildError

PDFLATEX = "pdflatex"
LUALATEX = "lualatex"
JOB = "resume"


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
    if engine == LUALATEX:
        env.update(TEXMFCACHE=str(font_cache()))
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


@functools.cache
def engine_version(engine: str) -> str:
    """The first line of `ENGINE --version` (a few ms), asked once per process and engine."""
    done = subprocess.run([engine_path(engine), "--version"], capture_output=True, text=True, timeout=30,
                          stdin=subprocess.DEVNULL)
    return (done.stdout.splitlines() or [f"exit {done.returncode}"])[0].strip()


def engine_command(engine: str, preloaded: str | None = None) -> list[str]:
    """The engine's command line; with `preloaded` (a format's name, found through TEXFORMATS) it
    also names the document, resume.tex, to read after loading it.

    -recorder lists every file the engine read in resume.fls (the build cache checks them);
    -no-parse-first-line: a document never chooses its own format; LuaLaTeX starts with sandbox.lua."""
    command = [engine_path(engine), "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "-recorder",
               "-no-parse-first-line", "-file-line-error", f"-jobname={JOB}"]
    if engine == LUALATEX:  # Lua's own I/O, processes and libraries confined (sandbox.lua)
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


def unchanged(inputs: list[list]) -> bool:
    """Every [path, size, mtime_ns] (recorded_inputs) still describes its file."""
    for path, size, mtime in inputs:
        try:
            found = os.stat(path)
        except OSError:
            return False
        if found.st_size != size or found.st_mtime_ns != mtime:
            return False
    return True


# ------------------------------------------------------------------ per-user caches

def font_cache() -> Path:
    """Where LuaLaTeX keeps its font cache (luaotfload's font list and font tables, seconds to build).

    Passed as TEXMFCACHE, so it works with any $HOME (even none).
    """
    return user_cache("texmf", "LuaLaTeX needs a writable folder for its font cache")


def user_cache(name: str, purpose: str) -> Path:
    """A per-user cache folder for what depends on TeX Live and the themes, never on a project
    (LuaLaTeX's font cache, precompiled preambles): $XDG_CACHE_HOME/cvpress/NAME, else
    ~/.cache/cvpress/NAME, else a private folder in the temporary directory.
    """
    candidates = []
    if xdg := os.environ.get("XDG_CACHE_HOME"):
        candidates.append(Path(xdg) / "cvpress" / name)
    try:
        candidates.append(Path.home() / ".cache" / "cvpress" / name)
    except RuntimeError:  # no home directory
        pass
    uid = os.getuid() if hasattr(os, "getuid") else None
    shared = Path(tempfile.gettempdir()) / f"cvpress-{uid or 0}"  # in a shared folder: must be ours alone
    candidates.append(shared / name)
    for folder in candidates:
        try:
            if folder.parent == shared:
                shared.mkdir(mode=0o700, exist_ok=True)
                info = shared.lstat()
                if stat.S_ISLNK(info.st_mode) or (uid is not None and (info.st_uid != uid or info.st_mode & 0o077)):
                    continue
            folder.mkdir(parents=True, exist_ok=True)
            if os.access(folder, os.W_OK | os.X_OK):
                return folder
        except OSError:
            continue
    raise BuildError(f"{purpose}: set XDG_CACHE_HOME to a writable folder")
