"""`run --voice` through a speech program that logs what it is asked to say (issue 14, item 7).

BACKCOACH_SPEECH names the program; each phrase is one argument, and the program writes it
to a log before anything else, so every phrase is in the log in order even when the next one
cuts it off.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXERCISE = """\
id: side-reach
name: Side reach
position: sitting
sides: [left, right]
hold: 10s
reps: 2
rest: 3s
setup: 2s
switch: 2s
steps:
  - Sit tall on a chair with your feet flat.
  - Reach one arm up and over to the other side.
  - Come back to the middle slowly.
cues:
  - Keep both hips on the chair.
  - Breathe out as you reach.
"""
# Speed 4 keeps a tick on every whole second of a hold, so "3, 2, 1" are all said.
SPEED = "4"


@pytest.fixture
def voice_home(backcoach_home: Path, tmp_path: Path) -> tuple[Path, Path, Path]:
    """A screened home with one exercise of two sides and two reps, and a logging speaker."""
    (backcoach_home / "exercises").mkdir(parents=True)
    (backcoach_home / "exercises" / "side-reach.yaml").write_text(EXERCISE)
    log = tmp_path / "said.log"
    speaker = tmp_path / "speak"
    speaker.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$*\" >> {log}\n")
    speaker.chmod(0o755)
    env = {**os.environ, "BACKCOACH_HOME": str(backcoach_home), "BACKCOACH_SPEECH": str(speaker)}
    cleared = subprocess.run([sys.executable, "-m", "backcoach", "screen", "--clear"], env=env,
                             capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert cleared.returncode == 0, cleared.stderr
    return backcoach_home, speaker, log


def run_voice(home: Path, speaker: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKCOACH_HOME": str(home), "BACKCOACH_SPEECH": str(speaker)}
    return subprocess.run([sys.executable, "-m", "backcoach", "run", "--only", "side-reach",
                           "--voice", "--speed", SPEED, "--output", "plain", "--pain-before",
                           "4", "--pain-after", "3", *args], env=env, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, timeout=60)


@pytest.mark.e2e
def test_full_voice_says_one_whole_exercise_in_order(
        voice_home: tuple[Path, Path, Path]) -> None:
    home, speaker, log = voice_home
    done = run_voice(home, speaker)  # `voice` in config.yaml is unset: --voice is full
    assert done.returncode == 0, done.stderr
    said = log.read_text().splitlines()
    assert said[:-1] == [
        "Side reach. Sit tall on a chair with your feet flat.",  # the exercise, its first step
        "Left side, rep 1 of 2. Hold for 10 seconds",  # the side, hold
        "Keep both hips on the chair.",  # one cue, halfway through the hold
        "3", "2", "1",
        "Switch to your right side",
        "Right side, rep 1 of 2. Hold for 10 seconds", "Keep both hips on the chair.",
        "3", "2", "1",
        "Rest 3 seconds",
        "Left side, rep 2 of 2. Hold for 10 seconds", "Keep both hips on the chair.",
        "3", "2", "1",
        "Switch to your right side",
        "Right side, rep 2 of 2. Hold for 10 seconds", "Keep both hips on the chair.",
        "3", "2", "1"]
    # The summary, last: how it went, how long, the pain, the streak.
    assert said[-1].startswith("Well done. 1 of 1 exercises. ")
    assert said[-1].endswith(" Pain 4 to 3, better. Streak: 1 day.")


@pytest.mark.e2e
def test_the_voice_setting_chooses_brief(voice_home: tuple[Path, Path, Path]) -> None:
    home, speaker, log = voice_home
    (home / "config.yaml").write_text("voice: brief\n")
    done = run_voice(home, speaker)
    assert done.returncode == 0, done.stderr
    assert log.read_text().splitlines() == [
        "Side reach. Get into position",
        "Left side. Hold", "3", "2", "1", "Switch to your right side", "Right side. Hold",
        "3", "2", "1", "Rest",
        "Left side. Hold", "3", "2", "1", "Switch to your right side", "Right side. Hold",
        "3", "2", "1",
        "Well done. 1 of 1 exercises."]
