"""Layout that cannot break: no line past the margin reaches a published PDF (layout.py, cvpress.sty).

Real compiles in both themes. Over-long content either breaks cleanly (URLs at their punctuation,
contacts between items, a date range whole on the next line) or fails the build naming its key;
derived colours follow the accent (read from rendered pixels); the space under every section rule
is the same at every spacing (read from pdftotext's word boxes).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from conftest import CONTENT, JSONRESUME

from cvpress import layout, model
from cvpress.build import Options, build
from cvpress.errors import Problem

THEMES = sorted(model.THEMES)
URL = ("https://example.com/" + "/".join(f"section-{i:02d}/page.html?q=alpha&r=beta" for i in range(8)))[:250]
WORD = ("Supercalifragilistic" * 250)[:5000]


def resume(*, highlights=("A short highlight.",), basics: str = "", employer: str = "Analytical Engines",
           institution: str = "University of London", theme: str = "classic", style: str = "") -> str:
    bullets = ", ".join(f'"{h}"' for h in highlights)
    return f'''
[basics]
name = "Ada Lovelace"
email = "ada@example.com"
{basics}

[style]
theme = "{theme}"
accent = "8B0000"
{style}

[[work]]
name = "{employer}"

[[work.positions]]
position = "Principal Engineer and Head of the Difference and Analytical Engine Programming Department"
startDate = "2012-08"
endDate = "2014-06"
highlights = [{bullets}]

[[education]]
institution = "{institution}"
studyType = "BSc"
area = "Mathematics"
startDate = "1830"
endDate = "1834"

[[skills]]
name = "Languages"
keywords = ["Python", "TeX"]
'''


def build_one(tmp_path: Path, text: str):
    (tmp_path / "content.toml").write_text(text, encoding="utf-8")
    [result] = build(Options(content=tmp_path / "content.toml", out=tmp_path / "out", cache=False))
    return result


def words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word on page 1 with its box (xMin, yMin, xMax, yMax in points from the top left)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def assert_inside_margins(pdf: Path, margin_pt: float = 0.75 * 72, width_pt: float = 8.5 * 72):
    """No word reaches past the right margin (the page is letter, the margin 0.75in unless set)."""
    past = [(w, round(x1 - (width_pt - margin_pt), 1)) for x0, _, x1, _, w in words(pdf) if x1 > width_pt - margin_pt + 1]
    assert not past, past[:5]


# ---------------------------------------------------------------- the check itself (log + tex)

TEX = """\\begin{document}
\\cvheader{Ada}{}{%
}
\\cvline{\\cvemployerstyle{Ada}}{x} % @education[0]
\\begin{cvhighlights}
  \\item \\cvmark{work[0].positions[0].highlights[0]}one % @work[0].positions[0].highlights[0]
  \\item \\cvmark{work[0].positions[0].highlights[1]}two % @work[0].positions[0].highlights[1]
\\end{cvhighlights}
"""


def overfull_log(points: str, where: str, text: str) -> str:
    return f"Overfull \\hbox ({points}pt too wide) {where}\n[]\\T1/qpl/m/n/10.95 {text}\n []\n\n"


def test_an_overfull_line_is_named_by_the_source_map_of_its_lines():
    log = "CVKEY work\n" + overfull_log("12.5", "in paragraph at lines 4--4", "Ada x")
    [found] = layout.overfull(log, TEX)
    assert (found.key, found.points, found.text) == ("education[0]", 12.5, "Ada x")


def test_text_read_whole_before_it_is_set_is_named_by_the_last_mark():
    """Highlights are read up to \\end{cvhighlights}: TeX names that line; the last CVKEY names the item."""
    log = ("CVKEY work[0].positions[0].highlights[0]\nCVKEY work[0].positions[0].highlights[1]\n"
           + overfull_log("3", "in paragraph at lines 8--8", "two Su-per-cal-ifrag-ilis-tic"))
    [found] = layout.overfull(log, TEX)
    assert found.key == "work[0].positions[0].highlights[1]"
    assert found.text == "two Supercalifragilistic"  # hyphenation points TeX tried are not the content's


def test_the_header_comes_before_any_key_and_small_overflows_are_tolerated():
    log = overfull_log("0.9", "in paragraph at lines 3--3", "x") + overfull_log("40", "detected at line 3", "y")
    [found] = layout.overfull(log, TEX)
    assert (found.key, found.points) == (layout.HEADER, 40.0)
    assert layout.overfull(log, TEX, tolerance=50) == []


@pytest.mark.parametrize("text, fix", [
    (f"See {URL[:40]}", "[label](url)"),
    ("A word: " + "x" * 60, "break the word 'xxxxxxxx"),
    ("a few ordinary words", "shorten the text"),
])
def test_each_problem_says_how_to_fix_it(text, fix):
    problem = layout.Overfull("work[0].positions[0].highlights[0]", 5.0, text).problem()
    assert isinstance(problem, Problem) and problem.path == "work[0].positions[0].highlights[0]"
    assert fix in problem.message and "5.0pt past the right margin" in problem.message


# ---------------------------------------------------------------- real builds


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_word_fails_the_build_naming_its_highlight_and_publishes_nothing(theme, tmp_path):
    result = build_one(tmp_path, resume(highlights=("A short one.", f"A word: {WORD}"), theme=theme))
    assert isinstance(result.error, layout.LayoutError), result.error and result.error.format()
    [problem] = result.error.problems
    assert problem.path == "work[0].positions[0].highlights[1]"
    lines = (tmp_path / "content.toml").read_text(encoding="utf-8").splitlines()
    assert problem.file == str(tmp_path / "content.toml") and lines[problem.line - 1].startswith("highlights = [")
    assert "break the word 'Supercalifragilistic" in problem.message and "(5000 characters)" in problem.message
    assert "ATS" not in result.error.format()  # the real problem, not "does not extract as written"
    assert not (tmp_path / "out" / "full.pdf").exists()


@pytest.mark.parametrize("theme", THEMES)
def test_a_long_word_in_a_source_mapped_line_names_that_line(theme, tmp_path):
    result = build_one(tmp_path, resume(institution="University" + "x" * 300, theme=theme))
    assert isinstance(result.error, layout.LayoutError)
    assert [p.path for p in result.error.problems] == ["education[0]"]


def test_a_bare_url_that_cannot_break_asks_for_a_link(tmp_path):
    result = build_one(tmp_path, resume(highlights=("See https://example.com/" + "a" * 200 + " for more.",)))
    assert isinstance(result.error, layout.LayoutError)
    assert "[label](url)" in result.error.problems[0].message


@pytest.mark.parametrize("theme", THEMES)
def test_long_urls_titles_contacts_and_locations_break_cleanly(theme, tmp_path):
    """A 250-character URL in a highlight and in the header, a long e-mail, location and username:
    the build passes the ATS check and no word reaches past the right margin."""
    basics = f'''url = "{URL}"
location = "Marylebone, City of Westminster, Greater London, England, United Kingdom of Great Britain"
[[basics.profiles]]
network = "GitHub"
username = "ada-lovelace-the-countess-of-lovelace-analytical-engines"
url = "https://github.com/ada"'''
    result = build_one(tmp_path, resume(highlights=(f"See {URL} for the notes.", f"Linked [{URL}]({URL})."),
                                        basics=basics, employer="Analytical Engines Limited, " * 4, theme=theme))
    assert result.error is None, result.error.format()
    assert_inside_margins(result.pdf)


@pytest.mark.parametrize("theme", THEMES)
def test_a_date_range_moves_whole_to_the_next_line_flush_right(theme, tmp_path):
    employer = "Analytical Engines Limited, a Very Long Company Name Incorporated in the City of London"
    result = build_one(tmp_path, resume(employer=employer, theme=theme))
    assert result.error is None, result.error.format()
    found = words(result.pdf)
    dates = [w for w in found if w[4] in ("Aug", "2012", "Jun", "2014")][:4]
    assert [w[4] for w in dates] == ["Aug", "2012", "Jun", "2014"]
    assert len({round(w[1]) for w in dates}) == 1, dates  # one line
    name_line = next(w for w in found if w[4] == "Analytical")[1]
    assert dates[0][1] > name_line + 5  # below the employer's line
    assert abs(dates[-1][2] - (8.5 - 0.75) * 72) < 1.5  # flush right


# ---------------------------------------------------------------- colours and rules


def pixels(pdf: Path, tmp_path: Path, dpi: int = 150) -> tuple[int, int, bytes]:
    """Page 1 as RGB bytes (pdftoppm's PPM: a header, then width*height*3 bytes)."""
    ppm = subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf)],
                         capture_output=True, check=True).stdout
    magic, width, height, depth, data = ppm.split(maxsplit=4)
    assert (magic, depth) == (b"P6", b"255")
    return int(width), int(height), data


def long_rows(pdf: Path, tmp_path: Path) -> list[tuple[int, tuple[int, int, int]]]:
    """Rows holding a horizontal rule (one colour across 60% of the page): (row, colour)."""
    width, height, data = pixels(pdf, tmp_path)
    rows = []
    for y in range(height):
        row = data[y * width * 3:(y + 1) * width * 3]
        middle = [tuple(row[x * 3:x * 3 + 3]) for x in range(int(width * 0.2), int(width * 0.8), 7)]
        if len(set(middle)) == 1 and middle[0] != (255, 255, 255):
            rows.append((y, middle[0]))
    return rows


def test_classic_rules_follow_the_accent(tmp_path):
    """accent 8B0000: the rules are accent!60, (0.6*139 + 0.4*255, 0.4*255, 0.4*255)."""
    result = build_one(tmp_path, resume())
    assert result.error is None, result.error.format()
    colours = {c for _, c in long_rows(result.pdf, tmp_path)}
    assert colours and all(abs(r - 185) <= 8 and abs(g - 102) <= 8 and abs(b - 102) <= 8 for r, g, b in colours), colours


def test_modern_header_bar_is_the_accent(tmp_path):
    result = build_one(tmp_path, resume(theme="modern"))
    assert result.error is None, result.error.format()
    colours = {c for _, c in long_rows(result.pdf, tmp_path)}
    assert any(abs(r - 139) <= 6 and g <= 6 and b <= 6 for r, g, b in colours), colours


def first_baselines(pdf: Path) -> dict[str, float]:
    """Each section title -> the distance from its word box's bottom to the next line's (points)."""
    found = words(pdf)
    gaps = {}
    for i, (_, _, _, bottom, word) in enumerate(found):
        if word in ("Summary", "Experience", "Education", "Skills"):
            below = next(w for w in found[i + 1:] if w[3] > bottom + 2)
            gaps[word] = below[3] - bottom
    return gaps


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("spacing", [1.0, 0.6])
def test_the_space_under_every_section_rule_is_the_same(theme, spacing, tmp_path):
    """Experience opens with an employer, Education with a degree, Skills with a group, Summary with
    text: the first line's baseline sits the same distance under every title, at full and fitted
    spacing, and never closer than the text's own height plus a gap."""
    # every first line starts with a bold word: word boxes of one font
    text = resume(theme=theme, style=f"spacing = {spacing}", basics='summary = "**Plain** summary text."')
    result = build_one(tmp_path, text)
    assert result.error is None, result.error.format()
    gaps = first_baselines(result.pdf)
    assert set(gaps) == {"Summary", "Experience", "Education", "Skills"}
    assert max(gaps.values()) - min(gaps.values()) < 0.6, gaps
    assert min(gaps.values()) > 13, gaps  # 11pt text: a line and more under the title's baseline


# ---------------------------------------------------------------- what ships builds clean


def shipped(name: str, tmp_path: Path) -> Path:
    if name == "resume":
        return CONTENT
    if name == "starter":
        from cvpress.new import starter_text

        (tmp_path / "content.toml").write_text(starter_text(), encoding="utf-8")
        return tmp_path / "content.toml"
    from cvpress.jsonresume import import_file

    return import_file(JSONRESUME / "sample.resume.json", tmp_path / "content.toml")


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("name", ["resume", "starter", "jsonresume"])
def test_what_ships_builds_with_no_overfull_line_at_all(name, theme, tmp_path, monkeypatch):
    """The shipped résumé, the `cvpress new` starter and an imported JSON Resume sample: every
    variant, as published (after fitting), without a single overfull line (tolerance 0)."""
    monkeypatch.setattr(layout, "TOLERANCE_PT", 0.0)
    results = build(Options(content=shipped(name, tmp_path), out=tmp_path / "out", theme=theme, cache=False))
    failures = [f"{r.variant}: {r.error.format()}" for r in results if r.error]
    assert not failures, "\n".join(failures)


def test_only_the_published_compile_is_checked(tmp_path):
    """Fitting's first compile holds an over-long word in the weakest highlight; fitting drops it,
    and the PDF it publishes has no overfull line: the build passes."""
    filler = ", ".join('{ text = "An ordinary highlight about storage engineering, number %d, long enough to '
                       'wrap onto a second line of the page.", priority = 2 }' % i for i in range(70))
    text = resume().replace('highlights = ["A short highlight."]',
                            f'highlights = [{{ text = "A word: {WORD[:400]}", priority = 3 }}, {filler}]')
    result = build_one(tmp_path, text + '\n[variants.onepage]\nmax_pages = 1\n')
    assert result.error is None, result.error.format()
    assert result.fit.compiles >= 2
    assert "work[0].positions[0].highlights[0]" in [d["path"] for d in result.fit.dropped]


@pytest.mark.parametrize("theme", THEMES)
def test_a_contact_with_a_word_longer_than_the_line_fails_naming_the_header(theme, tmp_path):
    result = build_one(tmp_path, resume(basics=f'location = "Llanfair{"x" * 300}"', theme=theme))
    assert isinstance(result.error, layout.LayoutError)
    [problem] = result.error.problems
    assert problem.path == "basics.location" and "Llanfairxxxx" in problem.message  # the contact's own key


def test_urls_break_in_lualatex_too(tmp_path):
    """Greek in the name: the document needs LuaLaTeX; the same macros break the same URLs."""
    text = resume(highlights=(f"See {URL} for the notes.",), basics=f'url = "{URL}"').replace("Ada Lovelace", "Ada Αδα")
    result = build_one(tmp_path, text)
    assert result.error is None, result.error.format()
    assert result.engine == "lualatex"
    assert_inside_margins(result.pdf)
