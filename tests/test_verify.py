"""Tests for cvpress.verify: what pypdf reads back from the built PDFs (session `built` fixture)."""

from __future__ import annotations

import hashlib
import json

import pytest
from conftest import CONTENT

from cvpress import verify
from cvpress.content import load
from cvpress.errors import EXIT_BUILD, BuildError

VARIANTS = ("full", "onepage", "manager")
DESCRIPTIONS = {name: variant.description for name, variant in load(CONTENT).variants.items()}


@pytest.mark.parametrize("variant", VARIANTS)
def test_metadata(built, variant):
    meta = verify.metadata(built / f"{variant}.pdf")
    resume = load(CONTENT)  # public fields only: never the variant's name or description
    label = resume.variants[variant].label or resume.basics.label
    assert meta["Title"] == f"Your Name – {label}"
    assert meta["Author"] == "Your Name"
    assert meta["Subject"].startswith((resume.variants[variant].summary or resume.basics.summary)[:40])
    assert DESCRIPTIONS[variant] not in meta.values() and f"({variant})" not in meta["Title"]
    keywords = [k.strip() for k in meta["Keywords"].split(",")]
    assert {"MySQL", "Solr", "Kafka", "Puppet", "ZooKeeper"} <= set(keywords)
    assert meta["Creator"].startswith("cvpress ")


def test_keywords_follow_the_variant(built):
    keywords = verify.metadata(built / "manager.pdf")["Keywords"]
    assert "PHP" not in keywords and "MySQL" in keywords


@pytest.mark.parametrize("variant", VARIANTS)
def test_email_and_website_are_links(built, variant):
    links = verify.links(built / f"{variant}.pdf")
    assert links[:2] == ["mailto:you@example.com", "https://example.com"]
    assert "https://www.linkedin.com/in/your-name" in links


@pytest.mark.parametrize("variant", VARIANTS)
def test_text_starts_with_the_header(built, variant):
    lines = verify.text(built / f"{variant}.pdf").splitlines()
    assert lines[0] == "Your Name"
    assert "you@example.com" in lines[2] and "example.com" in lines[2]


def test_text_joins_every_page_in_order(built):
    from pypdf import PdfReader

    pdf = built / "full.pdf"
    pages = [page.extract_text() for page in PdfReader(pdf).pages]
    text = verify.text(pdf)
    positions = [text.index(page) for page in pages]
    assert positions == sorted(positions) and len(pages) == verify.page_count(pdf)
    assert text.index("Experience") < text.index("Education")


def test_page_count(built):
    assert verify.page_count(built / "onepage.pdf") == 1


def test_check_budget_passes_within_budget_and_fails_one_page_over():
    assert verify.check_budget("onepage", 1, 1) is None  # exactly the budget is within it
    assert verify.check_budget("full", 1, 2) is None
    assert verify.check_budget("full", 9, None) is None  # no budget: any length
    for pages, budget in ((2, 1), (3, 2)):
        with pytest.raises(BuildError, match=f"is {pages} pages, over its budget of {budget}"):
            verify.check_budget("full", pages, budget)


def test_check_budget_names_variant_budget_and_pages():
    with pytest.raises(BuildError) as caught:
        verify.check_budget("onepage", 3, 1)
    message = str(caught.value)
    assert "'onepage'" in message and "3 pages" in message and "budget of 1" in message
    assert "[variants.onepage]" in message
    assert caught.value.exit_code == EXIT_BUILD


def test_a_pdf_pypdf_cannot_read_is_a_build_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.5\nnot a pdf at all\n")
    with pytest.raises(BuildError, match="broken.pdf: pypdf cannot read it"):
        verify.read(broken)


def test_verify_tells_an_out_of_date_pdf_from_an_ats_failure(write_content, tmp_path):
    from conftest import MINIMAL, run_cli

    path, out = write_content(MINIMAL), tmp_path / "out"
    built = run_cli("build", "-c", str(path), "-o", str(out), "--no-cache")
    assert built.returncode == 0, built.stderr
    assert json.loads((out / "full.build.json").read_text())["content sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert run_cli("verify", "-c", str(path), "-o", str(out)).returncode == 0
    path.write_text(MINIMAL.replace("Programmer", "Chief Programmer"), encoding="utf-8")  # edited, not rebuilt
    stale = run_cli("verify", "-c", str(path), "-o", str(out))
    assert stale.returncode == 1
    assert "full.pdf is out of date" in stale.stderr and "rebuild with `cvpress build" in stale.stderr
    assert "ATS" not in stale.stderr and "missing" not in stale.stderr.lower()
    assert run_cli("build", "-c", str(path), "-o", str(out), "--no-cache").returncode == 0
    assert run_cli("verify", "-c", str(path), "-o", str(out)).returncode == 0
