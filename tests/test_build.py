"""Tests for cvpress.build: the orchestrator, end to end with real TeX.

The shipped content.toml is built once per session (the `built` fixture); the other tests build
small content files of their own below tmp_path.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, OVERFULL, SEED

from cvpress import outputs, verify
from cvpress.build import Options, _with_toml_line, build, source_date_epoch
from cvpress.errors import EXIT_BUILD, BuildError, UserError

VARIANTS = ("full", "onepage", "manager")
EMPLOYERS = ("Slack", "Runscope", "Pinterest", "PBworks", "Amazon.com", "Apple, Inc.")
DEGREES = (("M.S., Computer Science", "Stanford University"),
           ("B.B.A., Information Systems", "The George Washington University"))


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space: pypdf may break lines anywhere."""
    return " ".join(text.split())


def pdf_text(out: Path, variant: str) -> str:
    return verify.text(out / f"{variant}.pdf")


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    """Point tempfile at a folder of our own, so a test sees exactly the build folders it made."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


# ---------------------------------------------------------------- the shipped content


@pytest.mark.parametrize(("variant", "low", "high"), [("full", 1, 2), ("onepage", 1, 1), ("manager", 1, 2)])
def test_page_counts(built, variant, low, high):
    assert low <= verify.page_count(built / f"{variant}.pdf") <= high


def test_build_publishes_one_pdf_per_variant(built):
    assert sorted(p.name for p in built.glob("*.pdf")) == sorted(f"{v}.pdf" for v in VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_employer_is_named(built, variant):
    text = squash(pdf_text(built, variant))
    missing = [name for name in EMPLOYERS if name not in text]
    assert not missing, f"{variant}.pdf does not name {missing}"


def test_onepage_names_both_degrees(built):
    lines = [squash(line) for line in pdf_text(built, "onepage").splitlines()]
    for degree, school in DEGREES:
        assert any(degree in line and school in line for line in lines), (degree, school)


# The seed is text extracted from the original PDF; its damage is repaired here, not in the seed.
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
DATE_RANGE = re.compile(r"^(\d{4})\s*[-\u2010-\u2015]\s*(\d{4}|Present)$")
TITLE_WITH_DATES = re.compile(r"^(?P<title>.*?)\s*\((?P<dates>\d{4}\s*[-\u2010-\u2015]\s*(?:\d{4}|Present))\)$")
WRAPPED = 100  # seed lines this long are paragraph text; unless one ends a sentence, the next continues it


def _is_heading(line: str) -> bool:
    """Letter-spaced capitals such as "EX PE R IEN C E" are section headings."""
    return bool(re.fullmatch(r"[A-Z ]+", line)) and " " in line


def parse_seed() -> tuple[list[str], list[tuple[str, str]], list[str]]:
    """(sentences, labels, education): labels are ("label"|"date", text) in seed order."""
    text = SEED.read_text(encoding="utf-8")
    for ligature, letters in LIGATURES.items():
        text = text.replace(ligature, letters)
    body, labels, education, section, wrapped = [], [], [], None, False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or _is_heading(line):
            section = line.replace(" ", "") if line else section  # "EXPERIENCE", "EDUCATION"
            wrapped = False
            continue
        if len(line) >= WRAPPED or wrapped:  # a paragraph's line, or the last line of one
            body.append(line)
            wrapped = len(line) >= WRAPPED and not line.endswith((".", "!", "?"))
            continue
        if section == "EDUCATION":
            education.append(line)
        elif DATE_RANGE.match(line):
            labels.append(("date", line))
        elif match := TITLE_WITH_DATES.match(line):
            labels += [("label", match["title"]), ("date", match["dates"])]
        else:
            labels.append(("label", line))
    joined = squash(" ".join(body))
    sentences = re.split(r"(?<=[.!?])(?<!Dr\.)\s+(?=[A-Z])", joined)
    return sentences, labels, education


def test_seed_parser_sees_the_whole_seed():
    """Guard the parser itself: it must find the résumé's sentences, labels and degrees."""
    sentences, labels, education = parse_seed()
    assert len(sentences) >= 40
    assert ("label", "Head of Operations & IT") in labels and ("date", "2010-2011") in labels
    assert ("label", "Apple, Inc.") in labels and ("date", "2016-Present") in labels
    assert ("label", "PBworks") in labels and ("label", "Summer Intern, Mac OS Performance Engineering") in labels
    assert "I selected a number of infrastructure vendors and negotiated contracts when necessary." in sentences
    assert "At Pinterest, I worked to improve operational efficiency by making better use of technical resources." in sentences
    assert "I was a featured speaker in Dr. Vogels’s keynotes at Amazon Web Services re:Invent and the AWS Summit NYC." in sentences
    assert education == ["M.S., Computer Science", "Stanford University",
                         "B.B.A., Information Systems", "The George Washington University"]
    assert not any(len(text) >= WRAPPED for _, text in labels)


def test_full_variant_carries_every_sentence_of_the_seed(built):
    text = squash(pdf_text(built, "full"))
    sentences, _, _ = parse_seed()
    missing = [s for s in sentences if squash(s) not in text]
    assert not missing, "sentences of the seed missing from full.pdf:\n" + "\n".join(missing)


def _label_pattern(kind: str, label: str) -> re.Pattern:
    if kind == "date":
        start, end = DATE_RANGE.match(label).groups()
        return re.compile(rf"{start}\s*[-\u2010-\u2015]\s*{end}")
    words = r"\s+".join(re.escape(w) for w in label.split())
    return re.compile(rf"(?m)^{words}(?=\s|$)")  # employers and titles start a line


def test_full_variant_has_every_title_and_date_in_seed_order(built):
    """Employers, titles and date ranges appear in the seed's order, so each date sits with its role."""
    text = pdf_text(built, "full")
    position = text.index("Experience")
    _, labels, _ = parse_seed()
    for kind, label in labels:
        match = _label_pattern(kind, label).search(text, position)
        assert match, f"{kind} {label!r} not found after: {text[max(0, position - 80):position]!r}"
        position = match.end()


def test_full_variant_has_every_degree_with_its_school(built):
    lines = [squash(line) for line in pdf_text(built, "full").splitlines()]
    _, _, education = parse_seed()
    for degree, school in zip(education[::2], education[1::2]):
        assert any(degree in line and school in line for line in lines), (degree, school)


def test_date_ranges_extract_as_hyphen_ranges(built):
    """The en dash in a range is remapped to '-' in the text layer (applicant-tracking systems)."""
    text = pdf_text(built, "full")
    ranges = re.findall(r"\b(?:19|20)\d\d\s*(\S)\s*(?:(?:19|20)\d\d|Present)\b", text)
    assert len(ranges) >= 7 and set(ranges) == {"-"}, ranges


# ---------------------------------------------------------------- page budget, failures



def test_over_budget_variant_fails_and_keeps_the_previous_pdf(write_content, tmp_path, private_tmp):
    out = tmp_path / "out"
    out.mkdir()
    sentinel = b"%PDF-1.5 previous tight.pdf, must survive a failed build\n"
    outputs.put(out, "tight", "tight.pdf", sentinel)  # a previous build's
    results = {r.variant: r for r in build(Options(content=write_content(OVERFULL), out=out, cache=False))}

    tight = results["tight"]
    assert isinstance(tight.error, BuildError) and tight.pdf is None
    message = tight.error.format()
    assert "'tight'" in message and "budget of 1" in message
    pages = re.search(r"\b(\d+) pages\b", message)
    assert pages and int(pages[1]) > 1, message
    assert (out / "tight.pdf").read_bytes() == sentinel

    roomy = results["roomy"]  # one variant failing does not stop the others
    assert roomy.error is None and roomy.pdf == out / "roomy.pdf"
    assert verify.page_count(roomy.pdf) >= int(pages[1])
    assert sorted(p.name for p in out.glob("*.pdf")) == ["roomy.pdf", "tight.pdf"]
    assert not list(out.glob(".*"))  # no temporary files left
    assert list(private_tmp.iterdir()) == []  # build folders removed


def test_untypesettable_content_names_its_source_and_keeps_the_previous_pdf(write_content, tmp_path, private_tmp):
    """A character no font can set fails the variant (exit 1) and says where the content holds it."""
    text = MINIMAL.replace('"Wrote the first published program."',
                           '"Wrote the first published program.",\n  "Signed it 🦑 in ink."')
    path = write_content(text)
    out = tmp_path / "out"
    out.mkdir()
    outputs.put(out, "full", "full.pdf", b"old")  # a previous build's
    [result] = build(Options(content=path, out=out, cache=False))

    assert isinstance(result.error, BuildError) and result.error.exit_code == EXIT_BUILD
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "Signed it" in row)
    shown = result.error.format()
    assert "work[0].positions[0].highlights[1]" in shown and f"{path}:{line}:" in shown
    assert "U+1F991" in shown
    assert result.pdf is None and (out / "full.pdf").read_bytes() == b"old"
    assert list(private_tmp.iterdir()) == []


def test_a_successful_build_removes_the_previous_error_log(write_content, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    outputs.put(out, "full", "full.log", b"log of an earlier failure")
    [result] = build(Options(content=write_content(MINIMAL), out=out, cache=False))
    assert result.error is None
    assert (out / "full.pdf").exists() and not (out / "full.log").exists()


ONE_PAGE = MINIMAL + """
[variants.one]
max_pages = 1
"""


def test_the_fit_report_is_published_with_its_pdf_or_not_at_all(write_content, tmp_path):
    """A build that fits a variant and then fails a check leaves both the old PDF and its old report."""
    content, out = write_content(ONE_PAGE), tmp_path / "out"
    [first] = build(Options(content=content, out=out, cache=False))
    assert first.error is None and first.fit is not None
    pdf, report = out / "one.pdf", out / "one.fit.json"
    before = {path: (path.read_bytes(), path.stat().st_ino) for path in (pdf, report)}
    (tmp_path / "templates").mkdir()  # a template that loses the highlights: the ATS check refuses the PDF
    (tmp_path / "templates" / "highlights.tex.j2").write_text(
        "\\begin{cvhighlights}\n((* for item in items *))\\item ((* endfor *))\n\\end{cvhighlights}\n")
    [failed] = build(Options(content=content, out=out, cache=False))
    assert isinstance(failed.error, BuildError) and "ATS" in failed.error.format()
    assert {path: (path.read_bytes(), path.stat().st_ino) for path in (pdf, report)} == before


def test_a_pdf_built_without_fitting_leaves_no_old_fit_report(write_content, tmp_path):
    content, out = write_content(ONE_PAGE), tmp_path / "out"
    build(Options(content=content, out=out, cache=False))
    assert (out / "one.fit.json").exists()
    [result] = build(Options(content=content, out=out, cache=False, fit=False))
    assert result.error is None and result.fit is None
    assert (out / "one.pdf").exists() and not (out / "one.fit.json").exists()


def test_content_without_variants_builds_full(write_content, tmp_path):
    [result] = build(Options(content=write_content(MINIMAL), out=tmp_path / "new" / "out", cache=False))
    assert (result.variant, result.error, result.pages) == ("full", None, 1)
    assert "Wrote the first published program." in verify.text(result.pdf)


def test_only_the_chosen_variants_are_built_in_the_order_asked(tmp_path):
    results = build(Options(content=CONTENT, out=tmp_path, variants=["manager", "onepage"], cache=False))
    assert [r.variant for r in results] == ["manager", "onepage"]
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["manager.pdf", "onepage.pdf"]


def test_invalid_content_raises_before_anything_is_written(write_content, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(UserError):
        build(Options(content=write_content(MINIMAL.replace("position =", "postion =")), out=out, cache=False))
    assert not out.exists()


def test_builds_are_reproducible_with_source_date_epoch(write_content, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = write_content(MINIMAL)
    [first] = build(Options(content=path, out=tmp_path / "a", cache=False))
    [second] = build(Options(content=path, out=tmp_path / "b", cache=False))
    assert first.pdf.read_bytes() == second.pdf.read_bytes()
    assert verify.metadata(first.pdf)["CreationDate"].startswith("D:20231114221320")


def test_source_date_epoch(monkeypatch, tmp_path):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " 42 ")
    assert source_date_epoch(tmp_path / "content.toml") == (42, True)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UserError, match="SOURCE_DATE_EPOCH"):
        source_date_epoch(tmp_path / "content.toml")
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert source_date_epoch(tmp_path / "content.toml") == (0, False)  # not in a git repository, and no file


def test_outside_git_pdf_dates_come_from_the_content_files_modification_time(write_content, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    path = write_content(MINIMAL)  # tmp_path: not in a git repository
    os.utime(path, (1700000000, 1700000000))
    assert source_date_epoch(path) == (1700000000, False)  # a guess: no input of the compile cache
    [result] = build(Options(content=path, out=tmp_path / "out", cache=False))
    assert verify.metadata(result.pdf)["CreationDate"].startswith("D:20231114221320")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "42")  # still wins
    assert source_date_epoch(path) == (42, True)


def test_unwritable_output_folder_is_a_user_error(write_content, tmp_path):
    if os.geteuid() == 0:
        blocker = tmp_path / "file"
        blocker.write_text("a file where the output folder should go")
        out = blocker / "out"
    else:
        out = tmp_path / "ro"
        out.mkdir(mode=0o500)
    with pytest.raises(UserError, match="output folder"):
        build(Options(content=write_content(MINIMAL), out=out, cache=False))


def test_a_folder_in_the_way_of_a_pdf_is_refused_and_with_force_fails_that_variant_with_its_path(write_content, tmp_path):
    out, content = tmp_path / "out", write_content(MINIMAL)
    (out / "full.pdf").mkdir(parents=True)
    with pytest.raises(UserError, match="full.pdf: in the way"):
        build(Options(content=content, out=out, cache=False))
    assert [p.name for p in out.iterdir()] == ["full.pdf"]
    [result] = build(Options(content=content, out=out, cache=False, force=True))
    assert isinstance(result.error, BuildError) and result.pdf is None
    assert str(result.error) == f"{out / 'full.pdf'}: Is a directory"
    assert (out / "full.pdf").is_dir()


def test_with_toml_line_adds_file_line_and_column(write_content):
    path = write_content(MINIMAL)
    line = MINIMAL.splitlines().index('highlights = ["Wrote the first published program."]') + 1
    assert _with_toml_line(path, "work[0].positions[0].highlights[0]") == \
        f"work[0].positions[0].highlights[0] ({path}:{line}:15)"
    assert _with_toml_line(path, "work[7]") == "work[7]"


def test_each_result_is_told_the_moment_its_variant_is_done(write_content, tmp_path):
    """Options.done gets every variant's Result once, located, before build() returns them all."""
    long = "".join(f'\n[[projects]]\nname = "Project {i}"\ndescription = "{"word " * 80}"\n' for i in range(40))
    path = write_content(MINIMAL + long + "\n[variants.full]\n\n[variants.strict]\nmax_pages = 1\nfit = false\n")
    told = []
    results = build(Options(content=path, out=tmp_path / "out", cache=False, done=told.append))
    assert sorted(id(r) for r in told) == sorted(id(r) for r in results)
    assert all(r.stages.get("load") is not None for r in told)  # completed before being told
    assert any(r.error for r in told) and any(r.error is None for r in told)


def test_a_notice_comes_before_the_first_lualatex_font_cache(monkeypatch, tmp_path):
    from cvpress import build as stage
    from cvpress.content import load
    from cvpress.render import render
    from cvpress.variants import select

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))  # no font cache yet
    cyrillic = load(_write(tmp_path, MINIMAL.replace("Ada Lovelace", "Ада Лавлейс")))
    pdflatex = load(_write(tmp_path, MINIMAL))
    notices = []
    options = Options(notice=notices.append)
    stage._first_use_notice(options, [render(select(pdflatex, "full"))])
    assert notices == []  # pdfLaTeX: no font cache to build
    stage._first_use_notice(options, [render(select(cyrillic, "full"))])
    assert len(notices) == 1 and "font cache" in notices[0] and " s" in notices[0]


def _write(folder: Path, text: str) -> Path:
    path = folder / f"content-{abs(hash(text))}.toml"
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- languages


BILINGUAL = CONTENT.parent / "bilingual.toml"


def test_the_bilingual_example_builds_four_pdfs_in_two_languages(tmp_path):
    """README's example: one file, full and onepage in English and French, titles, dates and /Lang
    following each variant's language."""
    from pypdf import PdfReader

    source = tmp_path / "content.toml"
    source.write_text(BILINGUAL.read_text(encoding="utf-8"), encoding="utf-8")
    results = build(Options(content=source, out=tmp_path / "out", cache=False))
    assert [r.variant for r in results] == ["full", "onepage", "full-fr", "onepage-fr"]
    for variant, lang, titles, dates in [
        ("full", "en", ("Summary", "Experience", "Education", "Skills", "Languages", "Talks", "Moving a monolith"),
         ("Feb 2021-Present", "Oct 2022")),
        ("onepage", "en", ("Summary", "Experience"), ("Sep 2017-Jan 2021",)),
        ("full-fr", "fr", ("Profil", "Expérience", "Formation", "Compétences", "Langues", "Conférences",
                           "Passer un monolithe"), ("févr. 2021-aujourd’hui", "oct. 2022")),
        ("onepage-fr", "fr", ("Profil", "Expérience", "Mention : Bien", "Responsable d'ingénierie"), ("sept. 2017-janv. 2021",)),
    ]:
        pdf = tmp_path / "out" / f"{variant}.pdf"
        assert PdfReader(pdf).trailer["/Root"]["/Lang"] == lang
        text = pdf_text(tmp_path / "out", variant)
        for expected in (*titles, *dates):
            assert expected in text, (variant, expected)
    assert verify.page_count(tmp_path / "out" / "onepage-fr.pdf") == 1
