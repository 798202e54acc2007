"""Time for the runner: a monotonic clock in real use, a fake one in tests."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Seconds on a clock that never jumps (wall-clock changes must not move a timer)."""

    def now(self) -> float:
        """Current reading in seconds."""


class MonotonicClock:
    """The real clock: time.monotonic."""

    def now(self) -> float:
        """Current reading of time.monotonic()."""
        return time.monotonic()


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


def utc_now() -> datetime:
    """Wall-clock time in UTC, only for stamping history rows."""
    return datetime.now(UTC)
