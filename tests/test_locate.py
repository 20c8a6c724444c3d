"""Tests for cvpress.locate: TOML key paths -> (line, column)."""
import tomllib

import pytest

from cvpress.locate import find, format_path, locate


def at(text, needle, occurrence=1):
    """1-based (line, column) of the n-th occurrence of `needle` in `text`."""
    i = -1
    for _ in range(occurrence):
        i = text.index(needle, i + 1)
    line = text.count("\n", 0, i) + 1
    return line, i - (text.rfind("\n", 0, i) + 1) + 1


def walk(value, path=()):
    """Every key path tomllib produced: dict keys and list indices, recursively."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,), k
            yield from walk(v, path + (k,))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield path + (n,), None
            yield from walk(v, path + (n,))


def check_complete(text):
    """Every tomllib path is located, and a key's line contains the key's text."""
    locs = locate(text)
    lines = text.splitlines()
    for path, key in walk(tomllib.loads(text)):
        assert path in locs, f"missing {format_path(path)}"
        line, col = locs[path]
        assert 1 <= line <= len(lines) and 1 <= col <= len(lines[line - 1]) + 1
        if key is not None:
            assert key in lines[line - 1] or format_path((key,)) in lines[line - 1], path
    return locs


# -- basic constructs ----------------------------------------------------------

def test_simple_keys_comments_and_blank_lines():
    text = '# header comment\n\nname = "Ann"  # trailing\n\n  age = 3\n'
    locs = locate(text)
    assert locs == {("name",): (3, 1), ("age",): (5, 3)}


def test_crlf_line_endings():
    text = 'a = 1\r\n\r\n[t]\r\nb = "x"\r\nc = [\r\n  1,\r\n  2,\r\n]\r\n'
    locs = check_complete(text)
    assert locs[("a",)] == (1, 1)
    assert locs[("t",)] == (3, 1)
    assert locs[("t", "b")] == (4, 1)
    assert locs[("t", "c", 1)] == (7, 3)


def test_table_headers_and_quoted_header_keys():
    text = '[a.b]\nx = 1\n[ a . "quoted key" ]\ny = 2\n'
    locs = check_complete(text)
    assert locs[("a",)] == (1, 2)            # implicit ancestor: its key segment
    assert locs[("a", "b")] == (1, 1)        # table itself: the header line
    assert locs[("a", "b", "x")] == (2, 1)
    assert locs[("a", "quoted key")] == (3, 1)
    assert locs[("a", "quoted key", "y")] == (4, 1)


def test_explicit_table_after_implicit_takes_header_line():
    text = "[a.b]\nx = 1\n[a]\ny = 2\n"
    locs = check_complete(text)
    assert locs[("a",)] == (3, 1)
    assert locs[("a", "y")] == (4, 1)


def test_array_of_tables_indexing():
    text = "\n".join([
        "[[work]]", "n = 0",
        "[[work]]", "n = 1",
        "[[work]]", "n = 2",
        "[[work.positions]]", "p = 0",
        "[[work.positions]]", "p = 1",
        "[work.meta]", "m = 1",
        "[[work]]", "n = 3",
        "[[work.positions]]", "p = 0",
        "",
    ])
    locs = check_complete(text)
    assert locs[("work",)] == (1, 3)
    assert locs[("work", 0)] == (1, 1)
    assert locs[("work", 2)] == (5, 1)
    assert locs[("work", 2, "n")] == (6, 1)
    assert locs[("work", 2, "positions", 0)] == (7, 1)
    assert locs[("work", 2, "positions", 1, "p")] == (10, 1)
    assert locs[("work", 2, "meta", "m")] == (12, 1)
    assert locs[("work", 3)] == (13, 1)
    assert locs[("work", 3, "positions", 0)] == (15, 1)  # restarts per parent element
    assert ("work", 3, "positions", 1) not in locs


def test_dotted_and_quoted_keys():
    text = 'a.b.c = 1\na . d = 2\n"x y" = 3\n\'lit\' = 4\n"esc\\"q".z = 5\n'
    locs = check_complete(text)
    assert locs[("a",)] == (1, 1)
    assert locs[("a", "b")] == (1, 3)
    assert locs[("a", "b", "c")] == (1, 5)
    assert locs[("a", "d")] == (2, 5)
    assert locs[("x y",)] == (3, 1)
    assert locs[("lit",)] == (4, 1)
    assert locs[('esc"q', "z")] == (5, 10)


def test_strings_hide_structure():
    text = (
        'a = "# not [a] comment = { \\" still"\n'
        "b = 'C:\\path\\ # [x]'\n"
        'c = """\n'
        "[fake]\n"
        'fake = { x = 1 } # "\n'
        '\\""" still inside\n'
        'end"""""\n'
        "d = '''\n"
        "[[fake]]\n"
        "= ' '' #\n"
        "'''\n"
        "e = 5\n"
    )
    locs = check_complete(text)
    assert set(locs) == {("a",), ("b",), ("c",), ("d",), ("e",)}
    assert locs[("e",)] == (12, 1)
    assert tomllib.loads(text)["c"].endswith('end""')


def test_arrays_nested_multiline_with_comments():
    text = (
        "highlights = [ \"a\", { text = \"b\", tags = [\"x\"] } ]\n"
        "m = [  # comment\n"
        "  [1, 2],   # first\n"
        "  # between\n"
        "  [ ],\n"
        "  3,\n"
        "]\n"
        "dates = [1979-05-27 07:32:00Z, 1979-05-27]\n"
    )
    locs = check_complete(text)
    assert locs[("highlights", 0)] == (1, 16)
    assert locs[("highlights", 1)] == (1, 21)
    assert locs[("highlights", 1, "text")] == (1, 23)
    assert locs[("highlights", 1, "tags")] == (1, 35)
    assert locs[("highlights", 1, "tags", 0)] == (1, 43)
    assert locs[("m", 0)] == (3, 3)
    assert locs[("m", 0, 1)] == (3, 7)
    assert locs[("m", 1)] == (5, 3)
    assert locs[("m", 2)] == (6, 3)
    assert ("m", 3) not in locs
    assert locs[("dates", 1)] == at(text, "1979-05-27]")


def test_inline_tables_nested_and_in_arrays():
    text = 'p = { a = 1, b.c = 2, d = { e = [ { f = "}" } ] } }\n'
    locs = check_complete(text)
    assert locs[("p", "a")] == at(text, "a =")
    assert locs[("p", "b")] == at(text, "b.c")
    assert locs[("p", "b", "c")] == at(text, "c =")
    assert locs[("p", "d", "e", 0)] == at(text, "{ f")
    assert locs[("p", "d", "e", 0, "f")] == at(text, "f =")


def test_column_counts_characters_not_bytes():
    text = 'k = { "é ü" = 1, x = 2 }\n'
    locs = check_complete(text)
    assert locs[("k", "é ü")] == (1, 7)
    assert locs[("k", "x")] == (1, 18)


@pytest.mark.parametrize("text", [
    "", "a = ", 'a = "unterminated', "a = [1, 2", "[t", "a = '''x", "= 1",
    "a = {", "a = [" * 5000, "[[", 'a = """', "a.b. = 1", "a = [1 2]", '"\\U0011ffff" = 1',
], ids=lambda t: repr(t[:12]))
def test_never_crashes_on_junk(text):
    lines = text.split("\n")
    for path, (line, column) in locate(text).items():  # whatever it finds lies inside the text
        assert path and 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1, (path, line, column)


def test_every_prefix_of_a_document_is_survivable():
    """A document cut anywhere: every key on a line before the cut is where the whole document has it."""
    whole = locate(RESUME)
    for end in range(len(RESUME) + 1):
        prefix = RESUME[:end]
        last_line = prefix.count("\n") + 1
        for path, where in locate(prefix).items():
            if where[0] < last_line:
                assert whole.get(path) == where, (end, path, where)


def test_partial_result_on_junk():
    assert locate("a = 1\nb = [1, \n")[("a",)] == (1, 1)


# -- find / format_path --------------------------------------------------------

def test_find_falls_back_to_nearest_ancestor():
    locs = locate("[[work]]\nname = 'x'\n[[work]]\nname = 'y'\n")
    assert find(locs, ("work", 1, "name")) == (4, 1)
    assert find(locs, ("work", 1, "startDate")) == (3, 1)
    assert find(locs, ("work", 1, "positions", 0, "x")) == (3, 1)
    assert find(locs, ("work", 7)) == (1, 3)
    assert find(locs, ("nope", 0)) is None
    assert find(locs, ()) is None
    assert find({}, ("a",)) is None


def test_format_path():
    assert format_path(("work", 2, "positions", 0, "startDate")) == "work[2].positions[0].startDate"
    assert format_path(("basics", "a b")) == 'basics."a b"'
    assert format_path(("a-b_1", 'q"t', 0)) == 'a-b_1."q\\"t"[0]'
    assert format_path(("x.y",)) == '"x.y"'
    assert format_path(("",)) == '""'
    assert format_path(()) == ""


# -- completeness on realistic documents ---------------------------------------

RESUME = '''\
# Résumé source
[basics]
name = "Ann Example"
label = 'Engineer # not a comment'
email = "ann@example.com"
summary = """
Builds things. Likes [brackets], {braces} and "quotes".
# this is not a comment
"""
location = { city = "Berlin", countryCode = "DE" }

[[basics.profiles]]
network = "GitHub"
url = "https://github.com/ann"

[[basics.profiles]]
network = "Mastodon"  # social
"user name" = "@ann@example.social"

[[work]]
name = "Acme"
url = "https://acme.example"

  [[work.positions]]
  title = "Senior Engineer"
  startDate = 2021-03-01
  highlights = [
    "Led the [migration] of 12 services",
    { text = "Cut costs by 30%", tags = ["cost", "infra"], weight = 2 },
    """Multi-line
    highlight = with "quotes" """,  # trailing comment
  ]

  [[work.positions]]
  title = "Engineer"
  startDate = 2018-01-15
  endDate = 2021-02-28
  highlights = ['Literal \\ backslash', "escaped \\"quote\\""]

[[work]]
name = "Globex"

[[work]]
name = "Initech"
dates.start = 2015-06-01
dates.end = 2017-12-31

  [[work.positions]]
  title = "Intern"
  highlights = [
    { text = "TPS reports", tags = [] },
    { text = "Stapler", tags = ["red"] },
  ]

[[education]]
institution = "Uni"
courses = ["CS101", "CS102",]
score = 3.9

[variants.onepage]
max_highlights = 2
sections = ["basics", "work"]

[variants.onepage.work]
include = [0, 2]

[variants."long form"]
all = true
'''

PROJECT = '''\
title = "Config"
[owner]
name = "Tom"
dob = 1979-05-27T07:32:00-08:00

[database]
enabled = true
ports = [ 8000, 8001, 8002 ]
data = [ ["delta", "phi"], [3.14] ]
temp_targets = { cpu = 79.5, case = 72.0 }

[servers]
[servers.alpha]
ip = "10.0.0.1"
role = "frontend"
[servers.beta]
ip = "10.0.0.2"

[[fruits]]
name = "apple"
[fruits.physical]
color = "red"
[[fruits.varieties]]
name = "red delicious"
[[fruits.varieties]]
name = "granny smith"
[[fruits]]
name = "banana"
[[fruits.varieties]]
name = "plantain"
'''


@pytest.mark.parametrize("text", [RESUME, PROJECT, RESUME.replace("\n", "\r\n")],
                         ids=["resume", "project", "resume-crlf"])
def test_every_tomllib_path_is_located(text):
    locs = check_complete(text)
    # Nothing extra: the scanner finds exactly the paths tomllib produced.
    assert set(locs) == {p for p, _ in walk(tomllib.loads(text))}


def test_resume_spot_checks():
    locs = locate(RESUME)
    pos = ("work", 0, "positions", 0)
    assert locs[("work", 2)] == at(RESUME, "[[work]]", 3)
    assert locs[("work", 2, "positions", 0)] == at(RESUME, "[[work.positions]]", 3)
    assert locs[pos + ("highlights", 1)] == at(RESUME, '{ text = "Cut')
    assert locs[pos + ("highlights", 1, "tags", 1)] == at(RESUME, '"infra"')
    assert locs[pos + ("highlights", 2)] == at(RESUME, '"""Multi-line')
    assert locs[("basics", "profiles", 1, "user name")] == at(RESUME, '"user name"')
    assert locs[("variants", "long form")] == at(RESUME, '[variants."long form"]')
    assert find(locs, ("work", 2, "dates", "middle")) == at(RESUME, "dates.start")
    assert format_path(pos + ("highlights", 1, "text")) == "work[0].positions[0].highlights[1].text"


def test_strings_walks_a_model_with_key_paths_in_field_order_skipping_the_named_fields():
    from cvpress import model
    from cvpress.locate import strings

    basics = model.Basics.model_validate({"name": "Ada", "label": "Eng", "profiles": [{"network": "GitHub"}]})
    found = [(p, t) for p, t in strings(basics) if t]
    assert found[:2] == [(("name",), "Ada"), (("label",), "Eng")]
    assert (("profiles", 0, "network"), "GitHub") in found
    assert all(p[0] != "profiles" for p, _ in strings(basics, frozenset({"profiles"})))
    assert list(strings({"a": ["x", ("y",)], "b": 3}, path=("top",))) == [(("top", "a", 0), "x"), (("top", "a", 1, 0), "y")]
    assert (("s", "label"), "Eng") not in list(strings({"s": basics}, frozenset({"label"})))  # skip reaches into tables
