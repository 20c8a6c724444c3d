"""Which TeX engine a document needs, decided by its characters, and which characters none can set.

pdfLaTeX (fast, Type 1 fonts in T1/TS1 encoding) sets Western and Central European Latin and the
usual punctuation. Anything else -- Greek, Cyrillic, Latin letters T1 can only fake with a separate
accent (ā, ș, ĥ), symbols -- goes to LuaLaTeX, which uses the same fonts as OpenType and borrows what
they lack from DejaVu (cvpress.sty), and Chinese, Japanese and Korean from Noto Serif CJK (cjk_face).
Right-to-left scripts are refused (unsupported). A character no font has must fail the build, naming the
character and where the content holds it: a PDF never ships a blank box.
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import contextmanager
from pathlib import Path

from cvpress.errors import BuildError
from cvpress.locate import find, format_path, locate, strings
from cvpress.texlive import LUALATEX, PDFLATEX, font_cache, user_cache  # noqa: F401 (moved there; kept importable here)

# Non-ASCII characters that pdfLaTeX sets as one glyph that extracts as typed (pypdf and pdftotext),
# in every font of model.FONTS. Found by compiling each character that LaTeX's utf8 support declares
# (t1enc, ts1enc, ot1enc, omsenc .dfu files, TeX Live 2022) and reading it back. Left out: letters
# made of an accent over a letter (ā extracts as "¯a"), … (three periods), superscript digits,
# ligatures (ﬁ), look-alikes (‐ extracts as "-"): LuaLaTeX sets those as real glyphs.
_PDFLATEX_RANGES = (
    "00A1-00AC 00AE-00B1 00B4-00B8 00BA-00FF 0102-0107 010C-010F 0111 0118-011B 011E-011F 0130-0133 "
    "0139-013A 013D-013E 0141-0144 0147-0148 014A-014B 0150-0155 0158-015B 015E-0165 016E-0171 "
    "0178-017E 0192 0237 02C7 02D8-02D9 02DB 02DD 2013-2014 2016 2018-201A 201C-201E 2020-2022 2030 "
    "2039-203B 203D 2044 20A1 20A4 20A9 20AB-20AC 2103 2116 2122 212E 2190-2193 2329-232A 2423 25E6 266A"
)


def _expand(ranges: str) -> frozenset[str]:
    chars = set()
    for part in ranges.split():
        first, _, last = part.partition("-")
        chars.update(chr(c) for c in range(int(first, 16), int(last or first, 16) + 1))
    return frozenset(chars)


PDFLATEX_CHARS = frozenset("\t\n\r") | frozenset(map(chr, range(0x20, 0x7F))) | _expand(_PDFLATEX_RANGES)


def choose(tex: str) -> str:
    """The engine for a rendered document: pdfLaTeX if it can set every character, else LuaLaTeX."""
    return PDFLATEX if PDFLATEX_CHARS.issuperset(tex) else LUALATEX


# Chinese, Japanese and Korean come from Noto Serif CJK (Debian's fonts-noto-cjk, ~300 MB with its
# sans; only installed when the content needs it: `cvpress needs`, `make pdf`). Its .ttc holds one face
# per language (fc-query): which one draws Han characters depends on the language.
CJK_PACKAGE = "fonts-noto-cjk"
CJK_FACES = {"ja": 0, "ko": 1, "zh": 2, "zh-hans": 2, "zh-cn": 2, "zh-sg": 2, "zh-hant": 3, "zh-tw": 3,
             "zh-hk": 3, "zh-mo": 3}


def cjk_script(char: str) -> str | None:
    """'han', 'kana' or 'hangul' for a character Noto CJK draws and the body fonts do not; else None."""
    c = ord(char)
    if 0x3040 <= c <= 0x30FF or 0x31F0 <= c <= 0x31FF or 0xFF66 <= c <= 0xFF9F:
        return "kana"
    if 0x1100 <= c <= 0x11FF or 0x3130 <= c <= 0x318F or 0xAC00 <= c <= 0xD7AF:
        return "hangul"
    if (0x2E80 <= c <= 0x2FDF or 0x3000 <= c <= 0x303F or 0x3190 <= c <= 0x31EF or 0x3200 <= c <= 0x9FFF
            or 0xF900 <= c <= 0xFAFF or 0xFE30 <= c <= 0xFE4F or 0xFF00 <= c <= 0xFF65
            or 0x20000 <= c <= 0x3FFFF):
        return "han"
    return None


def cjk_face(text: str, language: str) -> int | None:
    """Which face of Noto Serif CJK a document needs (0 JP, 1 KR, 2 SC, 3 TC), or None without CJK.

    The language decides (zh-TW: traditional); another language goes by script: kana is Japanese,
    hangul Korean, Han alone simplified Chinese."""
    scripts = {s for c in set(text) if (s := cjk_script(c))}
    if not scripts:
        return None
    tag = language.lower()
    for key in (tag, tag.split("-")[0]):
        if key in CJK_FACES:
            return CJK_FACES[key]
    return 0 if "kana" in scripts else 1 if "hangul" in scripts else 2


def unsupported(char: str) -> str | None:
    """Why no engine and font can set `char`, when that is known without compiling; else None."""
    kind = unicodedata.category(char)
    if kind == "Co":
        return "a private-use character: it has no standard glyph"
    if kind == "Cs":
        return "a lone surrogate, not a character"
    if kind == "Cn":
        return "not an assigned Unicode character (or not yet known to this Python)"
    if unicodedata.bidirectional(char) in ("R", "AL"):
        return "a right-to-left script (Hebrew, Arabic, ...), which cvpress cannot lay out yet"
    if kind == "Cf" and char != "\u00ad":  # escape.py drops the soft hyphen
        return "an invisible formatting character (zero-width, joiner or direction mark): remove it"
    if "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef":
        return "a variation selector (asks for emoji or text style), invisible in the PDF's text: remove it"
    return None


# LuaTeX only warns when no font has a glyph (and drops the character); pdfLaTeX stops.
_MISSING = re.compile(r"^Missing character: There is no .*? \(U\+([0-9A-F]{4,6})\) in font", re.M)
_NOT_SET_UP = re.compile(r"Unicode character .{1,2} \(U\+([0-9A-F]{4,6})\)\s+not set up for use with LaTeX")


def unsupported_in(text: str) -> dict[str, str]:
    """The characters of `text` that nothing can set, known without compiling: character -> why."""
    return {c: why for c in sorted(set(text)) if c > "\x7f" and (why := unsupported(c))}  # ASCII: all settable


def missing_in_log(log_text: str) -> dict[str, str]:
    """Characters the engine could not set, from its log: character -> why."""
    found = {}
    for match in _MISSING.finditer(log_text):
        char = chr(int(match[1], 16))
        found.setdefault(char, f"no font has it: install Noto CJK (Debian: sudo apt-get install {CJK_PACKAGE})"
                         if cjk_script(char) else "no available font has it (the body font, DejaVu Serif, DejaVu Sans)")
    for match in _NOT_SET_UP.finditer(log_text):
        found.setdefault(chr(int(match[1], 16)), "pdfLaTeX cannot set it")
    return found


def check(known: dict[str, str], log_text: str) -> None:
    """Fail, naming every character, when some cannot be set: `known` (unsupported_in) or the log's."""
    found = {**missing_in_log(log_text), **known}
    if found:
        raise UnsupportedCharacters(dict(sorted(found.items())))


class UnsupportedCharacters(BuildError):
    """Characters the PDF cannot show; `locate` adds where the content holds each one."""

    def __init__(self, reasons: dict[str, str]):
        self.reasons = reasons
        self.places: dict[str, list[str]] = {}
        count = f"{len(reasons)} character{'s' if len(reasons) != 1 else ''}"
        super().__init__(f"{count} in the content cannot be typeset (remove or replace them):")

    def locate(self, resume, content_path: Path) -> None:
        """Find each character in the validated content: key paths, with file, line and column."""
        try:
            positions = locate(content_path.read_text(encoding="utf-8"))
        except OSError:
            positions = {}
        for char in self.reasons:
            places = []
            for path in paths_with(resume, char):
                shown = _located_prefix(positions, path)
                where = find(positions, path)
                places.append(f"{format_path(shown)} ({content_path}:{where[0]}:{where[1]})" if where
                              else format_path(shown))
            self.places[char] = list(dict.fromkeys(places))

    def format(self) -> str:
        lines = [str(self)]
        for char, why in self.reasons.items():
            line, places = f"  {describe(char)}: {why}", self.places.get(char)
            if places:
                line += "; in " + ", ".join(places[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            elif char in self.places:
                line += "; not found in the content"
            lines.append(line)
        return "\n".join(lines)


def describe(char: str) -> str:
    """'中' U+4E2D CJK UNIFIED IDEOGRAPH-4E2D (invisible characters are not printed as themselves)."""
    name = unicodedata.name(char, "")
    shown = f"{char!r} " if unicodedata.category(char)[0] not in "CZM" else ""
    return f"{shown}U+{ord(char):04X}" + (f" {name}" if name else "")


def paths_with(value, char: str) -> list[tuple]:
    """Key paths of every content string (NFC, as rendered) that holds `char`; `extra` is never rendered."""
    return [path for path, text in strings(value, frozenset({"extra"})) if char in unicodedata.normalize("NFC", text)]


def _located_prefix(positions: dict, path: tuple) -> tuple:
    """The path as written in the file: a highlight given as a plain string has no `.text` key."""
    for end in range(len(path), 0, -1):
        if path[:end] in positions:
            return path[:end]
    return path


def font_names_built(cache: Path) -> bool:
    """Whether LuaLaTeX's font list in `cache` (TEXMFCACHE) exists: its first run builds it, slowly."""
    return any((cache / "luatex-cache" / "generic" / "names").glob("luaotfload-names.lu*"))


@contextmanager
def first_run_lock(cache: str | None):
    """While the font cache in `cache` is empty, LuaLaTeX runs one at a time: the first one fills it.

    None (pdfLaTeX, no font cache): no lock.
    """
    if cache is None or font_names_built(Path(cache)):
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(Path(cache) / "cvpress.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield
