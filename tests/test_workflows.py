"""Tests for .github/: the workflows and the shared set-up action, validated offline.

check-jsonschema checks them against GitHub's published schemas (bundled with it), zizmor audits
them for security problems (`--offline`: no GitHub API), and the rest checks what the release
process relies on: triggers, permissions, pinned actions, the make targets they call, the .ci/
scripts they run (with stub sudo and apt-get where a real one would change the machine), and
.ci/simulate-release in parts (the whole simulation takes a minute or two: run it by hand).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from importlib.machinery import SourceFileLoader
from importlib.util import module_from_spec, spec_from_loader
from pathlib import Path

import pytest
from conftest import ROOT
from ruamel.yaml import YAML  # installed with check-jsonschema

GITHUB = ROOT / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
SETUP = GITHUB / "actions" / "setup" / "action.yml"
BIN = Path(sys.executable).parent  # the virtual environment's scripts: check-jsonschema, zizmor
SEVERITIES = ["Unknown", "Informational", "Low", "Medium", "High"]
CI = ROOT / ".ci"


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def steps(path: Path) -> list[dict]:
    data = load(path)
    if "runs" in data:
        return data["runs"]["steps"]
    return [step for job in data["jobs"].values() for step in job["steps"]]


def run_script(path: Path) -> str:
    return "\n".join(step.get("run", "") for step in steps(path))


def test_the_three_workflows_and_the_setup_action_exist():
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "pages.yml", "release.yml"]
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


def test_ci_tests_every_branch_push_and_pull_request_on_two_runners_then_keeps_the_pdfs():
    data = load(GITHUB / "workflows" / "ci.yml")
    assert data["on"] == {"push": {"branches": ["**"]}, "pull_request": None}  # a tag runs release.yml only
    [job] = data["jobs"].values()
    assert "permissions" not in job  # the top-level read-only token is enough
    assert job["runs-on"] == "${{ matrix.os }}"
    assert job["strategy"]["matrix"] == {"os": ["ubuntu-24.04", "ubuntu-latest"]}
    assert job["strategy"]["fail-fast"] is False
    runs = [s.get("run") for s in job["steps"] if "run" in s]
    assert runs == ["make test", "make pdf"]
    [upload] = [s for s in job["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload["with"]["path"] == "out/*.pdf" and upload["with"]["if-no-files-found"] == "error"
    assert upload["with"]["name"] == "resume-pdfs-${{ matrix.os }}"  # one artifact per runner


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_run_steps_use_bash_with_pipefail(path):
    assert load(path)["defaults"] == {"run": {"shell": "bash"}}


def test_release_runs_on_version_tags_and_publishes_pdfs_sums_notes_and_unversioned_copies():
    data = load(GITHUB / "workflows" / "release.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}}
    [job] = data["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    assert job["permissions"] == {"contents": "write"}  # only this job may write, and only contents
    script = run_script(GITHUB / "workflows" / "release.yml")
    assert script.index("make release") < script.index(".ci/release-assets") < script.index("gh release create")
    assert 'make release VERSION="$VERSION"' in script
    assert '.ci/release-assets out/release "$VERSION" out/latest' in script
    assert "assets=(out/release/*.pdf out/release/*.docx out/release/SHA256SUMS out/latest/*.pdf)" in script
    create = script[script.index("gh release create"):]
    for part in ('"$TAG"', "--verify-tag", "--notes-file out/release/RELEASE_NOTES.md", '"${assets[@]}"'):
        assert part in create
    upload = script[script.index("gh release upload"):script.index("gh release create")]
    assert "--clobber" in upload and '"${assets[@]}"' in upload  # a re-run replaces, never fails
    assert "${{" not in script  # no expression expanded into a shell script (template injection)
    env = {k: v for s in job["steps"] for k, v in (s.get("env") or {}).items()}
    assert env == {"VERSION": "${{ github.ref_name }}", "GH_TOKEN": "${{ github.token }}",
                   "TAG": "${{ github.ref_name }}"}
    [setup] = [s for s in job["steps"] if s.get("uses") == "./.github/actions/setup"]
    assert setup["with"]["save-cache"] == "false"  # a release only reads the CI's package cache


def test_pages_is_off_until_the_repository_variable_turns_it_on_and_only_its_deploy_job_may_write():
    data = load(GITHUB / "workflows" / "pages.yml")
    assert data["on"] == {"push": {"tags": ["v*"]}, "workflow_dispatch": None}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    assert build["if"] == "vars.PUBLISH_PAGES == 'true'" and "permissions" not in build
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    script = run_script(GITHUB / "workflows" / "pages.yml")
    assert ".venv/bin/cvpress export" in script and "--format html" in script and "${{" not in script


def test_release_is_gated_by_make_release_not_by_the_test_suite_or_the_linters():
    script = run_script(GITHUB / "workflows" / "release.yml")
    assert "make release" in script
    for tool_check in ("make test", "pytest", "zizmor", "check-jsonschema"):
        assert tool_check not in script  # ci.yml checks the tool; a release checks the résumé


def test_workflow_linters_are_pinned_to_exact_versions():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    pins = {re.split(r"[=<>~!]", r)[0]: r for r in extras["test"]}
    for linter in ("zizmor", "check-jsonschema"):
        assert re.fullmatch(rf"{linter}==\d+(\.\d+)+", pins[linter]), pins[linter]


def test_tex_live_comes_from_the_one_package_list_through_a_verified_cache_keyed_by_runner_image():
    action = load(SETUP)
    script = run_script(SETUP)
    assert '.ci/install-tex --verify-cache "$HOME/.cache/apt-archives"' in script  # reads debian-packages.txt
    assert "apt-get" not in script  # .ci/install-tex runs the one `apt-get update`
    assert "${ImageOS:-" in script and "${ImageVersion:-" in script and '>> "$GITHUB_OUTPUT"' in script
    keys = [s["with"]["key"] for s in action["runs"]["steps"] if "cache/restore@" in s.get("uses", "")]
    assert keys and "hashFiles('.ci/*-packages.txt')" in keys[0]  # debian-packages.txt and test-packages.txt
    assert "steps.apt.outputs.image" in keys[0]  # a new runner image starts a new cache entry
    for workflow in ("ci.yml", "release.yml"):
        assert "./.github/actions/setup" in [s.get("uses") for s in steps(GITHUB / "workflows" / workflow)]


def _stub(folder: Path, name: str, body: str) -> None:
    (folder / name).write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    (folder / name).chmod(0o755)


def test_install_tex_updates_once_per_job_verifies_the_cache_then_installs_non_interactively_through_sudo(tmp_path):
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    log, cache, job_temp = tmp_path / "apt.log", tmp_path / "cache", tmp_path / "runner-temp"
    cache.mkdir()
    job_temp.mkdir()
    (cache / "cvpress-no-such-package_1.0_all.deb").write_bytes(b"not a package")
    _stub(bin_, "id", "echo 1000\n")  # not root: install-tex must go through sudo
    _stub(bin_, "sudo", 'exec env -i PATH="$PATH" "$@"\n')  # sudo's env_reset: the caller's environment is gone
    _stub(bin_, "dpkg-query", "exit 1\n")  # nothing installed
    # each call: the files in the cache at that moment, then the DEBIAN_FRONTEND apt-get saw and its arguments
    _stub(bin_, "apt-get", f'echo "$(ls {cache}) | ${{DEBIAN_FRONTEND:-unset}} $*" >> {log}\n')
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}", "CI": "true", "RUNNER_TEMP": str(job_temp)}
    for args in (["--verify-cache", str(cache)], [str(CI / "test-packages.txt")]):  # the set-up action, make test
        done = subprocess.run([str(CI / "install-tex"), *args], env=env, capture_output=True, text=True, timeout=120)
        if "apt-cache is missing" in done.stderr:
            pytest.skip("no apt-cache on this machine: .ci/verify-apt-cache cannot run")
        assert done.returncode == 0, done.stderr
        if "--verify-cache" in args:
            assert "apt cache: kept 0 verified package(s), removed 1" in done.stderr
    calls = log.read_text().splitlines()
    assert calls[0] == "cvpress-no-such-package_1.0_all.deb | noninteractive update -qq"
    assert calls[1].startswith(" | noninteractive install -y -qq --no-install-recommends texlive-latex-base ")
    assert calls[2].startswith(" | noninteractive install -y -qq --no-install-recommends libreoffice")
    assert len(calls) == 3  # one update in the job; the unverified .deb was gone before the first install


@pytest.mark.parametrize("args, message", [(["nosuch-packages.txt"], "no package list nosuch-packages.txt"),
                                           (["--verify-cache"], "usage: .ci/install-tex")])
def test_install_tex_refuses_a_missing_package_list_or_cache_folder(args, message):
    done = subprocess.run([str(CI / "install-tex"), *args], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.returncode != 0 and message in done.stderr, done.stderr


def _apt_index_or_skip() -> None:
    if shutil.which("apt-cache") is None:
        pytest.skip("no apt-cache on this machine: nothing can be verified against a package index")
    shown = subprocess.run(["apt-cache", "show", "bash"], capture_output=True, text=True, timeout=60)
    if "SHA256:" not in shown.stdout:
        pytest.skip("apt-cache has no package index here (run apt-get update)")


def test_verify_apt_cache_deletes_packages_the_index_does_not_vouch_for(tmp_path):
    _apt_index_or_skip()
    (tmp_path / "cvpress-no-such-package_1.0_all.deb").write_bytes(b"not a package")
    (tmp_path / "bash_1%3a99.0_amd64.deb").write_bytes(b"a real name, a version no index lists")
    done = subprocess.run(["bash", str(CI / "verify-apt-cache"), str(tmp_path)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert list(tmp_path.iterdir()) == []
    assert "kept 0 verified package(s), removed 2" in done.stderr


def test_verify_apt_cache_keeps_a_package_the_index_lists_and_deletes_it_tampered(tmp_path):
    _apt_index_or_skip()
    shell = subprocess.run(["apt-config", "shell", "d", "Dir::Cache::Archives/d"], capture_output=True,
                           text=True, timeout=60).stdout
    archives = Path(shell.partition("=")[2].strip().strip("'") or "/var/cache/apt/archives")
    genuine = None
    for deb in sorted(archives.glob("*.deb"), key=lambda p: p.stat().st_size)[:20]:
        name, version = deb.stem.split("_")[:2]
        shown = subprocess.run(["apt-cache", "show", f"{name}={version.replace('%3a', ':')}"],
                               capture_output=True, text=True, timeout=60).stdout
        if f"SHA256: {hashlib.sha256(deb.read_bytes()).hexdigest()}" in shown:
            genuine = deb
            break
    if genuine is None:
        pytest.skip(f"no .deb in {archives} that the package index lists, to verify")
    kept, tampered = tmp_path / "kept", tmp_path / "tampered"
    kept.mkdir()
    tampered.mkdir()
    shutil.copy(genuine, kept)
    (tampered / genuine.name).write_bytes(genuine.read_bytes() + b"\0")  # same name, one byte more
    for folder, expected in ((kept, "kept 1 verified package(s), removed 0"),
                             (tampered, "kept 0 verified package(s), removed 1")):
        done = subprocess.run(["bash", str(CI / "verify-apt-cache"), str(folder)],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and expected in done.stderr, done.stderr
    assert [p.name for p in kept.iterdir()] == [genuine.name] and list(tampered.iterdir()) == []


def _release_files(folder: Path, stem: str, version: str, variants: list[str]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for variant in variants:
        (folder / f"{stem}-{variant}-{version}.pdf").write_text(f"%PDF {variant}")
        (folder / f"{stem}-{variant}-{version}.docx").write_text(f"PK {variant}")


def release_assets(tmp_path: Path, *variants: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CI / "release-assets"), str(tmp_path / "release"), "v1.0.0", str(tmp_path / "latest"),
                           *variants], capture_output=True, text=True, timeout=60)


def test_release_assets_copies_each_variant_under_its_own_name_even_when_names_hold_dashes(tmp_path):
    # "ada-x" + "onepage" and "ada" + "x-onepage" spell one file name: only the name part common to all fits
    _release_files(tmp_path / "release", "ada-x", "v1.0.0", ["onepage", "x-onepage"])
    done = release_assets(tmp_path, "onepage", "x-onepage")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "latest" / "onepage.pdf").read_text() == "%PDF onepage"
    assert (tmp_path / "latest" / "x-onepage.pdf").read_text() == "%PDF x-onepage"
    assert sorted(p.name for p in (tmp_path / "latest").iterdir()) == ["onepage.pdf", "x-onepage.pdf"]


@pytest.mark.parametrize("variants", [["onepage", "manager"], ["onepage"], ["onepage", "manager", "full"]])
def test_release_assets_refuses_a_release_that_does_not_hold_exactly_the_variants(tmp_path, variants):
    _release_files(tmp_path / "release", "ada", "v1.0.0", ["onepage", "full"])
    done = release_assets(tmp_path, *variants)
    assert done.returncode == 1 and "release-assets: " in done.stderr, done.stderr
    assert not (tmp_path / "latest").exists()


# .ci/simulate-release, in parts (the whole simulation builds a fresh .venv: a minute or more)
_loader = SourceFileLoader("simulate_release", str(CI / "simulate-release"))
simulate = sys.modules["simulate_release"] = module_from_spec(spec_from_loader("simulate_release", _loader))
_loader.exec_module(simulate)


@pytest.fixture
def runner(tmp_path):
    """A simulated runner whose workspace holds a built release of `ada` v1.0.0, tag pushed."""
    remote, work = tmp_path / "remote.git", tmp_path / "src"
    ident = ["-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    for command in (["init", "-q", "--bare", str(remote)], ["init", "-q", str(work)],
                    [*ident, "-C", str(work), "commit", "-q", "--allow-empty", "-m", "x"],
                    ["-C", str(work), "tag", "v1.0.0"],
                    ["-C", str(work), "push", "-q", str(remote), "HEAD:refs/heads/main", "v1.0.0"]):
        subprocess.run(["git", *command], check=True, capture_output=True, timeout=60)
    simulate.install_gh_stub(tmp_path)
    runner = simulate.Runner(tmp_path, remote, "v1.0.0", "0" * 40, "ada/resume")
    release, latest = runner.workspace / "out" / "release", runner.workspace / "out" / "latest"
    _release_files(release, "ada", "v1.0.0", ["full", "onepage"])
    (release / "SHA256SUMS").write_text("sums\n")
    (release / "RELEASE_NOTES.md").write_text("# Ada: résumé v1.0.0\n")
    latest.mkdir()
    for variant in ("full", "onepage"):
        (latest / f"{variant}.pdf").write_text(f"%PDF {variant}")
    runner.prepare()
    return runner


def gh_calls(runner) -> list[list[str]]:
    """Each recorded call: `gh release COMMAND` and its flags."""
    calls = [json.loads(line) for line in (runner.root / "gh.log").read_text().splitlines()]
    return [call[:3] + [a for a in call if a.startswith("--")] for call in calls]


def test_release_workflow_publish_step_creates_then_a_rerun_uploads_with_clobber(runner):
    [step] = [s for s in steps(GITHUB / "workflows" / "release.yml") if "gh release" in s.get("run", "")]
    env = simulate.step_env(runner, [step["env"]], "publish")
    simulate.run_script(runner, step, env, "bash", "publish")
    simulate.run_script(runner, step, env, "bash", "publish again")  # a re-run of the same tag
    assert gh_calls(runner) == [
        ["gh", "release", "view", "--repo"],
        ["gh", "release", "create", "--repo", "--verify-tag", "--title", "--notes-file"],
        ["gh", "release", "view", "--repo"],
        ["gh", "release", "upload", "--repo", "--clobber"],
        ["gh", "release", "edit", "--repo", "--title", "--draft=false", "--notes-file"]]
    assets = runner.root / "github" / "v1.0.0" / "assets"
    assert sorted(p.name for p in assets.iterdir()) == [
        "SHA256SUMS", "ada-full-v1.0.0.docx", "ada-full-v1.0.0.pdf", "ada-onepage-v1.0.0.docx",
        "ada-onepage-v1.0.0.pdf", "full.pdf", "onepage.pdf"]


@pytest.mark.parametrize("args, message", [
    (["release", "create", "v1.0.0", "out/release/nothing.pdf"], "no such asset file"),
    (["release", "create", "v9.9.9", "--verify-tag"], "doesn't exist in the repo"),
    (["release", "upload", "v1.0.0", "out/release/SHA256SUMS"], "release not found"),
    (["release", "create", "v1.0.0", "--latest"], "unknown flag --latest"),
    (["release", "create", "v1.0.0", "--repo", "someone/else"], "is not this repository"),
    (["release", "create", "v1.0.0", "out/release/SHA256SUMS", "out/latest/../release/SHA256SUMS"], "two assets"),
])
def test_the_gh_stub_refuses_what_github_would(runner, args, message):
    env = simulate.step_env(runner, [{"GH_TOKEN": "t"}], "test")
    done = subprocess.run(["gh", *args], cwd=runner.workspace, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and message in done.stderr, done.stderr
    assert not (runner.root / "github" / "v1.0.0").exists()


def test_the_gh_stub_refuses_a_second_create_and_an_upload_over_an_asset_without_clobber(runner):
    env = simulate.step_env(runner, [{"GH_TOKEN": "t"}], "test")

    def gh(*args):
        return subprocess.run(["gh", *args], cwd=runner.workspace, env=env, capture_output=True, text=True, timeout=60)

    assert gh("release", "create", "v1.0.0", "out/release/SHA256SUMS").returncode == 0
    assert "already exists" in gh("release", "create", "v1.0.0").stderr
    assert "already exists" in gh("release", "upload", "v1.0.0", "out/release/SHA256SUMS").stderr
    assert gh("release", "upload", "v1.0.0", "--clobber", "out/release/SHA256SUMS").returncode == 0


def test_the_simulation_fills_in_only_the_expressions_it_knows(runner):
    assert simulate.expand("${{ github.ref_name }}", runner.context(), "x") == "v1.0.0"
    with pytest.raises(simulate.Stop, match="does not know the expression"):
        simulate.expand("${{ secrets.PAT }}", runner.context(), "x")


@pytest.mark.parametrize("target", ["test", "pdf", "release"])
def test_the_make_targets_the_workflows_call_exist(target):
    done = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_the_simulation_carries_github_env_and_github_path_to_later_steps(runner):
    (runner.workspace / "tools").mkdir()
    write = {"run": 'echo "GREETING=hello" >> "$GITHUB_ENV"\n{ echo "NOTE<<END"; echo "two"; echo "lines"; echo "END"; }'
                    ' >> "$GITHUB_ENV"\necho "$GITHUB_WORKSPACE/tools" >> "$GITHUB_PATH"'}
    read = {"run": 'test "$GREETING" = hello\ntest "$NOTE" = "$(printf "two\\nlines")"\n'
                   'case "$PATH" in "$GITHUB_WORKSPACE/tools:"*) ;; *) exit 1;; esac'}
    simulate.run_script(runner, write, runner.environ(), "bash", "write")
    simulate.run_script(runner, read, runner.environ(), "bash", "read")
    with pytest.raises(simulate.Stop, match="read again: exit 1"):
        runner.exported.clear()
        simulate.run_script(runner, read, runner.environ(), "bash", "read again")
