"""Commands over the exercise library: list, show, validate, schema."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from backcoach.cli import app

if TYPE_CHECKING:
    from backcoach.catalog import Catalog, Definition


@app.command("list")
def list_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List every exercise and routine in force, with its dose, time and source.

    Example: backcoach list
    """
    import json

    from backcoach import present
    from backcoach.catalog import load_catalog

    catalog = load_catalog(strict=False)
    rows = present.catalog_rows(catalog)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
    else:
        present.print_catalog(rows)
    present.warn_problems(catalog)


@app.command("show")
def show_command(
    name: str = typer.Argument(..., help="An exercise or routine id, such as daily."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text."),
    builtin: bool = typer.Option(False, "--builtin",
                                 help="Show the built-in version that a user file replaced."),
) -> None:
    """Show an exercise (steps, dose, cautions, stop signs) or a routine (its sequence and times).

    Example: backcoach show knee-to-chest
    """
    import json

    from backcoach import present
    from backcoach.catalog import load_catalog
    from backcoach.safety_flow import left_out

    catalog = load_catalog(strict=False)
    definition = _pick(catalog, name, builtin)
    hidden = left_out(definition, catalog)
    if as_json:
        typer.echo(json.dumps({**present.to_json(definition, catalog), "left_out": hidden},
                              indent=2))
    else:
        present.print_definition(definition, catalog, hidden)


def _pick(catalog: Catalog, name: str, builtin: bool) -> Definition:
    from backcoach.errors import BadInput

    if builtin:
        if name not in catalog.replaced:
            raise BadInput(f"'{name}' does not replace a built-in; drop --builtin")
        return catalog.replaced[name]
    return catalog.get(name)


@app.command("validate")
def validate_command(
    targets: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders; default: your own exercise and routine folders.",
        show_default=False, metavar="PATH")] = None,
) -> None:
    """Check exercise and routine files; print every problem as path:line:col: message.

    Example: backcoach validate my-routine.yaml
    """
    from backcoach import paths
    from backcoach.catalog import validate_paths
    from backcoach.errors import InvalidFiles

    if not targets:
        targets = [folder for folder in paths.user_library_dirs() if folder.is_dir()]
        if not targets:
            exercises, routines = paths.user_library_dirs()
            typer.echo(f"You have no files of your own yet ({exercises}, {routines}); "
                       "nothing to check. `backcoach new routine ID` starts one.")
            return
    count, problems = validate_paths(targets)
    if problems:
        raise InvalidFiles(problems)
    typer.echo(f"{count} file{'s' if count != 1 else ''} checked: all valid.")


@app.command("schema")
def schema_command(
    kind: str = typer.Argument(..., help="exercise or routine (or reference: the field "
                               "reference as Markdown)"),
) -> None:
    """Print the JSON Schema of a file kind, for editors that check YAML as you type.

    Example: backcoach schema routine > routine.schema.json
    """
    import json

    from backcoach import schema
    from backcoach.errors import BadInput

    if kind == "reference":
        typer.echo(schema.reference_markdown(), nl=False)
        return
    if kind not in schema.FIELDS:
        raise BadInput(f"schema takes 'exercise', 'routine' or 'reference', got "
                       f"'{schema.clip(kind)}'")
    document: dict[str, Any] = schema.json_schema(kind)
    typer.echo(json.dumps(document, indent=2))
