"""The Word writer: every variant as a .docx, read back by python-docx and laid out by LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import CONTENT, RUN_TMP
from pypdf import PdfReader

from cvpress import content, export, outline, variants, word
from cvpress.render import merged_style

EPOCH = 1_700_000_000
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def squash(text: str) -> str:
    return "".join(text.split())


def lines_of(doc) -> list[str]:
    """Every line the outline shows, as a reader sees it (markup removed)."""
    found = [doc.name] + ([export.plain(doc.label.text)] if doc.label else []) + [c.text for c in doc.contacts]
    for section in doc.sections:
        found.append(section.title)
        if section.text:
            found.append(export.plain(section.text.text))
        for block in section.entries + [r for b in section.entries for r in b.roles]:
            found += [block.title, block.subtitle, block.when.show(" - "), block.location]
            found += [export.plain(n.text) for n in block.notes] + [export.plain(h.text) for h in block.highlights]
    return [line for line in found if line]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> dict[str, tuple[object, Path]]:
    """Each variant of the sample résumé: (its outline, its .docx)."""
    resume = content.load(CONTENT)
    folder = tmp_path_factory.mktemp("word")
    found = {}
    for name in resume.variants:
        selection = variants.select(resume, name)
        doc = outline.build(selection)
        path = folder / f"{name}.docx"
        path.write_bytes(word.write(doc, merged_style(selection), EPOCH))
        found[name] = (doc, path)
    return found


@pytest.fixture(scope="module")
def laid_out(written, tmp_path_factory) -> dict[str, tuple[str, int]]:
    """LibreOffice's reading of each .docx: (its text, its page count as LibreOffice lays it out)."""
    soffice = shutil.which("soffice")
    assert soffice, "the Word tests need LibreOffice: apt-get install libreoffice-writer-nogui (make test does it)"
    out = tmp_path_factory.mktemp("libreoffice")
    files = [str(path) for _, path in written.values()]
    profile = f"-env:UserInstallation=file://{RUN_TMP / 'libreoffice-profile'}"
    for target in ("pdf", "txt:Text"):
        subprocess.run([soffice, profile, "--headless", "--convert-to", target, "--outdir", str(out), *files],
                       check=True, capture_output=True, timeout=300)
    return {name: ((out / f"{name}.txt").read_text(encoding="utf-8-sig"), len(PdfReader(out / f"{name}.pdf").pages))
            for name in written}


def test_libreoffice_reads_every_line_of_every_variant(written, laid_out):
    for name, (doc, _) in written.items():
        text = squash(laid_out[name][0])
        missing = [line for line in lines_of(doc) if squash(line) not in text]
        assert missing == [], f"{name}: {missing}"


def test_libreoffice_lays_the_variants_out_on_pages(written, laid_out):
    pages = {name: count for name, (_, count) in laid_out.items()}
    assert pages["full"] >= pages["onepage"] >= 1
    assert pages["full"] <= 4


def test_two_writes_give_the_same_bytes_with_no_clock_inside(written, tmp_path):
    resume = content.load(CONTENT)
    selection = variants.select(resume, "onepage")
    again = word.write(outline.build(selection), merged_style(selection), EPOCH)
    assert again == written["onepage"][1].read_bytes()
    with zipfile.ZipFile(written["onepage"][1]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"
        core = archive.read("docProps/core.xml").decode()
    assert "2023-11-14T22:13:20Z" in core  # SOURCE_DATE_EPOCH 1700000000, not the time of the build


def test_one_column_of_real_styles_no_layout_tables(written):
    for name, (doc, path) in written.items():
        with zipfile.ZipFile(path) as archive:
            body = archive.read("word/document.xml").decode()
        for layout in ("<w:tbl>", "<w:txbxContent", "<wp:anchor", "<w:framePr", "<v:textbox"):
            assert layout not in body, f"{name}: {layout}"
        assert not re.search(r'<w:cols [^>]*w:num="[2-9]', body)
        opened = docx.Document(str(path))
        styles = [p.style.name for p in opened.paragraphs]
        assert styles[0] == "Title"
        assert [p.text for p in opened.paragraphs if p.style.name == "Heading 1"] == [s.title for s in doc.sections]
        bullets = sum(len(b.highlights) + sum(len(r.highlights) for r in b.roles) for s in doc.sections for b in s.entries)
        assert styles.count("List Bullet") == bullets


def test_links_are_real_hyperlinks_with_the_content_targets(written):
    doc, path = written["full"]
    opened = docx.Document(str(path))
    targets = {rel.target_ref for rel in opened.part.rels.values() if rel.is_external}
    wanted = {c.url for c in doc.contacts if c.url}
    assert wanted and wanted <= targets
    hyperlinks = opened.element.body.iter(f"{W}hyperlink")
    assert len(list(hyperlinks)) >= len(wanted)


def test_properties_hold_public_fields_only(written):
    for name, (doc, path) in written.items():
        props = docx.Document(str(path)).core_properties
        assert props.author == doc.name and doc.name in props.title
        with zipfile.ZipFile(path) as archive:
            meta = archive.read("docProps/core.xml").decode() + archive.read("docProps/app.xml").decode()
        resume = content.load(CONTENT)
        description = resume.variants[name].description
        assert description not in meta and f"({name})" not in meta
        assert "python-docx" not in meta


def test_the_theme_font_size_accent_and_margins_carry_over(written):
    resume = content.load(CONTENT)
    style = merged_style(variants.select(resume, "full"))
    opened = docx.Document(str(written["full"][1]))
    normal = opened.styles["Normal"].font
    assert normal.name == word.OFFICE_FONTS[style.font] and normal.size.pt == style.font_size
    assert str(opened.styles["Heading 1"].font.color.rgb) == style.accent.upper()
    section = opened.sections[0]
    assert abs(section.left_margin.inches - float(style.margin.removesuffix("in"))) < 0.01


def test_the_document_language_follows_the_variant(tmp_path):
    source = tmp_path / "content.toml"
    source.write_text(CONTENT.read_text(encoding="utf-8").replace("[basics]", 'language = "fr"\n\n[basics]', 1), encoding="utf-8")
    selection = variants.select(content.load(source), "full")
    written = docx.Document(__import__("io").BytesIO(word.write(outline.build(selection), merged_style(selection))))
    assert written.core_properties.language == "fr"
    lang = written.styles["Normal"].element.rPr.find(docx.oxml.ns.qn("w:lang"))
    assert lang.get(docx.oxml.ns.qn("w:val")) == "fr"
    assert "Expérience professionnelle" in [p.text for p in written.paragraphs]


# ---------------------------------------------------------------- cvpress build --format


def test_build_writes_each_variants_docx_beside_its_pdf_and_counts_its_pages(tmp_path):
    from conftest import run_cli

    (tmp_path / "content.toml").write_bytes(CONTENT.read_bytes())
    done = run_cli("build", "-f", "pdf,docx", "-v", "onepage", "-v", "full", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir() if p.suffix in (".pdf", ".docx")) == [
        "full.docx", "full.pdf", "onepage.docx", "onepage.pdf"]
    assert re.search(r"ok  onepage +\d+ pages? .*out/onepage\.docx", done.stdout), done.stdout  # as LibreOffice lays it out
    first = (out / "onepage.docx").read_bytes()
    again = run_cli("build", "-f", "pdf,docx", "-v", "onepage", "--force", cwd=tmp_path)
    assert again.returncode == 0 and (out / "onepage.docx").read_bytes() == first  # byte-reproducible
    opened = docx.Document(str(out / "onepage.docx"))  # the outline after fitting: what the PDF shows
    assert opened.styles["Normal"].font.size.pt == 10


def test_a_docx_only_build_runs_no_tex_and_a_failed_variant_publishes_no_docx(tmp_path):
    from conftest import OVERFULL, run_cli

    (tmp_path / "content.toml").write_text(OVERFULL, encoding="utf-8")
    done = run_cli("build", "-f", "pdf,docx", "--no-fit", cwd=tmp_path)
    assert done.returncode == 1 and not (tmp_path / "out" / "tight.docx").exists()  # over budget: nothing
    assert (tmp_path / "out" / "roomy.docx").exists()
    only = run_cli("build", "-f", "docx", "-o", "word", "-v", "roomy", cwd=tmp_path)
    assert only.returncode == 0, only.stderr
    assert sorted(p.name for p in (tmp_path / "word").iterdir() if not p.name.startswith(".")) == [
        "roomy.build.json", "roomy.docx"]


def test_a_format_that_is_not_known_is_a_usage_error(tmp_path):
    from conftest import run_cli

    done = run_cli("build", "-f", "odt", cwd=tmp_path)
    assert done.returncode == 2 and "expected pdf, docx or pdf,docx" in done.stderr
