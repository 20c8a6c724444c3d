"""Tests for cvpress.render: Selection -> .tex through the theme's templates. No TeX needed."""

from __future__ import annotations

import re

import jinja2
import pytest
from conftest import CONTENT, MINIMAL, run_cli

from cvpress import escape as esc
from cvpress import locales, outline, render
from cvpress.content import load
from cvpress.errors import EXIT_INPUT, UserError
from cvpress.locate import format_path
from cvpress.model import PartialDate, Resume
from cvpress.variants import select

SOURCE_MAP = re.compile(r" % @(\S+)$")


@pytest.fixture(scope="module")
def shipped():
    return load(CONTENT)


def tex_of(resume: Resume, variant: str = "full") -> str:
    return render.render(select(resume, variant)).tex


def resume_from(write_content, text: str) -> Resume:
    return load(write_content(text))


# ---------------------------------------------------------------- only escaped values reach TeX


@pytest.mark.parametrize("value", ["raw", r"\input{x}", "", 1.5, True, b"bytes", ["list"]])
def test_finalize_refuses_anything_not_escaped(value):
    with pytest.raises(TypeError, match="unescaped value reached a template"):
        render._only_tex(value)


@pytest.mark.parametrize(("value", "shown"), [(esc.Tex(r"\textbf{x}"), r"\textbf{x}"), (None, ""), (11, "11"),
                                              (esc.text("50%"), r"50\%")])
def test_finalize_passes_escaped_values(value, shown):
    assert render._only_tex(value) == shown


def test_templates_refuse_a_raw_string():
    environment = render._environment(render.theme_dir())
    template = environment.from_string(r"\item << value >>")
    with pytest.raises(TypeError):
        template.render(value="50% & more")
    assert template.render(value=esc.text("50% & more")) == r"\item 50\% \& more"


@pytest.mark.parametrize(("source", "values"), [("<< missing >>", {}), ("<< entry.title >>", {"entry": {}})])
def test_templates_refuse_a_missing_value(source, values):
    template = render._environment(render.theme_dir()).from_string(source)
    with pytest.raises((jinja2.UndefinedError, TypeError)):  # never a blank in the PDF
        template.render(**values)


def test_a_missing_value_is_reported_by_name():
    template = render._environment(render.theme_dir()).from_string("<< missing_value >>")
    with pytest.raises(jinja2.UndefinedError, match="missing_value"):
        template.render()


# ---------------------------------------------------------------- templates run sandboxed

ESCAPES = [  # the classic ways out of a Jinja template to os.system; each must run nothing
    "<< ''.__class__.__mro__[1].__subclasses__() >>",
    "<< cycler.__init__.__globals__.os.system('touch MARKER') >>",
    "<< joiner.__init__.__globals__['os'].popen('touch MARKER').read() >>",
    "<< lipsum.__globals__['os'].system('touch MARKER') >>",
    "<< namespace.__init__.__globals__.os.system('touch MARKER') >>",
    "<< self._TemplateReference__context.cycler.__init__.__globals__.os.system('touch MARKER') >>",
    "<< name.__class__.__base__.__subclasses__() >>",
    "<< (name | attr('__class__')).__base__.__subclasses__() >>",
    "<< '{0.__class__.__base__.__subclasses__}'.format(name) >>",
    "((* set x = cycler.__init__ *))<< x.__globals__.os.system('touch MARKER') >>",
]


def project_with(tmp_path, templates: dict[str, str]):
    """A content file beside a templates/ folder holding these files."""
    (tmp_path / "content.toml").write_text(MINIMAL, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    for name, text in templates.items():
        (tmp_path / "templates" / name).write_text(text, encoding="utf-8")
    return select(load(tmp_path / "content.toml"), "full")


@pytest.mark.parametrize("escape", ESCAPES)
def test_a_template_reaches_no_python_and_runs_nothing(tmp_path, escape):
    marker = tmp_path / "ran"
    selection = project_with(tmp_path, {"header.tex.j2": "\\cvheader{<< name >>}{}{}\n"
                                                        + escape.replace("MARKER", str(marker)) + "\n"})
    with pytest.raises(UserError, match=r"^templates/header\.tex\.j2:2: .*(unsafe|sandboxed)") as caught:
        render.render(selection, project=tmp_path)
    assert "templates run sandboxed" in str(caught.value)
    assert not marker.exists()


def test_a_sandbox_escape_from_cvpress_build_is_a_message_and_runs_nothing(tmp_path):
    marker = tmp_path / "ran"
    project_with(tmp_path, {"header.tex.j2": f"<< cycler.__init__.__globals__.os.system('touch {marker}') >>\n"})
    done = run_cli("build", cwd=tmp_path)
    assert done.returncode == EXIT_INPUT and "Traceback" not in done.stderr, done.stderr
    assert "templates/header.tex.j2:1: access to attribute '__init__'" in done.stderr
    assert not marker.exists() and not list((tmp_path / "out").glob("*.pdf"))


# ---------------------------------------------------------------- mistakes in the user's templates

HEADER = "\\cvheader{<< name >>}{}{}\n"
MISTAKES = {  # a broken templates/ file -> what `cvpress build` says (exit 2, never a traceback)
    "undefined name": ({"header.tex.j2": HEADER + "<< lable >>\n"},
                       r"templates/header\.tex\.j2:2: 'lable' is undefined; available: style, meta, name, label, "
                       r"contacts, sections"),
    "missing attribute": ({"work.tex.j2": "((* for employer in section.entries *))\n<< employer.nam >>\n((* endfor *))\n"},
                          r"templates/work\.tex\.j2:2: 'dict object' has no attribute 'nam'; it has: title, subtitle, subtitle_src, dates, "
                          r"location, notes, highlights, roles, src"),
    "syntax error": ({"header.tex.j2": HEADER + "((* if name *))\nno end\n"},
                     r"templates/header\.tex\.j2:3: template syntax error: Unexpected end of template.*'endif'"),
    "missing include": ({"header.tex.j2": HEADER + "((* include 'nope.tex.j2' *))\n"},
                        r"templates/header\.tex\.j2:2: template 'nope\.tex\.j2' not found \(looked in .*templates"),
    "recursion": ({"header.tex.j2": HEADER + "((* include 'header.tex.j2' *))\n"},
                  r"templates/header\.tex\.j2:2: the templates include or call each other without end"),
    "unescaped value": ({"header.tex.j2": HEADER + "<< 'raw text' >>\n"},
                        r"templates/header\.tex\.j2:2: unescaped value reached a template: 'raw text'; .*write LaTeX in "
                        r"the template itself"),
    "string joined": ({"header.tex.j2": HEADER + "<< name ~ '!' >>\n"}, r"templates/header\.tex\.j2:2: unescaped value"),
    "python error": ({"header.tex.j2": HEADER + "<< 1 // 0 >>\n"},
                     r"templates/header\.tex\.j2:2: integer division or modulo by zero"),
    "immutable values": ({"header.tex.j2": HEADER + "<< sections.append(1) >>\n"}, r"templates/header\.tex\.j2:2: .*unsafe"),
}


@pytest.mark.parametrize("case", sorted(MISTAKES))
def test_a_mistake_in_ones_own_template_is_a_located_message(tmp_path, case):
    templates, message = MISTAKES[case]
    project_with(tmp_path, templates)
    done = run_cli("build", cwd=tmp_path)
    assert done.returncode == EXIT_INPUT, done.stderr
    assert "Traceback" not in done.stderr and re.search(message, done.stderr), done.stderr


def test_a_mistake_in_a_theme_template_names_the_theme_file(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "summary.tex.j2").write_text("<< section.txt >>\n", encoding="utf-8")
    (tmp_path / "content.toml").write_text(MINIMAL.replace("email =", 'summary = "Hi."\nemail ='), encoding="utf-8")
    with pytest.raises(UserError, match=r"^theme/summary\.tex\.j2:1: 'dict object' has no attribute 'txt'; it has: "
                                        r"kind, title, template, layout, text, src$"):
        render.render(select(load(tmp_path / "content.toml"), "full"), str(theme), project=tmp_path)


# ---------------------------------------------------------------- source map


@pytest.mark.parametrize("variant", ["full", "onepage", "manager"])
def test_every_highlight_line_ends_with_its_source_path(shipped, variant):
    selection = select(shipped, variant)
    lines = render.render(selection).tex.splitlines()
    items = [line for line in lines if line.lstrip().startswith(r"\item")]
    expected = selection.highlights()
    assert len(items) == len(expected) > 0
    for line, item in zip(items, expected):
        match = SOURCE_MAP.search(line)
        assert match, f"no source map: {line!r}"
        assert match[1] == format_path(item.path)
        assert re.fullmatch(r"work\[\d+\]\.positions\[\d+\]\.highlights\[\d+\]", match[1])
        assert esc.inline(item.text) in line


def test_employer_and_role_lines_carry_their_paths(shipped):
    tex = tex_of(shipped)
    employers = [SOURCE_MAP.search(line)[1] for line in tex.splitlines() if line.startswith(r"\cvemployer")]
    roles = [SOURCE_MAP.search(line)[1] for line in tex.splitlines() if line.startswith(r"\cvposition")]
    assert employers == [f"work[{i}]" for i in range(len(shipped.work))]
    assert roles == [f"work[{i}].positions[{j}]" for i, w in enumerate(shipped.work) for j in range(len(w.positions))]
    assert len(roles) > len(employers)  # PBworks has two roles under one heading


def test_summary_source_is_the_variant_override_when_there_is_one(shipped):
    def summary_line(variant):
        return next(line for line in tex_of(shipped, variant).splitlines() if r"\par % @" in line)

    assert summary_line("full").endswith("% @basics.summary")
    assert summary_line("manager").endswith("% @variants.manager.summary")
    assert summary_line("manager").startswith(r"\cvbreakable{Engineering manager who leads")  # a long URL may break


# ---------------------------------------------------------------- what is rendered


def test_content_strings_are_escaped_in_the_document(write_content):
    text = MINIMAL.replace("Wrote the first published program.", r"\\input{/etc/passwd} 100% & *done*")
    tex = tex_of(resume_from(write_content, text))
    assert r"\textbackslash{}input\{/etc/passwd\} 100\% \& \emph{done}" in tex
    assert r"\input{/etc" not in tex


def test_sections_follow_the_variant_order(write_content):
    text = MINIMAL + '\n[[education]]\ninstitution = "Cambridge"\n\n[variants.v]\nsections = ["education", "work"]\n'
    tex = tex_of(resume_from(write_content, text), "v")
    titles = re.findall(r"\\cvsection\{(?:\\cvmark\{\w+\})?(\w+)\}", tex)
    assert titles == ["Education", "Experience"]


def test_an_entry_without_subtitle_or_location_has_no_empty_line_for_them(write_content):
    text = MINIMAL + ('\n[[projects]]\nname = "tidewater"\ndescription = "Replays event streams."\n'
                      '\n[[awards]]\ntitle = "Best paper"\nawarder = "ACM"\n')
    tex = tex_of(resume_from(write_content, text))
    assert "\\cvposition{}{}" not in tex
    assert "\\cvposition{ACM}{}" in tex and "Replays event streams." in tex  # a subtitle keeps its line


def test_label_and_summary_overrides_are_rendered(write_content):
    text = MINIMAL.replace('email =', 'label = "Base label"\nsummary = "Base summary."\nemail =') + \
        '\n[variants.v]\nlabel = "Variant **label**"\nsummary = "Variant summary."\n'
    tex = tex_of(resume_from(write_content, text), "v")
    assert r"\cvheader{Ada Lovelace}{Variant \textbf{label}}" in tex
    assert "Variant summary." in tex and "Base summary." not in tex and "Base label" not in tex


def test_style_tokens_reach_the_preamble(write_content):
    text = MINIMAL + '\n[style]\nfont = "heros"\npaper = "a4"\nmargin = "18mm"\naccent = "ab12cd"\n' \
        '\n[variants.v]\nstyle = { font_size = 12 }\n'
    tex = tex_of(resume_from(write_content, text), "v")
    assert tex.startswith(r"\documentclass[12pt,a4paper]{article}")
    assert "\\usepackage{geometry}" in tex and "\n\\geometry{margin=18mm}\n" in tex
    assert r"\usepackage{tgheros}" in tex and r"\renewcommand*{\familydefault}{\sfdefault}" in tex
    assert r"\definecolor{accent}{HTML}{AB12CD}" in tex


def test_metadata_in_the_preamble_is_public_text_only(shipped):
    tex = tex_of(shipped, "manager")
    label = shipped.variants["manager"].label
    assert f"pdftitle={{Your Name – {esc.text(label)}}}" in tex
    assert "pdfauthor={Your Name}" in tex
    summary = esc.plain(shipped.variants["manager"].summary)
    subject = re.search(r"pdfsubject=\{(.*)\},\n", tex)[1]
    assert len(summary) > 255 and subject.endswith("...") and len(subject) <= 255  # cut at a word
    assert esc.text(summary).startswith(subject[:-3])
    assert "pdfkeywords={MySQL, Solr, Kafka" in tex
    description = shipped.variants["manager"].description
    assert esc.text(description) not in tex and "(manager)" not in tex


def test_employer_with_several_roles_spans_their_dates(shipped):
    tex = tex_of(shipped)
    assert re.search(r"^\\cvemployer\{.*PBworks\}\{\\cvdates\{2009\}\{2011\}\}", tex, re.M)
    assert re.search(r"^\\cvposition\{.*Head of Operations \\& IT\}\{\\cvdates\{2010\}\{2011\}\}", tex, re.M)


def test_work_url_links_the_employer(write_content):
    text = MINIMAL.replace('name = "Analytical Engines"', 'name = "Analytical Engines"\nurl = "https://example.com/a_b"')
    assert r"\href{https://example.com/a\_b}{Analytical Engines}" in tex_of(resume_from(write_content, text))


@pytest.mark.parametrize(("start", "end", "tex"), [
    (PartialDate(2016), PartialDate(9999, present=True), r"\cvdates{2016}{Present}"),
    (PartialDate(2016, 3), PartialDate(2017, 11), r"\cvdates{Mar 2016}{Nov 2017}"),
    (PartialDate(2016), None, "2016"),
    (None, PartialDate(2017), "2017"),
    (None, None, ""),
])
def test_dates(start, end, tex):
    assert render.dates(outline.When(start, end)) == tex


def test_dates_in_the_variants_language():
    french = outline.When(PartialDate(2016, 2), PartialDate(9999, present=True), locales.get("fr"))
    assert render.dates(french) == r"\cvdates{févr. 2016}{aujourd’hui}"
    assert render.dates(outline.When(PartialDate(2016, 3), locale=locales.get("ja"))) == "2016年3月"


def test_theme_support_files_are_shipped(shipped):
    rendered = render.render(select(shipped, "full"))
    assert "cvpress.sty" in [p.name for p in rendered.support]
    assert all(p.exists() for p in rendered.support)
    assert r"\usepackage{cvpress}" in rendered.tex
