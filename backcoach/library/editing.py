"""Open a file in the person's editor and check it when the editor closes, until it is valid.

The editor, the check and the "edit again?" question are passed in, so the loop is tested
without a terminal; `editor_command` and `open_in_editor` are the real ones.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from backcoach.errors import BackcoachError, BadInput, Problem

# Tried in order when neither $VISUAL nor $EDITOR is set: a friendly one first.
FALLBACK_EDITORS = ("notepad",) if sys.platform == "win32" else ("nano", "vi")


@dataclass(frozen=True)
class Editor:
    """A command to run with the file name appended, and where it came from (for messages)."""

    args: tuple[str, ...]
    source: str  # "$VISUAL", "$EDITOR" or "fallback"


def editor_command(env: Mapping[str, str] | None = None,
                   which: Callable[[str], str | None] = shutil.which) -> Editor:
    """$VISUAL, else $EDITOR (split like a shell does: `code -w`), else nano or vi."""
    env = os.environ if env is None else env
    for name in ("VISUAL", "EDITOR"):
        value = env.get(name, "").strip()
        if not value:
            continue
        try:
            args = shlex.split(value, posix=sys.platform != "win32")
        except ValueError as exc:
            raise BadInput(f"${name} is not a command backcoach can run ({exc}): {value}") from None
        if args:
            return Editor(tuple(args), f"${name}")
    for program in FALLBACK_EDITORS:
        found = which(program)
        if found:
            return Editor((found,), "fallback")
    raise BackcoachError("no text editor found: set EDITOR, for example `export EDITOR=nano`, "
                         "or open the file in any editor and check it with `backcoach validate`")


def open_in_editor(editor: Editor, path: Path) -> None:
    """Run the editor on the file and wait for it to close."""
    try:
        done = subprocess.run([*editor.args, str(path)], check=False)
    except OSError as exc:
        raise BackcoachError(f"cannot start the editor '{editor.args[0]}' (from {editor.source}): "
                             f"{exc.strerror or exc}; set EDITOR to an installed editor, such as "
                             "nano") from None
    if done.returncode != 0:
        # The file may still have been saved, so it is checked all the same.
        print(f"The editor exited with status {done.returncode}.", file=sys.stderr)


Check = Callable[[Path], Sequence[Problem]]


def edit_until_valid(path: Path, edit: Callable[[Path], None], check: Check,
                     again: Callable[[], bool] | None) -> list[Problem]:
    """Edit, check, and while there are problems show them and offer another edit.

    `again` asks the person whether to edit again; None (no terminal) means no second try.
    Returns the problems left: empty when the file is valid.
    """
    while True:
        edit(path)
        problems = sorted(check(path))
        if not problems:
            return []
        for problem in problems:
            print(problem, file=sys.stderr)
        if again is None or not again():
            return problems
