"""Stage 5b: the applicant-tracking-system check. Does the PDF's text say what the content says?

An ATS never sees the page, only the text its extractor pulls out of the PDF. A build reads each
PDF once with poppler's `pdftotext` (what many services use) for the text, and once with pypdf for
the page count and the links; pypdf's own text extraction reads the same (tests/test_ats.py holds
the two to the same check) but costs about 6x as much (README, "Speed"). In the text:

- every line of the variant's outline (outline.py: name, label, contacts, section titles, every
  entry's title, subtitle, dates, location, notes and highlights, markup reduced to its visible
  text) appears verbatim up to whitespace, in reading order (dates and locations, set flush right,
  may come anywhere after their entry within its section; pdftotext runs with -layout);
- no ligature code points (U+FB00-U+FB06), no `(cid:NN)` and no U+FFFD replacement characters;
- date ranges read with a plain ASCII '-' (the theme maps the en dash glyph to it);
- no word is split by hyphenation ("infra-\\nstructure");

and the e-mail address and every URL are link annotations with the exact target.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path

from cvpress import escape as esc
from cvpress import markup, outline, verify
from cvpress.errors import BuildError, Problem
from cvpress.variants import Selection

EXTRACTORS = ("pdftotext",)  # what a build checks
ALL_EXTRACTORS = ("pdftotext", "pypdf")  # what extract() can give
LIGATURES = re.compile("[\ufb00-\ufb06]")
CID = re.compile(r"\(cid:\d+\)")
# A line that ends in a hyphen, continued on the next line: "infra-\nstructure".
# (A match starts only where a word does: one attempt per word, not one per letter.)
SPLIT = re.compile(r"(?<![^\W\d_])([^\W\d_]+)[-\u00ad\u2010]\s*\n\s*([^\W\d_]+)")
_WORDS = re.compile(r"[^\W\d_]+")
MAX_SHOWN = 20  # problems listed per variant; the rest are counted


@dataclass(frozen=True)
class Expect:
    """One piece of text the PDF must show."""

    what: str  # for people: "highlight work[1].positions[0].highlights[3]"
    text: str  # the visible text, as the content gives it (markup removed)
    date: bool = False  # flush right (a date, a location): anywhere after its entry's heading, within its section
    section: int = 0  # index of the section it sits in (0: the header)
    heading: bool = False  # an entry's first line (employer, institution, title): where its dates may start


@dataclass
class Extracted:
    """What an ATS gets out of one PDF."""

    pages: int
    texts: dict[str, str]  # extractor name -> text
    links: list[str] = field(default_factory=list)
    plan: Plan | None = field(default=None, compare=False)  # what `extract(…, expect=)` worked out meanwhile


@dataclass
class Plan:
    """What a selection's PDF must hold (`expected`, its words, `expected_links`), from one outline."""

    selection: Selection
    skip: frozenset[str]
    wanted: list[Expect]
    words: set[str]
    links: list[str]

    def serves(self, selection: Selection, skip: frozenset[str] = frozenset()) -> bool:
        return self.selection is selection and self.skip == skip


def plan(selection: Selection, skip: frozenset[str] = frozenset()) -> Plan:
    doc = outline.build(selection, skip)  # once: the text and the links walk the same outline
    wanted = _expected(doc)
    return Plan(selection, skip, wanted, _content_words(wanted), _expected_links(doc))


class AtsError(BuildError):
    """Text that an applicant-tracking system would not read as written."""

    def format(self) -> str:
        return "\n".join([str(self)] + [f"  {p.format()}" for p in self.problems])


def check(selection: Selection, extracted: Extracted, skip: frozenset[str] = frozenset()) -> None:
    """Raise AtsError unless the PDF's text layer (`extract`) holds the selection as written, but
    for the key paths in `skip` (what page fitting dropped)."""
    if found := problems(selection, extracted, skip):
        raise failure(selection.name, found)


def failure(variant: str, found: list[Problem]) -> AtsError:
    shown = found[:MAX_SHOWN]
    if len(found) > MAX_SHOWN:
        shown.append(Problem(f"... and {len(found) - MAX_SHOWN} more"))
    return AtsError(f"variant {variant!r} failed the ATS text check: an applicant-tracking system would "
                    f"not read this PDF as written (`cvpress build --no-ats` skips the check)", shown)


SPLIT_PAGES = 24  # from this many pages, pdftotext reads page ranges side by side, one per core


def extract(pdf: Path, extractors: tuple[str, ...] = EXTRACTORS, expect: Selection | None = None,
            planned: Plan | None = None) -> Extracted:
    """One pypdf read (pages, links; its text too if "pypdf" is asked for), then, if asked for,
    pdftotext: a long PDF by one pdftotext per core, each a range of pages side by side (joined,
    their texts are the whole document's: pdftotext reads each page on its own). With `expect`,
    its `plan` is worked out while pdftotext runs (`check` then uses it), unless `planned` is
    that plan already."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    read = verify.read(pdf, text="pypdf" in extractors, links_too=True)
    texts = {} if read.text is None else {"pypdf": read.text}
    parts = max(1, min(os.cpu_count() or 1, read.pages // SPLIT_PAGES))
    step = max(1, -(-read.pages // parts))  # (a PDF of no pages: one run, which says so)
    with ThreadPoolExecutor(parts) as pool:
        ranges = [pool.submit(_pdftotext, pdf, first, min(first + step - 1, read.pages))
                  for first in range(1, read.pages + 1, step)] if "pdftotext" in extractors else []
        if expect is not None and not (planned and planned.serves(expect)):
            planned = plan(expect)
        if ranges:
            texts["pdftotext"] = "".join(r.result() for r in ranges)
    return Extracted(read.pages, texts, read.links, planned)


def _pdftotext(pdf: Path, first: int, last: int) -> str:
    binary = shutil.which("pdftotext")
    if not binary:
        raise BuildError("pdftotext not found: the ATS check needs poppler-utils (`make setup` installs it "
                         "on Debian/Ubuntu; elsewhere install poppler), or build with --no-ats")
    # -layout: lines as they stand on the page, so a flush-right date stays beside its entry
    # (plain mode reads the date column as a separate block, after whatever comes last)
    process = subprocess.Popen([binary, "-layout", "-enc", "UTF-8", "-f", str(first), "-l", str(last), str(pdf), "-"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    timer = threading.Timer(60, process.kill)  # a timer, not communicate(timeout=…), which polls
    timer.start()
    try:
        out, err = process.communicate()
    finally:
        timer.cancel()
    if process.returncode == -9:
        raise BuildError(f"{pdf}: pdftotext did not finish within 60 s")
    if process.returncode != 0:
        raise BuildError(f"{pdf}: pdftotext failed: {err.decode(errors='replace').strip()}")
    return out.decode("utf-8", errors="replace")


# ---------------------------------------------------------------- what the PDF must hold

def expected(selection: Selection, skip: frozenset[str] = frozenset()) -> list[Expect]:
    """Every line the variant's outline shows, in the order the theme lays it out: the header
    (name, label, each contact), then each section's title and entries; markup reduced to the text
    a reader sees (escape.plain).

    `skip`: key paths left out after selection (page fitting's dropped highlights and roles).
    """
    return _expected(outline.build(selection, skip))


def _expected(doc: outline.Outline) -> list[Expect]:
    found = [Expect("name (basics.name)", doc.name)]
    if doc.label:
        found.append(Expect(f"label ({doc.label.path})", esc.plain(doc.label.text)))
    found += [Expect(f"contact {c.path}", c.text) for c in doc.contacts]
    for number, section in enumerate(doc.sections, 1):
        found.append(Expect(f"section heading {section.title!r}", section.title, section=number))
        if section.text:
            found.append(Expect(f"summary ({section.text.path})", esc.plain(section.text.text), section=number))
        for entry in section.entries:
            found += [replace(e, section=number) for e in _entry(entry, section)]
    return found


_HEADINGS = {"work": "employer", "education": "institution", "skills": "skill group", "languages": "language",
             "volunteer": "organization", "interests": "interest"}
_SUBTITLES = {"work": "position title", "education": "degree", "skills": "skills", "languages": "fluency"}


def _entry(entry: outline.Entry, section: outline.Section) -> list[Expect]:
    """An entry's lines in reading order, then each of its roles'."""
    title = f"{entry.title}:" if section.layout == "lines" else entry.title  # a skill group reads "Name: …"
    found = [Expect(f"{_HEADINGS.get(section.kind, 'title')} {entry.path}", title, heading=True)]
    if entry.subtitle:
        found.append(Expect(f"{_SUBTITLES.get(section.kind, 'subtitle')} {entry.subtitle_path or entry.path}",
                            entry.subtitle))
    found += _body(entry)
    for role in entry.roles:
        found += [Expect(f"position title {role.path}", role.title), *_body(role)]
    return found


def _body(entry: outline.Entry) -> list[Expect]:
    """Dates and a location count as `date`: anywhere after the entry's heading within its section
    (flush right, or wherever a theme puts them); then notes and highlights, in order."""
    found = _dates(entry.subtitle_path or entry.path, entry.when)  # one role: its dates
    if entry.location:
        found.append(Expect(f"location of {entry.path}", entry.location, date=True))
    found += [Expect(f"note {line.path}", esc.plain(line.text)) for line in entry.notes]
    return found + [Expect(f"highlight {line.path}", esc.plain(line.text)) for line in entry.highlights]


def _dates(where: str, when: outline.When) -> list[Expect]:
    if when.start and when.end:
        return [Expect(f"date range of {where}", when.show("-"), date=True)]
    if when:
        return [Expect(f"date of {where}", when.show(), date=True)]
    return []


def expected_links(selection: Selection, skip: frozenset[str] = frozenset()) -> list[str]:
    """Link targets the PDF must hold: contacts, linked titles, and [label](url) markup."""
    return _expected_links(outline.build(selection, skip))


def _expected_links(doc: outline.Outline) -> list[str]:
    targets = [_target(c.url) for c in doc.contacts if c.url]
    texts = [doc.label] if doc.label else []
    for section in doc.sections:
        texts += [section.text] if section.text else []
        for entry in section.entries:
            targets += [_target(entry.url)] if entry.url else []
            texts += outline.lines(entry)
    for line in texts:
        if "](" in line.text:  # a [label](url) link at most: parse only those
            targets += [_target(url) for url in _link_urls(markup.parse(line.text))]
    return list(dict.fromkeys(targets))


def _link_urls(spans) -> list[str]:
    """The targets of the [label](url) links in parsed markup, nested ones included, in order."""
    return [url for span in spans for url in ([span.url] if span.kind == "link" else []) + _link_urls(span.children)]


def _target(url: str) -> str:
    """The URI the PDF holds for a content URL: escape.url's encoding, without the TeX escapes."""
    return _unescape(esc.url(url))


def _unescape(tex: str) -> str:
    return re.sub(r"\\(.)", r"\1", tex)


# ---------------------------------------------------------------- checking

def problems(selection: Selection, extracted: Extracted, skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Everything an ATS would misread, for every extractor; empty when the PDF reads as written."""
    planned = extracted.plan
    if not (planned and planned.serves(selection, skip)):
        planned = plan(selection, skip)
    found = []
    for name, text in extracted.texts.items():
        found += [Problem(message, path=name) for message in text_problems(planned.wanted, text, planned.words)]
    links = set(extracted.links)
    missing = [t for t in planned.links if t not in links]
    found += [Problem(f"no link annotation with the exact target {t!r}", path="links") for t in missing]
    return found


def text_problems(wanted: list[Expect], text: str, words: set[str] | None = None) -> list[str]:
    """What is wrong with one extractor's text."""
    text = unicodedata.normalize("NFC", text)
    found = []
    for match in sorted(set(LIGATURES.findall(text))):
        found.append(f"ligature code point U+{ord(match):04X} ({match}) in the text, e.g. "
                     f"{_around(text, text.index(match))!r}: keyword search misses such words")
    if cid := CID.search(text):
        found.append(f"unmapped glyphs: {cid[0]} in {_around(text, cid.start())!r}")
    if "\ufffd" in text:
        found.append(f"U+FFFD replacement characters, e.g. {_around(text, text.index(chr(0xFFFD)))!r}")
    words = words if words is not None else _content_words(wanted)
    for match in SPLIT.finditer(text):
        if (match[1] + match[2]).lower() in words:
            found.append(f"the word {match[1] + match[2]!r} is split by hyphenation: {match[0]!r}")
    found += _order_problems(wanted, _squash(text))
    return found


def _order_problems(wanted: list[Expect], flat: str) -> list[str]:
    """Each text in reading order; each date after its entry and before the next section."""
    found, cursor, previous = [], 0, None
    starts: list[int | None] = []  # where each wanted text was found (None: not found)
    for want in wanted:
        if want.date:
            starts.append(None)
            continue
        needle = _squash(_visible(want.text))
        at = flat.find(needle, cursor)
        starts.append(at if at >= 0 else None)
        if at >= 0:
            cursor, previous = at + len(needle), want
        elif flat.find(needle) >= 0:  # found before the cursor: something was found before it
            found.append(f"{want.what} is out of reading order: it comes before {previous.what} "
                         f"({_short(want.text)!r})")
        else:
            found.append(f"{want.what} does not extract as written: {_short(want.text)!r}" + _hint(want.text))
    begins, ends = _date_windows(wanted, starts, len(flat))
    for i, want in enumerate(wanted):
        if not want.date:
            continue
        begin, end = begins[i], ends[i]
        needle = _squash(want.text)
        if flat.find(needle, begin, end) >= 0:
            continue
        dashed = needle.replace("-", "\u2013")
        if flat.find(dashed, begin, end) >= 0:
            found.append(f"{want.what} extracts with an en dash (U+2013), not a plain '-': {want.text!r}")
        else:
            found.append(f"{want.what} does not extract as written: {want.text!r}")
    return found


def _date_windows(wanted: list[Expect], starts: list[int | None], length: int) -> tuple[list[int], list[int]]:
    """Where each date may be found: after the last text found before its entry's heading (pdftotext
    may read a flush-right date before the heading itself), else after the last text of an earlier
    section; before the first text found in a later section. One pass each way, keeping the latest
    (first) find per section: linear in the entries, and each search starts near its entry."""
    begins, ends = [0] * len(wanted), [length] * len(wanted)
    last: dict[int, tuple[int, int]] = {}  # section -> (index, start) of its latest text found so far
    latest, entry = 0, None  # the latest text found; where the current entry's dates may begin
    for i, (want, start) in enumerate(zip(wanted, starts)):
        if want.heading:
            entry = (want.section, latest)
        if want.date:
            earlier = [found for section, found in last.items() if section < want.section]
            begins[i] = max(earlier)[1] if earlier else 0
            if entry and entry[0] == want.section:
                begins[i] = max(begins[i], entry[1])
        elif start is not None:
            last[want.section] = (i, start)
            latest = start
    first: dict[int, tuple[int, int]] = {}  # section -> (index, start) of its first text found after
    for i in range(len(wanted) - 1, -1, -1):
        want, start = wanted[i], starts[i]
        if want.date:
            later = [found for section, found in first.items() if section > want.section]
            ends[i] = min(later)[1] if later else length
        elif start is not None:
            first[want.section] = (i, start)
    return begins, ends


def _visible(text: str) -> str:
    """The content's text as the classic theme prints it: its en dash glyph reads as '-'."""
    return unicodedata.normalize("NFC", text.replace("\u00ad", "")).replace("\u2013", "-")


def _squash(text: str) -> str:
    """Text without whitespace: extractors disagree about spaces, never about letters."""
    return "".join(unicodedata.normalize("NFC", text).split())


def _hint(text: str) -> str:
    if lig := LIGATURES.search(text):
        return (f" (the content itself holds the ligature code point U+{ord(lig[0]):04X}; "
                "type the separate letters instead)")
    return ""


def _content_words(wanted: list[Expect]) -> set[str]:
    return {w.lower() for e in wanted for w in _WORDS.findall(e.text)}


def _short(text: str, limit: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _around(text: str, at: int, width: int = 20) -> str:
    return " ".join(text[max(0, at - width): at + width].split())


# ---------------------------------------------------------------- already-built PDFs

@dataclass
class Checked:
    variant: str
    pdf: Path
    pages: int = 0
    error: BuildError | None = None


def check_built(content_path: Path, out: Path, names: list[str]) -> list[Checked]:
    """Check PDFs that `cvpress build` left in `out`: page budget and the ATS check."""
    from cvpress import content, variants

    resume = content.load(content_path)
    names = names or list(resume.variants) or ["full"]
    selections = [variants.select(resume, name) for name in names]
    results = []
    for selection in selections:
        result = Checked(selection.name, out / f"{selection.name}.pdf")
        try:
            if not result.pdf.is_file():
                raise BuildError(f"{result.pdf}: not found; build it first (cvpress build --out {out})")
            verify.check_fresh(out, selection.name, content_path)  # stale is not an ATS failure: rebuild
            extracted = extract(result.pdf)
            result.pages = extracted.pages
            verify.check_budget(selection.name, result.pages, selection.variant.max_pages)
            check(selection, extracted, fitted_out(out / f"{selection.name}.fit.json"))
        except BuildError as e:
            result.error = e
        results.append(result)
    return results


def fitted_out(report: Path) -> frozenset[str]:
    """Key paths that page fitting dropped from a built PDF (its `<variant>.fit.json` report)."""
    try:
        data = json.loads(report.read_text(encoding="utf-8"))
        return frozenset(d["path"] for d in data.get("dropped", []))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return frozenset()
