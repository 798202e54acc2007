"""Key decoding against what real terminals send: macOS Terminal and iTerm2 with their
defaults (Option, Delete, arrows in application mode), xterm, the Linux console and Windows
Terminal's virtual-terminal input; and TerminalKeys reading them from a real pseudo-terminal.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator

import pytest

from backcoach.session.keydecode import (
    BACKSPACE,
    DELETE,
    DOWN,
    ENTER,
    ESCAPE,
    LEFT,
    RIGHT,
    UP,
    split_keys,
)
from backcoach.session.keys import TerminalKeys
from backcoach.session.runner import CANCEL_KEYS

# What each terminal sends for a key, as bytes on the wire, and the key a session sees.
MACOS_TERMINAL = [
    ("Up, normal cursor mode", "\x1b[A", UP),
    ("Down, application cursor mode (DECCKM)", "\x1bOB", DOWN),
    ("Right, application cursor mode", "\x1bOC", RIGHT),
    ("Delete (the big key: DEL, 0x7f by default)", "\x7f", BACKSPACE),
    ("Delete with 'Delete sends Control-H' ticked", "\x08", BACKSPACE),
    ("fn-Delete (forward delete)", "\x1b[3~", DELETE),
    ("Return", "\r", ENTER),
    ("keypad Enter, application keypad mode", "\x1bOM", ENTER),
    ("Option-Space (no-break space, Option as Meta off: the default)", "\xa0", " "),
    ("Option-h with 'Use Option as Meta key' on", "\x1bh", "h"),
    ("Option-q with 'Use Option as Meta key' on", "\x1bq", "q"),
    ("Option-Left (default keyboard profile: ESC b, back a word)", "\x1bb", "b"),
    ("Escape", "\x1b", ESCAPE),
    ("keypad + in application keypad mode", "\x1bOk", "+"),
    ("keypad - in application keypad mode", "\x1bOm", "-"),
    ("keypad 7 in application keypad mode", "\x1bOw", "7"),
]
ITERM2 = [
    ("Left", "\x1b[D", LEFT),
    ("Option-Left (default: Option+arrow with modifier 3)", "\x1b[1;3D", LEFT),
    ("Option-Right", "\x1b[1;3C", RIGHT),
    ("Shift-Up", "\x1b[1;2A", UP),
    ("Ctrl-Down", "\x1b[1;5B", DOWN),
    ("Option-n with the Option key set to Esc+", "\x1bn", "n"),
    ("Option-space with the Option key set to Esc+", "\x1b ", " "),
    ("Delete", "\x7f", BACKSPACE),
    ("fn-Delete", "\x1b[3~", DELETE),
    ("Return", "\r", ENTER),
]
XTERM_LINUX_WINDOWS = [
    ("xterm: Up", "\x1b[A", UP),
    ("Linux console: Backspace", "\x7f", BACKSPACE),
    ("Enter read as newline (icrnl off)", "\n", ENTER),
    ("Windows Terminal, virtual-terminal input: Left", "\x1b[D", LEFT),
    ("a digit", "7", "7"),
    ("plus", "+", "+"),
    ("question mark", "?", "?"),
    ("space", " ", " "),
    ("a letter beyond ASCII", "é", "é"),
]
# Keys no session uses: left out, never read as Escape (which cancels a question).
UNUSED = [
    ("F1 (SS3 P)", "\x1bOP"),
    ("F5", "\x1b[15~"),
    ("Home", "\x1b[H"),
    ("End, application mode", "\x1bOF"),
    ("Page Up", "\x1b[5~"),
    ("Insert", "\x1b[2~"),
    ("Shift-Tab", "\x1b[Z"),
    ("Tab", "\t"),
    ("Ctrl-A", "\x01"),
    ("a cut-off sequence", "\x1b[1;"),
]


def _ids(table: list[tuple[str, str, str]]) -> list[str]:
    return [name for name, _, _ in table]


@pytest.mark.parametrize(("name", "sent", "key"), MACOS_TERMINAL, ids=_ids(MACOS_TERMINAL))
def test_macos_terminal_defaults(name: str, sent: str, key: str) -> None:
    assert split_keys(sent) == [key], name


@pytest.mark.parametrize(("name", "sent", "key"), ITERM2, ids=_ids(ITERM2))
def test_iterm2_defaults(name: str, sent: str, key: str) -> None:
    assert split_keys(sent) == [key], name


@pytest.mark.parametrize(("name", "sent", "key"), XTERM_LINUX_WINDOWS,
                         ids=_ids(XTERM_LINUX_WINDOWS))
def test_other_terminals(name: str, sent: str, key: str) -> None:
    assert split_keys(sent) == [key], name


@pytest.mark.parametrize(("name", "sent"), UNUSED, ids=[name for name, _ in UNUSED])
def test_keys_no_session_uses_are_left_out(name: str, sent: str) -> None:
    assert split_keys(sent) == [], name


def test_delete_and_function_keys_never_cancel_a_question() -> None:
    """Before, anything starting with ESC was Escape: fn-Delete or F1 cancelled the "this
    hurts" question. Only Escape itself does now."""
    for sent in ("\x1b[3~", "\x7f", "\x1bOP", "\x1b[H", "\x1b[1;3D"):
        assert not set(split_keys(sent)) & CANCEL_KEYS, repr(sent)
    assert split_keys("\x1b") == [ESCAPE] and ESCAPE in CANCEL_KEYS


def test_several_keys_in_one_read_all_count_in_order() -> None:
    """Keys typed fast, or an arrow held down, arrive in one read."""
    assert split_keys("nn") == ["n", "n"]
    assert split_keys("\x1b[A\x1b[A\x1b[A") == [UP, UP, UP]
    assert split_keys("\x1bOA\x1b[1;3Dq") == [UP, LEFT, "q"]
    assert split_keys("\x1b\x1b") == [ESCAPE, ESCAPE]
    assert split_keys("h2\r") == ["h", "2", ENTER]
    assert split_keys("\x1bOP ") == [" "]  # F1 left out, the space kept


# --- TerminalKeys on a real pseudo-terminal -------------------------------------------------

@pytest.fixture
def terminal() -> Iterator[tuple[TerminalKeys, int]]:
    """TerminalKeys on the slave side of a pty; the test writes keys to the master side."""
    master, slave = os.openpty()
    stream = os.fdopen(slave, "r", encoding="utf-8", closefd=True)
    try:
        with TerminalKeys(stream) as keys:
            yield keys, master
    finally:
        stream.close()
        os.close(master)


def test_terminal_keys_hands_out_keys_read_together_one_by_one(
        terminal: tuple[TerminalKeys, int]) -> None:
    keys, master = terminal
    os.write(master, b"\x1b[1;3D \x7fq")
    assert [keys.wait_key(1) for _ in range(4)] == [LEFT, " ", BACKSPACE, "q"]
    assert keys.wait_key(0) is None


def test_a_key_no_session_uses_does_not_end_the_wait(terminal: tuple[TerminalKeys, int]) -> None:
    """F1 arrives first: the wait goes on and returns the key after it (a None would have
    told the runner its time was up)."""
    keys, master = terminal
    os.write(master, b"\x1bOP")
    later = threading.Timer(0.2, os.write, (master, b"n"))
    later.start()
    try:
        assert keys.wait_key(30) == "n"
    finally:
        later.join()


def test_the_timeout_still_ends_the_wait_after_an_unused_key(
        terminal: tuple[TerminalKeys, int]) -> None:
    keys, master = terminal
    os.write(master, b"\x1b[5~")  # Page Up
    started = time.monotonic()
    assert keys.wait_key(0.3) is None
    assert time.monotonic() - started >= 0.29  # not cut short by the Page Up
