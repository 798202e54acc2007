"""Keys on Windows (msvcrt faked): the same keys, names and timeouts as a POSIX terminal."""

from __future__ import annotations

import signal
import sys
import types
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pytest

from backcoach.session import keys as keys_module
from backcoach.session import winkeys
from backcoach.session.keydecode import BACKSPACE, DELETE, DOWN, ENTER, ESCAPE, LEFT, RIGHT, UP
from backcoach.session.winkeys import POLL_SECONDS, WindowsKeys
from tests.fakes import FakeClock, FakeMsvcrt


def console(script: list[tuple[float, bytes]]) -> tuple[WindowsKeys, FakeMsvcrt, FakeClock]:
    clock = FakeClock()
    fake = FakeMsvcrt(clock, script)
    return WindowsKeys(fake, clock=clock.now, sleep=clock.advance), fake, clock


# What the Windows console gives msvcrt.getch for a key, and the key a session sees.
CONSOLE_KEYS = [
    ("Up", b"\xe0H", UP), ("Down", b"\xe0P", DOWN), ("Left", b"\xe0K", LEFT),
    ("Right", b"\xe0M", RIGHT), ("keypad Up, NumLock off", b"\x00H", UP),
    ("Delete", b"\xe0S", DELETE), ("Enter", b"\r", ENTER), ("Ctrl-Enter", b"\n", ENTER),
    ("Escape", b"\x1b", ESCAPE), ("Backspace", b"\x08", BACKSPACE), ("space", b" ", " "),
    ("n", b"n", "n"), ("q", b"q", "q"), ("h", b"h", "h"), ("7", b"7", "7"), ("+", b"+", "+"),
    ("Windows Terminal, virtual-terminal input: Up", b"\x1b[A", UP),
    ("Windows Terminal, virtual-terminal input: Option-like Alt-Left", b"\x1b[1;3D", LEFT),
]


@pytest.mark.parametrize(("name", "given", "key"), CONSOLE_KEYS,
                         ids=[name for name, _, _ in CONSOLE_KEYS])
def test_console_keys_have_the_names_a_session_follows(name: str, given: bytes,
                                                       key: str) -> None:
    keys, fake, _ = console([(0, given)])
    assert keys.wait_key(1) == key, name
    assert not fake.kbhit(), "every byte of the key was read"


@pytest.mark.parametrize("given", [b"\x00;", b"\xe0\x86", b"\xe0G", b"\xe0I", b"\x01", b"\t",
                                   b"\xa0", b"\xe9"],
                         ids=["F1", "F12", "Home", "Page Up", "Ctrl-A", "Tab",
                              "0xA0 (a code-page letter, not a Mac's Option-Space)",
                              "0xE9 (a code-page letter)"])
def test_keys_no_session_uses_are_passed_over_and_the_wait_goes_on(given: bytes) -> None:
    keys, _, clock = console([(0, given), (2, b"n")])
    assert keys.wait_key(5) == "n"
    assert 0 <= clock.now() - 1002 < POLL_SECONDS + 1e-6  # the n, seen within a poll


def test_a_typed_0xe0_is_not_taken_for_a_prefix() -> None:
    """0xE0 alone (a letter of the console's code page: α in 437) has no scan code behind it:
    reading one would block."""
    keys, _, _ = console([(0, b"\xe0"), (1, b"q")])
    assert keys.wait_key(5) == "q"


def test_escape_then_an_arrow_at_once() -> None:
    keys, _, _ = console([(0, b"\x1b\xe0H")])
    assert [keys.wait_key(1), keys.wait_key(1)] == [ESCAPE, UP]


def test_the_timeout_ends_the_wait_on_the_clock_to_the_millisecond() -> None:
    keys, fake, clock = console([])
    assert keys.wait_key(2.5) is None
    assert clock.now() == pytest.approx(1002.5, abs=1e-9)  # the last sleep is cut to fit
    assert fake.polls == pytest.approx(2.5 / POLL_SECONDS, abs=2)  # one check a poll


def test_a_zero_timeout_only_looks() -> None:
    keys, _, clock = console([(0, b"n")])
    assert keys.wait_key(0) == "n"
    assert keys.wait_key(0) is None
    assert clock.now() == 1000


def test_a_key_just_after_the_timeout_waits_for_the_next_call() -> None:
    keys, _, clock = console([(1.01, b"n")])
    assert keys.wait_key(1) is None and clock.now() == pytest.approx(1001)
    assert keys.wait_key(1) == "n"
    assert clock.now() - 1001.01 < POLL_SECONDS  # seen within one poll


def test_no_timeout_waits_as_long_as_it_takes() -> None:
    keys, _, clock = console([(600, b" ")])
    assert keys.wait_key(None) == " "
    assert 600 <= clock.now() - 1000 < 600 + POLL_SECONDS


def test_keys_pressed_together_come_one_per_call() -> None:
    keys, _, _ = console([(0, b"+"), (0, b"+"), (0, b"\xe0H")])
    assert [keys.wait_key(0) for _ in range(4)] == ["+", "+", UP, None]


@pytest.fixture
def sigint_caught() -> Iterator[list[int]]:
    caught: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield caught
    finally:
        signal.signal(signal.SIGINT, previous)


def test_a_ctrl_c_read_as_a_key_is_sent_on_as_sigint(sigint_caught: list[int]) -> None:
    keys, _, _ = console([(0, b"\x03"), (1, b"q")])
    assert keys.wait_key(5) == "q"
    assert sigint_caught == [signal.SIGINT]


def test_msvcrt_is_imported_only_when_windows_keys_are_made(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On Windows, `terminal_keys()` gives WindowsKeys on msvcrt itself (here a stand-in
    module), and never reaches for termios."""
    clock = FakeClock()
    fake = FakeMsvcrt(clock, [(0, b"\xe0M")])
    module = types.ModuleType("msvcrt")
    module.kbhit = fake.kbhit  # type: ignore[attr-defined]
    module.getch = fake.getch  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "msvcrt", module)
    monkeypatch.setitem(sys.modules, "termios", None)  # as on Windows: no such module
    monkeypatch.setitem(sys.modules, "tty", None)
    monkeypatch.setattr(sys, "platform", "win32")
    with keys_module.terminal_keys() as keys:
        assert isinstance(keys, WindowsKeys)
        assert keys.wait_key(0) == RIGHT


def test_elsewhere_terminal_keys_are_the_posix_ones(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path) -> None:
    with open(tmp_path / "stdin", "w+", encoding="utf-8") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        for platform in ("linux", "darwin"):
            monkeypatch.setattr(sys, "platform", platform)
            assert isinstance(keys_module.terminal_keys(), keys_module.TerminalKeys)


def test_without_msvcrt_windows_keys_cannot_be_made(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "msvcrt", None)
    with pytest.raises(ImportError):
        winkeys.WindowsKeys()
