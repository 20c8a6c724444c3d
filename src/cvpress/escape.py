"""Escaping: the one place where untrusted content becomes LaTeX.

Every content string passes through `text()` (or `url()` for link targets) exactly once, before
templating. The result is a `NoEscape` (pylatex's marker for trusted LaTeX); templates refuse to
output anything else, so an unescaped string cannot reach the .tex file by accident.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from pylatex.utils import NoEscape

Tex = NoEscape

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
_LIGATURE_RUNS = re.compile(r"(?<=-)(?=-)|(?<=,)(?=,)")
_SPACES = re.compile(r"[ \t\r\n]+")


def text(value: str) -> Tex:
    """Escape plain content text for LaTeX text mode."""
    value = unicodedata.normalize("NFC", _SPACES.sub(" ", value)).translate(_TEXT_TABLE)
    return Tex(_LIGATURE_RUNS.sub("{}", value))  # escapes hold no '-' or ',', so this sees content only


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


# Inline markup in content: **bold**, *italic*, [text](url). Anything else is literal.
_MARKUP = re.compile(
    r"\*\*(?P<bold>\S(?:.*?\S)?)\*\*"
    r"|(?<![\w*])\*(?P<italic>[^\s*](?:[^*]*?[^\s*])?)\*(?![\w*])"
    r"|\[(?P<label>[^\]]+)\]\((?P<url>(?:https?://|mailto:)[^)\s]+)\)"
)


def inline(value: str) -> Tex:
    """Escape text that may carry **bold**, *italic* and [label](url) markup."""
    out, pos = [], 0
    for match in _MARKUP.finditer(value):
        out.append(text(value[pos : match.start()]))
        if match["bold"] is not None:
            out.append(rf"\textbf{{{inline(match['bold'])}}}")
        elif match["italic"] is not None:
            out.append(rf"\emph{{{inline(match['italic'])}}}")
        else:
            out.append(href(match["url"], match["label"]))
        pos = match.end()
    out.append(text(value[pos:]))
    return Tex("".join(out))


def plain(value: str) -> str:
    """The text a reader sees for marked-up content (markup removed), e.g. for PDF checks."""
    return _MARKUP.sub(lambda m: m["bold"] or m["italic"] or m["label"], _SPACES.sub(" ", value))
