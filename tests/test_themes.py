"""Themes: the shipped ones, choosing one, the search path (templates/ -> theme -> classic), previews.

Real compiles, ATS check on: every theme must build every shipped variant within its page budget.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, ROOT, JSONRESUME, minimal, run_cli
from pypdf import PdfReader

from cvpress import cache, content, model, render, variants
from cvpress.build import Options, build
from cvpress.errors import EXIT_INPUT, UserError

THEMES_DIR = render.LATEX_DIR / "themes"
SHIPPED_VARIANTS = ("full", "onepage", "manager")


def fonts(pdf: Path) -> set[str]:
    """Base font names used on the PDF's pages, without the subset prefix."""
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def layout_of(pdf: Path) -> str:
    """The PDF's text with its lines as they stand on the page (pdftotext -layout; pages end in \\f)."""
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def text_of(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


# ---------------------------------------------------------------- what a theme is


def test_the_model_knows_exactly_the_shipped_themes():
    assert sorted(model.THEMES) == sorted(p.name for p in THEMES_DIR.iterdir() if p.is_dir())


@pytest.mark.parametrize("theme", [t for t in model.THEMES if t != render.DEFAULT_THEME])
def test_a_theme_ships_only_the_files_it_changes(theme):
    base = THEMES_DIR / render.DEFAULT_THEME
    own = sorted(p.name for p in (THEMES_DIR / theme).iterdir())
    assert "cvtheme.sty" in own
    same = [name for name in own if (base / name).is_file()
            and (base / name).read_bytes() == (THEMES_DIR / theme / name).read_bytes()]
    assert not same, f"{theme} copies {same} from {render.DEFAULT_THEME} unchanged: let the search path find them"
    rendered = render.render(variants.select(content.load(CONTENT), "full"), theme)
    chosen = {p.name: p.parent.name for p in rendered.support + rendered.templates}
    assert chosen["cvtheme.sty"] == theme and chosen["cvpress.sty"] == render.DEFAULT_THEME
    assert chosen["document.tex.j2"] == (theme if "document.tex.j2" in own else render.DEFAULT_THEME)


def _defined(sty: Path) -> set[str]:
    text = sty.read_text(encoding="utf-8")
    return set(re.findall(r"\\(?:newcommand\*?|cvfontfamily|newenvironment)\{\\?(\w+)\}", text)) | set(
        re.findall(r"\\(?:definecolor|colorlet|cvderivedcolor)\{(\w+)\}", text))


@pytest.mark.parametrize("theme", model.THEMES)
def test_every_theme_defines_every_token_and_style_the_core_uses(theme):
    """cvpress.sty and the templates use classic's design macros; each theme must define them all."""
    wanted = _defined(THEMES_DIR / render.DEFAULT_THEME / "cvtheme.sty")
    assert wanted - _defined(THEMES_DIR / theme / "cvtheme.sty") == set()


# ---------------------------------------------------------------- choosing a theme


@pytest.fixture(scope="module")
def modern_build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("modern")
    results = build(Options(content=CONTENT, out=out, theme="modern", cache=False))
    failures = [f"{r.variant}: {r.error.format()}" for r in results if r.error]
    assert not failures, "\n".join(failures)
    return out


@pytest.mark.parametrize("variant", SHIPPED_VARIANTS)
def test_modern_builds_every_shipped_variant_within_budget_and_ats_clean(modern_build, variant):
    """The build ran the ATS check; here: page budgets, and the sans-serif header font is in."""
    budget = content.load(CONTENT).variants[variant].max_pages
    pages = len(PdfReader(modern_build / f"{variant}.pdf").pages)
    assert pages == budget if variant == "onepage" else 1 <= pages <= budget
    used = fonts(modern_build / f"{variant}.pdf")
    assert {"TeXGyreHeros-Bold", "TeXGyrePagella-Regular"} <= used


@pytest.mark.parametrize("theme", sorted(model.THEMES))
def test_a_contact_line_too_long_for_one_line_wraps_between_items_only(theme, tmp_path):
    """The starter's six contacts need two lines: no item is split, no separator is left at a line's
    end or start (pdftotext -layout shows the lines as they stand)."""
    from cvpress.new import starter_text

    (tmp_path / "content.toml").write_text(starter_text(), encoding="utf-8")
    resume = content.load(tmp_path / "content.toml")
    [result] = build(Options(content=tmp_path / "content.toml", out=tmp_path / "out", variants=["full"], theme=theme,
                             cache=False))
    assert result.error is None
    layout = layout_of(result.pdf).splitlines()
    items = [resume.basics.email, resume.basics.phone, str(resume.basics.location)]
    items += [f"{p.network}: {p.username}" for p in resume.basics.profiles]
    lines = [line.strip() for line in layout[2:6] if any(item in line for item in items)]
    assert len(lines) == 2, layout[:6]  # the starter's contacts take two lines in every theme
    for item in items:
        assert any(item in line for line in lines), item
    for line in lines:
        assert not re.match(r"^[•|]|.*[•|]$", line), line


@pytest.mark.parametrize("theme", sorted(model.THEMES))
def test_languages_share_one_line_and_every_location_shows(theme, write_content, tmp_path):
    """Three languages take one line, not six; an employer with two roles keeps its location, and a
    role's and a school's own locations show beside them."""
    text = MINIMAL + '''
[[work]]
name = "Babbage and Sons"
location = "Marylebone"

[[work.positions]]
position = "Lead"
location = "Remote"
startDate = "1840"
endDate = "1841"

[[work.positions]]
position = "Apprentice"
startDate = "1835"
endDate = "1839"

[[education]]
institution = "Home tuition"
location = "Somerset"

[[languages]]
language = "English"
fluency = "Native"

[[languages]]
language = "French"
fluency = "Fluent"

[[languages]]
language = "Italian"
'''
    [result] = build(Options(content=write_content(text), out=tmp_path / "out", theme=theme, cache=False))
    assert result.error is None, result.error.format()
    lines = [" ".join(line.split()) for line in layout_of(result.pdf).splitlines()]
    assert "English (Native), French (Fluent), Italian" in lines, lines
    assert any(line.startswith("Babbage and Sons, Marylebone ") for line in lines), lines
    assert any(line.startswith("Lead, Remote ") for line in lines), lines
    assert any(line.startswith("Home tuition, Somerset") for line in lines), lines


@pytest.mark.parametrize("theme", sorted(model.THEMES))
def test_a_section_title_never_ends_a_page(theme, tmp_path):
    """The JSON Resume sample, imported: its Publications title used to fall at the foot of page 1
    and its one entry on page 2. A title goes with its first entry's lines and first highlight."""
    from cvpress.jsonresume import import_file

    source = import_file(JSONRESUME / "sample.resume.json", tmp_path / "content.toml")
    [result] = build(Options(content=source, out=tmp_path / "out", variants=["full"], theme=theme, cache=False))
    assert result.error is None and result.pages >= 2
    pages = layout_of(result.pdf).split("\f")
    for page in pages[:-1]:
        last = [line.strip() for line in page.splitlines() if line.strip()][-1]
        assert last not in render.TITLES.values(), f"page ends with the title {last!r}"


def font_files_compressed(pdf: Path) -> set[bool]:
    """For each embedded font program (and ToUnicode map) on the pages: whether its stream is filtered."""
    found = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for stream in (font["/FontDescriptor"].get_object().get("/FontFile"), font.get("/ToUnicode")):
                if stream is not None:
                    found.add("/Filter" in stream.get_object())
    return found


@pytest.mark.parametrize("highlights, compressed", [(3, True), (700, False)])
def test_a_long_document_stores_its_fonts_uncompressed(highlights, compressed, write_content, tmp_path):
    """Poppler inflates every font again on every page it reads (x50: pdftotext 0.27 s, 0.12 s with the
    fonts stored as they are); a résumé of normal length keeps them compressed, the smaller file."""
    from cvpress.typeset import compile_tex

    path = write_content(minimal(*(f"Highlight number {n} of the long list." for n in range(highlights))))
    compiled = compile_tex(render.render(variants.select(content.load(path), "full")), tmp_path / "work", timeout=60)
    assert (PdfReader(compiled.pdf).get_num_pages() > 9) is not compressed
    assert font_files_compressed(compiled.pdf) == {compressed}


def test_a_variant_style_chooses_its_theme(write_content):
    resume = content.load(write_content(MINIMAL + '\n[variants.full]\n[variants.sharp]\nstyle = { theme = "modern" }\n'))
    themes = {name: {p.parent.name for p in render.render(variants.select(resume, name)).support if p.name == "cvtheme.sty"}
              for name in ("full", "sharp")}
    assert themes == {"full": {"classic"}, "sharp": {"modern"}}


def test_an_unknown_theme_is_a_located_error_with_a_suggestion(write_content):
    with pytest.raises(UserError) as caught:
        content.load(write_content(MINIMAL + '\n[style]\ntheme = "modrn"\n'))
    assert "style.theme" in caught.value.format() and "did you mean 'modern'" in caught.value.format()


def test_build_theme_option_names_the_shipped_themes_when_it_is_wrong(write_content):
    done = run_cli("build", "-c", str(write_content(MINIMAL)), "--theme", "nope")
    assert done.returncode == EXIT_INPUT
    assert "theme 'nope' not found" in done.stderr and "classic, modern" in done.stderr


def test_modern_takes_every_design_token_in_both_engines(write_content, tmp_path):
    """A4, a sans body font at 12pt, accent and spacing under pdfLaTeX; Greek and Cyrillic under LuaLaTeX."""
    style = '\n[style]\ntheme = "modern"\npaper = "a4"\nfont = "heros"\nfont_size = 12\naccent = "8B1E3F"\nspacing = 1.3\nmargin = "20mm"\n'
    greek = MINIMAL.replace('name = "Ada Lovelace"', 'name = "Αθηνά Ада Lovelace"')
    for name, text in (("latin", MINIMAL), ("lua", greek)):
        path = write_content(text + style, name=f"{name}.toml")
        [result] = build(Options(content=path, out=tmp_path / name, cache=False))
        assert result.error is None, result.error.format()
        assert result.engine == ("lualatex" if name == "lua" else "pdflatex")
        page = PdfReader(result.pdf).pages[0]
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        assert any("Heros" in f for f in fonts(result.pdf))
    assert "Αθηνά Ада Lovelace" in text_of(tmp_path / "lua" / "full.pdf")


# ---------------------------------------------------------------- the user's own templates/


def test_a_template_in_templates_beside_the_content_file_overrides_the_theme(tmp_path):
    """templates/ -> modern -> classic: the override shows, modern's header font too, ATS check on."""
    shutil.copy(CONTENT, tmp_path / "content.toml")
    (tmp_path / "templates").mkdir()
    header = (THEMES_DIR / "classic" / "header.tex.j2").read_text(encoding="utf-8")
    (tmp_path / "templates" / "header.tex.j2").write_text(
        header.replace(r"\cvheader{<< name >>}", r"\cvheader{<< name >> OVERRIDE-MARKER}"), encoding="utf-8")
    done = run_cli("build", "--theme", "modern", "-v", "onepage", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "out" / "onepage.pdf"
    assert "OVERRIDE-MARKER" in text_of(pdf).splitlines()[0]
    assert "TeXGyreHeros-Bold" in fonts(pdf)


def test_a_theme_folder_of_ones_own_is_relative_to_the_content_file(write_content, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "summary.tex.j2").write_text("MINE << section.text >>\\par\n", encoding="utf-8")
    path = write_content(MINIMAL.replace('email =', 'summary = "Hello."\nemail =') + '\n[style]\ntheme = "./mine"\n')
    rendered = render.render(variants.select(content.load(path), "full"), project=tmp_path)
    assert "MINE Hello." in rendered.tex  # its own file; everything else from classic
    assert {p.parent.name for p in rendered.support} == {"classic"}


def test_a_template_edit_changes_the_cache_key_even_when_the_tex_does_not(write_content, tmp_path):
    path = write_content(MINIMAL)
    (tmp_path / "templates").mkdir()
    override = tmp_path / "templates" / "work.tex.j2"
    shutil.copy(THEMES_DIR / "classic" / "work.tex.j2", override)
    selection = variants.select(content.load(path), "full")
    before = render.render(selection, project=tmp_path)
    key = cache.key(before, "pdflatex", 0)
    override.write_text(override.read_text(encoding="utf-8") + "((# a comment: same .tex #))\n", encoding="utf-8")
    after = render.render(selection, project=tmp_path)
    assert after.tex == before.tex and override in after.templates
    assert cache.key(after, "pdflatex", 0) != key


# ---------------------------------------------------------------- files and folders that lead elsewhere

SECRET = "SECRET-OUTSIDE-THE-PROJECT"


@pytest.fixture
def project(tmp_path):
    """A content file in project/ (with a summary: summary.tex.j2 renders), and a secret file beside
    the project that no template or theme may bring into a build."""
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / "content.toml").write_text(MINIMAL.replace("email =", 'summary = "Hello."\nemail ='), encoding="utf-8")
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    return folder


def _refused(done, *names: str):
    assert done.returncode == EXIT_INPUT and "Traceback" not in done.stderr, done.stderr
    assert all(name in done.stderr for name in names), done.stderr
    assert SECRET not in done.stdout + done.stderr


def _published(project: Path) -> str:
    out = project / "out"
    return "".join(p.read_text(errors="replace") for p in out.glob("*.log")) if out.exists() else ""


@pytest.mark.parametrize("name", ["summary.tex.j2", "cvtheme.sty"])
def test_a_file_in_templates_that_links_out_of_it_is_refused(project, name):
    (project / "templates").mkdir()
    (project / "templates" / name).symlink_to(project.parent / "secret.txt")
    _refused(run_cli("build", cwd=project), f"templates/{name}: a link to {project.parent / 'secret.txt'}", "outside")
    assert SECRET not in _published(project) and not list((project / "out").glob("*.pdf"))


def test_a_link_to_a_system_file_in_a_theme_named_on_the_command_line_is_refused(project, tmp_path):
    theme = tmp_path / "elsewhere"
    theme.mkdir()
    (theme / "header.tex.j2").symlink_to("/etc/hostname")
    _refused(run_cli("build", "--theme", str(theme), cwd=project), f"{theme}/header.tex.j2: a link to /etc/hostname")


def test_an_included_file_that_links_out_is_refused_by_the_loader_itself(project):
    """Not a .j2 file (the search path lists those), yet a template includes it: the loader checks too."""
    (project / "templates").mkdir()
    (project / "templates" / "summary.tex.j2").write_text("((* include 'notes.txt' *))\n", encoding="utf-8")
    (project / "templates" / "notes.txt").symlink_to(project.parent / "secret.txt")
    _refused(run_cli("build", cwd=project), "templates/notes.txt: a link to")


def test_a_templates_folder_that_links_out_of_the_project_is_refused(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "summary.tex.j2").write_text("\\input{/etc/hostname}\n", encoding="utf-8")
    (project / "templates").symlink_to(elsewhere)
    _refused(run_cli("build", cwd=project), "templates: a link to", "outside the project folder")


def test_a_link_inside_its_own_folder_is_followed(project):
    (project / "templates").mkdir()
    (project / "templates" / "mine.tex.j2").write_text("MINE << section.text >>\\par\n", encoding="utf-8")
    (project / "templates" / "summary.tex.j2").symlink_to("mine.tex.j2")
    rendered = render.render(variants.select(content.load(project / "content.toml"), "full"), project=project)
    assert "MINE Hello." in rendered.tex


@pytest.mark.parametrize(("where", "theme"), [("[style]", "/tmp"), ("[style]", "../elsewhere"),
                                               ("[variants.full.style]", "../elsewhere")])
def test_a_theme_folder_the_content_names_outside_the_project_is_refused(project, tmp_path, where, theme):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "header.tex.j2").write_text("\\input{/etc/hostname}\n", encoding="utf-8")
    path = project / "content.toml"
    path.write_text(path.read_text(encoding="utf-8") + f'\n{where}\ntheme = "{theme}"\n', encoding="utf-8")
    line = path.read_text(encoding="utf-8").splitlines().index(f'theme = "{theme}"') + 1
    key = "variants.full.style.theme" if "variants" in where else "style.theme"
    _refused(run_cli("build", cwd=project), f"content.toml:{line}:1: {key}: theme folder '{theme}'",
             f"outside the project folder {project}", "--theme")


def test_a_theme_folder_inside_the_project_that_links_out_of_it_is_refused(project, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (project / "mine").symlink_to(tmp_path / "elsewhere")
    path = project / "content.toml"
    path.write_text(path.read_text(encoding="utf-8") + '\n[style]\ntheme = "./mine"\n', encoding="utf-8")
    _refused(run_cli("build", cwd=project), "style.theme: theme folder './mine' (really", "outside the project folder")


def test_a_theme_folder_outside_the_project_is_used_when_named_on_the_command_line(project, tmp_path):
    theme = tmp_path / "elsewhere"
    theme.mkdir()
    (theme / "summary.tex.j2").write_text("FROM-ELSEWHERE << section.text >>\\par\n", encoding="utf-8")
    done = run_cli("build", "--theme", "../elsewhere", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "FROM-ELSEWHERE Hello." in text_of(project / "out" / "full.pdf")


# ---------------------------------------------------------------- previews in the README


def test_the_readme_shows_committed_previews_of_every_theme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"\(docs/(preview-[\w-]+\.png)\)", readme)
    assert {f"preview-classic-{v}.png" for v in SHIPPED_VARIANTS} <= set(shown)
    assert {t for t in model.THEMES if f"preview-{t}-onepage.png" in shown} == set(model.THEMES)
    for theme in model.THEMES:
        for variant in SHIPPED_VARIANTS:
            png = ROOT / "docs" / f"preview-{theme}-{variant}.png"
            assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{png.name}: run `make docs-previews`"


def test_make_theme_builds_into_a_folder_of_its_own():
    """`make pdf THEME=modern` must not replace out/onepage.pdf built in the content's own theme."""
    def dry(*args):
        done = subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return [line for line in done.stdout.splitlines() if "cvpress " in line][-1]

    assert "--out out/modern " in dry("pdf", "THEME=modern") + " " and "--theme modern" in dry("pdf", "THEME=modern")
    assert "--out out " in dry("pdf") + " " and "--theme" not in dry("pdf")
    assert "--out out/modern " in dry("verify", "THEME=modern") + " "
