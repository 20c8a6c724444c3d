"""Stage 4b: fit a variant to its page budget with as few compiles as possible.

Every compile logs where each mark landed (cvpress.sty's \\cvmark): the page and height of each
section, employer, role and highlight, and the end of the document. From one such measurement
Python predicts how the document would run at each tighter typography level (spacing, then
margins, then font size, within the variant's `fit` bounds) and, when typography is not enough,
which of the weakest highlights to drop. A compile verifies the choice; a miss is re-measured.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace
from typing import Callable

from cvpress.errors import BuildError, counted
from cvpress.locate import format_path
from cvpress.model import Fit, Style
from cvpress.report import Report
from cvpress.variants import Dropped, Entry, Item, Role, Selection, describe

MAX_COMPILES = 6
SPACING_STEP = 0.15
MARGIN_STEP_IN = 0.05
TEXT_SHARE = 0.8  # share of a résumé's height that is lines of text (the rest is spacing)
_UNITS_IN = {"in": 1.0, "cm": 1 / 2.54, "mm": 1 / 25.4, "pt": 1 / 72.27}
_PAPER_IN = {"letter": (8.5, 11.0), "a4": (8.27, 11.69)}
_MARK = re.compile(r"^CVMARK (\S+) (\d+) (-?\d+)$", re.M)
_PAGE = re.compile(r"^CVPAGE (\d+) ([\d.]+)pt$", re.M)
_GEOM = re.compile(r"^CVGEOM ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt ([\d.]+)pt", re.M)


@dataclass
class Measure:
    """Where things landed in one compile, in points, measured down the flow of pages."""

    text_height: float
    baseline: float
    pages: int
    flow: dict[str, float]  # mark id -> distance from the top of page 1's text, pages laid end to end
    order: list[str]
    used: float  # the content's height: every page's used height added up (no page-bottom gaps)
    following: dict[str, str] = field(default_factory=dict)  # mark id -> the next mark ("end" after the last)

    @classmethod
    def parse(cls, log: str) -> Measure:
        geometry = _GEOM.search(log)
        if not geometry:
            raise BuildError("page fitting needs the theme's \\cvmark measurements (cvpress.sty)")
        text_height, paper_height, top, baseline = (float(g) for g in geometry.groups())
        flow, order, pages = {}, [], 1
        for mark, page, y in _MARK.findall(log):
            page = int(page)
            pages = max(pages, page)
            flow[mark] = (page - 1) * text_height + (paper_height - top - int(y) / 65536)
            order.append(mark)
        used = sum(float(h) for _, h in _PAGE.findall(log))
        following = {}
        for mark, after in zip(order, order[1:] + ["end"]):
            following.setdefault(mark, after)  # a mark logged twice: its first place, as order.index found
        return cls(text_height, baseline, pages, flow, order, used or pages * text_height, following)

    @property
    def end(self) -> float:
        return self.flow.get("end", self.pages * self.text_height)

    def last_page_lines(self) -> float:
        return (self.end - (self.pages - 1) * self.text_height) / self.baseline

    def height(self, mark: str) -> float:
        """Height of the block that starts at `mark`: up to the next mark."""
        return max(self.flow[self.following[mark]] - self.flow[mark], 0.0)


def inches(length: str) -> float:
    number, unit = re.match(r"^([\d.]+)(in|cm|mm|pt)$", length).groups()
    return float(number) * _UNITS_IN[unit]


def ladder(style: Style, bounds: Fit) -> list[Style]:
    """Typography levels, loosest first: at each font size (the design's, then smaller down to the
    minimum), spacing tightens first, then margins. A smaller size starts again from the design's
    spacing and margins, so a size step never comes with needlessly cramped spacing."""
    spacings = [style.spacing]
    while spacings[-1] - SPACING_STEP >= bounds.min_spacing - 1e-9:
        spacings.append(round(spacings[-1] - SPACING_STEP, 3))
    if spacings[-1] > bounds.min_spacing:
        spacings.append(bounds.min_spacing)
    margins = [inches(style.margin)]
    while margins[-1] - MARGIN_STEP_IN >= inches(bounds.min_margin) - 1e-9:
        margins.append(round(margins[-1] - MARGIN_STEP_IN, 3))
    sizes = [style.font_size] + [s for s in (11, 10) if bounds.min_font_size <= s < style.font_size]
    levels = []
    for size in sizes:
        for spacing in spacings:
            levels.append(style.model_copy(update={"font_size": size, "spacing": spacing}))
        for margin in margins[1:]:
            levels.append(levels[-1].model_copy(update={"margin": f"{margin:g}in"}))
    return levels


def smaller_sizes(style: Style, bounds: Fit) -> list[Style]:
    """The first level of each font size below the design's that fitting may step down to."""
    sizes, found = {style.font_size}, []
    for level in ladder(style, bounds):
        if level.font_size not in sizes:
            sizes.add(level.font_size)
            found.append(level)
    return found


def _geometry(style: Style) -> tuple[float, float]:
    """(text width, text height) in inches."""
    width, height = _PAPER_IN[style.paper]
    margin = inches(style.margin)
    return width - 2 * margin, height - 2 * margin


def scale(base: Style, level: Style) -> float:
    """How much taller the same content runs at `level` than at `base` (lines rewrap, skips shrink)."""
    (w0, _), (w1, _) = _geometry(base), _geometry(level)
    size = level.font_size / base.font_size
    text = size * size * (w0 / w1)
    space = (level.spacing / base.spacing) * size
    return TEXT_SHARE * text + (1 - TEXT_SHARE) * space


def fit(selection: Selection, style: Style, budget: int, bounds: Fit, first_log: str,
        compile_fn: Callable[[Selection, Style], tuple[str, object]]) -> tuple[Selection, Style, object, Report]:
    """Tighten, then drop, until the document fits `budget` pages. compile_fn returns (log, compiled)."""
    report = Report(selection.name, budget, compiles=1)
    levels = ladder(style, bounds)
    measure, current, compiled = Measure.parse(first_log), style, None
    chosen = selection
    while True:
        last_try = False
        if _fits(measure, budget, bounds):
            return chosen, current, compiled, _finish(report, measure, current, style, chosen is not selection)
        # Over budget: fit `budget` pages. Within budget but the last page is nearly empty (an orphan):
        # the same steps try to fit one page fewer; if nothing allowed does it, the orphan stays (noted).
        orphan = measure.pages <= budget
        target = measure.pages - 1 if orphan else budget
        level, drops = _first_level(levels, current, measure, target), []
        if level is None:
            level = levels[-1]
            drops = _choose_drops(chosen, measure, current, level, target, bounds)
            if drops is None and not orphan:  # the estimate says even dropping everything allowed is not enough
                drops = _candidates(chosen, bounds)
                last_try = True
        if orphan and (drops is None or report.compiles >= MAX_COMPILES or (level == current and not drops)):
            report.notes.append(f"the last page holds only {counted(round(measure.last_page_lines()), 'line')}; "
                                "nothing the variant's fit bounds allow pulls it back")
            return chosen, current, compiled, _finish(report, measure, current, style, chosen is not selection)
        if report.compiles >= MAX_COMPILES:
            raise BuildError(f"variant {selection.name!r}: could not fit {counted(budget, 'page')} within "
                             f"{MAX_COMPILES} compiles; raise max_pages or mark fewer highlights keep")
        chosen = _without(chosen, drops, report)
        log, compiled = compile_fn(chosen, level)
        report.compiles += 1
        measure, current = Measure.parse(log), level
        if last_try and not _fits(measure, budget, bounds):
            _impossible(chosen, measure, level, budget, bounds)


def _finish(report: Report, measure: Measure, level: Style, design: Style, dropped: bool) -> Report:
    report.pages, report.fitted = measure.pages, level != design or dropped
    report.style = {"spacing": level.spacing, "margin": level.margin, "font_size": level.font_size}
    return report


def _capacity(measure: Measure, base: Style, level: Style, pages: int) -> float:
    """Usable flow height at `level`, in the measured document's points, less a line of safety."""
    (_, h0), (_, h1) = _geometry(base), _geometry(level)
    page_breaks_waste = (pages - 1) * 2 * measure.baseline
    return pages * measure.text_height * (h1 / h0) - page_breaks_waste - measure.baseline


def _first_level(levels: list[Style], current: Style, measure: Measure, pages: int) -> Style | None:
    """The first level after `current` predicted to fit `pages`; None when none is."""
    for level in levels[levels.index(current) + 1:]:  # current is the design (levels[0]) or a level
        if measure.used * scale(current, level) <= _capacity(measure, current, level, pages):
            return level
    return None


def _fits(measure: Measure, budget: int, bounds: Fit) -> bool:
    if measure.pages > budget:
        return False
    return measure.pages == 1 or measure.last_page_lines() >= bounds.orphan_lines


def _age(item) -> tuple[int, int, int]:
    when = getattr(item, "endDate", None) or getattr(item, "startDate", None) or getattr(item, "date", None)
    return when.sort_key if when else (0, 0, 0)


def _candidates(selection: Selection, bounds: Fit) -> list[tuple[Item | Role | Entry, str, str]]:
    """What may go, first to last: highlights of any section (highest priority number, older role
    or entry, later bullet first; never `keep`), then, if the variant allows it, whole entries of the
    content's own sections (highest priority number, then oldest, first) and whole roles, oldest first.
    Rows are (unit, the employer or entry, the position or section)."""
    found, roles, entries = [], [], []
    for employer in selection.work:
        for role in employer.roles:
            age = _age(role.position)
            if not any(i.highlight.keep for i in role.highlights):
                roles.append((age, role, employer.work.name))
            if not bounds.drop_highlights:
                continue
            for k, item in enumerate(role.highlights):
                if not item.highlight.keep:
                    found.append(((-item.highlight.priority, age, -k), item, employer.work.name, role.position.position))
    for section, listed in selection.entries.items():
        for entry in listed:
            name, age = describe(entry.item), _age(entry.item)
            own = entry.path[0] == "sections" and not getattr(entry.item, "keep", True)
            if own and not any(i.highlight.keep for i in entry.highlights):
                entries.append(((-entry.item.priority, age), entry, name, section))
            if bounds.drop_highlights:
                found += [((-i.highlight.priority, age, -k), i, name, section)
                          for k, i in enumerate(entry.highlights) if not i.highlight.keep]
    found.sort(key=lambda row: row[0])
    units = [(item, name, title) for _, item, name, title in found]
    if bounds.drop_entries:
        entries.sort(key=lambda row: row[0])
        roles.sort(key=lambda row: row[0])
        units += [(entry, name, section) for _, entry, name, section in entries]
        units += [(role, name, role.position.position) for _, role, name in roles]
    return units


def _saving(unit: Item | Role | Entry, measure: Measure, gone: set[str]) -> float:
    """Height freed by dropping `unit`, not counting marks already gone."""
    marks = [format_path(unit.path)]
    if isinstance(unit, (Role, Entry)):
        marks += [format_path(i.path) for i in unit.highlights]
        if isinstance(unit, Role) and unit.path[-1] == 0:  # an employer's first role carries the employer heading too
            marks.append(format_path(unit.path[:-2]))
    fresh = [m for m in marks if m in measure.flow and m not in gone]
    gone.update(fresh)
    return sum(measure.height(m) for m in fresh)


def _choose_drops(selection, measure, current, level, budget, bounds) -> list | None:
    ratio = scale(current, level)
    excess = measure.used * ratio - _capacity(measure, current, level, budget)
    if level == current:  # measured at this very level: what spills past the budget must go, at least
        excess = max(excess, measure.end - budget * measure.text_height)
    excess = max(excess, measure.baseline)
    drops, saved, gone = [], 0.0, set()
    for row in _candidates(selection, bounds):
        if saved >= excess:
            break
        if saving := _saving(row[0], measure, gone) * ratio:  # (an entry of an inline section has no mark of its own)
            saved += saving
            drops.append(row)
    return drops if saved >= excess and drops else None


def _without(selection: Selection, drops: list, report: Report) -> Selection:
    """The selection without `drops`, rows of `_candidates` (unit, employer or entry, position or section)."""
    if not drops:
        return selection
    gone = {id(unit) for unit, _, _ in drops}
    dropped = list(selection.dropped)
    for unit, employer, position in drops:
        text = unit.text if isinstance(unit, Item) else \
            f"the whole {'role' if isinstance(unit, Role) else 'entry'} ({counted(len(unit.highlights), 'highlight')})"
        words = text.split()
        report.dropped.append({"path": format_path(unit.path), "employer": employer, "position": position,
                               "priority": unit.highlight.priority if isinstance(unit, Item) else None,
                               "text": " ".join(words[:10]) + (" …" if len(words) > 10 else "")})
        dropped.append(Dropped(unit.path, text, "fit: dropped to meet max_pages"))
    work = []
    for e in selection.work:
        roles = [replace(r, highlights=[i for i in r.highlights if id(i) not in gone])
                 for r in e.roles if id(r) not in gone]
        if roles:
            work.append(replace(e, roles=roles))
    entries = {section: [replace(e, highlights=[i for i in e.highlights if id(i) not in gone])
                         for e in listed if id(e) not in gone] for section, listed in selection.entries.items()}
    return replace(selection, work=work, entries=entries, dropped=dropped)


def _impossible(selection: Selection, measure: Measure, tightest: Style, budget: int, bounds: Fit) -> None:
    """Explain why nothing the variant may drop is enough: `measure` is the tightest, smallest build.
    Worded from the variant's fit bounds: it names only what was allowed to go and what would help."""
    keep = sum(1 for i in selection.highlights() if i.highlight.keep)
    left = sum(1 for _ in selection.highlights())
    over = max(measure.used - budget * measure.text_height, measure.baseline) / measure.baseline
    allowed = [what for what, on in (("every droppable highlight", bounds.drop_highlights),
                                     ("every droppable role", bounds.drop_entries)) if on]
    removed = (f"with {' and '.join(allowed)} removed" if allowed
               else "with nothing dropped (fit.drop_highlights = false and fit.drop_entries = false)")
    if bounds.drop_highlights:
        what_left = f"{counted(keep, 'highlight')} marked keep = true"
    else:
        what_left = f"{counted(left, 'highlight')}, none of which may be dropped"
    fixes = (["un-keep highlights"] if bounds.drop_highlights and keep else []) \
        + ([] if bounds.drop_highlights else ["allow fit.drop_highlights"]) \
        + ["exclude entries by tag"] + ([] if bounds.drop_entries else ["allow fit.drop_entries"]) \
        + ["raise max_pages"]
    advice = ", ".join(fixes[:-1]) + " or " + fixes[-1]
    raise BuildError(
        f"variant {selection.name!r} cannot fit its budget of {counted(budget, 'page')}: "
        f"at the tightest setting (spacing {tightest.spacing:g}, margin {tightest.margin}, {tightest.font_size}pt) "
        f"and {removed} it still runs to {counted(measure.pages, 'page')} "
        f"(about {counted(math.ceil(over), 'line')} over). What is left: {what_left}"
        + ("" if bounds.drop_entries else ", every employer, role and degree")
        + f". {advice[0].upper()}{advice[1:]}."
    )
