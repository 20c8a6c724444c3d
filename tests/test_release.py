"""Tests for cvpress.release and reproducible builds: names, SHA256SUMS, notes, metadata, identical bytes.

The shipped content is copied into tmp_path (the build cache lives beside the content file, and
tests never write into the repository), so its SOURCE_DATE_EPOCH is the one set here.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import CONTENT, MINIMAL, ROOT, run_cli

from cvpress import __version__, release, verify
from cvpress.build import Options, build
from cvpress.errors import EXIT_BUILD, EXIT_INPUT, EXIT_OK, UserError

EPOCH = "1700000000"
VERSION = "v1.2.0"
DESCRIPTIONS = {
    "full": "Everything, at most two pages",
    "onepage": "The strongest highlights on exactly one page",
    "manager": "For engineering-manager roles: leadership first, deep IC detail trimmed",
}
NAMES = {f"your-name-{variant}-{VERSION}.{kind}" for variant in DESCRIPTIONS for kind in ("pdf", "docx")}


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
    assert {p.name for p in released.iterdir()} == NAMES | {"SHA256SUMS", "RELEASE_NOTES.md", release.MANIFEST}


def test_the_manifest_lists_every_file_of_the_release_with_its_sha256(released):
    manifest = json.loads((released / release.MANIFEST).read_text(encoding="utf-8"))
    assert manifest["version"] == VERSION
    assert manifest["files"] == {name: _sha256(released / name) for name in NAMES | {"SHA256SUMS", "RELEASE_NOTES.md"}}


def test_sha256sums_lists_every_pdf_and_sha256sum_accepts_it(released):
    lines = (released / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(line.split("  ")[1] for line in lines) == sorted(NAMES)
    for line in lines:
        digest, name = line.split("  ")
        assert re.fullmatch(r"[0-9a-f]{64}", digest) and digest == _sha256(released / name)
    done = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=released, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.count(": OK") == 6  # a PDF and a Word document per variant


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
    assert meta["Title"].startswith("Your Name – ") and f"({variant})" not in meta["Title"]
    assert meta["Author"] == "Your Name"
    assert meta["Subject"] != DESCRIPTIONS[variant]  # public fields only (test_verify checks what they are)
    assert {"MySQL", "Kafka", "Amazon Web Services"} <= {k.strip() for k in meta["Keywords"].split(",")}
    assert meta["Creator"] == meta["Producer"] == f"cvpress {__version__}"
    assert meta["CreationDate"].startswith("D:20231114221320")  # SOURCE_DATE_EPOCH=1700000000
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_each_pdf_has_its_own_trailer_id(released):
    from pypdf import PdfReader

    ids = [PdfReader(p).trailer["/ID"][0].original_bytes for p in sorted(released.glob("*.pdf"))]
    assert len(set(ids)) == 3 and all(len(i) == 16 for i in ids)


def test_a_new_release_replaces_its_previous_one_and_no_other_file(write_content, tmp_path):
    content = write_content(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    others = {"my-cover-letter.pdf": b"%PDF- not a release", "notes.md": b"mine", "SHA256SUMS.old": b"mine too"}
    for name, data in others.items():
        (out / name).write_bytes(data)
    for version in ("v0.9", "v1.0"):
        done = run_cli("release", "-c", str(content), "--version", version, "-o", str(out), env=_env())
        assert done.returncode == EXIT_OK, done.stderr
    assert f"removed {out / 'ada-lovelace-full-v0.9.pdf'} (of the previous release)" in done.stdout
    assert {p.name for p in out.iterdir()} == set(others) | {
        "ada-lovelace-full-v1.0.pdf", "ada-lovelace-full-v1.0.docx", "SHA256SUMS", "RELEASE_NOTES.md", release.MANIFEST}
    assert {name: (out / name).read_bytes() for name in others} == others
    assert (out / "SHA256SUMS").read_text() == (f"{_sha256(out / 'ada-lovelace-full-v1.0.pdf')}  ada-lovelace-full-v1.0.pdf\n"
                                               f"{_sha256(out / 'ada-lovelace-full-v1.0.docx')}  ada-lovelace-full-v1.0.docx\n")


def test_a_release_into_the_project_folder_leaves_its_files(write_content, tmp_path):
    content = write_content(MINIMAL)
    (tmp_path / "photo.pdf").write_bytes(b"%PDF- mine")
    done = run_cli("release", "-c", str(content), "--version", "v1", "-o", str(tmp_path), env=_env())
    assert done.returncode == EXIT_OK, done.stderr
    assert (tmp_path / "photo.pdf").read_bytes() == b"%PDF- mine" and content.read_text() == MINIMAL
    assert (tmp_path / "ada-lovelace-full-v1.pdf").exists()


def test_a_file_of_the_previous_release_changed_since_is_left(write_content, tmp_path):
    content = write_content(MINIMAL)
    out = tmp_path / "out"
    assert run_cli("release", "-c", str(content), "--version", "v1", "-o", str(out), env=_env()).returncode == 0
    (out / "ada-lovelace-full-v1.pdf").write_bytes(b"%PDF- edited by hand")
    done = run_cli("release", "-c", str(content), "--version", "v2", "-o", str(out), env=_env())
    assert done.returncode == EXIT_OK, done.stderr
    assert f"left {out / 'ada-lovelace-full-v1.pdf'}: of the previous release, but changed since" in done.stdout
    assert (out / "ada-lovelace-full-v1.pdf").read_bytes() == b"%PDF- edited by hand"


def test_a_release_folder_of_before_manifests_is_recognised(write_content, tmp_path):
    """SHA256SUMS and RELEASE_NOTES.md as cvpress wrote them before it wrote manifests."""
    content = write_content(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    (out / "ada-lovelace-full-v0.pdf").write_bytes(b"%PDF- old release")
    (out / "SHA256SUMS").write_text(f"{_sha256(out / 'ada-lovelace-full-v0.pdf')}  ada-lovelace-full-v0.pdf\n")
    (out / "RELEASE_NOTES.md").write_text("# Ada: résumé v0\n\nVerify the downloads with `sha256sum -c SHA256SUMS`.\n")
    (out / "other.pdf").write_bytes(b"%PDF- mine")
    done = run_cli("release", "-c", str(content), "--version", "v1", "-o", str(out), env=_env())
    assert done.returncode == EXIT_OK, done.stderr
    assert sorted(p.name for p in out.glob("*.pdf")) == ["ada-lovelace-full-v1.pdf", "other.pdf"]


@pytest.mark.parametrize("name", ["ada-lovelace-full-v1.pdf", "SHA256SUMS", "RELEASE_NOTES.md"])
def test_a_release_refuses_to_replace_a_file_it_did_not_write(write_content, tmp_path, name):
    content = write_content(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_bytes(b"someone else's")
    done = run_cli("release", "-c", str(content), "--version", "v1", "-o", str(out), env=_env())
    assert done.returncode == EXIT_INPUT
    assert done.stderr.startswith(f"{out / name}: already there, and not from an earlier release")
    assert "move it away, or release into another folder with -o" in done.stderr
    assert [p.name for p in out.iterdir()] == [name] and (out / name).read_bytes() == b"someone else's"


@pytest.mark.parametrize("manifest", ["", "{", "[]", '{"files": 3}', '{"files": {"../content.toml": null}}',
                                      '{"files": {"a.pdf": "not a hash"}}'])
def test_an_unreadable_manifest_is_a_message(write_content, tmp_path, manifest):
    content = write_content(MINIMAL)
    out = tmp_path / "out"
    out.mkdir()
    (out / release.MANIFEST).write_text(manifest)
    done = run_cli("release", "-c", str(content), "--version", "v1", "-o", str(out), env=_env())
    assert done.returncode == EXIT_INPUT and "Traceback" not in done.stderr
    assert done.stderr.startswith(f"{out / release.MANIFEST}: not a release manifest cvpress can read")
    assert content.read_text() == MINIMAL and [p.name for p in out.iterdir()] == [release.MANIFEST]


def _without_root_powers():
    """In the child: drop root's power to write where permissions say no (CAP_DAC_OVERRIDE and kin)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_a_release_into_a_read_only_folder_is_a_message(write_content, tmp_path):
    import os
    import sys

    content = write_content(MINIMAL)
    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    try:
        done = subprocess.run([sys.executable, "-m", "cvpress", "release", "-c", str(content), "--version", "v1",
                               "-o", str(out)], capture_output=True, text=True, env=_env(), timeout=120,
                              preexec_fn=_without_root_powers if os.geteuid() == 0 else None)
    finally:
        out.chmod(0o755)
    assert done.returncode == EXIT_INPUT, done.stderr
    assert done.stderr.strip() == f"{out}: the release folder is not writable; make it writable or choose another with -o"
    assert list(out.iterdir()) == []


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
    (out / "my-cover-letter.pdf").write_text("previous\n")
    done = run_cli("release", "-c", str(write_content(text)), "--version", "v2", "-o", str(out), env=_env())
    assert done.returncode == EXIT_BUILD
    assert done.stderr.startswith(f"release v2 refused: 1 of 1 variant(s) failed; {out} is unchanged")
    assert reason in done.stderr and "Traceback" not in done.stderr
    assert [p.name for p in out.iterdir()] == ["my-cover-letter.pdf"]
    assert (out / "my-cover-letter.pdf").read_text() == "previous\n"


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
    with pytest.raises(UserError, match=r"git describe --tags --always.*pass --version V") as raised:
        release.describe(content)  # not a repository
    assert "make release" not in str(raised.value)  # no Makefile here
    (tmp_path / "Makefile").write_text("release:\n")
    with pytest.raises(UserError, match=r"\(make release VERSION=V\)"):
        release.describe(content)
    (tmp_path / "Makefile").unlink()
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
