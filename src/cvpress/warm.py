"""Engines started ahead: pdfLaTeX processes that load a precompiled preamble (formats.py) while
Python is still validating and rendering, then typeset their document as soon as it is written.

At its start, a build that has to compile starts one engine for each compile the last build of the
same content file began with, up to one per core: each loads its format (about 0.035 s of a 0.09 s
pass) and waits for its document on a named pipe, resume.tex, in a folder of its own. A compile
whose command line and environment are the same takes one (compile.py): it writes the document into
the pipe and the engine finishes the pass. The engine reads the same bytes with the same command
line and environment as any other compile, so it writes the same PDF. Engines nobody takes are
stopped when the build ends (`stop`), or by an interrupt like any engine; if cvpress is killed
outright, the pipe closes and an engine that has opened it reads the end of its input and stops (one
killed in the first ~0.04 s, while its engines still load, leaves them waiting to open the pipe).
Which formats: `remember` keeps, per content file, the formats of the compiles each build ran, in
recent.json beside the formats.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cvpress import cores

RECENT = "recent.json"
# Read only if a document has no \end{document}: then it fails, as it would from a file.
END = "\n\\errmessage{the document ended without \\string\\end{document}}\\csname @@end\\endcsname\n"
MAX_REMEMBERED = 32  # content files

_ready: list[Ready] = []  # started by any build of this process, not taken yet
_lock = threading.Lock()


@dataclass(eq=False)
class Ready:
    command: list[str]
    env: dict
    folder: Path
    process: subprocess.Popen
    pipe: int  # our end of the named pipe (opened read-write: the engine never waits for a writer)

    def finish(self, document: str, timeout: float, priority: int = 0) -> int:
        """Write the document and wait for the engine (on a core: cores.SLOTS); its exit code.

        Our end stays open until the engine exits: a pipe that no one holds open loses what was
        written into it, and the engine may not have opened it yet. So that the engine never
        waits for more, an end mark follows the document; TeX stops at \\end{document} before it.
        """

        with cores.SLOTS.slot(priority):
            try:
                self._write((document + END).encode("utf-8"), time.monotonic() + timeout)
                return cores.wait(self.process, timeout)
            finally:
                os.close(self.pipe)

    def _write(self, data: bytes, deadline: float) -> None:
        """All of `data` into the pipe, unless the engine stops reading (it died, or time ran out)."""
        os.set_blocking(self.pipe, False)
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.pipe, view):]
            except BlockingIOError:  # the pipe is full: wait for the engine to read
                if self.process.poll() is not None or time.monotonic() > deadline:
                    return
                select.select([], [self.pipe], [], 0.05)
            except OSError:
                return  # the engine's exit code and log tell what happened


@dataclass
class Started:
    """What one build started: its folder and engines; `stop` ends them."""

    base: Path | None = None
    engines: tuple[Ready, ...] = ()

    def stop(self) -> None:
        """Stop the engines nobody took and remove the folder (once the build's PDFs are published)."""

        with _lock:
            left = [ready for ready in self.engines if ready in _ready]
            _ready[:] = [ready for ready in _ready if ready not in left]
        for ready in left:
            cores.kill(ready.process)
            ready.process.wait()
            os.close(ready.pipe)
            cores.forget(ready.process)
        if self.base:
            shutil.rmtree(self.base, ignore_errors=True)


def start(content: Path, epoch: int | None, most: int) -> Started:
    """Start engines for the compiles the last build of `content` ran, at most `most` of them."""
    if not hasattr(os, "mkfifo"):
        return Started()
    from cvpress import compile as tex
    from cvpress import engines, formats

    try:
        home = formats.folder()
        names = json.loads((home / RECENT).read_text(encoding="utf-8")).get(str(content.resolve()), [])
        names = [name for name in names[:most] if (home / f"{name}.fmt").exists()]
        if not names:
            return Started()
        env = {**tex.sandbox_env(epoch, engines.PDFLATEX), "TEXFORMATS": str(home)}
        started = Started(Path(tempfile.mkdtemp(prefix="cvpress-warm-")))
    except (OSError, ValueError, AttributeError, tex.BuildError):
        return Started()
    engines_started = []
    for name in names:
        folder, pipe = Path(tempfile.mkdtemp(dir=started.base)), None
        try:
            os.mkfifo(folder / f"{tex.JOB}.tex")
            pipe = os.open(folder / f"{tex.JOB}.tex", os.O_RDWR)
            command = tex.engine_command(engines.PDFLATEX, name)
            process = cores.start(command, folder, env)
        except (OSError, tex.BuildError):
            if pipe is not None:
                os.close(pipe)
            continue
        engines_started.append(Ready(command, env, folder, process, pipe))
    started.engines = tuple(engines_started)
    with _lock:
        _ready.extend(engines_started)
    return started


def take(command: list[str], env: dict) -> Ready | None:
    """A started engine with this command line and environment, now the caller's; None if none."""
    with _lock:
        for ready in _ready:
            if ready.command == command and ready.env == env:
                _ready.remove(ready)
                return ready
    return None


def remember(content: Path, names: list[str]) -> None:
    """Note the formats this build's compiles used, in the order they started."""
    from cvpress import formats, publish

    try:
        home = formats.folder()
        path = home / RECENT
        try:
            recent = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recent = {}
        key = str(content.resolve())
        recent.pop(key, None)
        recent[key] = names
        publish.write(path, json.dumps(dict(list(recent.items())[-MAX_REMEMBERED:])))
    except (OSError, AttributeError):
        pass
