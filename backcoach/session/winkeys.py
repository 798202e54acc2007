"""Keys from the Windows console, through msvcrt: the same KeySource as a POSIX terminal.

Only this module imports msvcrt, and only when a WindowsKeys is made (on Windows), so every
other module imports anywhere. The console needs no mode change for single keys without
echo: msvcrt reads key presses, not lines. Ctrl-C is not a key here: with the console's
default input mode Windows turns it into SIGINT, which ends the session as on a POSIX
terminal (and a Ctrl-C that does arrive as a character is sent on as SIGINT).

msvcrt cannot wait for a key, only say whether one is waiting (`kbhit`). The console's input
handle cannot stand in for a wait either: key releases, focus and mouse events signal it too,
and msvcrt ignores them, so a wait on it would return at once, again and again. So the wait
checks `kbhit` every POLL_SECONDS and sleeps in between (time.sleep, which Ctrl-C interrupts
on Windows): a key is seen within 25 ms, under what a person notices, and the timeout ends
on the monotonic clock, as select() ends it on POSIX.
"""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable
from types import TracebackType
from typing import Protocol, cast

from backcoach.session.keydecode import DELETE, DOWN, LEFT, RIGHT, UP, split_keys

POLL_SECONDS = 0.025
# The console reports special keys as a prefix byte (\x00 from the numeric keypad and function
# keys, \xe0 from the dedicated keys) and then a scan code. Keys not named here (F1-F12,
# Home, End, Page Up ...) mean nothing in a session and are passed over.
_PREFIXES = (b"\x00", b"\xe0")
_SCAN_CODES = {b"H": UP, b"P": DOWN, b"K": LEFT, b"M": RIGHT, b"S": DELETE}
_LONGEST_SEQUENCE = 8  # ESC [ 1 ; 3 D is 6: a virtual-terminal key fits with room to spare


class Console(Protocol):
    """The two msvcrt functions WindowsKeys uses (tests pass a fake).

    getch, not getwch: the C runtime keeps a special key's scan code in a push-back buffer,
    and kbhit() looks only in getch's (getwch has one of its own), so after getch's prefix a
    true kbhit() says the scan code is ready and reading it cannot block. Every key a session
    uses is ASCII, so getch's code-page bytes lose nothing.
    """

    def kbhit(self) -> bool:
        """True when a key press is waiting."""

    def getch(self) -> bytes:
        """The next key press as one byte (blocks until there is one)."""


class WindowsKeys:
    """Single keys from the Windows console, without Enter and without echo.

    Same interface and timeouts as keys.TerminalKeys: `wait_key(timeout)` returns one key
    name (ENTER, ESCAPE, "up" ... or the character) or None when `timeout` seconds pass;
    None as the timeout waits until a key comes. A context manager, like TerminalKeys.
    """

    def __init__(self, console: Console | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.console: Console = console if console is not None else _msvcrt()
        self.clock = clock
        self.sleep = sleep
        self._pending: deque[str] = deque()

    def __enter__(self) -> WindowsKeys:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.restore()

    def restore(self) -> None:
        """Nothing to put back: the console's mode was never changed (kept for symmetry with
        TerminalKeys, which callers may restore)."""

    def wait_key(self, timeout: float | None) -> str | None:
        """Wait up to `timeout` seconds (None: until a key); return the key, or None."""
        if self._pending:
            return self._pending.popleft()
        deadline = None if timeout is None else self.clock() + timeout
        while True:
            while self.console.kbhit():
                self._pending.extend(self._read_key())
                if self._pending:
                    return self._pending.popleft()
            if deadline is None:
                self.sleep(POLL_SECONDS)
                continue
            left = deadline - self.clock()
            if left <= 0:
                return None
            self.sleep(min(POLL_SECONDS, left))

    def _read_key(self) -> list[str]:
        """One key press: a special key's scan code, a virtual-terminal sequence (Windows
        Terminal can send arrows as ESC [ A), or a character."""
        byte = self.console.getch()
        if byte in _PREFIXES:
            return self._special()
        if byte == b"\x03":  # Ctrl-C read as a key (processed input is off): what it means
            signal.raise_signal(signal.SIGINT)
            return []
        text, after = _ascii(byte), []
        if byte == b"\x1b":  # Escape alone, or the start of a sequence sent all at once
            while len(text) < _LONGEST_SEQUENCE and self.console.kbhit():
                following = self.console.getch()
                if following in _PREFIXES:  # Escape, then an arrow key
                    after = self._special()
                    break
                text += _ascii(following)
        return split_keys(text) + after

    def _special(self) -> list[str]:
        """The key a scan code names, after its prefix; none for keys sessions do not use.

        The scan code waits in the push-back buffer, so kbhit() is true at once; when it is
        not, the prefix byte was a typed letter (0xE0 is α in code page 437, Ó in 850)."""
        if not self.console.kbhit():
            return []
        return [key] if (key := _SCAN_CODES.get(self.console.getch())) else []


def _msvcrt() -> Console:
    import msvcrt  # Windows only; imported by nothing else

    return cast(Console, msvcrt)  # the module has the two functions (typeshed: Windows only)


def _ascii(byte: bytes) -> str:
    """The character of a plain key; '' for a byte of the console's code page above ASCII
    (no session key is one, and 0xA0 must not read as a Mac's Option-Space)."""
    return byte.decode("ascii", errors="ignore")
