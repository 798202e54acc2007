"""`backcoach breaks` in a pseudo-terminal, time sped up with --speed: it waits, rings and
notifies, snoozes, starts a real session (safety question, pain, history), goes back to
waiting, and Ctrl-C ends it with 130 and the terminal as it was."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import pytest

from backcoach.history.store import HistoryStore
from tests.cli.test_run import YES_NO, assert_restored, backcoach, said
from tests.fake_programs import FakePrograms, install_on_path

pexpect = pytest.importorskip("pexpect")


def spawn(home: Path, path: str, *args: str) -> Any:
    command = " ".join([sys.executable, "-m", "backcoach", "breaks", *args])
    env = {**os.environ, "BACKCOACH_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm",
           "COLUMNS": "100", "PATH": path}
    return pexpect.spawn("bash", ["-c", f"{command}; echo EXIT=$?; stty -a"], env=env,
                         timeout=30, encoding="utf-8", codec_errors="replace",
                         dimensions=(24, 100))


@pytest.mark.e2e
def test_breaks_fire_snooze_start_a_session_and_end_on_ctrl_c(backcoach_home: Path,
                                                              tmp_path: Path) -> None:
    assert backcoach(backcoach_home, "screen", "--clear").returncode == 0
    fake = FakePrograms(tmp_path / "state", backcoach_home.parent / ".config")
    install_on_path(tmp_path / "bin", tmp_path / "state", ["notify-send"])
    # 45 min at speed 900 is 3 s; the 10 min snooze, 0.7 s.
    child = spawn(backcoach_home, f"{tmp_path / 'bin'}:{os.environ['PATH']}",
                  "--every", "45m", "--speed", "900")
    child.expect(said("Desk breaks: Desk break (4 min) every 45 min."))
    child.expect(r"Next break at (\d\d:\d\d)\.")
    child.expect(said("Time for a desk break: Desk break, 4 min. Enter start now · z snooze "
                      "10 min · n skip · q stop breaks"))
    assert "\a" in child.before + child.after  # the bell rang
    child.send("z")
    child.expect(said("Snoozed for 10 min."))
    child.expect("Time for a desk break")
    child.send("\r")  # start now: a normal session
    child.expect(YES_NO)  # any new or changed symptoms since last time?
    child.sendline("n")
    child.expect(said("from 0"))  # pain now
    child.sendline("2")
    child.expect(said("How is your pain now"), timeout=30)
    child.sendline("1")
    child.expect(said("Well done."))
    child.expect("Break over.")
    child.expect("Next break at")
    child.sendintr()
    child.expect("Desk breaks stopped.")
    assert assert_restored(child) == "130"
    assert fake.notes == ["backcoach | Time for a desk break: Desk break, 4 min (backcoach "
                          "breaks)"] * 2
    with HistoryStore.open() as store:
        [session] = store.sessions()
    assert (session.routine_id, session.status, session.pain_before, session.pain_after) == \
        ("desk-break", "done", 2, 1)


@pytest.mark.e2e
def test_q_stops_the_breaks_with_0(backcoach_home: Path) -> None:
    child = spawn(backcoach_home, os.environ["PATH"], "--every", "1h", "--during",
                  "00:00-23:59", "--no-sound")
    child.expect("Next break at")
    child.send("q")
    child.expect("Desk breaks stopped.")
    assert assert_restored(child) == "0"


def test_breaks_off_a_terminal_and_bad_options_are_exit_2(backcoach_home: Path) -> None:
    off = backcoach(backcoach_home, "breaks")
    assert off.returncode == 2
    assert off.stderr == ("Error: breaks needs a terminal to ask whether to start each break; "
                          "run it in a terminal tab of its own\n")
    for args, message in ((["--every", "soon"], "--every takes a duration such as 45m or "
                                                "1h30m, got 'soon'"),
                          (["--during", "9-5"], "--during takes the hours of a day such as "
                                                "09:00-17:30, got '9-5'"),
                          (["--routine", "dayly"], "no routine called 'dayly' (did you mean "
                                                   "'daily'?); `backcoach list` shows them all"),
                          (["--every", "30s"], "--every must be from 1 min to 480 min, got "
                                               "'30s'")):
        done = backcoach(backcoach_home, "breaks", *args)
        assert (done.returncode, done.stderr) == (2, f"Error: {message}\n"), args
