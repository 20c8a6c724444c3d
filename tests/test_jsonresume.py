"""Tests for cvpress.jsonresume: `cvpress import` from JSON Resume (1.x and older field names)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest
from conftest import JSONRESUME, run_cli
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvpress import jsonresume, verify
from cvpress.build import Options, build
from cvpress.content import load
from cvpress.errors import ContentError, UserError
from cvpress.model import Location, Resume

FIXTURES = JSONRESUME
SAMPLE = FIXTURES / "sample.resume.json"

# An older-schema file, the way real ones still look: `company`, `website`, `picture`, `gpa`,
# location as text, empty strings, a summary with a `- ` list, two roles at one employer.
OLDER = {
    "basics": {
        "name": "Grace Hopper",
        "label": "Rear Admiral",
        "picture": "https://example.com/grace.jpg",
        "email": "grace@example.com",
        "phone": "",
        "website": "hopper.example.com",
        "summary": "Computer pioneer.\nWrote the first compiler.",
        "location": "Arlington, VA",
        "profiles": [{"network": "", "username": "ghopper", "url": "https://github.com/ghopper"}],
        "nickname": "Amazing Grace",
    },
    "work": [
        {"company": "Digital Equipment Corporation", "position": "Senior Consultant",
         "website": "https://dec.example.com", "startDate": "1986-08", "endDate": "",
         "summary": "Goodwill ambassador.\n- Spoke at conferences\n- Mentored engineers\n  across the company",
         "highlights": []},
        {"company": "US Navy", "position": "Director, Navy Programming Languages Group",
         "location": "Washington, DC", "startDate": "1967", "endDate": "1986",
         "highlights": ["Standardised COBOL across the Navy"]},
        {"company": "US Navy", "position": "Lieutenant", "location": "Cambridge, MA", "startDate": "1943",
         "endDate": "1946-01-01T00:00:00.000Z", "summary": "Harvard Mark I programmer.",
         "highlights": ["Wrote the Mark I manual"], "team": "Bureau of Ordnance Computation Project"},
    ],
    "education": [{"institution": "Yale University", "area": "Mathematics", "studyType": "Ph.D.",
                   "startDate": "1930", "endDate": "1934", "gpa": 4.0, "website": ""}],
    "skills": [{"name": "Languages", "level": "", "keywords": ["COBOL", "FLOW-MATIC"]}],
    "languages": [{"name": "English", "fluency": "Native"}],
    "interests": [{"name": "Knitting", "keywords": []}],
    "references": [{"name": "Howard Aiken", "reference": "Capable."}],
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((FIXTURES / "schema.json").read_text(encoding="utf-8"))


def schema_errors(schema: dict, data: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)]


def import_json(data: dict, folder: Path, name: str = "resume") -> Path:
    source = folder / f"{name}.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    return jsonresume.import_file(source, folder / f"{name}.toml")


def leaves(value) -> set:
    """Every scalar in a JSON-like value."""
    if isinstance(value, dict):
        return set().union(*(leaves(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(leaves(v) for v in value)) if value else set()
    return {value}


# ---------------------------------------------------------------- the sample résumé

def test_sample_is_valid_json_resume(schema):
    assert schema_errors(schema, json.loads(SAMPLE.read_text(encoding="utf-8"))) == []


@pytest.fixture(scope="module")
def imported(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("import") / "content.toml"
    done = run_cli("import", str(SAMPLE), "-o", str(target))
    assert done.returncode == 0, done.stderr
    return target


def test_sample_imports_into_every_section(imported):
    resume = load(imported)
    assert resume.basics.name == "Richard Hendriks"
    assert isinstance(resume.basics.location, Location) and resume.basics.location.city == "San Francisco"
    assert [p.network for p in resume.basics.profiles] == ["Twitter", "SoundCloud"]
    (work,) = resume.work
    assert (work.name, work.location, work.url) == ("Pied Piper", "Palo Alto, CA", "http://piedpiper.example.com")
    assert [p.position for p in work.positions] == ["CEO/President"]
    assert len(work.positions[0].highlights) == 3 and work.positions[0].summary.startswith("Pied Piper is")
    assert resume.education[0].score == "4.0" and resume.education[0].courses[0] == "DB1101 - Basic SQL"
    assert [len(getattr(resume, s)) for s in ("skills", "projects", "awards", "publications", "languages")] == [2, 1, 1, 1, 1]
    (volunteer,) = resume.volunteer
    assert (volunteer.organization, volunteer.position, str(volunteer.endDate)) == ("CoderDojo", "Teacher", "Jan 2013")
    assert resume.interests[0].keywords == ["Ferrets", "Unicorns"]
    assert resume.references[0].name == "Erlich Bachman"
    assert list(resume.variants) == ["full", "onepage", "manager"]


def test_sample_keeps_what_cvpress_has_no_place_for(imported):
    extra = load(imported).extra
    assert not {"volunteer", "interests", "references"} & set(extra)  # sections of the model now
    assert extra["meta"]["version"] == "v1.0.0"
    assert extra["$schema"].endswith("schema.json")
    assert extra["projects[0]"] == {"keywords": ["GoogleMaps", "Chrome Extension", "Javascript"],
                                    "roles": ["Team lead", "Designer"], "entity": "Smoogle", "type": "application"}
    assert "image" not in extra.get("basics", {})  # "image": "" is absent, not kept


def test_sample_loses_no_value(imported):
    source = leaves(json.loads(SAMPLE.read_text(encoding="utf-8"))) - {""}
    written = leaves(tomllib.loads(imported.read_text(encoding="utf-8")))
    assert source - written == set()


def test_written_file_is_commented_and_passes_check(imported):
    text = imported.read_text(encoding="utf-8")
    assert text.startswith("# cvpress content, imported from sample.resume.json")
    for comment in ("# ---------------------------------------------------------------- Experience",
                    "# Kept, not rendered", "[variants.onepage]", "# max_priority = 1"):
        assert comment in text
    done = run_cli("check", "-c", str(imported))
    assert done.returncode == 0, done.stderr
    assert "valid (3 variants)" in done.stdout


def test_imported_sample_builds(imported, tmp_path):
    # The ATS stage (ats.py) has its own tests; here pypdf checks the text below.
    (result,) = build(Options(content=imported, out=tmp_path / "out", variants=["full"], cache=False, ats=False))
    assert result.error is None, result.error.format()
    text = " ".join(verify.text(result.pdf).split())
    for shown in ("Richard Hendriks", "Pied Piper", "CEO/President", "Successfully won Techcrunch Disrupt",
                  "University of Oklahoma", "Digital Compression Pioneer Award", "CoderDojo", "Wildlife",
                  "Erlich Bachman"):
        assert shown in text
    assert "Smoogle" not in text  # extra: kept, not rendered


def test_refuses_to_overwrite_without_force(imported):
    before = imported.read_text(encoding="utf-8")
    done = run_cli("import", str(SAMPLE), "-o", str(imported))
    assert done.returncode == 2 and "already exists" in done.stderr and "Traceback" not in done.stderr
    assert imported.read_text(encoding="utf-8") == before
    assert run_cli("import", str(SAMPLE), "-o", str(imported), "--force").returncode == 0


# ---------------------------------------------------------------- older schema, real-file habits

def test_older_schema_file(tmp_path):
    target = import_json(OLDER, tmp_path, "older")
    resume = load(target)
    basics = resume.basics
    assert basics.url == "https://hopper.example.com"  # `website`, scheme added
    assert basics.location == "Arlington, VA" and basics.phone is None  # text location; "" is absent
    assert basics.profiles[0].network == "GitHub"  # empty network: named from the URL
    assert resume.extra["basics"] == {"nickname": "Amazing Grace", "image": "https://example.com/grace.jpg"}

    dec, navy = resume.work
    assert (dec.name, dec.url) == ("Digital Equipment Corporation", "https://dec.example.com")
    (consultant,) = dec.positions
    assert consultant.summary == "Goodwill ambassador."
    assert [h.text for h in consultant.highlights] == ["Spoke at conferences", "Mentored engineers across the company"]
    assert consultant.endDate.present  # "" end date: still there

    assert navy.name == "US Navy" and navy.location is None  # one employer, two roles in two places
    assert [(p.position, p.location) for p in navy.positions] == [
        ("Director, Navy Programming Languages Group", "Washington, DC"), ("Lieutenant", "Cambridge, MA")]
    assert str(navy.positions[1].endDate) == "Jan 1946"  # ISO date-time: the date is kept
    assert resume.extra["work[1].positions[1]"] == {"team": "Bureau of Ordnance Computation Project"}

    assert resume.education[0].score == "4.0"  # `gpa`
    assert resume.languages[0].language == "English"  # `name`
    assert resume.skills[0].level is None
    assert [(i.name, i.keywords) for i in resume.interests] == [("Knitting", [])]
    assert resume.references[0].reference == "Capable."
    assert run_cli("check", "-c", str(target)).returncode == 0


def test_same_employer_groups_only_consecutive_entries(tmp_path):
    data = {"basics": {"name": "A"}, "work": [
        {"name": "Acme", "position": "Lead", "startDate": "2020"},
        {"name": "ACME ", "position": "Engineer", "startDate": "2018", "endDate": "2020"},
        {"name": "Initech", "position": "Intern", "startDate": "2017", "endDate": "2017"},
        {"name": "Acme", "position": "Intern", "startDate": "2016", "endDate": "2016"},
        {"name": "Acme", "url": "https://other-acme.example.com", "position": "X", "startDate": "2015"},
    ]}
    work = load(import_json(data, tmp_path)).work
    assert [(w.name, len(w.positions)) for w in work] == [("Acme", 2), ("Initech", 1), ("Acme", 2)]


def test_location_object_in_a_work_entry_is_kept(tmp_path):
    location = {"city": "Berlin", "countryCode": "DE", "address": "Unter den Linden 1"}
    data = {"basics": {"name": "A"}, "work": [{"name": "B", "position": "C", "location": location}]}
    resume = load(import_json(data, tmp_path))
    assert resume.work[0].location == "Berlin, DE"
    assert resume.extra["work[0].positions[0]"] == {"location": location}


def test_summary_lists_become_highlights():
    assert jsonresume.split_summary("Intro.\n\n- one\n* two\n  continued\n• three\nOutro.") == (
        "Intro.\n\nOutro.", ["one", "two continued", "three"])
    assert jsonresume.split_summary("No list - here.\nSecond line.") == ("No list - here.\nSecond line.", [])
    assert jsonresume.split_summary("- only\n- bullets") == (None, ["only", "bullets"])


def test_clean_treats_empty_as_absent():
    assert jsonresume.clean({"a": "", "b": None, "c": [" ", "x", None], "d": {"e": ""}, "x-cvpress": {"endDate": None}}) \
        == {"c": ["x"], "d": {}, "x-cvpress": {"endDate": None}}


# ---------------------------------------------------------------- errors

def test_standard_input_and_output(imported):
    piped = subprocess.run([sys.executable, "-m", "cvpress", "import", "-", "-o", "-"], cwd=imported.parent,
                           input=SAMPLE.read_text(encoding="utf-8"), capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and piped.stderr == ""
    first, *rest = piped.stdout.splitlines()
    assert "imported from standard input" in first
    assert rest == imported.read_text(encoding="utf-8").splitlines()[1:]  # the same file but for who it came from
    assert sorted(p.name for p in imported.parent.iterdir()) == ["content.toml"]  # nothing written


def test_broken_json_on_standard_input_names_it(tmp_path):
    piped = subprocess.run([sys.executable, "-m", "cvpress", "import", "-", "-o", str(tmp_path / "content.toml")],
                           input='{\n  "basics": {"name": "A",}\n}\n', capture_output=True, text=True, timeout=300)
    assert piped.returncode == 2 and "Traceback" not in piped.stderr
    assert re.search(r"<stdin>:2:2[56]: invalid JSON", piped.stderr) and not (tmp_path / "content.toml").exists()


def test_problems_cite_the_json_file(tmp_path):
    data = {"basics": {"name": "A", "email": "not-an-address"}, "work": [
        {"name": "B", "position": "C", "startDate": "2019"},
        {"name": "D", "position": "E", "startDate": "Dec 2013"},
        {"name": "F", "startDate": "2010"},
    ]}
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli("import", str(source), "-o", str(tmp_path / "content.toml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "basics.email" in done.stderr
    assert "work[1].startDate" in done.stderr and "'Dec 2013'" in done.stderr
    assert "work[2].position" in done.stderr and "missing" in done.stderr
    assert not (tmp_path / "content.toml").exists()


def test_invalid_json_names_line_and_column(tmp_path):
    source = tmp_path / "broken.json"
    source.write_text('{\n  "basics": {"name": "A",}\n}\n', encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        jsonresume.import_file(source, tmp_path / "content.toml")
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) in ((2, 26), (2, 25))  # the "}" after the trailing comma (Python 3.13: the comma)


def test_missing_file_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="no such file"):
        jsonresume.import_file(tmp_path / "nope.json", tmp_path / "content.toml")


def test_import_never_overwrites_a_file_without_force(tmp_path):
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(OLDER), encoding="utf-8")
    target = tmp_path / "content.toml"
    target.write_text("mine", encoding="utf-8")
    done = run_cli("import", str(source), "-o", str(target))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"{target}: already exists; replace it with --force, or write elsewhere with -o"
    assert target.read_text(encoding="utf-8") == "mine"
    assert run_cli("import", str(source), "-o", str(target), "--force").returncode == 0
    assert "Grace Hopper" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("how", ["itself", "hard link"])
def test_import_never_overwrites_the_file_it_reads_even_with_force(tmp_path, how):
    source = tmp_path / "resume.json"
    source.write_text(json.dumps(OLDER), encoding="utf-8")
    target = source if how == "itself" else tmp_path / "content.toml"
    if how == "hard link":
        target.hardlink_to(source)
    done = run_cli("import", str(source), "-o", str(target), "--force")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{target}: is the file this command reads")
    assert json.loads(source.read_text(encoding="utf-8")) == OLDER


# ---------------------------------------------------------------- the TOML writer never changes content

_TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x7f",
                              min_codepoint=0x20) | st.sampled_from("\n\t\"'\\"), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, summary=_TEXT, highlights=st.lists(_TEXT, max_size=3), extra=_TEXT)
def test_written_toml_reads_back_as_the_same_content(name, summary, highlights, extra):
    data = {"basics": {"name": name, "summary": summary},
            "work": [{"name": name, "position": summary, "summary": summary, "highlights": highlights}],
            "hobbies": {extra: [extra, 1, {"k": extra}]}}
    content, origins = jsonresume.convert(data)
    try:
        model = jsonresume.validate(content, origins, Path("x.json"))
    except ContentError:
        return  # e.g. a name that is only whitespace: refused, which is fine
    text = jsonresume.to_toml(content, "x.json")
    assert Resume.model_validate(tomllib.loads(text)) == model


# ---------------------------------------------------------------- what an import refuses

def _import_text(tmp_path: Path, text: str) -> subprocess.CompletedProcess:
    source = tmp_path / "resume.json"
    source.write_text(text, encoding="utf-8")
    return run_cli("import", str(source), "-o", str(tmp_path / "content.toml"))


@pytest.mark.parametrize(("text", "where", "what"), [
    ('{"basics": {"name": "Ada \\ud800"}}', "basics.name", "lone UTF-16 surrogate"),
    ('{"basics": {"name": "Ada", "nick\\udfff": 1}}', "basics", "key 'nick\\udfff': holds a lone UTF-16 surrogate"),
    ('{"basics": {"name": "Ada", "x": NaN}}', "basics.x", "NaN is not a number JSON allows"),
    ('{"basics": {"name": "Ada"}, "work": [{"name": "E", "position": "P", "startDate": NaN}]}',
     "work[0].startDate", "NaN is not a number JSON allows"),
    ('{"basics": {"name": "Ada"}, "education": [{"institution": "U", "score": -Infinity}]}',
     "education[0].score", "-Infinity is not a number JSON allows"),
    ('{"basics": {"name": "Ada"}, "hobbies": [1e999]}', "hobbies[0]", "the number is too large"),
    ('{"basics": {"name": "Ada"}, "x-cvpress": 3}', "x-cvpress", "expected an object {…}, found a number (3)"),
    ('{"basics": {"name": "Ada"}, "x-cvpress": ["style"]}', "x-cvpress", "expected an object {…}, found a list"),
    ('{"basics": {"name": "Ada", "x-cvpress": "x"}}', "basics.x-cvpress", "expected an object {…}, found text"),
    ('{"basics": {"name": "Ada"}, "work": [{"name": "E", "position": "P", "x-cvpress": true}]}',
     "work[0].x-cvpress", "expected an object {…}, found true/false"),
    ('{"basics": {"name": "Ada"}, "x-cvpress": {"style": [], "variants": 1}}', "x-cvpress.style", "found a list"),
    ('{"basics": {"name": "Ada"}, "work": [{"name": "E", "position": "P", "highlights": ["h"],'
     ' "x-cvpress": {"highlightOptions": [2], "employer": "E", "original": []}}]}',
     "work[0].x-cvpress.highlightOptions[0]", "expected an object {…}, found a number (2)"),
], ids=["surrogate", "surrogate-key", "nan", "nan-date", "infinity", "huge", "ext-number", "ext-list",
        "ext-basics", "ext-work", "ext-style", "ext-options"])
def test_values_no_content_file_can_hold_are_located_messages(tmp_path, text, where, what):
    done = _import_text(tmp_path, text)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"{tmp_path / 'resume.json'}: ") and "to fix before it can be imported" in done.stderr
    assert f"{tmp_path / 'resume.json'}: {where}: " in done.stderr and what in done.stderr
    assert not (tmp_path / "content.toml").exists()


def test_every_wrong_shape_of_x_cvpress_is_reported_at_once(tmp_path):
    done = _import_text(tmp_path, '{"basics": {"name": "Ada"}, "work": [{"name": "E", "position": "P", '
                                  '"x-cvpress": {"employer": "E", "original": [], "highlightOptions": {}}}]}')
    assert done.returncode == 2 and "3 problems" in done.stderr
    for key in ("employer", "original", "highlightOptions"):
        assert f"work[0].x-cvpress.{key}: expected" in done.stderr


@pytest.mark.parametrize("theme", ["/some/folder", "./mine", "../elsewhere", "mine"])
def test_import_never_carries_a_theme_folder_and_says_so(tmp_path, theme):
    data = {"basics": {"name": "Ada"}, "x-cvpress": {
        "style": {"theme": theme, "font": "termes"},
        "variants": {"one": {"max_pages": 1, "style": {"theme": theme}}, "two": {"style": {"theme": "modern"}}}}}
    done = _import_text(tmp_path, json.dumps(data))
    assert done.returncode == 0, done.stderr
    for where in ("x-cvpress.style.theme", "x-cvpress.variants.one.style.theme"):
        note = f"{where} = {json.dumps(theme)}: a theme other than classic or modern is never imported"
        assert f"{tmp_path / 'resume.json'}: left out {note}" in done.stderr
        assert f"# Left out by the import: {note}" in (tmp_path / "content.toml").read_text(encoding="utf-8")
    resume = load(tmp_path / "content.toml")
    assert "theme" not in resume.style.model_fields_set and resume.style.font == "termes"
    assert resume.variants["one"].style is None and resume.variants["two"].style.theme == "modern"


def test_a_shipped_theme_is_imported_without_a_word(tmp_path):
    done = _import_text(tmp_path, json.dumps({"basics": {"name": "Ada"}, "x-cvpress": {"style": {"theme": "modern"}}}))
    assert done.returncode == 0 and "left out" not in done.stderr
    assert load(tmp_path / "content.toml").style.theme == "modern"


# ---------------------------------------------------------------- volunteer, certificates, interests, references

MORE = {
    "basics": {"name": "Ada Lovelace"},
    "volunteer": [
        {"organization": "Harbour Rescue", "position": "Night Coordinator", "website": "harbour.example.org",
         "startDate": "2019-04-01T00:00:00Z", "endDate": None, "summary": "Ran the night rota.",
         "highlights": ["Trained forty volunteers"], "hours": 300},
        {"organization": "Code Club", "location": {"city": "Leeds", "countryCode": "GB"}, "startDate": "2015",
         "endDate": "2016"},
    ],
    "certificates": [{"name": "Certified Kubernetes Administrator", "date": "2021-11", "issuer": "CNCF",
                      "url": "https://cncf.example.com/cka", "id": "CKA-123"}],
    "interests": [{"name": "Beekeeping", "keywords": ["Honey", "Swarms"]}],
    "references": [{"name": "Charles Babbage", "reference": "Understood the engine better than I did."}],
}


def test_the_four_sections_land_in_the_model_not_extra(tmp_path):
    resume = load(import_json(MORE, tmp_path))
    rescue, club = resume.volunteer
    assert (rescue.organization, rescue.position, rescue.url) == ("Harbour Rescue", "Night Coordinator",
                                                                  "https://harbour.example.org")  # `website`
    assert str(rescue.startDate) == "Apr 2019" and rescue.endDate.present  # null end date: ongoing, as in work
    assert rescue.summary == "Ran the night rota."
    assert [h.text for h in rescue.highlights] == ["Trained forty volunteers"]
    assert club.location == "Leeds, GB"
    (cert,) = resume.certificates
    assert (cert.name, str(cert.date), cert.issuer, cert.url) == (
        "Certified Kubernetes Administrator", "Nov 2021", "CNCF", "https://cncf.example.com/cka")
    assert [(i.name, i.keywords) for i in resume.interests] == [("Beekeeping", ["Honey", "Swarms"])]
    assert resume.references[0].reference == "Understood the engine better than I did."
    assert resume.extra == {"volunteer[0]": {"hours": 300},
                            "volunteer[1]": {"location": MORE["volunteer"][1]["location"]},  # kept as given
                            "certificates[0]": {"id": "CKA-123"}}


def test_problems_in_the_four_sections_cite_the_json_file(tmp_path):
    data = {"basics": {"name": "A"}, "volunteer": [{"position": "Helper", "startDate": "spring"}],
            "certificates": [{"name": "X", "url": "ftp://x"}], "interests": [{"keywords": "bees"}],
            "references": [{"name": "B"}, "C"]}
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), encoding="utf-8")
    done = run_cli("import", str(source), "-o", str(tmp_path / "content.toml"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    for where in ("volunteer[0].organization", "volunteer[0].startDate", "certificates[0].url",
                  "interests[0].name", "interests[0].keywords", "references[1]"):
        assert f"{source}: {where}" in done.stderr, where
    assert not (tmp_path / "content.toml").exists()


@pytest.mark.tex
def test_the_four_sections_reach_every_output(tmp_path):
    import docx

    content = import_json(MORE, tmp_path)
    done = run_cli("build", "-c", str(content), "-v", "full", "-o", str(tmp_path / "out"), "--no-cache",
                   "-f", "pdf,docx")
    assert done.returncode == 0, done.stderr
    shown = {"pdf": " ".join(verify.text(tmp_path / "out" / "full.pdf").split()),
             "docx": " ".join(p.text for p in docx.Document(str(tmp_path / "out" / "full.docx")).paragraphs)}
    for fmt in ("markdown", "text", "html"):
        exported = run_cli("export", "-c", str(content), "-f", fmt)
        assert exported.returncode == 0, exported.stderr
        shown[fmt] = " ".join(exported.stdout.split())
    for fmt, text in shown.items():
        for words in ("Harbour Rescue", "Night Coordinator", "Trained forty volunteers", "Code Club",
                      "Certified Kubernetes Administrator", "CNCF", "Beekeeping", "Swarms",
                      "Charles Babbage", "Understood the engine better than I did."):
            assert words in text, f"{fmt}: {words!r}"
