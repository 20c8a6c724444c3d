"""Tests for cvpress.new: the starter project checks and builds out of the box (real TeX).

The starter is also where `cvpress build`'s progress output is checked: one line per variant,
stage timings with --verbose, colour only on a terminal and never with NO_COLOR.
"""

from __future__ import annotations

import io
import os
import tomllib
from pathlib import Path

import pytest
from conftest import run_cli

from cvpress import cli, schema, verify
from cvpress.new import starter_text

VARIANTS = ("full", "onepage", "manager")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / "my-cv"
    done = run_cli("new", str(folder))
    assert done.returncode == 0, done.stderr
    assert "cvpress build" in done.stdout
    return folder


def test_new_writes_the_starter_and_the_schema(project):
    assert (project / "content.toml").read_text(encoding="utf-8") == starter_text()
    assert schema.is_current(project / schema.DEFAULT_PATH)  # the starter's `#:schema` line resolves
    assert (project / ".gitignore").read_text(encoding="utf-8").splitlines() == ["out/", ".cache/"]


def test_starter_shows_every_feature():
    text = starter_text()
    data = tomllib.loads(text)
    highlights = [h for w in data["work"] for p in w["positions"] for h in p["highlights"]]
    tables = [h for h in highlights if isinstance(h, dict)]
    assert any(isinstance(h, str) for h in highlights)
    assert any(h.get("tags") for h in tables) and any("priority" in h for h in tables)
    assert any(h.get("keep") for h in tables)
    assert "**" in text and "*very*" in text and "](https://" in text  # inline markup
    assert any(len(w["positions"]) > 1 for w in data["work"])  # several roles at one employer
    variants = data["variants"]
    assert list(variants) == list(VARIANTS)
    assert variants["manager"]["extends"] == "full" and "style" in variants["onepage"]
    assert {"exclude_tags", "promote_tags", "max_priority", "max_highlights", "max_pages"} <= (
        set(variants["manager"]) | set(variants["onepage"]))
    for feature in ("tags", "priority", "keep", "markup", "extends", "style"):
        assert f"#   {feature}" in text  # explained in the header comment


def test_starter_passes_check(project):
    done = run_cli("check", "-c", str(project / "content.toml"))
    assert done.returncode == 0, done.stderr
    assert "valid (3 variants)" in done.stdout


def test_starter_builds_with_progress_lines(project):
    # ATS text checks have their own tests (test_ats); this one is about the starter and the output.
    done = run_cli("build", "--verbose", "--no-cache", "--no-ats", cwd=project, env={**os.environ, "NO_COLOR": ""})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    for name in VARIANTS:
        pdf = project / "out" / f"{name}.pdf"
        assert verify.page_count(pdf) <= {"full": 2, "onepage": 1, "manager": 2}[name]
        assert any(line.startswith("ok  " + name) for line in lines)
        timing = next(line for line in lines if line.startswith(f"    {name}: "))
        for stage in ("load", "select", "render", "compile", "verify", "publish"):
            assert f"{stage} " in timing
    assert "\033[" not in done.stdout + done.stderr  # not a terminal: no colour
    text = " ".join(verify.text(project / "out" / "manager.pdf").split())
    assert "Engineering Lead, Data Platform" in text and "property-based tests" not in text


def test_new_refuses_to_overwrite(project):
    content = project / "content.toml"
    content.write_text(starter_text().replace("Alex Example", "Someone Else"), encoding="utf-8")
    done = run_cli("new", str(project))
    assert done.returncode == 2 and "already exists" in done.stderr
    assert "Someone Else" in content.read_text(encoding="utf-8")
    assert run_cli("new", str(project), "--force").returncode == 0
    assert content.read_text(encoding="utf-8") == starter_text()


def test_new_never_overwrites_a_schema_file_cvpress_did_not_write(tmp_path):
    mine = tmp_path / schema.DEFAULT_PATH
    mine.parent.mkdir(parents=True)
    mine.write_text('{"mine": true}', encoding="utf-8")
    (tmp_path / ".gitignore").write_text("mine\n", encoding="utf-8")
    done = run_cli("new", str(tmp_path))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{mine}: already exists and is not a schema cvpress wrote")
    assert mine.read_text(encoding="utf-8") == '{"mine": true}' and not (tmp_path / "content.toml").exists()
    assert run_cli("new", str(tmp_path), "--force").returncode == 0
    assert schema.is_current(mine) and (tmp_path / ".gitignore").read_text(encoding="utf-8") == "mine\n"


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert cli._paint("ok", "green", _Terminal()) == "\033[32mok\033[0m"
    assert cli._paint("ok", "green", io.StringIO()) == "ok"
    monkeypatch.setenv("NO_COLOR", "1")
    assert cli._paint("ok", "green", _Terminal()) == "ok"
