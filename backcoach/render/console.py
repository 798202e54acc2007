"""The console every page prints through (list, show, history, progress, messages around a
session); the live session view makes its own for the screen it redraws."""

from __future__ import annotations

from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A console that respects NO_COLOR and COLUMNS and is plain when not on a terminal.

    Highlighting and emoji codes are off: text from files and from the person is shown as
    written.
    """
    return Console(stderr=stderr, highlight=False, emoji=False)
