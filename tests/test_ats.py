"""Tests for cvpress.ats: the PDF's text, as pypdf and pdftotext extract it, holds the content as written.

The shipped variants come from the session `built` fixture (built with the check on); broken cases
feed the checker a selection that differs from the PDF (no compile), or compile one small résumé
whose content itself is wrong (a ligature code point).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, run_cli

from cvpress import ats, content, variants
from cvpress.errors import EXIT_BUILD, EXIT_OK
from cvpress.locate import format_path

VARIANTS = ["full", "onepage", "manager"]


@pytest.fixture(scope="module")
def resume():
    return content.load(CONTENT)


@pytest.fixture(scope="module")
def extracted(built):
    """Both extractors: a build checks pdftotext's text only; pypdf's must pass the same check."""
    return {name: ats.extract(built / f"{name}.pdf", ats.ALL_EXTRACTORS) for name in VARIANTS}


def _selection(text: str, name: str = "full"):
    """A selection from content text (written to no file: content.load needs a path, so use one)."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "content.toml"
        path.write_text(text, encoding="utf-8")
        return variants.select(content.load(path), name)


# ---------------------------------------------------------------- the shipped variants pass


@pytest.mark.parametrize("name", VARIANTS)
def test_shipped_variant_passes_with_both_extractors(built, resume, extracted, name):
    selection = variants.select(resume, name)
    found = extracted[name]
    assert set(found.texts) == {"pypdf", "pdftotext"}
    assert all(len(text) > 500 for text in found.texts.values())
    skip = ats.fitted_out(built / f"{name}.fit.json")
    assert ats.problems(selection, found, skip) == []


@pytest.mark.parametrize("name", VARIANTS)
def test_expected_holds_every_highlight_title_employer_degree_and_date(resume, name):
    selection = variants.select(resume, name)
    wanted = ats.expected(selection)
    whats = {w.what for w in wanted}
    assert all(f"highlight {format_path(item.path)}" in whats for item in selection.highlights())
    texts = [w.text for w in wanted]
    for employer in selection.work:
        assert employer.work.name in texts
        assert all(role.position.position in texts for role in employer.roles)
    assert "M.S., Computer Science" in texts and "B.B.A., Information Systems" in texts
    dates = [w.text for w in wanted if w.date]
    assert "2016-Present" in dates and "2013-2016" in dates
    if name == "full":  # PBworks: the employer's whole span, then each role's
        assert {"2009-2011", "2010-2011", "2009-2010"} <= set(dates)
    assert len([w for w in wanted if w.what.startswith("highlight")]) == len(selection.highlights())


def test_expected_links_are_the_contacts(resume):
    links = ats.expected_links(variants.select(resume, "full"))
    assert links == ["mailto:you@example.com", "https://example.com", "https://www.linkedin.com/in/your-name"]


def test_a_build_reads_the_text_with_pdftotext_and_pages_and_links_with_pypdf(built):
    found = ats.extract(built / "onepage.pdf")
    assert set(found.texts) == set(ats.EXTRACTORS) == {"pdftotext"}
    assert found.pages == 1 and "mailto:you@example.com" in found.links


def test_one_pypdf_read_and_one_pdftotext_run(built, monkeypatch):
    import subprocess

    import pypdf

    runs, reads = [], []
    real_reader = pypdf.PdfReader

    class Counted(subprocess.Popen):
        def __init__(self, args, *rest, **kwargs):
            runs.append(args[0])
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    monkeypatch.setattr(pypdf, "PdfReader", lambda *a, **k: reads.append(a) or real_reader(*a, **k))
    ats.extract(built / "onepage.pdf", ats.ALL_EXTRACTORS)
    assert len(reads) == 1 and len(runs) == 1 and runs[0].endswith("pdftotext")


# ---------------------------------------------------------------- a PDF from different content fails


def test_pdf_of_other_content_fails_naming_what_did_not_extract(built, resume, extracted):
    text = CONTENT.read_text(encoding="utf-8")
    changed = (text.replace("Since we first launched in 2013", "Since we first shipped in 2013")
                   .replace('name = "Pinterest"', 'name = "Pinterest, Inc."')
                   .replace('position = "Technical Operations Lead"', 'position = "Operations Manager"')
                   .replace('email = "you@example.com"', 'email = "me@example.com"'))
    selection = _selection(changed, "onepage")
    found = ats.problems(selection, extracted["onepage"], ats.fitted_out(built / "onepage.fit.json"))
    messages = [p.format() for p in found]
    for extractor in ("pypdf", "pdftotext"):
        assert any(m.startswith(f"{extractor}: highlight work[1].positions[0].highlights[6] does not extract")
                   for m in messages), messages
        assert any(m.startswith(f"{extractor}: employer work[2] ") and "Pinterest, Inc." in m for m in messages)
        assert any(f"{extractor}: position title work[2].positions[0]" in m for m in messages)
        assert f"{extractor}: contact basics.email does not extract as written: 'me@example.com'" in messages
    assert "links: no link annotation with the exact target 'mailto:me@example.com'" in messages
    assert len(found) == 9  # and nothing else: the rest of the PDF still matches

    error = ats.failure("onepage", found)
    assert error.exit_code == EXIT_BUILD
    assert "variant 'onepage' failed the ATS text check" in error.format()


def test_pdf_of_another_variant_fails(resume, extracted):
    """The full variant's content checked against the one-page PDF: its extra highlights are missing."""
    found = ats.problems(variants.select(resume, "full"), extracted["onepage"])
    assert any("work[3].positions[1].highlights[0] does not extract" in p.message for p in found)


def test_cli_verify_passes_built_pdfs_and_fails_a_swapped_one(built, tmp_path):
    done = run_cli("verify", "--out", str(built))
    assert done.returncode == EXIT_OK, done.stderr
    assert [line.split()[1] for line in done.stdout.splitlines()] == VARIANTS

    out = tmp_path / "out"
    out.mkdir()
    shutil.copyfile(built / "onepage.pdf", out / "full.pdf")  # the full variant's name, other content
    done = run_cli("verify", "--out", str(out), "--variant", "full")
    assert done.returncode == EXIT_BUILD
    assert "failed  full: variant 'full' failed the ATS text check" in done.stderr
    assert "does not extract as written" in done.stderr

    done = run_cli("verify", "--out", str(out), "--variant", "manager")
    assert done.returncode == EXIT_BUILD and "manager.pdf: not found" in done.stderr


# ---------------------------------------------------------------- what the checker looks for in text

DATED = MINIMAL.replace('highlights = ["Wrote the first published program."]',
                        'highlights = ["Wrote the first published program for infrastructure work.", "Published notes."]')
assert DATED != MINIMAL
GOOD = """Ada Lovelace
ada@example.com
Experience
Analytical Engines 1842 - 1843
Programmer
• Wrote the first published program for
infrastructure work.
• Published notes.
"""


def _text_problems(text: str) -> list[str]:
    return ats.text_problems(ats.expected(_selection(DATED)), text)


def test_text_that_holds_everything_passes_whatever_the_spacing():
    assert _text_problems(GOOD) == []
    assert _text_problems(GOOD.replace(" ", "").replace("first", "fi rst")) == []


def test_ligature_code_points_are_reported():
    [problem, *_] = _text_problems(GOOD.replace("first", "\ufb01rst"))
    assert "U+FB01" in problem


def test_cid_artifacts_and_replacement_characters_are_reported():
    found = _text_problems(GOOD.replace("Published notes", "Published (cid:12) notes\ufffd"))
    assert any("(cid:12)" in p for p in found) and any("U+FFFD" in p for p in found)


def test_a_word_split_by_hyphenation_is_reported():
    found = _text_problems(GOOD.replace("infrastructure", "infra-\nstructure"))
    assert "the word 'infrastructure' is split by hyphenation: 'infra-\\nstructure'" in found
    assert any("highlights[0] does not extract" in p for p in found)


def test_a_compound_broken_at_its_own_hyphen_is_not_a_hyphenation_split():
    text = GOOD.replace("infrastructure work", "infrastructure-\nrelated work")
    assert not any("split by hyphenation" in p for p in _text_problems(text))


def test_a_date_range_with_an_en_dash_is_reported():
    [problem] = _text_problems(GOOD.replace("1842 - 1843", "1842 \u2013 1843"))
    assert problem == ("date range of work[0].positions[0] extracts with an en dash (U+2013), "
                       "not a plain '-': '1842-1843'")


def test_a_date_outside_its_entry_is_missing():
    moved = "1842 - 1843\n" + GOOD.replace(" 1842 - 1843", "")
    assert _text_problems(moved) == ["date range of work[0].positions[0] does not extract as written: '1842-1843'"]


def test_text_out_of_reading_order_is_reported():
    lines = GOOD.splitlines()
    swapped = "\n".join(lines[:5] + [lines[7], lines[5], lines[6]])
    [problem] = _text_problems(swapped)
    assert problem == ("highlight work[0].positions[0].highlights[1] is out of reading order: it comes before "
                       "highlight work[0].positions[0].highlights[0] ('Published notes.')")



TWO_SECTIONS = DATED + """
[[education]]
institution = "University of London"
area = "Mathematics"
startDate = "1840"
endDate = "1841"
"""
BOTH = GOOD + "Education\nUniversity of London 1840 - 1841\nMathematics\n"


def _two_section_problems(text: str) -> list[str]:
    return ats.text_problems(ats.expected(_selection(TWO_SECTIONS)), text)


def test_each_date_is_looked_for_within_its_own_entry_and_section():
    assert _two_section_problems(BOTH) == []
    # pdftotext may read a flush-right date before its entry's heading: still within the entry
    assert _two_section_problems(BOTH.replace("University of London 1840 - 1841", "1840 - 1841 University of London")) == []
    # the work dates moved into the education section, the education dates into the work section
    swapped = BOTH.replace(" 1842 - 1843", " 18XX").replace(" 1840 - 1841", " 1842 - 1843").replace(" 18XX", " 1840 - 1841")
    assert _two_section_problems(swapped) == [
        "date range of work[0].positions[0] does not extract as written: '1842-1843'",
        "date range of education[0] does not extract as written: '1840-1841'"]


def test_a_text_missing_everywhere_is_named_and_the_rest_still_checked():
    found = _two_section_problems(BOTH.replace("Mathematics", "Maths"))
    assert found[0].startswith("degree education[0] does not extract as written: 'Mathematics'") and len(found) == 1
    found = _two_section_problems(BOTH.replace("Ada Lovelace", "Ada"))
    assert found[0].startswith("name (basics.name) does not extract as written: 'Ada Lovelace'") and len(found) == 1

# ---------------------------------------------------------------- a real build whose text is wrong


@pytest.mark.tex
def test_a_ligature_code_point_in_the_content_is_refused_before_building(write_content, tmp_path):
    # Caught at validation, with its place, before it could reach a PDF's text layer
    path = write_content(MINIMAL.replace("Wrote the first", "Wrote the \ufb01rst"))
    done = run_cli("check", "--content", str(path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "work[0].positions[0].highlights[0]" in done.stderr and "U+FB01" in done.stderr
    assert "type the letters 'fi'" in done.stderr and "content.toml:" in done.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.tex
def test_a_template_that_leaves_a_field_out_fails_the_check_naming_it(tmp_path):
    """The check compares the PDF with the outline, not with what the templates chose to print:
    a templates/role.tex.j2 that drops the notes leaves work.description out, and the build says so."""
    from cvpress.build import Options, build

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "role.tex.j2").write_text(
        '((* with items = role.highlights *))((* include "highlights.tex.j2" *))((* endwith *))\n', encoding="utf-8")
    path = tmp_path / "content.toml"
    path.write_text(MINIMAL.replace('name = "Analytical Engines"',
                                    'name = "Analytical Engines"\ndescription = "Builds the difference engine."'),
                    encoding="utf-8")
    [result] = build(Options(content=path, out=tmp_path / "out", cache=False))
    assert isinstance(result.error, ats.AtsError), result.error
    shown = result.error.format()
    for extractor in ats.EXTRACTORS:
        assert (f"{extractor}: note work[0].description does not extract as written: "
                "'Builds the difference engine.'") in shown, shown


# ---------------------------------------------------------------- the comparison, on text made by hand (no TeX)


def _as_written(selection) -> ats.Extracted:
    """What a perfect extractor would give: every expected piece in order, every link."""
    text = "\n".join(e.text for e in ats.expected(selection))
    return ats.Extracted(1, {"pypdf": text, "pdftotext": text}, ats.expected_links(selection))


def test_text_that_reads_as_written_passes_the_check():
    selection = _selection(MINIMAL)
    ats.check(selection, _as_written(selection))
    assert ats.problems(selection, _as_written(selection)) == []


def test_each_extractor_and_each_missing_link_is_its_own_problem():
    selection = _selection(MINIMAL.replace('email = "ada@example.com"', 'email = "ada@example.com"\nurl = "https://ada.example"'))
    good = _as_written(selection)
    assert "https://ada.example" in good.links and good.links
    lost = "Wrote the first published program."
    broken = ats.Extracted(1, {"pypdf": good.texts["pypdf"], "pdftotext": good.texts["pdftotext"].replace(lost, "")}, [])
    found = ats.problems(selection, broken)
    assert [p.path for p in found if "does not extract" in p.message] == ["pdftotext"]
    assert {p.message for p in found if p.path == "links"} == {
        f"no link annotation with the exact target {t!r}" for t in good.links}
    with pytest.raises(ats.AtsError) as caught:
        ats.check(selection, broken)
    message = caught.value.format()
    assert message.startswith("variant 'full' failed the ATS text check")
    assert "pdftotext" in message and "--no-ats" in message


def test_a_long_list_of_problems_is_cut_with_a_count():
    found = [ats.Problem(f"problem {i}") for i in range(ats.MAX_SHOWN + 3)]
    error = ats.failure("onepage", found)
    shown = error.format().splitlines()
    assert len(shown) == 1 + ats.MAX_SHOWN + 1
    assert shown[-1].strip() == "... and 3 more" and "problem 0" in shown[1]
    assert len(ats.failure("onepage", found[:ats.MAX_SHOWN]).format().splitlines()) == 1 + ats.MAX_SHOWN
