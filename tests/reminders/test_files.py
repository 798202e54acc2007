"""Every file a reminder is made of, parsed by the reader its scheduler uses or an independent
library: the calendar with icalendar (and its RRULE expanded by dateutil), the systemd units
with configparser and `systemd-analyze verify`, the launchd agent with plistlib, the crontab
line field by field."""

from __future__ import annotations

import configparser
import plistlib
import shlex
import shutil
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from dateutil.rrule import rrulestr

from backcoach.library.timetable import Plan
from backcoach.reminders import files

PLAN = Plan("daily", "Daily lower-back routine", 10, (1, 3, 5), (8 * 60 + 30,))
TWICE = Plan("desk-break", "Desk break, 3; quick\\", 3, (1, 2, 3, 4, 5), (10 * 60 + 30, 15 * 60))
NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # a Tuesday
COMMAND = ("/opt/back coach/bin/python", "-m", "backcoach", "remind", "--fire", "daily")


def calendar(plan: Plan, now: datetime = NOW) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(files.ics(plan, now, now.date()))


def test_the_calendar_has_a_weekly_event_with_an_alarm() -> None:
    cal = calendar(PLAN)
    [event] = cal.walk("VEVENT")
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 3, 11, 8, 30)  # the first planned day; floating local time
    assert start.tzinfo is None
    assert event.decoded("DURATION") == timedelta(minutes=10)
    assert str(event["SUMMARY"]) == "Daily lower-back routine (10 min)"
    [alarm] = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm.decoded("TRIGGER") == timedelta(0)
    assert str(alarm["DESCRIPTION"]) == ("Time for your 10-minute daily lower-back routine: "
                                         "backcoach run daily")


def test_the_rule_gives_the_planned_days_at_the_time() -> None:
    [event] = calendar(PLAN).walk("VEVENT")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART"))
    first = list(rule[:6])
    assert [d.isoweekday() for d in first] == [3, 5, 1, 3, 5, 1]
    assert all((d.hour, d.minute) == (8, 30) for d in first)
    assert first[0].date() == date(2026, 3, 11)


def test_the_uid_is_the_same_on_every_run_and_differs_by_routine_and_time() -> None:
    one = [str(e["UID"]) for e in calendar(TWICE).walk("VEVENT")]
    again = [str(e["UID"]) for e in calendar(TWICE, NOW + timedelta(days=40)).walk("VEVENT")]
    assert one == again and len(set(one)) == 2
    [daily] = [str(e["UID"]) for e in calendar(PLAN).walk("VEVENT")]
    assert daily not in one


def test_text_is_escaped_and_long_lines_folded() -> None:
    text = files.ics(TWICE, NOW, NOW.date())
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert text.endswith("END:VCALENDAR\r\n") and "\n" not in text.replace("\r\n", "")
    events = calendar(TWICE).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Desk break, 3; quick\\ (3 min)"] * 2
    assert [e.decoded("DTSTART").time().hour for e in events] == [10, 15]
    assert "SUMMARY:Desk break\\, 3\\; quick\\\\ (3 min)" in text.replace("\r\n ", "")


def test_a_long_name_folds_without_cutting_a_character() -> None:
    plan = Plan("long", "Étirements du matin " * 4, 5, (1,), (420,))
    text = files.ics(plan, NOW, NOW.date())
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    [event] = icalendar.Calendar.from_ical(text).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Étirements du matin Étirements")


def units(plan: Plan = PLAN, env: dict[str, str] | None = None) -> tuple[str, str]:
    return (files.systemd_service(plan, COMMAND, env or {}), files.systemd_timer(plan))


def ini(text: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_the_service_and_timer_read_as_systemd_reads_them() -> None:
    service, timer = units(env={"BACKCOACH_HOME": "/home/me/back coach"})
    assert service.startswith(f"# {files.MARK} for the routine 'daily'")
    svc = ini(service)
    assert svc["Service"]["Type"] == "oneshot"
    assert shlex.split(svc["Service"]["ExecStart"]) == list(COMMAND)
    assert shlex.split(svc["Service"]["Environment"]) == ["BACKCOACH_HOME=/home/me/back coach"]
    tim = ini(timer)
    assert tim["Timer"]["OnCalendar"] == "Mon,Wed,Fri *-*-* 08:30:00"
    assert tim["Timer"]["Persistent"] == "true"
    assert tim["Timer"]["Unit"] == "backcoach-reminder-daily.service"
    assert tim["Install"]["WantedBy"] == "timers.target"


def test_two_times_make_two_calendar_lines_and_percent_stays_literal() -> None:
    _, timer = units(Plan("desk-break", "100% desk", 3, (1, 2, 3, 4, 5), (630, 900)))
    lines = [line for line in timer.splitlines() if line.startswith("OnCalendar=")]
    assert lines == ["OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 10:30:00",
                     "OnCalendar=Mon,Tue,Wed,Thu,Fri *-*-* 15:00:00"]
    assert "Description=backcoach reminder: 100%% desk" in timer


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed here: the units are checked with "
                           "configparser only")
def test_systemd_analyze_verifies_the_units(tmp_path: Path) -> None:
    program = tmp_path / "python"  # ExecStart must name an executable that exists
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    command = (str(program), "-m", "backcoach", "remind", "--fire", "daily")
    name = files.unit_name("daily")
    (tmp_path / f"{name}.service").write_text(files.systemd_service(PLAN, command, {}))
    (tmp_path / f"{name}.timer").write_text(files.systemd_timer(PLAN))
    done = subprocess.run(["systemd-analyze", "verify", "--man=no",
                           str(tmp_path / f"{name}.timer"), str(tmp_path / f"{name}.service")],
                          capture_output=True, text=True, check=False)
    ours = [line for line in done.stderr.splitlines() if name in line]
    assert done.returncode == 0 and ours == [], done.stderr
    calendar_check = subprocess.run(["systemd-analyze", "calendar", "--iterations=3",
                                     "Mon,Wed,Fri *-*-* 08:30:00"], capture_output=True,
                                    text=True, check=False)
    assert calendar_check.returncode == 0, calendar_check.stderr
    assert calendar_check.stdout.count("08:30:00") >= 3


def test_the_launchd_agent_reads_back_with_plistlib() -> None:
    agent = plistlib.loads(files.launchd_plist(PLAN, COMMAND, {"BACKCOACH_HOME": "/b"}))
    assert agent["Label"] == "backcoach.reminder.daily"
    assert agent["ProgramArguments"] == list(COMMAND)
    assert agent["StartCalendarInterval"] == [
        {"Weekday": 1, "Hour": 8, "Minute": 30}, {"Weekday": 3, "Hour": 8, "Minute": 30},
        {"Weekday": 5, "Hour": 8, "Minute": 30}]
    assert agent["EnvironmentVariables"] == {"BACKCOACH_HOME": "/b"}
    assert files.MARK in agent["Comment"]
    sunday = plistlib.loads(files.launchd_plist(Plan("r", "R", 1, (7,), (0,)), COMMAND, {}))
    assert sunday["StartCalendarInterval"] == [{"Weekday": 0, "Hour": 0, "Minute": 0}]


def test_the_crontab_line_has_cron_fields_and_a_mark() -> None:
    command = (*COMMAND[:-1], "50%-off")
    [line] = files.cron_lines(Plan("daily", "D", 10, (1, 3, 5, 7), (8 * 60 + 30,)), command,
                              {"BACKCOACH_HOME": "/b"})
    minute, hour, day, month, weekdays, rest = line.split(" ", 5)
    assert (minute, hour, day, month, weekdays) == ("30", "8", "*", "*", "1,3,5,0")
    run, _, mark = rest.partition(" # backcoach reminder: ")
    assert mark == "daily"
    # cron hands the command to sh after turning \% back into %.
    assert shlex.split(run.replace("\\%", "%")) == ["BACKCOACH_HOME=/b", *command]
    assert files.is_cron_line_of(line) and files.is_cron_line_of(line, "daily")
    assert not files.is_cron_line_of(line, "gentle")
    assert not files.is_cron_line_of("# 30 8 * * * x # backcoach reminder: daily")
    assert not files.is_cron_line_of("30 8 * * * other-job")
