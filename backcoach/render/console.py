"""The rich console a session prints through (its messages and summary); the live view makes
its own for the screen it redraws. Pages (list, show, history, progress) are plain text:
render/text.py."""

from __future__ import annotations

import os
import shutil
from typing import TextIO

from rich.console import Console

# Narrower than this, a page is one letter a line; COLUMNS below it is taken as this.
MIN_COLUMNS = 20


def width_override() -> int | None:
    """A width to use instead of what rich would take from COLUMNS, or None to let rich choose.

    rich takes COLUMNS=0 at its word and prints nothing at all; a tiny value prints a letter
    a line. 0 is read as "not set" (the terminal's own width, else 80), 1 to 19 as 20.
    """
    value = os.environ.get("COLUMNS", "").strip()
    if not value.isdigit():
        return None  # unset, or words rich ignores too
    columns = int(value)
    if columns >= MIN_COLUMNS:
        return None
    if columns == 0:
        saved = os.environ.pop("COLUMNS")
        try:
            return max(MIN_COLUMNS, shutil.get_terminal_size().columns)
        finally:
            os.environ["COLUMNS"] = saved
    return MIN_COLUMNS


def console(stderr: bool = False, file: TextIO | None = None) -> Console:
    """A console that respects NO_COLOR and COLUMNS and is plain when not on a terminal.

    Highlighting and emoji codes are off: text from files and from the person is shown as
    written.
    """
    return Console(file=file, stderr=stderr, highlight=False, emoji=False,
                   width=width_override())
