"""The output folder: a build replaces or deletes only the files cvpress wrote there (outputs.py)."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CONTENT, run_cli
from cvpress import outputs
from cvpress.errors import UserError


def _content(tmp_path):
    shutil.copyfile(CONTENT, tmp_path / "content.toml")
    return tmp_path / "content.toml"


def test_a_file_written_through_put_is_ours_and_one_put_there_by_hand_is_not(tmp_path):
    outputs.put(tmp_path, "full", "full.pdf", b"%PDF cvpress")
    assert outputs.ours(tmp_path, "full", tmp_path / "full.pdf")
    (tmp_path / "full.pdf").write_bytes(b"%PDF the user's own")
    assert not outputs.ours(tmp_path, "full", tmp_path / "full.pdf")
    (tmp_path / "full.docx").write_bytes(b"never recorded")
    assert not outputs.ours(tmp_path, "full", tmp_path / "full.docx")
    assert outputs.ours(tmp_path, "full", tmp_path / "full.fit.json")  # nothing there: nothing to lose


def test_check_names_every_file_in_the_way_and_force_lets_it_go(tmp_path):
    (tmp_path / "full.pdf").write_bytes(b"mine")
    (tmp_path / "onepage.fit.json").write_text("{}")
    (tmp_path / "onepage.build.json").write_text('{"written by": "me"}')
    with pytest.raises(UserError) as refused:
        outputs.check(tmp_path, ["full", "onepage"], tmp_path / "content.toml", force=False)
    message = refused.value.format()
    for name in ("full.pdf", "onepage.fit.json", "onepage.build.json"):
        assert name in message
    assert "--force" in message
    outputs.check(tmp_path, ["full", "onepage"], tmp_path / "content.toml", force=True)
    outputs.check(tmp_path, ["manager"], tmp_path / "content.toml", force=False)  # nothing of its own in the way


def test_the_content_file_is_never_an_output_not_even_with_force(tmp_path):
    content = tmp_path / "content.toml"
    content.write_text("[basics]\n")
    (tmp_path / "full.pdf").symlink_to(content)
    with pytest.raises(UserError, match="is the content file"):
        outputs.check(tmp_path, ["full"], content, force=True)


def test_a_put_cut_short_before_the_rename_leaves_both_files_known(tmp_path):
    outputs.put(tmp_path, "full", "full.pdf", b"first build")
    outputs._update(tmp_path, "full", "full.pdf", add=outputs.digest(b"second build"), fresh=True)  # then killed
    assert outputs.ours(tmp_path, "full", tmp_path / "full.pdf")  # the first build's file, still there
    (tmp_path / "full.pdf").write_bytes(b"second build")  # as if the rename had happened
    assert outputs.ours(tmp_path, "full", tmp_path / "full.pdf")
    outputs.put(tmp_path, "full", "full.pdf", b"third build")
    record = json.loads((tmp_path / "full.build.json").read_text())
    assert record["files"]["full.pdf"] == [outputs.digest(b"second build"), outputs.digest(b"third build")]


def test_a_new_pdf_forgets_the_content_it_came_from_until_settled(tmp_path):
    outputs.put(tmp_path, "full", "full.pdf", b"one")
    outputs.settle(tmp_path, "full", tmp_path / "content.toml", "a" * 64)
    assert outputs.built_from(tmp_path, "full") == "a" * 64
    outputs._update(tmp_path, "full", "full.pdf", add=outputs.digest(b"two"), fresh=True)
    assert outputs.built_from(tmp_path, "full") is None  # not yet known: never a wrong "out of date"


def test_remove_deletes_only_a_file_of_ours(tmp_path):
    outputs.put(tmp_path, "full", "full.log", b"This is pdfTeX")
    outputs.remove(tmp_path, "full", "full.log")
    assert not (tmp_path / "full.log").exists()
    (tmp_path / "full.log").write_text("my notes")
    outputs.remove(tmp_path, "full", "full.log")
    assert (tmp_path / "full.log").read_text() == "my notes"


def test_clean_removes_what_builds_wrote_and_keeps_the_rest(tmp_path):
    outputs.put(tmp_path, "full", "full.pdf", b"built")
    outputs.put(tmp_path, "full", "full.fit.json", b"{}")
    outputs.put(tmp_path, "onepage", "onepage.pdf", b"built too")
    (tmp_path / "onepage.pdf").write_bytes(b"changed by hand since")
    (tmp_path / "notes.md").write_text("mine")
    (tmp_path / "manager.pdf").write_bytes(b"mine as well")
    removed, left = outputs.clean(tmp_path)
    assert {p.name for p in removed} == {"full.pdf", "full.fit.json", "full.build.json", "onepage.build.json"}
    assert [p.name for p in left] == ["onepage.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["manager.pdf", "notes.md", "onepage.pdf"]


def test_clean_never_follows_a_record_out_of_its_folder(tmp_path):
    (tmp_path / "out").mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep")
    record = {"written by": "cvpress 0.1.0 build", "variant": "full",
              "files": {"../precious.txt": [outputs.digest(b"keep")]}}
    (tmp_path / "out" / "full.build.json").write_text(json.dumps(record))
    outputs.clean(tmp_path / "out")
    assert victim.read_text() == "keep"


@pytest.mark.tex
def test_a_build_refuses_to_replace_a_pdf_of_the_users_and_force_replaces_it(tmp_path):
    _content(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "full.pdf").write_bytes(b"my own PDF")
    refused = run_cli("build", "-v", "full", cwd=tmp_path)
    assert refused.returncode == 2, refused.stderr
    assert "out/full.pdf" in refused.stderr and "--force" in refused.stderr and "Traceback" not in refused.stderr
    assert (out / "full.pdf").read_bytes() == b"my own PDF"
    assert run_cli("build", "-v", "full", "--force", cwd=tmp_path).returncode == 0
    assert (out / "full.pdf").read_bytes().startswith(b"%PDF")
    again = run_cli("build", "-v", "full", "--no-cache", cwd=tmp_path)  # its own PDF now: replaced freely
    assert again.returncode == 0, again.stderr


@pytest.mark.tex
def test_preview_and_clean_through_the_command_line_touch_only_cvpress_files(tmp_path):
    _content(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / "onepage.png").write_bytes(b"my picture")
    (out / "notes.md").write_text("mine")
    assert run_cli("build", "-v", "full", "-v", "onepage", cwd=tmp_path).returncode == 0
    refused = run_cli("preview", "-v", "full", "-v", "onepage", cwd=tmp_path)
    assert refused.returncode == 2 and "onepage.png" in refused.stderr
    assert not (out / "full.png").exists()  # refused before writing anything
    shown = run_cli("preview", "-v", "full", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert (out / "full.png").read_bytes().startswith(b"\x89PNG")
    cleaned = run_cli("clean", cwd=tmp_path)
    assert cleaned.returncode == 0, cleaned.stderr
    assert sorted(p.name for p in out.iterdir()) == ["notes.md", "onepage.png"]
    assert (out / "onepage.png").read_bytes() == b"my picture"
    assert not (tmp_path / ".cache" / "cvpress").exists()


@pytest.mark.tex
def test_a_pdf_edited_since_it_was_built_is_the_users_and_is_kept(tmp_path):
    _content(tmp_path)
    assert run_cli("build", "-v", "full", cwd=tmp_path).returncode == 0
    pdf = tmp_path / "out" / "full.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"% annotations a viewer saved\n")
    edited = pdf.read_bytes()
    (tmp_path / "content.toml").write_text((tmp_path / "content.toml").read_text() + "\n# a change\n")
    refused = run_cli("build", "-v", "full", cwd=tmp_path)
    assert refused.returncode == 2 and "full.pdf" in refused.stderr
    assert pdf.read_bytes() == edited
