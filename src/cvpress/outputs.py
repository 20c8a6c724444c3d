"""What a build wrote in its output folder, and nothing else: the files it may replace or delete.

Per variant, `out/<variant>.build.json` records the files cvpress put there (the PDF, its
.fit.json, .docx, .log and preview .png) with their SHA-256, and the content file they were built
from. A file is cvpress's while its bytes are the ones recorded; any other file in the way of an
output is the user's: a build refuses to replace it (exit 2, before compiling) unless told to with
--force, and `cvpress clean` leaves it. The content file itself is never an output, --force or not.

A file's digest is recorded before it is renamed into place (beside the digest of the file it
replaces), so a build cut short at any moment leaves a folder whose every file is still known.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cvpress import __version__
from cvpress.errors import UserError
from cvpress.hashing import file_digest
from cvpress.publish import write

KINDS = (".pdf", ".fit.json", ".docx", ".log", ".png")  # what a build (or `cvpress preview`) writes per variant


def record_path(out: Path, variant: str) -> Path:
    return out / f"{variant}.build.json"


def read(out: Path, variant: str) -> dict | None:
    """The variant's record; None when there is none, or the file there is not one cvpress wrote."""
    try:
        data = json.loads(record_path(out, variant).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not (isinstance(data, dict) and str(data.get("written by", "")).startswith("cvpress ")):
        return None
    return data


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_digest(path: Path) -> str | None:
    try:
        return file_digest(path) if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


def _claimed(record: dict | None, name: str) -> list[str] | None:
    """The digests the record claims for a file; None for a record older than claims (a cvpress
    build of an earlier version wrote it: its variant's files are taken as cvpress's)."""
    if record is None:
        return []
    files = record.get("files")
    if not isinstance(files, dict):
        return None
    found = files.get(name, [])
    return [d for d in found if isinstance(d, str)] if isinstance(found, list) else []


def ours(out: Path, variant: str, path: Path, record: dict | None = ...) -> bool:
    """Is the file at `path` (one of the variant's outputs) one this variant's builds wrote?"""
    if not os.path.lexists(path):
        return True
    if path == record_path(out, variant):
        return read(out, variant) is not None
    record = read(out, variant) if record is ... else record
    claimed = _claimed(record, path.name)
    if claimed is None:
        return not path.is_symlink() and path.is_file()
    return _file_digest(path) in claimed


def check(out: Path, variants: list[str], content: Path, force: bool, kinds=KINDS) -> None:
    """Before a build writes anything: every file in the way of an output is cvpress's, or --force."""
    theirs, reading = [], []
    for variant in variants:
        record = read(out, variant)
        for path in [out / f"{variant}{kind}" for kind in kinds] + [record_path(out, variant)]:
            if os.path.lexists(path) and _same_file(path, content):
                reading.append(path)
            elif not ours(out, variant, path, record):
                theirs.append(path)
    if reading:
        raise UserError(f"{reading[0]}: is the content file this build reads; it is never replaced by an output, "
                        "not even with --force: build into another folder with -o")
    if theirs and not force:
        listed = ", ".join(map(str, theirs[:5])) + (f" and {len(theirs) - 5} more" if len(theirs) > 5 else "")
        them = "them" if len(theirs) > 1 else "it"
        raise UserError(f"{listed}: in the way of cvpress's output{'s' if len(theirs) > 1 else ''}, and not written "
                        f"by cvpress (no <variant>.build.json beside {them} lists {them}); move {them} away, write "
                        "into another folder with -o, or replace with --force")


def put(out: Path, variant: str, name: str, data: bytes) -> Path:
    """Write one of the variant's outputs atomically, its digest recorded first."""
    _update(out, variant, name, add=digest(data), fresh=name.endswith(".pdf"))
    return write(out / name, data)


def remove(out: Path, variant: str, name: str) -> None:
    """Delete one of the variant's outputs if it is cvpress's (check() made sure before the build)."""
    path = out / name
    if os.path.lexists(path) and ours(out, variant, path):
        path.unlink()
        _update(out, variant, name, add=None)


def settle(out: Path, variant: str, content: Path, content_digest: str) -> None:
    """The variant's PDF is in place: record the content file it was built from."""
    record = read(out, variant) or _new(variant)
    record["content"], record["content sha256"] = str(content), content_digest
    _write(out, variant, record)


def built_from(out: Path, variant: str) -> str | None:
    """The SHA-256 of the content file the variant's PDF was built from (None: not known)."""
    found = (read(out, variant) or {}).get("content sha256")
    return found if isinstance(found, str) else None


def _new(variant: str) -> dict:
    return {"written by": f"cvpress {__version__} build", "variant": variant, "files": {}}


def _update(out: Path, variant: str, name: str, add: str | None, fresh: bool = False) -> None:
    """Claim `add` for file `name`, keeping the digest of the file there now if it is ours (it may
    stay if this write is cut short); forget digests no file has any more."""
    old = read(out, variant)
    record = dict(old) if old else _new(variant)
    files = record.get("files") if isinstance(record.get("files"), dict) else {}
    record["written by"] = f"cvpress {__version__} build"
    if fresh:  # a new PDF: until settle(), the content it comes from is not known
        record.pop("content sha256", None)
    now = _file_digest(out / name)
    keep = [d for d in [now] if d and ours(out, variant, out / name, old)]
    record["files"] = {**files, name: list(dict.fromkeys(keep + ([add] if add else [])))}
    record["files"] = {n: d for n, d in record["files"].items() if d}
    _write(out, variant, record)


def _write(out: Path, variant: str, record: dict) -> None:
    write(record_path(out, variant), json.dumps(record, indent=2, ensure_ascii=False) + "\n")


def clean(out: Path) -> tuple[list[Path], list[Path]]:
    """Delete every file builds recorded in `out` whose bytes are still the ones written, and the
    records; return (removed, left: recorded files changed since, kept as the user's)."""
    removed, left = [], []
    for path in sorted(out.glob("*.build.json")) if out.is_dir() else []:
        variant = path.name.removesuffix(".build.json")
        record = read(out, variant)
        if record is None:
            continue
        for target in [out / f"{variant}{kind}" for kind in KINDS]:  # never a name the record made up
            if not os.path.lexists(target):
                continue
            if ours(out, variant, target, record):
                target.unlink()
                removed.append(target)
            else:
                left.append(target)
        path.unlink()
        removed.append(path)
    return removed, left


def page_image(pdf: Path, dpi: int) -> bytes:
    """Page 1 of a PDF as PNG bytes (poppler's pdftoppm)."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="cvpress-preview-") as work:
        try:
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-singlefile", str(pdf), f"{work}/page"],
                           check=True, capture_output=True, stdin=subprocess.DEVNULL, timeout=60)
            return (Path(work) / "page.png").read_bytes()
        except FileNotFoundError:
            raise UserError("pdftoppm is not installed: install poppler-utils (apt-get install poppler-utils)") from None
        except (subprocess.SubprocessError, OSError) as e:
            raise UserError(f"{pdf}: pdftoppm could not render page 1 ({e})") from e


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
