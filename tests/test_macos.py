"""backcoach as it runs on macOS, tried on Linux: its folder, its voice (`say`), and the keys
Terminal and iTerm2 send (tests/session/test_keydecode.py). Launchd reminders are issue 16's.

Nothing here was run on a real Mac; see the README.
"""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest

from backcoach import paths
from backcoach.session import cues
from backcoach.session.cues import CuePlayer


@pytest.fixture
def macos(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("BACKCOACH_HOME")
    monkeypatch.delenv("BACKCOACH_SPEECH", raising=False)


def test_paths_are_under_application_support(macos: None) -> None:
    where = Path.home() / "Library" / "Application Support" / "backcoach"
    assert paths.config_dir() == paths.data_dir() == where
    assert paths.user_library_dirs() == (where / "exercises", where / "routines", where / "lessons")


def test_the_voice_is_say_with_the_phrase_as_its_one_argument(
        macos: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """macOS has `say` and no espeak-ng: say is found, and gets words, never options (an
    exercise named "-o /etc/x" would make say write a sound file there)."""
    said = tmp_path / "said"
    say = tmp_path / "bin" / "say"
    say.parent.mkdir()
    say.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{said}"\n', encoding="utf-8")
    say.chmod(say.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(say.parent))
    assert cues.find_speech_program() == (str(say),)
    player = CuePlayer(None, cues.find_speech_program())
    player.say("-o /etc/x Left side. Hold for 10 seconds")
    player.close()
    assert said.read_text(encoding="utf-8").splitlines() == [
        "o /etc/x Left side. Hold for 10 seconds"]
