"""Stage 4c: layout that cannot break, read from TeX's own log.

A line TeX could not break inside the text width is logged as an "Overfull \\hbox": on the page it
runs past the margin and is cut. Past TOLERANCE_PT it fails the build, naming the content that made
it: the key path from the source map (each generated line ends with `% @key.path`; the log names the
paragraph's lines) or, for text read whole before it is set (a theme's highlights), the last
"CVKEY key" the theme's \\cvmark wrote before the message. Text before any key is the header.

Pure functions of the log and the .tex text: build.py calls `overfull` on each compile and `check`
on the last one, the compile that is published.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from cvpress.errors import BuildError, Problem

TOLERANCE_PT = 1.0  # narrower overflows sit in the margin's white space: nothing is cut
HEADER = "basics"  # the key of what comes before any source-mapped line: the header
_OVERFULL = re.compile(r"^Overfull \\hbox \((?P<points>[\d.]+)pt too wide\) "
                       r"(?:in paragraph at lines (?P<first>\d+)--(?P<last>\d+)|detected at line (?P<line>\d+))")
_KEY = re.compile(r"^CVKEY (\S+)\s*$")
_SRC = re.compile(r"% @(\S+)\s*$")
_FONT = re.compile(r"\\[A-Za-z0-9]+/[^\s/]*(?:\([^)]*\))?/[^\s/]*/[^\s/]*/[\d.]+ ?")  # \T1/qpl/m/n/10.95
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:/{0,2}|www\.)\S*[./]\S*$", re.I)
LONG_WORD = 25  # characters: a run at least this long without a space is named as the cause


@dataclass(frozen=True)
class Overfull:
    """One line that runs past the text width."""

    key: str  # content key path, e.g. work[0].positions[1].highlights[2]; HEADER for the header
    points: float  # how far past the margin
    text: str  # the line as TeX set it (font changes and hyphenation points removed)

    def problem(self) -> Problem:
        return Problem(f"a line runs {self.points:.1f}pt past the right margin and is cut off: "
                       f"{_short(self.text)!r}; {self.fix()}", path=self.key)

    def fix(self) -> str:
        run = max(self.text.split(), key=len, default="")
        if _URL.match(run):
            return ("a bare URL this long cannot break there: write it as a link, [label](url), "
                    "or shorten it")
        if len(run) >= LONG_WORD:
            return f"break the word {_short(run, 40)!r} ({len(run)} characters) with spaces, or shorten it"
        return "shorten the text" + (" (or drop a contact)" if self.key == HEADER else "")


class LayoutError(BuildError):
    """Text that runs off the page: the PDF would show it cut at the margin."""

    def format(self) -> str:
        return "\n".join([str(self)] + [f"  {p.format()}" for p in self.problems])

    def locate(self, content_path: Path) -> None:
        """Give each problem the file, line and column of its key in the content file."""
        from cvpress.locate import format_path, locate

        try:
            places = {format_path(path): where for path, where in locate(content_path.read_text(encoding="utf-8")).items()}
        except OSError:
            return
        self.problems = [p.replace(file=str(content_path), line=places[p.path][0], column=places[p.path][1])
                         if p.path in places else p for p in self.problems]


def overfull(log: str, tex: str, tolerance: float | None = None) -> list[Overfull]:
    """The lines of this compile that run more than `tolerance` (TOLERANCE_PT) points past the text width."""
    tolerance = TOLERANCE_PT if tolerance is None else tolerance
    tex_lines, found, key = tex.splitlines(), [], None
    log_lines = log.splitlines()
    for i, line in enumerate(log_lines):
        if mark := _KEY.match(line):
            key = mark[1]
            continue
        match = _OVERFULL.match(line)
        if not match or float(match["points"]) <= tolerance:
            continue
        first = int(match["first"] or match["line"])
        last = int(match["last"] or match["line"])
        mapped = [m[1] for n in range(first, last + 1) if n <= len(tex_lines) and (m := _SRC.search(tex_lines[n - 1]))]
        shown = _clean(log_lines[i + 1] if i + 1 < len(log_lines) else "", tex)
        found.append(Overfull(mapped[0] if mapped else key or HEADER, float(match["points"]), shown))
    return found


def check(variant: str, found: list[Overfull]) -> None:
    """Raise LayoutError when the published compile has lines that run off the page."""
    if found:
        lines = "1 line runs" if len(found) == 1 else f"{len(found)} lines run"
        raise LayoutError(f"variant {variant!r}: {lines} off the page (cut at the right margin); "
                          f"fix the content below", [f.problem() for f in found])


def _clean(shown: str, tex: str) -> str:
    """TeX's short display of a line, as text: no font names, box marks, URL breaks (the two glues
    \\cvbreakable puts after a character, shown as two spaces) or hyphenation points (a hyphen the .tex
    does not hold between those letters is one TeX tried, not the content's)."""
    text = _FONT.sub("", shown).replace("[]", " ").replace("$", " ")
    text = re.sub(r"(?<=[/.?=&_#@:,;])  ", "", text)
    text = re.sub(r"(\w)-(?=(\w))", lambda m: m[0] if m[1] + "-" + m[2] in tex else m[1], text)
    return " ".join(text.split())


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
