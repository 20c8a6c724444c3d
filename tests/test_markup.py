"""Tests for cvpress.markup: the one parser of **bold**, *italic* and [label](url), in linear time."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvpress import export, markup
from cvpress.markup import Span


def text(value: str) -> Span:
    return Span("text", value)


def source(spans) -> str:
    """The markup that writes these spans: parse() keeps every character, so this is its input."""
    out = []
    for span in spans:
        if span.kind == "text":
            out.append(span.text)
        elif span.kind == "link":
            out.append(f"[{source(span.children)}]({span.url})")
        else:
            mark = "**" if span.kind == "bold" else "*"
            out.append(f"{mark}{source(span.children)}{mark}")
    return "".join(out)


@pytest.mark.parametrize(("value", "spans"), [
    ("plain", (text("plain"),)),
    ("**b** *i* [l](https://x.org)", (Span("bold", children=(text("b"),)), text(" "),
                                      Span("italic", children=(text("i"),)), text(" "),
                                      Span("link", children=(text("l"),), url="https://x.org"))),
    ("**the [Kafka](https://kafka.apache.org) migration**",
     (Span("bold", children=(text("the "), Span("link", children=(text("Kafka"),), url="https://kafka.apache.org"),
                             text(" migration"))),)),
    ("[**x**](mailto:a@b.org)", (Span("link", children=(Span("bold", children=(text("x"),)),), url="mailto:a@b.org"),)),
    ("***x***", (Span("bold", children=(Span("italic", children=(text("x"),)),)),)),
    ("**a *b**", (Span("bold", children=(text("a *b"),)),)),  # what opened inside and never closed is literal
    ("*a **b*", (Span("italic", children=(text("a **b"),)),)),
    ("[a [b](https://x.org)", (text("[a "), Span("link", children=(text("b"),), url="https://x.org"))),
    ("x**y**z", (text("x"), Span("bold", children=(text("y"),)), text("z"))),  # bold inside a word
])
def test_examples(value, spans):
    assert markup.parse(value) == spans


@pytest.mark.parametrize("value", [
    "snake_case", "__init__", "_x_", "\\input{x}", "2 * 3 * 4", "a*b*c", "** spaced **", "* spaced *", "**", "****",
    "[no link]", "[](https://x.org)", "[a](ftp://x.org)", "[a](javascript:alert(1))", "[a](https://x y)",
    "[a] (https://x.org)", "[a](https://x.org", "**unclosed", "*lone", "`code`", "# heading", "<b>x</b>",
])
def test_anything_else_is_literal(value):
    assert markup.parse(value) == (text(value),)


def test_no_link_inside_a_link():
    assert markup.parse("[[a](https://x.org)](https://y.org)") == (
        text("["), Span("link", children=(text("a"),), url="https://x.org"), text("](https://y.org)"))


def test_spans_nested_deeper_than_the_limit_read_as_literal():
    deep = "".join(f"{'**' if n % 2 else '*'}l{n} " for n in range(12)) + "x" + "".join(
        f" r{n}{'**' if n % 2 else '*'}" for n in reversed(range(12)))
    spans, depth = markup.parse(deep), 0
    while spans and any(s.kind != "text" for s in spans):
        (inner,) = [s for s in spans if s.kind != "text"]
        spans, depth = inner.children, depth + 1
    assert depth == markup.MAX_DEPTH
    assert markup.visible(markup.parse(deep)).count("*") == 3 * (12 - markup.MAX_DEPTH)
    assert source(markup.parse(deep)) == deep


markup_text = st.lists(st.sampled_from(
    ["**", "*", "***", "[", "]", "(", ")", "](", "https://x.org/", "mailto:a@b", "a", "b c", " ", "_", "\\", "\n"]),
    max_size=50).map("".join)


@settings(database=None)
@given(st.one_of(markup_text, st.text(max_size=80)))
@example("**the [Kafka](https://kafka.apache.org) migration**")
def test_parse_keeps_every_character_and_nests_properly(value):
    spans = markup.parse(value)
    assert source(spans) == value
    for span in spans:  # text spans are merged: never two in a row, never empty
        assert span.kind != "text" or span.text
    assert all(not (a.kind == b.kind == "text") for a, b in zip(spans, spans[1:]))


@settings(database=None)
@given(markup_text)
def test_export_spans_walk_the_same_tree(value):
    """The Markdown and HTML writers see exactly markup.parse's tree, level by level."""
    def rebuild(value):
        out = []
        for kind, *parts in export.spans(value):
            if kind == "text":
                out.append(text(parts[0]))
            else:
                out.append(Span(kind, children=rebuild(parts[0]), url=parts[1] if kind == "link" else ""))
        return tuple(out)

    assert rebuild(value) == markup.parse(value)
