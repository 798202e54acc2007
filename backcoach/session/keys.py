"""Key input for a session. `wait_key(timeout)` is both the sleep and the key read, so the
runner never busy-polls: it blocks in one select() until a key arrives or the timeout ends."""

from __future__ import annotations

import contextlib
import os
import select
import sys
import time
from collections import deque
from types import TracebackType
from typing import Any, Protocol, TextIO

# The key names a session follows (ENTER, ESCAPE, the arrows ...) and how bytes become them.
from backcoach.session.keydecode import ENTER as ENTER
from backcoach.session.keydecode import ESCAPE as ESCAPE
from backcoach.session.keydecode import split_keys


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
        self._pending: deque[str] = deque()  # keys read together, handed out one at a time

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
        """Block in select() for up to `timeout` seconds; decode one key. Keys read together
        come out one per call; a key no session uses does not end the wait early."""
        if self._pending:
            return self._pending.popleft()
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self.fd], [], [], left)
            if not ready:
                return None
            data = os.read(self.fd, 32).decode("utf-8", errors="ignore")
            if not data:
                return None
            self._pending.extend(split_keys(data))
            if self._pending:
                return self._pending.popleft()
            if deadline is not None and time.monotonic() >= deadline:
                return None


def terminal_keys() -> contextlib.AbstractContextManager[KeySource]:
    """Keys from the terminal this program runs in: the Windows console through msvcrt
    (backcoach.session.winkeys), a POSIX terminal (termios) everywhere else."""
    if sys.platform == "win32":
        from backcoach.session.winkeys import WindowsKeys

        return WindowsKeys()
    return TerminalKeys()
