"""Build cache: a compile whose inputs have not changed reuses the PDF and log it made last time.

The key is a sha256 over everything that shapes the engine's output: the rendered .tex, the theme's
support files and Jinja2 templates (bytes, as the search path in render.py found them: a template edit
recompiles even when the .tex comes out the same), the engine's name, path and version,
SOURCE_DATE_EPOCH and the compile recipe (the source of typeset.py and engines.py: flags, passes,
sandbox, log checks). The TeX installation is covered too: each entry records the files the engine
read outside the build folder (its -recorder list: packages, fonts, the format) with their size and
mtime, and a hit requires them unchanged. The timeout is not part of the key: it never changes a
PDF that finished.

Entries live in `.cache/cvpress/` beside the content file, one file each, written to a temporary file
and renamed into place, so concurrent builds never see a partial entry. The folder is bounded: the
least recently used entries go first. The cache is an optimisation only: if it cannot be read or
written the build compiles as if it were empty.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path

from cvpress import typeset as tex
from cvpress import engines, formats, hashing, publish, texlive
from cvpress.render import Rendered

FOLDER = Path(".cache") / "cvpress"
MAX_ENTRIES = 64
MAX_BYTES = 64 * 1024 * 1024
STALE_TEMP_SECONDS = 3600  # a temporary file this old belongs to a build that died
_MAGIC = b"cvpress-cache 1\n"
_SUFFIX = ".entry"


def folder(content_path: Path) -> Path:
    """The cache folder for a content file: .cache/cvpress/ next to it."""
    return content_path.resolve().parent / FOLDER


@functools.cache
def _compile_recipe() -> bytes:
    """The source of the modules that run the engine (flags, passes, sandbox, log checks)."""
    return b"".join(Path(module.__file__).read_bytes() for module in (tex, engines, formats, texlive))


def key(rendered: Rendered, engine: str | None = None, source_date_epoch: int | None = None) -> str:
    engine = engine or rendered.engine
    digest = hashlib.sha256()
    feed = functools.partial(hashing.feed, digest)
    feed("entry", _MAGIC)
    feed("tex", rendered.tex)
    for support in rendered.support:
        feed(f"support {support.name}", support.read_bytes())
    for template in rendered.templates:
        feed(f"template {template.name}", template.read_bytes())
    feed("engine", engine)
    feed("engine path", os.path.realpath(texlive.engine_path(engine)))
    feed("engine version", texlive.engine_version(engine))
    feed("source date epoch", "none" if source_date_epoch is None else str(source_date_epoch))
    feed("recipe", _compile_recipe())
    return digest.hexdigest()


def compile_tex(rendered: Rendered, workdir: Path, *, cache: Path | None, force: bool = False,
                engine: str | None = None, timeout: float = 60, source_date_epoch: int | None = None,
                date_in_key: bool = True, cores: tex.Cores | None = None) -> tex.Compiled:
    """tex.compile_tex through the cache at `cache` (None: no cache). A hit has passes == 0.

    `date_in_key` False (a date that is only a guess: memo.SourceDate): a hit may carry the date
    of the compile that stored it.

    Each compile gets a fresh folder below `workdir`, so no file from an earlier compile (an .aux)
    can make a compile's output depend on more than its key. `force` skips the lookup but still
    stores the new result, refreshing the entry.
    """
    engine = engine or rendered.engine
    compile_dir = Path(tempfile.mkdtemp(prefix="compile-", dir=workdir))
    if cache is None:
        return tex.compile_tex(rendered, compile_dir, engine=engine, timeout=timeout,
                               source_date_epoch=source_date_epoch, cores=cores)
    entry = cache / (key(rendered, engine, source_date_epoch if date_in_key else None) + _SUFFIX)
    if not force and (hit := fetch(entry, compile_dir)):
        return hit
    compiled = tex.compile_tex(rendered, compile_dir, engine=engine, timeout=timeout,
                               source_date_epoch=source_date_epoch, cores=cores)
    compiled.entry = entry
    store(entry, compiled)
    return compiled


def fetch(entry: Path, workdir: Path) -> tex.Compiled | None:
    """The cached PDF and log, written into `workdir`; None when missing, damaged or out of date."""
    started = time.perf_counter()
    try:
        data = entry.read_bytes()
        if not data.startswith(_MAGIC):
            return None
        header_end = data.index(b"\n", len(_MAGIC))
        header = json.loads(data[len(_MAGIC):header_end])
        if not texlive.unchanged(header["inputs"]):
            return None
        body = memoryview(data)[header_end + 1:]
        pdf_size = header["pdf"]
        if len(body) != pdf_size + header["log"]:
            return None
        pdf, log = workdir / f"{texlive.JOB}.pdf", workdir / f"{texlive.JOB}.log"
        pdf.write_bytes(body[:pdf_size])
        log.write_bytes(body[pdf_size:])
        os.utime(entry)  # recently used: evicted last
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return tex.Compiled(pdf, log, 0, time.perf_counter() - started, entry, header["inputs"])


def store(entry: Path, compiled: tex.Compiled) -> None:
    """Write an entry atomically (temporary file, then rename), then keep the folder in bounds."""
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        _mark_as_cache(entry.parent)
        pdf, log = compiled.pdf.read_bytes(), compiled.log.read_bytes()
        compiled.inputs = compiled.inputs or texlive.recorded_inputs(compiled.log.with_suffix(".fls"))
        header = {"pdf": len(pdf), "log": len(log), "inputs": compiled.inputs}
        publish.write(entry, _MAGIC + json.dumps(header).encode() + b"\n" + pdf + log)
        evict(entry.parent)
    except OSError:
        pass  # a cache that cannot be written costs speed, never a build


def evict(cache: Path, max_entries: int | None = None, max_bytes: int | None = None) -> None:
    """Keep the newest entries within MAX_ENTRIES and MAX_BYTES; drop dead temporary files."""
    max_entries = MAX_ENTRIES if max_entries is None else max_entries
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    entries, now = [], time.time()
    for path in cache.iterdir():
        try:
            stat = path.stat()
        except OSError:
            continue  # removed by a concurrent build
        if path.suffix == _SUFFIX:
            entries.append((stat.st_mtime_ns, stat.st_size, path))
        elif path.suffix == ".tmp" and now - stat.st_mtime > STALE_TEMP_SECONDS:
            path.unlink(missing_ok=True)
    entries.sort(reverse=True)  # newest first; past the first that does not fit, none is kept
    kept = total = 0
    for _, size, path in entries:
        kept, total = kept + 1, total + size
        if kept > max_entries or total > max_bytes:
            path.unlink(missing_ok=True)
            path.with_suffix(".verdict").unlink(missing_ok=True)


def verdict(compiled: tex.Compiled) -> dict | None:
    """What the checks said of this cached PDF last time: {"pages": N, "ats": bool}; None if unknown."""
    if compiled.entry is None:
        return None
    try:
        found = json.loads(compiled.entry.with_suffix(".verdict").read_text(encoding="utf-8"))
        return found if found.get("checker") == _checker() else None
    except (OSError, ValueError, AttributeError):
        return None


@functools.cache
def _checker() -> str:
    """A digest of the checking code: a verdict from older checks is not trusted."""
    from cvpress import ats, verify

    return hashlib.sha256(b"".join(Path(m.__file__).read_bytes() for m in (ats, verify))).hexdigest()


def remember_verdict(compiled: tex.Compiled, pages: int, ats: bool) -> None:
    """Note that this entry's PDF has `pages` pages and (if `ats`) passed the ATS check."""
    if compiled.entry is None:
        return
    try:
        publish.write(compiled.entry.with_suffix(".verdict"), json.dumps({"pages": pages, "ats": ats, "checker": _checker()}))
    except OSError:
        pass


def _mark_as_cache(cache: Path) -> None:
    """Tell backup tools (CACHEDIR.TAG) and git (.gitignore) to leave the folder alone."""
    tag = cache / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text("Signature: 8a477f597d28d172789f06886806bc55\n# cvpress build cache\n")
        (cache / ".gitignore").write_text("*\n")
