"""`cvpress explain` and `cvpress diff` on the shipped content (no compile needed)."""

from __future__ import annotations

from conftest import run_cli


def test_explain_names_the_rules_that_removed_items(tmp_path):
    done = run_cli("explain", "manager", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "tag 'ic-detail' is in exclude_tags" in done.stdout
    assert "work[1].positions[0].highlights[2]" in done.stdout
    onepage = run_cli("explain", "onepage", "-o", str(tmp_path)).stdout
    assert "above max_priority 1" in onepage
    assert "keeps:" in onepage and "Apple, Inc." in onepage


def test_explain_shows_what_fitting_dropped_after_a_build(built):
    done = run_cli("explain", "onepage", "-o", str(built))
    assert done.returncode == 0
    assert "last build's page fitting" in done.stdout


def test_explain_unknown_variant_is_exit_2():
    done = run_cli("explain", "nope")
    assert done.returncode == 2
    assert "unknown variant 'nope'" in done.stderr and "Traceback" not in done.stderr


def test_diff_lists_items_only_in_one_variant():
    done = run_cli("diff", "onepage", "manager")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "--- onepage" and lines[1] == "+++ manager"
    assert any(line.startswith("- work[1].positions[0].highlights[4]") for line in lines)
    assert any(line.startswith("+ ") and "skills" not in line for line in lines)
    same = run_cli("diff", "full", "full")
    assert "show the same content" in same.stdout
