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


def utc_now() -> datetime:
    """Wall-clock time in UTC, only for stamping history rows."""
    return datetime.now(UTC)
