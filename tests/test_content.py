"""Tests for cvpress.content (and the model it validates against): every problem located and explained."""

from __future__ import annotations

import datetime

import pytest
from conftest import CONTENT, MINIMAL, run_cli

from cvpress.content import load, read
from cvpress.errors import EXIT_INPUT, ContentError, Problem
from cvpress.model import PartialDate, parse_date


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line holding `needle`."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def problems(write_content, text: str) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        load(write_content(text))
    assert caught.value.exit_code == EXIT_INPUT
    return caught.value.problems


def only(write_content, text: str) -> Problem:
    [problem] = problems(write_content, text)
    return problem


# ---------------------------------------------------------------- valid content


def test_shipped_content_is_valid():
    resume = load(CONTENT)
    assert [w.name for w in resume.work] == ["Slack", "Runscope", "Pinterest", "PBworks", "Amazon.com", "Apple, Inc."]
    assert list(resume.variants) == ["full", "onepage", "manager"]
    assert resume.work[0].positions[0].endDate.present


def test_minimal_content_is_valid(write_content):
    resume = load(write_content(MINIMAL))
    [highlight] = resume.work[0].positions[0].highlights
    assert (highlight.text, highlight.priority, highlight.keep, highlight.tags) == \
        ("Wrote the first published program.", 3, False, [])
    assert resume.variants == {}


# ---------------------------------------------------------------- unknown keys


def test_unknown_key_names_path_line_and_suggestion(write_content):
    text = MINIMAL.replace("highlights =", "hilights =")
    problem = only(write_content, text)
    assert problem.path == "work[0].positions[0].hilights"
    assert problem.line == line_of(text, "hilights") and problem.column == 1
    assert "unknown key 'hilights'" in problem.message
    assert "did you mean 'highlights'?" in problem.message
    shown = problem.format()
    assert f":{problem.line}:1: work[0].positions[0].hilights: unknown key" in shown
    assert "    hilights = [" in shown and shown.endswith("\n    ^")


@pytest.mark.parametrize(("old", "new", "path", "suggestion"), [
    ('name = "Ada Lovelace"', 'nmae = "Ada Lovelace"\nname = "Ada"', "basics.nmae", "name"),
    ('position = "Programmer"', 'position = "Programmer"\nstrtDate = "1842"', "work[0].positions[0].strtDate", "startDate"),
    ('highlights = ["Wrote the first published program."]', 'highlights = [{ txt = "x", text = "y" }]',
     "work[0].positions[0].highlights[0].txt", "text"),
    ('[[work]]', '[variants.full]\nmax_page = 2\n\n[[work]]', "variants.full.max_page", "max_pages"),
    ('[[work]]', '[style]\nfont_sise = 10\n\n[[work]]', "style.font_sise", "font_size"),
])
def test_unknown_keys_everywhere_get_a_suggestion(write_content, old, new, path, suggestion):
    text = MINIMAL.replace(old, new)
    problem = only(write_content, text)
    assert problem.path == path
    assert problem.line == line_of(text, path.rsplit(".", 1)[-1])
    assert f"did you mean {suggestion!r}?" in problem.message


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(write_content):
    problem = only(write_content, MINIMAL.replace('position = "Programmer"', 'position = "Programmer"\nzzz = 1'))
    assert problem.path == "work[0].positions[0].zzz"
    assert "allowed keys:" in problem.message
    for key in ("highlights", "position", "startDate", "endDate", "summary", "tags"):
        assert key in problem.message


def test_unknown_key_in_location_table(write_content):
    text = MINIMAL.replace('email = "ada@example.com"', 'email = "ada@example.com"\n\n[basics.location]\ncty = "London"')
    problem = only(write_content, text)
    assert problem.path == "basics.location.cty"
    assert problem.line == line_of(text, "cty =")
    assert "did you mean 'city'?" in problem.message


# ---------------------------------------------------------------- values


def test_every_problem_is_reported_at_once(write_content):
    text = (MINIMAL.replace("highlights =", "hilights =")
            .replace('startDate = "1842"', 'startDate = "1842-13"')
            .replace('email = "ada@example.com"', 'email = "ada at example"')
            + '\n[[education]]\nstudyType = "B.A."\n')
    found = {p.path: p for p in problems(write_content, text)}
    assert set(found) == {"work[0].positions[0].hilights", "work[0].positions[0].startDate",
                          "basics.email", "education[0].institution"}
    assert found["education[0].institution"].message == "required key 'institution' is missing"
    assert all(p.line is not None for p in found.values())
    with pytest.raises(ContentError, match="4 problems in the content"):
        load(write_content(text))


def test_each_of_many_problems_has_its_own_line_and_source(write_content):
    """Thousands of problems, each located on its own line with that line's text (collected in one pass)."""
    awards = "".join(f'[[awards]]\ntitle = "Award {n}"\ndate = "20x{n}"\n\n' for n in range(2000))
    path = write_content('[basics]\nname = "Ada"\n\n' + awards)
    with pytest.raises(ContentError) as caught:
        load(path)
    problems = caught.value.problems
    assert str(caught.value) == f"{path}: 2000 problems in the content"
    for n, problem in enumerate(problems):
        assert (problem.path, problem.line, problem.column) == (f"awards[{n}].date", 6 + 4 * n, 1)
        assert problem.source == f'date = "20x{n}"' and f"(found '20x{n}')" in problem.message


def test_bad_month_names_the_value_and_what_is_expected(write_content):
    text = MINIMAL.replace('startDate = "1842"', 'startDate = "2016-13"').replace('endDate = "1843"', 'endDate = "2017"')
    problem = only(write_content, text)
    assert problem.path == "work[0].positions[0].startDate"
    assert problem.line == line_of(text, "2016-13")
    assert "month 13 does not exist (expected 01 to 12)" in problem.message
    assert "(found '2016-13')" in problem.message


@pytest.mark.parametrize(("value", "message"), [
    ('"2015-02-29"', "day 29 does not exist in 2015-02"),
    ('"June 2016"', "expected a date: YYYY, YYYY-MM, YYYY-MM-DD"),
    ('"16"', "expected a date"),
    ("12.5", "expected a date as text"),
])
def test_bad_dates(write_content, value, message):
    text = MINIMAL.replace('endDate = "1843"', f"endDate = {value}").replace('startDate = "1842"', 'startDate = "1000"')
    problem = only(write_content, text)
    assert problem.path == "work[0].positions[0].endDate"
    assert message in problem.message


def test_end_before_start(write_content):
    text = MINIMAL.replace('endDate = "1843"', 'endDate = "1841-06"')
    problem = only(write_content, text)
    assert problem.path == "work[0].positions[0]"
    assert "endDate Jun 1841 is before startDate 1842" in problem.message
    assert problem.line == line_of(text, "[[work.positions]]")


def test_start_cannot_be_present(write_content):
    text = MINIMAL.replace('startDate = "1842"', 'startDate = "present"').replace('endDate = "1843"\n', "")
    assert 'startDate cannot be "present"' in only(write_content, text).message


@pytest.mark.parametrize(("old", "new", "path", "message"), [
    ('email = "ada@example.com"', 'email = "ada"', "basics.email", "expected an e-mail address"),
    ('email = "ada@example.com"', 'url = "example.com"', "basics.url", "expected a web address"),
    ('name = "Ada Lovelace"', 'name = "Ada\\u0007"', "basics.name", "control character U+0007"),
    ('name = "Ada Lovelace"', "name = 7", "basics.name", "expected text in quotes (found 7)"),
    ('highlights = [', 'tags = ["two words"]\nhighlights = [', "work[0].positions[0].tags", "tag 'two words'"),
    ('highlights = ["Wrote the first published program."]', 'highlights = [{ text = "x", priority = 12 }]',
     "work[0].positions[0].highlights[0].priority", "expected a number at most 9 (found 12)"),
    ('[[work]]', '[style]\nfont_size = 13\n\n[[work]]', "style.font_size", "expected one of 10, 11 or 12"),
    ('highlights = ["Wrote the first published program."]', 'highlights = [{ text = "x", priority = 0 }]',
     "work[0].positions[0].highlights[0].priority", "expected a number at least 1 (found 0)"),
    ('[[work]]', '[style]\nspacing = 0.1\n\n[[work]]', "style.spacing", "expected a number at least 0.3 (found 0.1)"),
    ('[[work]]', '[style]\nspacing = 2.5\n\n[[work]]', "style.spacing", "expected a number at most 2.0 (found 2.5)"),
    ('highlights = ["Wrote the first published program."]', 'highlights = [{ text = "x", priority = 1.5 }]',
     "work[0].positions[0].highlights[0].priority", "expected a whole number from 1 to 9 (found 1.5)"),
    ('[[work]]', '[style]\nfont_size = "big"\n\n[[work]]', "style.font_size", "expected one of 10, 11 or 12"),
    ('name = "Ada Lovelace"', 'name = ["Ada"]', "basics.name", "expected text in quotes"),
])
def test_bad_values(write_content, old, new, path, message):
    problem = only(write_content, MINIMAL.replace(old, new))
    assert problem.path == path
    assert message in problem.message


def test_work_needs_a_position(write_content):
    text = '[basics]\nname = "Ada"\n\n[[work]]\nname = "X"\npositions = []\n'
    problem = only(write_content, text)
    assert problem.path == "work[0].positions"
    assert "at least 1 item" in problem.message


def test_variant_extending_an_undefined_variant_names_its_line_and_a_suggestion(write_content):
    text = MINIMAL + '\n[variants.long]\n\n[variants.short]\nextends = "lnog"\n'
    problem = only(write_content, text)
    assert (problem.path, problem.line) == ("variants.short.extends", line_of(text, 'extends = "lnog"'))
    assert problem.message == "variant 'short' extends 'lnog', which is not defined; did you mean 'long'?"


# ---------------------------------------------------------------- what build would refuse, refused by check

@pytest.mark.parametrize("char, words", [
    ("\ue000", "U+E000"),  # private use: no glyph in any font
    ("\u200b", "U+200B"),  # zero-width space: invisible formatting
    ("\ufffd", "U+FFFD, the replacement character"),
    ("\u0085", "control character U+0085"),  # C1 control (NEL)
    ("\u009f", "control character U+009F"),
    ("\u2028", "line separator U+2028"),
    ("\u2029", "paragraph separator U+2029"),
])
def test_characters_no_engine_can_set_are_refused_with_key_and_line(write_content, char, words):
    text = MINIMAL.replace("published program", f"published{char}program")
    problem = only(write_content, text)
    assert words in problem.message, problem.message
    assert problem.path == "work[0].positions[0].highlights[0].text"
    assert problem.line == line_of(text, "highlights = [")


@pytest.mark.parametrize("margin, words", [
    ("100in", "from 0.25in"), ("0in", "from 0.25in"), ("0.1in", "from 0.25in"), ("60mm", "from 0.25in"),
    ("\u0660.\u0666in", "a number and a unit"),  # Arabic-Indic digits: \d would take them
    ("0.6 inch", "a number and a unit"), ("", "a number and a unit"),
])
def test_margins_out_of_range_or_malformed_are_refused_in_plain_words(write_content, margin, words):
    for key in ("[style]\nmargin", "[variants.v]\nfit = { min_margin"):
        value = f'"{margin}"' + (" }" if "fit" in key else "")
        problem = only(write_content, f"{MINIMAL}\n{key} = {value}\n")
        assert words in problem.message and "^" not in problem.message and "\\d" not in problem.message


def test_margin_bounds_are_inclusive_and_units_any_case(write_content):
    for margin in ("0.25in", "2in", "6.35mm", "5cm", "18MM", "54pt"):
        assert load(write_content(f'{MINIMAL}\n[style]\nmargin = "{margin}"\n')).style.margin == margin.lower()


def test_accent_with_a_hash_and_paper_in_any_case_are_accepted(write_content):
    style = load(write_content(f'{MINIMAL}\n[style]\naccent = "#0B6E4F"\npaper = "A4"\n')).style
    assert (style.accent, style.paper) == ("0B6E4F", "a4")
    assert load(write_content(f'{MINIMAL}\n[style]\npaper = "Letter"\n')).style.paper == "letter"
    problem = only(write_content, f'{MINIMAL}\n[style]\naccent = "#0B6E4"\n')
    assert "six hexadecimal digits" in problem.message and "[0-9" not in problem.message


# ---------------------------------------------------------------- reading the file


def test_toml_syntax_error_has_line_column_and_caret(write_content):
    path = write_content('[basics]\nname = "Ada"\nemail = \n')
    with pytest.raises(ContentError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (3, 9)
    shown = caught.value.format()
    assert f"{path}:3:9: invalid TOML" in shown
    assert shown.endswith("    email = \n            ^")


@pytest.mark.parametrize("text, words", [
    ('[basics]\nname = "Ada\nemail = "a@b.c"\n', 'this string is not closed (a " is missing before the end of the line)'),
    ('[basics]\nname = "Ada"\nlocation = { city = "x" region = "y" }\n', "separate its key = value pairs with commas"),
])
def test_toml_syntax_errors_are_said_in_plain_words(write_content, text, words):
    with pytest.raises(ContentError) as caught:
        load(write_content(text))
    [problem] = caught.value.problems
    assert words in problem.message
    assert "Illegal character" not in problem.message and "Unclosed" not in problem.message


def test_a_flat_json_resume_work_entry_is_told_to_nest_its_role(write_content):
    path = write_content('[basics]\nname = "Ada"\n\n[[work]]\nname = "Acme"\nposition = "Dev"\n')
    with pytest.raises(ContentError) as caught:
        load(path)
    [problem] = [p for p in caught.value.problems if p.path == "work[0].position"]
    assert "[[work.positions]]" in problem.message
    assert "did you mean" not in problem.message


def test_a_number_out_of_type_names_its_range(write_content):
    path = write_content('[basics]\nname = "Ada"\n\n[[work]]\nname = "Acme"\n\n[[work.positions]]\n'
                         'position = "Dev"\nhighlights = [{ text = "Did things.", priority = "high" }]\n')
    with pytest.raises(ContentError) as caught:
        load(path)
    [problem] = caught.value.problems
    assert "expected a whole number from 1 to 9" in problem.message


def test_missing_file(tmp_path):
    with pytest.raises(ContentError, match="no such content file"):
        read(tmp_path / "nope.toml")


def test_folder_instead_of_file(tmp_path):
    with pytest.raises(ContentError, match="is a folder"):
        read(tmp_path)


def test_file_that_is_not_utf8(tmp_path):
    path = tmp_path / "content.toml"
    path.write_bytes(b'[basics]\nname = "Caf\xe9"\n')
    with pytest.raises(ContentError, match=r"content\.toml:2: the file is not UTF-8"):
        read(path)


def test_problem_format_points_the_caret_at_the_column():
    problem = Problem("bad", "c.toml", 4, 5, "work[0].name", "abc = 1")
    assert problem.format() == "c.toml:4:5: work[0].name: bad\n    abc = 1\n        ^"
    assert Problem("bad").format() == "bad"


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(("value", "expected", "shown"), [
    ("2016", PartialDate(2016), "2016"),
    (2016, PartialDate(2016), "2016"),
    ("2016-03", PartialDate(2016, 3), "Mar 2016"),
    (" 2016-12-31 ", PartialDate(2016, 12, 31), "Dec 2016"),
    (datetime.date(2020, 2, 29), PartialDate(2020, 2, 29), "Feb 2020"),
    ("Present", PartialDate(9999, present=True), "Present"),
])
def test_parse_date(value, expected, shown):
    date = parse_date(value)
    assert date == expected and str(date) == shown


@pytest.mark.parametrize("value", ["2016-00", "2016-1", "2016/01", "2016-02-30", "", True, 999, None])
def test_parse_date_rejects(value):
    with pytest.raises(ValueError):
        parse_date(value)


def test_dates_sort_with_present_last():
    dates = [parse_date(v) for v in ("present", "2016-03", "2016", "2015-12-31")]
    assert [str(d) for d in sorted(dates, key=lambda d: d.sort_key)] == ["Dec 2015", "2016", "Mar 2016", "Present"]


def test_unknown_key_in_a_variant_fit_table_is_one_problem_with_a_suggestion(write_content):
    text = MINIMAL + '\n[variants.tight]\nmax_pages = 1\nfit = { min_font_sise = 10 }\n'
    problem = only(write_content, text)
    assert problem.path == "variants.tight.fit.min_font_sise"
    assert problem.line == line_of(text, "fit = {")
    assert "did you mean 'min_font_size'?" in problem.message


def test_fit_false_and_a_wrong_kind_of_value(write_content):
    from cvpress.content import load

    assert load(write_content(MINIMAL + '\n[variants.v]\nfit = false\n')).variants["v"].fit is False
    problem = only(write_content, MINIMAL + '\n[variants.v]\nfit = "yes"\n')
    assert problem.path == "variants.v.fit" and "true or false" in problem.message


@pytest.mark.tex
def test_a_megabyte_highlight_is_refused_with_its_line_not_sent_to_tex(write_content):
    from conftest import minimal

    path = write_content(minimal("**a " * 250_000))  # 1 MB of pathological markup
    done = run_cli("check", "-c", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "highlights[0].text: is 1,000,000 characters long; a text field holds at most 20,000" in done.stderr
    assert len(done.stderr) < 1000  # the source line is shown cut, not a megabyte of it
    assert f"{path}:" in done.stderr


# ---------------------------------------------------------------- languages and labels


@pytest.mark.parametrize(("old", "new", "path", "needle", "hint"), [
    ("[[work]]", '[variants.full]\nlanguage = "fre"\n\n[[work]]', "variants.full.language", "language =", "did you mean 'fr'?"),
    ("[[work]]", '[labels]\nwrok = "Career"\n\n[[work]]', "labels.wrok", "wrok", "did you mean 'work'?"),
    ("[[work]]", '[variants.full]\nlabels = { presnt = "now" }\n\n[[work]]', "variants.full.labels.presnt", "presnt",
     "did you mean 'present'?"),
])
def test_unknown_languages_and_labels_are_located_with_a_suggestion(write_content, old, new, path, needle, hint):
    text = MINIMAL.replace(old, new)
    problem = only(write_content, text)
    assert (problem.path, problem.line) == (path, line_of(text, needle))
    assert hint in problem.message


def test_a_top_level_language_and_a_region_are_accepted(write_content):
    resume = load(write_content('language = "fr-CA"\n' + MINIMAL))
    assert resume.language == "fr-CA"


def test_a_problem_found_after_validation_shows_its_source_line(write_content):
    located = MINIMAL + '\n[variants.long]\n\n[variants.short]\nextends = "lnog"\n'
    path = write_content(located)
    [problem] = problems(write_content, located)
    line = line_of(located, 'extends = "lnog"')
    assert (problem.file, problem.line, problem.column) == (str(path), line, 1)
    assert problem.source == 'extends = "lnog"'


def test_every_problem_carries_file_line_column_key_and_source_line(write_content):
    invalid = MINIMAL.replace('highlights = ["Wrote the first published program."]',
                              'highlights = [{ text = "x", priority = 12 }]')
    path = write_content(invalid)
    [problem] = problems(write_content, invalid)
    line = line_of(invalid, "priority = 12")
    source = invalid.splitlines()[line - 1]
    assert (problem.file, problem.line, problem.source) == (str(path), line, source)
    assert problem.column == source.index("priority") + 1
    first = "nmae = 1\n" + MINIMAL  # line 1: the first line of the file
    [problem] = problems(write_content, first)
    assert (problem.line, problem.source) == (line_of(first, "nmae = 1"), "nmae = 1")


# ---------------------------------------------------------------- every kind of value error, in plain words

BASE = '[basics]\nname = "Ada"\n\n[[work]]\nname = "Acme"\n\n[[work.positions]]\nposition = "Dev"\n'


@pytest.mark.parametrize("line, path, message", [
    ('highlights = [{ text = "Did.", keep = "yes" }]', "work[0].positions[0].highlights[0].keep",
     "expected true or false (found 'yes')"),
    ('highlights = "Did."', "work[0].positions[0].highlights", "expected a list [ … ] (found 'Did.')"),
    ('highlights = [{ text = "Did.", priority = 1.5 }]', "work[0].positions[0].highlights[0].priority",
     "expected a whole number from 1 to 9 (found 1.5)"),
    ('highlights = [{ text = "Did.", priority = 0 }]', "work[0].positions[0].highlights[0].priority",
     "expected a number at least 1 (found 0)"),
    ('highlights = [{ text = "Did.", priority = 10 }]', "work[0].positions[0].highlights[0].priority",
     "expected a number at most 9 (found 10)"),
    ('highlights = [{ text = 3 }]', "work[0].positions[0].highlights[0].text", "expected text in quotes (found 3)"),
])
def test_each_kind_of_wrong_value_is_said_in_plain_words_with_what_was_found(write_content, line, path, message):
    text = BASE + line + "\n"
    [problem] = problems(write_content, text)
    assert (problem.path, problem.message) == (path, message)
    assert problem.line == text.splitlines().index(line) + 1 and problem.source == line


def test_a_table_given_as_text_and_a_missing_key(write_content):
    text = 'basics = "Ada"\n'
    [problem] = problems(write_content, text)
    assert (problem.path, problem.message, problem.line) == ("basics", "expected a table (found 'Ada')", 1)
    [problem] = problems(write_content, "[basics]\nlabel = \"Dev\"\n")
    assert (problem.path, problem.message) == ("basics.name", "required key 'name' is missing")
    assert problem.line == 1 and problem.source == "[basics]"


def test_a_long_wrong_value_is_shown_cut_to_sixty_characters(write_content):
    long = "x" * 100
    [problem] = problems(write_content, BASE + f'highlights = [{{ text = "Did.", keep = "{long}" }}]\n')
    shown = "'" + "x" * 56 + "..."
    assert problem.message == f"expected true or false (found {shown})" and len(shown) == 60
    [problem] = problems(write_content, BASE + f'highlights = [{{ text = "Did.", keep = "{"y" * 58}" }}]\n')
    assert problem.message.endswith("(found '" + "y" * 58 + "')")  # 60 characters: shown whole


def test_the_summary_line_counts_the_problems(write_content):
    path = write_content(BASE + 'highlights = [{ text = 3, keep = "no" }]\n')
    with pytest.raises(ContentError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: 2 problems in the content")
    path = write_content(BASE + 'highlights = [{ text = 3 }]\n')
    with pytest.raises(ContentError) as caught:
        load(path)
    assert str(caught.value).startswith(f"{path}: 1 problem in the content")


def test_missing_file_and_folder_messages_name_the_path_and_what_to_do(tmp_path):
    with pytest.raises(ContentError) as caught:
        read(tmp_path / "nope.toml")
    assert str(caught.value).startswith(f"{tmp_path / 'nope.toml'}: no such content file (create one with `cvpress new`)")
    with pytest.raises(ContentError) as caught:
        read(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path}: is a folder, expected a TOML file")


def test_a_table_declared_twice_is_told_to_merge(write_content):
    path = write_content('[basics]\nname = "Ada"\n\n[basics]\nlabel = "Dev"\n')
    with pytest.raises(ContentError) as caught:
        read(path)
    [problem] = caught.value.problems
    assert problem.message == "invalid TOML: the table basics is declared twice: merge the two [basics] tables"
    assert (problem.file, problem.line) == (str(path), 4) and problem.source == "[basics]"
    assert str(caught.value).startswith(f"{path} is not valid TOML")


def test_a_choice_a_float_and_an_empty_list_of_roles_are_said_in_plain_words(write_content):
    text = '[basics]\nname = "Ada"\n\n[[work]]\nname = "Acme"\npositions = []\n\n[style]\nspacing = "wide"\nfont_size = 13\n'
    found = {p.path: p.message for p in problems(write_content, text)}
    assert found == {"style.font_size": "expected one of 10, 11 or 12 (found 13)",
                     "style.spacing": "input should be a valid number (found 'wide')",  # pydantic's words, lower case
                     "work[0].positions": "expected at least 1 item(s)"}


@pytest.mark.parametrize("kind, ctx, words", [
    ("greater_than_equal", {"ge": 0}, "expected a number at least 0"),
    ("greater_than", {"gt": 0}, "expected a number more than 0"),
    ("less_than_equal", {"le": 9}, "expected a number at most 9"),
    ("less_than", {"lt": 2}, "expected a number less than 2"),
    ("too_short", {"min_length": 2, "actual_length": 0}, "expected at least 2 item(s)"),
    ("literal_error", {"expected": "'a' or 'b'"}, "expected one of 'a' or 'b'"),
    ("value_error", {"error": ValueError("month 13 is not 1-12")}, "month 13 is not 1-12"),
    ("float_type", {}, "input should be a valid number"),
])
def test_every_bound_and_kind_a_model_may_use_has_its_words(kind, ctx, words):
    # what the model uses today is checked through load() above; these are the wordings for the rest
    from cvpress.content import _plain

    err = {"type": kind, "loc": ("style", "spacing"), "msg": "Input should be a valid number", "ctx": ctx}
    assert _plain(kind, err, None) == words


# ---------------------------------------------------------------- sections of one's own

@pytest.mark.parametrize("table, path, words", [
    ('[sections.work]\n[[sections.work.entries]]\ntitle = "T"\n', "sections", "'work' is a built-in section"),
    ('[sections.Talks]\n[[sections.Talks.entries]]\ntitle = "T"\n', "sections", "must be lower-case letters"),
    ('[sections.talks]\n[[sections.talks.entries]]\ntitle = "T"\ndate = 2020\nstartDate = 2019\n',
     "sections.talks.entries[0]", "either `date` or `startDate`/`endDate`, not both"),
    ('[sections.talks]\n[[sections.talks.entries]]\ntitle = "T"\nsubtitel = "S"\n', "sections.talks.entries[0].subtitel",
     "unknown key 'subtitel'; did you mean 'subtitle'?"),
    ('[sections.talks]\nlayout = "grid"\n', "sections.talks.layout", "'entries', 'lines' or 'inline'"),
])
def test_a_section_of_one_s_own_is_checked_and_located(write_content, table, path, words):
    problem = only(write_content, MINIMAL + "\n" + table)
    assert problem.path == path and words in problem.message and problem.line


def test_json_resume_sections_and_one_s_own_load(write_content):
    resume = load(write_content(MINIMAL + """
[[volunteer]]
organization = "Society"
startDate = 2019
endDate = "present"
[[certificates]]
name = "Cert"
date = 2020-05-01
[[interests]]
name = "Sailing"
[[references]]
name = "Charles"
[sections.talks]
[[sections.talks.entries]]
title = "A talk"
date = "2021-03"
"""))
    assert resume.volunteer[0].endDate.present and str(resume.certificates[0].date) == "May 2020"
    assert resume.sections["talks"].heading("talks") == "Talks" and resume.entries_of("talks")[0].title == "A talk"
    assert resume.entries_of("interests") == resume.interests


def test_untranslated_lists_each_text_without_the_language_at_its_line(write_content):
    from cvpress.content import untranslated

    text = MINIMAL.replace('"Wrote the first published program."',
                           '{ en = "Wrote it.", fr = "Écrit." }, { en = "Only English." }')
    path = write_content(text)
    resume = load(path)
    [problem] = untranslated(path, resume, "fr")
    assert problem.path == "work[0].positions[0].highlights[1]" and problem.message == "no fr translation: the en text is used"
    assert problem.line == line_of(text, "Only English") and problem.file == str(path)
    assert untranslated(path, resume, "en") == []
