"""The data flow reads from the folder names: articles -> geo -> events -> store -> clashmap / dashboard.

A package imports only the packages before it in that flow, and `clashmap`'s leaf modules (settings,
errors, trace), which every package may use. Imports inside functions count too: a late import is still a
cycle (store once reached back into clashmap.pipeline, geo into store's tables).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LEAVES = {"clashmap.settings", "clashmap.errors", "clashmap.trace", "clashmap", "clashmap.__version__"}
ALLOWED = {
    "articles": set(),
    "geo": {"articles"},
    "events": {"articles", "geo"},
    "store": {"articles", "geo", "events"},
}
PACKAGES = {"articles", "geo", "events", "store", "clashmap", "dashboard"}


def _imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module)]
            if node.module == "clashmap":  # `from clashmap import pipeline` is clashmap.pipeline
                found += [(node.lineno, f"clashmap.{alias.name}") for alias in node.names]
    return found


def _violations(package: str) -> list[str]:
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for line, module in _imports(path):
            top = module.split(".")[0]
            if top not in PACKAGES or top == package or module in LEAVES:
                continue
            if module.startswith("clashmap.") and ".".join(module.split(".")[:2]) in LEAVES:
                continue
            if top not in ALLOWED[package]:
                bad.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return bad


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_package_imports_only_the_stages_before_it(package):
    assert _violations(package) == []
