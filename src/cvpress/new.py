"""`cvpress new [DIR]`: start a project: a commented content.toml and the editor schema beside it.

The starter content (package data: starter/content.toml) shows every feature with a short
comment, passes `cvpress check` and builds all three variants as it is.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from cvpress import schema
from cvpress.errors import UserError
from cvpress.publish import write_file


def starter_text() -> str:
    return resources.files("cvpress").joinpath("starter", "content.toml").read_text(encoding="utf-8")


def new(folder: Path, force: bool = False) -> list[Path]:
    """Write DIR/content.toml and DIR/schema/content.schema.json; returns the files written."""
    content = folder / "content.toml"
    if folder.exists() and not folder.is_dir():
        raise UserError(f"{folder}: exists and is not a folder")
    if content.exists() and not force:
        raise UserError(f"{content}: already exists; use --force to replace it with the starter")
    write_file(content, starter_text())
    written = [content, schema.write(folder / schema.DEFAULT_PATH)]
    ignore = folder / ".gitignore"
    if not ignore.exists():  # built PDFs and the build cache are outputs, not sources
        write_file(ignore, "out/\n.cache/\n")
        written.append(ignore)
    return written
