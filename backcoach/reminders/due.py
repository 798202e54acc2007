"""Is the routine due today? The one line of `backcoach due`, from a small state file.

A shell prompt or a tmux status bar runs `backcoach due` often, so this module imports only
what Python has already loaded at start-up (os, sys) and datetime: no typer, no YAML, no
pathlib, no SQLite. The state file, `due.txt` beside the history, holds the facts the line is
made of (the routine, its minutes and days, the last session and the streak) and a key made of
the size and time of every file those facts come from. After every session, and whenever
`backcoach due` finds the key out of date, the full program works the facts out again and
rewrites the file. Shell prompts read the same file without starting Python at all (README,
"Reminders"): its `days`, `done` and `hint` lines are made for them.
"""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta

import backcoach

STATE_FILE = "due.txt"  # paths.DUE_FILE (a test keeps them equal)
FORMAT_VERSION = "1"
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
# Up to this many entries of the user's routines/ and exercises/ folders are part of the key;
# past that, `due` always takes the full path.
_MAX_ENTRIES = 2000


class DueFacts:
    """What the line is made of. Dates are local calendar days."""

    __slots__ = ("days", "last_count", "last_day", "minutes", "name", "per_day", "routine_id",
                 "streak", "streak_day")

    def __init__(self, routine_id: str, name: str, minutes: int, days: tuple[int, ...],
                 per_day: int, last_day: date | None = None, last_count: int = 0,
                 streak_day: date | None = None, streak: int = 0) -> None:
        self.routine_id = routine_id
        self.name = name
        self.minutes = minutes
        self.days = days  # ISO weekdays the routine is planned on
        self.per_day = per_day
        self.last_day = last_day  # the last day with a session of this routine that counts
        self.last_count = last_count  # how many that day
        self.streak_day = streak_day  # the last day with any session that counts
        self.streak = streak  # the run of days ending on streak_day

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DueFacts) and all(
            getattr(self, name) == getattr(other, name) for name in self.__slots__)

    def __repr__(self) -> str:
        return "DueFacts(" + ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__) + ")"


def due_line(facts: DueFacts, today: date) -> tuple[str, bool]:
    """The line and whether the routine is due today (sessions still to do on a planned day).

    `daily is due today: 10 min · streak 3`; done: `daily is done for today · streak 4`; on a
    day off: `daily is not planned today; next on Wed`. A missed day is never mentioned.
    """
    done = facts.last_count if facts.last_day == today else 0
    streak = facts.streak if facts.streak_day in (today, today - timedelta(days=1)) else 0
    tail = f" · streak {streak}" if streak else ""
    ident = facts.routine_id
    if done >= facts.per_day:
        return f"{ident} is done for today{tail}", False
    if today.isoweekday() in facts.days:
        part = f"{done} of {facts.per_day} done · " if done else ""
        return f"{ident} is due today: {part}{facts.minutes} min{tail}", True
    ahead = next(today + timedelta(days=n) for n in range(1, 8)
                 if (today + timedelta(days=n)).isoweekday() in facts.days)
    when = "tomorrow" if ahead == today + timedelta(days=1) else \
        f"on {_DAY_NAMES[ahead.weekday()]}"
    return f"{ident} is not planned today; next {when}{tail}", False


# ---------------------------------------------------------------------- where things are

def config_dir(environ: dict[str, str] | os._Environ[str] = os.environ,
               platform: str = sys.platform) -> str:
    """paths.config_dir() without pathlib (a test keeps the two in step)."""
    override = environ.get("BACKCOACH_HOME")
    if override:
        return os.path.expanduser(override)
    home = os.path.expanduser("~")
    if platform == "win32":
        return os.path.join(environ.get("APPDATA") or os.path.join(home, "AppData", "Roaming"),
                            "backcoach")
    if platform == "darwin":
        return os.path.join(home, "Library", "Application Support", "backcoach")
    return os.path.join(environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config"),
                        "backcoach")


def data_dir(environ: dict[str, str] | os._Environ[str] = os.environ,
             platform: str = sys.platform) -> str:
    """paths.data_dir() without pathlib (a test keeps the two in step)."""
    override = environ.get("BACKCOACH_HOME")
    if override:
        return os.path.expanduser(override)
    if platform in ("win32", "darwin"):
        return config_dir(environ, platform)
    home = os.path.expanduser("~")
    return os.path.join(environ.get("XDG_DATA_HOME") or os.path.join(home, ".local", "share"),
                        "backcoach")


def _stamp(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError:
        return "-"
    return f"{info.st_mtime_ns}:{info.st_size}"


def state_key(config: str, data: str) -> str | None:
    """The size and time of every file the facts come from, and what decides local days; None
    when the user's folders are too big to look at quickly."""
    import time
    import zlib

    parts = [backcoach.__version__, os.environ.get("TZ", ""), str(time.timezone),
             str(time.altzone), *time.tzname]
    for path in (os.path.join(config, "config.yaml"), os.path.join(config, "reminders.json"),
                 os.path.join(data, "history.sqlite3"),
                 os.path.join(data, "history.sqlite3-wal")):
        parts.append(_stamp(path))
    for name in ("routines", "exercises"):
        folder = os.path.join(config, name)
        parts.append(_stamp(folder))
        try:
            with os.scandir(folder) as entries:
                listed = []
                for count, entry in enumerate(entries):
                    if count >= _MAX_ENTRIES:
                        return None
                    listed.append(f"{entry.name}={_stamp(entry.path)}")
        except OSError:
            continue
        parts.extend(sorted(listed))
    text = "|".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(text):08x}-{len(text)}"


# ---------------------------------------------------------------------- the state file

def _day(text: str) -> date | None:
    return None if text == "-" else date.fromisoformat(text)


def state_text(facts: DueFacts, key: str) -> str:
    """The state file: `key value` lines, the first ones for shell prompts."""
    done = facts.last_day if facts.last_day is not None and \
        facts.last_count >= facts.per_day else None
    return "".join(f"{line}\n" for line in (
        "# backcoach: what is due, for `backcoach due` and shell prompts (README, Reminders).",
        "# Rewritten after every session; safe to delete.",
        f"version {FORMAT_VERSION}",
        f"days {' '.join(str(d) for d in facts.days)}",
        f"done {done.isoformat() if done else '-'}",
        f"hint {facts.routine_id} {facts.minutes} min",
        f"routine {facts.routine_id}",
        f"name {facts.name}",
        f"minutes {facts.minutes}",
        f"per_day {facts.per_day}",
        f"last {facts.last_day.isoformat() if facts.last_day else '-'} {facts.last_count}",
        f"streak {facts.streak_day.isoformat() if facts.streak_day else '-'} {facts.streak}",
        f"key {key}",
    ))


def read_state(text: str) -> tuple[DueFacts, str]:
    """The facts and the key of a state file; ValueError when it is not one."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition(" ")
            values[name] = value
    if values.get("version") != FORMAT_VERSION:
        raise ValueError("not a state file of this version")
    last, last_count = values["last"].split(" ")
    streak_day, streak = values["streak"].split(" ")
    facts = DueFacts(values["routine"], values["name"], int(values["minutes"]),
                     tuple(int(d) for d in values["days"].split()), int(values["per_day"]),
                     _day(last), int(last_count), _day(streak_day), int(streak))
    if not facts.days or facts.per_day < 1:
        raise ValueError("no days")
    return facts, values["key"]


def write_state(path: str, text: str) -> None:
    """Replace the state file atomically (a prompt never reads half of it)."""
    temp = f"{path}.{os.getpid()}.tmp"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0),
                     0o644)
        with open(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temp, path)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


# ---------------------------------------------------------------------- the fast path

def fast_due(argv: list[str], today: date | None = None) -> int | None:
    """`backcoach due` from an up-to-date state file: print the line, return the exit code
    (0 due, 1 not due). None when the full program must answer (other arguments, no state
    file, an old one), which then rewrites the file."""
    if argv != ["due"]:
        return None
    config, data = config_dir(), data_dir()
    try:
        with open(os.path.join(data, STATE_FILE), encoding="utf-8") as handle:
            facts, key = read_state(handle.read(65536))
    except (OSError, ValueError, KeyError, UnicodeDecodeError):
        return None
    if key != state_key(config, data):
        return None
    line, due = due_line(facts, today or date.today())
    try:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()
    except (OSError, ValueError, AttributeError):
        return None  # a closed stdout: the full program says so
    return 0 if due else 1
