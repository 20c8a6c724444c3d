"""The fit report's one-line summary."""

from __future__ import annotations

from cvpress.errors import counted
from cvpress.report import Report


def _report(highlights: int, roles: int) -> Report:
    dropped = [{"path": f"work[0].positions[0].highlights[{k}]"} for k in range(highlights)]
    dropped += [{"path": f"work[1].positions[{j}]"} for j in range(roles)]
    return Report("full", 2, pages=2, compiles=3, fitted=True,
                  style={"spacing": 0.8, "margin": "0.5in", "font_size": 10}, dropped=dropped)


def test_summary_counts_highlights_and_whole_roles_apart():
    assert "dropped 4000 highlights and 1954 roles (3 compiles)" in _report(4000, 1954).summary()
    assert "dropped 1 highlight (" in _report(1, 0).summary()
    assert "dropped 1 role (" in _report(0, 1).summary()
    assert "dropped" not in _report(0, 0).summary()


def test_counted_puts_the_noun_in_the_right_number():
    assert [counted(n, "line") for n in (0, 1, 2)] == ["0 lines", "1 line", "2 lines"]
