"""Escaping: the one place where untrusted content becomes LaTeX.

Every content string passes through `text()` (or `url()` for link targets) exactly once, before
templating. The result is a `Tex` (the marker for trusted LaTeX); templates refuse to
output anything else, so an unescaped string cannot reach the .tex file by accident.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from cvpress import markup


class Tex(str):
    """Trusted LaTeX: escaped content, or what cvpress writes itself. `Tex + str` is a plain str."""

    __slots__ = ()


# Each character that TeX treats specially, or that a T1 font turns into a ligature or a
# different glyph, gets a command that prints exactly that character (and extracts as it).
_TEXT = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",  # T1 ligatures << >> would give guillemets
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "'": r"\textquotesingle{}",  # a T1 ' prints a curly quote
    "`": r"\textasciigrave{}",
    '"': r"\textquotedbl{}",
    "\t": " ",
    "\n": " ",
    "\r": " ",
    "\u00a0": "~",  # no-break space
    "\u00ad": "",  # soft hyphen: invisible
}
_TEXT_TABLE = str.maketrans(_TEXT)
# "--" and "---" are dash ligatures and ",," a low quote in T1: keep such runs literal.
_LIGATURE_RUNS = re.compile(r"([-,])(?=\1)")
_SPACES = re.compile(r"[ \t\r\n]+")


def _one_space(value: str) -> str:
    """Every run of whitespace as one space: what the PDF prints and what its checks expect."""
    if "  " in value or "\n" in value or "\t" in value or "\r" in value:  # what _SPACES changes; rare
        return _SPACES.sub(" ", value)
    return value


def text(value: str) -> Tex:
    """Escape plain content text for LaTeX text mode."""
    value = unicodedata.normalize("NFC", _one_space(value)).translate(_TEXT_TABLE)
    if "--" in value or ",," in value:  # escapes hold no '-' or ',', so this sees content only
        value = _LIGATURE_RUNS.sub(r"\1{}", value)
    return Tex(value)


# Characters allowed to stay as they are in a URI (RFC 3986 unreserved + reserved + '%').
_URI_SAFE = "-._~:/?#[]@!&'()*+,;=%"  # '$' is encoded: hyperref cannot pass it through
# What \href needs escaped in its URL argument (hyperref turns them back into the plain character).
_URL_TEX = str.maketrans({"%": r"\%", "#": r"\#", "&": r"\&", "_": r"\_", "~": r"\~"})


def url(value: str) -> Tex:
    """A link target for \\href: percent-encode what a URI may not hold, escape what TeX reads."""
    encoded = quote(value.strip(), safe=_URI_SAFE)
    encoded = re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)  # a lone % is data
    return Tex(encoded.translate(_URL_TEX))


def href(target: str, label: str) -> Tex:
    return Tex(rf"\href{{{url(target)}}}{{{text(label)}}}")


def inline(value: str) -> Tex:
    """Escape text that may carry **bold**, *italic* and [label](url) markup (markup.py)."""
    return Tex("".join(_inline(markup.parse(value))))


def _inline(spans) -> list[str]:
    out = []
    for span in spans:
        if span.kind == "text":
            out.append(text(span.text))
        elif span.kind == "link":
            out.append(rf"\href{{{url(span.url)}}}{{{''.join(_inline(span.children))}}}")
        else:
            command = "textbf" if span.kind == "bold" else "emph"
            out.append(rf"\{command}{{{''.join(_inline(span.children))}}}")
    return out


def plain(value: str) -> str:
    """The text a reader sees for marked-up content, exactly as inline() prints it (markup removed,
    whitespace runs as one space), e.g. for the PDF checks."""
    shown = markup.visible(markup.parse(value), literal)
    return _one_space(shown)


def literal(piece: str) -> str:
    """What text(piece) prints for literal text (no markup in it): whitespace runs as one space, NFC, soft hyphens invisible."""
    return unicodedata.normalize("NFC", _one_space(piece)).replace("\u00ad", "")
