"""The package's import graph, read from the source (ast): no cycle, and the low-level modules
(how to call TeX, hashing) depend on no other stage. Imports inside functions count too: a cycle
hidden in a function is still one."""

from __future__ import annotations

import ast
from pathlib import Path

import cvpress

PACKAGE = Path(cvpress.__file__).resolve().parent
LOW_LEVEL = {"texlive": {"errors"}, "hashing": set(), "errors": set()}  # module -> the cvpress modules it may import


def imports() -> dict[str, set[str]]:
    """Module name (cvpress/X.py -> X; __init__.py -> cvpress) -> the cvpress modules it imports."""
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    graph = {}
    for path in PACKAGE.glob("*.py"):
        name = "cvpress" if path.stem == "__init__" else path.stem
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                parts = [alias.name.split(".") for alias in node.names]
                found |= {p[1] if len(p) > 1 else "cvpress" for p in parts if p[0] == "cvpress"}
            elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "cvpress":
                parts = node.module.split(".")
                if len(parts) > 1:
                    found.add(parts[1])
                else:  # from cvpress import a module, or a name of the package itself
                    found |= {a.name if a.name in modules else "cvpress" for a in node.names}
        graph[name] = found - {name}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, str] = {}

    def visit(node: str, path: list[str]) -> list[str] | None:
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return path[path.index(target):] + [target]
            if target not in state and (found := visit(target, path + [target])):
                return found
        state[node] = "done"
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start, [start])):
            return found
    return None


def test_the_package_has_no_import_cycle():
    found = cycle(imports())
    assert found is None, "import cycle: " + " -> ".join(found)


def test_the_cycle_check_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_low_level_modules_import_no_stage():
    graph = imports()
    for module, allowed in LOW_LEVEL.items():
        assert graph[module] <= allowed, f"{module} imports {sorted(graph[module] - allowed)}"


def test_no_module_shadows_a_builtin_or_a_standard_library_module():
    import builtins
    import sys

    names = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__", "__main__"}
    shadowing = sorted(n for n in names if n in dir(builtins) or n in sys.stdlib_module_names)
    assert not shadowing, f"cvpress modules named like a builtin or a standard module: {shadowing}"
