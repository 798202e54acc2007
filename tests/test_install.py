"""Installing backcoach the ways the README says, on this machine, against a Python that
refuses `pip install` as Debian 12's and Ubuntu 24.04's do (PEP 668: an EXTERNALLY-MANAGED
file in its standard library folder).

The interpreter is this one's, laid out again in a temporary folder (its binary copied, its
standard library linked file by file, an empty site-packages of its own) with the marker
added, so it is not a virtual environment and pip applies the marker. pip itself is this
environment's, run in that interpreter (`pip --python`), as Debian's pip runs in its own.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from backcoach import __version__

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKER = """[externally-managed]
Error=To install Python packages system-wide, try apt install
 python3-xyz, where xyz is the package you are trying to
 install. (A PEP 668 marker made by backcoach's tests.)
"""
pytestmark = pytest.mark.slow


def install_section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("## Install and start\n")[1].split("\n## ")[0]


def install_lines() -> list[str]:
    """The command lines of the README's install section: its shell blocks, then the uv
    line given in the text."""
    section = install_section()
    return [*re.findall(r"```sh\n(.*?)\n```", section, re.S),
            *re.findall(r"`(uv tool install [^`]*)`", section)]


@pytest.fixture(scope="module")
def marked_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of this Python, outside any venv, carrying the PEP 668 marker: its python3."""
    prefix = tmp_path_factory.mktemp("system-python")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    binary = Path(os.path.realpath(sys._base_executable))  # type: ignore[attr-defined]
    (prefix / "bin").mkdir()
    shutil.copy2(binary, prefix / "bin" / version)
    (prefix / "bin" / "python3").symlink_to(version)
    base = Path(sys.base_prefix)
    stdlib = Path(sysconfig.get_paths(vars={"installed_base": str(base), "base": str(base)})
                  ["stdlib"])
    mine = prefix / "lib" / version
    mine.mkdir(parents=True)
    for entry in stdlib.iterdir():
        if entry.name not in ("site-packages", "dist-packages", "EXTERNALLY-MANAGED"):
            (mine / entry.name).symlink_to(entry)
    (mine / "site-packages").mkdir()
    python = prefix / "bin" / "python3"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONHOME", "PYTHONPATH")}
    where = subprocess.run([python, "-c", "import sys, sysconfig; print(sys.prefix == "
                            "sys.base_prefix, sysconfig.get_path('stdlib'))"], env=env,
                           capture_output=True, text=True, check=True, timeout=60)
    assert where.stdout.split() == ["True", str(mine)]  # not a venv; its own stdlib folder
    (mine / "EXTERNALLY-MANAGED").write_text(MARKER, encoding="utf-8")
    return python


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from this tree with the build backend of this environment."""
    out = tmp_path_factory.mktemp("wheel")
    # A module's fixture runs before the autouse one that moves HOME: keep pip out of it.
    env = {**os.environ, "HOME": str(out), "PIP_NO_CACHE_DIR": "1"}
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True, timeout=300, env=env)
    (built,) = out.glob("backcoach-*.whl")
    return built


def source_copy(folder: Path) -> Path:
    """This source tree without its venvs, git and caches: a fresh clone, as far as an
    install can tell."""
    junk = shutil.ignore_patterns(".venv", ".ci-venv", ".git", "__pycache__", "*.egg-info",
                                  ".pytest_cache", ".mypy_cache", ".ruff_cache", "build",
                                  "dist", "perf-results.json")
    return Path(shutil.copytree(ROOT, folder / "backcoach-src", ignore=junk))


def test_pip_install_is_refused_by_the_marked_python(marked_python: Path) -> None:
    """What a newcomer meets on Debian 12 or Ubuntu 24.04 with the old README's first line."""
    refused = subprocess.run([sys.executable, "-m", "pip", "--python", marked_python,
                              "install", "."], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode != 0
    assert "externally-managed-environment" in refused.stderr


def test_pipx_installs_the_wheel_and_it_runs_from_another_folder(
        marked_python: Path, wheel: Path, tmp_path: Path, backcoach_home: Path) -> None:
    """The README's first line, `pipx install .`, is pip's build of this wheel and pipx's
    install of it; here pipx uses the marked Python, as Debian's pipx uses the system's."""
    bin_dir, man_dir = tmp_path / "bin", tmp_path / "man"
    env = {**os.environ, "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(bin_dir),
           "PIPX_MAN_DIR": str(man_dir), "PIPX_DEFAULT_PYTHON": str(marked_python)}
    done = subprocess.run([sys.executable, "-m", "pipx", "install", str(wheel)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run_env = {**os.environ, "BACKCOACH_HOME": str(backcoach_home)}
    version = subprocess.run([bin_dir / "backcoach", "--version"], cwd=elsewhere, env=run_env,
                             capture_output=True, text=True, timeout=60)
    assert (version.returncode, version.stdout) == (0, f"backcoach {__version__}\n")
    listed = subprocess.run([bin_dir / "backcoach", "list"], cwd=elsewhere, env=run_env,
                            capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "daily" in listed.stdout and "built-in" in listed.stdout
    # The installed program is pipx's own venv's, made from the marked Python.
    target = Path(os.path.realpath(bin_dir / "backcoach"))
    assert target.is_relative_to(tmp_path / "pipx" / "venvs" / "backcoach")
    # pipx links the wheel's manual page where man looks (~/.local/share/man by default).
    page = man_dir / "man1" / "backcoach.1"
    assert page.is_file() and page.read_text(encoding="utf-8").startswith(".TH BACKCOACH 1")


def test_the_readme_venv_line_installs_and_runs_on_the_marked_python(
        marked_python: Path, tmp_path: Path, backcoach_home: Path) -> None:
    """The README's plain-Python line, run as written by bash in a fresh copy of the source
    with the marked Python as python3; `backcoach run` is then given what a person would
    answer at a terminal (the screen cleared, the pain scores), at 1000 times speed."""
    venv_line = next(line for line in install_lines() if "python3 -m venv" in line)
    assert venv_line.endswith(" && backcoach run")
    install = venv_line.removesuffix(" && backcoach run")
    source = source_copy(tmp_path)
    script = (f"{install} && cd {tmp_path} && backcoach --version && backcoach list >/dev/null "
              "&& backcoach screen --clear >/dev/null && backcoach run --speed 1000 "
              "--pain-before 2 --pain-after 1 --output plain")
    env = {**os.environ, "PATH": f"{marked_python.parent}{os.pathsep}{os.environ['PATH']}",
           "BACKCOACH_HOME": str(backcoach_home)}
    env.pop("VIRTUAL_ENV", None)
    done = subprocess.run(["bash", "-c", script], cwd=source, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"\nbackcoach {__version__}\n" in done.stdout  # after pip's own lines
    assert "Done. 4 of 4 exercises done in full." in done.stdout
    venv = source / ".venv"
    assert (venv / "share" / "man" / "man1" / "backcoach.1").is_file()  # `man backcoach` there
    home = subprocess.run([venv / "bin" / "python", "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True, timeout=60)
    assert home.stdout.strip() == str(marked_python.parent.parent)


def test_uv_tool_install_from_the_source_runs_from_another_folder(
        marked_python: Path, tmp_path: Path, backcoach_home: Path) -> None:
    """The README's uv line (`uv tool install .`), as written, from a fresh copy of the
    source, with the marked Python."""
    uv_line = next(line for line in install_lines() if line.startswith("uv tool install"))
    assert uv_line == "uv tool install . && backcoach run"
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv is not None, "uv comes with the test extras"
    source = source_copy(tmp_path)
    bin_dir = tmp_path / "bin"
    env = {**os.environ, "UV_TOOL_DIR": str(tmp_path / "tools"), "UV_TOOL_BIN_DIR": str(bin_dir),
           "UV_CACHE_DIR": str(tmp_path / "cache"), "UV_PYTHON": str(marked_python),
           "UV_PYTHON_DOWNLOADS": "never"}
    done = subprocess.run([uv, "tool", "install", "."], cwd=source, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    run_env = {**os.environ, "BACKCOACH_HOME": str(backcoach_home)}
    listed = subprocess.run([bin_dir / "backcoach", "list", "--json"], cwd=tmp_path,
                            env=run_env, capture_output=True, text=True, timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert '"id": "daily"' in listed.stdout


def test_the_wheel_ships_the_manual_page_made_from_this_tree(wheel: Path) -> None:
    from backcoach.cli.manpage import render

    with zipfile.ZipFile(wheel) as archive:
        name = f"backcoach-{__version__}.data/data/share/man/man1/backcoach.1"
        assert archive.read(name).decode("utf-8") == render()
        metadata = archive.read(f"backcoach-{__version__}.dist-info/METADATA").decode()
    assert "Requires-Dist: tzdata; sys_platform == 'win32'" in metadata
    assert "Requires-Python: >=3.11" in metadata
