"""Commands over the session history: history, progress, export."""

import sys
from datetime import tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

if TYPE_CHECKING:
    from datetime import datetime

    from backcoach.history.store import HistoryStore, StoredSession
    from backcoach.library.catalog import Catalog

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
    apply: bool = typer.Option(False, "--apply", help="Write the step up or down each routine "
                               "has earned into your copy of it (a built-in routine is copied "
                               "first), with a dated comment."),
    undo: bool = typer.Option(False, "--undo", help="Take back the latest change --apply "
                              "made: the file is as it was before."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON: the streak, this week, "
                                 "time, pain by day and its trend, what you skip, advice."),
    no_pager: bool = typer.Option(False, "--no-pager", help="Print straight to the terminal, "
                                  "never through $PAGER."),
) -> None:
    """Show your streak, this week against your routine's plan, minutes, a pain chart, the
    exercises you skip or stop most, a calendar of the last weeks, your goals, and whether a
    routine's dose should step up or down, and why.

    Example: backcoach progress
    """
    import json
    from datetime import UTC, datetime

    from backcoach.errors import BadInput
    from backcoach.history import coaching, goals, progress
    from backcoach.history.store import HistoryStore, default_path
    from backcoach.library.catalog import load_catalog
    from backcoach.reminders.today import installed_days
    from backcoach.render import coaching_pages as pages
    from backcoach.render import history_pages as report
    from backcoach.render.text import Page, page_width

    if apply and undo:
        raise BadInput("--apply and --undo do opposite things; use one of them")
    if as_json and (apply or undo):
        raise BadInput("--json prints the page as data; use it without --apply and --undo")
    tz = _zone(zone)
    path = default_path()
    now = datetime.now(UTC)
    if undo:
        if not path.exists():
            raise BadInput("nothing to undo: `backcoach progress --apply` has not changed any "
                           "routine")
        with HistoryStore.open(path) as store:
            change = coaching.undo_last(store, now)
        from backcoach.library.catalog import shown_path

        where = shown_path(Path(change.path))
        typer.echo(f"Took back the change of {change.applied_at.astimezone(tz):%d %b}: "
                   f"{change.summary}")
        typer.echo(f"Removed {where}, the copy made for it: the built-in routine is in force "
                   "again." if change.created_file and not Path(change.path).exists() else
                   f"{where} is as it was before.")
        return
    if not path.exists():
        if apply:
            typer.echo("Nothing to apply yet: a step up comes after three comfortable "
                       "sessions in a row.")
        elif as_json:
            typer.echo(json.dumps({"sessions_total": 0}))
        else:
            report.print_no_progress()
        return
    catalog = load_catalog(strict=False)
    with (HistoryStore.open if apply else HistoryStore.open_for_reading)(path) as store:
        if apply:
            _apply(store, catalog, now, tz)
            _warn_skipped(store)
            return
        points = store.session_points()
        today = now.astimezone(tz).date()
        tallies = store.exercise_tallies(since=progress.recent_start(today, tz))
        onset = store.pain_onset()
        aims = goals.summarize(store.goals(), now)
        if not points:
            _warn_skipped(store)
            if as_json:
                typer.echo(json.dumps({"sessions_total": 0,
                                       "goals": pages.goals_json(aims, tz)}, indent=2))
                return
            report.print_no_progress()
            if aims.goals:
                page = Page(page_width())
                page.add()
                pages.goals_section(page, aims)
                page.write()
            return
        schedules = {rid: routine.schedule for rid, routine in catalog.routines.items()}
        width = page_width()
        chart_days = 56 if as_json or width >= 66 else 28 if width >= 38 else 14
        installed = installed_days()  # the days of each routine's reminders
        # Every session as a light tuple for the figures over all of history; the sessions
        # shown day by day as rows with their routines.
        recent = store.progress_rows(since=progress.recent_since(today, tz, chart_days))
        summary = progress.summarize_history(points, recent, tallies, schedules, today, tz,
                                             chart_days=chart_days, onset=onset,
                                             planned_days=installed)
        verdicts = coaching.verdicts(store, catalog, now, summary.trend)
        _warn_skipped(store)
    advice = progress.advice(summary).lines
    if as_json:
        document = report.progress_json(summary, advice)
        document["goals"] = pages.goals_json(aims, tz)
        document["doses"] = [{"routine_id": routine.id, "routine": routine.name,
                              "step": verdict.step is not None, "line": verdict.line}
                             for routine, verdict in verdicts]
        typer.echo(json.dumps(document, indent=2))
        return
    doses = [(routine.name, verdict) for routine, verdict in verdicts]
    sections = [lambda page: pages.goals_section(page, aims)]
    if doses:
        sections.append(lambda page: pages.doses_section(page, doses))
    report.print_progress(summary, advice, installed, sections, pager=not no_pager)


def _apply(store: "HistoryStore", catalog: "Catalog", now: "datetime",
           tz: tzinfo | None) -> None:
    """`progress --apply`: write each step a routine has earned, and say what changed."""
    from backcoach.history import coaching
    from backcoach.library.catalog import shown_path
    from backcoach.render import coaching_pages as pages

    verdicts = coaching.verdicts(store, catalog, now)
    steps = [(routine, verdict) for routine, verdict in verdicts
             if verdict.step is not None and verdict.step.appliable]
    if not steps:
        typer.echo("Nothing to apply: no routine has a step to take now.")
        for routine, verdict in verdicts:
            typer.echo(f"{routine.name}: {verdict.line}")
        return
    for routine, verdict in steps:
        applied = coaching.apply_step(store, catalog, routine, verdict, now, tz)
        typer.echo(pages.applied_line(verdict.line, shown_path(applied.path), applied.created))
    typer.echo("`backcoach progress --undo` takes the latest change back.")


@app.command("export")
def export_command(
    fmt: str = typer.Option(None, "--format", "-f", show_default=False,
                            metavar="csv|json|fhir",
                            help="csv, json, or fhir (a FHIR R4 Bundle for clinical systems); "
                            "default: json for an --output ending in .json, else csv."),
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

    FHIR: a FHIR R4 Bundle of type collection: a Patient, each session as a Procedure
    (SNOMED CT 229065009, exercise therapy) with its exercises as Procedures part of it, and
    pain scores as Observations (LOINC 72514-3, 0-10).

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
    if fmt not in ("csv", "json", "fhir"):
        raise BadInput(f"--format takes csv, json or fhir, got '{fmt}'")
    tz = _zone(zone)
    # Checked before the history is read: a refused name costs nothing.
    target = outfiles.check(output or "-", force=force, confirm=confirm_at_terminal())
    sessions, _ = _load()
    if fmt == "csv":
        text = export.csv_text(sessions, tz)
    elif fmt == "fhir":
        from backcoach.history import fhir
        from backcoach.history.store import default_path

        text = export.dumps(fhir.bundle(sessions, datetime.now(UTC), str(default_path())))
    else:
        text = export.dumps(export.json_document(sessions, tz, datetime.now(UTC)))
    outfiles.write_text(target, text, sys.stdout)
    if target.kind != outfiles.STDOUT:
        typer.echo(f"Wrote {len(sessions)} session{'' if len(sessions) == 1 else 's'} to "
                   f"{output}.", err=True)
