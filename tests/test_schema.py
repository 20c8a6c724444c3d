"""Tests for cvpress.schema: the committed JSON Schema is current, complete and matches the model."""

from __future__ import annotations

import json
import sys
from pathlib import Path
import tomllib

import jsonschema
import pytest
from conftest import CONTENT, ROOT, run_cli

from cvpress import schema
from cvpress.new import starter_text

COMMITTED = ROOT / schema.DEFAULT_PATH


@pytest.fixture(scope="module")
def generated() -> dict:
    return schema.generate()


@pytest.fixture(scope="module")
def validator(generated) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(generated)
    return jsonschema.Draft202012Validator(generated)


def test_committed_schema_is_up_to_date():
    assert COMMITTED.read_text(encoding="utf-8") == schema.dumps(), (
        "schema/content.schema.json is out of date with model.py: regenerate it with `cvpress schema`")


def properties(node, where="#"):
    """Every (path, property schema) in a schema, through $defs and nested objects."""
    if isinstance(node, dict):
        for name, prop in (node.get("properties") or {}).items():
            yield f"{where}/{name}", prop
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, f"{where}/{i}")


def test_every_field_has_a_description(generated):
    found = list(properties(generated))
    assert len(found) > 60
    assert [path for path, prop in found if not prop.get("description")] == []


def test_content_toml_points_editors_at_the_schema():
    assert CONTENT.read_text(encoding="utf-8").splitlines()[0] == "#:schema ./schema/content.schema.json"
    assert starter_text().splitlines()[0] == "#:schema ./schema/content.schema.json"


@pytest.mark.parametrize("text", [CONTENT.read_text(encoding="utf-8"), starter_text(),
                                  (CONTENT.parent / "bilingual.toml").read_text(encoding="utf-8")],
                         ids=["content", "starter", "bilingual"])
def test_real_content_validates(validator, text):
    errors = [e.message for e in validator.iter_errors(tomllib.loads(text))]
    assert errors == []


@pytest.mark.parametrize("mistake, value", [
    (("basics", "nmae"), "typo"),  # unknown keys are errors, as in the model
    (("work", 0, "positions", 0, "startDate"), "Dec 2013"),
    (("work", 0, "positions", 0, "highlights", 0), {"text": "x", "priority": 12}),
    (("work", 0, "tags"), ["no spaces allowed"]),
    (("basics", "url"), "example.com"),
    (("style", "font"), "comic"),
    (("basics", "label"), {"en": "A", "city": "B"}),  # a translation table's keys are language tags
    (("basics", "label"), {}),
    (("basics", "url"), {"en": "https://a.example", "fr": "a.example"}),
])
def test_schema_flags_what_the_model_refuses(validator, mistake, value):
    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    node = data
    for part in mistake[:-1]:
        node = node[part]
    node[mistake[-1]] = value
    assert list(validator.iter_errors(data)), f"schema accepted {mistake} = {value!r}"


def test_highlights_may_be_text_or_tables(validator):
    data = {"basics": {"name": "A"}, "work": [{"name": "B", "positions": [
        {"position": "C", "startDate": 2019, "endDate": "Present", "highlights": ["plain", {"text": "t", "keep": True}]}]}]}
    assert list(validator.iter_errors(data)) == []


def test_schema_command(tmp_path):
    target = tmp_path / "s.json"
    assert run_cli("schema", "-o", str(target)).returncode == 0
    assert json.loads(target.read_text(encoding="utf-8")) == schema.generate()
    assert run_cli("schema", "--check", "-o", str(target)).returncode == 0
    target.write_text("{}", encoding="utf-8")
    stale = run_cli("schema", "--check", "-o", str(target))
    assert stale.returncode == 1 and "out of date" in stale.stderr


def test_schema_refreshes_its_own_file_but_never_overwrites_another_without_force(write_content, tmp_path):
    content = write_content("[basics]\nname = 'Ada'\n")
    target = tmp_path / "s.json"
    target.write_text(json.dumps({**schema.generate(), "description": "an older cvpress schema"}), encoding="utf-8")
    assert run_cli("schema", "-o", str(target)).returncode == 0  # its own output: `make schema` refreshes it
    assert schema.is_current(target)
    done = run_cli("schema", "-o", str(content))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"{content}: already exists; replace it with --force, or write elsewhere with -o"
    assert content.read_text(encoding="utf-8") == "[basics]\nname = 'Ada'\n"
    assert run_cli("schema", "-o", str(content), "--force").returncode == 0
    assert schema.is_current(content)


def test_taplo_reports_a_wrong_value_on_its_own_key_with_no_null_branches(tmp_path):
    """TOML has no null: an optional field is its type alone, so an editor names the key that is wrong."""
    import shutil
    import subprocess

    assert '"type": "null"' not in COMMITTED.read_text(encoding="utf-8")
    taplo = shutil.which("taplo") or str(Path(sys.executable).with_name("taplo"))
    (tmp_path / "s.json").write_text(schema.dumps(), encoding="utf-8")
    (tmp_path / "c.toml").write_text('[basics]\nname = "A"\n\n[variants.x]\nstyle = { font = "comic" }\n'
                                     'max_pages = "two"\n', encoding="utf-8")
    done = subprocess.run([taplo, "check", "--schema", (tmp_path / "s.json").as_uri(), "c.toml"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert '"comic" is not one of' in done.stderr and '"two" is not of type "integer"' in done.stderr, done.stderr
    assert "anyOf" not in done.stderr
