"""Fakes for tests: stand-ins for the terminal and the person, kept out of the package."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from backcoach.errors import BadInput
from backcoach.safety.flow import NEED_TERMINAL

Reply = bool | int


@dataclass
class ScriptedPrompter:
    """A prompter for tests: replies come from a list (in order) or a function of the question."""

    answers: Iterable[Reply] | Callable[[str], Reply] = ()
    interactive: bool = True
    said: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._queue = None if callable(self.answers) else list(self.answers)

    def say(self, text: str) -> None:
        """Keep the line for the test to read."""
        self.said.append(text)

    def ask_yes_no(self, question: str) -> bool:
        """The next scripted reply, which must be a bool."""
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
            raise BadInput(f"input ended before an answer was given; {NEED_TERMINAL}")
        return self._queue.pop(0)
