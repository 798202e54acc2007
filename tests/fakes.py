"""Fakes for tests: a clock that moves only when told, keys pressed at scripted times."""

from __future__ import annotations

from collections.abc import Iterable


class FakeClock:
    """A clock that moves only when told to; `sleep` advances it."""

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start

    def now(self) -> float:
        """Current fake reading."""
        return self._now

    def advance(self, seconds: float) -> None:
        """Move time forward (never back)."""
        self._now += max(0.0, seconds)


class ScriptedKeys:
    """Keys pressed at given times on a FakeClock, for tests: [(seconds after start, key)]."""

    def __init__(self, clock: FakeClock, script: Iterable[tuple[float, str]]) -> None:
        self.clock = clock
        self.start = clock.now()
        self.pending = sorted(script, key=lambda item: item[0])

    def wait_key(self, timeout: float | None) -> str | None:
        """Advance the fake clock to the next key or by the timeout, whichever comes first."""
        now = self.clock.now()
        if self.pending:
            at, key = self.pending[0]
            due = self.start + at
            if timeout is None or due <= now + timeout:
                self.pending.pop(0)
                self.clock.advance(due - now)
                return key
        if timeout is None:
            raise RuntimeError("the script waits for a key but has none left")
        self.clock.advance(timeout)
        return None
