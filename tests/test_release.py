"""Tests for cvpress.release and reproducible builds: names, SHA256SUMS, notes, metadata, identical bytes.

The shipped content is copied into tmp_path (the build cache lives beside the content file, and
tests never write into the repository), so its SOURCE_DATE_EPOCH is the one set here.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, ROOT, run_cli

from cvpress import __version__, release, verify
from cvpress.build import Options, build
from cvpress.errors import EXIT_BUILD, EXIT_OK, UserError

EPOCH = "1700000000"
VERSION = "v1.2.0"
DESCRIPTIONS = {
    "full": "Everything, at most two pages",
    "onepage": "The strongest highlights on exactly one page",
    "manager": "For engineering-manager roles: leadership first, deep IC detail trimmed",
}
NAMES = {f"your-name-{variant}-{VERSION}.pdf" for variant in DESCRIPTIONS}


def _env(**extra) -> dict:
    import os

    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **extra}


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    shutil.copyfile(CONTENT, folder / "content.toml")
    return folder / "content.toml"


@pytest.fixture(scope="module")
def released(shipped, tmp_path_factory) -> Path:
    """`cvpress release` of the shipped content, run the way a user runs it."""
    out = tmp_path_factory.mktemp("release") / "out" / "release"
    done = run_cli("release", "--content", str(shipped), "--version", VERSION, "--out", str(out), env=_env())
    assert done.returncode == EXIT_OK, done.stderr
    return out


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- the release folder


def test_release_names_every_variant_after_the_person_and_version(released):
    assert {p.name for p in released.iterdir()} == NAMES | {"SHA256SUMS", "RELEASE_NOTES.md"}


def test_sha256sums_lists_every_pdf_and_sha256sum_accepts_it(released):
    lines = (released / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in lines) == sorted(NAMES)
    for line in lines:
        digest, name = line.split("  ")
        assert re.fullmatch(r"[0-9a-f]{64}", digest) and digest == _sha256(released / name)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=released, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 3


def test_release_notes_list_each_variant_with_description_and_page_count(released):
    notes = (released / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    assert notes.startswith(f"# Your Name: résumé {VERSION}\n")
    for variant, description in DESCRIPTIONS.items():
        pdf = f"your-name-{variant}-{VERSION}.pdf"
        pages = verify.page_count(released / pdf)
        assert f"| {variant} | {pages} | {description} | `{pdf}` |" in notes
    assert "sha256sum -c SHA256SUMS" in notes


@pytest.mark.parametrize("variant", list(DESCRIPTIONS))
def test_metadata_of_every_released_pdf(released, variant):
    from pypdf import PdfReader

    reader = PdfReader(released / f"your-name-{variant}-{VERSION}.pdf")
    meta = {key.lstrip("/"): str(value) for key, value in reader.metadata.items()}
    assert meta["Title"] == f"Your Name – Résumé ({variant})"
    assert meta["Author"] == "Your Name"
    assert meta["Subject"] == DESCRIPTIONS[variant]
    assert {"MySQL", "Kafka", "Amazon Web Services"} <= {k.strip() for k in meta["Keywords"].split(",")}
    assert meta["Creator"] == meta["Producer"] == f"cvpress {__version__}"
    assert meta["CreationDate"].startswith("D:20231114221320")  # SOURCE_DATE_EPOCH=1700000000
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_each_pdf_has_its_own_trailer_id(released):
    from pypdf import PdfReader

    ids = [PdfReader(p).trailer["/ID"][0].original_bytes for p in sorted(released.glob("*.pdf"))]
    assert len(set(ids)) == 3 and all(len(i) == 16 for i in ids)


def test_a_new_release_replaces_the_previous_one(shipped, tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "your-name-full-v0.9.pdf").write_bytes(b"%PDF- an older release")
    done = run_cli("release", "-c", str(shipped), "--version", "v1.0", "-o", str(out), env=_env())
    assert done.returncode == EXIT_OK, done.stderr
    expected = [f"your-name-{v}-v1.0.pdf" for v in ("full", "manager", "onepage")]
    assert sorted(p.name for p in out.glob("*.pdf")) == expected
    assert not list(out.glob(".*"))  # no staging folder or temporary file left


# ---------------------------------------------------------------- reproducible bytes


def test_same_content_builds_identical_bytes_in_different_folders(shipped, released, tmp_path, monkeypatch):
    """Two builds, each compiling in a temporary folder of its own, into two output folders; and the
    release (another process, another day as far as the PDF knows) made the same bytes too."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    digests = []
    for run, temp in (("first", "t"), ("second", "much/deeper/temporary/folder")):
        (tmp_path / temp).mkdir(parents=True)
        monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / temp))
        results = build(Options(content=shipped, out=tmp_path / run, cache=False))
        assert [r.error for r in results] == [None, None, None]
        digests.append({r.variant: _sha256(r.pdf) for r in results})
    assert digests[0] == digests[1]
    assert digests[0] == {v: _sha256(released / f"your-name-{v}-{VERSION}.pdf") for v in DESCRIPTIONS}


def test_no_build_folder_or_absolute_path_in_the_pdf(released):
    """Belt and braces for the test above: decompress every object and look for paths."""
    from pypdf import PdfReader
    from pypdf.generic import StreamObject

    for pdf in released.glob("*.pdf"):
        reader = PdfReader(pdf)
        for number in range(1, reader.trailer["/Size"]):
            obj = reader.get_object(number)
            data = repr(obj).encode() + (obj.get_data() if isinstance(obj, StreamObject) else b"")
            for needle in (b"cvpress-", b"/tmp", str(ROOT).encode(), tempfile.gettempdir().encode()):
                assert needle not in data, (pdf.name, number, needle)


# ---------------------------------------------------------------- refusing a release

OVER_BUDGET = MINIMAL.replace(
    'highlights = ["Wrote the first published program."]',
    "highlights = [" + ", ".join(f'"Note {n}: wrote out the full sequence of Bernoulli numbers, step by step, '
                                   'with every operation of the engine shown in its table."' for n in range(70)) + "]",
) + '''
[variants.tight]
description = "One page, no fitting"
max_pages = 1
fit = false
'''


# A template of the user's own that loses the highlights' text: the PDF builds, the ATS check refuses it
LOSSY_TEMPLATE = "((* for item in items *))\\item ((* endfor *))\n"


@pytest.mark.parametrize(("text", "reason"), [
    (OVER_BUDGET, "over its budget of 1"),
    (MINIMAL, "failed the ATS text check"),
], ids=["page-budget", "ats"])
def test_release_refuses_a_failing_variant_and_leaves_the_folder_alone(write_content, tmp_path, text, reason):
    if "ATS" in reason:
        (tmp_path / "templates").mkdir()
        (tmp_path / "templates" / "highlights.tex.j2").write_text(
            "\\begin{cvhighlights}\n" + LOSSY_TEMPLATE + "\\end{cvhighlights}\n")
    out = tmp_path / "release"
    out.mkdir()
    (out / "SHA256SUMS").write_text("previous\n")
    done = run_cli("release", "-c", str(write_content(text)), "--version", "v2", "-o", str(out), env=_env())
    assert done.returncode == EXIT_BUILD
    assert done.stderr.startswith(f"release v2 refused: 1 of 1 variant(s) failed; {out} is unchanged")
    assert reason in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["SHA256SUMS"]
    assert (out / "SHA256SUMS").read_text() == "previous\n"


# ---------------------------------------------------------------- names and versions


@pytest.mark.parametrize(("name", "slug"), [
    ("José Ñúñez", "jose-nunez"),
    ("Your Name", "your-name"),
    ("Łukasz Żółć-Straße", "lukasz-zolc-strasse"),
    ("  Dr. Ada  K. Lovelace, PhD ", "dr-ada-k-lovelace-phd"),
    ("Søren Kierkegaard", "soren-kierkegaard"),
    ("李小龍", "resume"),
])
def test_slug_folds_names_to_ascii(name, slug):
    assert release.slug(name) == slug


def test_version_comes_from_git_describe(tmp_path):
    def git(*args):
        config = ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
        subprocess.run(["git", *config, *args], cwd=tmp_path, check=True, capture_output=True)

    content = tmp_path / "content.toml"
    with pytest.raises(UserError, match=r"git describe --tags --always.*pass --version V"):
        release.describe(content)  # not a repository
    content.write_text(MINIMAL)
    git("init", "-q")
    git("add", "content.toml")
    git("commit", "-q", "-m", "content")
    assert re.fullmatch(r"[0-9a-f]{7,}", release.describe(content))
    git("tag", "v3.1.4")
    assert release.describe(content) == "v3.1.4"


@pytest.mark.parametrize("bad", ["", "v1/2", "../v1", "v 1", "-v1"])
def test_a_version_must_be_safe_in_a_file_name(bad):
    with pytest.raises(UserError, match="becomes part of file names"):
        release.check_version(bad)


def test_make_release_passes_version_and_output_folder():
    done = subprocess.run(["make", "-n", "release", "VERSION=v7.0.0"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "cvpress release --content content.toml --out out/release --version v7.0.0" in done.stdout
    done = subprocess.run(["make", "-n", "verify", "VARIANT=onepage"], cwd=ROOT, capture_output=True, text=True)
    assert "cvpress verify --content content.toml --out out --variant onepage" in done.stdout
