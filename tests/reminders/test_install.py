"""Installing and removing reminders with fake scheduler programs, in a temporary home and
XDG_CONFIG_HOME: each round trip leaves the folders exactly as they were, `--off` takes away
only what backcoach put there, and a failure half way leaves nothing behind."""

from __future__ import annotations

import os
import plistlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from backcoach.errors import BackcoachError
from backcoach.library.timetable import Plan
from backcoach.reminders import files, install, record
from backcoach.reminders.install import Ran, System
from tests.fake_programs import FakePrograms

PLAN = Plan("daily", "Daily lower-back routine", 10, (1, 3, 5), (8 * 60 + 30,))
NOW = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


def snapshot(*roots: Path) -> dict[str, str]:
    """Every file, folder and link under the roots, with its content or target; not the cache
    folder (.cache: parsed files backcoach rebuilds at will, library/cache.py)."""
    found: dict[str, str] = {}
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not (Path(folder) == root and d == ".cache")]
            for name in dirs + names:
                path = Path(folder) / name
                key = str(path)
                if path.is_symlink():
                    found[key] = "-> " + os.readlink(path)
                elif path.is_dir():
                    found[key] = "<dir>"
                else:
                    found[key] = path.read_bytes().decode("utf-8", "replace")
    return found


def system(home: Path, fake: FakePrograms, platform: str = "linux",
           missing: Sequence[str] = ()) -> System:
    def runner(argv: Sequence[str], stdin: str | None = None) -> Ran:
        return Ran(*fake.run(argv, stdin))

    return System(platform=platform, home=home, config_home=home / ".config", uid=1000,
                  run=runner, which=lambda name: None if name in missing else f"/usr/bin/{name}",
                  command=("/usr/bin/python3", "-m", "backcoach"),
                  env={"BACKCOACH_HOME": str(home / "backcoach")})


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    return backcoach_home.parent  # HOME; XDG_CONFIG_HOME is HOME/.config


@pytest.fixture
def fake(home: Path, tmp_path: Path) -> FakePrograms:
    return FakePrograms(tmp_path / "fake-state", home / ".config")


@pytest.mark.parametrize("scheduler", install.SCHEDULERS)
def test_a_round_trip_leaves_nothing_behind(scheduler: str, home: Path,
                                            fake: FakePrograms) -> None:
    (home / "backcoach").mkdir(parents=True, exist_ok=True)
    sys_ = system(home, fake, platform="darwin" if scheduler == "launchd" else "linux")
    before = snapshot(home)
    entry = install.install(PLAN, sys_, scheduler, NOW)
    assert install.status(entry, sys_).active
    assert record.read_record() == [entry]
    assert snapshot(home) != before
    assert install.uninstall(entry, sys_) == []
    assert snapshot(home) == before
    assert fake.crontab is None and fake.load()["loaded"] == []


def test_systemd_files_registration_and_status(home: Path, fake: FakePrograms) -> None:
    sys_ = system(home, fake)
    assert install.choose(sys_) == "systemd"
    entry = install.install(PLAN, sys_, "systemd", NOW)
    unit_dir = home / ".config" / "systemd" / "user"
    assert entry.files == [str(unit_dir / "backcoach-reminder-daily.service"),
                           str(unit_dir / "backcoach-reminder-daily.timer")]
    assert fake.calls[-2:] == [["systemctl", "--user", "daemon-reload"],
                               ["systemctl", "--user", "enable", "--now",
                                "backcoach-reminder-daily.timer"]]
    assert "BACKCOACH_HOME=" in (unit_dir / "backcoach-reminder-daily.service").read_text()
    assert (unit_dir / "timers.target.wants" / "backcoach-reminder-daily.timer").is_symlink()
    # Taken away by hand: status says what is missing.
    (unit_dir / "backcoach-reminder-daily.timer").unlink()
    found = install.status(entry, sys_)
    assert not found.active
    assert found.problems[0] == f"{unit_dir / 'backcoach-reminder-daily.timer'} is missing"


def test_off_takes_only_what_backcoach_wrote(home: Path, fake: FakePrograms) -> None:
    sys_ = system(home, fake)
    unit_dir = home / ".config" / "systemd" / "user"
    unit_dir.mkdir(parents=True)
    (unit_dir / "mine.timer").write_text("[Timer]\nOnCalendar=daily\n")
    fake.run(["crontab", "-"], "0 3 * * * backup.sh\n")
    daily = install.install(PLAN, sys_, "systemd", NOW)
    gentle = install.install(Plan("gentle", "Gentle", 6, (6, 7), (600,)), sys_, "cron", NOW)
    assert fake.crontab is not None and fake.crontab.startswith("0 3 * * * backup.sh\n")
    assert [e.routine_id for e in record.read_record()] == ["daily", "gentle"]
    install.remove(gentle, sys_)
    assert fake.crontab == "0 3 * * * backup.sh\n"  # the person's own line stays
    install.remove(daily, sys_)
    assert sorted(p.name for p in unit_dir.iterdir()) == ["mine.timer"]
    assert (unit_dir / "mine.timer").read_text() == "[Timer]\nOnCalendar=daily\n"


def test_a_file_changed_by_the_person_is_left_with_a_note(home: Path,
                                                          fake: FakePrograms) -> None:
    sys_ = system(home, fake)
    entry = install.install(PLAN, sys_, "systemd", NOW)
    timer = Path(entry.files[1])
    timer.write_text("[Timer]\nOnCalendar=hourly\n")  # no longer backcoach's
    notes = install.remove(entry, sys_)
    assert notes == [f"{timer} was left in place: it no longer holds what backcoach wrote"]
    assert timer.exists() and not Path(entry.files[0]).exists()


def test_setting_it_again_replaces_the_old_one(home: Path, fake: FakePrograms) -> None:
    sys_ = system(home, fake)
    install.install(PLAN, sys_, "cron", NOW)
    later = Plan("daily", "Daily lower-back routine", 10, (2, 4), (18 * 60,))
    install.install(later, sys_, "cron", NOW)
    assert fake.crontab is not None
    lines = fake.crontab.splitlines()
    assert len(lines) == 1 and lines[0].startswith("0 18 * * 2,4 ")
    [entry] = record.read_record()
    assert (entry.days, entry.times) == ([2, 4], [18 * 60])


def test_a_failed_registration_leaves_nothing_behind(home: Path, fake: FakePrograms,
                                                     backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)

    def refusing(argv: Sequence[str], stdin: str | None = None) -> Ran:
        if "enable" in argv:
            return Ran(1, "", "Failed to enable unit: Access denied")
        return Ran(*fake.run(argv, stdin))

    sys_ = system(home, fake)
    sys_ = System(**{**sys_.__dict__, "run": refusing})
    before = snapshot(home)
    with pytest.raises(BackcoachError) as caught:
        install.install(PLAN, sys_, "systemd", NOW)
    assert str(caught.value) == ("systemctl --user enable --now backcoach-reminder-daily.timer "
                                 "failed: Failed to enable unit: Access denied")
    assert snapshot(home) == before and record.read_record() == []


def test_launchd_agent_is_bootstrapped_and_booted_out(home: Path, fake: FakePrograms) -> None:
    sys_ = system(home, fake, platform="darwin")
    assert install.choose(sys_) == "launchd"
    entry = install.install(PLAN, sys_, "launchd", NOW)
    path = home / "Library" / "LaunchAgents" / "backcoach.reminder.daily.plist"
    assert entry.files == [str(path)]
    assert plistlib.loads(path.read_bytes())["Label"] == "backcoach.reminder.daily"
    assert ["launchctl", "bootstrap", "gui/1000", str(path)] in fake.calls
    install.remove(entry, sys_)
    assert fake.calls[-1] == ["launchctl", "bootout", "gui/1000/backcoach.reminder.daily"]
    assert not (home / "Library").exists()


def test_the_scheduler_is_chosen_from_what_is_there(home: Path, tmp_path: Path) -> None:
    no_user = FakePrograms(tmp_path / "s", home / ".config", user_instance=False)
    assert install.choose(system(home, no_user)) == "cron"
    with pytest.raises(BackcoachError) as caught:
        install.choose(system(home, no_user, missing=["crontab"]))
    assert "no scheduler found here" in str(caught.value)
    assert "backcoach remind --ics reminders.ics" in str(caught.value)
    with pytest.raises(BackcoachError) as caught:
        install.choose(system(home, no_user, missing=["launchctl"]), "launchd")
    assert str(caught.value).startswith("launchctl was not found")
    with pytest.raises(BackcoachError) as caught:
        install.choose(system(home, no_user, platform="win32"))
    assert str(caught.value).startswith("backcoach cannot set reminders in Windows' Task")


def test_a_link_out_of_the_home_is_never_written_through(home: Path, fake: FakePrograms,
                                                         tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (home / ".config").mkdir(parents=True)
    (home / ".config" / "systemd").symlink_to(outside)
    with pytest.raises(BackcoachError) as caught:
        install.install(PLAN, system(home, fake), "systemd", NOW)
    assert "is a symbolic link to" in str(caught.value)
    assert list(outside.iterdir()) == []


def test_notifications_pass_the_text_as_an_argument(home: Path, fake: FakePrograms) -> None:
    text = 'Time for "x"; rm -rf ~'
    assert install.notify(system(home, fake), "backcoach", text)
    assert fake.calls[-1] == ["notify-send", "--app-name=backcoach", "backcoach", text]
    assert install.notify(system(home, fake, platform="darwin"), "backcoach", text)
    assert fake.calls[-1][-2:] == ["backcoach", text]
    assert not install.notify(system(home, fake, missing=["notify-send"]), "backcoach", text)


def test_a_damaged_record_says_what_to_do(backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "reminders.json").write_text("{not json")
    with pytest.raises(BackcoachError) as caught:
        record.read_record()
    assert "reminders.json is damaged" in str(caught.value)
    assert "move it aside" in str(caught.value)


def test_cron_marks_find_only_backcoach_lines() -> None:
    line = files.cron_lines(PLAN, ("b",), {})[0]
    assert files.is_cron_line_of(line, "daily")
