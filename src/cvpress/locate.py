"""Where keys live in a TOML document, so error messages can cite lines.

``tomli`` forgets positions, so :func:`locate` re-scans the (already
validated) text and maps every key path -- keys, array indices, array-of-tables
elements -- to a 1-based ``(line, column)`` (columns count characters).  It
never raises: on anything unexpected it returns what it has found so far.
"""
from __future__ import annotations

import bisect
import json
import re

Path = tuple[str | int, ...]  # e.g. ("work", 2, "positions", 0, "startDate")
Loc = tuple[int, int]  # 1-based (line, column)

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = ",]}#\r\n"  # what ends a number / bool / date value
_ESCAPE = re.compile(r'\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|x([0-9a-fA-F]{2})|(.))', re.S)
_SIMPLE_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", "e": "\x1b"}


def _unescape(raw: str) -> str:
    """Decode the escapes of a basic string (only needed for quoted keys)."""
    def one(m: re.Match) -> str:
        if m[4] is not None:
            return _SIMPLE_ESCAPES.get(m[4], m[4])
        return chr(int(m[1] or m[2] or m[3], 16))
    return _ESCAPE.sub(one, raw)


class _Stop(Exception):
    """Internal: the text ended or looked wrong; stop scanning."""


class _Scanner:
    def __init__(self, text: str):
        self.s = text
        self.i = 0
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.locs: dict[Path, Loc] = {}
        self.aot: dict[Path, int] = {}  # concrete array-of-tables path -> elements seen

    def where(self, i: int) -> Loc:
        line = bisect.bisect_right(self.line_starts, i)
        return line, i - self.line_starts[line - 1] + 1

    def peek(self) -> str:
        return self.s[self.i:self.i + 1]

    def expect(self, token: str) -> None:
        if not self.s.startswith(token, self.i):
            raise _Stop
        self.i += len(token)

    def skip_ws(self, newlines: bool = False) -> None:
        """Skip spaces, tabs and comments; also line breaks if `newlines`."""
        s = self.s
        while self.i < len(s):
            c = s[self.i]
            if c in " \t" or (newlines and c in "\r\n"):
                self.i += 1
            elif c == "#":
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            else:
                return

    def string(self) -> str:
        """Consume any of the four string kinds at self.i; return its raw body."""
        s, q = self.s, self.s[self.i]
        delim = q * 3 if s.startswith(q * 3, self.i) else q
        j = start = self.i + len(delim)
        while not s.startswith(delim, j):
            if j >= len(s) or (len(delim) == 1 and s[j] == "\n"):
                raise _Stop
            j += 2 if (q == '"' and s[j] == "\\") else 1  # skip escaped char
        if len(delim) == 3:  # up to two quotes before the closing """ belong to the body
            for _ in range(2):
                if s.startswith(q, j + 3):
                    j += 1
        self.i = j + len(delim)
        return s[start:j]

    def key(self) -> list[tuple[str, int]]:
        """Parse a (possibly dotted) key; return [(name, start offset), ...]."""
        parts = []
        while True:
            self.skip_ws()
            start, c = self.i, self.peek()
            if c == '"':
                name = _unescape(self.string())
            elif c == "'":
                name = self.string()
            else:
                m = _BARE.match(self.s, self.i)
                if not m:
                    raise _Stop
                name, self.i = m.group(), m.end()
            parts.append((name, start))
            self.skip_ws()
            if self.peek() != ".":
                return parts
            self.i += 1

    def document(self) -> None:
        table: Path = ()  # concrete path of the current [table] / [[element]]
        while True:
            self.skip_ws(newlines=True)
            if self.i >= len(self.s):
                return
            if self.peek() == "[":
                table = self.header()
            else:
                self.keyval(table)

    def header(self) -> Path:
        """Parse `[a.b]` or `[[a.b]]`; return the concrete path of the new table."""
        at = self.i
        is_array = self.s.startswith("[[", at)
        self.i += 2 if is_array else 1
        parts = self.key()
        self.expect("]]" if is_array else "]")
        path: Path = ()
        for n, (name, pos) in enumerate(parts):
            path += (name,)
            if n < len(parts) - 1:  # ancestor: locate once, step into its last element
                self.locs.setdefault(path, self.where(pos))
                if path in self.aot:
                    path += (self.aot[path] - 1,)
            elif is_array:  # new element of an array of tables
                self.locs.setdefault(path, self.where(pos))
                index = self.aot.get(path, 0)
                self.aot[path] = index + 1
                path += (index,)
                self.locs[path] = self.where(at)
            else:  # explicit table: its header wins over any implicit mention
                self.locs[path] = self.where(at)
        return path

    def keyval(self, table: Path) -> None:
        path = table
        for name, pos in self.key():
            path += (name,)
            self.locs.setdefault(path, self.where(pos))
        self.expect("=")
        self.skip_ws()
        self.value(path)

    def value(self, path: Path) -> None:
        c = self.peek()
        if c in ('"', "'"):
            self.string()
        elif c == "[":  # array: each element located under its index
            self.sequence("]", lambda n: self.element(path + (n,)))
        elif c == "{":  # inline table
            self.sequence("}", lambda n: self.keyval(path))
        else:  # number, bool, date/time (which may contain a space)
            j = self.i
            while j < len(self.s) and self.s[j] not in _SCALAR_END:
                j += 1
            if j == self.i:
                raise _Stop
            self.i = j

    def element(self, path: Path) -> None:
        self.locs[path] = self.where(self.i)
        self.value(path)

    def sequence(self, close: str, item) -> None:
        """Comma-separated items up to `close`; line breaks and comments are
        allowed between them (in inline tables only tolerated, as in TOML 1.1)."""
        self.i += 1
        n = 0
        while True:
            self.skip_ws(newlines=True)
            if self.peek() == close:
                self.i += 1
                return
            item(n)
            n += 1
            self.skip_ws(newlines=True)
            if self.peek() == ",":
                self.i += 1
            elif self.peek() != close:
                raise _Stop


def locate(text: str) -> dict[Path, Loc]:
    """Map every key path in a TOML document to the 1-based (line, column)
    where its key (or array element / table header) starts."""
    scanner = _Scanner(text)
    try:
        scanner.document()
    except Exception:  # _Stop, or anything unforeseen: keep the partial result
        pass
    return scanner.locs


def find(locations: dict[Path, Loc], path: Path) -> Loc | None:
    """Location of `path`, or of its nearest located ancestor; None if nothing."""
    path = tuple(path)
    for end in range(len(path), 0, -1):
        if path[:end] in locations:
            return locations[path[:end]]
    return None


def format_path(path: Path) -> str:
    """("work", 2, "positions", 0, "startDate") -> "work[2].positions[0].startDate".

    Keys that are not bare identifiers are quoted: ("basics", "a b") -> basics."a b".
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            key = part if _BARE.fullmatch(part) else json.dumps(part, ensure_ascii=False)
            out += ("." if out else "") + key
    return out


def strings(value, skip: frozenset[str] = frozenset(), path: Path = ()):
    """(key path, text) of every string in a validated model, in field order; fields named in
    `skip` are not entered (e.g. "extra", which is kept but never rendered)."""
    from pydantic import BaseModel

    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if name not in skip:
                yield from strings(getattr(value, name), skip, path + (name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(item, skip, path + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from strings(item, skip, path + (index,))
