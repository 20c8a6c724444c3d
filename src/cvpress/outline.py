"""What a variant shows, once, format-neutral: the one outline every writer and check walks.

`build(selection)` turns a variants.Selection into an Outline: the header (name, label, contacts
with their link targets and shown text), then the sections in order, each with its title and its
entries, each entry with its lines (title, url, subtitle, dates, location, notes, highlights, and
the roles of an employer with several positions). Every decision about *what* is shown and *where*
lives here: section titles, an employer's date span, how contacts and URLs are shown, which field
of the content goes to which line. The writers decide only *how* it looks:

- render.py (LaTeX, the PDF), export.py (Markdown, plain text, HTML), and later a Word writer;
- ats.py (what the PDF's text must hold, in order) and explain.py (what a variant keeps).

Text in `title`, `subtitle`, `location` and contacts is literal; `label`, a section's `text`,
`notes` and `highlights` may carry inline markup (**bold**, *italic*, [label](url)): a writer
escapes it with escape.inline (LaTeX) or its own equivalent, a check reduces it with escape.plain.

Every field of the content model either reaches the outline wherever its section is shown, or is
listed once in NOT_SHOWN with the reason (tests/test_outline.py walks the model to hold both).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from cvpress import escape as esc
from cvpress import locales
from cvpress.locales import Locale
from cvpress.locate import format_path
from cvpress.model import SECTIONS, PartialDate

ENGLISH = locales.get(locales.DEFAULT)
TITLES = {kind: ENGLISH.labels[kind] for kind in SECTIONS}  # the English titles (a variant's: locale())

# How a section's entries are laid out: "entries" (a heading line, a subtitle line, notes and
# bullets per entry), "lines" (one "title: subtitle" line per entry) or "inline" (every entry in one
# paragraph, "title (subtitle), title (subtitle)"); the summary is "text".
LAYOUTS = {"summary": "text", "skills": "lines", "languages": "inline", "interests": "lines"}

# Fields of the content model that no output shows, "Model.field" (a field of a base class covers
# every model that inherits it). Everything else is shown wherever its section is.
NOT_SHOWN = {
    "Tagged.tags": "labels that variants select and drop by",
    "Highlight.priority": "how strong a highlight is, for variants and page fitting",
    "Highlight.keep": "tells page fitting never to drop a highlight",
    "CustomEntry.priority": "how strong an entry is, for max_priority and page fitting",
    "CustomEntry.keep": "tells page fitting never to drop the entry",
    "CustomSection.layout": "how the section is laid out, not what it says",
    "Location.address": "a street address does not belong on a résumé sent out; kept for JSON Resume",
    "Location.postalCode": "likewise: kept for JSON Resume, never printed",
    "Resume.style": "design tokens: how it looks, not what it says",
    "Resume.variants": "the recipes; a variant's label and summary replace basics' where it is built",
    "Resume.extra": "data from an import that cvpress has no place for; `cvpress export` writes it back",
    "Resume.language": "chooses the titles, dates and /Lang of the variants that name none (locale())",
    "Resume.labels": "replace the titles and \"Present\" (tests/test_outline.py checks them on their own)",
    "Resume.fallback_languages": "where a variant's text comes from when a translation table lacks its language",
}


@dataclass(frozen=True)
class Link:
    """A header contact: the text shown, the link target (None: plain text) and its key path."""

    text: str
    url: str | None = None
    path: str = ""


@dataclass(frozen=True)
class When:
    """A date or a date range, shown as "2016 - Present" (plain) or "2016 – Present" (typeset), in
    the words and date format of its locale ("mars 2016 - aujourd’hui")."""

    start: PartialDate | None = None
    end: PartialDate | None = None
    locale: Locale = field(default=ENGLISH, compare=False, repr=False)

    def date(self, when: PartialDate) -> str:
        """One date as shown: "Mar 2016", "2016年3月", or the locale's "present"."""
        return self.locale.labels["present"] if when.present else self.locale.date(when.year, when.month)

    @property
    def first(self) -> str:
        return self.date(self.start) if self.start else ""

    @property
    def last(self) -> str:
        return self.date(self.end) if self.end else ""

    def show(self, dash: str = " - ") -> str:
        if self.start and self.end:
            return f"{self.first}{dash}{self.last}"
        return self.first or self.last

    def __bool__(self) -> bool:
        return bool(self.start or self.end)


@dataclass(frozen=True)
class Line:
    """A paragraph or bullet that may carry inline markup, with the key path it comes from."""

    text: str
    path: str


@dataclass
class Entry:
    """One entry: an employer, a degree, a project, a skill group, a language, or a role.

    An employer with one position is one entry (the position is its `subtitle`, `subtitle_path`
    names it); with several, the positions are its `roles`, each an Entry of its own whose `title`
    is the position.
    """

    path: str  # key path: work[0], education[1], work[2].positions[0]
    title: str
    url: str | None = None
    subtitle: str = ""
    subtitle_path: str = ""  # a single role shown as the subtitle: its key path
    when: When = field(default_factory=When)
    location: str = ""
    notes: list[Line] = field(default_factory=list)
    highlights: list[Line] = field(default_factory=list)
    roles: list[Entry] = field(default_factory=list)


@dataclass
class Section:
    kind: str  # one of model.SECTIONS, or the name of a section of the content's own
    title: str
    layout: str = "entries"  # see LAYOUTS
    text: Line | None = None  # the summary
    entries: list[Entry] = field(default_factory=list)


SUBJECT_LIMIT = 255  # characters of the document's subject (a .docx property holds at most 255)


@dataclass(frozen=True)
class Meta:
    """Document properties (PDF info, HTML <meta>): public fields only, never a variant's name or
    description, which are the author's notes to themselves."""

    title: str
    author: str
    subject: str
    keywords: str


@dataclass
class Outline:
    language: str  # BCP 47: the PDF's /Lang, the HTML's lang, the .docx language
    name: str
    label: Line | None
    contacts: list[Link]
    sections: list[Section]
    meta: Meta


def build(selection, skip: frozenset[str] = frozenset()) -> Outline:
    """The outline of a selection. `skip`: key paths left out after selection (what page fitting
    dropped from a built PDF, read back from its report)."""
    basics, here = selection.resume.basics, locale(selection)
    sections = []
    custom = selection.resume.sections
    for kind in selection.sections:
        if kind in custom:
            section = Section(kind, custom[kind].heading(kind), custom[kind].layout)
        else:
            section = Section(kind, here.labels[kind], LAYOUTS.get(kind, "entries"))
        if kind == "summary":
            if not selection.summary:
                continue
            where = f"variants.{selection.name}.summary" if selection.variant.summary else "basics.summary"
            section.text = Line(selection.summary, where)
        elif kind == "work":
            section.entries = [e for w in selection.work if (e := _employer(w, skip, here))]
        else:
            section.entries = [_entry("custom" if kind in custom else kind, e, skip, here) for e in selection.entries.get(kind, [])
                               if format_path(e.path) not in skip]
        if section.text or section.entries:
            sections.append(section)
    label = None
    if selection.label:
        label = Line(selection.label, f"variants.{selection.name}.label" if selection.variant.label else "basics.label")
    keywords = [k for e in selection.entries.get("skills", []) if format_path(e.path) not in skip for k in e.item.keywords]
    if here.french_spacing:
        label, sections = label and _french_line(label), [_french_section(s) for s in sections]
    return Outline(here.code, basics.name, label, contacts(basics), sections,
                   _meta(basics.name, label, sections, keywords))


# French typography: the space before high punctuation and inside guillemets does not break (it
# becomes U+00A0, which every writer keeps: LaTeX's ~, HTML's and Word's no-break space).
_BEFORE_HIGH = re.compile(r"[ \t]+(?=[:;!?»])|(?<=«)[ \t]+")


def french(text: str) -> str:
    return _BEFORE_HIGH.sub("\u00a0", text)


def _french_line(line: Line) -> Line:
    return Line(french(line.text), line.path)


def _french_section(section: Section) -> Section:
    def entry(e: Entry) -> Entry:
        return dataclasses.replace(e, title=french(e.title), subtitle=french(e.subtitle), location=french(e.location),
                                   notes=[_french_line(n) for n in e.notes],
                                   highlights=[_french_line(h) for h in e.highlights], roles=[entry(r) for r in e.roles])
    return dataclasses.replace(section, title=french(section.title), text=section.text and _french_line(section.text),
                               entries=[entry(e) for e in section.entries])


def locale(selection) -> Locale:
    """The variant's language (else the content's `language`), with the labels of the content's
    [labels] and then of the variant's `labels` over the language's own."""
    resume, variant = selection.resume, selection.variant
    found = locales.get(variant.language or resume.language)
    labels = {**found.labels, **_labels(resume.labels), **_labels(variant.labels)}
    return dataclasses.replace(found, labels=labels)


def _labels(labels) -> dict[str, str]:
    return {key: value for key, value in labels if value is not None} if labels else {}


def contacts(basics) -> list[Link]:
    """The header's contacts in order: e-mail, phone, website, location, then each profile."""
    links = []
    if basics.email:
        links.append(Link(basics.email, "mailto:" + basics.email, "basics.email"))
    if basics.phone:
        links.append(Link(basics.phone, "tel:" + "".join(basics.phone.split()), "basics.phone"))
    if basics.url:
        links.append(Link(bare(basics.url), basics.url, "basics.url"))
    if basics.location and str(basics.location):
        links.append(Link(str(basics.location), None, "basics.location"))
    for n, profile in enumerate(basics.profiles):
        shown = profile.username or bare(profile.url or "")
        links.append(Link(f"{profile.network}: {shown}" if shown else profile.network, profile.url,
                          f"basics.profiles[{n}]"))
    return links


def bare(url: str) -> str:
    """A URL as shown: without its scheme, "www." and a trailing slash."""
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.lower().startswith(prefix):
            url = url[len(prefix):]
    return url.removeprefix("www.").rstrip("/")


def span(whens: list[When]) -> When:
    """An employer's dates: its earliest start to its latest end."""
    starts = [w.start for w in whens if w.start]
    ends = [w.end for w in whens if w.end]
    return When(min(starts, key=lambda d: d.sort_key, default=None), max(ends, key=lambda d: d.sort_key, default=None),
                whens[0].locale if whens else ENGLISH)


def lines(entry: Entry) -> list[Line]:
    """Every Line of an entry, its roles' included, in reading order (for link targets and checks)."""
    return [*entry.notes, *entry.highlights, *(line for role in entry.roles for line in lines(role))]


def _highlights(items, skip: frozenset[str]) -> list[Line]:
    return [Line(i.text, where) for i in items if (where := format_path(i.path)) not in skip]


def _note(item, path: str, attr: str) -> list[Line]:
    value = getattr(item, attr, None)
    return [Line(value, f"{path}.{attr}")] if value else []


def _employer(employer, skip: frozenset[str], here: Locale) -> Entry | None:
    work, path = employer.work, format_path(employer.path)
    roles = []
    for role in employer.roles:
        where = format_path(role.path)
        if where in skip:
            continue
        position = role.position
        roles.append(Entry(where, position.position, when=When(position.startDate, position.endDate, here),
                           location=position.location or "", notes=_note(position, where, "summary"),
                           highlights=_highlights(role.highlights, skip)))
    if not roles:
        return None
    entry = Entry(path, work.name, work.url, location=work.location or "", notes=_note(work, path, "description"))
    if len(roles) == 1:  # one position: one entry, the position its subtitle
        role = roles[0]
        places = [p for p in (role.location, work.location) if p]
        entry.subtitle, entry.subtitle_path, entry.when = role.title, role.path, role.when
        entry.location = ", ".join(dict.fromkeys(places))  # the role's own place, then the employer's
        entry.notes += role.notes
        entry.highlights = role.highlights
    else:
        entry.when, entry.roles = span([r.when for r in roles]), roles
    return entry


def _entry(kind: str, entry, skip: frozenset[str], here: Locale) -> Entry:
    """An entry of a section other than work: which field goes to which line."""
    item, path = entry.item, format_path(entry.path)
    shown = Entry(path, "", getattr(item, "url", None), highlights=_highlights(entry.highlights, skip))
    if kind == "education":
        shown.title, shown.location = item.institution, item.location or ""
        shown.subtitle = ", ".join(p for p in (item.studyType, item.area) if p)
        shown.when = When(item.startDate, item.endDate, here)
        colon = "\u00a0:" if here.french_spacing else ":"
        parts = [p for p in (item.score and f"{here.labels['score']}{colon} {item.score}", ", ".join(item.courses)) if p]
        shown.notes = [Line("; ".join(parts), path)] if parts else []
    elif kind == "skills":
        shown.title = item.name
        shown.subtitle = ", ".join(item.keywords) + (f" ({item.level})" if item.level and item.keywords else item.level or "")
    elif kind == "projects":
        shown.title, shown.when, shown.notes = item.name, When(item.startDate, item.endDate, here), _note(item, path, "description")
    elif kind == "awards":
        shown.title, shown.subtitle, shown.when = item.title, item.awarder or "", When(item.date, locale=here)
        shown.notes = _note(item, path, "summary")
    elif kind == "publications":
        shown.title, shown.subtitle, shown.when = item.name, item.publisher or "", When(item.releaseDate, locale=here)
        shown.notes = _note(item, path, "summary")
    elif kind == "languages":
        shown.title, shown.subtitle = item.language, item.fluency or ""
    elif kind == "volunteer":
        shown.title, shown.subtitle, shown.location = item.organization, item.position or "", item.location or ""
        shown.when, shown.notes = When(item.startDate, item.endDate, here), _note(item, path, "summary")
    elif kind == "certificates":
        shown.title, shown.subtitle, shown.when = item.name, item.issuer or "", When(item.date, locale=here)
    elif kind == "interests":
        shown.title, shown.subtitle = item.name, ", ".join(item.keywords)
    elif kind == "references":
        shown.title, shown.notes = item.name, _note(item, path, "reference")
    elif kind == "custom":  # a section of the content's own
        shown.title, shown.subtitle, shown.location = item.title, item.subtitle or "", item.location or ""
        shown.when = When(item.date, locale=here) if item.date else When(item.startDate, item.endDate, here)
        shown.notes = _note(item, path, "summary")
    return shown


def _meta(name: str, label: Line | None, sections: list[Section], keywords: list[str]) -> Meta:
    """Title "Name – label", author the name, subject the summary (cut at a word to SUBJECT_LIMIT
    characters: Word's properties hold no more), keywords the skills shown."""
    subject = esc.plain(next((s.text.text for s in sections if s.text), ""))
    if len(subject) > SUBJECT_LIMIT:
        subject = subject[: SUBJECT_LIMIT - 3].rsplit(" ", 1)[0].rstrip(",;:") + "..."  # not "…": pdfLaTeX lacks it
    title = f"{name} – {esc.plain(label.text)}" if label else f"{name} – Résumé"
    return Meta(title, name, subject, ", ".join(keywords))
