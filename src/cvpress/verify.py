"""Stage 5: check a built PDF with pypdf: page budget, text layer, metadata, links.

A build reads its PDFs in a process of its own (`reading()`): started with the build, it imports
pypdf on a core the build is not using yet, and its reads run beside the Python of the other
variants (fitting, rendering) instead of taking turns with it. Anything else reads in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from cvpress.errors import BuildError

TIMEOUT = 60.0  # seconds for one read in the reader process; then it is stopped and this process reads


@dataclass
class Read:
    """What one pypdf read of a PDF gives."""

    pages: int
    text: str | None = None  # pages joined by newlines; None when not asked for
    links: list[str] = field(default_factory=list)


def read(pdf: Path, text: bool = True) -> Read:
    """Page count, and with `text` the extracted text and link targets: in the build's reader
    process when one runs, else here."""
    process = _process
    if process is not None and (found := process.read(pdf, text)) is not None:
        if isinstance(found, BuildError):
            raise found
        return found
    return _read_here(pdf, text)


def _read_here(pdf: Path, text: bool) -> Read:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(pdf)
        if not text:
            return Read(len(reader.pages))
        return Read(len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages), links(reader))
    except (PyPdfError, ValueError, KeyError, TypeError) as e:
        raise BuildError(f"{pdf}: pypdf cannot read it: {e}") from e


def page_count(pdf: Path) -> int:
    return read(pdf, text=False).pages


def text(pdf: Path) -> str:
    """The PDF's extracted text, pages joined by newlines."""
    return read(pdf).text


def metadata(pdf: Path) -> dict[str, str]:
    from pypdf import PdfReader

    info = PdfReader(pdf).metadata or {}
    return {key.lstrip("/"): str(value) for key, value in info.items()}


def links(pdf) -> list[str]:
    """Every URI link annotation, in page order. `pdf`: a path, or a PdfReader already open."""
    if not hasattr(pdf, "pages"):
        return read(pdf).links
    found = []
    for page in pdf.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                found.append(str(action["/URI"]))
    return found


def check_budget(name: str, pages: int, max_pages: int | None) -> None:
    if max_pages is not None and pages > max_pages:
        raise BuildError(
            f"variant {name!r} is {pages} pages, over its budget of {max_pages} "
            f"(max_pages in [variants.{name}]): drop highlights or tighten the variant"
        )


# ---------------------------------------------------------------- the build's reader process

_process: _Reader | None = None


@contextmanager
def reading():
    """Reads inside the block go to a reader process (started now: it imports pypdf meanwhile)."""
    global _process
    process = _Reader.start()
    _process = process
    try:
        yield
    finally:
        _process = None
        if process:
            process.stop()


class _Reader:
    """`python -m cvpress.verify`: one JSON request per line on its stdin, one answer per line."""

    def __init__(self, popen: subprocess.Popen):
        self.popen, self.lock = popen, threading.Lock()

    @classmethod
    def start(cls) -> _Reader | None:
        if not sys.executable:
            return None
        package = str(Path(__file__).resolve().parents[1])  # this very cvpress, wherever it is installed
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, (package, os.environ.get("PYTHONPATH"))))}
        try:
            return cls(subprocess.Popen([sys.executable, "-m", "cvpress.verify"], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env,
                                        encoding="utf-8", bufsize=1))
        except OSError:
            return None

    def read(self, pdf: Path, text: bool) -> Read | BuildError | None:
        """The answer; None when the process is gone (the caller reads in-process)."""
        with self.lock:  # one request at a time
            if self.popen.poll() is not None:
                return None
            timer = threading.Timer(TIMEOUT, self.popen.kill)
            timer.start()
            try:
                self.popen.stdin.write(json.dumps({"pdf": str(Path(pdf).resolve()), "text": text}) + "\n")
                self.popen.stdin.flush()
                answer = json.loads(self.popen.stdout.readline() or "null")
            except (OSError, ValueError):
                answer = None
            finally:
                timer.cancel()
        if not answer:
            self.popen.kill()
            return None
        if "error" in answer:
            return BuildError(answer["error"])
        return Read(answer["pages"], answer["text"], answer["links"])

    def stop(self) -> None:
        """End it now: it only ever reads, and a build that needed no read would wait for its import."""
        try:
            self.popen.stdin.close()
        except OSError:
            pass
        self.popen.kill()
        self.popen.wait()


def _serve() -> None:
    import pypdf  # noqa: F401 -- the point of starting early: imported before the first request

    for line in sys.stdin:
        request = json.loads(line)
        try:
            found = _read_here(Path(request["pdf"]), request["text"])
            answer = {"pages": found.pages, "text": found.text, "links": found.links}
        except BuildError as e:
            answer = {"error": str(e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    os._exit(0)  # every answer is out: nothing to tear down


if __name__ == "__main__":
    _serve()
