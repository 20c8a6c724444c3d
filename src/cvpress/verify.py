"""Stage 5: check a built PDF with pypdf: page budget, text layer, metadata, links."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from cvpress.errors import BuildError


@dataclass
class Read:
    """What one pypdf read of a PDF gives."""

    pages: int
    text: str | None = None  # pages joined by newlines; None when not asked for
    links: list[str] = field(default_factory=list)


def read(pdf: Path, text: bool = True, links_too: bool | None = None) -> Read:
    """Page count, and with `text` the extracted text; link targets with `links_too` (default: with
    `text`). Text extraction is the slow part: 2.4 s of a 330-page PDF, the links 0.02 s."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(pdf)
        found = links(reader) if (text if links_too is None else links_too) else []
        if not text:
            return Read(len(reader.pages), None, found)
        return Read(len(reader.pages), "\n".join(page.extract_text() or "" for page in reader.pages), found)
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


def check_fresh(out: Path, variant: str, content: Path) -> None:
    """A PDF built from another version of the content file is out of date, not an ATS failure.
    No record (a PDF from an older cvpress, or built elsewhere): nothing to tell."""
    from cvpress import outputs
    from cvpress.hashing import file_digest

    built_from = outputs.built_from(out, variant)
    if built_from and built_from != file_digest(content):
        raise BuildError(f"{out / (variant + '.pdf')} is out of date: {content} changed since it was built; "
                         f"rebuild with `cvpress build --content {content} --out {out}`")


def check_budget(name: str, pages: int, max_pages: int | None) -> None:
    if max_pages is not None and pages > max_pages:
        raise BuildError(
            f"variant {name!r} is {pages} pages, over its budget of {max_pages} "
            f"(max_pages in [variants.{name}]): drop highlights or tighten the variant"
        )
