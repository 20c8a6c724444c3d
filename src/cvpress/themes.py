"""`cvpress theme copy` and `cvpress theme eject`: a theme's files, out of the package, to edit.

`copy NAME DIR` writes every file a build in theme NAME would use (the theme's own and the classic
ones it falls back to) into DIR: a theme of one's own to start from (`theme = "./DIR"`). `eject
FILE` copies one template or .sty file, as the content's theme has it, into `templates/` beside
the content file, where the search path finds it first. Both work from an installed package (the
files come from cvpress's own latex/ folder), never follow a link out of a theme folder, and never
overwrite a file without --force.
"""

from __future__ import annotations

from pathlib import Path

from cvpress import LOCAL_TEMPLATES, publish, render
from cvpress.errors import UserError

SUFFIXES = (".j2", ".sty", ".cls")


def files(theme: str, project: Path | None = None) -> dict[str, Path]:
    """name -> file, for every file of `theme` along its search path (the theme's first, then classic)."""
    folders = (render.theme_dir(theme, project), render.theme_dir(render.DEFAULT_THEME))
    return {path.name: path for path in render._first_match(tuple(dict.fromkeys(folders)), SUFFIXES)}


def copy(theme: str, target: Path, force: bool = False) -> list[Path]:
    """Every file of `theme` into `target`; returns the files written."""
    found = files(theme)
    there = [name for name in found if (target / name).exists()]
    if there and not force:
        raise UserError(f"{target}: already holds {', '.join(there)}; replace them with --force, or copy into another folder")
    return [publish.write_file(target / name, path.read_text(encoding="utf-8")) for name, path in sorted(found.items())]


def eject(name: str, content: Path, theme: str | None = None, force: bool = False) -> Path:
    """One file of the content's theme (or `theme`) into templates/ beside the content file."""
    from cvpress import content as loading

    project = content.resolve().parent
    chosen = theme or loading.load(content).style.theme
    found = files(chosen, project)
    if name not in found:
        raise UserError(f"{name!r}: theme {chosen!r} has no such file; it has: {', '.join(sorted(found))}")
    target = project / LOCAL_TEMPLATES / name
    if target.exists() and not force:
        raise UserError(f"{target}: already exists (your own copy); replace it with --force")
    return publish.write_file(target, found[name].read_text(encoding="utf-8"))
