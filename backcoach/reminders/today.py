"""The full answer to "is it due today?": settings, the library, the installed reminders and the
history, worked out into the facts `due` prints, and the state file rewritten from them."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import tzinfo
from typing import TYPE_CHECKING

from backcoach.library.timetable import planned_days
from backcoach.reminders import due

if TYPE_CHECKING:
    from backcoach.history.progress import SessionFacts
    from backcoach.library.catalog import Catalog
    from backcoach.library.model import Routine
    from backcoach.library.settings import Settings


def installed_days() -> dict[str, list[int]]:
    """Each routine with a reminder installed, and its days; none when the record is unusable
    (`remind --status` says why)."""
    from backcoach.errors import BackcoachError
    from backcoach.reminders.record import read_record

    try:
        return {entry.routine_id: entry.days for entry in read_record()}
    except BackcoachError:
        return {}


def routine_minutes(routine: Routine, catalog: Catalog) -> int:
    """How long the routine takes, in whole minutes (at least 1)."""
    from backcoach.session.plan import compile_plan

    return max(1, round(compile_plan(routine, catalog).total_seconds / 60))


def facts_for(routine: Routine, catalog: Catalog, sessions: Iterable[SessionFacts],
              zone: tzinfo | None,
              installed: dict[str, list[int]]) -> due.DueFacts:
    """The facts of the line for one routine, from its sessions (any order)."""
    from backcoach.history import progress
    from backcoach.history.today import streaks

    pairs = progress.dated(sessions, zone)
    active = {day for day, session in pairs if session.active}
    mine = [day for day, session in pairs
            if session.active and session.routine_id == routine.id]
    last_day = max(mine) if mine else None
    # The streak as of its last day: `due` reads it against the day it runs on.
    streak_day = max(active) if active else None
    streak = streaks(active, streak_day).current if streak_day else 0
    return due.DueFacts(routine.id, routine.name, routine_minutes(routine, catalog),
                        planned_days(routine.id, routine.schedule.days_per_week, installed),
                        routine.schedule.per_day, last_day,
                        mine.count(last_day) if last_day else 0, streak_day, streak)


def _sessions() -> list[SessionFacts]:
    from backcoach.history.store import HistoryStore, default_path

    path = default_path()
    if not path.exists():
        return []
    with HistoryStore.open_for_reading(path) as store:
        return list(store.progress_rows())


def gather(routine_id: str | None, settings: Settings, catalog: Catalog) -> due.DueFacts:
    """The facts for a routine (default: the `routine` setting); BadInput or InvalidFiles when
    it does not exist or its file has problems."""
    from backcoach.history.localtime import usable_zone

    routine = catalog.routine(routine_id or settings.routine)
    zone, _ = usable_zone(None)
    return facts_for(routine, catalog, _sessions(), zone, installed_days())


def refresh_state(facts: due.DueFacts) -> None:
    """Rewrite the state file from the facts of the default routine (after a session, or when
    `due` found it out of date). The key is taken last, after the history was read."""
    from backcoach import paths

    data = str(paths.data_dir())
    key = due.state_key(due.config_dir(), data)
    if key is None:
        return
    os.makedirs(data, exist_ok=True)
    due.write_state(os.path.join(data, due.STATE_FILE), due.state_text(facts, key))
