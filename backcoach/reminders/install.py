"""Putting reminders in place and taking them away: systemd user timers, cron, launchd agents.

Every program (systemctl, crontab, launchctl, notify-send, osascript) is called through the
`System`'s runner, so tests drive all of it without touching the real scheduler. What was
installed is recorded in `reminders.json` in the user's folder; `remove` takes away exactly
that: the files it wrote (only while they still carry backcoach's mark), the folders it made
(only when empty), its own crontab lines, and the scheduler's registration.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from backcoach import homefiles
from backcoach.errors import BackcoachError, BadInput
from backcoach.library.timetable import Plan
from backcoach.reminders import files
from backcoach.reminders.record import Installed, read_record, write_record

SCHEDULERS = ("systemd", "cron", "launchd")
CHOICES = ("auto", *SCHEDULERS)
_TIMEOUT = 30  # seconds a scheduler's program may take before backcoach gives up on it


@dataclass(frozen=True)
class Ran:
    """What a program did: its exit code and what it printed."""

    code: int
    out: str = ""
    err: str = ""


Runner = Callable[[Sequence[str], "str | None"], Ran]


def run_program(argv: Sequence[str], stdin: str | None = None) -> Ran:
    """Run a program to its end (at most _TIMEOUT seconds); 127 when it cannot be started."""
    try:
        done = subprocess.run(list(argv), input=stdin, capture_output=True, text=True,
                              timeout=_TIMEOUT, check=False)
    except FileNotFoundError:
        return Ran(127, "", f"{argv[0]}: not found")
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Ran(126, "", f"{argv[0]}: {exc}")
    return Ran(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class System:
    """The computer reminders are installed on, as far as backcoach needs to know it."""

    platform: str  # sys.platform
    home: Path  # the person's home folder: no file is written through a link out of it
    config_home: Path  # $XDG_CONFIG_HOME, else ~/.config (systemd's user units are below it)
    uid: int
    run: Runner
    which: Callable[[str], str | None]
    command: tuple[str, ...]  # how a scheduler starts backcoach
    env: Mapping[str, str] = field(default_factory=dict)  # what that start needs (BACKCOACH_HOME)

    @classmethod
    def real(cls) -> System:
        """This computer: its platform, home, programs on PATH, and this Python."""
        home = Path.home()
        env = {"BACKCOACH_HOME": os.path.abspath(os.environ["BACKCOACH_HOME"])} \
            if os.environ.get("BACKCOACH_HOME") else {}
        return cls(platform=sys.platform, home=home,
                   config_home=Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config"),
                   uid=os.getuid() if hasattr(os, "getuid") else 0, run=run_program,
                   which=shutil.which, command=(sys.executable, "-m", "backcoach"), env=env)

    def fire_command(self, routine_id: str) -> tuple[str, ...]:
        """What the scheduler runs: show the reminder if the routine is due today."""
        return (*self.command, "remind", "--fire", routine_id)


# ---------------------------------------------------------------------- choosing

def choose(system: System, wanted: str = "auto") -> str:
    """The scheduler to use: the one asked for, else launchd on macOS, a systemd user instance
    where one runs, else cron. BackcoachError when there is none."""
    if wanted not in CHOICES:
        raise BadInput(f"--with takes {', '.join(CHOICES)}, got '{wanted}'")
    needs = {"systemd": "systemctl", "cron": "crontab", "launchd": "launchctl"}
    if wanted != "auto":
        if system.which(needs[wanted]) is None:
            raise BackcoachError(f"{needs[wanted]} was not found, so backcoach cannot set a "
                                 f"{wanted} reminder here; {_ICS_HINT}")
        return wanted
    if system.platform == "darwin" and system.which("launchctl"):
        return "launchd"
    if system.platform.startswith("linux") or system.platform.startswith("freebsd"):
        if system.which("systemctl") and \
                system.run(["systemctl", "--user", "show-environment"], None).code == 0:
            return "systemd"
        if system.which("crontab"):
            return "cron"
    if system.platform == "win32":
        raise BackcoachError(f"backcoach cannot set reminders in Windows' Task Scheduler yet; "
                             f"{_ICS_HINT}")
    raise BackcoachError(f"no scheduler found here (no systemd user instance, cron or launchd); "
                         f"{_ICS_HINT}")


_ICS_HINT = ("`backcoach remind --ics reminders.ics` writes a calendar file your phone or "
             "calendar can import instead")


# ---------------------------------------------------------------------- notifications

def notifier(system: System) -> tuple[str, ...] | None:
    """The program that shows a desktop notification here, or None."""
    if system.platform == "darwin":
        return ("osascript",) if system.which("osascript") else None
    return ("notify-send",) if system.which("notify-send") else None


def no_notifier_note(system: System, scheduler: str) -> str:
    """What happens when the reminder fires and nothing can show a notification."""
    where = {"systemd": "the user journal (`journalctl --user -u "
                        "backcoach-reminder-*`)",
             "cron": "cron's mail, if your system sends it",
             "launchd": "launchd's log"}[scheduler]
    install = ("" if system.platform == "darwin" else
               " Install notify-send (libnotify-bin on Debian and Ubuntu, libnotify on Fedora "
               "and Arch) to see it on your desktop.")
    return (f"No notification program was found, so when the reminder fires its line goes to "
            f"{where} only; `backcoach due` and the prompt snippets in the README still show "
            f"when the routine is due.{install}")


def notify(system: System, title: str, text: str) -> bool:
    """Show a desktop notification; whether it could be shown."""
    program = notifier(system)
    if program is None:
        return False
    if program[0] == "osascript":  # the text as an argument: nothing in it is AppleScript
        argv = ["osascript", "-e", "on run argv", "-e",
                "display notification (item 2 of argv) with title (item 1 of argv)",
                "-e", "end run", title, text]
    else:
        argv = ["notify-send", "--app-name=backcoach", title, text]
    return system.run(argv, None).code == 0


def session_bus(uid: int, environ: Mapping[str, str]) -> dict[str, str]:
    """The desktop's D-Bus address for notify-send when cron (which has none) runs it."""
    bus = f"/run/user/{uid}/bus"
    if environ.get("DBUS_SESSION_BUS_ADDRESS") or not os.path.exists(bus):
        return {}
    return {"DBUS_SESSION_BUS_ADDRESS": f"unix:path={bus}"}


# ---------------------------------------------------------------------- installing

def _unit_dir(system: System) -> Path:
    return system.config_home / "systemd" / "user"


def _agents_dir(system: System) -> Path:
    return system.home / "Library" / "LaunchAgents"


def _missing(folders: Sequence[Path]) -> list[str]:
    """The folders of these that do not exist yet (made by the install, removed with it)."""
    return [str(folder) for folder in folders if not folder.exists()]


def install(plan: Plan, system: System, scheduler: str, now: datetime,
            record: Path | None = None) -> Installed:
    """Install a reminder for the plan (replacing this routine's earlier one) and record it."""
    for old in [e for e in read_record(record) if e.routine_id == plan.routine_id]:
        uninstall(old, system, record)
    entries = read_record(record)
    entry = Installed(plan.routine_id, plan.routine_name, list(plan.days), list(plan.times),
                      scheduler, installed_at=now.isoformat(timespec="seconds"))
    try:
        {"systemd": _install_systemd, "cron": _install_cron,
         "launchd": _install_launchd}[scheduler](plan, system, entry)
    except BaseException:
        _remove_files(entry)  # nothing half installed stays behind
        raise
    write_record([*entries, entry], record)
    return entry


def _write(path: Path, text: str, system: System, entry: Installed) -> None:
    homefiles.refresh_file(path, text, base=system.home)
    entry.files.append(str(path))


def _check(ran: Ran, what: str) -> None:
    if ran.code != 0:
        detail = (ran.err or ran.out).strip().splitlines()
        raise BackcoachError(f"{what} failed: {detail[-1] if detail else f'exit {ran.code}'}")


def _install_systemd(plan: Plan, system: System, entry: Installed) -> None:
    folder = _unit_dir(system)
    entry.folders = _missing([system.config_home, folder.parent, folder,
                              folder / "timers.target.wants"])
    name = files.unit_name(plan.routine_id)
    _write(folder / f"{name}.service",
           files.systemd_service(plan, system.fire_command(plan.routine_id), system.env),
           system, entry)
    _write(folder / f"{name}.timer", files.systemd_timer(plan), system, entry)
    _check(system.run(["systemctl", "--user", "daemon-reload"], None),
           "systemctl --user daemon-reload")
    ran = system.run(["systemctl", "--user", "enable", "--now", f"{name}.timer"], None)
    if ran.code != 0:
        system.run(["systemctl", "--user", "disable", f"{name}.timer"], None)
        _check(ran, f"systemctl --user enable --now {name}.timer")


def _install_cron(plan: Plan, system: System, entry: Installed) -> None:
    table = _crontab(system)
    kept = [line for line in table if not files.is_cron_line_of(line, plan.routine_id)]
    env = {**system.env, **session_bus(system.uid, os.environ)}
    added = files.cron_lines(plan, system.fire_command(plan.routine_id), env)
    _check(system.run(["crontab", "-"], "".join(f"{line}\n" for line in [*kept, *added])),
           "crontab -")


def _crontab(system: System) -> list[str]:
    """The person's crontab lines; none when they have no crontab yet."""
    ran = system.run(["crontab", "-l"], None)
    if ran.code != 0:
        if "no crontab" in ran.err.lower():
            return []
        _check(ran, "crontab -l")
    return ran.out.splitlines()


def _install_launchd(plan: Plan, system: System, entry: Installed) -> None:
    folder = _agents_dir(system)
    entry.folders = _missing([folder.parent, folder])
    label = files.launchd_label(plan.routine_id)
    path = folder / f"{label}.plist"
    plist = files.launchd_plist(plan, system.fire_command(plan.routine_id), system.env)
    _write(path, plist.decode("utf-8"), system, entry)
    system.run(["launchctl", "bootout", f"gui/{system.uid}/{label}"], None)  # an old one
    _check(system.run(["launchctl", "bootstrap", f"gui/{system.uid}", str(path)], None),
           f"launchctl bootstrap gui/{system.uid} {path}")


# ---------------------------------------------------------------------- removing

def remove(entry: Installed, system: System) -> list[str]:
    """Take a reminder away: the scheduler's registration, its files, the folders made for it.
    Returns notes on anything left in place (a file that no longer carries the mark)."""
    if entry.scheduler == "systemd":
        name = files.unit_name(entry.routine_id)
        system.run(["systemctl", "--user", "disable", "--now", f"{name}.timer"], None)
        wants = _unit_dir(system) / "timers.target.wants" / f"{name}.timer"
        if os.path.islink(wants):  # systemctl was not there to remove its link
            wants.unlink()
    elif entry.scheduler == "launchd":
        system.run(["launchctl", "bootout",
                    f"gui/{system.uid}/{files.launchd_label(entry.routine_id)}"], None)
    elif entry.scheduler == "cron":
        table = _crontab(system)
        kept = [line for line in table if not files.is_cron_line_of(line, entry.routine_id)]
        if len(kept) != len(table):
            if any(line.strip() for line in kept):
                _check(system.run(["crontab", "-"], "".join(f"{line}\n" for line in kept)),
                       "crontab -")
            else:  # only backcoach's lines were there: no crontab, as before
                _check(system.run(["crontab", "-r"], None), "crontab -r")
    notes = _remove_files(entry)
    if entry.scheduler == "systemd":
        system.run(["systemctl", "--user", "daemon-reload"], None)
    return notes


def uninstall(entry: Installed, system: System, record: Path | None = None) -> list[str]:
    """Remove an installed reminder and its line in the record (the record too, with the
    folders made for it, when it was the last); notes on anything left in place."""
    notes = remove(entry, system)
    write_record([e for e in read_record(record) if e.routine_id != entry.routine_id], record)
    _remove_folders(entry)  # again: the record may have been what kept one of them
    return notes


def _remove_folders(entry: Installed) -> None:
    for name in sorted(entry.folders, key=len, reverse=True):  # deepest first
        with contextlib.suppress(OSError):  # not empty: something else lives there now
            os.rmdir(name)


def _remove_files(entry: Installed) -> list[str]:
    notes = []
    for name in entry.files:
        path = Path(name)
        if not os.path.lexists(path):
            continue
        if path.is_symlink() or not path.is_file() or not _carries_mark(path):
            notes.append(f"{path} was left in place: it no longer holds what backcoach wrote")
            continue
        path.unlink()
    _remove_folders(entry)
    return notes


def _carries_mark(path: Path) -> bool:
    try:
        head = path.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return False
    return files.MARK in head


# ---------------------------------------------------------------------- status

@dataclass(frozen=True)
class Status:
    """What is in place of one installed reminder."""

    entry: Installed
    active: bool  # the scheduler has it
    problems: tuple[str, ...]  # what is missing


def status(entry: Installed, system: System) -> Status:
    """Check an installed reminder against the computer: files there, scheduler has it."""
    problems = [f"{name} is missing" for name in entry.files if not os.path.isfile(name)]
    if entry.scheduler == "systemd":
        name = f"{files.unit_name(entry.routine_id)}.timer"
        ran = system.run(["systemctl", "--user", "is-enabled", name], None)
        active = ran.code == 0 and ran.out.strip() == "enabled"
        if not active:
            problems.append(f"systemd does not have {name} enabled")
    elif entry.scheduler == "launchd":
        label = files.launchd_label(entry.routine_id)
        active = system.run(["launchctl", "print", f"gui/{system.uid}/{label}"], None).code == 0
        if not active:
            problems.append(f"launchd has not loaded {label}")
    else:
        try:
            active = any(files.is_cron_line_of(line, entry.routine_id)
                         for line in _crontab(system))
        except BackcoachError as exc:
            active, problems = False, [*problems, str(exc)]
        if not active:
            problems.append("its line is not in your crontab")
    return Status(entry, active and not problems, tuple(problems))
