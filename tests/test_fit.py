"""Page fitting: real compiles of the shipped one-page variant, a stress résumé and an impossible budget."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from conftest import CONTENT, ROOT, run_cli

from cvpress import fit, verify
from cvpress.errors import BuildError
from cvpress.escape import plain
from cvpress.locate import format_path
from cvpress.model import Fit, Style
from cvpress.variants import Item


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_ladder_tightens_spacing_then_margins_then_font_size():
    levels = fit.ladder(Style(font_size=11, margin="0.6in", spacing=1.0), Fit(min_spacing=0.7, min_margin="0.5in"))
    assert levels[0] == Style(font_size=11, margin="0.6in", spacing=1.0)
    eleven = [lv for lv in levels if lv.font_size == 11]
    assert [lv.spacing for lv in eleven[:3]] == [1.0, 0.85, 0.7]
    assert [lv.margin for lv in eleven[3:]] == ["0.55in", "0.5in"]
    assert all(lv.spacing >= 0.7 and fit.inches(lv.margin) >= 0.5 - 1e-9 for lv in levels)
    assert levels[-1] == Style(font_size=10, margin="0.5in", spacing=0.7)
    assert {lv.font_size for lv in fit.ladder(Style(font_size=11), Fit(min_font_size=11))} == {11}


def test_smaller_sizes_are_the_first_level_of_each_size_below_the_design():
    design = Style(font_size=12, margin="0.6in", spacing=1.0)
    assert fit.smaller_sizes(design, Fit()) == [Style(font_size=11, margin="0.6in", spacing=1.0),
                                                 Style(font_size=10, margin="0.6in", spacing=1.0)]
    assert fit.smaller_sizes(design, Fit(min_font_size=11)) == [Style(font_size=11, margin="0.6in", spacing=1.0)]
    assert fit.smaller_sizes(Style(font_size=10), Fit()) == []


def test_scale_shrinks_with_every_tightening_step():
    levels = fit.ladder(Style(), Fit())
    ratios = [fit.scale(levels[0], lv) for lv in levels]
    assert ratios[0] == pytest.approx(1.0)
    assert ratios[-1] < 0.8
    assert all(r <= 1.0 for r in ratios)


def test_shipped_onepage_is_one_page_with_a_fit_report(built):
    pdf = built / "onepage.pdf"
    assert verify.page_count(pdf) == 1
    report = json.loads((built / "onepage.fit.json").read_text(encoding="utf-8"))
    assert report["pages"] == 1 and report["budget"] == 1
    assert report["compiles"] <= 3
    assert report["fitted"] is True
    assert report["style"]["font_size"] in (10, 11) and "spacing" in report["style"]
    text = _norm(verify.text(pdf))
    import tomllib

    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    keep = [h["text"] for w in data["work"] for p in w["positions"] for h in p.get("highlights", [])
            if isinstance(h, dict) and h.get("keep")]
    assert keep, "the shipped content marks some highlights keep = true"
    for sentence in keep:
        assert _norm(plain(sentence)) in text


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stress")
    path = folder / "stress.toml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "stress.py"), str(path)], check=True)
    return path


@pytest.mark.tex
def test_stress_resume_fits_one_page_within_the_compile_limit(stress, tmp_path):
    done = run_cli("build", "-c", str(stress), "-o", str(tmp_path), "-v", "onepage", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert verify.page_count(tmp_path / "onepage.pdf") == 1
    report = json.loads((tmp_path / "onepage.fit.json").read_text(encoding="utf-8"))
    assert report["compiles"] <= 6
    assert report["dropped"], "forty positions cannot fit one page without dropping"
    # the keep = true highlight survives
    assert "Company 01" in verify.text(tmp_path / "onepage.pdf")
    first = next(d for d in report["dropped"])
    assert {"path", "employer", "position", "text"} <= set(first)


@pytest.mark.tex
def test_stress_resume_without_fitting_fails_with_exit_1(stress, tmp_path):
    done = run_cli("build", "-c", str(stress), "-o", str(tmp_path), "-v", "onepage", "--no-fit", "--no-cache")
    assert done.returncode == 1
    assert "over its budget of 1" in done.stderr and "onepage" in done.stderr
    assert "Traceback" not in done.stderr


def _one_role(name: str, bullets: list[str], variant: str) -> str:
    """A content file: one employer, one role with these highlight items (TOML values), one variant table."""
    items = ",\n".join(f"  {b}" for b in bullets)
    return f'''
[basics]
name = "{name}"

[[work]]
name = "Acme"

[[work.positions]]
position = "Engineer"
highlights = [
{items}
]

{variant}
'''


@pytest.mark.tex
def test_impossible_budget_names_variant_budget_and_pages(write_content, tmp_path):
    kept = [f'{{ text = "Kept achievement number {i} that must never be dropped from this résumé, whatever the '
            f'page budget says.", keep = true }}' for i in range(70)]
    path = write_content(_one_role("Keep Everything", kept, "[variants.tiny]\nmax_pages = 1"))
    done = run_cli("build", "-c", str(path), "-o", str(tmp_path / "out"), "--no-cache")
    assert done.returncode == 1, done.stdout
    message = done.stderr
    assert "'tiny'" in message and "budget of 1 page" in message
    assert re.search(r"runs to \d+ pages", message)
    assert "keep = true" in message
    assert "Traceback" not in message
    assert not (tmp_path / "out" / "tiny.pdf").exists()


@pytest.mark.tex
def test_variant_fit_false_restores_the_plain_budget_error(write_content, tmp_path):
    plain = [f'"Achievement {i}: a long enough sentence to take a full line of the page when typeset."' for i in range(80)]
    path = write_content(_one_role("No Fit", plain, "[variants.strict]\nmax_pages = 1\nfit = false"))
    done = run_cli("build", "-c", str(path), "-o", str(tmp_path), "--no-cache")
    assert done.returncode == 1
    assert "over its budget of 1" in done.stderr


# ---------------------------------------------------------------- the decisions, on a simulated page
# A stand-in for the engine's measurements (the real ones are tested above with TeX): every
# highlight is a block of fixed height that shrinks with fit.scale(), laid on pages of 700 pt.

TEXT_HEIGHT, LINE = 700.0, 13.6


def _resume(n: int):
    from cvpress.model import Resume

    bullets = [{"text": f"Highlight number {i}.", "priority": 1 + i % 3} for i in range(n)]
    return Resume.model_validate({"basics": {"name": "Sim"}, "work": [
        {"name": "Acme", "positions": [{"position": "Engineer", "highlights": bullets}]}]})


def _log(selection, style, design, block: float) -> str:
    from cvpress.locate import format_path

    height = block * fit.scale(design, style)
    marks, pages, page, used = [], [], 1, 0.0
    for item in selection.highlights():
        if used + height > TEXT_HEIGHT:
            pages.append(used)
            page, used = page + 1, 0.0
        marks.append(f"CVMARK {format_path(item.path)} {page} {int((TEXT_HEIGHT - used) * 65536)}")
        used += height
    pages.append(used)
    marks.append(f"CVMARK end {page} {int((TEXT_HEIGHT - used) * 65536)}")
    geometry = f"CVGEOM {TEXT_HEIGHT}pt {TEXT_HEIGHT}pt 0.0pt {LINE}pt"
    return "\n".join([geometry, *marks, *(f"CVPAGE {i + 1} {h:.2f}pt" for i, h in enumerate(pages))])


def _fit(n: int, budget: int, bounds: Fit, block: float = 20.0):
    from cvpress.variants import select

    selection, design = select(_resume(n), "full"), Style()
    runs = []

    def compile_fn(chosen, style):
        runs.append(style)
        return _log(chosen, style, design, block), object()

    return fit.fit(selection, design, budget, bounds, _log(selection, design, design, block), compile_fn), runs


def test_an_orphaned_last_page_is_pulled_back_by_typography():
    # 37 blocks of 20 pt: one page of 35 and an orphan of 2 (40 pt, about 3 lines)
    (chosen, style, _, report), runs = _fit(37, budget=2, bounds=Fit())
    assert report.pages == 1 and report.fitted and not report.dropped
    assert style != Style() and len(runs) == 1
    assert len(chosen.highlights()) == 37


def test_an_orphan_that_typography_cannot_fix_loses_the_weakest_highlights():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)  # no typography room at all
    (chosen, _, _, report), _ = _fit(37, budget=2, bounds=tight)
    assert report.pages == 1 and report.dropped
    assert all(d["priority"] == 3 for d in report.dropped)  # the weakest go first
    assert len(chosen.highlights()) == 37 - len(report.dropped)


def test_an_orphan_stays_when_nothing_allowed_fixes_it_and_is_noted():
    frozen = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False)
    (chosen, _, _, report), runs = _fit(37, budget=2, bounds=frozen)
    assert report.pages == 2 and not report.dropped and runs == []
    assert "last page holds only" in report.notes[0]
    assert len(chosen.highlights()) == 37


def test_over_budget_drops_only_as_much_as_needed():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
    (chosen, _, _, report), runs = _fit(40, budget=1, bounds=tight)
    assert report.pages == 1 and len(runs) <= 3
    assert 5 <= len(report.dropped) <= 8  # 35 fit a page; a few more may go for safety, not dozens



def test_what_fitting_drops_is_reported_with_its_place_and_listed_as_dropped():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
    (chosen, _, _, report), _ = _fit(40, budget=1, bounds=tight)
    kept = {format_path(i.path) for i in chosen.highlights()}
    for d in report.dropped:
        n = int(d["path"].rpartition("[")[2].rstrip("]"))
        assert d == {"path": f"work[0].positions[0].highlights[{n}]", "employer": "Acme", "position": "Engineer",
                     "priority": 1 + n % 3, "text": f"Highlight number {n}."}
        assert d["path"] not in kept
    fitted = [x for x in chosen.dropped if x.reason == "fit: dropped to meet max_pages"]
    assert [format_path(x.path) for x in fitted] == [d["path"] for d in report.dropped]
    assert len(kept) + len(report.dropped) == 40


def test_a_whole_role_dropped_is_reported_as_the_role_and_its_highlight_count():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False, drop_entries=True)
    (chosen, _, _, report), _ = _fit_resume(_roles(8, 6, keep=False), budget=1, bounds=tight)
    assert report.dropped[0] == {"path": "work[0].positions[7]", "employer": "Acme", "position": "Role 7",
                                 "priority": None, "text": "the whole role (6 highlights)"}


def test_an_impossible_budget_says_what_is_left_and_how_far_over():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
    with pytest.raises(BuildError) as raised:
        _fit_resume(_roles(8, 6), budget=1, bounds=tight)
    message = str(raised.value)
    assert message.startswith("variant 'full' cannot fit its budget of 1 page: at the tightest setting "
                              "(spacing 1, margin 0.75in, 11pt) and with every droppable highlight removed "
                              "it still runs to 2 pages (about ")
    assert "lines over). What is left: 48 highlights marked keep = true, every employer, role and degree." in message

def _roles(count: int, per_role: int, keep: bool = True):
    """One employer with `count` roles, newest first (role j ended in 2020 - j), each with kept highlights."""
    from cvpress.model import Resume

    roles = [{"position": f"Role {j}", "startDate": str(2019 - j), "endDate": str(2020 - j),
              "highlights": [{"text": f"Role {j} highlight {k}.", "keep": keep} for k in range(per_role)]}
             for j in range(count)]
    return Resume.model_validate({"basics": {"name": "Sim"}, "work": [{"name": "Acme", "positions": roles}]})


def _fit_resume(resume, budget: int, bounds: Fit, block: float = 20.0):
    from cvpress.variants import select

    selection, design = select(resume, "full"), Style()
    runs = []

    def compile_fn(chosen, style):
        runs.append(style)
        return _log(chosen, style, design, block), object()

    return fit.fit(selection, design, budget, bounds, _log(selection, design, design, block), compile_fn), runs


def test_drop_entries_drops_whole_roles_oldest_first_when_highlights_may_not_go():
    # 8 roles of 6 highlights (960 pt) on one 700 pt page, no typography room, no highlight may go alone
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False, drop_entries=True)
    (chosen, _, _, report), _ = _fit_resume(_roles(8, 6, keep=False), budget=1, bounds=tight)
    assert report.pages == 1 and report.dropped
    gone = [d["position"] for d in report.dropped]
    assert all(d["priority"] is None for d in report.dropped)  # whole roles, not highlights
    assert gone == [f"Role {j}" for j in range(7, 7 - len(gone), -1)]  # the oldest first
    assert [r.position.position for r in chosen.work[0].roles] == [f"Role {j}" for j in range(8 - len(gone))]
    assert 2 <= len(gone) <= 3  # 35 highlights fit a page: two or three roles of six go, not more


def test_a_role_with_a_kept_highlight_is_never_dropped_whole():
    resume = _roles(8, 6, keep=False)
    oldest = resume.work[0].positions[7]
    kept = oldest.model_copy(update={"highlights": [oldest.highlights[0].model_copy(update={"keep": True}),
                                                    *oldest.highlights[1:]]})
    resume = resume.model_copy(update={"work": [resume.work[0].model_copy(
        update={"positions": [*resume.work[0].positions[:7], kept]})]})
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False, drop_entries=True)
    (chosen, _, _, report), _ = _fit_resume(resume, budget=1, bounds=tight)
    assert "Role 7" not in [d["position"] for d in report.dropped]
    assert "Role 7" in [r.position.position for r in chosen.work[0].roles]


def test_without_drop_entries_kept_highlights_make_the_budget_impossible():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
    with pytest.raises(BuildError, match="cannot fit its budget of 1 page") as raised:
        _fit_resume(_roles(8, 6), budget=1, bounds=tight)
    assert "allow fit.drop_entries" in str(raised.value)


def test_an_impossible_budget_with_nothing_droppable_says_so_and_never_asks_to_un_keep():
    # drop_highlights = false, no highlight kept: nothing was droppable, so un-keeping cannot help
    frozen = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False)
    with pytest.raises(BuildError, match="cannot fit its budget of 1 page:") as raised:
        _fit_resume(_roles(8, 6, keep=False), budget=1, bounds=frozen)
    message = str(raised.value)
    assert "with nothing dropped" in message and "droppable highlight" not in message
    assert "un-keep" not in message.lower()
    assert "48 highlights, none of which may be dropped" in message
    assert "allow fit.drop_highlights" in message.lower() and "allow fit.drop_entries" in message
    assert re.search(r"about \d+ lines? over", message) and "(s)" not in message


def test_the_compile_limit_is_an_error_that_says_what_to_change(monkeypatch):
    monkeypatch.setattr(fit, "MAX_COMPILES", 1)  # the first compile is all there is
    with pytest.raises(BuildError, match=r"could not fit 1 page within 1 compiles") as raised:
        _fit(40, budget=1, bounds=Fit())
    assert "raise max_pages" in str(raised.value)


# ---------------------------------------------------------------- measuring a log, choosing candidates

def test_a_log_without_the_theme_s_geometry_is_an_error_naming_cvmark():
    with pytest.raises(BuildError, match=r"needs the theme's \\cvmark measurements \(cvpress.sty\)"):
        fit.Measure.parse("CVMARK end 1 0\n")


def test_measure_lays_pages_end_to_end_and_keeps_a_repeated_mark_s_first_follower():
    # text 600 pt on paper 800 pt, top 100 pt: a y of 700 pt is the top of the text, y 400 pt is 300 pt down
    sp = 65536
    log = "\n".join(["CVGEOM 600.0pt 800.0pt 100.0pt 12.0pt", f"CVMARK a 1 {700 * sp}", f"CVMARK b 1 {400 * sp}",
                     f"CVMARK a 2 {600 * sp}", f"CVMARK end 2 {460 * sp}", "CVPAGE 1 590.5pt", "CVPAGE 2 240.0pt"])
    m = fit.Measure.parse(log)
    assert (m.text_height, m.baseline, m.pages) == (600.0, 12.0, 2)
    assert m.flow["b"] == 300.0 and m.flow["end"] == 600.0 + 240.0
    assert m.order == ["a", "b", "a", "end"] and m.following == {"a": "b", "b": "a", "end": "end"}
    assert m.used == 830.5 and m.end == 840.0
    assert m.flow["a"] == 700.0  # its flow is where it was logged last (page 2), its follower the first one's
    assert m.height("b") == 400.0 and m.height("a") == 0.0  # never negative
    assert m.last_page_lines() == 240.0 / 12.0


def test_measure_without_page_totals_or_an_end_mark_counts_whole_pages():
    m = fit.Measure.parse("CVGEOM 500.0pt 700.0pt 100.0pt 10.0pt\nCVMARK x 3 0\n")
    assert m.pages == 3 and m.used == 1500.0 and m.end == 1500.0
    assert m.flow["x"] == 2 * 500.0 + 600.0


@pytest.mark.parametrize("length, expected", [("1in", 1.0), ("2.54cm", 1.0), ("25.4mm", 1.0), ("72.27pt", 1.0),
                                              ("0.75in", 0.75)])
def test_inches_reads_every_unit_a_margin_may_use(length, expected):
    assert fit.inches(length) == pytest.approx(expected)


def test_scale_follows_the_width_of_the_text_on_the_paper():
    letter, a4 = Style(paper="letter", margin="1in"), Style(paper="a4", margin="1in")
    # same font and spacing: only the text width changes, 6.5in on letter, 6.27in on A4
    assert fit.scale(letter, a4) == pytest.approx(0.8 * 6.5 / 6.27 + 0.2)
    smaller = Style(paper="letter", margin="1in", font_size=10, spacing=0.5)
    assert fit.scale(letter, smaller) == pytest.approx(0.8 * (10 / 11) ** 2 + 0.2 * 0.5 * 10 / 11)


def _sel(resume):
    from cvpress.variants import select

    return select(resume, "full")


def test_candidates_go_weakest_priority_then_oldest_role_then_later_bullet_never_keep():
    from cvpress.model import Resume

    resume = Resume.model_validate({"basics": {"name": "Sim"}, "work": [{"name": "Acme", "positions": [
        {"position": "New", "startDate": "2020", "endDate": "2022", "highlights": [
            {"text": "n0", "priority": 2}, {"text": "n1", "priority": 3}, {"text": "n2", "priority": 2},
            {"text": "nk", "priority": 3, "keep": True}]},
        {"position": "Old", "startDate": "2010", "endDate": "2012", "highlights": [
            {"text": "o0", "priority": 2}, {"text": "o1", "priority": 1}]}]}]})
    units = fit._candidates(_sel(resume), Fit())
    assert [u.text for u, _, _ in units] == ["n1", "o0", "n2", "n0", "o1"]
    assert {(name, title) for _, name, title in units} == {("Acme", "New"), ("Acme", "Old")}
    assert fit._candidates(_sel(resume), Fit(drop_highlights=False)) == []
    roles = fit._candidates(_sel(resume), Fit(drop_highlights=False, drop_entries=True))
    assert [(title, type(u).__name__) for u, _, title in roles] == [("Old", "Role")]  # "New" holds a keep


def test_dropping_an_employer_s_first_role_frees_its_heading_too():
    sp = 65536
    resume = _roles(2, 1, keep=False)
    selection = _sel(resume)
    first, second = selection.work[0].roles
    marks = [("work[0]", 700), ("work[0].positions[0]", 680), ("work[0].positions[0].highlights[0]", 660),
             ("work[0].positions[1]", 600), ("work[0].positions[1].highlights[0]", 580), ("end", 500)]
    log = "CVGEOM 700.0pt 700.0pt 0.0pt 10.0pt\n" + "\n".join(f"CVMARK {m} 1 {y * sp}" for m, y in marks)
    measure = fit.Measure.parse(log)
    assert fit._saving(second, measure, set()) == 100.0  # its own line and its highlight
    gone = set()
    assert fit._saving(first, measure, gone) == 100.0  # the heading, the role and its highlight
    assert "work[0]" in gone
    assert fit._saving(first, measure, gone) == 0.0  # already counted


_TIGHT = dict(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
_HEAD = ("variant 'full' cannot fit its budget of 1 page: at the tightest setting (spacing 1, margin 0.75in, 11pt) "
         "and with ")
_RUNS = " it still runs to 2 pages (about 20 lines over). What is left: 48 highlights"  # ceil((48 * 20 - 700) / 13.6)


@pytest.mark.parametrize("bounds, words", [
    (Fit(**_TIGHT), "every droppable highlight removed" + _RUNS + " marked keep = true, every employer, role and "
     "degree. Un-keep highlights, exclude entries by tag, allow fit.drop_entries or raise max_pages."),
    (Fit(**_TIGHT, drop_highlights=False), "nothing dropped (fit.drop_highlights = false and fit.drop_entries = "
     "false)" + _RUNS + ", none of which may be dropped, every employer, role and degree. Allow "
     "fit.drop_highlights, exclude entries by tag, allow fit.drop_entries or raise max_pages."),
    (Fit(**_TIGHT, drop_entries=True), "every droppable highlight and every droppable role removed" + _RUNS
     + " marked keep = true. Un-keep highlights, exclude entries by tag or raise max_pages."),
])
def test_an_impossible_budget_is_worded_from_the_variant_s_fit_bounds(bounds, words):
    with pytest.raises(BuildError) as raised:
        _fit_resume(_roles(8, 6), budget=1, bounds=bounds)
    assert str(raised.value) == _HEAD + words


def test_the_report_records_the_level_fitting_chose():
    (_, style, _, report), _ = _fit(40, budget=1, bounds=Fit())
    assert style != Style() and report.fitted
    assert report.style == {"spacing": style.spacing, "margin": style.margin, "font_size": style.font_size}
    (_, style, _, report), runs = _fit(10, budget=1, bounds=Fit())  # fits as designed: nothing changes
    assert runs == [] and not report.fitted and style == Style()
    assert report.style == {"spacing": 1.0, "margin": "0.75in", "font_size": 11}


def test_a_dropped_highlight_is_reported_by_its_first_ten_words():
    from cvpress.model import Resume

    texts = ["one two three four five six seven eight nine ten", "a b c d e f g h i j k"]
    bullets = [{"text": t, "priority": 9} for t in texts] + [{"text": f"Kept {i}.", "keep": True} for i in range(34)]
    resume = Resume.model_validate({"basics": {"name": "Sim"}, "work": [
        {"name": "Acme", "positions": [{"position": "Engineer", "highlights": bullets}]}]})
    (chosen, _, _, report), _ = _fit_resume(resume, budget=1, bounds=Fit(**_TIGHT))
    assert sorted(d["text"] for d in report.dropped) == ["a b c d e f g h i j …", texts[0]]
    assert sorted(x.what for x in chosen.dropped if x.reason.startswith("fit:")) == sorted(texts)  # whole


@pytest.mark.parametrize("blocks, budget", [(45, 1), (75, 2), (37, 2)])
def test_when_typography_is_enough_one_compile_verifies_the_prediction(blocks, budget):
    (chosen, style, _, report), runs = _fit(blocks, budget=budget, bounds=Fit())
    assert runs == [style] and report.compiles == 2  # the first build and the one that verifies
    assert not report.dropped and len(chosen.highlights()) == blocks
    assert report.pages == (1 if blocks == 37 else budget)  # 37: the orphan pulled back onto page 1


def _talks(count: int, per_entry: int):
    """A section of one's own with `count` talks, newest first, priorities 1, 2, 3, 1, …; one role besides."""
    from cvpress.model import Resume

    entries = [{"title": f"Talk {j}", "date": str(2020 - j), "priority": 1 + j % 3,
                "highlights": [f"Talk {j} point {k}." for k in range(per_entry)]} for j in range(count)]
    return Resume.model_validate({"basics": {"name": "Sim"},
                                  "work": [{"name": "Acme", "positions": [{"position": "Eng", "highlights": [{"text": "Strong.", "priority": 1}]}]}],
                                  "sections": {"talks": {"entries": entries}}})


def test_candidates_take_every_section_s_highlights_then_own_entries_weakest_first_then_roles():
    from cvpress.model import Resume

    resume = Resume.model_validate({"basics": {"name": "Sim"}, "work": [{"name": "Acme", "positions": [
        {"position": "Eng", "endDate": "2022", "highlights": [{"text": "w0", "priority": 2}]}]}],
        "projects": [{"name": "Engine", "endDate": "2015", "highlights": [{"text": "p0", "priority": 2}]}],
        "sections": {"talks": {"entries": [
            {"title": "Keynote", "priority": 1, "highlights": [{"text": "t0", "priority": 4}]},
            {"title": "Lightning", "priority": 4, "date": "2019"},
            {"title": "Kept", "priority": 9, "keep": True},
            {"title": "Holds a keep", "priority": 9, "highlights": [{"text": "tk", "keep": True}]}]}}})
    units = fit._candidates(_sel(resume), Fit(drop_entries=True))
    def what(unit) -> str:
        return unit.text if isinstance(unit, Item) else unit.item.title if hasattr(unit, "item") else unit.position.position

    assert [(what(u), name, title) for u, name, title in units] == [
        ("t0", "Keynote", "talks"), ("p0", "Engine", "projects"), ("w0", "Acme", "Eng"),
        ("Lightning", "Lightning", "talks"), ("Keynote", "Keynote", "talks"), ("Eng", "Acme", "Eng")]


def test_drop_entries_drops_whole_entries_of_one_s_own_sections_weakest_then_oldest_first():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11, drop_highlights=False, drop_entries=True)
    (chosen, _, _, report), _ = _fit_resume(_talks(8, 6), budget=1, bounds=tight)
    assert report.pages == 1 and report.dropped
    gone = [d["path"] for d in report.dropped]
    # priority 3 first (talks 2 and 5), the older first, then priority 2 (7, 4, 1)
    assert gone == ["sections.talks.entries[5]", "sections.talks.entries[2]",
                    "sections.talks.entries[7]", "sections.talks.entries[4]", "sections.talks.entries[1]"][:len(gone)]
    assert report.dropped[0] == {"path": "sections.talks.entries[5]", "employer": "Talk 5", "position": "talks",
                                 "priority": None, "text": "the whole entry (6 highlights)"}
    assert len(chosen.entries["talks"]) == 8 - len(gone) and chosen.work  # the role stays: entries go first
    assert "dropped " in report.summary() and " entr" in report.summary()


def test_fitting_drops_the_weakest_highlights_of_any_section():
    tight = Fit(min_spacing=1.0, min_margin="0.75in", min_font_size=11)
    (chosen, _, _, report), _ = _fit_resume(_talks(8, 6), budget=1, bounds=tight)
    assert report.dropped and all(".highlights[" in d["path"] and d["path"].startswith("sections.talks")
                                  for d in report.dropped)
    assert all(d["position"] == "talks" for d in report.dropped)
    assert [format_path(i.path) for i in chosen.highlights()][0] == "work[0].positions[0].highlights[0]"
