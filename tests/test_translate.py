"""Tests for cvpress.translate: translation tables in one content file, picked per variant language."""

from __future__ import annotations

import json
import tomllib

import pytest
from conftest import CONTENT, run_cli

from cvpress import content, export, outline, translate, variants
from cvpress.errors import EXIT_INPUT, ContentError

BILINGUAL = CONTENT.parent / "bilingual.toml"

BASE = """\
language = "en"
{top}
[basics]
name = "Ada Example"
label = {{ en = "Engineer", fr = "Ingénieure", de = "Ingenieurin" }}

[[work]]
name = "Acme"
location = {{ en = "Munich", de = "München" }}
[[work.positions]]
position = {{ en = "Lead", fr = "Responsable" }}
startDate = "2020-01"
highlights = [
  {{ text = {{ en = "Shipped the thing", fr = "Livré la chose" }}, priority = 1, tags = ["ship"] }},
  {{ text = {{ en = "Minor work", fr = "Travail mineur" }}, priority = 5 }},
  "Plain text, the same in every language",
]

[variants.en]
[variants.fr]
language = "fr"
max_priority = 3
label = {{ en = "Variant label", fr = "Libellé de variante" }}
[variants.fr-ca]
extends = "fr"
language = "fr-CA"
[variants.de]
language = "de"
"""


def write(tmp_path, top: str = "", text: str = BASE):
    path = tmp_path / "content.toml"
    path.write_text(text.format(top=top), encoding="utf-8")
    return path


def test_a_table_is_told_apart_from_the_contents_other_tables_by_its_shape():
    assert translate.is_table({"en": "a", "fr": "b", "pt-BR": "c"})
    assert not translate.is_table({})
    assert not translate.is_table({"city": "Lyon"})  # a location table
    assert not translate.is_table({"en": "a", "city": "Lyon"})
    assert not translate.is_table({"en": {"text": "a"}})  # e.g. variants named like languages
    assert not translate.is_table({"EN": "a"})
    assert not translate.is_table({"cty": "Lyon"})  # a location with a typo: no known language
    assert translate.is_table({"en": "a", "xx": "b"})  # an unknown language beside a known one
    data = {"basics": {"label": {"en": "a"}, "location": {"city": "Lyon"}}, "extra": {"x": {"en": "kept"}},
            "work": [{"positions": [{"highlights": [{"en": "h"}]}]}], "variants": {"fr": {"label": {"fr": "l"}}}}
    assert [p for p, _ in translate.tables(data)] == [
        ("basics", "label"), ("work", 0, "positions", 0, "highlights", 0), ("variants", "fr", "label")]
    assert translate.languages(data) == ["en", "fr"]


@pytest.mark.parametrize("language, fallback, table, expected", [
    ("fr", (), {"en": "E", "fr": "F"}, ("F", "fr", True)),
    ("fr-CA", ("en",), {"en": "E", "fr": "F"}, ("F", "fr", True)),  # a region reads its language
    ("fr", ("en",), {"en": "E", "fr-CA": "C"}, ("C", "fr-CA", True)),  # and a language its regions
    ("fr-CA", ("en",), {"fr": "F", "fr-CA": "C"}, ("C", "fr-CA", True)),  # the region itself first
    ("de", ("en",), {"en": "E", "fr": "F"}, ("E", "en", False)),
    ("de", ("fr", "en"), {"en": "E", "fr": "F"}, ("F", "fr", False)),  # in the declared order
    ("de", ("en",), {"pl": "P", "fr": "F"}, ("P", "pl", False)),  # none: the table's first
])
def test_a_text_is_picked_in_the_variants_language_then_in_the_declared_order(language, fallback, table, expected):
    assert translate.Order(language, fallback).pick(table) == expected


def test_the_declared_order_is_the_fallback_languages_then_the_default_language():
    assert translate.order({"language": "de", "fallback_languages": ["fr"]}, "pl").fallback == ("fr", "de")
    assert translate.order({}, "pl").fallback == ("en",)


def test_each_variant_shows_its_languages_texts_with_the_same_tags_and_priorities(tmp_path):
    resume = content.load(write(tmp_path))
    en, fr, fr_ca, de = (variants.select(resume, name) for name in ("en", "fr", "fr-ca", "de"))
    assert [i.text for i in en.highlights()] == ["Shipped the thing", "Minor work", "Plain text, the same in every language"]
    assert [i.text for i in fr.highlights()] == ["Livré la chose", "Plain text, the same in every language"]
    assert [i.highlight.tags for i in fr.highlights()] == [["ship"], []]
    assert fr_ca.highlights() == fr.highlights()  # fr-CA reads fr, and extends its recipe
    assert (en.label, fr.label, fr_ca.label, de.label) == ("Engineer", "Libellé de variante", "Libellé de variante", "Ingenieurin")
    assert de.work[0].work.location == "München" and en.work[0].work.location == "Munich"
    assert de.work[0].roles[0].position.position == "Lead"  # no German: English, the default language
    text = export.to_text(outline.build(fr), 0)  # every output walks the variant's outline
    assert "Responsable" in text and "Livré la chose" in text and "Lead" not in text and "Shipped" not in text
    assert outline.build(fr).language == "fr" and outline.build(de).language == "de"


def test_a_file_without_tables_is_validated_once_and_carries_no_translations(tmp_path):
    resume = content.load(CONTENT)
    assert resume._content is None and resume._translations == {}
    assert translate.localized(resume, "fr") is resume


def test_a_variant_warns_of_the_texts_it_shows_that_fall_back(tmp_path):
    resume = content.load(write(tmp_path))
    assert variants.select(resume, "en").warnings == []
    [warning] = variants.select(resume, "de").warnings
    assert warning.startswith("3 texts have no de translation") and "check --language de" in warning
    # fr drops the priority-5 highlight (it has fr) and shows the rest: only the location falls back
    assert variants.select(resume, "fr").warnings == [
        "1 text has no fr translation and falls back to another language (`cvpress check --language fr` lists them)"]


def test_check_language_lists_every_untranslated_text_with_its_line(tmp_path):
    path = write(tmp_path)
    result = run_cli("check", "-c", str(path), "--language", "de")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line for line in lines if "no de translation" in line] == [
        f"{path}:11:1: work[0].positions[0].position: no de translation: the en text is used",
        f"{path}:14:5: work[0].positions[0].highlights[0].text: no de translation: the en text is used",
        f"{path}:15:5: work[0].positions[0].highlights[1].text: no de translation: the en text is used",
        f"{path}:23:1: variants.fr.label: no de translation: the en text is used"]
    assert "de: 4 texts without a de translation" in lines
    assert "location" not in result.stdout and "basics.label" not in result.stdout  # both have German
    fr = run_cli("check", "-c", str(path), "--language", "fr").stdout
    assert "work[0].location: no fr translation: the en text is used" in fr and "fr: 1 text without" in fr


def test_check_language_refuses_a_language_it_does_not_know(tmp_path):
    result = run_cli("check", "-c", str(write(tmp_path)), "--language", "fx")
    assert result.returncode == EXIT_INPUT and "unknown language 'fx'" in result.stderr


def test_a_bad_translation_is_reported_at_its_own_key(tmp_path):
    text = BASE.replace('fr = "Responsable"', 'fr = "Respon\\u0001sable"').replace('de = "Ingenieurin"', 'xx = "?"')
    with pytest.raises(ContentError) as caught:
        content.load(write(tmp_path, text=text))
    problems = {p.path: (p.line, p.message) for p in caught.value.problems}
    assert problems["work[0].positions[0].position.fr"] == (11, "contains the control character U+0001; remove it "
                                                                "(found 'Respon\\x01sable')")
    assert problems["basics.label.xx"][0] == 5 and "unknown language 'xx'" in problems["basics.label.xx"][1]
    assert len(caught.value.problems) == 2  # each once, not once per language


def test_a_table_that_is_not_a_translation_says_what_a_text_may_be(tmp_path):
    text = BASE.replace('location = {{ en = "Munich", de = "München" }}', 'location = {{ en = "Munich", town = "x" }}')
    with pytest.raises(ContentError) as caught:
        content.load(write(tmp_path, text=text))
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("work[0].location", 9)
    assert "or a table of translations such as { en = " in problem.message


def test_fallback_languages_are_validated_and_used(tmp_path):
    resume = content.load(write(tmp_path, top='fallback_languages = ["fr"]'))
    assert variants.select(resume, "de").work[0].roles[0].position.position == "Responsable"
    with pytest.raises(ContentError) as caught:
        content.load(write(tmp_path, top='fallback_languages = ["fre"]'))
    assert "did you mean 'fr'?" in caught.value.problems[0].message


def test_the_json_resume_export_writes_one_file_per_language_and_imports_back_one(tmp_path):
    path = write(tmp_path)
    target = tmp_path / "resume.json"
    result = run_cli("export", "-c", str(path), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.glob("resume*.json")) == ["resume.de.json", "resume.en.json", "resume.fr.json"]
    fr = json.loads((tmp_path / "resume.fr.json").read_text(encoding="utf-8"))
    assert fr["basics"]["label"] == "Ingénieure" and fr["work"][0]["position"] == "Responsable"
    assert fr["x-cvpress"]["language"] == "fr"
    back = tmp_path / "back.toml"
    assert run_cli("import", str(tmp_path / "resume.fr.json"), "-o", str(back)).returncode == 0
    resume = content.load(back)
    assert resume.language == "fr" and resume.basics.label == "Ingénieure"
    # again: every target is checked before any is written
    again = run_cli("export", "-c", str(path), "-o", str(target))
    assert again.returncode == EXIT_INPUT and "resume.en.json" in again.stderr
    one = run_cli("export", "-c", str(path), "--language", "de")
    assert json.loads(one.stdout)["work"][0]["location"] == "München"


def test_import_language_sets_the_contents_language(tmp_path):
    source = tmp_path / "r.json"
    source.write_text(json.dumps({"basics": {"name": "A"}}), encoding="utf-8")
    result = run_cli("import", str(source), "-o", "-", "--language", "de")
    assert result.returncode == 0 and tomllib.loads(result.stdout)["language"] == "de"


def test_the_bilingual_example_lists_the_one_highlight_without_french():
    result = run_cli("check", "-c", str(BILINGUAL), "--language", "fr")
    assert result.returncode == 0
    assert [line for line in result.stdout.splitlines() if "no fr translation" in line] == [
        f"{BILINGUAL}:65:1: work[1].positions[0].highlights[1].text: no fr translation: the en text is used"]
