"""Tests for cvpress.ats: the PDF's text, as pypdf and pdftotext extract it, holds the content as written.

The shipped variants come from the session `built` fixture (built with the check on); broken cases
feed the checker a selection that differs from the PDF (no compile), or compile one small résumé
whose content itself is wrong (a ligature code point).
"""

from __future__ import annotations

import re
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


# ---------------------------------------------------------------- reading a PDF written by hand (no TeX)


def _pdf(path: Path, pages: list[list[str]], links: list[str] = ()) -> Path:
    """A PDF of these lines of Helvetica text, one list per page, the links on the first page:
    written here, byte by byte, so that reading can be tested without TeX."""
    def string(text: str) -> bytes:
        return b"(" + text.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"

    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"]
    annots = []
    for url in links:
        objects.append(b"<< /Type /Annot /Subtype /Link /Rect [50 50 100 60] /Border [0 0 0] /A << /S /URI /URI "
                       + string(url) + b" >> >>")
        annots.append(f"{len(objects)} 0 R".encode())
    kids = []
    for number, lines in enumerate(pages):
        stream = b"BT /F1 10 Tf 14 TL 50 750 Td " + b" T* ".join(string(line) + b" Tj" for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                b"/Contents %d 0 R" % len(objects))
        objects.append(page + (b" /Annots [" + b" ".join(annots) + b"]" if annots and not number else b"") + b" >>")
        kids.append(f"{len(objects)} 0 R".encode())
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % len(kids)
    body, offsets = b"%PDF-1.4\n", []
    for number, obj in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(body)
    return path


def _lines(selection) -> list[str]:
    return [e.text for e in ats.expected(selection)]


def test_both_extractors_read_a_pdf_written_by_hand(tmp_path):
    selection = _selection(MINIMAL)
    pdf = _pdf(tmp_path / "full.pdf", [_lines(selection), ["(page two)"]], ats.expected_links(selection))
    found = ats.extract(pdf, ats.ALL_EXTRACTORS)
    assert found.pages == 2 and found.links == ["mailto:ada@example.com"]
    assert set(found.texts) == {"pypdf", "pdftotext"}
    for text in found.texts.values():
        assert "Wrote the first published program." in text and "(page two)" in text
    assert ats.problems(selection, found) == []
    only = ats.extract(pdf)
    assert set(only.texts) == {"pdftotext"} and only.links == found.links and only.pages == 2
    assert only.texts["pdftotext"] == found.texts["pdftotext"]


def test_a_pdf_that_is_not_one_is_a_build_error(tmp_path):
    junk = tmp_path / "full.pdf"
    junk.write_bytes(b"%PDF-1.4\nnot a PDF at all\n")
    with pytest.raises(ats.BuildError, match=r"full\.pdf: pdftotext failed: \S"):
        ats._pdftotext(junk, 1, 1)


def test_without_pdftotext_the_message_says_how_to_get_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ats.BuildError) as caught:
        ats._pdftotext(_pdf(tmp_path / "full.pdf", [["x"]]), 1, 1)
    assert str(caught.value) == ("pdftotext not found: the ATS check needs poppler-utils (`make setup` installs it "
                                 "on Debian/Ubuntu; elsewhere install poppler), or build with --no-ats")


def _built_by_hand(tmp_path, text: str, lines=None, links=None) -> Path:
    """A project whose out/full.pdf holds the given lines (default: the content, as written)."""
    path = tmp_path / "content.toml"
    path.write_text(text, encoding="utf-8")
    selection = variants.select(content.load(path), "full")
    (tmp_path / "out").mkdir()
    _pdf(tmp_path / "out" / "full.pdf", [_lines(selection) if lines is None else lines],
         ats.expected_links(selection) if links is None else links)
    return path


def test_check_built_passes_a_pdf_that_reads_as_written_and_names_what_is_missing(tmp_path):
    path = _built_by_hand(tmp_path, MINIMAL)
    [ok] = ats.check_built(path, tmp_path / "out", [])
    assert (ok.variant, ok.pdf, ok.pages, ok.error) == ("full", tmp_path / "out" / "full.pdf", 1, None)
    [again] = ats.check_built(path, tmp_path / "out", ["full"])
    assert again.error is None
    (tmp_path / "out" / "full.pdf").unlink()
    _pdf(tmp_path / "out" / "full.pdf", [["Ada Lovelace"]], [])
    [bad] = ats.check_built(path, tmp_path / "out", ["full"])
    assert isinstance(bad.error, ats.AtsError) and bad.pages == 1
    assert "pdftotext: highlight work[0].positions[0].highlights[0] does not extract" in bad.error.format()


def test_check_built_names_a_missing_pdf_and_a_budget_overrun(tmp_path):
    text = MINIMAL + '\n[variants.full]\ndescription = "All"\n[variants.short]\ndescription = "One page"\nmax_pages = 1\n'
    path = _built_by_hand(tmp_path, text)
    [missing] = ats.check_built(path, tmp_path / "out", ["short"])
    assert str(missing.error) == (f"{tmp_path / 'out' / 'short.pdf'}: not found; build it first "
                                  f"(cvpress build --out {tmp_path / 'out'})")
    selection = variants.select(content.load(path), "short")
    _pdf(tmp_path / "out" / "short.pdf", [_lines(selection), ["more"]], ats.expected_links(selection))
    [over] = ats.check_built(path, tmp_path / "out", ["short"])
    assert over.pages == 2 and str(over.error).startswith("variant 'short' is 2 pages, over its budget of 1")


def test_check_built_skips_what_fitting_dropped(tmp_path):
    path = _built_by_hand(tmp_path, MINIMAL.replace('"Wrote the first published program."',
                                                    '"Wrote the first published program.", "Translated Menabrea."'))
    selection = variants.select(content.load(path), "full")
    kept = [line for line in _lines(selection) if line != "Translated Menabrea."]
    (tmp_path / "out" / "full.pdf").unlink()
    _pdf(tmp_path / "out" / "full.pdf", [kept], ats.expected_links(selection))
    [failed] = ats.check_built(path, tmp_path / "out", ["full"])
    assert "highlights[1] does not extract" in failed.error.format()
    (tmp_path / "out" / "full.fit.json").write_text(
        '{"dropped": [{"path": "work[0].positions[0].highlights[1]"}]}', encoding="utf-8")
    [ok] = ats.check_built(path, tmp_path / "out", ["full"])
    assert ok.error is None


@pytest.mark.parametrize("report", ["", "[]", '{"dropped": [{"no path": 1}]}', '{"dropped": 3}', "not json"])
def test_an_unreadable_fit_report_drops_nothing(tmp_path, report):
    (tmp_path / "r.json").write_text(report, encoding="utf-8")
    assert ats.fitted_out(tmp_path / "r.json") == frozenset()
    assert ats.fitted_out(tmp_path / "absent.json") == frozenset()


def test_a_fit_report_names_what_was_dropped(tmp_path):
    (tmp_path / "r.json").write_text('{"dropped": [{"path": "a"}, {"path": "b"}]}', encoding="utf-8")
    assert ats.fitted_out(tmp_path / "r.json") == frozenset({"a", "b"})


# ---------------------------------------------------------------- what the PDF must hold, every kind of line (no TeX)

RICH = """[basics]
name = "Ada Lovelace"
label = "Analyst, *poet* of [science](https://science.example)"
email = "ada@example.com"
url = "https://ada.example"
summary = "Writes programs for [engines](https://engines.example) not yet built."

[[work]]
name = "Analytical Engines"
url = "https://engines.example/work"
location = "London"
description = "Builds the difference engine."

[[work.positions]]
position = "Programmer"
startDate = "1842"
highlights = ["Wrote the first published program.", "Saw **beyond** numbers.", "Kept [notes](https://notes.example)."]

[[education]]
institution = "Home tutoring"
studyType = "Private"
area = "Mathematics"
startDate = "1830"
endDate = "1835"

[[skills]]
name = "Mathematics"
keywords = ["Bernoulli numbers", "Calculus"]

[[projects]]
name = "Notes on Menabrea"
description = "Translated and *annotated* the memoir."
startDate = "1843"

[[awards]]
title = "Honorary mention"
date = "1844"
awarder = "Royal Society"
"""


def test_expected_walks_every_section_of_the_outline_in_order():
    """Every kind of line the outline has, with where it sits (section, heading, flush right)."""
    wanted = [(e.what, e.text, e.date, e.section, e.heading) for e in ats.expected(_selection(RICH))]
    assert wanted == [
        ("name (basics.name)", "Ada Lovelace", False, 0, False),
        ("label (basics.label)", "Analyst, poet of science", False, 0, False),
        ("contact basics.email", "ada@example.com", False, 0, False),
        ("contact basics.url", "ada.example", False, 0, False),
        ("section heading 'Summary'", "Summary", False, 1, False),
        ("summary (basics.summary)", "Writes programs for engines not yet built.", False, 1, False),
        ("section heading 'Experience'", "Experience", False, 2, False),
        ("employer work[0]", "Analytical Engines", False, 2, True),
        ("position title work[0].positions[0]", "Programmer", False, 2, False),
        ("date of work[0].positions[0]", "1842", True, 2, False),
        ("location of work[0]", "London", True, 2, False),
        ("note work[0].description", "Builds the difference engine.", False, 2, False),
        ("highlight work[0].positions[0].highlights[0]", "Wrote the first published program.", False, 2, False),
        ("highlight work[0].positions[0].highlights[1]", "Saw beyond numbers.", False, 2, False),
        ("highlight work[0].positions[0].highlights[2]", "Kept notes.", False, 2, False),
        ("section heading 'Education'", "Education", False, 3, False),
        ("institution education[0]", "Home tutoring", False, 3, True),
        ("degree education[0]", "Private, Mathematics", False, 3, False),
        ("date range of education[0]", "1830-1835", True, 3, False),
        ("section heading 'Skills'", "Skills", False, 4, False),
        ("skill group skills[0]", "Mathematics:", False, 4, True),
        ("skills skills[0]", "Bernoulli numbers, Calculus", False, 4, False),
        ("section heading 'Projects'", "Projects", False, 5, False),
        ("title projects[0]", "Notes on Menabrea", False, 5, True),
        ("date of projects[0]", "1843", True, 5, False),
        ("note projects[0].description", "Translated and annotated the memoir.", False, 5, False),
        ("section heading 'Awards'", "Awards", False, 6, False),
        ("title awards[0]", "Honorary mention", False, 6, True),
        ("subtitle awards[0]", "Royal Society", False, 6, False),
        ("date of awards[0]", "1844", True, 6, False),
    ]


def test_expected_links_are_contacts_linked_titles_and_markup_links_but_not_what_was_dropped():
    selection = _selection(RICH)
    assert ats.expected_links(selection) == ["mailto:ada@example.com", "https://ada.example",
                                             "https://engines.example/work", "https://science.example",
                                             "https://engines.example", "https://notes.example"]
    dropped = frozenset({"work[0].positions[0].highlights[2]"})
    assert "https://notes.example" not in ats.expected_links(selection, dropped)
    assert "highlight work[0].positions[0].highlights[2]" not in {e.what for e in ats.expected(selection, dropped)}


def test_the_rich_content_as_written_passes_and_each_line_missing_is_named():
    selection = _selection(RICH)
    assert ats.problems(selection, _as_written(selection)) == []
    text = "\n".join(e.text for e in ats.expected(selection))
    for gone, what in [("Royal Society", "subtitle awards[0]"), ("London", "location of work[0]"),
                       ("Builds the difference engine.", "note work[0].description"),
                       ("1844", "date of awards[0]"), ("Mathematics:", "skill group skills[0]")]:
        found = ats.text_problems(ats.expected(selection), text.replace(gone, "", 1))
        assert found and found[0].startswith(f"{what} does not extract as written: {gone!r}"), (gone, found)


def _want(*texts: str, date: str | None = None) -> list:
    found = [ats.Expect(f"line {i}", text) for i, text in enumerate(texts)]
    return found + ([ats.Expect("date d", date, date=True)] if date else [])


def test_messages_show_the_text_cut_at_70_characters_and_the_place_20_around():
    exact, long = "a" * 70, "b" * 75
    assert ats.text_problems(_want(exact), "x") == [f"line 0 does not extract as written: {exact!r}"]
    assert ats.text_problems(_want(long), "x") == [f"line 0 does not extract as written: {'b' * 69 + '…'!r}"]
    text = "01234" + "e\ufb01x" + "abcdefghij" * 3 + " \ufb01 " + "(cid:7)" + "\ufffd"
    found = ats.text_problems(_want("0123"), text)
    assert found[0] == ("ligature code point U+FB01 (\ufb01) in the text, e.g. "
                        "'01234e\ufb01xabcdefghijabcdefgh': keyword search misses such words")
    assert found[1] == "unmapped glyphs: (cid:7) in 'defghijabcdefghij \ufb01 (cid:7)\ufffd'"
    assert found[2] == "U+FFFD replacement characters, e.g. 'abcdefghij \ufb01 (cid:7)\ufffd'"
    assert len(found) == 3


def test_a_ligature_in_the_content_itself_is_named_as_the_cause():
    found = ats.text_problems(_want("e\ufb03cient"), "efficient")
    assert found == ["line 0 does not extract as written: 'e\ufb03cient' (the content itself holds the ligature "
                     "code point U+FB03; type the separate letters instead)"]
    assert ats.text_problems(_want("e\u00adffi\u2013cient"), "effi-cient") == []
    assert ats.text_problems(_want("e\u00adffi\u2013cient"), "effi\u2013cient")[0].startswith("line 0 does not")


def test_a_date_range_with_an_en_dash_is_looked_for_only_within_its_entry():
    assert ats.text_problems(_want("Heading", date="1842-1843"), "Heading 1842\u2013 1843") == [
        "date d extracts with an en dash (U+2013), not a plain '-': '1842-1843'"]
    wanted = [ats.Expect("a", "Heading", section=1, heading=True), ats.Expect("d", "1842-1843", date=True, section=1),
              ats.Expect("b", "Later", section=2)]
    assert ats.text_problems(wanted, "Heading Later 1842\u20131843") == ["d does not extract as written: '1842-1843'"]
    assert ats.text_problems(wanted, "1842\u20131843 Heading Later") == [
        "d extracts with an en dash (U+2013), not a plain '-': '1842-1843'"]


def test_the_first_extractor_s_problems_are_kept_beside_the_second_s():
    selection = _selection(MINIMAL)
    good = _as_written(selection)
    lost = "Wrote the first published program."
    broken = ats.Extracted(1, {"pypdf": good.texts["pypdf"].replace(lost, ""), "pdftotext": good.texts["pdftotext"]},
                           good.links)
    assert [p.path for p in ats.problems(selection, broken)] == ["pypdf"]


def test_a_link_in_what_fitting_dropped_is_not_required():
    selection = _selection(RICH)
    dropped = frozenset({"work[0].positions[0].highlights[2]"})
    good = _as_written(selection)
    text = good.texts["pypdf"].replace("Kept notes.", "")
    links = [link for link in good.links if link != "https://notes.example"]
    assert ats.problems(selection, ats.Extracted(1, {"pdftotext": text}, links), dropped) == []


def test_a_long_pdf_is_read_by_one_pdftotext_per_core_in_page_order(tmp_path, monkeypatch):
    import os
    import subprocess

    pages = 2 * ats.SPLIT_PAGES + 3
    pdf = _pdf(tmp_path / "long.pdf", [[f"Page number {n}"] for n in range(1, pages + 1)])
    runs = []

    class Counted(subprocess.Popen):
        def __init__(self, args, *rest, **kwargs):
            runs.append(args)
            super().__init__(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", Counted)
    found = ats.extract(pdf)
    assert found.pages == pages and len(runs) == min(os.cpu_count() or 1, 2)
    assert found.texts["pdftotext"] == ats._pdftotext(pdf, 1, pages)  # the same text as one run
    numbers = [int(n) for n in re.findall(r"Page number (\d+)", found.texts["pdftotext"])]
    assert numbers == list(range(1, pages + 1))
