"""Shared fixtures. Tests write only below tmp_path; real TeX compiles, nothing is mocked."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

# Caches of this run only, removed when it ends (pytest_unconfigure): Hypothesis's database, the
# precompiled preambles and LuaLaTeX's font cache (per user, engines.user_cache), never the user's own.
RUN_TMP = Path(tempfile.mkdtemp(prefix="cvpress-tests-"))
set_hypothesis_home_dir(RUN_TMP / "hypothesis")
os.environ["XDG_CACHE_HOME"] = str(RUN_TMP / "cache")

ROOT = Path(__file__).resolve().parents[1]
# Everything the tests read lives in the repository: the user's content.toml is never used, so a
# clone whose content.toml holds another person's résumé keeps a green suite.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTENT = FIXTURES / "resume.toml"  # a frozen sample résumé (the shipped content.toml as of 2026-12)
SEED = FIXTURES / "seed" / "resume-source.txt"  # the text that sample résumé must carry in full
JSONRESUME = FIXTURES / "jsonresume"  # JSON Resume's sample and schema (MIT, LICENSE.md beside them)


# `cvpress` run with no --content reads ./content.toml: the sample's copy, in a folder of this run's own.
PROJECT = RUN_TMP / "project"


def pytest_configure(config):
    config.addinivalue_line("markers", "tex: runs TeX (builds PDFs); `make mutants` leaves these out with -m 'not tex'")


def pytest_collection_modifyitems(items):
    for item in items:  # every test reading the shipped PDFs runs TeX, once per session
        if "built" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.tex)


def pytest_unconfigure(config):
    shutil.rmtree(RUN_TMP, ignore_errors=True)


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m cvpress ARGS` the way a user would (by default in PROJECT, beside the sample
    résumé as content.toml); returns the finished process."""
    if cwd is None and not PROJECT.exists():  # made when first used: mutmut runs several sessions in one process
        PROJECT.mkdir(parents=True)
        shutil.copyfile(CONTENT, PROJECT / "content.toml")
    return subprocess.run([sys.executable, "-m", "cvpress", *args], cwd=cwd or PROJECT, env=env,
                          capture_output=True, text=True, timeout=300, input=input,
                          stdin=None if input is not None else subprocess.DEVNULL)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The shipped content.toml built once, every variant, into a temporary out/ folder."""
    from cvpress.build import Options, build

    out = tmp_path_factory.mktemp("out")
    results = build(Options(content=CONTENT, out=out, cache=False))
    failures = [f"{r.variant}: {r.error.format()}" for r in results if r.error]
    assert not failures, "\n".join(failures)
    return out


@pytest.fixture
def write_content(tmp_path):
    """Write a content file (TOML text) into tmp_path and return its path."""

    def write(text: str, name: str = "content.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def minimal(*highlights: str, name: str = "Ada Lovelace", position: str = "Programmer") -> str:
    """A one-role content file with these highlights (TOML basic strings)."""
    bullets = ", ".join('"' + h.replace("\\", "\\\\").replace('"', '\\"') + '"' for h in highlights)
    return f'''
[basics]
name = "{name}"
email = "ada@example.com"

[[work]]
name = "Analytical Engines"

[[work.positions]]
position = "{position}"
startDate = "1842"
endDate = "1843"
highlights = [{bullets}]
'''


MINIMAL = minimal("Wrote the first published program.")

# Sixty long highlights marked `keep`: no page fitting may drop them, nothing fits on one page.
OVERFULL = MINIMAL.replace(
    'highlights = ["Wrote the first published program."]',
    "highlights = [\n" + "".join(
        f'  {{ text = "Paragraph {n}: wrote the notes on the engine, the table of Bernoulli numbers and the '
        f'letters to Babbage, each one longer than the last and none of them short enough.", keep = true }},\n'
        for n in range(60)
    ) + "]",
) + '''
[variants.tight]
description = "Too much for one page"
max_pages = 1

[variants.roomy]
description = "Same content, no budget"
'''
