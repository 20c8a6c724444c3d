"""Tests for cvpress.errors: located problems as plain classes."""

from __future__ import annotations

from cvpress.errors import Problem


def test_a_problem_is_a_value_that_can_be_copied_with_changes():
    problem = Problem("bad", "c.toml", 3, 1, "basics.name", "name = 1")
    moved = problem.replace(line=4, column=2)
    assert moved == Problem("bad", "c.toml", 4, 2, "basics.name", "name = 1") and problem.line == 3
    assert hash(moved) == hash(Problem("bad", "c.toml", 4, 2, "basics.name", "name = 1"))
    assert moved != problem and len({problem, moved, problem.replace()}) == 2
    assert moved.format().startswith("c.toml:4:2: basics.name: bad")
