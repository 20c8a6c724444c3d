"""Inline markup in content: **bold**, *italic* and [label](https://… or mailto:…). Nothing else.

One parser for every writer: escape.inline (LaTeX), escape.plain (the text a reader sees, which
the ATS check expects) and the Markdown/HTML exports walk the same tree, so they cannot disagree.
Anything that is not one of the three forms stays literal: `snake_case`, `__init__`, `\\input`,
`2 * 3`, `a*b*c`, an unclosed `**`.

The rules, in the spirit of CommonMark's delimiter runs:
- `**` opens bold before a non-space and closes it after a non-space (also inside a word);
- `*` opens italic before a non-space when no letter or digit precedes it, and closes it after a
  non-space when none follows (so `a*b*c` and `2 * 3` stay literal);
- `[` opens a link; `](URL)` closes it when URL starts with https://, http:// or mailto: and holds
  no space or `)`; the label is not empty and holds no other link;
- spans nest properly: a closer closes the innermost open span of its kind, and what opened inside
  that span but never closed is literal.

One left-to-right pass with a stack per kind of opener: every character is looked at a bounded
number of times, so any text parses in linear time (a megabyte of `**a ` takes well under a second).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

_SCHEMES = ("https://", "http://", "mailto:")
_URL_END = re.compile(r"[)\s]")
_SPECIAL = re.compile(r"\*+|\[+|\]")
MAX_DEPTH = 8  # spans nested deeper than this read as literal text


@dataclass(frozen=True)
class Span:
    """A piece of marked-up text: literal text, or bold, italic or a link holding further spans."""

    kind: str  # "text", "bold", "italic" or "link"
    text: str = ""  # text: the characters, as written
    children: tuple[Span, ...] = ()  # bold, italic, link: what they hold
    url: str = ""  # link: its target, as written


@dataclass(slots=True)
class _Open:
    kind: str
    literal: str  # what it reads as when it never closes
    start: int  # where its delimiter ends in the source (a link's label starts there)
    matched: bool = False


@dataclass(frozen=True)
class _Close:
    opener: _Open
    literal: str  # what it reads as when its span is too deeply nested to keep
    url: str = ""


def parse(value: str) -> tuple[Span, ...]:
    """The spans of marked-up text, in order; text spans hold the literal rest."""
    if "*" not in value and "[" not in value:  # no markup (a lone ] is literal): most text
        return (Span("text", value),) if value else ()
    tokens: list[str | _Open | _Close] = []
    stacks: dict[str, list[int]] = {"bold": [], "italic": [], "link": []}  # indexes into tokens
    url_end = (-1, -1)  # (from, to): the last search for the end of a link target, reused (linear)
    pos, size = 0, len(value)
    for found in _SPECIAL.finditer(value):
        at = found.start()
        if at < pos:  # inside a link target already read
            continue
        if at > pos:
            tokens.append(value[pos:at])
        pos = found.end()
        char = value[at]
        if char == "[":
            if pos - at > 1:  # of a run of [, only the last can open a link (a link holds no link)
                tokens.append(value[at:pos - 1])
            stacks["link"].append(len(tokens))
            tokens.append(_Open("link", "[", pos))
        elif char == "]":
            target = at + 2
            if stacks["link"] and value.startswith("(", at + 1) and value.startswith(_SCHEMES, target):
                if url_end[0] > target or url_end[1] < target:
                    stop = _URL_END.search(value, target)
                    url_end = (target, stop.start() if stop else size)
                end = url_end[1]
                if end < size and value[end] == ")" and tokens[stacks["link"][-1]].start < at:
                    _close(tokens, stacks, "link", value[at:end + 1], value[target:end])
                    stacks["link"].clear()  # no link inside a link: an earlier open [ stays literal
                    pos = end + 1
                    continue
            tokens.append("]")
        else:
            _stars(value, at, pos, tokens, stacks)
    if pos < size:
        tokens.append(value[pos:])
    return _tree(tokens)


def _stars(value: str, pos: int, end: int, tokens: list, stacks: dict[str, list[int]]) -> None:
    """The run of `*` from `pos` to `end`: it closes what it can, opens what it can; the rest is literal."""
    count = end - pos
    before = value[pos - 1] if pos else " "
    after = value[end] if end < len(value) else " "
    if not before.isspace():  # a closer
        italic_closes = not _word(after)
        while count:
            bold = stacks["bold"][-1] if count >= 2 and stacks["bold"] else -1
            italic = stacks["italic"][-1] if italic_closes and stacks["italic"] else -1
            if bold < 0 and italic < 0:
                break
            if bold >= 0 and (count == 2 or bold > italic):  # `**` closes bold; `***` the innermost first
                _close(tokens, stacks, "bold", "**")
                count -= 2
            else:
                _close(tokens, stacks, "italic", "*")
                count -= 1
    opens = []
    if not after.isspace():
        while count >= 2:
            opens.append("bold")
            count -= 2
        if count == 1 and not _word(before):
            opens.append("italic")
            count -= 1
    if count:
        tokens.append("*" * count)
    for kind in opens:
        stacks[kind].append(len(tokens))
        tokens.append(_Open(kind, "**" if kind == "bold" else "*", end))


def _word(char: str) -> bool:
    return char.isalnum() or char == "_"


def _close(tokens: list, stacks: dict[str, list[int]], kind: str, literal: str, url: str = "") -> None:
    """Close the innermost open `kind`: what opened after it and is still open stays literal."""
    index = stacks[kind].pop()
    tokens[index].matched = True
    for other in stacks.values():
        while other and other[-1] > index:
            other.pop()
    tokens.append(_Close(tokens[index], literal, url))


def _tree(tokens: list) -> tuple[Span, ...]:
    """Nest the flat tokens: each matched opener holds everything up to its closer."""
    frames: list[tuple[_Open | None, list[Span], list[str]]] = [(None, [], [])]  # (opener, spans, pending text)

    def flush(frame):
        if frame[2]:
            frame[1].append(Span("text", "".join(frame[2])))
            frame[2].clear()

    for token in tokens:
        if isinstance(token, str):
            frames[-1][2].append(token)
        elif isinstance(token, _Open):
            if token.matched and len(frames) > MAX_DEPTH:
                token.matched = False  # deeper than any résumé needs: literal, and writers need no deep recursion
            if token.matched:
                flush(frames[-1])
                frames.append((token, [], []))
            else:
                frames[-1][2].append(token.literal)
        elif not token.opener.matched:
            frames[-1][2].append(token.literal)
        else:
            opener, spans, _ = frame = frames.pop()
            flush(frame)
            flush(frames[-1])
            frames[-1][1].append(Span(opener.kind, children=tuple(spans), url=token.url))
    flush(frames[0])
    return tuple(frames[0][1])


def visible(spans: tuple[Span, ...], shown: Callable[[str], str] = str) -> str:
    """The characters a reader sees, markup removed (a link shows its label); `shown` maps each
    piece of literal text to what a writer prints for it."""
    out: list[str] = []
    todo = list(reversed(spans))
    while todo:  # no recursion: nesting may be deep
        span = todo.pop()
        if span.kind == "text":
            out.append(shown(span.text))
        else:
            todo.extend(reversed(span.children))
    return "".join(out)
