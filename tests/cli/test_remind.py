"""`backcoach remind` as a person types it, with stand-ins for systemctl, crontab, launchctl
and notify-send first (and alone) on PATH: the real scheduler is never reached. Round trips in
the test's temporary HOME and XDG_CONFIG_HOME leave nothing behind."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from tests.fake_programs import FakePrograms, install_on_path
from tests.history_helpers import result, store_results
from tests.reminders.test_install import snapshot


def cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    return backcoach_home.parent


def fakes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path,
          programs: tuple[str, ...] = ("systemctl", "crontab", "launchctl", "notify-send"),
          user_instance: bool = True) -> FakePrograms:
    """The stand-ins, alone on PATH (sh and python are called by absolute path)."""
    state = tmp_path / "fake-state"
    fake = FakePrograms(state, home / ".config", user_instance=user_instance)
    install_on_path(tmp_path / "bin", state, programs)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    return fake


def test_set_show_and_remove_a_systemd_reminder(tmp_path: Path, home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fakes(tmp_path, monkeypatch, home)
    before = snapshot(home)
    done = cli("remind", "daily", "--at", "07:15", "--days", "mon,wed,fri")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[:3] == [
        "Reminder set: Daily lower-back routine (10 min), Mon, Wed, Fri at 07:15, by a "
        "systemd user timer.",
        "A reminder missed while the computer was off or asleep comes when it is next on.",
        'It says: "Time for your 10-minute daily lower-back routine: backcoach run daily" '
        "(only on a day the routine is still due)."]
    timer = home / ".config/systemd/user/backcoach-reminder-daily.timer"
    assert "OnCalendar=Mon,Wed,Fri *-*-* 07:15:00" in timer.read_text()
    assert ["systemctl", "--user", "enable", "--now", "backcoach-reminder-daily.timer"] \
        in fake.calls
    shown = cli("remind", "--status")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0] == "daily (Daily lower-back routine): Mon, Wed, Fri at 07:15, by a systemd " \
                       "user timer"
    assert lines[1] == "  ~/.config/systemd/user/backcoach-reminder-daily.service"
    assert lines[3].startswith("  next: ") and lines[3].endswith("07:15")
    off = cli("remind", "--off")
    assert off.exit_code == 0, off.output
    assert off.output.startswith("Removed the reminder for daily (~/.config/systemd/user/")
    assert snapshot(home) == before
    assert cli("remind", "--status").output.startswith("No reminders are set.")


def test_a_round_trip_in_a_fresh_home_leaves_nothing_at_all(
        tmp_path: Path, backcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of backcoach's existed: no folder of its own, no ~/.config."""
    home = backcoach_home.parent
    monkeypatch.delenv("BACKCOACH_HOME")
    fakes(tmp_path, monkeypatch, home)
    before = snapshot(home)
    assert cli("remind").exit_code == 0
    assert (home / ".config" / "backcoach" / "reminders.json").exists()
    assert cli("remind", "--off").exit_code == 0
    assert snapshot(home) == before


def test_cron_keeps_the_persons_own_lines(tmp_path: Path, home: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fakes(tmp_path, monkeypatch, home, user_instance=False)
    fake.run(["crontab", "-"], "MAILTO=me\n15 2 * * * ~/bin/backup\n")
    done = cli("remind", "gentle", "--at", "18:00", "--at", "08:00", "--days", "weekends")
    assert done.exit_code == 0, done.output
    assert "by a crontab line" in done.output.splitlines()[0]
    assert fake.crontab is not None
    table = fake.crontab.splitlines()
    assert table[:2] == ["MAILTO=me", "15 2 * * * ~/bin/backup"]
    assert [line.split()[:5] for line in table[2:]] == [["0", "8", "*", "*", "6,0"],
                                                        ["0", "18", "*", "*", "6,0"]]
    assert all("remind --fire gentle" in line for line in table[2:])
    assert cli("remind", "--off", "gentle").exit_code == 0
    assert fake.crontab == "MAILTO=me\n15 2 * * * ~/bin/backup\n"


def test_the_settings_give_the_defaults(tmp_path: Path, home: Path, backcoach_home: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fakes(tmp_path, monkeypatch, home)
    (backcoach_home / "config.yaml").write_text(
        "routine: neck-and-shoulders\nremind_at: [12:30, '17:00']\nremind_with: cron\n")
    done = cli("remind")
    assert done.exit_code == 0, done.output
    assert done.output.splitlines()[0] == (
        "Reminder set: Neck and shoulders (6 min), Mon to Fri at 12:30 and 17:00, by a crontab "
        "line.")
    assert fake.crontab is not None and fake.crontab.count("remind --fire neck-and-shoulders") == 2


def test_without_notify_send_it_says_what_happens(tmp_path: Path, home: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    fakes(tmp_path, monkeypatch, home, programs=("systemctl",))
    done = CliRunner().invoke(app, ["remind"])
    assert done.exit_code == 0, done.output
    assert ("No notification program was found, so when the reminder fires its line goes to "
            "the user journal") in done.output
    assert "Install notify-send (libnotify-bin on Debian and Ubuntu" in done.output


def test_no_scheduler_is_an_error_that_points_at_the_calendar_file(
        tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes(tmp_path, monkeypatch, home, programs=())
    done = cli("remind")
    assert done.exit_code == 1
    assert done.output == ("Error: no scheduler found here (no systemd user instance, cron or "
                           "launchd); `backcoach remind --ics reminders.ics` writes a calendar "
                           "file your phone or calendar can import instead\n")
    assert not (home / "backcoach" / "reminders.json").exists()


def test_fire_notifies_only_while_the_routine_is_due(tmp_path: Path, home: Path,
                                                     backcoach_home: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fakes(tmp_path, monkeypatch, home)
    fired = cli("remind", "--fire", "daily")
    assert fired.exit_code == 0, fired.output
    line = "Time for your 10-minute daily lower-back routine: backcoach run daily"
    assert fired.output == line + "\n"
    assert fake.notes == [f"backcoach | {line}"]
    store_results(backcoach_home / "history.sqlite3",
                  [result(datetime.now(UTC) - timedelta(minutes=1))])
    again = cli("remind", "--fire", "daily")
    assert again.exit_code == 0 and again.output == ""
    assert len(fake.notes) == 1  # done for today: no reminder


def test_test_shows_a_notification_now(tmp_path: Path, home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    fake = fakes(tmp_path, monkeypatch, home)
    done = cli("remind", "--test", "desk-break")
    assert done.exit_code == 0, done.output
    assert fake.notes == ["backcoach | Time for your 4-minute desk break: backcoach run "
                          "desk-break"]


def test_the_calendar_file(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "back.ics"
    done = cli("remind", "daily", "--ics", str(path), "--days", "mon-fri", "--at", "7.45")
    assert done.exit_code == 0, done.output
    assert done.output.startswith(f"Wrote {path}: Daily lower-back routine, Mon to Fri at 07:45")
    [event] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert event["RRULE"]["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]
    assert event.decoded("DTSTART").strftime("%H:%M") == "07:45"
    assert event.walk("VALARM")
    uid = str(event["UID"])
    again = cli("remind", "daily", "--ics", str(path))
    assert again.exit_code == 2
    assert again.output == (f"Error: {path} already exists; add --force to replace it, or name "
                            "another file\n")
    assert cli("remind", "daily", "--ics", str(path), "--force").exit_code == 0
    [event] = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["UID"]) == uid  # the same event, so a calendar updates it
    assert not (home / "backcoach" / "reminders.json").exists()  # nothing installed


def test_the_calendar_to_stdout_and_never_over_backcoachs_own_files(home: Path,
                                                                    backcoach_home: Path) -> None:
    out = cli("remind", "--ics", "-")
    assert out.exit_code == 0 and out.stdout_bytes.startswith(b"BEGIN:VCALENDAR\r\n")
    history = backcoach_home / "history.sqlite3"
    store_results(history, [result(datetime.now(UTC) - timedelta(days=3))])
    before = history.read_bytes()
    refused = cli("remind", "--ics", str(history), "--force")
    assert refused.exit_code == 2
    assert refused.output == (f"Error: {history} is backcoach's history: backcoach never "
                              "writes --ics over its own data. Name another file\n")
    assert history.read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--at", "25:00"], "--at takes a time of day such as 08:30 or 17:45 (24-hour clock), got "
                        "'25:00'"),
    (["--days", "someday"], "--days takes days such as mon,wed,fri, mon-fri, weekdays, weekends "
                            "or daily, got 'someday'"),
    (["--with", "at"], "--with takes auto, systemd, cron, launchd, got 'at'"),
    (["--status", "--off"], "--status and --off do different things; give one of them"),
    (["--off", "--at", "08:00"], "--at and --days choose when a reminder comes; --off takes "
                                 "neither"),
    (["dayly"], "no routine called 'dayly' (did you mean 'daily'?); `backcoach list` shows "
                "them all"),
])
def test_bad_input_is_one_line_and_exit_2(args: list[str], message: str, tmp_path: Path,
                                          home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fakes(tmp_path, monkeypatch, home)
    before = snapshot(home)
    done = cli("remind", *args)
    assert done.exit_code == 2, done.output
    assert done.output == f"Error: {message}\n"
    assert snapshot(home) == before


def test_a_real_subprocess_round_trip(tmp_path: Path, home: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The console script itself, as a person runs it."""
    import subprocess
    import sys

    fake = fakes(tmp_path, monkeypatch, home)
    env = dict(os.environ)
    before = snapshot(home)
    backcoach = [sys.executable, "-m", "backcoach"]
    on = subprocess.run([*backcoach, "remind", "--at", "06:00"], env=env, capture_output=True,
                        text=True, check=False)
    assert on.returncode == 0, on.stderr
    service = (home / ".config/systemd/user/backcoach-reminder-daily.service").read_text()
    assert f"ExecStart={sys.executable} -m backcoach remind --fire daily" in service
    off = subprocess.run([*backcoach, "remind", "--off"], env=env, capture_output=True,
                         text=True, check=False)
    assert off.returncode == 0, off.stderr
    assert snapshot(home) == before
    assert ["systemctl", "--user", "disable", "--now", "backcoach-reminder-daily.timer"] \
        in fake.calls


def test_progress_follows_the_reminders_days(tmp_path: Path, home: Path, backcoach_home: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fakes(tmp_path, monkeypatch, home)
    store_results(backcoach_home / "history.sqlite3",
                  [result(datetime.now(UTC) - timedelta(days=n)) for n in (1, 3)])
    before = CliRunner().invoke(app, ["progress"], env={"COLUMNS": "100"})
    assert before.exit_code == 0, before.output
    assert "of 7 planned this week" in before.output
    assert "planned sessions in the last 4 weeks (every day)" in before.output
    assert cli("remind", "daily", "--days", "mon,wed,fri").exit_code == 0
    after = CliRunner().invoke(app, ["progress"], env={"COLUMNS": "100"})
    assert "of 3 planned this week" in after.output
    assert "planned sessions in the last 4 weeks (Mon, Wed, Fri: its reminders)" in after.output
