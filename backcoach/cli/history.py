"""Commands over the session history: history, progress, export."""

import sys
from datetime import tzinfo
from typing import TYPE_CHECKING, Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

if TYPE_CHECKING:
    from backcoach.history.store import HistoryStore, StoredSession

_TZ_HELP = ("Time zone for dates, such as Europe/London; default: this computer's. Days, "
            "streaks and weeks follow it.")


def _zone(name: str | None) -> tzinfo | None:
    """The zone named, or None for this computer's local time (daylight saving included), or
    UTC, with a warning, when this computer's cannot be used."""
    if not name:
        from backcoach.history.localtime import usable_zone

        zone, warning = usable_zone(None)
        if warning:
            print(f"Warning: {warning}.", file=sys.stderr)
        return zone
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from backcoach.errors import BadInput

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput(f"unknown time zone '{name}'; use a name such as Europe/London or "
                       "America/New_York") from exc


def _load(limit: int | None = None,
          with_exercises: bool = True) -> tuple[list["StoredSession"], int]:
    """Sessions newest first and how many there are; nothing (and no file made) without history."""
    from backcoach.history.store import HistoryStore, default_path

    path = default_path()
    if not path.exists():
        return [], 0
    with HistoryStore.open_for_reading(path) as store:
        sessions = store.sessions(limit, with_exercises=with_exercises)
        # Rows left out as unreadable are not sessions to show ("3 of 4" would promise one).
        unreadable = len(store.skipped.get("sessions", ()))
        total = store.count() - unreadable if limit is not None else len(sessions)
        _warn_skipped(store)
    return sessions, total


def _warn_skipped(store: "HistoryStore") -> None:
    """Say on stderr how many rows were left out as unreadable, if any."""
    note = store.skipped_note()
    if note:
        print(f"Warning: {note}.", file=sys.stderr)


@app.command("history")
def history_command(
    limit: int = typer.Option(20, "--limit", "-n", min=0, metavar="N",
                              help="Show at most N sessions, newest first; 0 shows all."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON (a list of sessions with "
                                 "their exercises) instead of a table."),
    zone: str = typer.Option(None, "--tz", help=_TZ_HELP, show_default=False, metavar="ZONE"),
    no_pager: bool = typer.Option(False, "--no-pager", help="Print straight to the terminal, "
                                  "never through $PAGER."),
) -> None:
    """Show your recent sessions: date, routine, minutes, done/partial/stopped, pain before → after.

    Example: backcoach history --limit 10
    """
    tz = _zone(zone)
    sessions, total = _load(limit or None, with_exercises=as_json)
    if as_json:
        from backcoach.history import export

        typer.echo(export.dumps([export.session_json(s, tz) for s in sessions]), nl=False)
        return
    from backcoach.render import history_pages as report

    report.print_history(sessions, tz, total, pager=not no_pager)


@app.command("progress")
def progress_command(
    zone: str = typer.Option(None, "--tz", help=_TZ_HELP, show_default=False, metavar="ZONE"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: the streak, this week, "
                                 "time, pain by day and its trend, what you skip, advice."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Print straight to the terminal, "
                                  "never through $PAGER."),
) -> None:
    """Show your streak, this week against your routine's plan, minutes, a pain chart, the
    exercises you skip or stop most, and a calendar of the last weeks.

    Example: backcoach progress
    """
    import json
    from datetime import UTC, datetime

    from backcoach.history import progress
    from backcoach.history.store import HistoryStore, ProgressRow, default_path
    from backcoach.library.catalog import load_catalog
    from backcoach.render import history_pages as report
    from backcoach.render.text import page_width

    tz = _zone(zone)
    path = default_path()
    sessions: list[ProgressRow] = []
    if path.exists():
        with HistoryStore.open_for_reading(path) as store:
            sessions = store.progress_rows()
            tallies = store.exercise_tallies()
            onset = store.pain_onset()
            _warn_skipped(store)
    if not sessions:
        if as_json:
            typer.echo(json.dumps({"sessions_total": 0}))
        else:
            report.print_no_progress()
        return
    schedules = {rid: routine.schedule
                 for rid, routine in load_catalog(strict=False).routines.items()}
    today = datetime.now(UTC).astimezone(tz).date()
    width = page_width()
    chart_days = 56 if width >= 66 else 28 if width >= 38 else 14
    summary = progress.summarize(sessions, tallies, schedules, today, tz,
                                 chart_days=56 if as_json else chart_days, onset=onset)
    advice = progress.advice(summary).lines
    if as_json:
        typer.echo(json.dumps(report.progress_json(summary, advice), indent=2))
        return
    report.print_progress(summary, advice, pager=not no_pager)


@app.command("export")
def export_command(
    fmt: str = typer.Option(None, "--format", "-f", show_default=False, metavar="csv|json",
                            help="csv or json; default: json for an --output ending in .json, "
                            "else csv."),
    output: Annotated[str | None, typer.Option(
        "--output", "-o", show_default=False, metavar="FILE",
        help="Write to this file (never left half written); - or none: standard output. An "
        "existing file needs --force; backcoach's own files are refused.")] = None,
    force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
    zone: str = typer.Option(None, "--tz", help="Time zone of the local_date column; default: "
                             "this computer's.", show_default=False, metavar="ZONE"),
) -> None:
    """Write every session and exercise result as CSV or JSON, for a spreadsheet, pandas or your
    physiotherapist.

    CSV: one row per exercise and side, with its session's columns repeated; a session without
    exercises has one row. Columns, in this order: session_id, routine_id, routine_name,
    started_at, ended_at (UTC, ISO-8601), local_date, session_status (done/partial/stopped),
    end_reason, planned_seconds, elapsed_seconds, speed, pain_before, pain_after (0-10),
    screen_tier, position, exercise_id, exercise_name, side (left/right/none), planned_reps,
    planned_hold, reps_done, seconds_held, exercise_status
    (done/partial/skipped/stopped/not_reached), stop_reason, exercise_pain. An empty cell means
    no value. A text cell that starts with =, +, -, @, a tab or a carriage return gets a ' in
    front, so a spreadsheet shows it as text instead of running it as a formula.

    JSON: {"format": "backcoach-history", "version": 1, "exported_at", "sessions": [...]}, each
    session with the same names and an "exercises" list, each exercise with its "sides".

    Example: backcoach export --format csv --output back-history.csv
    """
    from datetime import UTC, datetime

    from backcoach import outfiles
    from backcoach.cli import confirm_at_terminal
    from backcoach.errors import BadInput
    from backcoach.history import export

    if fmt is None:
        fmt = "json" if output is not None and output.lower().endswith(".json") else "csv"
    fmt = fmt.lower()
    if fmt not in ("csv", "json"):
        raise BadInput(f"--format takes csv or json, got '{fmt}'")
    tz = _zone(zone)
    # Checked before the history is read: a refused name costs nothing.
    target = outfiles.check(output or "-", force=force, confirm=confirm_at_terminal())
    sessions, _ = _load()
    if fmt == "csv":
        text = export.csv_text(sessions, tz)
    else:
        text = export.dumps(export.json_document(sessions, tz, datetime.now(UTC)))
    outfiles.write_text(target, text, sys.stdout)
    if target.kind != outfiles.STDOUT:
        typer.echo(f"Wrote {len(sessions)} session{'' if len(sessions) == 1 else 's'} to "
                   f"{output}.", err=True)
