"""cvpress match and tailor: a posting against the résumé, in the user's own words only."""

from __future__ import annotations

import json
import tomllib

import pytest
from conftest import CONTENT, FIXTURES, run_cli
from pypdf import PdfReader

from cvpress import content, tailor, terms, variants
from cvpress.errors import UserError

POSTINGS = FIXTURES / "postings"
JUDGEMENT = tomllib.loads((POSTINGS / "judgement.toml").read_text(encoding="utf-8"))
# The evaluation's floor: tailor's choice against hand-made judgements (precision, recall) per posting.
FLOOR = {"storage-manager": (0.8, 0.8), "sre": (0.8, 0.85), "frontend": (0.8, 0.8)}


def posting(name: str) -> str:
    return (POSTINGS / f"{name}.md").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "content.toml"
    path.write_bytes(CONTENT.read_bytes())
    return path


def test_match_marks_terms_shown_available_and_absent_with_the_change_that_shows_them():
    resume = content.load(CONTENT)
    report = tailor.match(resume, variants.select(resume, "onepage"), posting("sre"), "sre.md")
    status = {t.term: t for t in report.terms}
    assert status["Kafka"].status == tailor.SHOWN
    assert status["Terraform"].status == status["Kubernetes"].status == tailor.ABSENT  # never in the content
    config = status["configuration management"]
    assert config.status == tailor.AVAILABLE and config.places[0].path == "work[2].positions[0].highlights[2]"
    assert "raise max_priority to 3" in config.places[0].change  # why onepage leaves it out, and the fix
    assert 0 < report.score < 100 and "score" in report.format()


def test_match_as_json_on_standard_input():
    done = run_cli("match", "-", "-v", "manager", "--json", input=posting("frontend"))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["variant"] == "manager" and data["posting"] == "standard input"
    assert {t["term"]: t["status"] for t in data["terms"]}["React"] == "absent"


@pytest.mark.parametrize("name", sorted(FLOOR))
def test_tailors_choice_meets_its_precision_and_recall_against_the_judgement(name):
    resume = content.load(CONTENT)
    chosen = set(terms.chosen(resume, terms.extract(posting(name))))
    relevant = set(JUDGEMENT[name]["relevant"])
    precision, recall = len(chosen & relevant) / len(chosen), len(chosen & relevant) / len(relevant)
    assert precision >= FLOOR[name][0] and recall >= FLOOR[name][1], (
        name, round(precision, 2), round(recall, 2), sorted(chosen - relevant), sorted(relevant - chosen))


def test_tailor_writes_its_own_table_builds_it_within_budget_from_the_users_words(project):
    before = project.read_text(encoding="utf-8")
    done = run_cli("tailor", str(POSTINGS / "sre.md"), "--name", "tidal", "-c", str(project),
                   "-o", str(project.parent / "out"))
    assert done.returncode == 0, done.stderr
    after = project.read_text(encoding="utf-8")
    assert after.startswith(before)  # style-preserving: every byte before the new table as it was
    assert "# Written by `cvpress tailor` for sre.md" in after
    table = tomllib.loads(after)["variants"]["tidal"]
    assert table["extends"] == "onepage" and "Kafka" in table["match_terms"] and "Terraform" not in table["match_terms"]
    pdf = project.parent / "out" / "tidal.pdf"
    assert len(PdfReader(pdf).pages) == 1  # onepage's budget
    assert "sre.md against variant tidal: score" in done.stdout
    # every highlight the tailored PDF shows is one the user wrote (the build's ATS check holds the text)
    resume = content.load(project)
    written = {h.text for _, h in terms.highlights_of(resume)}
    assert all(i.text in written for i in variants.select(resume, "tidal").highlights())
    again = run_cli("tailor", str(POSTINGS / "storage-manager.md"), "--name", "tidal", "-c", str(project),
                    "-o", str(project.parent / "out"))
    assert again.returncode == 0, again.stderr
    text = project.read_text(encoding="utf-8")
    assert text.startswith(before) and text.count("[variants.tidal]") == 1 and "storage-manager.md" in text


def test_a_tailored_variant_brings_in_what_the_base_leaves_out_and_puts_it_first():
    resume = content.load(CONTENT)
    base = {i.path for i in variants.select(resume, "onepage").highlights()}
    names = [t.name for t in terms.extract(posting("sre"))]
    tailored = resume.model_copy(update={"variants": {**resume.variants, "t": resume.variants["onepage"].model_copy(
        update={"match_terms": names})}})
    chosen = variants.select(tailored, "t")
    brought = [i for i in chosen.highlights() if i.matched and i.path not in base]
    assert brought  # priority 2 and 3 highlights that say the posting's terms
    for employer in chosen.work:
        for role in employer.roles:
            flags = [bool(i.matched) for i in role.highlights]
            assert flags == sorted(flags, reverse=True)  # matching highlights first in every role
    assert all(i.highlight.priority == 1 for i in chosen.highlights() if i.matched)  # fitting drops others first


def test_tailor_refuses_a_table_it_did_not_write_and_dry_run_writes_nothing(project):
    before = project.read_bytes()
    with pytest.raises(UserError, match=r"\[variants.manager\] exists and was not written by `cvpress tailor`"):
        tailor.tailor(project, "manager", "onepage", posting("sre"), "sre.md")
    assert project.read_bytes() == before
    shown = tailor.tailor(project, "acme", "onepage", posting("sre"), "sre.md", dry_run=True)
    assert shown.startswith("[variants.acme]") and project.read_bytes() == before
    with pytest.raises(UserError, match="--from 'nope': no such variant"):
        tailor.tailor(project, "acme", "nope", posting("sre"), "sre.md")


def test_explain_says_which_terms_brought_each_highlight_in(project):
    tailor.tailor(project, "tidal", "onepage", posting("sre"), "sre.md")
    done = run_cli("explain", "tidal", "-c", str(project))
    assert done.returncode == 0, done.stderr
    assert "brought in by match_terms" in done.stdout
    assert "work[1].positions[0].highlights[3]: service discovery, job queue, ZooKeeper, HAProxy, Redis" in done.stdout
