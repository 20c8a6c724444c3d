"""`cvpress new [DIR]`: start a project: a commented content.toml and the editor schema beside it.

The starter content (package data: starter/content.toml) shows every feature with a short
comment, passes `cvpress check` and builds all three variants as it is.
"""

from __future__ import annotations

import os
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
    if os.path.lexists(content) and not force:
        raise UserError(f"{content}: already exists; use --force to replace it with the starter")
    editor = folder / schema.DEFAULT_PATH
    if os.path.lexists(editor) and not schema.is_ours(editor) and not force:  # checked before writing anything
        raise UserError(f"{editor}: already exists and is not a schema cvpress wrote; move it away, "
                        "or replace it (and content.toml) with --force")
    write_file(content, starter_text())
    written = [content, schema.write(editor, force=force)]
    ignore = folder / ".gitignore"
    if not os.path.lexists(ignore):  # built PDFs and the build cache are outputs, not sources
        write_file(ignore, "out/\n.cache/\n")
        written.append(ignore)
    return written
