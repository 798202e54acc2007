"""Faults during a session, on the real program: Ctrl-C at odd moments, SIGTERM, SIGHUP, the
terminal closing, SIGKILL, a resize to 20x10 mid-hold, TERM=dumb, LANG=C, no terminal at all, a
closed pipe, a speech program that hangs.

After each: the exit code of the contract (130, 143, 129), the terminal back in its normal
mode where the program survived, and every finished hold in the history. The program runs in a
pseudo-terminal; `--events FILE` says exactly when a hold has ended, so each fault lands
mid-hold, after one finished hold, without guessing at sleeps.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.history.store import HistoryStore, StoredSession
from backcoach.session import cues
from tests.robustness.routines import QUICK
from tests.robustness.tally import add

pexpect = pytest.importorskip("pexpect")
pytestmark = pytest.mark.e2e

SPEED = 8
PLANNED_HOLD_ENDS = [5.0, 10.0]  # planned seconds at which each hold ends
Events = list[dict[str, Any]]


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    """A home with the safety screen done and a short routine."""
    done = CliRunner().invoke(app, ["screen", "--clear"])
    assert done.exit_code == 0, done.output
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(QUICK)
    return backcoach_home


def _ctrl_c_as_at_a_terminal() -> None:
    """The program starts with Ctrl-C's default action, as a shell at a terminal starts it.
    Tests started in the background (`pytest &`) have SIGINT ignored, the program would
    inherit that, and Python keeps an ignored SIGINT ignored: Ctrl-C at a question, before
    the session's own handler is in place, would do nothing."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def env_for(home: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "BACKCOACH_HOME": str(home), "TERM": "xterm", "LANG": "C.UTF-8",
           **extra}
    env.pop("NO_COLOR", None)  # the real colours and escape sequences
    return env


class Session:
    """`backcoach run quick` in a pseudo-terminal, with its events in a file."""

    def __init__(self, home: Path, *args: str, env: dict[str, str] | None = None,
                 size: tuple[int, int] = (24, 80)) -> None:
        self.events_path = home / "events.jsonl"
        argv = ["-m", "backcoach", "run", "quick", "--speed", str(SPEED), "--pain-before", "3",
                "--no-sound", "--events", str(self.events_path), *args]
        self.child = pexpect.spawn(sys.executable, argv, env=env or env_for(home),
                                   dimensions=size, encoding="utf-8", codec_errors="replace",
                                   timeout=20, preexec_fn=_ctrl_c_as_at_a_terminal)
        self.output = ""

    def events(self) -> Events:
        try:
            lines = self.events_path.read_text().split("\n")[:-1]  # whole lines only
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines]

    def wait_for(self, condition: Callable[[Events], bool], timeout: float = 15) -> Events:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.events()
            if condition(found):
                return found
            self.drain(0.01)
        raise AssertionError(f"timed out; last events: {self.events()[-3:]}")

    def drain(self, wait: float) -> None:
        """Read what the program wrote: a full pseudo-terminal would block its next write."""
        with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
            self.output += self.child.read_nonblocking(1 << 16, timeout=wait)

    def start(self) -> None:
        self.child.expect(r"\[y/n\] ")  # any new or changed symptoms?
        self.child.sendline("n")

    def in_second_hold(self) -> None:
        """Wait until the first hold is done and the second has begun."""
        self.start()
        self.wait_for(lambda found: any(e["event"] == "step_start" and e["kind"] == "hold"
                                        and e["rep"] == 2 for e in found))

    def end(self) -> tuple[int | None, int | None]:
        """Wait for the program to exit; return (exit status, killing signal)."""
        self.child.expect(pexpect.EOF, timeout=20)
        self.output += self.child.before
        self.child.wait()
        return self.child.exitstatus, self.child.signalstatus

    def terminal_restored(self) -> bool:
        """Canonical mode and echo on, as before the program (read from our side of the pty)."""
        flags = termios.tcgetattr(self.child.child_fd)[3]
        return bool(flags & termios.ICANON) and bool(flags & termios.ECHO)

    def close(self) -> None:
        self.child.close(force=True)


def said(text: str) -> re.Pattern[str]:
    """Words however the terminal wrapped them."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def stored() -> StoredSession:
    with HistoryStore.open() as store:
        [session] = store.sessions()
    return session


def holds_done(session: StoredSession) -> int:
    return sum(row.reps_done for row in session.exercises)


@pytest.fixture
def session(home: Path) -> Any:
    made: list[Session] = []

    def make(*args: str, **kwargs: Any) -> Session:
        add("session_faults")
        made.append(Session(home, *args, **kwargs))
        return made[-1]

    yield make
    for item in made:
        if item.child.child_fd != -1:
            item.close()


# ---------------------------------------------------------------- signals

@pytest.mark.parametrize(("fault", "code", "reason"), [
    ("sigterm", 143, "terminated"),
    ("sighup", 129, "hangup"),
    ("ctrl-c", 130, "interrupted"),
    ("ctrl-c-twice", 130, "interrupted"),
    ("ctrl-c-paused", 130, "interrupted"),
    ("ctrl-c-this-hurts", 130, "interrupted"),
])
def test_a_signal_mid_hold_saves_what_was_done(fault: str, code: int, reason: str,
                                               session: Any) -> None:
    run = session()
    run.in_second_hold()
    if fault == "sigterm":
        run.child.kill(signal.SIGTERM)
    elif fault == "sighup":
        run.child.kill(signal.SIGHUP)  # as `kill -HUP`: the terminal itself is still there
    elif fault == "ctrl-c":
        run.child.sendintr()
    elif fault == "ctrl-c-twice":
        run.child.send("\x03\x03")
    else:
        run.child.send(" " if fault == "ctrl-c-paused" else "h")
        run.wait_for(lambda found: found[-1]["event"] in ("pause", "pain"))
        run.child.sendintr()
    assert run.end() == (code, None), run.output[-2000:]
    assert run.terminal_restored()
    assert "Traceback" not in run.output
    assert run.output.rfind("\x1b[?25h") > run.output.rfind("\x1b[?25l")  # cursor shown
    assert run.output.rfind("\x1b[?1049l") > run.output.rfind("\x1b[?1049h")  # screen back
    assert said("What you did is saved.").search(run.output)
    saved = stored()
    assert (saved.status, saved.end_reason, saved.pain_before) == ("partial", reason, 3)
    assert holds_done(saved) == 1


def test_the_terminal_closing_mid_hold(session: Any) -> None:
    """The window is closed: the kernel hangs up the terminal and sends SIGHUP. Nothing can be
    written any more, yet the program saves, exits 129 at once, and leaves no traceback."""
    run = session()
    run.in_second_hold()
    # Our end of the pseudo-terminal: the window is gone. Closed through pexpect's own file
    # object, so that nothing closes the same descriptor number again later (by then it may
    # be another test's database file).
    run.child.ptyproc.fileobj.close()
    run.child.ptyproc.closed = run.child.closed = True
    run.child.child_fd = -1
    started = time.monotonic()
    _, status = os.waitpid(run.child.pid, 0)
    run.child.terminated = True
    assert os.waitstatus_to_exitcode(status) == 129
    assert time.monotonic() - started < 5
    saved = stored()
    assert (saved.status, saved.end_reason) == ("partial", "hangup")
    assert holds_done(saved) == 1


def test_sigkill_mid_hold_keeps_every_finished_hold(session: Any) -> None:
    """Nothing runs after SIGKILL: the holds finished before it are in the history anyway.
    The terminal stays in the program's key mode (`reset` fixes it) - this also shows that
    `terminal_restored` really looks at the terminal."""
    run = session()
    run.in_second_hold()
    run.child.kill(signal.SIGKILL)
    assert run.end() == (None, signal.SIGKILL)
    assert not run.terminal_restored()
    saved = stored()
    assert saved.status == "partial" and holds_done(saved) == 1


def test_ctrl_c_at_the_first_question_records_nothing(session: Any) -> None:
    run = session()
    run.child.expect(r"\[y/n\] ")
    run.child.sendintr()
    assert run.end() == (130, None)
    assert run.terminal_restored() and "Traceback" not in run.output
    with HistoryStore.open() as store:
        assert store.sessions() == []


# ---------------------------------------------------------------- the terminal itself

def test_resized_to_20_by_10_mid_hold(session: Any) -> None:
    run = session()
    run.in_second_hold()
    run.child.setwinsize(10, 20)
    run.child.expect(said("How is your pain now"))
    run.child.sendline("2")
    assert run.end() == (0, None), run.output[-2000:]
    assert run.terminal_restored() and "Traceback" not in run.output
    saved = stored()
    assert (saved.status, saved.pain_after, holds_done(saved)) == ("done", 2, 2)


def test_term_dumb_gets_plain_lines_and_keys_still_work(session: Any, home: Path) -> None:
    run = session(env=env_for(home, TERM="dumb"))
    run.start()
    run.wait_for(lambda found: any(e["event"] == "step_end" and e["kind"] == "hold"
                                   for e in found))
    run.child.send("qq")  # q asks once; q again quits
    run.child.expect(r"how is your pain now, from 0 \(none\) to 10")  # a hold had begun
    run.output += run.child.before + run.child.after
    run.child.sendline("2")
    assert run.end() == (0, None)
    assert run.terminal_restored()
    assert "\x1b" not in run.output  # not one escape sequence
    assert re.search(r"^\[00:0\d\] Rep 1 of 2: hold 4 seconds\.", run.output, re.MULTILINE)
    saved = stored()
    assert (saved.end_reason, holds_done(saved)) == ("quit", 1)


@pytest.mark.parametrize("locale", ["C", "ascii"])
def test_lang_c(locale: str, session: Any, home: Path) -> None:
    """LANG=C (Python reads it as UTF-8), and a terminal that really is ASCII: characters it
    lacks become '?', never a UnicodeEncodeError."""
    extra = {"LANG": "C", "LC_ALL": "C"}
    if locale == "ascii":
        extra |= {"PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}
    run = session("--pain-after", "2", env=env_for(home, **extra))
    run.start()
    assert run.end() == (0, None), run.output[-2000:]
    assert run.terminal_restored() and "Traceback" not in run.output
    assert said("Well done.").search(run.output)
    assert stored().status == "done"


# ---------------------------------------------------------------- no terminal at all

def detached(home: Path, *args: str, env: dict[str, str] | None = None,
             **popen: Any) -> subprocess.Popen[str]:
    """The program with no controlling terminal: stdin from /dev/null, output to a pipe."""
    add("session_faults")
    argv = [sys.executable, "-m", "backcoach", "run", "quick", "--speed", str(SPEED),
            "--pain-before", "3", "--pain-after", "2", *args]
    return subprocess.Popen(argv, env=env or env_for(home), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **popen)


def test_no_terminal_at_all(home: Path) -> None:
    child = detached(home)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "\x1b" not in out + err and "\a" not in out
    assert out.startswith("[00:00] Quick check: 1 exercise,")
    assert stored().status == "done"


def test_a_closed_pipe_ends_the_session_like_a_hangup(home: Path) -> None:
    """`backcoach run | head -1`: the reader quits, the next write fails; the session is saved
    and ends with 129, without a traceback."""
    child = detached(home, "--output", "plain")
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline().startswith("[00:00] Quick check")
    child.stdout.close()
    err = child.stderr.read()
    assert child.wait(timeout=30) == 129, err
    assert "Traceback" not in err and "Exception ignored" not in err
    saved = stored()
    assert (saved.status, saved.end_reason) == ("partial", "hangup")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_an_events_file_on_a_full_disk(home: Path) -> None:
    """Writing --events fails (ENOSPC): that file is given up, the session goes on, is saved,
    and the end says what failed."""
    child = detached(home, "--output", "plain", "--events", "/dev/full")
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    text = " ".join(out.split())
    assert "Warning: writing the events file /dev/full failed during the session: No space " \
           "left on device" in text
    assert "Well done." in text and "Traceback" not in out + err
    assert stored().status == "done"


def speech_left(sessions: set[int], wait: float = 3.0) -> set[int]:
    """Which of these process sessions still have a live (not zombie) process, after giving
    killed ones a moment to go."""
    deadline = time.monotonic() + wait
    while True:
        table = subprocess.run(["ps", "-eo", "sid=,stat="], capture_output=True, text=True)
        alive = {int(sid) for sid, stat in (line.split() for line in table.stdout.splitlines())
                 if not stat.startswith("Z")}
        if not alive & sessions or time.monotonic() > deadline:
            return alive & sessions
        time.sleep(0.05)


def test_a_speech_program_that_hangs(home: Path, tmp_path: Path) -> None:
    """Every cue starts a speech program that never ends (and ignores SIGTERM, and starts a
    child of its own). Cues are cut off; the timer keeps to the plan; the program ends soon
    after the session; no speech process is left behind."""
    log = tmp_path / "speech.log"
    script = tmp_path / "hang"
    script.write_text(f"#!/bin/sh\ntrap '' TERM INT HUP\necho $$ >> {log}\nsleep 1000\n")
    script.chmod(0o755)
    env = env_for(home, BACKCOACH_SPEECH=str(script))
    started = time.monotonic()
    child = detached(home, "--voice", "--output", "jsonl", env=env)
    out, err = child.communicate(timeout=30)
    took = time.monotonic() - started
    assert child.returncode == 0, err
    events = [json.loads(line) for line in out.splitlines()]
    ends = [e["t"] for e in events if e["event"] == "step_end" and e["kind"] == "hold"]
    assert len(ends) == 2
    for real, planned in zip(ends, PLANNED_HOLD_ENDS, strict=True):
        assert 0 <= real - planned / SPEED < 0.25, (ends, PLANNED_HOLD_ENDS)
    # the session, the last phrase's grace (the spoken summary's), start-up
    assert took < 10 / SPEED + cues.LONGEST_LAST_PHRASE + 5
    spoken = [int(pid) for pid in log.read_text().split()]
    assert len(spoken) >= 4  # a phrase for every step, each cut off by the next
    assert not speech_left(set(spoken)), "a speech process (or its child) was left running"
    assert stored().status == "done"
