"""Key input for a session. `wait_key(timeout)` is both the sleep and the key read, so the
runner never busy-polls: it blocks in one select() until a key arrives or the timeout ends."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from types import TracebackType
from typing import Any, Protocol, TextIO

# Names for keys that arrive as escape sequences or control bytes.
ESCAPE = "escape"
ENTER = "enter"
_SEQUENCES = {"\x1b[A": "up", "\x1b[B": "down", "\x1b[C": "right", "\x1b[D": "left"}


class KeySource(Protocol):
    """Where keys come from."""

    def wait_key(self, timeout: float | None) -> str | None:
        """Wait up to `timeout` seconds (None: until a key); return the key, or None."""


class NoKeys:
    """No keyboard (stdin is not a terminal): waiting is just sleeping."""

    def wait_key(self, timeout: float | None) -> str | None:
        """Sleep for the timeout and report no key. A pause cannot happen without keys."""
        time.sleep(max(0.0, timeout if timeout is not None else 0.05))
        return None


class TerminalKeys:
    """Single keys from a terminal without Enter. Use as a context manager: the terminal's
    settings are restored on every way out (normal end, exception, Ctrl-C, SIGTERM handlers
    that raise)."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdin
        self.fd = self.stream.fileno()
        self._saved: list[Any] | None = None
        # Keys that arrived together in one read (q q typed fast, a paste): given one by one.
        self._pending: list[str] = []

    def __enter__(self) -> TerminalKeys:
        import termios
        import tty

        self._saved = termios.tcgetattr(self.fd)
        # cbreak, not raw: keys arrive one at a time without echo, and Ctrl-C still sends SIGINT.
        tty.setcbreak(self.fd)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.restore()

    def restore(self) -> None:
        """Put the terminal back as it was (idempotent)."""
        if self._saved is None:
            return
        import termios

        with contextlib.suppress(termios.error, OSError):  # a closed terminal: nothing to do
            termios.tcsetattr(self.fd, termios.TCSADRAIN, self._saved)
        self._saved = None

    def wait_key(self, timeout: float | None) -> str | None:
        """Block in select() for up to `timeout` seconds; decode one key. Keys that arrived
        in the same read come next, without waiting."""
        if self._pending:
            return self._pending.pop(0)
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return None
        data = os.read(self.fd, 32).decode("utf-8", errors="ignore")
        if not data:
            return None
        if data in _SEQUENCES:
            return _SEQUENCES[data]
        if data.startswith("\x1b"):
            return ESCAPE
        keys = [ENTER if char in "\r\n" else char for char in data.replace("\r\n", "\n")]
        self._pending = keys[1:]
        return keys[0]
