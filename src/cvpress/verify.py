"""Stage 5: check a built PDF with pypdf: page budget, text layer, metadata, links."""

from __future__ import annotations

from pathlib import Path

from cvpress.errors import BuildError


def _reader(pdf: Path):
    from pypdf import PdfReader

    return PdfReader(pdf)


def page_count(pdf: Path) -> int:
    return len(_reader(pdf).pages)


def text(pdf: Path) -> str:
    """The PDF's extracted text, pages joined by newlines."""
    return "\n".join(page.extract_text() or "" for page in _reader(pdf).pages)


def metadata(pdf: Path) -> dict[str, str]:
    info = _reader(pdf).metadata or {}
    return {key.lstrip("/"): str(value) for key, value in info.items()}


def links(pdf) -> list[str]:
    """Every URI link annotation, in page order. `pdf`: a path, or a PdfReader already open."""
    found = []
    for page in (pdf if hasattr(pdf, "pages") else _reader(pdf)).pages:
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
