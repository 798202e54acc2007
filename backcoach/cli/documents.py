"""Commands that write a document to take away: the handout of a routine, the report for an
appointment."""

import sys
from typing import Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

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


@app.command("report")
def report_command(
    output: Annotated[str, typer.Option("--output", "-o", metavar="FILE",
                                        help=_OUTPUT_HELP)] = ...,  # type: ignore[assignment]
    since: str = typer.Option(None, "--since", metavar="DATE", show_default=False,
                              help="Start the period on this day (YYYY-MM-DD); default: your "
                              "first session."),
    paper: str = typer.Option(None, "--paper", metavar="a4|letter", show_default=False,
                              help=_PAPER_HELP),
    zone: str = typer.Option(None, "--tz", metavar="ZONE", show_default=False,
                             help="Time zone for days and weeks, such as Europe/London; "
                             "default: this computer's."),
    force: bool = typer.Option(False, "--force", help="Replace an existing FILE."),
) -> None:
    """Write a one-page summary to take to an appointment: the figures `backcoach progress`
    shows, sessions against the schedule week by week, a chart of pain before and after,
    the exercises stopped and why, and the current doses. Printable, self-contained HTML.

    Example: backcoach report -o report.html --since 2024-05-01
    """
    from datetime import UTC, date, datetime

    from backcoach.cli.history import _warn_skipped, _zone
    from backcoach.errors import BadInput
    from backcoach.history import progress
    from backcoach.history.store import HistoryStore, default_path
    from backcoach.library.catalog import load_catalog
    from backcoach.render import report

    first: date | None = None
    if since is not None:
        try:
            first = date.fromisoformat(since.strip())
        except ValueError:
            raise BadInput(f"--since takes a date such as 2024-05-01, got '{since}'") from None
    size = _paper(paper)
    tz = _zone(zone)
    from backcoach import outfiles
    from backcoach.cli import confirm_at_terminal

    # Checked before the history is read: a refused name costs nothing.
    target = outfiles.check(output, force=force, confirm=confirm_at_terminal())
    now = datetime.now(UTC)
    today = now.astimezone(tz).date()
    catalog = load_catalog(strict=False)
    schedules = {rid: routine.schedule for rid, routine in catalog.routines.items()}
    rows, tallies, onset, sessions = [], [], None, []
    path = default_path()
    if path.exists():
        with HistoryStore.open_for_reading(path) as store:
            rows = store.progress_rows()
            tallies = store.exercise_tallies()
            onset = store.pain_onset()
            start = (None if first is None else
                     datetime.combine(first, datetime.min.time(), tz).astimezone(UTC)
                     if tz is not None else
                     datetime.combine(first, datetime.min.time()).astimezone().astimezone(UTC))
            sessions = store.sessions(since=start)
            _warn_skipped(store)
    summary = progress.summarize(rows, tallies, schedules, today, tz, onset=onset)
    advice = progress.advice(summary).lines if rows else ()
    document = report.build(summary, advice, sessions, rows, schedules, catalog, tz, first)
    made = f"Made on {today.day} {today:%B %Y} with backcoach."
    outfiles.write_text(target, report.to_html(document, size, made), sys.stdout)
    if target.kind != outfiles.STDOUT:
        typer.echo(f"Wrote the report ({document.sessions_in_period} session"
                   f"{'' if document.sessions_in_period == 1 else 's'}) to {output}.", err=True)
