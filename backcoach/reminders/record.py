"""The record of the reminders backcoach installed: `reminders.json` in the user's folder.

Kept apart from `install` so that `progress` and `due`, which only read the record, do not
load the scheduler code (subprocess and the unit-file writers).
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from backcoach import homefiles, paths
from backcoach.errors import BackcoachError
from backcoach.library.timetable import days_text, times_text

_FORMAT = "backcoach-reminders"


@dataclass
class Installed:
    """One reminder as installed: its plan, the scheduler, the files and folders it made."""

    routine_id: str
    routine_name: str
    days: list[int]
    times: list[int]
    scheduler: str
    files: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # made for it; removed when empty
    installed_at: str = ""

    @property
    def when(self) -> str:
        """`Mon to Fri at 08:30`."""
        return f"{days_text(self.days)} at {times_text(self.times)}"


def record_path() -> Path:
    """`reminders.json` in the user's folder."""
    return paths.config_dir() / paths.REMINDERS_FILE


def read_record(path: Path | None = None) -> list[Installed]:
    """The reminders backcoach installed; none when there is no record. A record that cannot
    be read is an error that says what to do (its files are named in it)."""
    path = path or record_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise BackcoachError(f"cannot read {path}: {exc}; move it aside and remove the files "
                             "it names by hand") from None
    try:
        document = json.loads(text)
        if document.get("format") != _FORMAT:
            raise ValueError("not backcoach's record of reminders")
        return [Installed(**{key: item[key] for key in Installed.__dataclass_fields__
                             if key in item}) for item in document["reminders"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BackcoachError(f"{path} is damaged ({exc}); move it aside, then remove the "
                             "backcoach-reminder files it names by hand") from None


def write_record(entries: Sequence[Installed], path: Path | None = None) -> None:
    """Write the record atomically; remove it when no reminder is left, with the folders the
    first reminder made for it (backcoach's folder, ~/.config) while they are empty."""
    path = path or record_path()
    made = _made_folders(path) if path.exists() else \
        [str(folder) for folder in (path.parent, path.parent.parent) if not folder.exists()]
    if not entries:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        for folder in made:  # deepest first
            with contextlib.suppress(OSError):
                os.rmdir(folder)
        return
    document = {"format": _FORMAT, "version": 1, "made_folders": made,
                "reminders": [asdict(entry) for entry in entries]}
    homefiles.refresh_file(path, json.dumps(document, indent=2) + "\n")


def _made_folders(path: Path) -> list[str]:
    """The folders the record says the first reminder made for it."""
    with contextlib.suppress(OSError, ValueError, AttributeError, TypeError):
        return [str(f) for f in json.loads(path.read_text(encoding="utf-8"))["made_folders"]]
    return []
