"""The last stage: files reach their place atomically.

Readers (a PDF viewer, `make`, a second build) see the old file or the new one, never a partial
one: each write goes to a temporary file beside the target and is renamed over it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write(target: Path, data: bytes | str) -> Path:
    """Write `data` (text is UTF-8) to `target` atomically."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def copy(source: Path, target: Path) -> Path:
    """Copy `source` to `target` atomically."""
    return write(target, source.read_bytes())


def write_file(target: Path, text: str) -> Path:
    """A file the user asked for (import, export, schema, new): atomic, its folder made if need be;
    a place that cannot be written is a user error, not a traceback."""
    from cvpress.errors import UserError

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return write(target, text)
    except OSError as e:
        raise UserError(f"{target}: cannot write: {e.strerror}") from e


def check_target(target: Path, force: bool = False, reading: Path | None = None) -> None:
    """Before writing a file the user asked for: never the file the command reads (not even with
    --force; a link to it counts), and an existing file only with --force."""
    from cvpress.errors import UserError

    if not os.path.lexists(target):
        return
    if reading is not None and _same_file(target, reading):
        which = "" if target.resolve() == reading.resolve() else f" (a link to {reading})"
        raise UserError(f"{target}: is the file this command reads{which}; it is never overwritten, "
                        "not even with --force: write elsewhere with -o")
    if target.is_dir():
        raise UserError(f"{target}: is a folder; give a file name with -o")
    if not force:
        raise UserError(f"{target}: already exists; replace it with --force, or write elsewhere with -o")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)  # symbolic and hard links included
    except OSError:  # one of them does not exist (a dangling link)
        return False
