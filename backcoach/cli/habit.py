"""The habit loop's commands: remind, due, breaks."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

# Registered lazily by name in backcoach.cli.COMMANDS.
app = typer.Typer(rich_markup_mode=None)  # plain help, as `backcoach --help`: fast, no boxes

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog
    from backcoach.library.settings import Settings
    from backcoach.library.timetable import Plan
    from backcoach.reminders.install import System


def _shown(path: str) -> str:
    """A path as a person reads it: ~ for the home folder."""
    import os

    home = os.path.expanduser("~")
    return "~" + path[len(home):] if path.startswith(home.rstrip(os.sep) + os.sep) else path


def _library() -> tuple["Settings", "Catalog"]:
    from backcoach.library.catalog import load_catalog
    from backcoach.library.settings import load_settings

    return load_settings(), load_catalog(strict=False)


def _plan(routine: str | None, at: list[str] | None, days: str | None) -> "Plan":
    """The routine's reminder plan: the command line over the settings over its schedule."""
    from backcoach.library import timetable
    from backcoach.reminders.today import routine_minutes

    settings, catalog = _library()
    found = catalog.routine(routine or settings.routine)
    chosen_days = (timetable.parse_days(days) if days is not None
                   else settings.remind_days or timetable.spread(found.schedule.days_per_week))
    times = timetable.parse_times(at) if at else settings.remind_at
    return timetable.Plan(found.id, found.name, routine_minutes(found, catalog),
                          tuple(chosen_days), tuple(times))


_SCHEDULER_WORDS = {"systemd": "a systemd user timer", "cron": "a crontab line",
                    "launchd": "a launchd agent"}


def _install(plan: "Plan", system: "System", wanted: str | None) -> None:
    from datetime import datetime

    from backcoach.library.settings import load_settings
    from backcoach.reminders import install

    scheduler = install.choose(system, wanted or load_settings().remind_with)
    entry = install.install(plan, system, scheduler, datetime.now().astimezone())
    typer.echo(f"Reminder set: {plan.routine_name} ({plan.minutes} min), {entry.when}, by "
               f"{_SCHEDULER_WORDS[scheduler]}.")
    if scheduler == "systemd":
        typer.echo("A reminder missed while the computer was off or asleep comes when it is "
                   "next on.")
    typer.echo(f"It says: \"{plan.reminder_line}\" (only on a day the routine is still due).")
    for name in entry.files:
        typer.echo(f"  {_shown(name)}")
    if scheduler == "cron":
        typer.echo("  a line in your crontab (`crontab -l` shows it)")
    typer.echo(f"`backcoach remind --status` shows it; `backcoach remind --off {plan.routine_id}`"
               " removes it.")
    if install.notifier(system) is None:
        print(install.no_notifier_note(system, scheduler), file=sys.stderr)


def _status(routine: str | None, system: "System") -> None:
    from datetime import datetime

    from backcoach.library.timetable import next_reminder
    from backcoach.reminders import install, record

    entries = [e for e in record.read_record() if routine is None or e.routine_id == routine]
    if not entries:
        which = f" for {routine}" if routine else ""
        typer.echo(f"No reminders are set{which}. `backcoach remind` sets one for your routine "
                   "(`--at` and `--days` choose when); `backcoach remind --ics FILE` writes a "
                   "calendar file instead.")
        return
    now = datetime.now()
    for entry in entries:
        found = install.status(entry, system)
        typer.echo(f"{entry.routine_id} ({entry.routine_name}): {entry.when}, by "
                   f"{_SCHEDULER_WORDS.get(entry.scheduler, entry.scheduler)}")
        for name in entry.files:
            typer.echo(f"  {_shown(name)}")
        if entry.scheduler == "cron":
            typer.echo("  a line in your crontab")
        if found.active:
            upcoming = next_reminder(entry.days, entry.times, now)
            typer.echo(f"  next: {upcoming:%a %d %b %H:%M}")
        for problem in found.problems:
            typer.echo(f"  not in place: {problem}; `backcoach remind {entry.routine_id}` sets "
                       "it again")
    if install.notifier(system) is None:
        typer.echo("No notification program found: reminders go to the scheduler's log only.")


def _off(routine: str | None, system: "System") -> None:
    from backcoach.reminders import install, record

    chosen = [e for e in record.read_record() if routine is None or e.routine_id == routine]
    if not chosen:
        typer.echo(f"No reminder is set{f' for {routine}' if routine else ''}; nothing to "
                   "remove.")
        return
    for entry in chosen:
        notes = install.uninstall(entry, system)
        what = ", ".join(_shown(name) for name in entry.files) or "its crontab line"
        typer.echo(f"Removed the reminder for {entry.routine_id} ({what}).")
        for note in notes:
            print(f"Warning: {note}", file=sys.stderr)


def _ics(plan: "Plan", name: str, force: bool) -> None:
    from datetime import datetime

    from backcoach import outfiles
    from backcoach.cli import confirm_at_terminal
    from backcoach.reminders.files import ics

    target = outfiles.check(name, force=force, option="--ics", confirm=confirm_at_terminal())
    now = datetime.now().astimezone()
    outfiles.write_text(target, ics(plan, now, now.date()), sys.stdout)
    if target.kind != outfiles.STDOUT:
        from backcoach.library.timetable import days_text, times_text

        typer.echo(f"Wrote {name}: {plan.routine_name}, {days_text(plan.days)} at "
                   f"{times_text(plan.times)}, with an alert at the start. Import it into your "
                   "phone's or computer's calendar; importing a newer file again updates the "
                   "event.", err=True)


def _fire(routine: str, system: "System") -> None:
    """What the scheduler runs: the reminder, when the routine is still due today."""
    import os

    from backcoach.library.timetable import reminder_line
    from backcoach.reminders import install, today
    from backcoach.reminders.due import due_line

    settings, catalog = _library()
    facts = today.gather(routine, settings, catalog)
    from datetime import date

    _, is_due = due_line(facts, date.today())
    if not is_due:
        return
    line = reminder_line(facts.routine_id, facts.name, facts.minutes)
    os.environ.update(install.session_bus(system.uid, os.environ))
    shown = install.notify(system, "backcoach", line)
    typer.echo(line if shown else f"{line} (no notification program found)")


@app.command("remind")
def remind_command(
    routine: str = typer.Argument(None, help="Routine id; default: the `routine` setting, else "
                                  "daily.", show_default=False),
    at: Annotated[list[str] | None, typer.Option(
        "--at", metavar="HH:MM", show_default=False,
        help="Time of day, 24-hour clock (repeatable, or 10:30,15:00); default: the "
        "`remind_at` setting (08:30).")] = None,
    days: str = typer.Option(None, "--days", metavar="DAYS", show_default=False,
                             help="mon,wed,fri, mon-fri, weekdays, weekends or daily; default: "
                             "the `remind_days` setting, else the routine's days_per_week."),
    scheduler: str = typer.Option(None, "--with", metavar="auto|systemd|cron|launchd",
                                  show_default=False, help="How to set it; default: the "
                                  "`remind_with` setting (auto)."),
    ics_file: str = typer.Option(None, "--ics", metavar="FILE", show_default=False,
                                 help="Write a calendar file (- for stdout) with a weekly event "
                                 "and an alert, for a phone or a calendar; installs nothing."),
    force: bool = typer.Option(False, "--force", help="Replace an existing --ics file."),
    show_status: bool = typer.Option(False, "--status", help="Say which reminders are set, "
                                     "where, and when the next one comes."),
    off: bool = typer.Option(False, "--off", help="Remove the routine's reminder (all of them "
                             "without a routine): exactly what was installed."),
    test: bool = typer.Option(False, "--test", help="Show a desktop notification now, to see "
                              "how a reminder looks."),
    fire: bool = typer.Option(False, "--fire", hidden=True,
                              help="Show the reminder if the routine is due today (what the "
                              "scheduler runs)."),
) -> None:
    """Remind you of your routine on its days, at its time, with the scheduler your computer
    already has: a systemd user timer (Linux), cron where there is none, a launchd agent
    (macOS). Or write a calendar file for your phone.

    A reminder is one short line, and only on a day the routine is still due.

    Example: backcoach remind daily --at 08:30 --days mon-fri
    """
    from backcoach.errors import BadInput
    from backcoach.reminders.install import System, notify

    chosen = [flag for flag, given in (("--status", show_status), ("--off", off),
                                       ("--ics", ics_file is not None), ("--test", test),
                                       ("--fire", fire)) if given]
    if len(chosen) > 1:
        raise BadInput(f"{' and '.join(chosen)} do different things; give one of them")
    if chosen and chosen[0] in ("--status", "--off", "--test", "--fire") and (at or days):
        raise BadInput(f"--at and --days choose when a reminder comes; {chosen[0]} takes "
                       "neither")
    system = System.real()
    if show_status:
        _status(routine, system)
    elif off:
        _off(routine, system)
    elif fire:
        if routine is None:
            raise BadInput("--fire needs the routine")
        _fire(routine, system)
    elif test:
        plan = _plan(routine, at, days)
        shown = notify(system, "backcoach", plan.reminder_line)
        typer.echo(plan.reminder_line)
        if not shown:
            print("No notification program was found (notify-send on Linux, osascript on "
                  "macOS), so a reminder can show only in the scheduler's log.",
                  file=sys.stderr)
    elif ics_file is not None:
        _ics(_plan(routine, at, days), ics_file, force)
    else:
        _install(_plan(routine, at, days), system, scheduler)


@app.command("due")
def due_command(
    routine: str = typer.Argument(None, help="Routine id; default: the `routine` setting, else "
                                  "daily.", show_default=False),
) -> None:
    """Say in one line whether your routine is due today; exit 0 when it is, 1 when not.

    Fast enough for a shell prompt or a tmux status bar: it reads a small state file that
    every session rewrites (the README's "Reminders" has prompt snippets that read it without
    starting backcoach at all).

    Example: backcoach due && backcoach run
    """
    from datetime import date

    from backcoach.reminders import today
    from backcoach.reminders.due import due_line

    settings, catalog = _library()
    facts = today.gather(routine, settings, catalog)
    if routine is None or routine == settings.routine:
        try:
            today.refresh_state(facts)
        except OSError as exc:  # a read-only home: the answer still stands
            print(f"Warning: the state file for prompts could not be written: {exc.strerror}",
                  file=sys.stderr)
    line, is_due = due_line(facts, date.today())
    typer.echo(line)
    if not is_due:
        raise typer.Exit(1)


@app.command("breaks")
def breaks_command(
    every: str = typer.Option(None, "--every", metavar="DURATION", show_default=False,
                              help="Time between breaks, such as 45m or 1h; default: the "
                              "`breaks_every` setting (45m)."),
    routine: str = typer.Option(None, "--routine", metavar="ID", show_default=False,
                                help="The routine a break runs; default: the `breaks_routine` "
                                "setting (desk-break)."),
    during: str = typer.Option(None, "--during", metavar="HH:MM-HH:MM", show_default=False,
                               help="Only between these hours, such as 09:00-17:30; default: "
                               "the `breaks_during` setting (always)."),
    snooze: str = typer.Option(None, "--snooze", metavar="DURATION", show_default=False,
                               help="How long z snoozes a break; default: the `breaks_snooze` "
                               "setting (10m)."),
    speed: float = typer.Option(1.0, "--speed", help="Run time this many times faster, the "
                                "breaks' sessions too (demos and tests).", metavar="FACTOR"),
    sound: bool = typer.Option(None, "--sound/--no-sound", show_default=False,
                               help="Ring the terminal bell when a break is due; default: the "
                               "`sound` setting (on)."),
) -> None:
    """Desk micro-breaks: leave it running in a spare terminal tab. It rings (and shows a
    desktop notification) when a break is due; Enter starts it, z snoozes, n skips, q or
    Ctrl-C stops. A break is a normal session, with the safety questions and history.

    Example: backcoach breaks --every 45m --during 09:00-17:30
    """
    from datetime import datetime

    from backcoach import app as core
    from backcoach.breaks import BreakEnvironment, BreakOptions, run_breaks
    from backcoach.errors import BackcoachError, BadInput
    from backcoach.library.model import parse_duration
    from backcoach.library.timetable import parse_span
    from backcoach.reminders.install import System, notify
    from backcoach.reminders.today import routine_minutes

    def seconds(text: str, option: str, low: int, high: int) -> int:
        try:
            value = parse_duration(text)
        except ValueError:
            raise BadInput(f"{option} takes a duration such as 45m or 1h30m, got "
                           f"'{text}'") from None
        if not low <= value <= high:
            raise BadInput(f"{option} must be from {low // 60} min to {high // 60} min, "
                           f"got '{text}'")
        return value

    if not core.MIN_SPEED <= speed <= core.MAX_SPEED:
        raise BadInput(f"--speed must be from {core.MIN_SPEED:g} to {core.MAX_SPEED:g}, got "
                       f"{speed:g}")
    settings, catalog = _library()
    every_s = seconds(every, "--every", 60, 8 * 3600) if every else settings.breaks_every
    snooze_s = seconds(snooze, "--snooze", 60, 4 * 3600) if snooze else settings.breaks_snooze
    span = parse_span(during) if during else settings.breaks_during
    found = catalog.routine(routine or settings.breaks_routine)
    if not sys.stdin.isatty():
        raise BadInput("breaks needs a terminal to ask whether to start each break; run it in "
                       "a terminal tab of its own")
    system = System.real()
    env = core.Environment.real()
    ringing = settings.sound if sound is None else sound

    def start_session() -> int:
        from backcoach.cli import report

        options = core.SessionOptions(routine=found.id, speed=speed, sound=ringing,
                                      voice=settings.voice != "off",
                                      voice_detail="brief" if settings.voice == "brief" else "full",
                                      countdown=settings.countdown,
                                      settings=settings)
        try:
            return core.run_session(options, core.Environment.real())
        except BackcoachError as exc:
            return report(exc)

    def ring() -> None:
        if ringing:
            sys.stdout.write("\a")

    options = BreakOptions(found.id, found.name, routine_minutes(found, catalog), every_s,
                           snooze_s, tuple(span), speed)
    code = run_breaks(options, BreakEnvironment(
        out=sys.stdout, clock=env.clock, keys=env.keys,
        local_now=lambda: datetime.now().astimezone(),
        notify=lambda text: notify(system, "backcoach", text), ring=ring,
        start_session=start_session))
    if code:
        raise typer.Exit(code)
