"""publish.write: a file reaches its place whole, or not at all, and leaves nothing behind."""

from __future__ import annotations

import pytest

from cvpress import publish


def test_a_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    publish.write(target, b"new")
    assert target.read_bytes() == b"new" and [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_a_write_that_fails_leaves_the_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "in-the-way"
    target.mkdir()  # a folder where the file should go: the final rename fails
    (target / "keep.txt").write_text("mine")
    with pytest.raises(OSError):
        publish.write(target, b"new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in-the-way"]  # no .in-the-way.*.tmp left
    assert (target / "keep.txt").read_text() == "mine"


def test_an_interrupted_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")

    def interrupted(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(publish.os, "replace", interrupted)  # Ctrl-C between writing and renaming
    with pytest.raises(KeyboardInterrupt):
        publish.write(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_publish_replaces_the_target_whole(tmp_path):
    source, target = tmp_path / "new.pdf", tmp_path / "out" / "cv.pdf"
    target.parent.mkdir()
    source.write_bytes(b"new contents")
    target.write_bytes(b"old")
    assert publish.copy(source, target) == target
    assert target.read_bytes() == b"new contents"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert [p.name for p in target.parent.iterdir()] == ["cv.pdf"]


def test_publish_failure_leaves_target_and_no_temporary(tmp_path):
    target = tmp_path / "cv.pdf"
    target.write_bytes(b"old")
    with pytest.raises(FileNotFoundError):
        publish.copy(tmp_path / "missing.pdf", target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cv.pdf"]
