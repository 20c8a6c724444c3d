"""Stage 7: publish a release. Every variant, built and checked, under a release name, with checksums.

`release()` builds every variant through the orchestrator (`build.build`, which runs the page-budget
and ATS checks) into a staging folder, and only when all of them pass does it fill the release
folder (default out/release/) with one release:

    <name-slug>-<variant>-<version>.pdf   one per variant, e.g. your-name-onepage-v1.2.0.pdf
    <name-slug>-<variant>-<version>.docx  the same outline as a Word document (word.py)
    SHA256SUMS                            `sha256sum -c SHA256SUMS` verifies them
    RELEASE_NOTES.md                      each variant with its description and page count
    .cvpress-release.json                 the manifest: the files above, with their SHA-256

A release replaces or removes only the files its folder's previous release listed in the manifest
(a removed file only if its bytes are still those released): any other file there is left alone,
and a file of another origin in the way of a release name makes it refuse before building.

The version is `git describe --tags --always` in the content file's folder unless given.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cvpress import __version__, build, content, publish, variants
from cvpress.errors import BuildError, UserError

SUMS = "SHA256SUMS"
NOTES = "RELEASE_NOTES.md"
MANIFEST = ".cvpress-release.json"
_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._+-]*$")
# Latin letters that Unicode does not decompose into an ASCII base letter plus accents.
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l",
                       "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"})


@dataclass
class Options:
    content: Path = Path("content.toml")
    out: Path = Path("out") / "release"
    version: str | None = None  # None: `git describe --tags --always`
    timeout: float = 60.0


@dataclass
class Variant:
    name: str
    description: str
    pages: int
    pdf: Path
    sha256: str
    docx: Path | None = None  # the Word document of the same outline (word.py)
    docx_sha256: str = ""


@dataclass
class Release:
    version: str
    folder: Path
    variants: list[Variant] = field(default_factory=list)
    sums: Path | None = None
    notes: Path | None = None
    removed: list[Path] = field(default_factory=list)  # the previous release's files this one does not have
    left: list[Path] = field(default_factory=list)  # ... that were changed since, so kept


def release(options: Options) -> Release:
    """Build, check and publish every variant; raise BuildError (nothing published) if any fails."""
    version = check_version(options.version or describe(options.content))
    resume = content.load(options.content)
    names = list(resume.variants) or ["full"]
    folder = _folder(options.out)
    stem = slug(resume.basics.name)
    wanted = [f"{stem}-{name}-{version}.{kind}" for name in names for kind in ("pdf", "docx")] + [SUMS, NOTES]
    owned = previous(folder)
    _refuse_others(folder, wanted, owned)
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    except OSError as e:
        raise UserError(f"{folder}: cannot write in the release folder: {e.strerror}") from e
    try:
        results = build.build(build.Options(content=options.content, out=staging, variants=names,
                                            timeout=options.timeout, formats=("pdf", "docx")))
        failed = [r for r in results if r.error is not None]
        if failed:
            raise BuildError(f"release {version} refused: {len(failed)} of {len(results)} variant(s) failed; "
                             f"{folder} is unchanged\n"
                             + "\n".join(textwrap.indent(f"{r.variant}: {r.error.format()}", "  ") for r in failed))
        done = Release(version, folder)
        # First the manifest names the new files too: if this is cut short, the next release may replace them.
        _write_manifest(folder, version, {**{name: None for name in wanted}, **owned})
        for result in results:
            target = folder / f"{stem}-{result.variant}-{version}.pdf"
            publish.copy(result.pdf, target)
            word = publish.copy(result.docx, target.with_suffix(".docx"))
            done.variants.append(Variant(result.variant, variants.resolve(resume, result.variant).description,
                                         result.pages, target, sha256(target), word, sha256(word)))
        for name, digest in owned.items():
            if name not in wanted:
                stale = folder / name
                if stale.is_file() and not stale.is_symlink() and digest and sha256(stale) == digest:
                    stale.unlink()
                    done.removed.append(stale)
                elif os.path.lexists(stale):
                    done.left.append(stale)
        done.sums = publish.write(folder / SUMS, sums(done.variants))
        done.notes = publish.write(folder / NOTES, notes(resume.basics.name, done))
        _write_manifest(folder, version, {name: sha256(folder / name) for name in wanted})
    except OSError as e:
        raise BuildError(f"{e.filename or folder}: cannot write the release: {e.strerror or e}") from e
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return done


def previous(folder: Path) -> dict[str, str | None]:
    """The files the folder's previous release wrote (name -> SHA-256, None if it did not finish)."""
    path = folder / MANIFEST
    if not os.path.lexists(path):
        return _before_manifests(folder)
    try:
        files = json.loads(path.read_text(encoding="utf-8"))["files"]
        if not isinstance(files, dict):
            raise TypeError("'files' is not an object")
        for name, digest in files.items():
            if not (name in (SUMS, NOTES) or name.endswith((".pdf", ".docx"))) or {"/", "\\", "\0"} & set(name):
                raise ValueError(f"{name!r} is not a file a release writes")
            if digest is not None and not (isinstance(digest, str) and re.fullmatch(r"[0-9a-f]{64}", digest)):
                raise ValueError(f"{name!r}: {digest!r} is not a SHA-256")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as e:
        raise UserError(f"{path}: not a release manifest cvpress can read ({e}); delete it to start the "
                        "folder afresh (a release never touches a file no manifest lists)") from e
    return files


def clean(folder: Path) -> tuple[list[Path], list[Path]]:
    """Delete the files the folder's last release wrote, while their bytes are the ones released, and
    its manifest: (removed, left: changed since, kept)."""
    if not folder.is_dir():
        return [], []
    removed, left = [], []
    for name, digest in previous(folder).items():
        path = folder / name
        if path.is_file() and not path.is_symlink() and digest and sha256(path) == digest:
            path.unlink()
            removed.append(path)
        elif os.path.lexists(path):
            left.append(path)
    if os.path.lexists(folder / MANIFEST):
        (folder / MANIFEST).unlink()
        removed.append(folder / MANIFEST)
    if not any(folder.iterdir()):
        folder.rmdir()
    return removed, left


def _before_manifests(folder: Path) -> dict[str, str]:
    """A release folder written before manifests: its SHA256SUMS and RELEASE_NOTES.md, as cvpress wrote them."""
    try:
        lines = (folder / SUMS).read_text(encoding="utf-8").splitlines()
        written = f"`sha256sum -c {SUMS}`" in (folder / NOTES).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    found = [re.fullmatch(r"([0-9a-f]{64})  ([^/\\]+\.(?:pdf|docx))", line) for line in lines]
    if not written or not found or not all(found):
        return {}
    return {**{m[2]: m[1] for m in found}, SUMS: sha256(folder / SUMS), NOTES: sha256(folder / NOTES)}


def _refuse_others(folder: Path, wanted: list[str], owned: dict) -> None:
    others = [name for name in wanted if os.path.lexists(folder / name) and name not in owned]
    if others:
        raise UserError(f"{', '.join(str(folder / name) for name in others)}: already there, and not from an "
                        f"earlier release ({folder / MANIFEST} does not list it); a release never replaces another "
                        "file: move it away, or release into another folder with -o")


def _write_manifest(folder: Path, version: str, files: dict[str, str | None]) -> None:
    data = {"written by": f"cvpress {__version__} release", "version": version, "files": files}
    publish.write(folder / MANIFEST, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def describe(content_path: Path) -> str:
    """`git describe --tags --always` in the content file's folder: v1.2.0, v1.2.0-3-gabc1234, abc1234."""
    where = content_path.resolve().parent
    how = "pass --version V" + (" (make release VERSION=V)" if (where / "Makefile").is_file() else "")
    try:
        done = subprocess.run(["git", "describe", "--tags", "--always"], cwd=where, capture_output=True,
                              text=True, timeout=30, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise UserError(f"cannot tell the release version: git describe failed ({e}); {how}") from e
    if done.returncode != 0 or not done.stdout.strip():
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise UserError(f"cannot tell the release version: `git describe --tags --always` in {where} "
                        f"failed ({reason}); {how}")
    return done.stdout.strip()


def check_version(version: str) -> str:
    version = version.strip()
    if not _VERSION.match(version):
        raise UserError(f"version {version!r}: expected letters, digits, '.', '_', '+' or '-' "
                        "(it becomes part of file names), e.g. v1.2.0")
    return version


def slug(name: str) -> str:
    """A file-name part from a person's name, ASCII only: "José Ñúñez" -> "jose-nunez"."""
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "resume"


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def sums(released: list[Variant]) -> str:
    """`sha256sum` format: hash, two spaces, file name (relative to the release folder)."""
    return "".join(f"{v.sha256}  {v.pdf.name}\n" + (f"{v.docx_sha256}  {v.docx.name}\n" if v.docx else "")
                   for v in released)


def notes(person: str, done: Release) -> str:
    rows = "\n".join(
        f"| {v.name} | {v.pages} | {_cell(v.description) or '–'} | `{v.pdf.name}` |"
        + (f" `{v.docx.name}` |" if v.docx else " – |") for v in done.variants
    )
    return (
        f"# {person}: résumé {done.version}\n\n"
        f"| Variant | Pages | Description | PDF | Word |\n"
        f"| --- | ---: | --- | --- | --- |\n"
        f"{rows}\n\n"
        f"Each PDF passed its page budget and the ATS text check. "
        f"Verify the downloads with `sha256sum -c {SUMS}`.\n"
    )


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _folder(out: Path) -> Path:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UserError(f"{out}: cannot create the release folder: {e.strerror}") from e
    if not os.access(out, os.W_OK | os.X_OK):
        raise UserError(f"{out}: the release folder is not writable; make it writable or choose another with -o")
    return out


