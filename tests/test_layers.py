"""The house rules of the layout, read from the source: arrows point down the data flow only.

library < session < safety < history < reminders < render < app < cli; the modules at the top
of the package (errors, paths, safetext) are below them all, but for `breaks`, which runs
sessions and so stands beside `app`. Views never reach storage or the runner,
only cli/ imports typer, and nothing in the package imports the tests' fakes.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "backcoach"
ORDER = ("base", "library", "session", "safety", "history", "reminders", "render", "app", "cli")
# Modules at the top of the package that belong to a stage of their own.
TOP_LEVEL = {"breaks": "app"}
VIEWS = ("backcoach.render.live", "backcoach.render.plain", "backcoach.render.jsonl",
         "backcoach.render.summary", "backcoach.render.library_pages",
         "backcoach.render.history_pages")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> str:
    parts = module.split(".")
    if module == "backcoach.__main__":
        return "cli"  # the entry point is the top of the house
    if len(parts) > 1 and parts[1] in TOP_LEVEL:
        return TOP_LEVEL[parts[1]]
    return parts[1] if len(parts) > 1 and parts[1] in ORDER else "base"


def imports(path: Path, typing_only: bool = True) -> list[tuple[int, str]]:
    """Every module a file imports (at any depth: lazy imports count too); without
    `typing_only`, not those under `if TYPE_CHECKING:` (names for annotations only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if not typing_only:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
                node.body = []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            base = node.module
            found += [(node.lineno, f"{base}.{alias.name}" if base == "backcoach" else base)
                      for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_imports_point_down_the_data_flow(path: Path) -> None:
    me = module_name(path)
    upward = [f"line {line}: {target}" for line, target in imports(path)
              if target.startswith("backcoach")
              and ORDER.index(layer(target)) > ORDER.index(layer(me))]
    assert upward == [], f"{me} ({layer(me)}) imports from a later stage"


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_only_the_cli_imports_typer_and_nothing_imports_the_tests(path: Path) -> None:
    me = module_name(path)
    targets = [target for _, target in imports(path)]
    if layer(me) != "cli":
        assert not any(t == "typer" or t.startswith("typer.") for t in targets), me
    assert not any(t == "tests" or t.startswith("tests.") for t in targets), me


@pytest.mark.parametrize("view", VIEWS)
def test_views_never_reach_storage_or_the_runner(view: str) -> None:
    path = PACKAGE.parent / (view.replace(".", "/") + ".py")
    reached = [target for _, target in imports(path, typing_only=False)
               if target.startswith(("backcoach.history.store", "backcoach.history.db",
                                     "backcoach.session.runner", "sqlite3"))]
    assert reached == [], view


def test_the_layering_check_can_fail() -> None:
    """A module of an earlier stage importing a later one is caught."""
    assert ORDER.index(layer("backcoach.render.live")) > ORDER.index(
        layer("backcoach.library.catalog"))
    assert layer("backcoach.errors") == "base" and layer("backcoach.cli.run") == "cli"
    assert layer("backcoach.breaks") == "app" and layer("backcoach.reminders.due") == "reminders"
