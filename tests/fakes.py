"""Fakes for tests, kept out of the package: a clock that moves only when told, keys pressed at
scripted times, and a person whose answers are scripted."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from backcoach.errors import BadInput
from backcoach.safety.flow import INPUT_ENDED

Reply = bool | int


@dataclass
class ScriptedPrompter:
    """A prompter for tests: replies come from a list (in order) or a function of the question."""

    answers: Iterable[Reply] | Callable[[str], Reply] = ()
    interactive: bool = True
    said: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    defaults: dict[str, bool | None] = field(default_factory=dict)  # by yes/no question

    def __post_init__(self) -> None:
        self._queue = None if callable(self.answers) else list(self.answers)

    def say(self, text: str) -> None:
        """Keep the line for the test to read."""
        self.said.append(text)

    def ask_yes_no(self, question: str, default: bool | None = None) -> bool:
        """The next scripted reply, which must be a bool (`default` is what Enter would give
        at a terminal: kept in `defaults` for the test to read)."""
        self.defaults[question] = default
        reply = self._next(question)
        if not isinstance(reply, bool):
            raise AssertionError(f"expected a yes/no reply to {question!r}, got {reply!r}")
        return reply

    def ask_number(self, question: str, low: int, high: int) -> int:
        """The next scripted reply, which must be a whole number from low to high."""
        reply = self._next(question)
        if isinstance(reply, bool) or not low <= reply <= high:
            raise AssertionError(f"expected {low}-{high} for {question!r}, got {reply!r}")
        return reply

    def _next(self, question: str) -> Reply:
        self.asked.append(question)
        if self._queue is None:
            assert callable(self.answers)
            return self.answers(question)
        if not self._queue:
            raise BadInput(INPUT_ENDED)
        return self._queue.pop(0)


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


class FakeMsvcrt:
    """msvcrt's kbhit and getch for tests on any system: key presses at scripted times on a
    FakeClock, [(seconds after start, the bytes the key gives)]. A special key gives its
    prefix and scan code (b"\\xe0H" is Up); like the C runtime, the scan code is waiting
    (kbhit is true) as soon as the prefix has been read."""

    def __init__(self, clock: FakeClock, script: Iterable[tuple[float, bytes]]) -> None:
        self.clock = clock
        self.start = clock.now()
        self.presses = sorted(script, key=lambda item: item[0])
        self.polls = 0  # kbhit calls, for tests of how the wait waits
        self._idle = 0  # kbhit calls since the last press was read

    def _due(self) -> bytes:
        while self.presses and not self.presses[0][1]:
            self.presses.pop(0)
        if self.presses and self.start + self.presses[0][0] <= self.clock.now():
            return self.presses[0][1]
        return b""

    def kbhit(self) -> bool:
        """True when a key press (or the rest of one) is due. Polled on and on with no press
        left, the session waits for a key the script never gives: an error, not a hang."""
        self.polls += 1
        due = self._due()
        if not due and not self.presses:
            self._idle += 1
            if self._idle > 100_000:
                raise AssertionError("the session waits for a key but the script has none left")
        return bool(due)

    def getch(self) -> bytes:
        """The next byte of the key press that is due; msvcrt would block without one."""
        due = self._due()
        if not due:
            raise AssertionError("getch() without a key waiting would block forever")
        at, _ = self.presses[0]
        self.presses[0] = (at, due[1:])
        return due[:1]


def windows_which(cmd: str, mode: int = 1, path: str | None = None) -> str | None:
    """shutil.which as Windows answers it, for tests that set sys.platform to win32 on Linux
    (shutil's own Windows branch needs _winapi): each PATH folder is searched for the name
    with each PATHEXT extension (powershell is found as powershell.exe)."""
    import os

    extensions = [""] + [ext for ext in os.environ.get("PATHEXT", ".EXE").split(os.pathsep)
                         if ext]
    for folder in (path or os.environ.get("PATH", "")).split(os.pathsep):
        for ext in extensions:
            candidate = os.path.join(folder, cmd + ext)
            if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                return candidate
    return None
