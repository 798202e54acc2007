"""backcoach as it runs on Windows, tried on Linux: sys.platform says win32, the POSIX-only
modules (termios, tty, fcntl, pwd, grp, resource) cannot be imported, os.killpg is gone,
msvcrt is a fake with scripted key presses, PowerShell a stand-in script, and %APPDATA% a
temporary folder. Whole sessions run in process (app.run_session), commands through typer.

Nothing here was run on a real Windows machine; see the README.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import stat
import sys
import tomllib
import types
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import pytest
from typer.testing import CliRunner

from backcoach import app, paths
from backcoach.cli import app as cli
from backcoach.errors import ExitCode
from backcoach.history.store import HistoryStore
from backcoach.safety.flow import clear_screen
from backcoach.session import cues, wincues
from backcoach.session.keys import KeySource
from backcoach.session.winkeys import WindowsKeys
from tests.app_helpers import environment
from tests.fakes import FakeClock, FakeMsvcrt, windows_which
from tests.safety_helpers import replies

ROOT = Path(__file__).resolve().parent.parent
POSIX_ONLY = ("termios", "tty", "fcntl", "pwd", "grp", "resource")


@dataclass
class Windows:
    """What a Windows-like test can look at."""

    appdata: Path
    home: Path
    said: Path  # one line per phrase the stand-in PowerShell was asked to speak

    @property
    def folder(self) -> Path:
        return self.appdata / "backcoach"

    def phrases(self) -> list[str]:
        if not self.said.exists():
            return []
        return self.said.read_text(encoding="utf-8").splitlines()


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch, backcoach_home: Path, tmp_path: Path) -> Windows:
    """sys.platform is win32 and the rest as the module docstring says; BACKCOACH_HOME unset,
    so backcoach's folder is %APPDATA%\\backcoach."""
    monkeypatch.setattr(sys, "platform", "win32")
    for name in POSIX_ONLY:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.delattr(os, "killpg")
    appdata = tmp_path / "AppData" / "Roaming"
    monkeypatch.setenv("APPDATA", str(appdata))
    monkeypatch.delenv("BACKCOACH_HOME")
    monkeypatch.delenv("BACKCOACH_SPEECH", raising=False)
    # PowerShell: a stand-in that writes down the phrase it was given (the last argument).
    bin_dir = tmp_path / "WindowsPowerShell"
    bin_dir.mkdir()
    said = tmp_path / "said.txt"
    program = bin_dir / "powershell.exe"
    program.write_text(f'#!/bin/sh\nfor word; do last="$word"; done\necho "$last" >> "{said}"\n',
                       encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(bin_dir))  # PowerShell only: no espeak-ng of this machine
    monkeypatch.setenv("PATHEXT", os.pathsep.join([".COM", ".EXE", ".exe"]))
    monkeypatch.setattr(shutil, "which", windows_which)
    return Windows(appdata, backcoach_home.parent, said)


class ConsoleOut(io.BytesIO):
    """CONOUT$: keeps what was written when it is closed."""

    written = b""

    def close(self) -> None:
        self.written = self.getvalue()
        super().close()


def windows_environment(keys: list[tuple[float, bytes]], *, answers: object = (),
                        interactive: bool = True) -> tuple[app.Environment, io.StringIO,
                                                           ConsoleOut]:
    """The in-process environment of tests/app_helpers with Windows' keys, bell and voice:
    WindowsKeys on a fake msvcrt (on the session's fake clock), the bell on a fake CONOUT$,
    the voice found by cues.find_speech_program."""
    env, out, _, _ = environment(answers=answers, interactive=interactive)  # type: ignore[arg-type]
    clock = env.clock
    console = FakeMsvcrt(clock, keys)  # type: ignore[arg-type]
    bell = ConsoleOut()

    @contextlib.contextmanager
    def msvcrt_keys() -> Iterator[KeySource]:
        with WindowsKeys(console, clock=clock.now, sleep=clock.advance) as source:  # type: ignore[attr-defined]
            yield source

    def conout(name: str) -> BinaryIO:
        assert name == "CONOUT$"
        return bell

    env.keys = msvcrt_keys
    env.open_bell = lambda: wincues.open_console_bell(conout)
    env.find_speech = cues.find_speech_program
    return env, out, bell


def screened_now() -> None:
    with HistoryStore.open() as store:
        clear_screen(store, datetime.now(UTC))


def test_a_session_follows_msvcrt_keys_and_is_kept_under_appdata(windows: Windows) -> None:
    screened_now()
    # Pause 5 s into the setup, carry on 20 s later, an arrow (no meaning), Enter (none while
    # a step runs), skip the first hold with n, quit in the second with q, q (asked first).
    env, out, _ = windows_environment([(5, b" "), (25, b" "), (28, b"\xe0H"), (29, b"\r"),
                                       (32, b"n"), (40, b"q"), (41, b"q")],
                                      answers=replies(pain=4))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", sound=False),
                           env)
    assert code == ExitCode.OK
    text = out.getvalue()
    assert "[00:05] Paused. Press space to carry on." in text
    assert "[00:25] Carrying on." in text
    assert "[00:32] Skipped." in text
    assert "[00:41] Stopped early (you quit). 0 of 4 exercises done in full." in text
    assert (windows.folder / paths.HISTORY_FILE).is_file()
    assert not (windows.home / ".config").exists() and not (windows.home / ".local").exists()
    with HistoryStore.open() as store:
        [session] = store.sessions()
    assert (session.status, session.end_reason, session.pain_before) == ("partial", "quit", 4)


def test_a_whole_session_rings_the_console_bell_and_speaks_with_the_system_voice(
        windows: Windows) -> None:
    screened_now()
    env, _, bell = windows_environment([], interactive=False)
    code = app.run_session(app.SessionOptions(routine="desk-break", output="jsonl", speed=50,
                                              pain_before=2, pain_after=1, voice=True), env)
    assert code == ExitCode.OK
    assert bell.written and set(bell.written) == {7}  # BEL, and nothing else, to the console
    # Each phrase cut off the one before it (never waited for); the last one was let finish.
    assert windows.phrases()[-1].startswith("Well done. 3 of 3 exercises.")


def test_ctrl_c_read_from_the_console_ends_the_session_as_ctrl_c_does(
        windows: Windows) -> None:
    screened_now()
    env, _, _ = windows_environment([(20, b"\x03")], answers=replies(pain=3))
    env.handle_signals = True  # the run's own SIGINT handler, as in the real program
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", sound=False),
                           env)
    assert code == ExitCode.INTERRUPTED
    with HistoryStore.open() as store:
        [session] = store.sessions()
    assert (session.status, session.end_reason) == ("partial", "interrupted")


def test_the_real_environment_on_windows_reads_msvcrt_and_rings_conout(
        windows: Windows, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    class Console(io.StringIO):
        def isatty(self) -> bool:
            return True

    clock_keys = FakeMsvcrt(FakeClock(), [(0, b"\xe0K")])
    msvcrt = types.ModuleType("msvcrt")
    msvcrt.kbhit = clock_keys.kbhit  # type: ignore[attr-defined]
    msvcrt.getch = clock_keys.getch  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "msvcrt", msvcrt)
    monkeypatch.setattr(sys, "stdin", Console())
    monkeypatch.chdir(tmp_path)  # CONOUT$ is a plain file here
    env = app.Environment.real()
    with env.keys() as keys:
        assert isinstance(keys, WindowsKeys) and keys.wait_key(0) == "left"
    bell = env.open_bell()
    assert bell is not None and Path(bell.name).name == "CONOUT$"
    bell.close()
    speech = env.find_speech()
    assert speech is not None and speech[-1] == str(wincues.SPEAK_SCRIPT)


@pytest.mark.parametrize("args", [["screen", "--clear"], ["list"], ["show", "daily"],
                                  ["history"], ["progress"], ["export", "--format", "json"],
                                  ["validate"], ["schema", "routine"], ["config"],
                                  ["new", "routine", "my-morning", "--from", "daily"]],
                         ids=lambda args: " ".join(args))
def test_every_page_and_file_command_works_and_writes_under_appdata(
        windows: Windows, args: list[str]) -> None:
    runner = CliRunner()
    assert runner.invoke(cli, ["screen", "--clear"]).exit_code == 0
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (windows.folder / paths.HISTORY_FILE).is_file()
    assert not (windows.home / ".config").exists() and not (windows.home / ".local").exists()
    if args[0] == "new":
        assert (windows.folder / "routines" / "my-morning.yaml").is_file()


def test_paths_on_windows_are_under_appdata(windows: Windows,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    assert paths.config_dir() == paths.data_dir() == windows.appdata / "backcoach"
    assert paths.user_library_dirs() == (windows.folder / "exercises",
                                         windows.folder / "routines", windows.folder / "lessons")
    for unusable in ("", "relative\\AppData"):  # never a folder relative to where one is
        monkeypatch.setenv("APPDATA", unusable)
        assert paths.config_dir() == Path.home() / "AppData" / "Roaming" / "backcoach"
    monkeypatch.delenv("APPDATA")
    assert paths.data_dir() == Path.home() / "AppData" / "Roaming" / "backcoach"
    monkeypatch.setenv("BACKCOACH_HOME", str(windows.home / "elsewhere"))
    assert paths.config_dir() == paths.data_dir() == windows.home / "elsewhere"


# --- tzdata: Windows has no zone database of its own ----------------------------------------

def test_tzdata_is_a_dependency_on_windows_only() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "tzdata; sys_platform == 'win32'" in project["dependencies"]
    assert not [d for d in project["dependencies"] if d.startswith("tzdata") and "win32" not in d]


def _history_tz(code: str) -> tuple[int, str]:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys\nsys.argv = ['backcoach', 'history', "
         "'--json', '--tz', 'Europe/London']\nfrom backcoach.cli import main\nmain()"],
        env={**os.environ, "PYTHONTZPATH": ""}, capture_output=True, text=True, timeout=60)
    return done.returncode, done.stdout + done.stderr


def test_time_zones_by_name_work_from_tzdata_alone() -> None:
    """With no system zone database (PYTHONTZPATH empty: zoneinfo looks nowhere else, as on
    Windows), --tz Europe/London comes from the tzdata package; without tzdata it cannot."""
    code, output = _history_tz("")
    assert code == 0 and json.loads(output) == [], output
    code, output = _history_tz("import sys\nsys.modules['tzdata'] = None")
    assert code == ExitCode.BAD_INPUT
    assert "Error: unknown time zone 'Europe/London'" in output
