"""Hashing helpers for the cache keys (cache.py, formats.py, memo.py). Standard library only."""

from __future__ import annotations

import hashlib
from pathlib import Path


def feed(digest, label: str, data: bytes | str) -> None:
    """Add one labelled input to a sha256, length-prefixed: no two different inputs hash alike."""
    data = data.encode("utf-8") if isinstance(data, str) else data
    digest.update(f"{label}\0{len(data)}\0".encode() + data)


def tree(digest, folder: Path) -> None:
    """Feed every file below `folder` (names and bytes), in a stable order."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        feed(digest, str(path.relative_to(folder)), path.read_bytes())


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
