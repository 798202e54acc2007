"""The settings in force: config.yaml's values over the defaults, and where the file is.

Reading and checking the file is `config` (the field table, YAML with line:col); the values are
taken from the cache (`library.cache`) while the file is unchanged, so a session or a status
line starts without the YAML parser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backcoach import paths
from backcoach.errors import InvalidFiles, Problem
from backcoach.record import FrozenRecord, set_once

COUNTDOWNS = ("big", "plain")
# How much the voice says: off, or the essentials (brief), or the first step of each exercise
# and a cue in each hold as well (full). true means full, false off.
VOICES = ("off", "brief", "full")
# The red-flag questions are asked again when the last answers are older than this (the
# `rescreen_days` setting); more than MAX_RESCREEN_DAYS is too stale to trust: warning signs can
# appear within weeks.
RESCREEN_DAYS = 30
MAX_RESCREEN_DAYS = 90
# Reminders and desk breaks (issue 16): the scheduler `remind` uses, and the defaults.
REMIND_WITH = ("auto", "systemd", "cron", "launchd")
REMIND_AT = (8 * 60 + 30,)  # 08:30
BREAKS_EVERY = 45 * 60
BREAKS_SNOOZE = 10 * 60


def settings_path() -> Path:
    """Where the settings file is: BACKCOACH_HOME, else the platform's config dir."""
    return paths.config_dir() / paths.SETTINGS_FILE


class Settings(FrozenRecord):
    """The settings in force; `given` names the ones the file set, `where` their positions
    (line, column), and `path` is the file as shown in messages ('' when there is none).

    The defaults here are the settings file's defaults: config.FIELDS takes them from
    `DEFAULTS`. Equal, and hashed, whatever `where` says: the same settings written on other
    lines are the same settings.
    """

    __slots__ = ("breaks_during", "breaks_every", "breaks_routine", "breaks_snooze",
                 "countdown", "given", "path", "remind_at", "remind_days", "remind_with",
                 "rescreen_days", "routine", "sound", "voice", "where")
    sound: bool
    voice: str
    routine: str
    rescreen_days: int
    countdown: str
    remind_at: tuple[int, ...]  # minutes after midnight
    remind_days: tuple[int, ...]  # ISO weekdays; none: the routine's days_per_week
    remind_with: str
    breaks_every: int  # seconds
    breaks_snooze: int
    breaks_routine: str
    breaks_during: tuple[int, ...]  # (start, end) in minutes after midnight; none: always
    path: str
    given: tuple[str, ...]
    where: dict[str, tuple[int, int]]

    def __init__(self, sound: bool = True, voice: str = "off", routine: str = "daily",
                 rescreen_days: int = RESCREEN_DAYS, countdown: str = "big",
                 remind_at: tuple[int, ...] = REMIND_AT,
                 remind_days: tuple[int, ...] = (),
                 remind_with: str = "auto", breaks_every: int = BREAKS_EVERY,
                 breaks_snooze: int = BREAKS_SNOOZE, breaks_routine: str = "desk-break",
                 breaks_during: tuple[int, ...] = (), path: str = "",
                 given: tuple[str, ...] = (),
                 where: dict[str, tuple[int, int]] | None = None) -> None:
        set_once(self, sound=sound, voice=voice, routine=routine, rescreen_days=rescreen_days,
                 countdown=countdown, remind_at=remind_at, remind_days=remind_days,
                 remind_with=remind_with, breaks_every=breaks_every,
                 breaks_snooze=breaks_snooze, breaks_routine=breaks_routine,
                 breaks_during=breaks_during, path=path, given=given,
                 where=where if where is not None else {})

    def _compared(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._names if name != "where")

    def values(self) -> dict[str, Any]:
        """Each setting by name, in the order of the file format."""
        from backcoach.library.config import FIELDS

        return {spec.name: getattr(self, spec.name) for spec in FIELDS}


DEFAULTS = Settings()


def load_settings(path: Path | None = None) -> Settings:
    """The settings in force; InvalidFiles (exit 2) listing every problem of a bad file."""
    from backcoach.library.cache import remember

    path = path or settings_path()

    def read() -> tuple[Settings, list[Problem]]:
        from backcoach.library.config import read_settings

        return read_settings(path)

    settings, problems = remember("settings", [path], read, (Settings, Problem),
                                  fits=_settings_and_problems, extra=str(path))
    if problems:
        raise InvalidFiles(problems)
    return settings


def _settings_and_problems(value: object) -> bool:
    """Whether a cached value is what `read_settings` returns: settings and a list."""
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], Settings) \
        and isinstance(value[1], list)
