"""Commands that write a document to take away: the handout of a routine, the report for an
appointment."""

import sys
from typing import Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer()

_OUTPUT_HELP = ("Write to this file (never left half written); - is standard output. An "
                "existing file needs --force; backcoach's own files are refused.")
_PAPER_HELP = ("Print for this paper size: a4 or letter; default: the printer's own (the "
               "page fits both).")


def _paper(value: str | None) -> str | None:
    from backcoach.errors import BadInput
    from backcoach.render.html import PAPERS

    if value is None:
        return None
    if value.lower() not in PAPERS:
        raise BadInput(f"--paper takes a4 or letter, got '{value}'")
    return value.lower()


def _write(output: str, force: bool, text: str, what: str) -> None:
    """Write a document to the file the person named, through the safe writer."""
    from backcoach import outfiles
    from backcoach.cli import confirm_at_terminal

    target = outfiles.check(output, force=force, confirm=confirm_at_terminal())
    outfiles.write_text(target, text, sys.stdout)
    if target.kind != outfiles.STDOUT:
        typer.echo(f"Wrote {what} to {output}.", err=True)


@app.command("handout")
def handout_command(
    routine_id: str = typer.Argument(..., metavar="ROUTINE",
                                     help="The routine to print, such as daily."),
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE",
                                        help=_OUTPUT_HELP)] = ...,  # type: ignore[assignment]
    fmt: str = typer.Option(None, "--format", "-f", metavar="html|md", show_default=False,
                            help="html (printable, self-contained) or md (Markdown); default: "
                            "md for a FILE ending in .md, else html."),
    for_whom: str = typer.Option(None, "--for", metavar="NAME", show_default=False,
                                 help="Who it is for (default: the routine's prescribed_for, "
                                 "else a line to write the name on)."),
    paper: str = typer.Option(None, "--paper", metavar="a4|letter", show_default=False,
                              help=_PAPER_HELP),
    force: bool = typer.Option(False, "--force", help="Replace an existing FILE."),
) -> None:
    """Write a printable handout of a routine: the schedule, each exercise with its picture,
    steps, dose, cautions and stop signs, when to get help, a weekly chart to tick, the
    disclaimer and the sources. A clinician can write a routine in YAML (with prescribed_by
    and notes) and print it for a patient.

    Example: backcoach handout daily -o daily.html
    """
    from datetime import datetime

    from backcoach.errors import BadInput
    from backcoach.library.catalog import load_catalog
    from backcoach.render import handout

    if fmt is None:
        fmt = "md" if output.lower().endswith((".md", ".markdown")) else "html"
    fmt = fmt.lower()
    if fmt not in ("html", "md"):
        raise BadInput(f"--format takes html or md, got '{fmt}'")
    size = _paper(paper)
    catalog = load_catalog(strict=False)
    routine = catalog.routine(routine_id)
    document = handout.build(routine, catalog, datetime.now().astimezone().date(), for_whom)
    text = handout.to_html(document, size) if fmt == "html" else handout.to_markdown(document)
    _write(output, force, text, f"the handout of {routine.name}")
