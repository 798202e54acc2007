"""Commands over the exercise library: list, show, validate, schema."""


from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backcoach.cli.complete import complete_any

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

if TYPE_CHECKING:
    from backcoach.errors import Problem
    from backcoach.library.catalog import Catalog, Definition
    from backcoach.library.loading import Validation


@app.command("list")
def list_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Print straight to the terminal, "
                                  "never through $PAGER."),
) -> None:
    """List every exercise and routine in force, with its dose, time and source.

    Example: backcoach list
    """
    import json

    from backcoach.library.catalog import load_catalog
    from backcoach.render import library_pages as present

    catalog = load_catalog(strict=False)
    rows = present.catalog_rows(catalog)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        present.print_catalog(rows, pager=not no_pager)
    present.warn_problems(catalog)


@app.command("show")
def show_command(
    name: str = typer.Argument(..., help="An exercise or routine id, such as daily.",
                               metavar="ID", autocompletion=complete_any),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    builtin: bool = typer.Option(False, "--builtin",
                                 help="Show the built-in version that a user file replaced."),
    no_picture: bool = typer.Option(False, "--no-picture", help="Leave out the drawing of the "
                                    "position (the steps say it in words; for screen readers)."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Print straight to the terminal, "
                                  "never through $PAGER."),
) -> None:
    """Show an exercise (a picture of the position, steps, dose, cautions, stop signs) or a
    routine (its sequence and times).

    Example: backcoach show knee-to-chest
    """
    import json

    from backcoach.history.screens import read_last_screen
    from backcoach.library.catalog import load_catalog
    from backcoach.render import library_pages as present
    from backcoach.safety.redflags import left_out

    catalog = load_catalog(strict=False)
    definition = _pick(catalog, name, builtin)
    hidden = left_out(definition, catalog, read_last_screen())
    if as_json:
        typer.echo(json.dumps({**present.to_json(definition, catalog), "left_out": hidden},
                              indent=2))
    else:
        present.print_definition(definition, catalog, hidden, pictures=not no_picture,
                                 pager=not no_pager)


def _pick(catalog: "Catalog", name: str, builtin: bool) -> "Definition":
    from backcoach.errors import BadInput

    if builtin:
        if name not in catalog.replaced:
            raise BadInput(f"'{name}' does not replace a built-in; drop --builtin")
        return catalog.replaced[name]
    return catalog.get(name)


SKIPPED_SHOWN = 20  # files passed over that `validate` names; the rest are counted


@app.command("validate")
def validate_command(
    targets: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders, or - for one file on standard input; default: your own "
        "exercise and routine folders and config.yaml.", show_default=False,
        metavar="[PATH]...")] = None,
) -> None:
    """Check exercise and routine files (and config.yaml); print every problem as path:line:col:
    message, and warnings such as a routine order that means getting up and down more than needed.

    Example: backcoach validate my-routine.yaml
    """
    import sys

    from backcoach import paths
    from backcoach.library import config
    from backcoach.library.catalog import load_catalog
    from backcoach.library.loading import validate_files

    if targets and any(str(target) == "-" for target in targets):
        if len(targets) > 1:
            from backcoach.errors import BadInput

            raise BadInput("- (standard input) is checked on its own; name the files in "
                           "another `backcoach validate`")
        from backcoach.library.loading import validate_stdin

        found = validate_stdin(sys.stdin.buffer)
        _report(found, list(found.problems), 1)
        return
    settings_file = config.settings_path()
    if not targets:
        targets = [folder for folder in paths.user_library_dirs() if folder.is_dir()]
        with_settings = settings_file.exists()
        if not targets and not with_settings:
            exercises, routines, lessons = paths.user_library_dirs()
            typer.echo(f"You have no files of your own yet ({exercises}, {routines}, "
                       f"{lessons}); "
                       "nothing to check. `backcoach new routine ID` starts one.")
            return
    else:
        # The settings file is checked as settings, also when a folder holding it is named.
        wanted = settings_file.resolve()
        with_settings = settings_file.exists() and any(
            wanted == t.resolve() or wanted.is_relative_to(t.resolve()) for t in targets)
        targets = [t for t in targets if not t.exists() or t.resolve() != wanted]
    found = validate_files(targets, skip=[settings_file])
    problems, count = list(found.problems), found.files
    if with_settings:
        count += 1
        settings, settings_problems = config.read_settings(settings_file)
        catalog = load_catalog(strict=False)
        problems += settings_problems + config.routine_problems(settings, catalog.routines,
                                                                catalog.exercises)
    _report(found, problems, count)


def _report(found: "Validation", problems: list["Problem"], count: int) -> None:
    """Warnings and files passed over on stderr; every problem (exit 2) or the all-clear."""
    import sys

    from backcoach.errors import InvalidFiles

    for warning in found.warnings:  # advice, not errors: the files are used as they are
        print(warning, file=sys.stderr)
    for path, why in found.skipped[:SKIPPED_SHOWN]:  # never "all valid" unsaid
        print(f"{path}: skipped: {why}", file=sys.stderr)
    if len(found.skipped) > SKIPPED_SHOWN:
        print(f"... and {len(found.skipped) - SKIPPED_SHOWN:,} more files skipped",
              file=sys.stderr)
    if problems:
        raise InvalidFiles(problems)
    notes = [f"{len(found.warnings)} warning{'s' if len(found.warnings) != 1 else ''}"
             if found.warnings else "",
             f"{len(found.skipped):,} file{'s' if len(found.skipped) != 1 else ''} skipped"
             if found.skipped else ""]
    note = " and ".join(n for n in notes if n)
    note = f" ({note} above)" if note else ""
    if not count:
        typer.echo(f"No exercise or routine files found to check{note}.")
        return
    typer.echo(f"{count} file{'s' if count != 1 else ''} checked: all valid{note}.")


@app.command("schema")
def schema_command(
    kind: str = typer.Argument(..., help="exercise, routine, lesson or config (or reference: "
                               "the field reference as Markdown)",
                               metavar="exercise|routine|lesson|config|reference"),
) -> None:
    """Print the JSON Schema of a file kind, for editors that check YAML as you type.

    Example: backcoach schema routine > routine.schema.json
    """
    import json

    from backcoach.errors import BadInput
    from backcoach.library import config, schema

    if kind == "reference":
        typer.echo(schema.reference_markdown(), nl=False)
        return
    if kind not in (*schema.FIELDS, "config"):
        raise BadInput(f"schema takes 'exercise', 'routine', 'lesson', 'config' or "
                       f"'reference', got '{schema.clip(kind)}'")
    document: dict[str, Any] = (config.json_schema() if kind == "config"
                                else schema.json_schema(kind))
    typer.echo(json.dumps(document, indent=2))
