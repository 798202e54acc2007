"""Where backcoach keeps things: the built-in library, the user's files and the history."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

from backcoach.errors import BackcoachError

APP = "backcoach"
HISTORY_FILE = "history.sqlite3"
# SQLite keeps these beside the history while it is open (WAL) or mid-transaction.
HISTORY_COMPANIONS = ("-wal", "-shm", "-journal")
SETTINGS_FILE = "config.yaml"
REMINDERS_FILE = "reminders.json"  # what `backcoach remind` installed, in the config folder
DUE_FILE = "due.txt"  # what is due today, for `backcoach due` and shell prompts (data folder)


class HomeError(BackcoachError):
    """backcoach's folder cannot be used: a file, a dangling link, a loop, unreadable (exit 1)."""


def _home_override() -> Path | None:
    value = os.environ.get("BACKCOACH_HOME")
    return Path(value).expanduser() if value else None


def _describe(folder: Path) -> str:
    """How a folder is named in messages: by the variable that chose it, when one did."""
    if _home_override() is not None:
        return f"BACKCOACH_HOME ({folder})"
    return f"the backcoach folder {folder}"


def _fix(folder: Path) -> str:
    if _home_override() is not None:
        return "set BACKCOACH_HOME to a folder you can use (it is made when missing)"
    return f"move {folder} aside, or set BACKCOACH_HOME to a folder you can use"


def checked_folder(folder: Path) -> Path:
    """`folder` when it is a usable folder or does not exist yet (it is made when needed);
    HomeError saying why and what to do when it is a file, a dangling link, a loop of links
    or a folder that cannot be read. A missing drive must not read as "no history yet"."""
    try:
        info = os.stat(folder)
    except FileNotFoundError:
        if os.path.islink(folder):
            raise HomeError(f"{_describe(folder)} is a symbolic link to {os.readlink(folder)}, "
                            "which does not exist (a drive that is not mounted?); create it, "
                            f"or {_fix(folder)}") from None
        return folder
    except OSError as exc:  # a loop of links, a parent that is a file, no permission
        raise HomeError(f"{_describe(folder)} cannot be used: {exc.strerror}; "
                        f"{_fix(folder)}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise HomeError(f"{_describe(folder)} is not a folder; {_fix(folder)}")
    if not os.access(folder, os.R_OK | os.X_OK):
        raise HomeError(f"{_describe(folder)} cannot be read: permission denied; make it "
                        f"readable, or {_fix(folder)}")
    return folder


def config_dir() -> Path:
    """The user's own files: BACKCOACH_HOME, else the platform's config dir (HomeError when
    it exists but cannot be used)."""
    return checked_folder(_config_dir())


def _config_dir() -> Path:
    override = _home_override()
    if override is not None:
        return override
    if sys.platform == "win32":
        return _appdata() / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def _appdata() -> Path:
    """%APPDATA% (the roaming profile folder); an unset, empty or relative one (which would
    put files in whatever folder backcoach was started from) gives the usual place in the
    user's profile instead."""
    value = os.environ.get("APPDATA", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / "AppData" / "Roaming"


def data_dir() -> Path:
    """Where history is stored: BACKCOACH_HOME, else the platform's data dir (HomeError when
    it exists but cannot be used)."""
    return checked_folder(_data_dir())


def _data_dir() -> Path:
    override = _home_override()
    if override is not None:
        return override
    if sys.platform in ("win32", "darwin"):
        return _config_dir()
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP


def cache_dir() -> Path:
    """Where backcoach keeps what it can rebuild (the parsed library): the platform's cache
    folder, never BACKCOACH_HOME (a folder of files someone shares carries no cache)."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / APP / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / APP
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def own_files() -> list[tuple[Path, str]]:
    """backcoach's own data files, each with what it is (for messages): the history and its
    SQLite companions, and the settings. Nothing named on the command line may replace them;
    the files in `user_library_dirs()` are the user's own too."""
    history = _data_dir() / HISTORY_FILE
    return [(history, "history"),
            *((Path(f"{history}{suffix}"), "history (SQLite's working file)")
              for suffix in HISTORY_COMPANIONS),
            (_config_dir() / SETTINGS_FILE, "settings file"),
            (_config_dir() / REMINDERS_FILE, "record of reminders"),
            (_data_dir() / DUE_FILE, "state file for prompts")]


def user_library_dirs() -> tuple[Path, Path, Path]:
    """The user's exercise, routine and lesson folders."""
    base = config_dir()
    return base / "exercises", base / "routines", base / "lessons"


def own_folders() -> tuple[Path, Path, Path]:
    """The user's exercise, routine and lesson folders, named even when the home cannot be
    used: every file in them is the user's own."""
    base = _config_dir()
    return base / "exercises", base / "routines", base / "lessons"


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent / "exercises"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "exercises"
