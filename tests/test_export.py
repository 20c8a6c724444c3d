"""Tests for cvpress.export: JSON Resume (lossless), and a variant as Markdown, plain text, HTML."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from conftest import CONTENT, JSONRESUME, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from cvpress import escape as esc
from cvpress import export, jsonresume, variants
from cvpress.content import load

FIXTURES = JSONRESUME
SAMPLE = FIXTURES / "sample.resume.json"
SCHEMA = json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8"))

MARKUP = '''
[basics]
name = "Ada <Lovelace> & Co"
label = "Analyst of *engines*"
email = "ada@example.com"
summary = "Writes **programs** for [engines](https://engines.example.com/notes?a=1&b=2)."

[[work]]
name = "Analytical Engines"
url = "https://engines.example.com"

[[work.positions]]
position = "Programmer"
startDate = "2016"
endDate = "present"
highlights = [
  "Wrote the **first** published *program*, see [the notes](https://engines.example.com/notes).",
  "<script>alert('x')</script> & snake_case_name # not a heading",
  { text = "An internal detail that the short variant leaves out.", tags = ["detail"] },
]

[[work]]
name = "Babbage & Sons"

[[work.positions]]
position = "Lead"
startDate = "2014-03"
endDate = "2016"
highlights = ["Led."]

[[work.positions]]
position = "Apprentice"
startDate = "2012"
endDate = "2014-03"

[[skills]]
name = "Mathematics"
keywords = ["Analysis", "Bernoulli numbers"]

[variants.full]
description = "All"

[variants.short]
exclude_tags = ["detail"]
label = "Programmer"
'''


def export_text(content: Path, fmt: str, variant: str | None = None, width: int = 80) -> str:
    return export.export(export.Options(content=content, format=fmt, variant=variant, width=width))


def schema_errors(data: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def reimport(resume_json: dict, folder: Path, name: str):
    source = folder / f"{name}.json"
    source.write_text(json.dumps(resume_json), encoding="utf-8")
    return load(jsonresume.import_file(source, folder / f"{name}.toml"))


@pytest.fixture
def marked(write_content) -> Path:
    return write_content(MARKUP)


# ---------------------------------------------------------------- JSON Resume

@pytest.fixture(scope="module")
def sample_content(tmp_path_factory) -> Path:
    return jsonresume.import_file(SAMPLE, tmp_path_factory.mktemp("sample") / "content.toml")


def test_json_resume_validates_against_the_schema(sample_content):
    assert schema_errors(json.loads(export_text(sample_content, "json-resume"))) == []


@pytest.mark.parametrize("source", ["sample", "shipped", "markup"])
def test_import_export_import_is_lossless(source, sample_content, marked, tmp_path):
    content = {"sample": sample_content, "shipped": CONTENT, "markup": marked}[source]
    first = load(content)
    exported = json.loads(export_text(content, "json-resume"))
    assert schema_errors(exported) == []
    assert reimport(exported, tmp_path, "again") == first


SECTIONS = '''
[basics]
name = "Ada"

[[volunteer]]
organization = "Harbour Rescue"
position = "Coordinator"
location = "Leeds"
url = "https://harbour.example.org"
startDate = "2019-04"
endDate = "present"
summary = "Ran the night rota."
highlights = ["Trained volunteers", { text = "Rewrote the rota", tags = ["ops"], priority = 1, keep = true }]
tags = ["community"]

[[volunteer]]
organization = "Code Club"
startDate = "2015"

[[certificates]]
name = "CKA"
date = "2021-11"
issuer = "CNCF"
url = "https://cncf.example.com/cka"
tags = ["cloud"]

[[interests]]
name = "Beekeeping"
keywords = ["Honey", "Swarms"]

[[references]]
name = "Charles Babbage"
reference = "Understood the engine."
tags = ["private"]

[sections.talks]
title = "Talks"

[[sections.talks.entries]]
title = "Notes on the Engine"
subtitle = "Royal Society"
date = "1843-09"
url = "https://talks.example.com/engine"
highlights = ["Forty minutes", { text = "Questions", tags = ["long"], priority = 2 }]
tags = ["science"]
priority = 1
keep = true

[[sections.talks.entries]]
title = "Looms"
startDate = "1840"
endDate = "present"
location = "London"
summary = "A series."

[sections.patents]
layout = "lines"

[sections.empty]

[variants.full]

[variants.talks]
sections = ["talks", "volunteer"]
'''


def test_every_section_round_trips(write_content, tmp_path):
    content = write_content(SECTIONS)
    exported = json.loads(export_text(content, "json-resume"))
    assert schema_errors(exported) == []
    assert [v["organization"] for v in exported["volunteer"]] == ["Harbour Rescue", "Code Club"]
    assert exported["volunteer"][0]["x-cvpress"]["tags"] == ["community"]  # where work's tags go
    assert exported["volunteer"][1]["x-cvpress"] == {"endDate": None}  # open, not "present"
    assert exported["certificates"][0]["issuer"] == "CNCF"
    assert exported["interests"][0]["keywords"] == ["Honey", "Swarms"]
    talks = exported["x-cvpress"]["sections"]["talks"]  # the content's own sections, as in TOML
    assert talks["entries"][0]["date"] == "1843-09" and talks["entries"][1]["endDate"] == "present"
    assert talks["entries"][0]["highlights"][0] == "Forty minutes"
    again = reimport(exported, tmp_path, "again")
    assert again == load(content) and again.extra == {} and list(again.sections) == ["talks", "patents", "empty"]
    assert "[sections.talks]" in (tmp_path / "again.toml").read_text(encoding="utf-8")


def test_an_older_imports_extra_section_comes_back_into_the_model(write_content, tmp_path):
    older = '[basics]\nname = "A"\n\n[extra]\nvolunteer = [{ organization = "Old" }]\n'
    exported = json.loads(export_text(write_content(older), "json-resume"))
    assert reimport(exported, tmp_path, "again").volunteer[0].organization == "Old"
    both = write_content(older.replace("[extra]", '[[volunteer]]\norganization = "New"\n\n[extra]'))
    done = run_cli("export", "-c", str(both))
    assert done.returncode == 2 and "Traceback" not in done.stderr  # never one of the two silently lost
    assert "extra.volunteer and the content's own volunteer" in done.stderr


def test_a_present_date_round_trips(write_content, tmp_path):
    content = write_content('[basics]\nname = "A"\n\n[[awards]]\ntitle = "T"\ndate = "present"\n\n'
                            '[[certificates]]\nname = "C"\ndate = "present"\n\n'
                            '[[publications]]\nname = "P"\nreleaseDate = "present"\n')
    exported = json.loads(export_text(content, "json-resume"))
    assert exported["awards"][0]["x-cvpress"] == {"date": "present"}  # JSON Resume's dates cannot say it
    assert reimport(exported, tmp_path, "again") == load(content)


def test_problems_in_own_sections_cite_x_cvpress(tmp_path):
    source = tmp_path / "bad.json"
    for sections, where, what in ((({"talks": {"entries": [{"subtitle": "S"}]}}), ".talks.entries[0].title", "missing"),
                                  ({"work": {}}, "", "built-in section"), ([], "", "expected an object")):
        source.write_text(json.dumps({"basics": {"name": "A"}, "x-cvpress": {"sections": sections}}), encoding="utf-8")
        done = run_cli("import", str(source), "-o", str(tmp_path / "content.toml"))
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"{source}: x-cvpress.sections{where}" in done.stderr and what in done.stderr, done.stderr
    assert not (tmp_path / "content.toml").exists()


def test_json_resume_keeps_the_plain_shape(sample_content):
    data = json.loads(export_text(sample_content, "json-resume"))
    assert data["work"][0]["name"] == "Pied Piper" and data["work"][0]["position"] == "CEO/President"
    assert data["projects"][0]["entity"] == "Smoogle"  # extra keys go back into their entry
    assert data["volunteer"][0]["organization"] == "CoderDojo"  # and top-level sections to the top
    assert data["$schema"].endswith("schema.json")


def test_several_roles_become_several_work_entries():
    data = export.to_json_resume(load(CONTENT))
    pbworks = [w for w in data["work"] if w["name"] == "PBworks"]
    assert [w["position"] for w in pbworks] == ["Head of Operations & IT", "Front-End Web Engineer"]
    assert "endDate" not in data["work"][0]  # "present": JSON Resume leaves the end date out
    assert data["work"][0]["x-cvpress"]["highlightOptions"][0] == {"tags": ["leadership"], "priority": 1, "keep": True}


def test_json_resume_refuses_a_variant(marked):
    done = run_cli("export", "-c", str(marked), "--format", "json-resume", "--variant", "short")
    assert done.returncode == 2 and "--variant applies to" in done.stderr


# ---------------------------------------------------------------- text and Markdown follow the variant

@pytest.mark.parametrize("fmt", ["text", "markdown"])
@pytest.mark.parametrize("name", ["full", "onepage", "manager"])
def test_shows_what_the_variant_selects(fmt, name):
    resume = load(CONTENT)
    selection = variants.select(resume, name)
    shown = " ".join(export_text(CONTENT, fmt, name, width=0).split())
    if fmt == "markdown":
        shown = shown.replace("\\", "")
    kept = {esc.plain(i.text) for i in selection.highlights()}
    for text in kept:
        assert text in shown
    for dropped in selection.dropped:
        if dropped.path[-2:-1] == ("highlights",):
            item = resume
            for part in dropped.path:
                item = item[part] if isinstance(part, int) else getattr(item, part)
            if esc.plain(item.text) not in kept:
                assert esc.plain(item.text) not in shown
    assert (selection.label or "") in shown


def test_text_is_plain_and_wrapped(marked):
    text = export_text(marked, "text", "full")
    assert "**" not in text and "](" not in text
    assert "Writes programs for engines (https://engines.example.com/notes?a=1&b=2)." in " ".join(text.split())
    assert "Programmer | 2016 - Present" in text
    assert "Babbage & Sons | 2012 - 2016" in text and "Lead | Mar 2014 - 2016" in text
    assert all(len(line) <= 80 for line in text.splitlines() if " " in line.strip())
    assert text.startswith("ADA <LOVELACE> & CO\nAnalyst of engines\n")
    assert "- Wrote the first published program, see the notes" in text


def test_text_width_zero_keeps_each_paragraph_on_one_line(marked):
    text = export_text(marked, "text", "full", width=0)
    assert "- Wrote the first published program, see the notes (https://engines.example.com/notes)." in text.splitlines()


def test_text_follows_the_variant(marked):
    assert "internal detail" in export_text(marked, "text", "full")
    short = export_text(marked, "text", "short")
    assert "internal detail" not in short and "\nProgrammer\n" in short


def test_markdown_keeps_markup_and_escapes_the_rest(marked):
    md = export_text(marked, "markdown", "full")
    assert md.startswith("# Ada \\<Lovelace\\> & Co\n")
    assert "- Wrote the **first** published *program*, see [the notes](<https://engines.example.com/notes>)." in md
    assert "\\<script\\>alert('x')\\</script\\> & snake\\_case\\_name # not a heading" in md
    assert "### [Analytical Engines](<https://engines.example.com>)" in md
    assert "#### Lead" in md and "Mar 2014 – 2016" in md


# ---------------------------------------------------------------- HTML

class Outline(HTMLParser):
    """Collects tags, heading levels, attributes and the text of an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: dict[str, list[dict]] = {}
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.setdefault(tag, []).append(dict(attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_html_is_one_accessible_printable_page(marked):
    html = export_text(marked, "html", "full")
    page = parse(html)
    assert page.attrs["html"] == [{"lang": "en"}]
    assert page.headings[0] == 1 and page.headings.count(1) == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:]))  # no skipped level
    assert {"header", "main", "section", "ul", "li", "address", "time"} <= set(page.tags)
    assert "@media print" in html and "@page" in html
    assert not {"script", "link", "img", "iframe"} & set(page.tags)  # self-contained, nothing runs
    assert not [a for attrs in page.attrs.values() for a in attrs if "src" in a]
    hrefs = [a["href"] for a in page.attrs["a"]]
    assert "https://engines.example.com/notes?a=1&b=2" in hrefs and "mailto:ada@example.com" in hrefs


def test_html_escapes_every_content_string(marked):
    html = export_text(marked, "html", "full")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; snake_case_name" in html
    assert "<h1>Ada &lt;Lovelace&gt; &amp; Co</h1>" in html
    assert "<strong>first</strong>" in html and "<em>program</em>" in html
    assert "script" not in parse(html).tags


def _with_location(write_content) -> Path:
    """MARKUP with a located employer of two roles: no subtitle of its own, a location."""
    return write_content(MARKUP.replace('name = "Babbage & Sons"\n', 'name = "Babbage & Sons"\nlocation = "London"\n'))


def test_html_style_is_css_not_escaped_html_and_no_element_is_empty(write_content):
    html = export_text(_with_location(write_content), "html", "full")
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "&#34;" not in style and "&quot;" not in style and "&amp;" not in style
    assert 'font-family: "TeX Gyre Pagella", Palatino' in style
    assert "London" in html
    empty = re.findall(r"<(\w+)[^>]*>\s*</\1>", html)
    assert not empty, empty


def test_html_css_values_are_checked_not_escaped():
    with pytest.raises(ValueError, match="not a plain CSS value"):
        export._css({"font": "serif; } body { display: none"})
    with pytest.raises(ValueError):
        export._css({"font": "</style><script>"})


_CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1000,1400"]


def _chromium(tmp_path: Path, *args: str) -> str:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/test-packages.txt lists it, "
                    "so `make test` installs it): the HTML export is not checked in a browser")
    profile = tmp_path / "chromium-profile"
    done = subprocess.run([chromium, *_CHROMIUM, f"--user-data-dir={profile}", *args], capture_output=True,
                          text=True, timeout=180, env={**os.environ, "HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_html_renders_in_chromium_with_the_themes_font(write_content, tmp_path):
    page = tmp_path / "resume.html"
    page.write_text(export_text(_with_location(write_content), "html", "full"), encoding="utf-8")
    # A copy with a probe: what the browser computed, written into the DOM that --dump-dom prints
    probe = tmp_path / "probe.html"
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", (
        "<script>document.body.dataset.font = getComputedStyle(document.documentElement).fontFamily;"
        "document.body.dataset.rules = document.styleSheets[0].cssRules.length;</script></body>")), encoding="utf-8")
    dom = _chromium(tmp_path, "--dump-dom", probe.as_uri())
    font = re.search(r'data-font="([^"]*)"', dom)
    assert font and unescape(font[1]).startswith('"TeX Gyre Pagella", Palatino'), dom[:500]
    assert int(re.search(r'data-rules="(\d+)"', dom)[1]) >= 20  # every rule of the sheet parsed
    shot = tmp_path / "resume.png"
    _chromium(tmp_path, f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000


def test_html_follows_the_variant(marked):
    assert "internal detail" not in export_text(marked, "html", "short")


_ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT)
def test_html_inline_never_makes_other_markup(value):
    page = parse(str(export.html_inline(value)))
    assert set(page.tags) <= {"strong", "em", "a"}
    assert all(a["href"].startswith(("http://", "https://", "mailto:")) for a in page.attrs.get("a", []))
    if not re.search(r"[*\[]", value):  # no markup: the text reads back exactly
        assert "".join(page.text) == value


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT, st.integers(min_value=10, max_value=100))
def test_text_wrapping_keeps_every_word(value, width):
    words = export.plain(value).split()
    wrapped = export._wrap(export.plain(value), width, "  ", "- ")
    assert " ".join(wrapped).split() == (["-"] + words if words else [])
    for line in wrapped:  # a longer line is one word that does not fit (never broken)
        assert len(line) <= width or len(line.removeprefix("- ").removesuffix(" |").split()) == 1


def test_text_wrapping_never_starts_a_line_with_a_separator():
    contacts = "ada@example.com | +44 20 7946 0958 | London, United Kingdom | GitHub (https://github.com/ada)"
    for width in range(20, 100):
        wrapped = export._wrap(contacts, width)
        assert not any(line.lstrip().startswith("|") for line in wrapped), (width, wrapped)
        assert " ".join(wrapped) == contacts
        assert all(len(line) <= width or len(line.removesuffix(" |").split()) == 1 for line in wrapped)


# ---------------------------------------------------------------- the command

def test_export_command_writes_a_file(marked, tmp_path):
    target = tmp_path / "cv.md"
    done = run_cli("export", "-c", str(marked), "--format", "markdown", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.read_text(encoding="utf-8").startswith("# Ada")


def test_export_never_overwrites_a_file_without_force(marked, tmp_path):
    target = tmp_path / "cv.md"
    target.write_text("mine", encoding="utf-8")
    done = run_cli("export", "-c", str(marked), "--format", "markdown", "-o", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"{target}: already exists; replace it with --force, or write elsewhere with -o"
    assert target.read_text(encoding="utf-8") == "mine"
    assert run_cli("export", "-c", str(marked), "-f", "markdown", "-o", str(target), "--force").returncode == 0
    assert target.read_text(encoding="utf-8").startswith("# Ada")


@pytest.mark.parametrize("how", ["itself", "symlink", "hard link", "another spelling"])
@pytest.mark.parametrize("fmt", ["markdown", "json-resume"])
def test_export_never_overwrites_the_content_file_even_with_force(marked, tmp_path, how, fmt):
    target = {"itself": marked, "symlink": tmp_path / "link.toml", "hard link": tmp_path / "hard.toml",
              "another spelling": tmp_path / "sub" / ".." / marked.name}[how]
    if how == "symlink":
        target.symlink_to(marked)
    elif how == "hard link":
        target.hardlink_to(marked)
    elif how == "another spelling":
        (tmp_path / "sub").mkdir()
    done = run_cli("export", "-c", str(marked), "-f", fmt, "-o", str(target), "--force")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{target}: is the file this command reads")
    assert "never overwritten, not even with --force: write elsewhere with -o" in done.stderr
    assert marked.read_text(encoding="utf-8") == MARKUP and target.read_text(encoding="utf-8") == MARKUP


def test_export_unknown_variant_is_a_user_error(marked):
    done = run_cli("export", "-c", str(marked), "--format", "text", "--variant", "nope")
    assert done.returncode == 2 and "unknown variant 'nope'" in done.stderr and "Traceback" not in done.stderr


def test_extra_dates_and_times_export_as_iso_text(write_content):
    content = write_content('[basics]\nname = "Ada"\n\n[extra]\nwhen = 1979-05-27T07:32:00-08:00\n'
                            'day = 1979-05-27\nlocal = 1979-05-27T07:32:00\nclock = 07:32:00.5\nodd = nan\n'
                            'big = -inf\nnested = { list = [1979-05-27, { t = 07:32:00 }] }\n'
                            '\n[extra."projects[0]"]\nseen = 2020-01-02\n')
    done = run_cli("export", "-c", str(content))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    data = json.loads(done.stdout, parse_constant=refuse)
    assert {k: data[k] for k in ("when", "day", "local", "clock", "odd", "big", "nested")} == {
        "when": "1979-05-27T07:32:00-08:00", "day": "1979-05-27", "local": "1979-05-27T07:32:00",
        "clock": "07:32:00.500000", "odd": "nan", "big": "-inf", "nested": {"list": ["1979-05-27", {"t": "07:32:00"}]}}
    assert data["projects[0]"] == {"seen": "2020-01-02"}  # an entry's extra keys whose entry is gone


def test_html_and_text_follow_the_variants_language(tmp_path):
    source = tmp_path / "content.toml"
    source.write_text((CONTENT.parent / "bilingual.toml").read_text(encoding="utf-8"), encoding="utf-8")
    html = export_text(source, "html", "onepage-fr")
    assert '<html lang="fr">' in html and "Formation" in html and "aujourd’hui" in html
    assert '<html lang="en">' in export_text(source, "html", "onepage")
    assert "févr. 2021 - aujourd’hui" in export_text(source, "text", "full-fr")


def test_plain_text_keeps_asterisks_that_only_meet_once_pieces_are_joined():
    """`[*a](url)*`: the label's `*` and the closing `*` are literal where they stand; the plain text
    joins them, and must not read them again as italic."""
    assert export.plain("[*a](https://u.example)* b") == "*a (https://u.example)* b"
    assert export.plain("**x**  and\n[y](https://y.example/)") == "x and y (https://y.example/)"
