"""Tests for cvpress.verify: what pypdf reads back from the built PDFs (session `built` fixture)."""

from __future__ import annotations

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


def test_check_budget_passes_within_budget():
    verify.check_budget("onepage", 1, 1)
    verify.check_budget("full", 1, 2)
    verify.check_budget("full", 9, None)


def test_check_budget_names_variant_budget_and_pages():
    with pytest.raises(BuildError) as caught:
        verify.check_budget("onepage", 3, 1)
    message = str(caught.value)
    assert "'onepage'" in message and "3 pages" in message and "budget of 1" in message
    assert "[variants.onepage]" in message
    assert caught.value.exit_code == EXIT_BUILD


# ---------------------------------------------------------------- the build's reader process

def test_the_reader_process_reads_what_this_process_reads(built):
    here = [verify.read(built / f"{variant}.pdf") for variant in VARIANTS]
    with verify.reading():
        process = verify._process
        there = [verify.read(built / f"{variant}.pdf") for variant in VARIANTS]
        assert verify.page_count(built / "onepage.pdf") == 1
        assert process.popen.poll() is None  # the answers came from it, and it still runs
    assert there == here and here[0].pages == 2 and "Experience" in here[0].text
    assert process.popen.returncode is not None  # stopped with the block


def test_a_reader_process_that_died_leaves_the_reading_to_this_process(built):
    with verify.reading():
        verify._process.popen.kill()
        verify._process.popen.wait()
        assert verify.read(built / "full.pdf") == verify._read_here(built / "full.pdf", True)


@pytest.mark.parametrize("reader", ["here", "process"])
def test_a_pdf_pypdf_cannot_read_is_a_build_error(tmp_path, reader):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.5\nnot a pdf at all\n")
    if reader == "here":
        with pytest.raises(BuildError, match="broken.pdf: pypdf cannot read it"):
            verify.read(broken)
        return
    with verify.reading():
        with pytest.raises(BuildError, match="broken.pdf: pypdf cannot read it"):
            verify.read(broken)
        assert verify._process.popen.poll() is None  # one bad file does not end it
