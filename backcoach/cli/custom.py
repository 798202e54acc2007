"""Commands for writing your own files: new, edit, config."""

import sys
from collections.abc import Callable
from pathlib import Path

import typer

from backcoach.cli.complete import complete_any

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes


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
                               show_default=False, metavar="ID",
                               autocompletion=complete_any),
    name: str = typer.Option(None, "--name", help="The name the copy made with --from is "
                             "shown by; default: one made from its id (my-morning: My "
                             "morning).", show_default=False, metavar="TEXT"),
) -> None:
    """Write a new exercise, routine or lesson file in your folder, ready to change, and print
    its path.

    The file explains every field in comments and is valid as it stands. Its first line lets
    editors with yaml-language-server check and complete it as you type.

    Example: backcoach new routine my-morning --from daily
    """
    from backcoach.errors import BadInput, InvalidFiles
    from backcoach.library import scaffold
    from backcoach.library.catalog import load_catalog, shown_path
    from backcoach.library.loading import validate_files

    if name is not None and source is None:
        raise BadInput("--name names a copy made with --from; a new file's name is in the file")
    catalog = load_catalog(strict=False)
    path = scaffold.new_file(catalog, kind, ident, source, name)
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
                                metavar="ID", autocompletion=complete_any),
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
    as_json: bool = typer.Option(False, "--json", help="Print JSON: the file, and each "
                                 "setting's value and where it comes from."),
) -> None:
    """Show the settings in force (sound, voice, default routine, re-screen days, countdown)
    and the file they come from.

    Settings live in config.yaml in your folder; command-line flags override them.

    Example: backcoach config --edit
    """
    import json

    from backcoach.library import config, editing
    from backcoach.library.catalog import shown_path
    from backcoach.library.settings import load_settings
    from backcoach.render.text import Column, Page, page_width

    path = (editing.edit_settings(editing.real_editor, _ask_again(), _say) if edit
            else config.settings_path())
    settings = load_settings(path)
    rows = [(name, config.FIELDS_BY_NAME[name].check.show(value),
             "config.yaml" if name in settings.given else "default")
            for name, value in settings.values().items()]
    if as_json:
        typer.echo(json.dumps({"file": str(path), "exists": bool(settings.path), "settings": {
            name: {"value": value, "from": origin} for (name, _, origin), value
            in zip(rows, settings.values().values(), strict=True)}}, indent=2))
        return
    page = Page(page_width())
    if settings.path:
        page.add(f"Settings from {shown_path(path)}:")
    else:
        page.add(f"No settings file yet ({shown_path(path)}); these are the defaults. "
                 "`backcoach config --edit` writes one.")
    if not page.table([Column("setting"), Column("value", wrap=True), Column("from")], rows):
        for name, shown, origin in rows:
            page.add(f"{name}: {shown} ({origin})")
    page.add("Flags on the command line override these for one run.")
    page.write()
