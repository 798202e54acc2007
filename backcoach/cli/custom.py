"""Commands for writing your own files: new, edit, config."""

import sys
from collections.abc import Callable
from pathlib import Path

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer()


def _say(text: str) -> None:
    """A message for the person, on stderr, so stdout carries only what scripts read."""
    print(text, file=sys.stderr)


def _ask_again() -> Callable[[], bool] | None:
    """The "edit it again?" question on the terminal; None when no one can answer it."""
    if not sys.stdin.isatty():
        return None
    from backcoach.safety.flow import ConsolePrompter

    return lambda: ConsolePrompter(sys.stderr).ask_yes_no("Edit it again?")


def _kind(routine: bool, path: Path) -> str:
    """routine, lesson (a file in a lessons folder) or exercise."""
    return "routine" if routine else "lesson" if path.parent.name == "lessons" else "exercise"


def _try_it(ident: str, kind: str) -> str:
    """The command that runs a routine or just one exercise, or shows a lesson."""
    if kind == "lesson":
        return f"backcoach learn {ident}"
    return f"backcoach run {ident}" if kind == "routine" else f"backcoach run --only {ident}"


@app.command("new")
def new_command(
    kind: str = typer.Argument(..., help="exercise, routine or lesson",
                               metavar="exercise|routine|lesson"),
    ident: str = typer.Argument(..., help="The new id: lowercase letters, digits and hyphens, "
                                "such as my-morning. It becomes the file name.", metavar="ID"),
    source: str = typer.Option(None, "--from", help="Start from a copy of this exercise or "
                               "routine (built-in or yours) instead of the template.",
                               show_default=False, metavar="ID"),
) -> None:
    """Write a new exercise, routine or lesson file in your folder, ready to change, and print
    its path.

    The file explains every field in comments and is valid as it stands. Its first line lets
    editors with yaml-language-server check and complete it as you type.

    Example: backcoach new routine my-morning --from daily
    """
    from backcoach.errors import InvalidFiles
    from backcoach.library import scaffold
    from backcoach.library.catalog import load_catalog, shown_path
    from backcoach.library.loading import validate_files

    catalog = load_catalog(strict=False)
    path = scaffold.new_file(catalog, kind, ident, source)
    found = validate_files([path])
    if found.problems:  # a copy of a file that refers to something now broken
        raise InvalidFiles(found.problems)
    typer.echo(shown_path(path))  # as every message shows it; relative only inside this folder
    for warning in found.warnings:
        _say(str(warning))
    _say(f"Wrote a new {kind}. Change it with `backcoach edit {ident}` (or any editor), then "
         f"try it: `{_try_it(ident, kind)}`.")


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
    from backcoach.library import editing
    from backcoach.library.catalog import shown_path

    edited = editing.edit_definition(ident, editing.real_editor, _ask_again(), _say)
    if edited.removed:
        _say(f"No changes, so your copy was removed; the built-in '{ident}' stays in force.")
        return
    for warning in edited.warnings:
        _say(str(warning))
    replaces = " (it replaces the built-in one)" if edited.replaces_builtin else ""
    typer.echo(f"{shown_path(edited.path)} is valid and in force{replaces}. "
               f"Try it: `{_try_it(ident, _kind(edited.routine, edited.path))}`.")


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
    from backcoach.library import config, editing
    from backcoach.library.catalog import shown_path
    from backcoach.library.settings import load_settings

    path = (editing.edit_settings(editing.real_editor, _ask_again(), _say) if edit
            else config.settings_path())
    settings = load_settings(path)
    if settings.path:
        typer.echo(f"Settings from {shown_path(path)}:")
    else:
        typer.echo(f"No settings file yet ({shown_path(path)}); these are the defaults. "
                   "`backcoach config --edit` writes one.")
    width = max(len(name) for name in settings.values())
    # Each value as the file writes it (08:30, mon,wed,fri, 45m), by its field's own check.
    shown = {spec.name: spec.check.show(getattr(settings, spec.name)) for spec in config.FIELDS}
    value_width = max(8, *(len(text) for text in shown.values()))
    for name in settings.values():
        origin = "set in config.yaml" if name in settings.given else "default"
        typer.echo(f"  {name:<{width}}  {shown[name]:<{value_width}}  {origin}")
    typer.echo("Flags on the command line override these for one run.")
