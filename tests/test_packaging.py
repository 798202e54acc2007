"""The wheel carries the built-in library, and an unpacked wheel finds it from any folder."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "exercises"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel once, with the build backend already in this environment (no network)."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True, timeout=300)
    (built,) = out.glob("backcoach-*.whl")
    return built


@pytest.mark.slow
def test_wheel_contains_the_built_in_library(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"backcoach/exercises/{p.relative_to(BUILTIN).as_posix()}"
               for p in BUILTIN.rglob("*.yaml")}
    assert "backcoach/exercises/routines/daily.yaml" in names
    assert len([n for n in names if n.startswith("backcoach/exercises/")
                and n.count("/") == 2 and n.endswith(".yaml")]) >= 10
    assert shipped <= names
    assert not any(n.startswith("tests/") for n in names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    # The entry point answers `due` before loading the command line (issue 16).
    assert "backcoach = backcoach.__main__:main" in \
        zipfile.ZipFile(wheel).read(entry_points).decode()


@pytest.mark.slow
def test_unpacked_wheel_lists_the_library_from_another_folder(wheel: Path, tmp_path: Path,
                                                              backcoach_home: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "BACKCOACH_HOME": str(backcoach_home)}
    where = subprocess.run([sys.executable, "-c", "import backcoach; print(backcoach.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    assert where.stdout.strip() == str(site / "backcoach" / "__init__.py")
    listed = subprocess.run([sys.executable, "-m", "backcoach", "list", "--json"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    ids = {row["id"] for row in json.loads(listed.stdout)}
    assert ids == {p.stem for p in BUILTIN.rglob("*.yaml") if p.parent.name != "lessons"}
    paths = {row["path"] for row in json.loads(listed.stdout)}
    assert all(str(site) in path for path in paths)
    lessons = subprocess.run([sys.executable, "-m", "backcoach", "learn", "--json"],
                             cwd=elsewhere, env=env, capture_output=True, text=True, timeout=60)
    assert lessons.returncode == 0, lessons.stderr
    found = json.loads(lessons.stdout)
    assert {row["id"] for row in found} == {p.stem for p in (BUILTIN / "lessons").glob("*.yaml")}
    assert all(str(site) in row["path"] for row in found)
