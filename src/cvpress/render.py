"""Stage 3: turn a Selection into a .tex document through the theme's Jinja2 templates.

Python decides what is shown and escapes every value once (escape.py); templates only lay it
out. Each generated content line ends with `% @key.path`, the source map that compile errors use.

Every file (template or .sty) is looked up along a search path, first match wins: the `templates/`
folder beside the content file (the user's own copies), the theme, then classic. So a theme ships
only the files it changes, and a user overrides one file without copying a theme.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from cvpress import LATEX_DIR, LOCAL_TEMPLATES, __version__, engines, is_theme_folder
from cvpress import escape as esc
from cvpress.escape import Tex
from cvpress.locate import format_path
from cvpress.model import FONTS, OPENTYPE_FONTS, Style
from cvpress.variants import Entry, Item, Selection

DEFAULT_THEME = "classic"  # the base every theme falls back to
TITLES = {
    "summary": "Summary",
    "work": "Experience",
    "education": "Education",
    "skills": "Skills",
    "projects": "Projects",
    "awards": "Awards",
    "publications": "Publications",
    "languages": "Languages",
}


@dataclass(frozen=True)
class Rendered:
    """A generated document and the files the engine needs beside it."""

    tex: str
    support: tuple[Path, ...]  # theme .sty/.cls files, copied into the build folder
    templates: tuple[Path, ...] = ()  # the Jinja2 templates it was rendered from (the build cache keys on them)

    @property
    def engine(self) -> str:
        """pdflatex, or lualatex when the document holds characters pdfLaTeX cannot set (engines.py)."""
        return engines.choose(self.tex)


def theme_dir(theme: str = DEFAULT_THEME, project: Path | None = None) -> Path:
    """A shipped theme by name (latex/themes/NAME), or a folder of the user's own (relative to `project`)."""
    folder = (project or Path()) / theme if is_theme_folder(theme) else LATEX_DIR / "themes" / theme
    if not folder.is_dir():
        from cvpress.errors import UserError

        known = ", ".join(sorted(p.name for p in (LATEX_DIR / "themes").iterdir() if p.is_dir()))
        raise UserError(f"theme {theme!r} not found (shipped themes: {known}; or a folder of template "
                        f"and .sty files, such as ./my-theme)")
    return folder.resolve()


def search_path(theme: str = DEFAULT_THEME, project: Path | None = None) -> tuple[Path, ...]:
    """Where template and .sty files are looked up, first match wins: `project`/templates/ (the
    content file's folder), the theme, then classic."""
    local = [project / LOCAL_TEMPLATES] if project and (project / LOCAL_TEMPLATES).is_dir() else []
    return tuple(dict.fromkeys(f.resolve() for f in [*local, theme_dir(theme, project), theme_dir(DEFAULT_THEME)]))


def render(selection: Selection, theme: str | None = None, style: Style | None = None,
           project: Path | None = None) -> Rendered:
    """The document for a selection. `style` replaces the variant's own (page fitting tightens it);
    `theme` replaces the style's; `project` is the content file's folder (see search_path)."""
    style = style or merged_style(selection)
    folders = search_path(theme or style.theme, project)
    templates = _first_match(folders, (".j2",))
    template = _environment(*folders, files=templates).get_template("document.tex.j2")
    tex = template.render(**view(selection, style))
    return Rendered(tex, _first_match(folders, (".sty", ".cls")), templates)


def _first_match(folders: tuple[Path, ...], suffixes: tuple[str, ...]) -> tuple[Path, ...]:
    """The files with these suffixes along the search path; of two with one name, the earlier folder's."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in folder.iterdir():
            if path.suffix in suffixes and path.is_file():
                found.setdefault(path.name, path)
    return tuple(found[name] for name in sorted(found))


@functools.cache  # one environment per search path and set of files: each template compiles once per process
def _environment(*folders: Path, files: tuple[Path, ...] = ()):
    """`files` only keys the cache: a template file added to an earlier folder gets a fresh environment."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folders),
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="<<",
        variable_end_string=">>",
        comment_start_string="((#",
        comment_end_string="#))",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        finalize=_only_tex,
    )


def _only_tex(value):
    """Templates print escaped values only: a raw str here is a bug, not a formatting choice."""
    import jinja2  # already loaded: this runs while a template renders

    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises jinja2's UndefinedError, which names the missing value
    if isinstance(value, Tex) or value is None:
        return value or ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise TypeError(f"unescaped value reached a template: {value!r}")


def merged_style(selection: Selection) -> Style:
    base, override = selection.resume.style, selection.variant.style
    if override is None:
        return base
    return base.model_copy(update={k: getattr(override, k) for k in override.model_fields_set})


def view(selection: Selection, style: Style) -> dict:
    """Everything the templates show, already escaped."""
    basics = selection.resume.basics
    package, sans = FONTS[style.font]
    keywords = [k for e in selection.entries.get("skills", []) for k in e.item.keywords]
    sections = []
    for kind in selection.sections:
        section = {"kind": Tex(kind), "title": Tex(TITLES[kind]), "template": f"{kind}.tex.j2"}
        if kind == "summary":
            if not selection.summary:
                continue
            summary_src = "variants." + selection.name + ".summary" if selection.variant.summary else "basics.summary"
            section.update(text=esc.inline(selection.summary), src=Tex(summary_src))
        elif kind == "work":
            section["entries"] = [_employer(e) for e in selection.work]
        else:
            section["entries"] = [_entry(kind, e) for e in selection.entries.get(kind, [])]
            if kind not in ("skills", "education"):
                section["template"] = "entries.tex.j2"
        if kind == "summary" or section["entries"]:
            sections.append(section)
    return {
        "style": {
            "font_size": style.font_size,
            "paper": Tex(f"{style.paper}paper"),
            "margin": Tex(style.margin),
            "accent": Tex(style.accent.upper()),
            "spacing": Tex(f"{style.spacing:.3f}"),
            "font_package": Tex(package + ("}\n\\renewcommand*{\\familydefault}{\\sfdefault" if sans else "")),
            "opentype": Tex(OPENTYPE_FONTS[style.font]),  # LuaLaTeX: the same font as OpenType files
            "fallback": Tex("sans" if sans else "serif"),  # LuaLaTeX: DejaVu Sans or Serif first for other scripts
        },
        "meta": {
            "title": esc.text(f"{basics.name} – Résumé ({selection.name})"),
            "author": esc.text(basics.name),
            "subject": esc.text(selection.variant.description or selection.label or ""),
            "keywords": esc.text(", ".join(keywords)),
            "creator": esc.text(f"cvpress {__version__}"),
            "lang": Tex("en"),
        },
        "name": esc.text(basics.name),
        "label": esc.inline(selection.label) if selection.label else None,
        "contacts": _contacts(basics),
        "sections": sections,
    }


def _contacts(basics) -> list[dict]:
    contacts = []
    if basics.email:
        contacts.append({"text": esc.text(basics.email), "url": esc.url("mailto:" + basics.email)})
    if basics.phone:
        contacts.append({"text": esc.text(basics.phone), "url": esc.url("tel:" + "".join(basics.phone.split()))})
    if basics.url:
        contacts.append({"text": esc.text(_bare(basics.url)), "url": esc.url(basics.url)})
    if basics.location:
        contacts.append({"text": esc.text(str(basics.location)), "url": None})
    for profile in basics.profiles:
        shown = profile.username or _bare(profile.url or "") or profile.network
        contacts.append({"text": esc.text(f"{profile.network}: {shown}" if profile.username else shown),
                         "url": esc.url(profile.url) if profile.url else None})
    return contacts


def _bare(url: str) -> str:
    for prefix in ("https://", "http://", "mailto:", "tel:"):
        if url.lower().startswith(prefix):
            url = url[len(prefix):]
    return url.removeprefix("www.").rstrip("/")


def dates(start, end) -> Tex:
    if start and end:
        return Tex(rf"\cvdates{{{esc.text(str(start))}}}{{{esc.text(str(end))}}}")
    return esc.text(str(start or end or ""))


def _items(items: list[Item]) -> list[dict]:
    return [{"text": esc.inline(i.text), "src": Tex(format_path(i.path))} for i in items]


def _employer(employer) -> dict:
    work = employer.work
    roles = [
        {
            "title": esc.text(r.position.position),
            "dates": dates(r.position.startDate, r.position.endDate),
            "location": esc.text(r.position.location or work.location or ""),
            "summary": esc.inline(r.position.summary) if r.position.summary else None,
            "highlights": _items(r.highlights),
            "src": Tex(format_path(r.path)),
        }
        for r in employer.roles
    ]
    starts = [r.position.startDate for r in employer.roles if r.position.startDate]
    ends = [r.position.endDate for r in employer.roles if r.position.endDate]
    name = esc.href(work.url, work.name) if work.url else esc.text(work.name)
    return {
        "name": name,
        "dates": dates(min(starts, key=lambda d: d.sort_key, default=None),
                       max(ends, key=lambda d: d.sort_key, default=None)),
        "roles": roles,
        "src": Tex(format_path(employer.path)),
    }


def _entry(kind: str, entry: Entry) -> dict:
    """One entry of a non-work section, in the common title/subtitle/dates/note shape."""
    item = entry.item
    title, subtitle, when, note, location = "", "", "", None, ""
    if kind == "education":
        title, location = item.institution, item.location or ""
        subtitle = ", ".join(p for p in (item.studyType, item.area) if p)
        when = dates(item.startDate, item.endDate)
        note = "; ".join(p for p in (item.score and f"Score: {item.score}", ", ".join(item.courses)) if p) or None
    elif kind == "skills":
        title, subtitle = item.name, ", ".join(item.keywords) or (item.level or "")
    elif kind == "projects":
        title, subtitle, note = item.name, "", item.description
        when = dates(item.startDate, item.endDate)
    elif kind == "awards":
        title, subtitle, note, when = item.title, item.awarder or "", item.summary, esc.text(str(item.date or ""))
    elif kind == "publications":
        title, subtitle, note = item.name, item.publisher or "", item.summary
        when = esc.text(str(item.releaseDate or ""))
    elif kind == "languages":
        title, subtitle = item.language, item.fluency or ""
    url = getattr(item, "url", None)
    return {
        "title": esc.href(url, title) if url else esc.text(title),
        "subtitle": esc.text(subtitle),
        "dates": when if isinstance(when, Tex) else esc.text(when),
        "location": esc.text(location),
        "note": esc.inline(note) if note else None,
        "highlights": _items(entry.highlights),
        "src": Tex(format_path(entry.path)),
    }
