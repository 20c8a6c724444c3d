"""User-facing errors: what went wrong, where, and what was expected.

User errors (bad content, over-budget PDFs, LaTeX failures caused by content) print a short
message and exit non-zero without a traceback. Anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

# Plain classes, not dataclasses: every command imports this module, and `dataclasses` (with the
# `inspect` it loads) is a fifth of `cvpress --help`'s time.

EXIT_OK = 0
EXIT_BUILD = 1  # the input was fine but the build failed (LaTeX error, page budget)
EXIT_INPUT = 2  # invalid input or usage


def counted(n: int, noun: str) -> str:
    """`1 line`, `2 lines`: a count with its noun in the right number (nouns taking a plain -s)."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


class Problem:
    """One located problem in an input file."""

    __slots__ = ("message", "file", "line", "column", "path", "source")

    def __init__(self, message: str, file: str | None = None, line: int | None = None, column: int | None = None,
                 path: str | None = None, source: str | None = None):
        self.message, self.file, self.line, self.column = message, file, line, column
        self.path = path  # key path, e.g. work[2].positions[0].startDate
        self.source = source  # the offending source line, shown with a caret

    def replace(self, **changes) -> Problem:
        """A copy with some fields changed (dataclasses.replace, for this plain class)."""
        return Problem(**{**dict(zip(self.__slots__, self._fields())), **changes})

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other) -> bool:
        return isinstance(other, Problem) and self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Problem(" + ", ".join(f"{n}={v!r}" for n, v in zip(self.__slots__, self._fields())) + ")"

    def format(self) -> str:
        where = ":".join(str(p) for p in (self.file, self.line, self.column) if p is not None)
        head = f"{where}: " if where else ""
        key = f"{self.path}: " if self.path else ""
        text = f"{head}{key}{self.message}"
        if self.source is not None and self.line is not None:
            source, column = _window(self.source, max((self.column or 1) - 1, 0))
            text += f"\n    {source}\n    {' ' * column}^"
        return text


def _window(line: str, column: int, width: int = 100) -> tuple[str, int]:
    """At most `width` characters of a source line around `column` (a long line is cut, marked …)."""
    if len(line) <= width:
        return line, column
    start = max(0, min(column - width // 2, len(line) - width))
    shown = line[start:start + width]
    prefix, suffix = ("…" if start else ""), ("…" if start + width < len(line) else "")
    return prefix + shown + suffix, column - start + len(prefix)


class UserError(Exception):
    """A mistake the user can fix; reported without a traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def format(self) -> str:
        lines = [str(self)] + [p.format() for p in self.problems]
        return "\n".join(lines)


class ContentError(UserError):
    """The content file cannot be read or does not match the model."""


class BuildError(UserError):
    """A build step failed: LaTeX error, page budget, timeout."""

    exit_code = EXIT_BUILD


class CompileError(BuildError):
    """The engine stopped with an error; carries what a person needs to find its cause."""

    def __init__(self, message: str, errors: list[str] | None = None, tex_line: int | None = None,
                 tex_text: str | None = None, source: str | None = None, log: Path | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []  # the engine's "!" lines
        self.tex_line, self.tex_text = tex_line, tex_text
        self.source = source  # key path from the source map, e.g. work[0].positions[0].highlights[2]
        self.log = log

    def format(self) -> str:
        lines = [self.message] + [f"  {e}" for e in self.errors[:6]]
        if self.tex_line is not None:
            lines.append(f"  generated line {self.tex_line}: {(self.tex_text or '').strip()[:200]}")
        if self.source:
            lines.append(f"  produced by: {self.source}")
        if self.log:
            lines.append(f"  full log: {self.log}")
        return "\n".join(lines)
