"""Page fitting: real compiles of the shipped one-page variant, a stress résumé and an impossible budget."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import CONTENT, ROOT, run_cli
from cvpress import fit, verify
from cvpress.escape import plain
from cvpress.model import Fit, Style


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_ladder_tightens_spacing_then_margins_then_font_size():
    levels = fit.ladder(Style(font_size=11, margin="0.6in", spacing=1.0), Fit(min_spacing=0.7, min_margin="0.5in"))
    assert levels[0] == Style(font_size=11, margin="0.6in", spacing=1.0)
    eleven = [lv for lv in levels if lv.font_size == 11]
    assert [lv.spacing for lv in eleven[:3]] == [1.0, 0.85, 0.7]
    assert [lv.margin for lv in eleven[3:]] == ["0.55in", "0.5in"]
    assert all(lv.spacing >= 0.7 and fit.inches(lv.margin) >= 0.5 - 1e-9 for lv in levels)
    assert levels[-1] == Style(font_size=10, margin="0.5in", spacing=0.7)
    assert {lv.font_size for lv in fit.ladder(Style(font_size=11), Fit(min_font_size=11))} == {11}


def test_scale_shrinks_with_every_tightening_step():
    levels = fit.ladder(Style(), Fit())
    ratios = [fit.scale(levels[0], lv) for lv in levels]
    assert ratios[0] == pytest.approx(1.0)
    assert ratios[-1] < 0.8
    assert all(r <= 1.0 for r in ratios)


def test_shipped_onepage_is_one_page_with_a_fit_report(built):
    pdf = built / "onepage.pdf"
    assert verify.page_count(pdf) == 1
    report = json.loads((built / "onepage.fit.json").read_text(encoding="utf-8"))
    assert report["pages"] == 1 and report["budget"] == 1
    assert report["compiles"] <= 3
    assert report["fitted"] is True
    assert report["style"]["font_size"] in (10, 11) and "spacing" in report["style"]
    text = _norm(verify.text(pdf))
    import tomllib

    data = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    keep = [h["text"] for w in data["work"] for p in w["positions"] for h in p.get("highlights", [])
            if isinstance(h, dict) and h.get("keep")]
    assert keep, "the shipped content marks some highlights keep = true"
    for sentence in keep:
        assert _norm(plain(sentence)) in text


@pytest.fixture(scope="module")
def stress(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stress")
    path = folder / "stress.toml"
    subprocess.run([sys.executable, str(ROOT / "bench" / "stress.py"), str(path)], check=True)
    return path


def test_stress_resume_fits_one_page_within_the_compile_limit(stress, tmp_path):
    done = run_cli("build", "-c", str(stress), "-o", str(tmp_path), "-v", "onepage", "--no-cache")
    assert done.returncode == 0, done.stderr
    assert verify.page_count(tmp_path / "onepage.pdf") == 1
    report = json.loads((tmp_path / "onepage.fit.json").read_text(encoding="utf-8"))
    assert report["compiles"] <= 6
    assert report["dropped"], "forty positions cannot fit one page without dropping"
    # the keep = true highlight survives
    assert "Company 01" in verify.text(tmp_path / "onepage.pdf")
    first = next(d for d in report["dropped"])
    assert {"path", "employer", "position", "text"} <= set(first)


def test_stress_resume_without_fitting_fails_with_exit_1(stress, tmp_path):
    done = run_cli("build", "-c", str(stress), "-o", str(tmp_path), "-v", "onepage", "--no-fit", "--no-cache")
    assert done.returncode == 1
    assert "over its budget of 1" in done.stderr and "onepage" in done.stderr
    assert "Traceback" not in done.stderr


def test_impossible_budget_names_variant_budget_and_pages(write_content, tmp_path):
    bullets = ",\n".join(
        f'  {{ text = "Kept achievement number {i} that must never be dropped from this résumé, whatever the page budget says.", keep = true }}'
        for i in range(70)
    )
    path = write_content(f'''
[basics]
name = "Keep Everything"

[[work]]
name = "Acme"

[[work.positions]]
position = "Engineer"
highlights = [
{bullets}
]

[variants.tiny]
max_pages = 1
''')
    done = run_cli("build", "-c", str(path), "-o", str(tmp_path / "out"), "--no-cache")
    assert done.returncode == 1, done.stdout
    message = done.stderr
    assert "'tiny'" in message and "budget of 1 page" in message
    assert re.search(r"runs to \d+ pages", message)
    assert "keep = true" in message
    assert "Traceback" not in message
    assert not (tmp_path / "out" / "tiny.pdf").exists()


def test_variant_fit_false_restores_the_plain_budget_error(write_content, tmp_path):
    bullets = ",\n".join(f'  "Achievement {i}: a long enough sentence to take a full line of the page when typeset."'
                         for i in range(80))
    path = write_content(f'''
[basics]
name = "No Fit"

[[work]]
name = "Acme"

[[work.positions]]
position = "Engineer"
highlights = [
{bullets}
]

[variants.strict]
max_pages = 1
fit = false
''')
    done = run_cli("build", "-c", str(path), "-o", str(tmp_path), "--no-cache")
    assert done.returncode == 1
    assert "over its budget of 1" in done.stderr
