"""No-op builds in milliseconds: the record of the last successful build, and its replay.

A build is answered from the record, without loading the content model, Jinja2, pypdf or TeX,
when nothing that shapes its output changed: the content file's bytes; the request (variants,
theme, engine, fitting, ATS check, output folder); cvpress itself (its code and templates); the
theme folders and the user's template folder; SOURCE_DATE_EPOCH; the TeX engines' binaries and
every TeX Live file they read (their -recorder lists) — and when the PDFs in the output folder are
still the ones that build wrote. Anything else builds as usual, helped by the compile cache.

Standard library only: this runs before anything heavy is imported.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tomli
from pathlib import Path
from typing import NamedTuple

import cvpress
from cvpress import publish, texlive
from cvpress.hashing import file_digest, tree
from cvpress.texlive import unchanged

FOLDER = Path(".cache") / "cvpress" / "builds"
PACKAGE = Path(cvpress.__file__).resolve().parent
_VERSION = 1


class SourceDate(NamedTuple):
    seconds: int
    # From SOURCE_DATE_EPOCH or git: the same wherever the content is built, so a compile's cache
    # key holds it. False: the content file's modification time, which every save moves; a
    # variant whose document did not change keeps its PDF, and the date it was built with.
    fixed: bool


def source_date_epoch(content_path: Path) -> SourceDate:
    """PDF dates for reproducible builds: $SOURCE_DATE_EPOCH, else the last commit's time (in git),
    else the content file's modification time (never 1 January 1970 in a recruiter's PDF viewer)."""
    from cvpress.errors import UserError

    if value := os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        if value.isdigit():
            return SourceDate(int(value), True)
        raise UserError(f"SOURCE_DATE_EPOCH={value!r}: expected a whole number of seconds")
    try:
        done = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=content_path.resolve().parent,
                              capture_output=True, text=True, timeout=10, stdin=subprocess.DEVNULL)
        if done.returncode == 0 and done.stdout.strip():
            return SourceDate(int(done.stdout.strip()), True)
    except (OSError, ValueError, subprocess.TimeoutExpired):
        pass
    try:
        return SourceDate(int(content_path.stat().st_mtime), False)
    except OSError:  # no content file: the build reports that itself
        return SourceDate(0, False)


def _record_path(content: Path, request: dict) -> Path:
    name = hashlib.sha256(json.dumps([str(content.resolve()), request], sort_keys=True).encode()).hexdigest()
    return content.resolve().parent / FOLDER / f"{name[:32]}.json"


def _theme_folders(data: dict, project: Path, theme: str | None) -> list[Path]:
    """Theme folders of the user's own that the content or the request names."""
    names = {theme} if theme else set()
    styles = [data.get("style") or {}] + [(v or {}).get("style") or {} for v in (data.get("variants") or {}).values()
                                          if isinstance(v, dict)]
    names |= {s.get("theme") for s in styles if isinstance(s, dict)}
    return sorted(project / n for n in names if isinstance(n, str) and cvpress.is_theme_folder(n))


def fingerprint(content: Path, request: dict, epoch: int | None, read: tuple[str, dict] | None = None) -> str | None:
    """A digest of every input of a build (see the module's docstring); None if the content is
    unreadable. `read`: the content's text and data as the build read them (else read here)."""
    try:
        text = content.read_bytes().decode("utf-8") if read is None else read[0]
        data = tomli.loads(text) if read is None else read[1]
    except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
        return None
    project = content.resolve().parent
    digest = hashlib.sha256(f"cvpress memo {_VERSION} {cvpress.__version__} {epoch}\0".encode())
    digest.update(json.dumps(request, sort_keys=True).encode() + b"\0" + text.encode("utf-8"))
    for folder in [PACKAGE, cvpress.LATEX_DIR, project / cvpress.LOCAL_TEMPLATES,
                   *_theme_folders(data, project, request.get("theme"))]:
        digest.update(f"\0folder {folder}\0".encode())
        tree(digest, folder)
    return digest.hexdigest()


def replay(content: Path, request: dict, epoch: int | None) -> list[dict] | None:
    """The last build's results, if it is still exactly what this build would produce (with the
    dates of `epoch`: source_date_epoch)."""
    path = _record_path(content, request)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("version") != _VERSION:
            return None
        if record["fingerprint"] != fingerprint(content, request, epoch):
            return None
        if not unchanged(record["tex_inputs"]):
            return None
        for engine, version in record["engines"].items():
            if not shutil.which(engine) or texlive.engine_version(engine) != version:
                return None
        for output in record["outputs"]:
            if file_digest(Path(output["path"])) != output["sha256"]:
                return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return record["results"]


def record(content: Path, request: dict, epoch: int | None, results: list[dict], tex_inputs: list[list],
           engines: set[str], outputs: list[Path], read: tuple[str, dict] | None = None) -> None:
    """Remember a successful build. Never fails a build: a record that cannot be written is skipped."""
    try:
        path = _record_path(content, request)
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "version": _VERSION,
            "fingerprint": fingerprint(content, request, epoch, read),
            "tex_inputs": tex_inputs,
            "engines": {e: texlive.engine_version(e) for e in sorted(engines)},
            "outputs": [{"path": str(p.resolve()), "sha256": file_digest(p)} for p in outputs],
            "results": results,
        }
        publish.write(path, json.dumps(data))
    except (OSError, TypeError, ValueError):
        pass


def forget(content: Path, request: dict) -> None:
    """A failed build: the next one must not replay the last success."""
    try:
        _record_path(content, request).unlink(missing_ok=True)
    except OSError:
        pass

