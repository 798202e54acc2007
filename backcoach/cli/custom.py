"""Commands for writing your own files: new, edit, config."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from backcoach.cli import app

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from backcoach.errors import Problem


def _say(text: str) -> None:
    """A message for the person, on stderr, so stdout carries only what scripts read."""
    print(text, file=sys.stderr)


def _ask_again() -> bool:
    from rich.console import Console

    from backcoach.safety.flow import ConsolePrompter

    return ConsolePrompter(Console(stderr=True, highlight=False)).ask_yes_no("Edit it again?")


def _edit(path: Path, check: Callable[[Path], Sequence[Problem]]) -> list[Problem]:
    """Open the editor until the file passes `check` or the person stops; the problems left."""
    from backcoach.library import editing

    editor = editing.editor_command()
    again = _ask_again if sys.stdin.isatty() else None
    return editing.edit_until_valid(path, lambda p: editing.open_in_editor(editor, p), check,
                                    again)


@app.command("new")
def new_command(
    kind: str = typer.Argument(..., help="exercise or routine", metavar="exercise|routine"),
    ident: str = typer.Argument(..., help="The new id: lowercase letters, digits and hyphens, "
                                "such as my-morning. It becomes the file name.", metavar="ID"),
    source: str = typer.Option(None, "--from", help="Start from a copy of this exercise or "
                               "routine (built-in or yours) instead of the template.",
                               show_default=False, metavar="ID"),
) -> None:
    """Write a new exercise or routine file in your folder, ready to change, and print its path.

    The file explains every field in comments and is valid as it stands. Its first line lets
    editors with yaml-language-server check and complete it as you type.

    Example: backcoach new routine my-morning --from daily
    """
    from backcoach.errors import InvalidFiles
    from backcoach.library import scaffold
    from backcoach.library.catalog import load_catalog, shown_path, validate_files

    catalog = load_catalog(strict=False)
    path = scaffold.new_file(catalog, kind, ident, source)
    found = validate_files([path])
    if found.problems:  # a copy of a file that refers to something now broken
        raise InvalidFiles(found.problems)
    typer.echo(shown_path(path))  # as every message shows it; relative only inside this folder
    for warning in found.warnings:
        _say(str(warning))
    run = f"backcoach run {ident}" if kind == "routine" else f"backcoach run --only {ident}"
    _say(f"Wrote a new {kind}. Change it with `backcoach edit {ident}` (or any editor), then "
         f"try it: `{run}`.")


@app.command("edit")
def edit_command(
    ident: str = typer.Argument(..., help="An exercise or routine id, such as daily.",
                                metavar="ID"),
) -> None:
    """Open your copy of an exercise or routine in your editor, and check it when you close it.

    A built-in one is copied into your folder first; your copy then replaces it. The editor is
    $VISUAL, else $EDITOR (such as "code -w"), else nano or vi. When the file has problems they
    are listed and, in a terminal, you can edit it again; a file with problems is never used.

    Example: backcoach edit daily
    """
    from backcoach.errors import BadInput, ExitCode
    from backcoach.library import editing, scaffold
    from backcoach.library.catalog import load_catalog, shown_path, validate_files

    catalog = load_catalog(strict=False)
    files = scaffold.user_files_named(ident)
    if len(files) > 1:
        raise BadInput(f"you have {len(files)} files for '{ident}': "
                       + ", ".join(shown_path(f) for f in files) + "; keep one")
    editing.editor_command()  # no editor: say so before copying anything
    copied = not files
    if files:
        path = files[0]
    else:
        try:
            definition = catalog.get(ident)
        except BadInput as exc:
            raise BadInput(f"{exc}; `backcoach new routine {ident}` or `backcoach new exercise "
                           f"{ident}` starts a new one") from None
        path = scaffold.copy_builtin(definition)
        kind = scaffold.kind_of_definition(definition)
        _say(f"Copied the built-in {kind} '{ident}' to {shown_path(path)}. Your copy replaces "
             "the built-in one while it exists; delete it to go back.")
    scaffold.write_schema_files()
    before = path.read_text(encoding="utf-8")
    warnings: list[Problem] = []

    def check(target: Path) -> list[Problem]:
        found = validate_files([target])
        warnings[:] = found.warnings
        return found.problems

    problems = _edit(path, check)
    shown = shown_path(path)
    if problems:
        count = len(problems)
        _say(f"Error: {shown} still has {count} problem{'s' if count != 1 else ''} (above), so "
             "it is not used, and `backcoach run` will not start until it is fixed. "
             f"`backcoach edit {ident}` opens it again.")
        raise typer.Exit(int(ExitCode.BAD_INPUT))
    if copied and path.read_text(encoding="utf-8") == before:
        path.unlink()
        _say(f"No changes, so your copy was removed; the built-in '{ident}' stays in force.")
        return
    for warning in warnings:
        _say(str(warning))
    catalog = load_catalog(strict=False)
    run = f"backcoach run {ident}" if ident in catalog.routines else f"backcoach run --only {ident}"
    replaces = " (it replaces the built-in one)" if ident in catalog.replaced else ""
    typer.echo(f"{shown} is valid and in force{replaces}. Try it: `{run}`.")


@app.command("config")
def config_command(
    edit: bool = typer.Option(False, "--edit", help="Open config.yaml in your editor (writing "
                              "a commented one first when there is none) and check it."),
) -> None:
    """Show the settings in force (sound, voice, default routine, re-screen days, countdown)
    and the file they come from.

    Settings live in config.yaml in your folder; command-line flags override them.

    Example: backcoach config --edit
    """
    from backcoach.errors import ExitCode
    from backcoach.library import config, scaffold
    from backcoach.library.catalog import load_catalog, shown_path

    path = config.settings_path()
    if edit:
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(scaffold.settings_template(), encoding="utf-8")
        scaffold.write_schema_files()

        def check(target: Path) -> list[Problem]:
            settings, problems = config.read_settings(target)
            catalog = load_catalog(strict=False)
            return problems + config.routine_problems(settings, catalog.routines,
                                                      catalog.exercises)

        if _edit(path, check):
            _say(f"Error: {shown_path(path)} still has problems (above); `backcoach run` will "
                 "not start until they are fixed. `backcoach config --edit` opens it again.")
            raise typer.Exit(int(ExitCode.BAD_INPUT))
    settings = config.load_settings(path)
    if settings.path:
        typer.echo(f"Settings from {shown_path(path)}:")
    else:
        typer.echo(f"No settings file yet ({shown_path(path)}); these are the defaults. "
                   "`backcoach config --edit` writes one.")
    width = max(len(name) for name in settings.values())
    for name, value in settings.values().items():
        shown = ("true" if value else "false") if isinstance(value, bool) else str(value)
        origin = "set in config.yaml" if name in settings.given else "default"
        typer.echo(f"  {name:<{width}}  {shown:<8}  {origin}")
    typer.echo("Flags on the command line override these for one run.")
