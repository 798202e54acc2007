"""Issue 12 in a terminal: the real program in a pseudo-terminal, as a person uses it.

Dizziness during neck work ends the neck exercises; `e` after a knee answer does not bring in
an exercise the answers left out; a cancer answer blocks, a clinician's OK clears it, and then
a session runs. The logic of each is tested in process in tests/test_safety_items.py; these
check what only a terminal shows.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from backcoach.history.store import HistoryStore
from backcoach.safety import redflags
from backcoach.safety.redflags import Tier
from backcoach.session.result import ScreenRecord
from tests.cli.test_run import assert_restored, backcoach, said, spawn

pexpect = pytest.importorskip("pexpect")
YES_NO = re.compile(r"\[y/n\] ")
MAIN = [q for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE]


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    done = backcoach(backcoach_home, "screen", "--clear")
    assert done.returncode == 0, done.stderr
    return backcoach_home


def stored_exercises() -> dict[str, tuple[str, str | None]]:
    with HistoryStore.open() as store:
        [session] = store.sessions()
    return {row.exercise_id: (row.status, row.stop_reason) for row in session.exercises}


@pytest.mark.e2e
def test_pty_dizziness_during_neck_and_shoulders_ends_the_neck_exercises(
        screened: Path) -> None:
    child = spawn(screened, "neck-and-shoulders", "--pain-before", "2", "--no-sound")
    child.expect(YES_NO)  # any new or changed symptoms?
    child.sendline("n")
    child.expect("Starting in")
    # skip the warm-up's setup and hold, the move to chin tuck, and its setup: one key at a
    # time, each when its screen is up
    for shown in ("rep 1/1", "get ready", "Starting in"):
        child.send("n")
        child.expect(shown)
    child.send("n")
    child.expect("rep 1/6")
    child.send("h")
    child.expect("This hurts: is it sharp")  # the live view redraws: one line at a time
    child.send("d")
    child.expect("Together with the dizziness, do you have double vision")
    child.send("n")
    child.expect(said("You stopped Chin tuck early. How is your pain now"), timeout=30)
    child.sendline("3")
    child.expect(said("Session over, with 1 exercise stopped."))
    child.expect(said("You stopped Chin tuck because of dizziness or a change in vision during "
                      "neck work."))
    child.expect(said("Left out for your safety after that: Neck side bend and Neck diagonal "
                      "stretch."))
    child.expect(said("Get medical advice before your next neck exercises"))
    assert assert_restored(child) == "0"
    found = stored_exercises()
    assert found["chin-tuck"][0] == "stopped"
    assert found["neck-side-bend"][0] == found["neck-levator-stretch"][0] == "skipped"
    assert found["shoulder-rolls"][0] == "skipped"  # skipped with n by the person


@pytest.mark.e2e
def test_pty_easier_after_a_knee_answer_does_not_swap_in_a_left_out_exercise(
        backcoach_home: Path) -> None:
    answers = {q.id: q.id == "knee-problem" for q in redflags.load_questions()}
    with HistoryStore.open() as store:
        store.record_consent(datetime.now(UTC))
        store.record_screen(ScreenRecord(datetime.now(UTC), "CLEARANCE", answers))
    child = spawn(backcoach_home, "--only", "piriformis-cross-body", "--pain-before", "2",
                  "--no-sound")
    child.expect(YES_NO)
    child.sendline("n")
    child.expect("Starting in")
    child.send("e")  # in the setup, where the hint would be
    child.send("n")
    child.expect("rep 1/3")
    child.send("e")  # and in the hold
    child.expect("seconds · hold")
    child.send("qq")  # q asks once; q again quits
    child.expect(said("Before you go: how is your pain now"))
    child.sendline("2")
    child.expect(said("Stopped early."))
    output = child.before
    assert "Press e for the easier version" not in output
    assert "figure four" not in output and "Swapped" not in output
    assert assert_restored(child) == "0"
    assert list(stored_exercises()) == ["piriformis-cross-body"]


@pytest.mark.e2e
def test_pty_easier_one_knee_for_both_knees_works_each_side(screened: Path) -> None:
    """Both knees to chest works both sides at once; its easier version, one knee, is done
    left then right, as the person would do it from its own page."""
    child = spawn(screened, "--only", "double-knee-to-chest", "--pain-before", "2",
                  "--no-sound")
    child.expect(YES_NO)
    child.sendline("n")
    child.expect("Starting in")
    child.send("e")
    child.expect(said("Swapped to the easier version: Knee-to-chest stretch."))
    child.expect("Knee-to-chest stretch, on its own")  # the header names what is done now
    child.expect("each side")  # the setup screen, redrawn with the variant's dose
    child.send("n")
    child.expect("LEFT SIDE · rep 1/3")
    child.expect("then right side")
    child.send("qq")
    child.expect(said("Before you go: how is your pain now"))
    child.sendline("2")
    assert assert_restored(child) == "0"
    with HistoryStore.open() as store:
        [session] = store.sessions()
    # kept per side, as any exercise done one side at a time
    assert [(row.exercise_id, row.side) for row in session.exercises] == [
        ("knee-to-chest", "left"), ("knee-to-chest", "right")]


def screen_child(home: Path) -> Any:
    env = {**os.environ, "BACKCOACH_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm"}
    return pexpect.spawn(sys.executable, ["-m", "backcoach", "screen"], env=env, timeout=20,
                         encoding="utf-8", codec_errors="replace", dimensions=(24, 100))


def answer(child: Any, cancer_cleared: bool | None) -> None:
    """Every main question no but cancer yes, with the clinician's OK given or not."""
    for question in MAIN:
        child.expect(YES_NO)
        child.sendline("y" if question.id == "cancer-history" else "n")
        if question.id == "cancer-history":
            child.expect(said("Has a doctor or physiotherapist checked this and said exercise "
                              "is fine for you?"))
            child.sendline("y" if cancer_cleared else "n")
            if not cancer_cleared:
                return
    child.expect(YES_NO)  # any of these conditions?
    child.sendline("n")


@pytest.mark.e2e
def test_pty_cancer_answer_then_clearance_then_a_run(backcoach_home: Path) -> None:
    child = spawn(backcoach_home, "gentle", "--no-sound")
    child.expect(YES_NO)  # the statement
    child.sendline("y")
    answer(child, cancer_cleared=False)
    child.expect(said("Get medical advice today"))
    child.expect(said("If a doctor or physiotherapist has already checked it and said exercise "
                      "is fine, run `backcoach screen` again and say so."))
    assert assert_restored(child) == "3"
    assert "--clear" not in child.before

    screen = screen_child(backcoach_home)
    answer(screen, cancer_cleared=True)
    screen.expect(said("that a doctor or physiotherapist checked a past cancer and said "
                       "exercise is fine"))
    screen.expect(r"\[1-4\] ")
    screen.sendline("4")
    screen.expect(pexpect.EOF)
    screen.close()
    assert screen.exitstatus == 0
    with HistoryStore.open() as store:
        last = store.last_screen()
    assert last is not None and "cancer-history" in last.cleared

    run = spawn(backcoach_home, "gentle", "--speed", "200", "--no-sound")
    run.expect(YES_NO)  # any new or changed symptoms?
    run.sendline("n")
    run.expect(said("from 0"))
    run.sendline("3")
    run.expect(said("How is your pain now"), timeout=30)
    run.sendline("3")
    run.expect(said("Well done."))
    run.expect(said("more than 12 weeks, which makes it persistent"))
    assert assert_restored(run) == "0"
