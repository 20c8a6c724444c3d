"""`cvpress explain` and `cvpress diff` on the frozen sample résumé (no compile needed)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CONTENT, ROOT, run_cli


def test_explain_names_the_rules_that_removed_items(tmp_path):
    done = run_cli("explain", "-c", str(CONTENT), "manager", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert "tag 'ic-detail' is in exclude_tags" in done.stdout
    assert "work[1].positions[0].highlights[2]" in done.stdout
    onepage = run_cli("explain", "-c", str(CONTENT), "onepage", "-o", str(tmp_path)).stdout
    assert "above max_priority 1" in onepage
    assert "keeps:" in onepage and "Apple, Inc." in onepage


@pytest.mark.tex
def test_explain_shows_what_fitting_dropped_after_a_build(tmp_path):
    stress = tmp_path / "stress.toml"  # forty positions: onepage cannot fit without dropping
    subprocess.run([sys.executable, str(ROOT / "bench" / "stress.py"), str(stress)], check=True)
    built = run_cli("build", "-c", str(stress), "-o", str(tmp_path), "-v", "onepage", "--no-cache")
    assert built.returncode == 0, built.stderr
    dropped = json.loads((tmp_path / "onepage.fit.json").read_text(encoding="utf-8"))["dropped"]
    assert dropped
    done = run_cli("explain", "-c", str(stress), "onepage", "-o", str(tmp_path))
    assert done.returncode == 0, done.stderr
    listed = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("dropped ")]
    assert listed == [f"dropped {d['path']} ({d['employer']}, {d['position']}): {d['text']}" for d in dropped]


@pytest.mark.parametrize(("report", "reason"), [
    (b"", "empty"),
    (b'{"variant": "onepage", "budget": 1, "pages": 1, "comp', "invalid JSON at line 1, column 49: Unterminated string starting at"),
    (b"[1, 2]", "not a fit report: values of the wrong kind"),
    (b'{"variant": "onepage", "compiles": 2}', "not a fit report: no 'style'"),
    (b'{"compiles": 1, "style": {}, "dropped": [3]}', "not a fit report: values of the wrong kind"),
    (b"\xff\xfe{}", "not UTF-8 text"),
], ids=["empty", "truncated", "list", "foreign", "wrong-kind", "not-utf8"])
def test_explain_with_an_unreadable_fit_report_says_so(tmp_path, report, reason):
    (tmp_path / "onepage.fit.json").write_bytes(report)
    done = run_cli("explain", "-c", str(CONTENT), "onepage", "-o", str(tmp_path))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.rstrip().endswith(f"last build's page fitting: {tmp_path / 'onepage.fit.json'} is "
                                         f"unreadable ({reason}); `cvpress build` writes it again")
    assert "keeps:" in done.stdout and "leaves out" in done.stdout  # the rest of the answer is all there


def test_explain_unknown_variant_is_exit_2():
    done = run_cli("explain", "-c", str(CONTENT), "nope")
    assert done.returncode == 2
    assert "unknown variant 'nope'" in done.stderr and "Traceback" not in done.stderr


def test_diff_lists_items_only_in_one_variant():
    done = run_cli("diff", "-c", str(CONTENT), "onepage", "manager")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert lines[0] == "--- onepage" and lines[1] == "+++ manager"
    assert any(line.startswith("- work[1].positions[0].highlights[4]") for line in lines)
    assert any(line.startswith("+ ") and "skills" not in line for line in lines)
    same = run_cli("diff", "-c", str(CONTENT), "full", "full")
    assert "show the same content" in same.stdout


def test_diff_names_order_words_budget_and_design_differences_and_explain_has_section_headers():
    from conftest import CONTENT

    done = run_cli("diff", "onepage", "manager", "-c", str(CONTENT))
    assert done.returncode == 0, done.stderr
    for heading in ("content:", "order (what both show, in another order):", "words:", "budget and design:"):
        assert heading in done.stdout, done.stdout
    assert "max_pages: 1 -> 2" in done.stdout
    explained = run_cli("explain", "onepage", "-c", str(CONTENT)).stdout
    assert "  Experience:\n" in explained and "  Education:\n" in explained

