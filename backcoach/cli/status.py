"""`backcoach` without a command: a short status, fast (no library, no rich, no typer command).

Today's routine (the `routine` setting, else daily), whether a session of it is done today,
the streak, and the one command to start.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta


def default_routine() -> tuple[str, str]:
    """The routine `backcoach run` starts and a problem with the settings ('' when none). The
    settings file is read only when there is one (reading YAML costs start-up time)."""
    from backcoach import paths

    path = paths.config_dir() / paths.SETTINGS_FILE
    if not path.exists():
        return "daily", ""
    from backcoach.library import config

    settings, problems = config.read_settings(path)
    if problems:
        return settings.routine, f"{path.name} has problems: `backcoach validate`"
    return settings.routine, ""


def print_status() -> None:
    """Print the status lines (exit 0 whatever history holds: it is a glance, not a check)."""
    from backcoach.history import today as glance
    from backcoach.history.localtime import usable_zone
    from backcoach.history.store import HistoryStore, StorageError, default_path
    from backcoach.render.history_pages import status_page
    from backcoach.render.text import page_width

    routine, settings_problem = default_routine()
    zone, _ = usable_zone(None)
    now = datetime.now(UTC)
    today = now.astimezone(zone).date()
    recent: list[glance.SessionOutcome] = []
    streak, total, name, problem = glance.Streak(0, False), 0, "", ""
    path = default_path()
    if path.exists():
        try:
            with HistoryStore.open_for_reading(path) as store:
                total = store.count()
                name = store.last_routine_name(routine)
                streak = glance.streak_back_from(store.active_starts, now, zone)
                recent = list(store.sessions(since=now - timedelta(days=2),
                                             with_exercises=False, with_counts=False))
        except StorageError as exc:
            problem = str(exc)
    status = glance.today_status(routine, name, recent, streak, total, today, zone)
    page = status_page(status, page_width(), zone, "backcoach run", problem)
    if settings_problem:
        page.add(f"Note: {settings_problem}.")
    page.write()
    sys.stdout.flush()
