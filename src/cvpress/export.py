"""`cvpress export`: the content as JSON Resume, or one variant as Markdown, plain text or HTML.

JSON Resume output is the whole content file, lossless: what JSON Resume has no field for goes to
`x-cvpress` keys and the `extra` table goes back where it came from, so `cvpress import` reads the
same content back (see jsonresume.py). Markdown, text and HTML show one variant's selection (the
same entries, highlights, label and summary as its PDF), built from one format-neutral outline.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cvpress import escape as esc
from cvpress.errors import UserError
from cvpress.jsonresume import ENTRY_KEY, EXT, split_locations
from cvpress.render import TITLES  # the same section titles as the PDF

FORMATS = ("json-resume", "markdown", "text", "html")
SUFFIXES = {"json-resume": ".json", "markdown": ".md", "text": ".txt", "html": ".html"}


@dataclass
class Options:
    content: Path = Path("content.toml")
    format: str = "json-resume"
    variant: str | None = None  # markdown/text/html: None = "full", else the first variant
    width: int = 80  # text: wrap at this many columns; 0 = one line per paragraph


def export(options: Options) -> str:
    """Load the content and return it in the chosen format."""
    import json

    from cvpress import content, variants

    if options.format not in FORMATS:
        raise UserError(f"unknown format {options.format!r} (expected one of: {', '.join(FORMATS)})")
    resume = content.load(options.content)
    if options.format == "json-resume":
        if options.variant is not None:
            raise UserError("--variant applies to markdown, text and html; json-resume exports the whole content")
        return json.dumps(to_json_resume(resume), indent=2, ensure_ascii=False) + "\n"
    selection = variants.select(resume, options.variant or default_variant(resume))
    doc = outline(selection)
    if options.format == "markdown":
        return to_markdown(doc)
    if options.format == "text":
        return to_text(doc, options.width)
    return to_html(doc, selection)


def default_variant(resume) -> str:
    return "full" if "full" in resume.variants or not resume.variants else next(iter(resume.variants))


# ============================================================================== JSON Resume

def iso(date) -> str | None:
    """A PartialDate as JSON Resume's iso8601 (YYYY, YYYY-MM, YYYY-MM-DD); None for "present"."""
    if date is None or date.present:
        return None
    return f"{date.year:04d}" + (f"-{date.month:02d}" if date.month else "") + (f"-{date.day:02d}" if date.day else "")


def to_json_resume(resume) -> dict:
    """The whole content as JSON Resume 1.x data; `cvpress import` reads it back unchanged."""
    extra = _json_values(resume.extra)
    entries = {k: extra.pop(k) for k in list(extra) if ENTRY_KEY.match(k)}
    out: dict[str, Any] = {}
    if "$schema" in extra:
        out["$schema"] = extra.pop("$schema")
    out["basics"] = _basics(resume.basics, entries)
    out["work"] = [e for g, work in enumerate(resume.work) for e in _work(resume.work, g, entries)]
    for section in ("education", "skills", "projects", "awards", "publications", "languages"):
        out[section] = [_entry(item, entries.pop(f"{section}[{i}]", {}))
                        for i, item in enumerate(getattr(resume, section))]
    out = {k: v for k, v in out.items() if v != []}
    ext: dict[str, Any] = {"variants": {name: v.model_dump(mode="json", exclude_unset=True)
                                        for name, v in resume.variants.items()}}
    if style := resume.style.model_dump(mode="json", exclude_unset=True):
        ext["style"] = style
    out[EXT] = ext
    out.update(extra)
    out.update(entries)  # entry keys whose entry is gone: kept at the top level
    return out


def _json_values(value: Any) -> Any:
    """[extra] as JSON can hold it: TOML dates and times as ISO 8601 text, nan and inf as text."""
    import datetime
    import math

    if isinstance(value, dict):
        return {k: _json_values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_values(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _merge(obj: dict, leftovers: dict, ext: dict) -> dict:
    """Put an entry's extra keys back; a value that the plain field cannot carry goes to x-cvpress."""
    for key, value in leftovers.items():
        if key in obj and not (isinstance(obj[key], str) and isinstance(value, str)):
            ext.setdefault("original", {})[key] = value
        else:
            obj[key] = value
    if ext:
        obj[EXT] = ext
    return obj


def _basics(basics, entries: dict) -> dict:
    out = basics.model_dump(mode="json", exclude_none=True, exclude={"location", "profiles"})
    ext: dict[str, Any] = {}
    if isinstance(basics.location, str):
        out["location"] = {"address": basics.location}
        ext["location"] = basics.location
    elif basics.location is not None:
        location = basics.location.model_dump(exclude_none=True)
        out["location"] = _merge(location, entries.pop("basics.location", {}), {})
    if basics.profiles:
        out["profiles"] = [_merge(p.model_dump(exclude_none=True), entries.pop(f"basics.profiles[{k}]", {}), {})
                           for k, p in enumerate(basics.profiles)]
    return _merge(out, entries.pop("basics", {}), ext)


def _options(highlights) -> list[dict] | None:
    """The x-cvpress options of each highlight (tags, priority, keep), or None if all are defaults."""
    options = [h.model_dump(exclude={"text"}, exclude_defaults=True) for h in highlights]
    return options if any(options) else None


def _dates(item, obj: dict, ext: dict, open_means_present: bool) -> None:
    for key in ("startDate", "endDate"):
        date = getattr(item, key)
        if (text := iso(date)) is not None:
            obj[key] = text
        elif date is not None and not (key == "endDate" and open_means_present):
            ext[key] = "present"
    if open_means_present and item.startDate is not None and item.endDate is None:
        ext["endDate"] = None  # JSON Resume reads a missing end date as "present"


def _work(works: list, g: int, entries: dict) -> list[dict]:
    """One employer -> one JSON Resume work entry per position (same name, url, description)."""
    work = works[g]
    own = [p.location if p.location != work.location else None for p in work.positions]
    shown = [p.location or work.location for p in work.positions]
    grouping_is_plain = (split_locations(shown) == (work.location, own) and not work.tags
                         and own == [p.location for p in work.positions]
                         and not (g and works[g - 1].name.casefold() == work.name.casefold()))
    out = []
    for j, position in enumerate(work.positions):
        obj: dict[str, Any] = {"name": work.name}
        if shown[j] is not None:
            obj["location"] = shown[j]
        obj.update(work.model_dump(mode="json", include={"description", "url"}, exclude_none=True))
        obj["position"] = position.position
        ext: dict[str, Any] = {}
        _dates(position, obj, ext, open_means_present=True)
        if position.summary is not None:
            obj["summary"] = position.summary
        if position.highlights:
            obj["highlights"] = [h.text for h in position.highlights]
            if options := _options(position.highlights):
                ext["highlightOptions"] = options
        if position.tags:
            ext["tags"] = position.tags
        if not grouping_is_plain:
            if j == 0:
                ext["employer"] = {k: v for k, v in (("location", work.location), ("tags", work.tags)) if v}
            if position.location != own[j]:
                ext["location"] = position.location
        out.append(_merge(obj, entries.pop(f"work[{g}].positions[{j}]", {}), ext))
    return out


def _entry(item, leftovers: dict) -> dict:
    """Education, skills, projects, awards, publications, languages: the same keys as JSON Resume."""
    obj = item.model_dump(mode="json", exclude_none=True, exclude_defaults=True,
                          exclude={"tags", "highlights", "startDate", "endDate", "date", "releaseDate"})
    ext: dict[str, Any] = {}
    if hasattr(item, "startDate"):
        _dates(item, obj, ext, open_means_present=False)
    for key in ("date", "releaseDate"):
        if hasattr(item, key) and getattr(item, key) is not None:
            if (text := iso(getattr(item, key))) is not None:
                obj[key] = text
            else:
                ext[key] = "present"
    if getattr(item, "highlights", None):
        obj["highlights"] = [h.text for h in item.highlights]
        if options := _options(item.highlights):
            ext["highlightOptions"] = options
    if item.tags:
        ext["tags"] = item.tags
    return _merge(obj, leftovers, ext)


# ============================================================================== outline



ONE_LINE = ("skills", "languages")  # sections whose entries are one "title: subtitle" line


@dataclass
class Link:
    text: str
    url: str | None = None


@dataclass
class When:
    """A date or a date range, shown as "2016 - Present" (plain) or "2016 – Present" (typeset)."""

    start: Any = None
    end: Any = None

    def show(self, dash: str = " - ") -> str:
        if self.start and self.end:
            return f"{self.start}{dash}{self.end}"
        return str(self.start or self.end or "")

    def __bool__(self) -> bool:
        return bool(self.start or self.end)


@dataclass
class Block:
    """One entry: an employer (with roles), a degree, a project, a skill group, …

    `title`/`subtitle`/`location` are literal text; `note` and `highlights` may carry inline markup.
    """

    title: str
    url: str | None = None
    subtitle: str = ""
    when: When = field(default_factory=When)
    location: str = ""
    note: str | None = None
    highlights: list[str] = field(default_factory=list)
    roles: list[Block] = field(default_factory=list)


@dataclass
class Section:
    kind: str
    title: str
    text: str | None = None  # the summary (inline markup)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Outline:
    name: str
    label: str | None  # inline markup
    contacts: list[Link]
    sections: list[Section]


def outline(selection) -> Outline:
    """What the variant's PDF shows, without layout: the same sections, entries and highlights."""
    sections = []
    for kind in selection.sections:
        section = Section(kind, TITLES[kind])
        if kind == "summary":
            if not selection.summary:
                continue
            section.text = selection.summary
        elif kind == "work":
            section.blocks = [_employer(e) for e in selection.work]
        else:
            section.blocks = [_block(kind, e) for e in selection.entries.get(kind, [])]
        if section.text or section.blocks:
            sections.append(section)
    basics = selection.resume.basics
    return Outline(basics.name, selection.label, contacts(basics), sections)


def contacts(basics) -> list[Link]:
    links = []
    if basics.email:
        links.append(Link(basics.email, "mailto:" + basics.email))
    if basics.phone:
        links.append(Link(basics.phone, "tel:" + "".join(basics.phone.split())))
    if basics.url:
        links.append(Link(bare(basics.url), basics.url))
    if basics.location:
        links.append(Link(str(basics.location)))
    for profile in basics.profiles:
        shown = profile.username or bare(profile.url or "") or profile.network
        links.append(Link(f"{profile.network}: {shown}" if profile.username else shown, profile.url))
    return [link for link in links if link.text]


def bare(url: str) -> str:
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.lower().startswith(prefix):
            url = url[len(prefix):]
    return url.removeprefix("www.").rstrip("/")


def _employer(employer) -> Block:
    work = employer.work
    roles = [Block(title=r.position.position, when=When(r.position.startDate, r.position.endDate),
                   location=r.position.location or "", note=r.position.summary,
                   highlights=[i.text for i in r.highlights])
             for r in employer.roles]
    if len(roles) == 1:  # one role: one entry, like the PDF
        role = roles[0]
        return Block(title=work.name, url=work.url, subtitle=role.title, when=role.when,
                     location=role.location or work.location or "", note=role.note, highlights=role.highlights)
    starts = [r.position.startDate for r in employer.roles if r.position.startDate]
    ends = [r.position.endDate for r in employer.roles if r.position.endDate]
    span = When(min(starts, key=lambda d: d.sort_key, default=None), max(ends, key=lambda d: d.sort_key, default=None))
    return Block(title=work.name, url=work.url, when=span, location=work.location or "", roles=roles)


def _block(kind: str, entry) -> Block:
    item = entry.item
    block = Block(title="", url=getattr(item, "url", None), highlights=[i.text for i in entry.highlights])
    if kind == "education":
        block.title, block.location = item.institution, item.location or ""
        block.subtitle = ", ".join(p for p in (item.studyType, item.area) if p)
        block.when = When(item.startDate, item.endDate)
        parts = (item.score and f"Score: {item.score}", ", ".join(item.courses))
        block.note = "; ".join(p for p in parts if p) or None
    elif kind == "skills":
        block.title, block.subtitle = item.name, ", ".join(item.keywords) or (item.level or "")
    elif kind == "projects":
        block.title, block.note, block.when = item.name, item.description, When(item.startDate, item.endDate)
    elif kind == "awards":
        block.title, block.subtitle, block.note, block.when = item.title, item.awarder or "", item.summary, When(item.date)
    elif kind == "publications":
        block.title, block.subtitle, block.note = item.name, item.publisher or "", item.summary
        block.when = When(item.releaseDate)
    elif kind == "languages":
        block.title, block.subtitle = item.language, item.fluency or ""
    return block


# ------------------------------------------------------------------------------ inline markup

def spans(value: str):
    """Split marked-up text into ("text", s), ("bold", s), ("italic", s), ("link", label, url)."""
    pos = 0
    for match in esc._MARKUP.finditer(value):  # the one definition of the inline markup
        if match.start() > pos:
            yield ("text", value[pos:match.start()])
        if match["bold"] is not None:
            yield ("bold", match["bold"])
        elif match["italic"] is not None:
            yield ("italic", match["italic"])
        else:
            yield ("link", match["label"], match["url"])
        pos = match.end()
    if pos < len(value):
        yield ("text", value[pos:])


def plain(value: str) -> str:
    """Marked-up text as a reader sees it; a link keeps its address: "label (https://…)"."""
    out = []
    for kind, *parts in spans(value):
        if kind == "link":
            label, url = plain(parts[0]), parts[1]
            out.append(label if bare(url) == bare(label) else f"{label} ({url})")
        else:
            out.append(plain(parts[0]) if kind != "text" else parts[0])
    return esc.plain("".join(out))


def href(url: str) -> str:
    """A link target safe in Markdown and HTML attributes: percent-encode spaces, quotes, <, >, ( and )."""
    encoded = quote(url.strip(), safe="-._~:/?#[]@!$&'*+,;=%")
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)


# ============================================================================== plain text

def to_text(doc: Outline, width: int = 80) -> str:
    """Plain text to paste into a job form: no markup, wrapped at `width` (0: no wrapping)."""
    lines = [doc.name.upper()]
    if doc.label:
        lines += _wrap(plain(doc.label), width)
    lines += _wrap(" | ".join(_link_text(c) for c in doc.contacts), width)
    for section in doc.sections:
        lines += ["", section.title.upper(), ""]
        if section.text:
            lines += _paragraphs(section.text, width)
        for n, block in enumerate(section.blocks):
            if section.kind in ONE_LINE:
                lines += _wrap(f"{block.title}: {block.subtitle}" if block.subtitle else block.title, width, "  ")
                continue
            if n:
                lines.append("")
            lines += _text_block(block, width)
    return "\n".join(lines).rstrip() + "\n"


def _link_text(link: Link) -> str:
    if link.url and not link.url.startswith(("mailto:", "tel:")) and bare(link.url) != link.text:
        return f"{link.text} ({link.url})"
    return link.text


def _text_block(block: Block, width: int) -> list[str]:
    title = " | ".join(p for p in (block.title, block.location) if p)
    head = [title] if block.roles or block.subtitle else [" | ".join(p for p in (title, block.when.show()) if p)]
    if block.roles:
        head[0] = " | ".join(p for p in (title, block.when.show()) if p)
    elif block.subtitle:
        head.append(" | ".join(p for p in (block.subtitle, block.when.show()) if p))
    lines = [w for line in head for w in _wrap(line, width, "  ")]
    if block.url and not block.roles:
        lines.append(block.url)
    if block.note:
        lines += _paragraphs(block.note, width)
    lines += [w for h in block.highlights for w in _wrap(plain(h), width, "  ", "- ")]
    for role in block.roles:
        lines.append("")
        lines += _wrap(" | ".join(p for p in (role.title, role.location, role.when.show()) if p), width, "  ")
        if role.note:
            lines += _paragraphs(role.note, width)
        lines += [w for h in role.highlights for w in _wrap(plain(h), width, "  ", "- ")]
    return lines


def _paragraphs(value: str, width: int) -> list[str]:
    out = []
    for paragraph in re.split(r"\n\s*\n", value.strip()):
        out += _wrap(plain(paragraph), width)
    return out


def _wrap(value: str, width: int, indent: str = "", first: str = "") -> list[str]:
    value = " ".join(value.split())
    if not value:
        return []
    if width <= 0:
        return [first + value]
    return textwrap.wrap(value, width, initial_indent=first, subsequent_indent=indent if not first else " " * len(first),
                         break_long_words=False, break_on_hyphens=False) or [first]


# ============================================================================== Markdown

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~]|&(?=#?\w+;))")  # and & only where it would start an entity
_MD_LINE_START = re.compile(r"^(\s*)([-+=]|#+|\d+[.)])(?=\s|$)")  # list items, headings, setext lines


def md_text(value: str) -> str:
    """Literal text for Markdown: every character that could start markup is backslash-escaped."""
    value = _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", value))
    return _MD_LINE_START.sub(lambda m: m[1] + m[2][:-1] + "\\" + m[2][-1], value)


def md_inline(value: str) -> str:
    """Marked-up content for Markdown: **bold**, *italic* and links kept, the rest literal."""
    out = []
    for kind, *parts in spans(value):
        if kind == "text":
            out.append(md_text(parts[0]))
        elif kind == "bold":
            out.append(f"**{md_inline(parts[0])}**")
        elif kind == "italic":
            out.append(f"*{md_inline(parts[0])}*")
        else:
            out.append(f"[{md_inline(parts[0])}](<{href(parts[1])}>)")
    return "".join(out)


def _md_link(text: str, url: str | None) -> str:
    return f"[{md_text(text)}](<{href(url)}>)" if url else md_text(text)


def to_markdown(doc: Outline) -> str:
    lines = [f"# {md_text(doc.name)}", ""]
    if doc.label:
        lines += [f"**{md_inline(doc.label)}**", ""]
    if doc.contacts:
        lines += [" · ".join(_md_link(c.text, c.url) for c in doc.contacts), ""]
    for section in doc.sections:
        lines += [f"## {md_text(section.title)}", ""]
        if section.text:
            lines += [p for para in re.split(r"\n\s*\n", section.text.strip()) for p in (md_inline(para), "")]
        if section.kind in ONE_LINE:
            lines += [f"- **{md_text(b.title)}**" + (f": {md_text(b.subtitle)}" if b.subtitle else "")
                      for b in section.blocks] + [""]
            continue
        for block in section.blocks:
            lines += _md_block(block, "###")
    return "\n".join(lines).rstrip() + "\n"


def _md_meta(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _md_block(block: Block, heading: str) -> list[str]:
    lines = [f"{heading} {_md_link(block.title, block.url)}", ""]
    meta = _md_meta(f"**{md_text(block.subtitle)}**" if block.subtitle else "",
                    md_text(block.when.show(" – ")), md_text(block.location))
    if meta:
        lines += [meta, ""]
    if block.note:
        lines += [md_inline(block.note), ""]
    if block.highlights:
        lines += [f"- {md_inline(h)}" for h in block.highlights] + [""]
    for role in block.roles:
        lines += [f"#### {md_text(role.title)}", ""]
        if meta := _md_meta(md_text(role.when.show(" – ")), md_text(role.location)):
            lines += [meta, ""]
        if role.note:
            lines += [md_inline(role.note), ""]
        if role.highlights:
            lines += [f"- {md_inline(h)}" for h in role.highlights] + [""]
    return lines


# ============================================================================== HTML

FONT_STACKS = {
    "pagella": '"TeX Gyre Pagella", Palatino, "Palatino Linotype", "Book Antiqua", serif',
    "termes": '"TeX Gyre Termes", "Times New Roman", Times, serif',
    "bonum": '"TeX Gyre Bonum", "Bookman Old Style", Bookman, serif',
    "schola": '"TeX Gyre Schola", "Century Schoolbook", serif',
    "heros": '"TeX Gyre Heros", Helvetica, Arial, sans-serif',
    "adventor": '"TeX Gyre Adventor", "Avant Garde", "Century Gothic", sans-serif',
    "lmodern": '"Latin Modern Roman", "Computer Modern", Georgia, serif',
}


def html_inline(value: str):
    """Marked-up content as HTML: every literal piece escaped, markup as <strong>, <em>, <a>."""
    from markupsafe import Markup, escape

    out = Markup("")
    for kind, *parts in spans(value):
        if kind == "text":
            out += escape(parts[0])
        elif kind == "bold":
            out += Markup("<strong>%s</strong>") % html_inline(parts[0])
        elif kind == "italic":
            out += Markup("<em>%s</em>") % html_inline(parts[0])
        else:
            out += Markup('<a href="%s">%s</a>') % (href(parts[1]), html_inline(parts[0]))
    return out


def to_html(doc: Outline, selection) -> str:
    """One self-contained, accessible, printable page. Every content string is escaped."""
    import jinja2

    from cvpress import __version__
    from cvpress.render import merged_style

    style = merged_style(selection)
    env = jinja2.Environment(loader=jinja2.PackageLoader("cvpress", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["inline"] = html_inline
    env.filters["href"] = href
    env.filters["datetime"] = lambda d: iso(d) or ""
    return env.get_template("resume.html.j2").render(
        doc=doc,
        variant=selection.name,
        description=selection.variant.description,
        generator=f"cvpress {__version__}",
        lang="en",
        css={
            "accent": "#" + style.accent.upper(),
            "font": FONT_STACKS.get(style.font, "serif"),
            "size": f"{style.font_size}pt",
            "margin": style.margin,
            "paper": "A4" if style.paper == "a4" else "letter",
        },
    )
