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
from cvpress import outline
from cvpress.model import FONTS, OPENTYPE_FONTS, Style
from cvpress.outline import TITLES  # noqa: F401  (render.TITLES: the section titles, for callers)
from cvpress.variants import Selection

DEFAULT_THEME = "classic"  # the base every theme falls back to


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
           project: Path | None = None, compiled: Path | None = None) -> Rendered:
    """The document for a selection. `style` replaces the variant's own (page fitting tightens it);
    `theme` replaces the style's; `project` is the content file's folder (see search_path);
    `compiled`, if given, is where Jinja keeps compiled templates between runs."""
    style = style or merged_style(selection)
    folders = search_path(theme or style.theme, project)
    templates = _first_match(folders, (".j2",))
    template = _environment(*folders, files=templates, compiled=compiled).get_template("document.tex.j2")
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
def _environment(*folders: Path, files: tuple[Path, ...] = (), compiled: Path | None = None):
    """`files` only keys the cache: a template file added to an earlier folder gets a fresh environment.
    `compiled`: where Jinja keeps compiled templates between runs (keyed by their source's checksum)."""
    import jinja2

    bytecode = None
    if compiled is not None:
        try:
            compiled.mkdir(parents=True, exist_ok=True)
            bytecode = jinja2.FileSystemBytecodeCache(str(compiled))
        except OSError:
            pass  # no cache, just slower
    return jinja2.Environment(
        bytecode_cache=bytecode,
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
    """Everything the templates show, already escaped: the variant's outline (outline.py), in LaTeX."""
    doc = outline.build(selection)
    package, sans = FONTS[style.font]
    sections = []
    for section in doc.sections:
        shown = {"kind": Tex(section.kind), "title": Tex(section.title), "template": f"{section.kind}.tex.j2",
                 "layout": Tex(section.layout)}
        if section.text:
            shown.update(text=esc.inline(section.text.text), src=Tex(section.text.path))
        else:
            shown["entries"] = [_entry(e) for e in section.entries]
            if section.kind not in ("work", "skills", "education", "languages"):
                shown["template"] = "entries.tex.j2"
        sections.append(shown)
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
            "title": esc.text(doc.meta.title),
            "author": esc.text(doc.meta.author),
            "subject": esc.text(doc.meta.subject),
            "keywords": esc.text(doc.meta.keywords),
            "creator": esc.text(f"cvpress {__version__}"),
            "lang": Tex("en"),
        },
        "name": esc.text(doc.name),
        "label": esc.inline(doc.label.text) if doc.label else None,
        "contacts": [{"text": esc.text(c.text), "url": esc.url(c.url) if c.url else None} for c in doc.contacts],
        "sections": sections,
    }


def dates(start, end) -> Tex:
    if start and end:
        return Tex(rf"\cvdates{{{esc.text(str(start))}}}{{{esc.text(str(end))}}}")
    return esc.text(str(start or end or ""))


def _lines(lines: list[outline.Line]) -> list[dict]:
    return [{"text": esc.inline(line.text), "src": Tex(line.path)} for line in lines]


def _entry(entry: outline.Entry) -> dict:
    """One entry of any section (an employer, a degree, a role, …) in the template's shape."""
    return {
        "title": esc.href(entry.url, entry.title) if entry.url else esc.text(entry.title),
        "subtitle": esc.text(entry.subtitle),
        "subtitle_src": Tex(entry.subtitle_path or entry.path),
        "dates": dates(entry.when.start, entry.when.end),
        "location": esc.text(entry.location),
        "notes": _lines(entry.notes),
        "highlights": _lines(entry.highlights),
        "roles": [_entry(r) for r in entry.roles],
        "src": Tex(entry.path),
    }
