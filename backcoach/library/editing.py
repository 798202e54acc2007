"""Open a file in the person's editor and check it when the editor closes, until it is valid.

The editor, the check and the "edit again?" question are passed in, so the loop is tested
without a terminal; `editor_command` and `open_in_editor` are the real ones. The two workflows
of the CLI live here too: `edit_definition` (`backcoach edit ID`) and `edit_settings`
(`backcoach config --edit`); the CLI only prints what they return.
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

from backcoach import homefiles
from backcoach.errors import BackcoachError, BadInput, Problem, StillInvalid
from backcoach.library import config, scaffold
from backcoach.library.catalog import Parsed, load_catalog, shown_path
from backcoach.library.loading import validate_files

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


def real_editor() -> Callable[[Path], None]:
    """The person's editor as a function that edits one file; raises when there is none."""
    editor = editor_command()
    return lambda path: open_in_editor(editor, path)


def _to_stderr(text: str) -> None:
    # Messages for the person go to stderr, so stdout carries only what scripts read.
    print(text, file=sys.stderr)


Check = Callable[[Path], Sequence[Problem]]
Say = Callable[[str], None]
# Makes the editor when it is needed (after the checks that need none), as `real_editor` does.
EditorFactory = Callable[[], Callable[[Path], None]]


def edit_until_valid(path: Path, edit: Callable[[Path], None], check: Check,
                     again: Callable[[], bool] | None, show: Say = _to_stderr) -> list[Problem]:
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
            show(str(problem))
        if again is None or not again():
            return problems


@dataclass(frozen=True)
class Edited:
    """How `edit_definition` ended with a valid file: what the CLI tells the person."""

    ident: str
    path: Path
    removed: bool = False  # an unchanged copy of a built-in, deleted again
    warnings: tuple[Problem, ...] = ()  # advice such as a better order; the file is used
    routine: bool = False  # the id names a routine in force (else an exercise)
    replaces_builtin: bool = False


def edit_definition(ident: str, editor: EditorFactory, again: Callable[[], bool] | None,
                    say: Say = _to_stderr) -> Edited:
    """Edit the person's file for an exercise or routine until it is valid (`backcoach edit`).

    A built-in is copied into the user's folder first, and the copy is removed again when the
    edit changed nothing. `say` shows what happens on the way (the copy, each problem).
    Raises StillInvalid when the person stops with problems left, BadInput for an unknown id
    or more than one file for it.
    """
    catalog = load_catalog(strict=False)
    files = scaffold.user_files_named(ident)
    if len(files) > 1:
        raise BadInput(f"you have {len(files)} files for '{ident}': "
                       + ", ".join(shown_path(f) for f in files) + "; keep one")
    edit = editor()  # no editor: say so before copying anything
    copied = not files
    if files:
        path = files[0]
        homefiles.check_editable(path)  # an editor would follow a dangling link
    else:
        try:
            definition: Parsed = catalog.get(ident)
        except BadInput as exc:
            if ident not in catalog.lessons:
                raise BadInput(f"{exc}; `backcoach new routine {ident}` or `backcoach new "
                               f"exercise {ident}` starts a new one") from None
            definition = catalog.lessons[ident]
        path = scaffold.copy_builtin(definition)
        kind = scaffold.kind_of_definition(definition)
        say(f"Copied the built-in {kind} '{ident}' to {shown_path(path)}. Your copy replaces "
            "the built-in one while it exists; delete it to go back.")
    scaffold.write_schema_files()
    before = path.read_text(encoding="utf-8") if copied else ""  # our own copy, just made
    warnings: list[Problem] = []

    def check(target: Path) -> list[Problem]:
        found = validate_files([target])
        warnings[:] = found.warnings  # those of the last check, the one that counts
        return found.problems

    problems = edit_until_valid(path, edit, check, again, say)
    if problems:
        count = len(problems)
        raise StillInvalid(
            f"{shown_path(path)} still has {count} problem{'s' if count != 1 else ''} (above), "
            "so it is not used, and `backcoach run` will not start until it is fixed. "
            f"`backcoach edit {ident}` opens it again.", problems)
    if copied and _text(path) == before:
        path.unlink()
        return Edited(ident, path, removed=True)
    catalog = load_catalog(strict=False)
    return Edited(ident, path, warnings=tuple(warnings), routine=ident in catalog.routines,
                  replaces_builtin=ident in catalog.replaced)


def _text(path: Path) -> str | None:
    """The file's text, or None when it is gone or unreadable (the editor may have moved it)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def edit_settings(editor: EditorFactory, again: Callable[[], bool] | None,
                  say: Say = _to_stderr) -> Path:
    """Edit config.yaml until it is valid (`backcoach config --edit`); return its path.

    A commented file is written first when there is none. Raises StillInvalid when the person
    stops with problems left.
    """
    path = config.settings_path()
    if not os.path.lexists(path):
        homefiles.create_file(path, scaffold.settings_template())
    homefiles.check_editable(path)  # an editor would follow a dangling link
    scaffold.write_schema_files()

    def check(target: Path) -> list[Problem]:
        settings, problems = config.read_settings(target)
        catalog = load_catalog(strict=False)
        return problems + config.routine_problems(settings, catalog.routines, catalog.exercises)

    problems = edit_until_valid(path, editor(), check, again, say)
    if problems:
        raise StillInvalid(f"{shown_path(path)} still has problems (above); `backcoach run` will "
                           "not start until they are fixed. `backcoach config --edit` opens it "
                           "again.", problems)
    return path
