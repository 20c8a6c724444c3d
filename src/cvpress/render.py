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
from cvpress.errors import ContentError, Problem, UserError
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


def theme_dir(theme: str = DEFAULT_THEME, project: Path | None = None, inside: Path | None = None) -> Path:
    """A shipped theme by name (latex/themes/NAME), or a folder of the user's own (relative to `project`).
    `inside`: a folder the theme folder must really be in (links followed), else a UserError."""
    folder = (project or Path()) / theme if is_theme_folder(theme) else LATEX_DIR / "themes" / theme
    if not folder.is_dir():
        known = ", ".join(sorted(p.name for p in (LATEX_DIR / "themes").iterdir() if p.is_dir()))
        raise UserError(f"theme {theme!r} not found (shipped themes: {known}; or a folder of template "
                        f"and .sty files, such as ./my-theme)")
    real = folder.resolve()
    if inside is not None and is_theme_folder(theme) and not real.is_relative_to(inside.resolve()):
        really = f" (really {real})" if str(real) != theme else ""
        raise UserError(f"theme folder {theme!r}{really} is outside the project folder {inside.resolve()}: a theme "
                        "the content file names must be a folder inside the content file's folder (a link out "
                        "of it counts as outside); to use a folder elsewhere, name it yourself: --theme FOLDER")
    return real


def search_path(theme: str = DEFAULT_THEME, project: Path | None = None, confined: bool = False) -> tuple[Path, ...]:
    """Where template and .sty files are looked up, first match wins: `project`/templates/ (the
    content file's folder), the theme, then classic. `confined`: the theme was named in the content
    file, so a theme folder must be inside `project` (one named on the command line may be anywhere)."""
    local = [project / LOCAL_TEMPLATES] if project and (project / LOCAL_TEMPLATES).is_dir() else []
    for folder in local:
        if not folder.resolve().is_relative_to(project.resolve()):
            raise UserError(f"{folder}: a link to {folder.resolve()}, outside the project folder: "
                            f"keep your own templates in a real {LOCAL_TEMPLATES}/ folder beside the content file")
    themed = theme_dir(theme, project, inside=(project or Path()) if confined else None)
    return tuple(dict.fromkeys(f.resolve() for f in [*local, themed, theme_dir(DEFAULT_THEME)]))


def theme_key(selection: Selection) -> str:
    """The key path that chose a selection's theme: its variant's style, else the file's [style]."""
    override = selection.variant.style
    if override is not None and "theme" in override.model_fields_set:
        return f"variants.{selection.name}.style.theme"
    return "style.theme"


def check_theme(selection: Selection, content: Path | None = None, project: Path | None = None) -> None:
    """A theme folder the content names must be inside the project folder: a ContentError naming
    the file, line and key path otherwise (`content`: the content file, when known)."""
    theme = merged_style(selection).theme
    project = content.resolve().parent if content is not None else project
    try:
        theme_dir(theme, project, inside=project or Path())
    except UserError as e:
        key, line, column, source = theme_key(selection), None, None, None
        if content is not None:
            from cvpress.locate import format_path, locate

            text = content.read_text(encoding="utf-8")
            line, column = next((at for path, at in locate(text).items() if format_path(path) == key), (None, None))
            source = text.splitlines()[line - 1] if line else None
        raise ContentError(Problem(str(e), str(content) if content else None, line, column, key, source).format()) from None


def render(selection: Selection, theme: str | None = None, style: Style | None = None,
           project: Path | None = None) -> Rendered:
    """The document for a selection. `style` replaces the variant's own (page fitting tightens it);
    `theme` replaces the style's (the user named it: a folder may be anywhere); `project` is the
    content file's folder (see search_path). A mistake in a template is a UserError naming its file
    and line."""
    style = style or merged_style(selection)
    if theme is None:
        check_theme(selection, project=project)
    folders = search_path(theme or style.theme, project, confined=theme is None)
    templates = _first_match(folders, (".j2",))
    environment = _environment(*folders, files=templates)
    values = view(selection, style)
    try:
        tex = environment.get_template("document.tex.j2").render(**values)
    except Exception as e:  # raised by a template: its author's mistake (_template_error); anything else is a bug
        raise _template_error(e, environment, folders, project) from e
    if (face := engines.cjk_face(tex, str(values["meta"]["lang"]))) is not None:  # cvpress.sty reads it
        tex = rf"\def\cvcjkface{{{face}}}% Noto Serif CJK face (engines.cjk_face)" + "\n" + tex
    return Rendered(tex, _first_match(folders, (".sty", ".cls")), templates)


def _first_match(folders: tuple[Path, ...], suffixes: tuple[str, ...]) -> tuple[Path, ...]:
    """The files with these suffixes along the search path; of two with one name, the earlier folder's.
    A file that is a link out of its folder is refused (its content would reach the PDF)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in folder.iterdir():
            if path.suffix in suffixes and path.is_file():
                _confined(path, folder)
                found.setdefault(path.name, path)
    return tuple(found[name] for name in sorted(found))


def _confined(path: Path, folder: Path) -> None:
    real = path.resolve()
    if not real.is_relative_to(folder.resolve()):
        raise UserError(f"{path}: a link to {real}, outside its folder {folder}: template and theme files must be "
                        "in their folder (copy the file in instead of linking to it)")


def _where(filename: str, project: Path | None) -> str:
    """A template's file as the user knows it: templates/x.tex.j2, classic/x.tex.j2, or its full path."""
    path = Path(filename)
    for base in filter(None, (project and project.resolve(), LATEX_DIR / "themes")):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _template_error(error: Exception, environment, folders: tuple[Path, ...], project: Path | None) -> Exception:
    """The UserError for an exception a template raised: its file and line, what went wrong and, for
    an undefined name, the names the template had. Any other exception is returned as it is (a bug)."""
    import jinja2

    if isinstance(error, jinja2.TemplateSyntaxError):
        where = f"{_where(error.filename or error.name or '?', project)}:{error.lineno}"
        return UserError(f"{where}: template syntax error: {error.message}")
    frame, missing, tb = None, None, error.__traceback__
    while tb is not None:  # the innermost frame of a template (Jinja names them by the template's file)
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            frame = tb
        for value in (tb.tb_frame.f_locals.get(n) for n in ("self", "value")):
            missing = value if isinstance(value, jinja2.Undefined) else missing  # (on what an attribute was missing)
        tb = tb.tb_next
    if frame is None:
        if isinstance(error, jinja2.TemplateNotFound):  # document.tex.j2 itself
            return UserError(f"template {error.name!r} not found in {', '.join(map(str, folders))}")
        return error
    where = f"{_where(frame.tb_frame.f_code.co_filename, project)}:{frame.tb_lineno}"
    if isinstance(error, jinja2.UndefinedError):
        names = [n for n in frame.tb_frame.f_locals if n not in environment.globals and not n.startswith("_")]
        found = getattr(missing, "_undefined_obj", None)
        if isinstance(found, dict):  # an attribute of a value: name that value's keys
            return UserError(f"{where}: {error.message}; it has: {', '.join(map(str, found)) or '(nothing)'}")
        return UserError(f"{where}: {error.message}; available: {', '.join(names) or '(none)'}")
    if isinstance(error, jinja2.TemplateNotFound):
        return UserError(f"{where}: template {error.name!r} not found (looked in {', '.join(map(str, folders))})")
    if isinstance(error, RecursionError):
        return UserError(f"{where}: the templates include or call each other without end")
    if isinstance(error, jinja2.exceptions.SecurityError):
        return UserError(f"{where}: {error} (templates run sandboxed: they lay values out, they call nothing)")
    if isinstance(error, UserError):
        return error
    return UserError(f"{where}: {error}" if str(error) else f"{where}: {type(error).__name__}")


@functools.cache  # one environment per search path and set of files: each template compiles once per process
def _environment(*folders: Path, files: tuple[Path, ...] = ()):
    """`files` only keys the cache: a template file added to an earlier folder gets a fresh environment."""
    import jinja2
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(  # a template reaches no Python object beyond the values it is given
        loader=_confined_loader()(folders),
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


@functools.cache  # a class, made once jinja2 is loaded
def _confined_loader():
    """A FileSystemLoader that refuses a template whose real path leaves its folder (a link out)."""
    import jinja2
    from jinja2.loaders import split_template_path

    class ConfinedLoader(jinja2.FileSystemLoader):
        def get_source(self, environment, template):
            pieces = split_template_path(template)
            for folder in self.searchpath:
                path = Path(folder, *pieces)
                if path.is_file():
                    _confined(path, Path(folder))  # before reading: a link to /dev/zero never ends
                    break
            return super().get_source(environment, template)  # or TemplateNotFound, naming the folders

    return ConfinedLoader


class UnescapedValue(TypeError):
    """A template printed something that escape.py did not make."""


def _only_tex(value):
    """Templates print escaped values only: a raw str here is a bug, not a formatting choice."""
    import jinja2  # already loaded: this runs while a template renders

    if isinstance(value, jinja2.Undefined):
        str(value)  # StrictUndefined raises jinja2's UndefinedError, which names the missing value
    if isinstance(value, Tex) or value is None:
        return value or ""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    shown = repr(value) if len(repr(value)) <= 60 else repr(value)[:57] + "..."
    raise UnescapedValue(f"unescaped value reached a template: {shown}; a template prints only the values "
                         "cvpress gives it: write LaTeX in the template itself, not as a quoted string")


# The template of a section other than the summary, work and education, by its layout (outline.LAYOUTS)
_LAYOUT_TEMPLATES = {"entries": "entries.tex.j2", "lines": "skills.tex.j2", "inline": "languages.tex.j2"}


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
            if section.kind not in ("work", "education"):  # the others by their layout
                shown["template"] = _LAYOUT_TEMPLATES[section.layout]
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
            "lang": esc.text(doc.language),
        },
        "name": esc.text(doc.name),
        "label": esc.inline(doc.label.text) if doc.label else None,
        "contacts": [{"text": esc.text(c.text), "url": esc.url(c.url) if c.url else None, "src": Tex(c.path)}
                     for c in doc.contacts],
        "sections": sections,
    }


def dates(when: outline.When) -> Tex:
    if when.start and when.end:
        return Tex(rf"\cvdates{{{esc.text(when.first)}}}{{{esc.text(when.last)}}}")
    return esc.text(when.show())


def _lines(lines: list[outline.Line]) -> list[dict]:
    return [{"text": esc.inline(line.text), "src": Tex(line.path)} for line in lines]


def _entry(entry: outline.Entry) -> dict:
    """One entry of any section (an employer, a degree, a role, …) in the template's shape."""
    return {
        "title": esc.href(entry.url, entry.title) if entry.url else esc.text(entry.title),
        "subtitle": esc.text(entry.subtitle),
        "subtitle_src": Tex(entry.subtitle_path or entry.path),
        "dates": dates(entry.when),
        "location": esc.text(entry.location),
        "notes": _lines(entry.notes),
        "highlights": _lines(entry.highlights),
        "roles": [_entry(r) for r in entry.roles],
        "src": Tex(entry.path),
    }
