"""Every module imports on every platform: Windows-only modules (msvcrt, winreg ...) are
imported only by backcoach's win*.py modules, and POSIX-only ones (termios, tty, fcntl ...)
only inside the functions that use them, never when a module is loaded."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_layers import PACKAGE, SOURCES, module_name

WINDOWS_ONLY = {"msvcrt", "winreg", "winsound", "_winapi", "nt", "_overlapped"}
POSIX_ONLY = {"termios", "tty", "pty", "fcntl", "pwd", "grp", "resource", "posix", "syslog"}


def platform_imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, module, at load time) for every import of a platform-only module; "at load
    time" is an import outside any function (module level, or in a class body)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            in_function.update(id(inner) for inner in ast.walk(node) if inner is not node)
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in WINDOWS_ONLY | POSIX_ONLY or name == "ctypes.wintypes":
                found.append((node.lineno, name, id(node) not in in_function))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=[module_name(p) for p in SOURCES])
def test_platform_only_modules_are_imported_where_they_run(path: Path) -> None:
    windows_module = path.name.startswith("win")
    for line, name, at_load in platform_imports(path):
        where = f"{module_name(path)} line {line}: {name}"
        if name.split(".")[0] in WINDOWS_ONLY or name == "ctypes.wintypes":
            assert windows_module, f"{where}: Windows-only, outside backcoach's win*.py modules"
        assert not at_load, f"{where}: imported when the module loads, on every platform"


def test_the_check_finds_what_it_looks_for(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import termios\n\ndef f():\n    import msvcrt\n    from tty import x\n",
                      encoding="utf-8")
    assert platform_imports(sample) == [(1, "termios", True), (4, "msvcrt", False),
                                        (5, "tty", False)]


def test_the_keys_and_cues_use_the_platform_modules_where_expected() -> None:
    found = {module_name(path): {name for _, name, _ in platform_imports(path)}
             for path in SOURCES}
    assert found["backcoach.session.winkeys"] == {"msvcrt"}
    assert found["backcoach.session.keys"] == {"termios", "tty"}


def test_every_module_imports_without_the_posix_only_modules() -> None:
    """As on Windows: termios and the rest cannot be imported, and every backcoach module
    still loads (the import system is told they do not exist)."""
    modules = sorted(module_name(path) for path in SOURCES
                     if module_name(path) != "backcoach.__main__")  # __main__ runs the CLI
    missing = sorted(POSIX_ONLY - {"posix"})  # posix itself is os's, on POSIX; never ours
    code = (
        "import sys\n"
        f"for name in {missing!r}:\n"
        "    sys.modules[name] = None\n"
        "import importlib\n"
        f"for module in {modules!r}:\n"
        "    importlib.import_module(module)\n"
        f"print('imported', {len(modules)})\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=PACKAGE.parent,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"imported {len(modules)}"
