"""Tests for cvpress.escape: untrusted text becomes LaTeX that prints exactly that text.

Pure-Python properties with Hypothesis, then one real compile that carries every special
character, inline markup and awkward link targets, checked in the PDF's text layer and links.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from cvpress import content, render, variants, verify
from cvpress import escape as esc
from cvpress.typeset import compile_tex

SPECIALS = "& % $ # _ { } ~ ^ \\"  # the ten characters TeX treats specially, space-separated

# ---------------------------------------------------------------- decoding text() output

# Every command text() may emit, and the one character each prints.
COMMANDS = {
    r"\textbackslash{}": "\\", r"\textasciitilde{}": "~", r"\textasciicircum{}": "^",
    r"\textless{}": "<", r"\textgreater{}": ">", r"\textbar{}": "|", r"\textquotesingle{}": "'",
    r"\textasciigrave{}": "`", r"\textquotedbl{}": '"',
    r"\{": "{", r"\}": "}", r"\$": "$", r"\&": "&", r"\%": "%", r"\#": "#", r"\_": "_",
}
TOKEN = re.compile("|".join(re.escape(c) for c in sorted(COMMANDS, key=len, reverse=True)) + r"|\{\}|.", re.S)
UNSAFE = set("\\{}$&%#_^~")  # must never reach TeX as themselves


def decode(tex: str) -> str:
    """What a reader sees for escaped text; fails on any special character left unescaped."""
    shown = []
    for token in TOKEN.findall(tex):
        if token in COMMANDS:
            shown.append(COMMANDS[token])
        elif token == "{}":  # an empty group: prints nothing (breaks ligatures such as --)
            continue
        elif token == "~":  # the only bare special text() emits: a no-break space
            shown.append("\u00a0")
        else:
            assert token not in UNSAFE, f"unescaped {token!r} in {tex!r}"
            shown.append(token)
    return "".join(shown)


def visible(value: str) -> str:
    """What text() promises to print: whitespace runs as one space, NFC, soft hyphens invisible."""
    return unicodedata.normalize("NFC", re.sub(r"[ \t\r\n]+", " ", value)).replace("\u00ad", "")


no_database = settings(database=None)

content_text = st.text(
    alphabet=st.one_of(
        st.sampled_from("\\{}$&%#_^~<>|'\"`-,. \t\n!?*[]()"),
        st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
        st.sampled_from("\u00a0\u00ad\u2019\u2013e\u0301"),
    ),
    max_size=60,
)


# ---------------------------------------------------------------- text()


@pytest.mark.parametrize(("raw", "tex"), [
    ("a & b", r"a \& b"),
    ("100%", r"100\%"),
    ("$5 #1 a_b", r"\$5 \#1 a\_b"),
    ("{x}", r"\{x\}"),
    ("~^", r"\textasciitilde{}\textasciicircum{}"),
    ("C:\\dir", r"C:\textbackslash{}dir"),
    ("<<a>>", r"\textless{}\textless{}a\textgreater{}\textgreater{}"),
    ("a--b---c", "a-{}-b-{}-{}-c"),
    ("It's \"x\" `y`", r"It\textquotesingle{}s \textquotedbl{}x\textquotedbl{} \textasciigrave{}y\textasciigrave{}"),
    ("a,,b", "a,{},b"),
    ("one\n\ttwo   three", "one two three"),
    ("a\tb \r c\n d", "a b c d"),  # runs of one space and a tab, return or new line
    ("no\u00a0break soft\u00adhyphen", "no~break softhyphen"),
    ("Cafe\u0301", "Caf\u00e9"),
])
def test_text_examples(raw, tex):
    out = esc.text(raw)
    assert out == tex and isinstance(out, esc.Tex)


@pytest.mark.parametrize("raw", ["x{}y", "\\{}", "{\u00ad}"])
def test_text_keeps_literal_empty_braces(raw):
    assert decode(esc.text(raw)) == visible(raw)


@no_database
@given(content_text)
@example("\\input{/etc/passwd}")
@example("a---b,,c<<d>>")
@example("{ }")
def test_text_prints_exactly_the_content(value):
    tex = esc.text(value)
    assert decode(tex) == visible(value)
    # T1 ligatures that would print something else: -- --- ,, << >> `` ''
    assert not re.search(r"--|,,|<<|>>|``|''", tex)
    # An empty group only ever separates the two halves of such a ligature.
    groups = re.sub(r"\\text[a-z]+\{\}", "", tex)
    assert all(groups[i - 1] == groups[i + 2] and groups[i - 1] in "-," for i in
               (m.start() for m in re.finditer(r"\{\}", groups))), tex


@no_database
@given(content_text)
def test_text_is_one_line_of_text_mode(value):
    tex = esc.text(value)
    assert "\n" not in tex and "\r" not in tex and "\t" not in tex
    assert not re.search(r"\\(?!text[a-z]+\{\}|[{}$&%#_])", tex)  # no command but the known ones


def test_text_is_not_idempotent():
    """Escaping twice shows the escapes: values must be escaped exactly once."""
    once = esc.text("50%")
    assert decode(esc.text(once)) == once != "50%"


# ---------------------------------------------------------------- url()


@pytest.mark.parametrize(("raw", "tex"), [
    ("https://example.com/a_b~c?q=1&r=2#top", r"https://example.com/a\_b\~c?q=1\&r=2\#top"),
    ("https://example.com/with space", "https://example.com/with\\%20space"),
    ("https://example.com/back\\slash", "https://example.com/back\\%5Cslash"),
    ("https://example.com/100%", r"https://example.com/100\%25"),
    ("https://example.com/%7Euser", r"https://example.com/\%7Euser"),
    ("https://example.com/{x}^", r"https://example.com/\%7Bx\%7D\%5E"),
    ("https://example.com/caf\u00e9", r"https://example.com/caf\%C3\%A9"),
    ("  https://example.com/  ", "https://example.com/"),
])
def test_url_examples(raw, tex):
    assert esc.url(raw) == tex


def tex_unescape(tex: str) -> str:
    return re.sub(r"\\([%#&_~$])", r"\1", tex)


@no_database
@given(st.text(st.one_of(st.sampled_from("%#&_~$ \\{}^?=/"), st.characters(codec="utf-8", exclude_categories=("Cs",))),
               max_size=40))
@example("a&b#c_d~e%f$g h\\i{j}^k%41")
def test_url_is_safe_and_keeps_the_target(tail):
    value = "https://example.com/" + tail
    tex = esc.url(value)
    assert not re.search(r"(?<!\\)[%#&_~$]", tex), tex  # every TeX special escaped
    assert not re.search(r"[\s{}\\^]", re.sub(r"\\[%#&_~$]", "", tex)), tex  # nothing else TeX reads
    plain = tex_unescape(tex)
    assert plain.isascii()
    assert re.fullmatch(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*(%[0-9A-Fa-f]{2}[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]*)*",
                        plain), plain
    assert unquote(plain) == unquote(value.strip())


# ---------------------------------------------------------------- inline()


@pytest.mark.parametrize(("raw", "tex"), [
    ("**bold**", r"\textbf{bold}"),
    ("*italic*", r"\emph{italic}"),
    ("see [the docs](https://example.com/a_b?x=1&y=2)", r"see \href{https://example.com/a\_b?x=1\&y=2}{the docs}"),
    ("**50% & more** and *$5*", r"\textbf{50\% \& more} and \emph{\$5}"),
    ("**bold with *italic* inside**", r"\textbf{bold with \emph{italic} inside}"),
    ("[a_b](mailto:a_b@example.com)", r"\href{mailto:a\_b@example.com}{a\_b}"),
    ("**the [Kafka](https://kafka.apache.org) migration**", r"\textbf{the \href{https://kafka.apache.org}{Kafka} migration}"),
    ("[**x**](https://example.com)", r"\href{https://example.com}{\textbf{x}}"),
    ("[the **x** way](https://example.com)", r"\href{https://example.com}{the \textbf{x} way}"),
    ("[café](https://example.com/caf%c3%a9%ZZ)", r"\href{https://example.com/caf\%c3\%a9\%25ZZ}{café}"),
    ("***both***", r"\textbf{\emph{both}}"),
    ("\\*a*", r"\textbackslash{}\emph{a}"),  # no backslash escapes: a backslash is a literal character
    ("[[inner](https://a.org)](https://b.org)", r"[\href{https://a.org}{inner}](https://b.org)"),
])
def test_inline_markup(raw, tex):
    assert esc.inline(raw) == tex


def test_href_escapes_its_target_and_its_label():
    assert esc.href("https://example.com/a_b", "50% of #1") == r"\href{https://example.com/a\_b}{50\% of \#1}"


@pytest.mark.parametrize("raw", [
    "**unclosed", "*lone", "** spaced **", "2 * 3 * 4", "a*b*c", "snake_case_name", "[no link]",
    "[label](javascript:alert(1))", "[label](ftp://example.com)", "[label](https://example.com/with space)",
    "[](https://example.com)", "\\textbf{raw}", "snake_case __init__ _x_", "\\input{x}", "a**", "**",
])
def test_malformed_markup_stays_literal(raw):
    assert esc.inline(raw) == esc.text(raw)


@no_database
@given(content_text.filter(lambda s: not set(s) & set("*[]()")))
def test_inline_without_markup_is_text(value):
    assert esc.inline(value) == esc.text(value)


def test_plain_strips_markup():
    assert esc.plain("**Led** a *small* [team](https://x.org)\n of  two") == "Led a small team of two"
    assert esc.plain("[**x**](https://x.org) and **the [Kafka](https://k.org) migration**") == "x and the Kafka migration"


# What inline() may emit besides text(): a span opens with one of these and ends with a lone }.
_OPEN = re.compile(r"\\textbf\{|\\emph\{|\\href\{((?:[^{}\\]|\\[%#&_~])*)\}\{")
_URL_SAFE = re.compile(r"(?:[A-Za-z0-9\-._:/?\[\]@!$'()*+,;=]|\\[%#&_~]|%[0-9A-Fa-f]{2})*")


def decode_inline(tex: str) -> str:
    """What a reader sees for inline()'s output; fails on any command but its three, on any special
    character left unescaped, on an unsafe link target and on unbalanced groups."""
    shown, depth, pos = [], 0, 0
    while pos < len(tex):
        if opened := _OPEN.match(tex, pos):
            assert opened[1] is None or _URL_SAFE.fullmatch(opened[1]), opened[1]
            depth, pos = depth + 1, opened.end()
            continue
        token = TOKEN.match(tex, pos)[0]
        if token == "}":
            assert depth, f"unbalanced }} in {tex!r}"
            depth -= 1
        else:
            shown.append(decode(token))
        pos += len(token)
    assert depth == 0, tex
    return "".join(shown)


markup_text = st.one_of(content_text, st.lists(st.sampled_from(
    ["**", "*", "[", "]", "(", ")", "](", "https://x.org/", "mailto:a@b", "a", "b c", " ", "_", "\\", "{", "\n"]),
    max_size=40).map("".join))


@no_database
@given(markup_text)
@example("**the [Kafka](https://kafka.apache.org) migration**")
@example("[**x**](https://x.org) *i [l](https://y.org)* ***z***")
def test_inline_lets_no_command_through_and_plain_is_what_it_shows(value):
    """Any text: inline() is text(), \\textbf, \\emph and \\href with a safe target, nothing else;
    and plain() is exactly the text it prints (whitespace runs read as one space)."""
    shown = decode_inline(esc.inline(value))
    assert re.sub(r"[ \t\r\n]+", " ", shown) == esc.plain(value)


N = 200_000
PATHOLOGICAL = {  # about a megabyte each, and what a reader sees of it
    "unclosed bold": ("**a " * 250_000, "**a " * 250_000),
    "stars": ("*" * 1_000_000, "*" * 1_000_000),
    "brackets": ("[" * 1_000_000, "[" * 1_000_000),
    "open targets": ("[a](" * 250_000, "[a](" * 250_000),
    "unended targets": ("[a](https://x" * 70_000, "[a](https://x" * 70_000),
    "nested brackets": ("[" * N + "a" + "](https://x.org)" * N, "[" * (N - 1) + "a" + "](https://x.org)" * (N - 1)),
    "mixed openers": ("**a *b [c " * 100_000, "**a *b [c " * 100_000),
    "closed bold": ("**a** " * 170_000, "a " * 170_000),
    "crossed": ("*a **b* c** " * 80_000, "a **b c** " * 80_000),
}


_MEASURE = r"""
import json, sys
from cvpress import escape
value = sys.stdin.read()
tex = escape.inline(value)
print(json.dumps({"plain": escape.plain(value), "href": tex.count("\\href{"), "textbf": tex.count("\\textbf{"),
                  "emph": tex.count("\\emph{")}))
"""


@pytest.mark.tex
@pytest.mark.parametrize("case", sorted(PATHOLOGICAL))
def test_pathological_markup_takes_linear_time(case):
    """A megabyte of the inputs that made the old regular expression quadratic (5 s for 40 kB of
    `**a `, a megabyte never finished): inline and plain each take about a second. Run in a process
    of its own, so that a slow parser fails the test (at 60 s) instead of hanging the suite."""
    value, shown = PATHOLOGICAL[case]
    done = subprocess.run([sys.executable, "-c", _MEASURE], input=value, capture_output=True, text=True,
                          timeout=60, check=True)
    got = json.loads(done.stdout)
    assert got["plain"] == shown
    assert got["href"] == (1 if case == "nested brackets" else 0)
    assert got["textbf"] == {"closed bold": 170_000}.get(case, 0)
    assert got["emph"] == (80_000 if case == "crossed" else 0)


# ---------------------------------------------------------------- through a real compile

HIGHLIGHTS = {
    "specials": f"SPECIALS {SPECIALS} END",
    "packed": "PACKED &%$#_}{~^\\ END",
    "empty-braces": "BRACES x{}y END",
    "typography": "TYPO << >> -- --- ' \" ` ,, END",
    "markup": "MARKUP **bold words** and *italic words* and [a link](https://example.com/p_q?a=1&b=2#h) END",
    "malformed": "MALFORMED **unclosed *lone [no url] 2 * 3 END",
    "nested": "NESTED **the [Kafka](https://kafka.apache.org) migration** and [**x**](https://example.com/x) "
              "snake_case __init__ \\input END",
}
NAME = f"Ann {SPECIALS} O'Neil"
EMPLOYER = f"Emp {SPECIALS} Co"
LINKS = {
    "basics.url": ("https://example.com/a_b~c/d%20e?q=1&r=2#frag", "https://example.com/a_b~c/d%20e?q=1&r=2#frag"),
    "profile": ("https://example.com/with space/back\\slash/100%", "https://example.com/with%20space/back%5Cslash/100%25"),
    "work.url": ("https://example.com/x_y", "https://example.com/x_y"),
}
DOLLAR_URL = "https://example.com/price$5"


def toml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """One PDF carrying every case below: (extracted text, links, metadata, generated .tex)."""
    folder = tmp_path_factory.mktemp("escape")
    path = folder / "content.toml"
    path.write_text(f"""
[basics]
name = {toml(NAME)}
email = "a_b+c@example.com"
url = {toml(LINKS["basics.url"][0])}

[[basics.profiles]]
network = "Web"
username = "me"
url = {toml(LINKS["profile"][0])}

[[basics.profiles]]
network = "Dollar"
url = {toml(DOLLAR_URL)}

[[work]]
name = {toml(EMPLOYER)}
url = {toml(LINKS["work.url"][0])}

[[work.positions]]
position = "Dev"
startDate = "2016"
highlights = [{", ".join(toml(h) for h in HIGHLIGHTS.values())}]
""", encoding="utf-8")
    # Straight through render and compile: build() would refuse to publish a PDF that fails its
    # own text check, and these tests want to read exactly what came out.
    rendered = render.render(variants.select(content.load(path), "full"))
    pdf = compile_tex(rendered, folder / "work").pdf
    return verify.text(pdf), verify.links(pdf), verify.metadata(pdf), rendered.tex


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("case", ["specials", "packed", "typography", "malformed"])
def test_highlight_extracts_verbatim(compiled, case):
    text, *_ = compiled
    assert squash(HIGHLIGHTS[case]) in squash(text)


def test_empty_braces_extract_verbatim(compiled):
    text, *_ = compiled
    assert HIGHLIGHTS["empty-braces"] in squash(text)


def test_name_and_employer_extract_verbatim(compiled):
    text, *_ = compiled
    lines = [squash(line) for line in text.splitlines()]
    assert lines[0] == NAME
    assert any(line.startswith(EMPLOYER) for line in lines), lines


def test_markup_renders_as_formatting(compiled):
    text, _, _, tex = compiled
    assert "MARKUP bold words and italic words and a link END" in squash(text)
    assert r"\textbf{bold words} and \emph{italic words} and \href{https://example.com/p\_q?a=1\&b=2\#h}{a link}" in tex
    assert "MALFORMED **unclosed *lone [no url] 2 * 3 END" in squash(text)
    assert r"\textbf{the \href{https://kafka.apache.org}{Kafka} migration} and \href{https://example.com/x}{\textbf{x}}" in tex


@pytest.mark.parametrize("case", sorted(HIGHLIGHTS))
def test_plain_is_the_text_the_pdf_shows(compiled, case):
    text, *_ = compiled
    assert squash(esc.plain(HIGHLIGHTS[case])) in squash(text)


def test_link_targets_are_exact(compiled):
    _, links, _, _ = compiled
    expected = ["mailto:a_b+c@example.com", LINKS["basics.url"][1], LINKS["profile"][1], LINKS["work.url"][1],
                "https://example.com/p_q?a=1&b=2#h", "https://kafka.apache.org", "https://example.com/x"]
    unique = [link for i, link in enumerate(links) if i == 0 or link != links[i - 1]]  # a wrapped link: 2 boxes
    assert [link for link in unique if "price" not in link] == expected


def test_dollar_in_a_link_target(compiled):
    _, links, _, _ = compiled
    assert any(link in (DOLLAR_URL, DOLLAR_URL.replace("$", "%24")) for link in links), links


def test_metadata_keeps_specials(compiled):
    _, _, meta, _ = compiled
    assert meta["Author"] == NAME
    assert meta["Title"].startswith(NAME)
