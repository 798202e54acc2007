"""What a person sees of `backcoach run` at each window size (issue 14, items 1-6).

The real program runs in a pseudo-terminal of the size named, and a terminal emulator (pyte)
keeps the screen as a person would see it, so each test asserts what is on screen at a moment:
what must never be cut (the countdown, the side and rep, the stop signs and cautions, how to
pause), and what grows with the window (the digits) or gives way in a small one.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from backcoach.library.catalog import load_catalog

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

pytestmark = pytest.mark.e2e
KNEE = load_catalog().exercises["knee-to-chest"]


class Terminal:
    """`backcoach run ARGS` in a pseudo-terminal of `cols` x `rows`, seen through pyte."""

    def __init__(self, home: Path, args: list[str], cols: int, rows: int,
                 **env: str) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        environment = {**os.environ, "BACKCOACH_HOME": str(home), "TERM": "xterm-256color",
                       "NO_COLOR": "1", **env}
        environment.pop("COLUMNS", None)
        environment.pop("LINES", None)
        command = " ".join([sys.executable, "-m", "backcoach", "run", *args])
        self.child = pexpect.spawn("bash", ["-c", f"{command}; echo EXIT=$?"],
                                   env=environment, dimensions=(rows, cols), timeout=20)
        self.child.delaybeforesend = None
        self.raw = b""

    def pump(self, timeout: float = 0.1) -> bool:
        """Feed whatever the program wrote to the emulated screen; False when it wrote
        nothing within `timeout`."""
        try:
            data = self.child.read_nonblocking(65536, timeout)
        except (pexpect.TIMEOUT, pexpect.EOF):
            return False
        self.raw += data
        self.stream.feed(data)
        return True

    def settle(self) -> None:
        """Read until the program has been quiet for a moment: a big frame arrives in pieces,
        and the screen is whole only once the last piece is in."""
        while self.pump(0.05):
            pass

    def text(self) -> str:
        """The screen, line by line."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, wanted: str | Callable[[str], bool], timeout: float = 15) -> str:
        """Pump until the screen shows `wanted` (a regex, or a test of the screen's text)."""
        test = wanted if callable(wanted) else (lambda text: re.search(wanted, text) is not None)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.pump()
            if test(self.text()):
                self.settle()
                if test(self.text()):
                    return self.text()
        raise AssertionError(f"not on screen after {timeout} s: {wanted!r}\n{self.text()}")

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def finish(self, pain_after: str = "2") -> int:
        """Quit (q twice), answer pain after, and return the exit code."""
        self.send("q")
        self.wait_for("Quit this session")
        self.send("q")
        self.wait_for(r"how is your pain now")
        self.send(pain_after + "\r")
        self.child.expect(r"EXIT=(\d+)")
        return int(self.child.match.group(1))


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    """A home whose safety screen is done, as after `backcoach screen --clear`."""
    from typer.testing import CliRunner

    from backcoach.cli import app

    assert CliRunner().invoke(app, ["screen", "--clear"]).exit_code == 0
    return backcoach_home


def start(home: Path, cols: int, rows: int, *args: str, **env: str) -> Terminal:
    """knee-to-chest on its own, past the symptoms question, at its setup screen."""
    term = Terminal(home, ["--only", "knee-to-chest", "--pain-before", "2", "--no-sound",
                           *args], cols, rows, **env)
    term.wait_for(r"\[y/n\]")
    term.send("n\r")
    term.wait_for("Starting in")
    return term


def big_rows(text: str) -> int:
    """Rows of block digits on screen."""
    return sum("██" in line for line in text.splitlines())


def visible_signs(text: str) -> int:
    flat = " ".join(text.split())
    return sum(f"Stop if {sign}." in flat for sign in KNEE.stop_if)


def visible_cautions(text: str) -> int:
    flat = " ".join(text.split())
    return sum(f"Careful: {caution}" in flat for caution in KNEE.cautions)


def test_at_40x15_nothing_that_matters_is_cut(screened: Path) -> None:
    term = start(screened, 40, 15)
    setup = term.wait_for(r"Starting in \d+ s")
    # The side, the countdown, how to wait, a step and a caution: all on the setup screen.
    assert "LEFT SIDE" in setup and "space wait" in setup
    assert re.search(r"^\s*1\. ", setup, re.MULTILINE) and visible_cautions(setup) >= 1
    term.send("n")
    hold = term.wait_for("rep 1/2")
    assert "LEFT SIDE" in hold and "space pause" in hold and "h hurts" in hold
    assert big_rows(hold) == 5  # the five-row digits still fit at 40 columns
    assert "seconds · hold" in hold
    assert 1 <= visible_signs(hold) < len(KNEE.stop_if)  # they take turns
    # Every sign comes round while the hold goes on.
    seen = set()
    deadline = time.monotonic() + 12
    while time.monotonic() < deadline and len(seen) < len(KNEE.stop_if):
        term.pump(0.2)
        flat = " ".join(term.text().split())
        seen |= {sign for sign in KNEE.stop_if if f"Stop if {sign}." in flat}
    assert seen == set(KNEE.stop_if)
    assert term.finish() == 0


def test_at_80x24_every_step_caution_and_sign(screened: Path) -> None:
    term = start(screened, 80, 24)
    setup = term.wait_for(r"Starting in \d+ s · space to wait · n to start now")
    flat = " ".join(setup.split())
    assert all(step in flat for step in KNEE.steps)
    assert visible_cautions(setup) == len(KNEE.cautions)
    assert "get into position · LEFT SIDE first" in setup
    term.send(" ")  # the setup waits for the person
    waiting = term.wait_for("Waiting for you")
    assert "space when you are in position · n to start now" in waiting
    assert waiting.count("PAUSED") == 0  # said once, in words that fit a setup
    time.sleep(1.5)
    term.pump()
    assert "Waiting for you" in term.text()  # still waiting
    term.send("n")
    hold = term.wait_for("rep 1/2")
    assert big_rows(hold) == 7  # bigger digits than the five-row ones
    assert visible_signs(hold) == len(KNEE.stop_if)
    assert f"Step {KNEE.hold_step}:" in hold  # the step to keep in mind while holding
    lines = hold.splitlines()
    assert "backcoach · Knee-to-chest stretch, on its own" in lines[0]
    assert lines[-1].strip().startswith("space pause") and "e easier" not in lines[-1]
    term.send("-")
    assert "hold 25 s" in term.wait_for("Hold shorter: 25 s in all.")
    term.send("?")
    helped = term.wait_for("The timer waits while this help is open")
    time.sleep(2)
    term.settle()
    assert term.text() == helped  # the time left did not move while the help was open
    term.send("?")
    term.wait_for("seconds · hold")
    assert term.finish() == 0


def test_at_100x30_the_digits_grow(screened: Path) -> None:
    term = start(screened, 100, 30)
    term.send("n")
    hold = term.wait_for("rep 1/2")
    assert big_rows(hold) == 14
    assert visible_signs(hold) == len(KNEE.stop_if)
    assert term.finish() == 0


def test_at_200x50_without_no_color(screened: Path) -> None:
    term = start(screened, 200, 50, NO_COLOR="")
    setup = term.wait_for(r"Starting in \d+ s")
    assert "You need: mat, small cushion" in setup
    term.send("n")
    hold = term.wait_for("rep 1/2")
    assert big_rows(hold) == 21  # readable from a mat two metres away
    assert visible_signs(hold) == len(KNEE.stop_if)
    lines = hold.splitlines()
    assert "1 of 1" in lines[0] and "Next: switch 5 s, then right side" in hold
    assert lines[-1].strip().startswith("space pause")  # the keys sit at the bottom
    assert b"\x1b[3" in term.raw  # in colour
    assert term.finish() == 0


def test_run_to_a_file_asks_on_the_terminal(screened: Path, tmp_path: Path) -> None:
    """Item 5: `backcoach run > file` at a terminal: the questions are on the screen, the
    file gets the session's plain lines and the summary, and no question."""
    log = tmp_path / "session.log"
    term = Terminal(screened, ["--only", "chin-tuck", "--speed", "100", "--no-sound",
                               f"> {log}"], 80, 24)
    term.wait_for(r"Any new or changed symptoms since last time\? \[y/n\]")
    term.send("n\r")
    term.wait_for(r"How much does it hurt right now")
    term.send("3\r")
    term.wait_for(r"How is your pain now", timeout=30)
    term.send("2\r")
    term.child.expect(r"EXIT=(\d+)")
    assert term.child.match.group(1) == b"0"
    written = log.read_text()
    assert written.startswith("[00:00] Chin tuck, on its own: 1 exercise, about 1 min 45 s.")
    assert "Well done." in written
    assert "symptoms" not in written and "How much does it hurt" not in written
    assert "How is your pain now" not in written


def test_declining_the_statement_exits_0(backcoach_home: Path) -> None:
    """Item 11: the person's choice is not a failure."""
    term = Terminal(backcoach_home, ["--no-sound"], 80, 24)
    term.wait_for(r"Do you understand this and want to continue\? \[y/n\]")
    term.send("n\r")
    term.child.expect(r"EXIT=(\d+)")
    assert term.child.match.group(1) == b"0"
    assert b"You chose not to continue, so nothing has started." in term.raw + \
        term.child.before
    assert b"Error" not in term.raw + term.child.before
