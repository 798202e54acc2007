"""Bell and voice cues: when they sound, and that a slow speech program never delays the timer."""

from __future__ import annotations

import io
import sys
import time

import pytest

from backcoach.session import cues
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session, catalog, exercise


def session(player: cues.CuePlayer) -> None:
    cat = catalog(exercise(sides=("left", "right"), reps=1, hold=10, setup=2))
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    Session(plan, clock, ScriptedKeys(clock, []), [player]).run()


def test_bell_rings_at_hold_start_end_switch_and_last_three_seconds() -> None:
    bell = io.BytesIO()
    player = cues.CuePlayer(bell, speech=None)  # type: ignore[arg-type]
    session(player)
    # per hold: start, 3-2-1, end = 5; plus the switch between the sides = 11
    assert player.rings == 11
    assert bell.getvalue() == b"\a" * 11


def test_no_sound_rings_nothing_anywhere() -> None:
    player = cues.CuePlayer(None, speech=None)
    session(player)
    assert player.spoken == []


def test_full_voice_says_each_step_a_cue_mid_hold_and_counts_down() -> None:
    player = cues.CuePlayer(None, speech=("true",), detail="full")
    session(player)
    assert player.spoken == [
        "Stretch. Do it.",  # the exercise and its first step
        "Left side, rep 1 of 1. Hold for 10 seconds", "Breathe.", "3", "2", "1",
        "Switch to your right side",
        "Right side, rep 1 of 1. Hold for 10 seconds", "Breathe.", "3", "2", "1"]
    assert player.rings == 5  # each hold starts and ends, the switch: the voice counts down


def test_brief_voice_says_only_what_to_do() -> None:
    player = cues.CuePlayer(None, speech=("true",), detail="brief")
    session(player)
    assert player.spoken == ["Stretch. Get into position", "Left side. Hold", "3", "2", "1",
                             "Switch to your right side", "Right side. Hold", "3", "2", "1"]


def test_a_hanging_speech_program_never_blocks() -> None:
    hanging = (sys.executable, "-c", "import time; time.sleep(30)")
    player = cues.CuePlayer(None, speech=hanging)
    started = time.monotonic()
    for _ in range(5):
        player.say("Hold")
    elapsed = time.monotonic() - started
    player._stop_speaking()  # kill the last one so the test leaves nothing behind
    assert elapsed < 2.0, elapsed  # five process starts, no waiting for any of them


def test_find_speech_program_prefers_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKCOACH_SPEECH", "my-speaker --fast")
    assert cues.find_speech_program() == ("my-speaker", "--fast")
    monkeypatch.delenv("BACKCOACH_SPEECH")
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cues.find_speech_program() is None
