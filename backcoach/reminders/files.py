"""The files each scheduler reads, as text: a calendar (RFC 5545), a systemd user service and
timer, a launchd agent, crontab lines. Pure: the caller passes the time, the command and where.

Written with the standard library: a calendar with one recurring event and an alarm is a few
dozen lines of RFC 5545 (folding and escaping included), the unit files are INI text, and
plistlib writes plists. The tests parse every one with the reader its scheduler uses or an
independent library (icalendar, configparser and systemd-analyze, plistlib, cron's fields).
"""

from __future__ import annotations

import plistlib
import shlex
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime

from backcoach.library.timetable import (
    DAY_NAMES,
    Plan,
    days_text,
    first_day,
    format_time,
    times_text,
)

# Every file backcoach writes for a reminder says so in its first line; only a file that still
# says so is ever removed.
MARK = "Written by `backcoach remind`"
CRON_MARK = "# backcoach reminder:"
LAUNCHD_PREFIX = "backcoach.reminder."
_ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# A fixed namespace for the events' UIDs: the same routine and time slot always get the same
# UID, so importing a new file again updates the event instead of adding a second one.
_UID_SPACE = uuid.UUID("6f0c2f3e-6d1b-4c55-9a43-2b7e1f0a9c11")


def unit_name(routine_id: str) -> str:
    """`backcoach-reminder-daily`: the systemd units' name, without .service or .timer."""
    return f"backcoach-reminder-{routine_id}"


def launchd_label(routine_id: str) -> str:
    """`backcoach.reminder.daily`: the launchd agent's label and file name."""
    return f"{LAUNCHD_PREFIX}{routine_id}"


def _header(plan: Plan) -> str:
    return (f"# {MARK} for the routine '{plan.routine_id}'; `backcoach remind --off "
            f"{plan.routine_id}` removes it.\n")


# ---------------------------------------------------------------------- systemd

def _systemd_escape(text: str) -> str:
    """One word of a systemd setting: specifiers (%) and variables ($) kept literal."""
    return text.replace("%", "%%")


def _systemd_word(arg: str) -> str:
    """A command-line argument as ExecStart= reads it: quoted when it needs to be."""
    text = _systemd_escape(arg).replace("$", "$$")
    if text and all(ch.isalnum() or ch in "/._-+=:,@" for ch in text):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def systemd_service(plan: Plan, command: Sequence[str], env: Mapping[str, str]) -> str:
    """The service the timer starts: it shows the reminder when the routine is due today."""
    lines = [_header(plan).rstrip("\n"), "[Unit]",
             f"Description=backcoach reminder: {_systemd_escape(plan.routine_name)}", "",
             "[Service]", "Type=oneshot"]
    lines += [f"Environment={_systemd_word(f'{key}={value}')}" for key, value in env.items()]
    lines.append("ExecStart=" + " ".join(_systemd_word(arg) for arg in command))
    return "\n".join(lines) + "\n"


def on_calendar(days: Sequence[int], minute: int) -> str:
    """`Mon,Wed,Fri *-*-* 08:30:00`."""
    names = ",".join(DAY_NAMES[d - 1].title() for d in sorted(days))
    return f"{names} *-*-* {format_time(minute)}:00"


def systemd_timer(plan: Plan) -> str:
    """The timer: the routine's days and times; Persistent, so a reminder missed while the
    computer was off or asleep comes at the next start."""
    lines = [_header(plan).rstrip("\n"), "[Unit]",
             f"Description=backcoach reminder: {_systemd_escape(plan.routine_name)}, "
             f"{days_text(plan.days)} at {times_text(plan.times)}", "", "[Timer]"]
    lines += [f"OnCalendar={on_calendar(plan.days, minute)}" for minute in plan.times]
    lines += ["Persistent=true", f"Unit={unit_name(plan.routine_id)}.service", "",
              "[Install]", "WantedBy=timers.target"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- launchd

def launchd_plist(plan: Plan, command: Sequence[str], env: Mapping[str, str]) -> bytes:
    """The launch agent: launchd runs it at each day and time (and once on waking, for a time
    missed while the Mac slept)."""
    intervals = [{"Weekday": day % 7, "Hour": minute // 60, "Minute": minute % 60}
                 for day in plan.days for minute in plan.times]  # launchd: Sunday is 0
    agent: dict[str, object] = {
        "Label": launchd_label(plan.routine_id),
        "Comment": f"{MARK} for the routine '{plan.routine_id}'",
        "ProgramArguments": list(command),
        "StartCalendarInterval": intervals,
        "ProcessType": "Interactive",
    }
    if env:
        agent["EnvironmentVariables"] = dict(env)
    return plistlib.dumps(agent)


# ---------------------------------------------------------------------- cron

def cron_lines(plan: Plan, command: Sequence[str], env: Mapping[str, str]) -> list[str]:
    """One crontab line a time of day; each ends with the mark that finds it again."""
    cron_days = ",".join(str(day % 7) for day in plan.days)  # cron: Sunday is 0
    words = [shlex.quote(f"{key}={value}") for key, value in env.items()]
    words += [shlex.quote(arg) for arg in command]
    # % ends the command in a crontab line unless escaped.
    run = " ".join(words).replace("%", "\\%")
    return [f"{minute % 60} {minute // 60} * * {cron_days} {run} {CRON_MARK} {plan.routine_id}"
            for minute in plan.times]


def is_cron_line_of(line: str, routine_id: str | None = None) -> bool:
    """Whether a crontab line is one of backcoach's (for `routine_id`, when given)."""
    head, mark, tail = line.rpartition(CRON_MARK)
    if not mark or not head.strip() or head.lstrip().startswith("#"):
        return False
    return routine_id is None or tail.strip() == routine_id


# ---------------------------------------------------------------------- calendar

def _ical_text(text: str) -> str:
    """A TEXT value escaped as RFC 5545 says (3.3.11)."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Fold a content line at 75 octets, never inside a character (RFC 5545, 3.1)."""
    out: list[str] = []
    current, size = "", 0
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > (75 if not out else 74):
            out.append(current)
            current, size = "", 0
        current += ch
        size += width
    out.append(current)
    return "\r\n ".join(out)


def event_uid(routine_id: str, slot: int) -> str:
    """The UID of a routine's event at its `slot`-th time of day: the same on every run."""
    return f"{uuid.uuid5(_UID_SPACE, f'{routine_id}/{slot}')}@backcoach"


def ics(plan: Plan, now: datetime, today: date) -> str:
    """A calendar with one weekly event a time of day, each with an alarm at its start.

    The events are in floating local time (no time zone): 08:30 stays 08:30 wherever the phone
    is, as a habit should. Each starts on the first planned day from `today`.
    """
    start = first_day(plan.days, today)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    byday = ",".join(_ICAL_DAYS[d - 1] for d in plan.days)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//backcoach//reminders//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{_ical_text('backcoach: ' + plan.routine_name)}"]
    for slot, minute in enumerate(plan.times):
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event_uid(plan.routine_id, slot)}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{start:%Y%m%d}T{minute // 60:02d}{minute % 60:02d}00",
            f"DURATION:PT{plan.minutes}M",
            f"RRULE:FREQ=WEEKLY;BYDAY={byday}",
            f"SUMMARY:{_ical_text(plan.routine_name)} ({plan.minutes} min)",
            f"DESCRIPTION:{_ical_text(plan.reminder_line)}",
            "TRANSP:TRANSPARENT",
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_ical_text(plan.reminder_line)}",
            "TRIGGER:PT0S",
            "END:VALARM",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
