"""Tests for .github/: the workflows and the shared set-up action, validated offline.

check-jsonschema checks them against GitHub's published schemas (bundled with it), zizmor audits
them for security problems (`--offline`: no GitHub API), and the rest checks what the release
process relies on: triggers, permissions, pinned actions, and the make targets they call.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT
from ruamel.yaml import YAML  # installed with check-jsonschema

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
SETUP = GITHUB / "actions" / "setup" / "action.yml"
BIN = Path(sys.executable).parent  # the virtual environment's scripts: check-jsonschema, zizmor
SEVERITIES = ["Unknown", "Informational", "Low", "Medium", "High"]


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(path: Path) -> list[dict]:
    data = load(path)
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job["steps"]]


def run_script(path: Path) -> str:
    return "\n".join(step.get("run", "") for step in steps(path))


def test_the_two_workflows_and_the_setup_action_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "release.yml"]
    assert SETUP.is_file()


def test_workflows_match_githubs_schema():
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
                           *map(str, WORKFLOWS)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_setup_action_matches_githubs_schema():
    done = subprocess.run([str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-actions", str(SETUP)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_zizmor_finds_nothing_of_medium_or_high_severity():
    done = subprocess.run([str(BIN / "zizmor"), "--offline", "--format", "json", str(GITHUB)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert done.returncode in (0, 10, 11, 12, 13, 14), done.stderr  # 10+: findings, judged below
    findings = json.loads(done.stdout)
    serious = [(f["ident"], f["determinations"]["severity"], f["desc"]) for f in findings
               if SEVERITIES.index(f["determinations"]["severity"]) >= SEVERITIES.index("Medium")]
    assert serious == []


@pytest.mark.parametrize("path", WORKFLOWS + [SETUP], ids=lambda p: p.parent.name + "/" + p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_named(path):
    text = path.read_text(encoding="utf-8")
    uses = re.findall(r"uses:\s*(\S+)(.*)", text)
    assert uses
    for target, comment in uses:
        if target.startswith("./"):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", target), target
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", comment), f"{target}: no `# vX.Y.Z` comment"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_persisted_credentials(path):
    data = load(path)
    assert data["permissions"] == {"contents": "read"}
    for job in data["jobs"].values():
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_ci_tests_every_push_and_pull_request_then_keeps_the_pdfs():
    data = load(GITHUB / "workflows" / "ci.yml")
    assert set(data["on"]) == {"push", "pull_request"}
    [job] = data["jobs"].values()
    assert "permissions" not in job  # the top-level read-only token is enough
    runs = [s.get("run") for s in job["steps"] if "run" in s]
    assert runs == ["make test", "make pdf"]
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "out/*.pdf" and upload["with"]["if-no-files-found"] == "error"


def test_release_runs_on_version_tags_and_publishes_pdfs_sums_and_notes():
    data = load(GITHUB / "workflows" / "release.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}}
    [job] = data["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["permissions"] == {"contents": "write"}  # only this job may write, and only contents
    script = run_script(GITHUB / "workflows" / "release.yml")
    assert script.index("make test") < script.index("make release") < script.index("gh release create")
    assert 'make release VERSION="$VERSION"' in script
    create = script[script.index("gh release create"):]
    for part in ('"$TAG"', "--verify-tag", "--notes-file out/release/RELEASE_NOTES.md",
                 "out/release/*.pdf", "out/release/SHA256SUMS"):
        assert part in create
    assert "${{" not in script  # no expression expanded into a shell script (template injection)
    env = {k: v for s in job["steps"] for k, v in (s.get("env") or {}).items()}
    assert env == {"VERSION": "${{ github.ref_name }}", "GH_TOKEN": "${{ github.token }}",
                   "TAG": "${{ github.ref_name }}"}
    [setup] = [s for s in job["steps"] if s.get("uses") == "./.github/actions/setup"]
    assert setup["with"]["save-cache"] == "false"  # a release only reads the CI's package cache


def test_tex_live_comes_from_the_one_package_list_through_a_verified_cache():
    action = load(SETUP)
    script = run_script(SETUP)
    assert ".ci/install-tex" in script  # which installs .ci/debian-packages.txt
    assert script.index(".ci/verify-apt-cache") < script.index(".ci/install-tex")
    keys = [s["with"]["key"] for s in action["runs"]["steps"] if "cache/restore@" in s.get("uses", "")]
    assert keys and "hashFiles('.ci/debian-packages.txt')" in keys[0]
    for workflow in WORKFLOWS:
        assert "./.github/actions/setup" in [s.get("uses") for s in steps(workflow)]


def test_verify_apt_cache_deletes_packages_the_index_does_not_vouch_for(tmp_path):
    (tmp_path / "cvpress-no-such-package_1.0_all.deb").write_bytes(b"not a package")
    (tmp_path / "bash_1%3a99.0_amd64.deb").write_bytes(b"a real name, a version no index lists")
    done = subprocess.run(["bash", str(ROOT / ".ci" / "verify-apt-cache"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
    assert "kept 0 verified package(s), removed 2" in done.stderr


@pytest.mark.parametrize("target", ["test", "pdf", "release"])
def test_the_make_targets_the_workflows_call_exist(target):
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
