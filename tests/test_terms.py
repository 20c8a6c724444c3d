"""Posting terms: found in a posting under any spelling, and in a résumé's words."""

from __future__ import annotations

import pytest
from conftest import FIXTURES

from cvpress import terms

POSTINGS = FIXTURES / "postings"


def names(posting: str) -> list[str]:
    return [t.name for t in terms.extract(posting)]


def test_known_terms_are_found_under_their_other_spellings():
    found = names("You know Postgres, k8s and AWS, and you have been on call.")
    assert found == ["PostgreSQL", "Kubernetes", "Amazon Web Services", "on-call"]


def test_the_longest_spelling_wins_its_words():
    assert names("A Site Reliability Engineer for incident response.") == [
        "site reliability engineering", "incident response"]


def test_proper_nouns_the_table_does_not_know_are_terms_and_employers_are_not():
    found = names("Join the team at Tidal Pay. You will use Terraform, GraphQL and Core Web Vitals.")
    assert "Terraform" in found and "GraphQL" in found and "Core Web Vitals" in found
    assert not any("Tidal" in name for name in found)


@pytest.mark.parametrize("text, term, says", [
    ("migrated our Postgres fleet", "PostgreSQL", True),
    ("built micro-services in Go", "microservices", True),
    ("ran Elastic Search clusters", "Elasticsearch", True),
    ("was paged during the night", "on-call", False),
    ("I managed operational costs", "cost reduction", True),
    ("Javanese cooking", "Java", False),  # whole words only
    ("a SQLite file", "SQL", False),
])
def test_a_term_is_found_in_text_as_whole_words_or_nearly(text, term, says):
    assert terms.found_in(terms.term(term), text) is says


def test_a_term_is_known_by_any_of_its_spellings_and_an_unknown_one_stands_for_itself():
    assert terms.term("k8s") == terms.term("Kubernetes") and terms.term("k8s").name == "Kubernetes"
    assert terms.term("Playwright").spellings == ("Playwright",)


@pytest.mark.parametrize("posting", sorted(p.name for p in POSTINGS.glob("*.md")))
def test_every_evaluation_posting_yields_its_technologies(posting):
    found = names((POSTINGS / posting).read_text(encoding="utf-8"))
    expected = {"storage-manager.md": {"MySQL", "PostgreSQL", "Kafka", "one-on-ones", "vendor management"},
                "sre.md": {"Terraform", "Kubernetes", "on-call", "incident response", "Jenkins"},
                "frontend.md": {"React", "TypeScript", "accessibility", "GraphQL"}}[posting]
    assert expected <= set(found), expected - set(found)
    assert len(found) == len(set(found))
