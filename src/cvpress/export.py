"""`cvpress export`: the content as JSON Resume, or one variant as Markdown, plain text or HTML.

JSON Resume output is the whole content file, lossless: what JSON Resume has no field for goes to
`x-cvpress` keys and the `extra` table goes back where it came from, so `cvpress import` reads the
same content back (see jsonresume.py). Markdown, text and HTML show one variant's selection (the
same entries, highlights, label and summary as its PDF), built from one format-neutral outline.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from cvpress import escape as esc
from cvpress import outline
from cvpress.errors import UserError
from cvpress.jsonresume import ENTRY_KEY, EXT, split_locations
from cvpress.outline import Entry, Link, Outline, bare

FORMATS = ("json-resume", "markdown", "text", "html")
SUFFIXES = {"json-resume": ".json", "markdown": ".md", "text": ".txt", "html": ".html"}


@dataclass
class Options:
    content: Path = Path("content.toml")
    format: str = "json-resume"
    variant: str | None = None  # markdown/text/html: None = "full", else the first variant
    width: int = 80  # text: wrap at this many columns; 0 = one line per paragraph
    language: str | None = None  # json-resume: the content in this language (None: its default language)


def export(options: Options) -> str:
    """Load the content and return it in the chosen format."""
    import json

    from cvpress import content, variants

    if options.format not in FORMATS:
        raise UserError(f"unknown format {options.format!r} (expected one of: {', '.join(FORMATS)})")
    resume = content.load(options.content, (options.language,) if options.language else ())
    if options.format == "json-resume":
        if options.variant is not None:
            raise UserError("--variant applies to markdown, text and html; json-resume exports the whole content")
        if options.language:  # one language of a translated content (JSON Resume has one per file)
            resume = translated(resume, options.language)
        return json.dumps(to_json_resume(resume), indent=2, ensure_ascii=False) + "\n"
    if options.language:
        raise UserError("--language applies to json-resume; a variant's `language` chooses the others'")
    selection = variants.select(resume, options.variant or default_variant(resume))
    doc = outline.build(selection)
    if options.format == "markdown":
        return to_markdown(doc)
    if options.format == "text":
        return to_text(doc, options.width)
    return to_html(doc, selection)


def languages(path: Path) -> list[str]:
    """The languages of a content file's translation tables, its default language first ([] if none)."""
    from cvpress import content, translate

    resume = content.load(path)
    found = translate.languages(resume._content) if resume._content is not None else []
    return list(dict.fromkeys([resume.language, *found])) if found else []


def translated(resume, language: str):
    """The résumé in `language`, saying so (its `language` is that one)."""
    from cvpress import translate

    return translate.localized(resume, language).model_copy(update={"language": language})


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
    for section in ("education", "skills", "projects", "awards", "publications", "languages", "volunteer",
                    "certificates", "interests", "references"):
        out[section] = [_entry(item, entries.pop(f"{section}[{i}]", {}), open_means_present=section == "volunteer")
                        for i, item in enumerate(getattr(resume, section))]
    out = {k: v for k, v in out.items() if v != []}
    ext: dict[str, Any] = {"variants": {name: v.model_dump(mode="json", exclude_unset=True)
                                        for name, v in resume.variants.items()}}
    if style := resume.style.model_dump(mode="json", exclude_unset=True):
        ext["style"] = style
    if resume.sections:  # the content's own sections: JSON Resume has no place for them
        ext["sections"] = {name: _own_section(section) for name, section in resume.sections.items()}
    for key in ("language", "fallback_languages", "labels"):  # set in the file, or by --language
        if key in resume.model_fields_set or (key == "language" and resume.language != "en"):
            value = getattr(resume, key)
            ext[key] = value.model_dump(mode="json", exclude_unset=True) if hasattr(value, "model_dump") else value
    out[EXT] = ext
    if twice := [key for key in extra if key in out]:  # e.g. [extra].volunteer of an older import
        key = twice[0]
        raise UserError(f"extra.{key} and the content's own {key} would both be JSON Resume's {key!r}: "
                        f"move what extra.{key} holds into the content (or rename it), then export again")
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


def _entry(item, leftovers: dict, open_means_present: bool = False) -> dict:
    """Every section but basics and work: the same keys as JSON Resume. `open_means_present`: the
    import reads a missing end date as "present" (volunteer, as work)."""
    obj = item.model_dump(mode="json", exclude_none=True, exclude_defaults=True,
                          exclude={"tags", "highlights", "startDate", "endDate", "date", "releaseDate"})
    ext: dict[str, Any] = {}
    if hasattr(item, "startDate"):
        _dates(item, obj, ext, open_means_present)
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


def _own_section(section) -> dict:
    """A section of the content's own as it reads in TOML: dates as text, a bare highlight as its text."""
    out = section.model_dump(exclude_defaults=True, exclude={"entries"})
    if section.entries:
        out["entries"] = [_own_entry(entry) for entry in section.entries]
    return out


def _own_entry(entry) -> dict:
    dates = {"date", "startDate", "endDate"}
    obj = entry.model_dump(exclude_defaults=True, exclude={"highlights", *dates})
    for key in dates:
        if (date := getattr(entry, key)) is not None:
            obj[key] = iso(date) or "present"
    if entry.highlights:
        obj["highlights"] = [_own_highlight(h) for h in entry.highlights]
    return _ordered(entry, obj, "title")


def _own_highlight(highlight) -> str | dict:
    """Its text, or a table when it has tags, a priority or `keep`."""
    table = highlight.model_dump(exclude_defaults=True)
    return _ordered(highlight, table, "text") if table.keys() - {"text"} else highlight.text


def _ordered(model, obj: dict, first: str) -> dict:
    """Keys as one writes them: `first`, the rest in the model's order, then tags, priority and keep."""
    fields = [k for k in type(model).model_fields if k in obj]
    return {k: obj[k] for k in sorted(fields, key=lambda k: (k != first, k in ("tags", "priority", "keep")))}


# ------------------------------------------------------------------------------ inline markup

def spans(value):
    """Split marked-up text into ("text", s), ("bold", inner), ("italic", inner), ("link", inner, url):
    markup.py's tree, one level at a time. `value` is text, or the `inner` of a span yielded before
    (its already parsed children: pass it back to spans() to walk it)."""
    from cvpress import markup

    for span in markup.parse(value) if isinstance(value, str) else value:
        if span.kind == "text":
            yield ("text", span.text)
        elif span.kind == "link":
            yield ("link", span.children, span.url)
        else:
            yield (span.kind, span.children)


def plain(value: str) -> str:
    """Marked-up text as a reader sees it; a link keeps its address: "label (https://…)"."""
    out = []
    for kind, *parts in spans(value):
        if kind == "link":
            label, url = plain(parts[0]), parts[1]
            out.append(label if bare(url) == bare(label) else f"{label} ({url})")
        else:
            out.append(plain(parts[0]) if kind != "text" else esc.literal(parts[0]))
    return esc.literal("".join(out))  # literal pieces, joined: never parsed again


def href(url: str) -> str:
    """A link target safe in Markdown and HTML attributes: percent-encode spaces, quotes, <, >, ( and )."""
    encoded = quote(url.strip(), safe="-._~:/?#[]@!$&'*+,;=%")
    return re.sub(r"%(?![0-9A-Fa-f]{2})", "%25", encoded)


# ============================================================================== plain text

def to_text(doc: Outline, width: int = 80) -> str:
    """Plain text to paste into a job form: no markup, wrapped at `width` (0: no wrapping)."""
    lines = [doc.name.upper()]
    if doc.label:
        lines += _wrap(plain(doc.label.text), width)
    lines += _wrap(" | ".join(_link_text(c) for c in doc.contacts), width)
    for section in doc.sections:
        lines += ["", section.title.upper(), ""]
        if section.text:
            lines += _paragraphs(section.text.text, width)
        elif section.layout == "inline":
            lines += _wrap(", ".join(_one_item(e) for e in section.entries), width)
        for n, entry in enumerate(section.entries if section.layout != "inline" else []):
            if section.layout == "lines":
                lines += _wrap(f"{entry.title}: {entry.subtitle}" if entry.subtitle else entry.title, width, "  ")
                continue
            if n:
                lines.append("")
            lines += _text_entry(entry, width)
    return "\n".join(lines).rstrip() + "\n"


def _one_item(entry: Entry) -> str:
    """An entry of an "inline" section: "English (native)"."""
    return f"{entry.title} ({entry.subtitle})" if entry.subtitle else entry.title


def _link_text(link: Link) -> str:
    if link.url and not link.url.startswith(("mailto:", "tel:")) and bare(link.url) != link.text:
        return f"{link.text} ({link.url})"
    return link.text


def _text_entry(entry: Entry, width: int) -> list[str]:
    title = " | ".join(p for p in (entry.title, entry.location) if p)
    if entry.subtitle:
        head = [title, " | ".join(p for p in (entry.subtitle, entry.when.show()) if p)]
    else:
        head = [" | ".join(p for p in (title, entry.when.show()) if p)]
    lines = [w for line in head for w in _wrap(line, width, "  ")]
    if entry.url:
        lines.append(entry.url)
    lines += _text_body(entry, width)
    for role in entry.roles:
        lines.append("")
        lines += _wrap(" | ".join(p for p in (role.title, role.location, role.when.show()) if p), width, "  ")
        lines += _text_body(role, width)
    return lines


def _text_body(entry: Entry, width: int) -> list[str]:
    lines = [w for note in entry.notes for w in _paragraphs(note.text, width)]
    return lines + [w for h in entry.highlights for w in _wrap(plain(h.text), width, "  ", "- ")]


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
    # a " | " separator stays at the end of its line, never starts one: glued (no-break space, which
    # the split above has removed from the text itself) to the word before it, unglued after wrapping
    glued = value.replace(" | ", "\u00a0| ")
    lines = textwrap.wrap(glued, width, initial_indent=first, subsequent_indent=indent if not first else " " * len(first),
                          break_long_words=False, break_on_hyphens=False) or [first]
    return [line.replace("\u00a0", " ") for line in lines]


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
        lines += [f"**{md_inline(doc.label.text)}**", ""]
    if doc.contacts:
        lines += [" · ".join(_md_link(c.text, c.url) for c in doc.contacts), ""]
    for section in doc.sections:
        lines += [f"## {md_text(section.title)}", ""]
        if section.text:
            lines += [p for para in re.split(r"\n\s*\n", section.text.text.strip()) for p in (md_inline(para), "")]
        elif section.layout == "lines":
            lines += [f"- **{md_text(e.title)}**" + (f": {md_text(e.subtitle)}" if e.subtitle else "")
                      for e in section.entries] + [""]
        elif section.layout == "inline":
            lines += [", ".join(f"**{md_text(e.title)}**" + (f" ({md_text(e.subtitle)})" if e.subtitle else "")
                                for e in section.entries), ""]
        else:
            for entry in section.entries:
                lines += _md_entry(entry, "###")
    return "\n".join(lines).rstrip() + "\n"


def _md_meta(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _md_entry(entry: Entry, heading: str) -> list[str]:
    lines = [f"{heading} {_md_link(entry.title, entry.url)}", ""]
    meta = _md_meta(f"**{md_text(entry.subtitle)}**" if entry.subtitle else "",
                    md_text(entry.when.show(" – ")), md_text(entry.location))
    if meta:
        lines += [meta, ""]
    lines += _md_body(entry)
    for role in entry.roles:
        lines += [f"#### {md_text(role.title)}", ""]
        if meta := _md_meta(md_text(role.when.show(" – ")), md_text(role.location)):
            lines += [meta, ""]
        lines += _md_body(role)
    return lines


def _md_body(entry: Entry) -> list[str]:
    lines = [p for note in entry.notes for p in (md_inline(note.text), "")]
    if entry.highlights:
        lines += [f"- {md_inline(h.text)}" for h in entry.highlights] + [""]
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
    import jinja2.sandbox  # (binds jinja2 too)

    from cvpress import __version__
    from cvpress.render import merged_style

    style = merged_style(selection)
    env = jinja2.sandbox.ImmutableSandboxedEnvironment(loader=jinja2.PackageLoader("cvpress", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["inline"] = html_inline
    env.filters["href"] = href
    env.filters["datetime"] = lambda d: iso(d) or ""
    return env.get_template("resume.html.j2").render(
        doc=doc,
        generator=f"cvpress {__version__}",
        lang=doc.language,
        css=_css({
            "accent": "#" + style.accent.upper(),
            "font": FONT_STACKS.get(style.font, "serif"),
            "size": f"{style.font_size}pt",
            "margin": style.margin,
            "paper": "A4" if style.paper == "a4" else "letter",
        }),
    )


def _css(values: dict[str, str]) -> dict:
    """Values for the page's <style>, where HTML escaping is wrong (`&#34;` is not a quote in CSS):
    checked instead to be plain CSS values (validated style fields, the font stacks above)."""
    from markupsafe import Markup

    for key, value in values.items():
        if re.search(r"[<>{};\\\n]", value):
            raise ValueError(f"css {key}: {value!r} is not a plain CSS value")
    return {key: Markup(value) for key, value in values.items()}
