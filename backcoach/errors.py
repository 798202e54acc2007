"""Errors the core raises and the CLI turns into one-line messages and exit codes."""

from __future__ import annotations

from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """Exit codes of the command-line contract."""

    OK = 0
    FAILURE = 1
    BAD_INPUT = 2
    SAFETY_STOP = 3
    HANGUP = 129  # 128 + SIGHUP, as shells report it
    INTERRUPTED = 130  # 128 + SIGINT (Ctrl-C)
    TERMINATED = 143  # 128 + SIGTERM


class Problem(NamedTuple):
    """One problem in one file, at a 1-based line and column; sorts by position.

    `hidden` > 0 marks the line that stands for that many problems not listed (a file with
    too many to show each). A named tuple, not a dataclass: every command imports it, and a
    frozen, ordered dataclass costs more to define at start-up than the rest of this module.
    """

    path: str
    line: int
    col: int
    message: str
    hidden: int = 0

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class BackcoachError(Exception):
    """An error a user can cause; the CLI prints it without a traceback."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, exit_code: ExitCode | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class Declined(BackcoachError):
    """The person chose not to go on (they declined the first-run statement): nothing has
    started, and that is their choice, not a failure nor bad input, so the exit code is 0
    and the message is shown without `Error:`."""

    exit_code = ExitCode.OK


class BadInput(BackcoachError):
    """Usage errors and unknown names (exit 2)."""

    exit_code = ExitCode.BAD_INPUT


class InvalidFiles(BackcoachError):
    """One or more YAML files have problems (exit 2); every problem is kept, sorted."""

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        count = sum(problem.hidden or 1 for problem in self.problems)
        super().__init__(f"{count:,} problem{'s' if count != 1 else ''} found")


class SafetyStop(BackcoachError):
    """A session may not start for safety reasons (exit 3)."""

    exit_code = ExitCode.SAFETY_STOP


class StillInvalid(BackcoachError):
    """A file the person edited still has problems when they stop editing (exit 2).

    The problems were already shown, one a line, while editing; the message says what that
    means and which command opens the file again.
    """

    exit_code = ExitCode.BAD_INPUT

    def __init__(self, message: str, problems: list[Problem]) -> None:
        super().__init__(message)
        self.problems = sorted(problems)
