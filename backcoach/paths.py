"""Where backcoach keeps things: the built-in library, the user's files and the history."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "backcoach"


def _home_override() -> Path | None:
    value = os.environ.get("BACKCOACH_HOME")
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """The user's own files: BACKCOACH_HOME, else the platform's config dir."""
    override = _home_override()
    if override is not None:
        return override
    if sys.platform == "win32":
        return Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming")) / APP
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def data_dir() -> Path:
    """Where history is stored: BACKCOACH_HOME, else the platform's data dir."""
    override = _home_override()
    if override is not None:
        return override
    if sys.platform in ("win32", "darwin"):
        return config_dir()
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP


def user_library_dirs() -> tuple[Path, Path]:
    """The user's exercise and routine folders."""
    base = config_dir()
    return base / "exercises", base / "routines"


def builtin_dir() -> Path:
    """The built-in library: inside the installed package, or at the top of a source checkout."""
    packaged = Path(__file__).resolve().parent / "exercises"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "exercises"
