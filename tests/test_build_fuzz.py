"""Arbitrary text in every kind of field: a PDF that reads it back, or a clear error. Never a crash.

Each example is a real compile, so the example count is small; the strategy leans on the
characters that break résumé tools (TeX specials, quotes, dashes, control and format characters,
other scripts, emoji)."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata

import tomlkit
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cvpress import verify
from cvpress.build import Options, build
from cvpress.errors import UserError

TRICKY = list("&%$#_{}~^\\<>|'\"`-,.*[]()") + ["--", "---", "\\input{x}", "^^5c", "\t", "\n", "\u00a0",
          "\u2019", "\u201c", "\u2013", "\u2026", "\u20ac", "\u2122", "\u2192", "é", "ß", "ł", "ő",
          "α", "Ж", "漢", "🦀", "\u200b", "\u00ad", "\x07", "\ue000", "ﬁ"]
WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
TEXT = st.lists(st.one_of(st.sampled_from(TRICKY), WORDS, st.sampled_from(["Lead", "team", "2019"])),
                min_size=1, max_size=6).map(" ".join).filter(lambda s: s.strip())
FIELDS = ("name", "label", "employer", "position", "highlight", "skill", "institution")


def _content(value: str) -> str:
    doc = {
        "basics": {"name": f"N {value}", "label": f"L {value}", "email": "a_b@example.com"},
        "work": [{"name": f"E {value}", "positions": [
            {"position": f"P {value}", "startDate": "2019", "endDate": "present", "highlights": [f"H {value}"]}]}],
        "education": [{"institution": f"I {value}", "studyType": "B.S."}],
        "skills": [{"name": "Tools", "keywords": [f"K {value}"]}],
    }
    return tomlkit.dumps(doc)


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


@settings(max_examples=25, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=TEXT)
@example(value=" ".join(TRICKY[:24]) + " -- --- \\input{x} ^^5c")  # every TeX special and ligature run
@example(value="\u2019 \u201c \u2013 \u2026 \u20ac \u2122 \u2192 é ß ł ő\u00a0x")  # typography, Latin
@example(value="α Ж ﬁ")  # other scripts: the LuaLaTeX fallback
@example(value="🦀 漢 \ue000")  # no font has them: a clear error
@example(value="bell \x07")  # a control character: invalid content
def test_any_text_builds_and_reads_back_or_fails_clearly(value, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "content.toml"
    path.write_text(_content(value), encoding="utf-8")
    try:
        [result] = build(Options(content=path, out=folder / "out", cache=False, timeout=60))
    except UserError as e:  # invalid content: must say where and what
        message = e.format()
        assert "content.toml" in message and message.strip(), message
        return
    if result.error is not None:  # only a character no font has may stop it: named, with its key path
        message = result.error.format()
        assert re.search(r"U\+[0-9A-F]{4,6}", message) and "content.toml:" in message, message
        return
    text = _squash(verify.text(result.pdf))
    visible = value.replace("\u00ad", "").replace("\u2013", "-")
    for prefix in ("N", "E", "P", "H", "K", "I"):
        assert _squash(f"{prefix} {visible}") in text, (prefix, value)


def test_two_builds_of_the_same_content_at_once_do_not_corrupt_each_other(tmp_path):
    from conftest import CONTENT

    content = tmp_path / "content.toml"
    content.write_text(CONTENT.read_text(encoding="utf-8"), encoding="utf-8")
    command = [sys.executable, "-m", "cvpress", "build", "-q", "--no-cache", "-c", str(content), "-o", str(tmp_path / "out")]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert not [n for n in names if n.startswith(".") or n.endswith(".tmp")], names  # no temporaries left
    for variant, budget in (("full", 2), ("onepage", 1), ("manager", 2)):
        assert 1 <= verify.page_count(tmp_path / "out" / f"{variant}.pdf") <= budget
