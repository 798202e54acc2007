"""The bell and the voice on Windows, tried on Linux: the console bell through CONOUT$ (here
a file of that name), and PowerShell's System.Speech run like every speech program: never
waited for, cut off by the next phrase without process groups (as on Windows)."""

from __future__ import annotations

import io
import os
import shutil
import stat
import sys
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from backcoach.session import cues, wincues
from backcoach.session.cues import CuePlayer
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys, windows_which
from tests.helpers import Session, catalog, exercise


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """sys.platform says win32, and there are no process groups (os.killpg is POSIX);
    programs are found by PATHEXT, as on Windows."""
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delattr(os, "killpg")
    monkeypatch.setenv("PATHEXT", os.pathsep.join([".COM", ".exe"]))
    monkeypatch.setattr(shutil, "which", windows_which)


def fake_powershell(folder: Path, body: str, name: str = "powershell.exe") -> Path:
    """An executable called powershell.exe on PATH: a shell script standing in for it."""
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    return program


def test_the_speech_command_runs_the_script_file_with_the_phrase_as_data() -> None:
    command = wincues.powershell_speech(which=lambda name: rf"C:\Windows\{name}.exe")
    assert command is not None
    assert command[0] == r"C:\Windows\powershell.exe"
    assert command[1:-1] == ("-NoLogo", "-NoProfile", "-NonInteractive", "-ExecutionPolicy",
                             "Bypass", "-File")  # -File: arguments are strings, not code
    assert command[-1] == str(wincues.SPEAK_SCRIPT) and wincues.SPEAK_SCRIPT.is_file()
    assert wincues.powershell_speech(which=lambda name: None) is None


def test_the_script_speaks_its_arguments_with_system_speech_and_runs_nothing_else() -> None:
    script = wincues.SPEAK_SCRIPT.read_text(encoding="utf-8")
    code = [line for line in script.splitlines() if line and not line.startswith("#")]
    assert code == ["Add-Type -AssemblyName System.Speech",
                    "$voice = New-Object System.Speech.Synthesis.SpeechSynthesizer",
                    "$voice.Speak(($args -join ' '))"]


def test_on_windows_the_system_voice_is_found(windows: None, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    program = fake_powershell(tmp_path / "bin", "exit 0")
    monkeypatch.setenv("PATH", str(program.parent))
    monkeypatch.delenv("BACKCOACH_SPEECH", raising=False)
    assert cues.find_speech_program() == (str(program), *wincues.POWERSHELL_ARGS,
                                          str(wincues.SPEAK_SCRIPT))
    monkeypatch.setenv("BACKCOACH_SPEECH", "balcon -n Zira")  # the person's choice wins
    assert cues.find_speech_program() == ("balcon", "-n", "Zira")


def test_elsewhere_powershell_is_not_a_voice(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    program = fake_powershell(tmp_path / "bin", "exit 0", name="powershell")
    monkeypatch.setenv("PATH", str(program.parent))
    monkeypatch.delenv("BACKCOACH_SPEECH", raising=False)
    for platform in ("linux", "darwin"):
        monkeypatch.setattr(sys, "platform", platform)
        assert cues.find_speech_program() is None


def test_each_phrase_reaches_powershell_as_one_argument_after_the_script(
        windows: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "said"
    program = fake_powershell(tmp_path / "bin", f'printf "%s\\n" "$@" > "{log}"')
    monkeypatch.setenv("PATH", str(program.parent))
    speech = cues.find_speech_program()
    player = CuePlayer(None, speech)
    player.say("$(Remove-Item ~); Left side. Hold for 10 seconds")
    player.close()  # waits for the last phrase
    assert log.read_text(encoding="utf-8").splitlines() == [
        *wincues.POWERSHELL_ARGS, str(wincues.SPEAK_SCRIPT),
        "$(Remove-Item ~); Left side. Hold for 10 seconds"]


def test_without_process_groups_the_next_phrase_still_cuts_one_off_at_once(
        windows: None, tmp_path: Path) -> None:
    """Windows has no os.killpg: the speaking process itself is stopped (TerminateProcess
    there), and a program that never ends never delays a cue."""
    hanging = fake_powershell(tmp_path / "bin", "exec sleep 30")
    player = CuePlayer(None, (str(hanging), *wincues.POWERSHELL_ARGS, "speak.ps1"))
    started = time.monotonic()
    player.say("Hold for 30 seconds")
    first = player._speaking
    player.say("Switch sides")
    assert time.monotonic() - started < 2.0
    assert first is not None and first.wait(5) is not None  # killed, not left speaking
    assert player._speaking is not None and player._speaking.poll() is None
    player._stop_speaking()
    player.close()
    assert player._speaking is None and player._cut_off == []


class Console(io.BytesIO):
    """Stands in for CONOUT$: keeps what the bell wrote."""

    def close(self) -> None:
        self.kept = self.getvalue()
        super().close()


def test_the_console_bell_rings_through_conout(windows: None) -> None:
    opened: list[str] = []
    console = Console()

    def opener(name: str) -> BinaryIO:
        opened.append(name)
        return console

    bell = wincues.open_console_bell(opener)
    cat = catalog(exercise(sides=("left", "right"), reps=1, hold=10, setup=2))
    player = CuePlayer(bell, speech=None)
    clock = FakeClock()
    Session(compile_plan(cat.routine("r"), cat), clock, ScriptedKeys(clock, []), [player]).run()
    player.close()
    assert opened == ["CONOUT$"]
    assert console.kept == b"\a" * 11 == b"\a" * player.rings  # as on a POSIX terminal


def test_no_console_means_no_bell_and_no_error() -> None:
    def no_console(name: str) -> BinaryIO:
        raise OSError(6, "The handle is invalid")

    assert wincues.open_console_bell(no_console) is None


def test_on_windows_the_bell_device_is_the_console(windows: None, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """cues.open_bell_device opens CONOUT$ on Windows, never /dev/tty (on Linux the name is
    an ordinary file in the current folder, which shows what was written)."""
    monkeypatch.chdir(tmp_path)
    device = cues.open_bell_device()
    assert device is not None
    player = CuePlayer(device, speech=None)
    player.ring()
    player.close()
    assert (tmp_path / "CONOUT$").read_bytes() == b"\a"
