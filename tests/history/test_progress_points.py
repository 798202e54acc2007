"""`progress` reads years of history as light tuples (`store.session_points`) and only the recent
weeks as rows (`store.progress_rows(since=...)`): the page it makes equals the one made from
every session read whole, in any zone, with rows another program wrote among them (issue 15)."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from backcoach.history import progress
from backcoach.history.store import HistoryStore
from backcoach.library.model import Schedule
from tests.history_helpers import LONDON, NEW_YORK
from tests.perf.gen_history import generate

NOW = datetime(2026, 3, 29, 12, 0, tzinfo=UTC)  # the day the clocks go forward in Europe
SCHEDULES = {"daily": Schedule(per_day=1, days_per_week=7)}

# Rows written by hand (sqlite3, past the CHECK constraints): the values after routine_id,
# routine_name and started_at. Each says how backcoach takes it.
REST = "NULL, 'done', 'finished', 600.0, {elapsed}, 1.0, {before}, {after}, 'clear'"
HAND_ROWS = [
    # Read whole in Python, and kept: letters beyond ASCII, a whole number of seconds, a tab
    # in the name (shown escaped), a start written with a space and no zone (taken as UTC), a
    # name of 600 letters (shown cut short).
    ("'daily'", "'Rücken täglich'", "'2026-03-20T07:30:00Z'", dict(elapsed="610.0")),
    ("'daily'", "'Daily'", "'2026-03-21T07:30:00Z'", dict(elapsed="610")),
    ("'daily'", "'Da\tily'", "'2026-03-01T07:30:00Z'", dict(elapsed="600.0")),
    ("'daily'", "'Daily'", "'2026-03-03 07:30:00'", dict(elapsed="600.0")),
    # Left out and counted: no such day, text for time spent, year 9001, a pain of 11, a
    # routine id that is bytes.
    ("'daily'", "'Daily'", "'2026-02-30T07:30:00Z'", dict(elapsed="600.0")),
    ("'daily'", "'Daily'", "'2026-03-02T07:30:00Z'", dict(elapsed="'long'")),
    ("'daily'", "'Daily'", "'9001-01-01T07:30:00Z'", dict(elapsed="600.0")),
    ("'daily'", "'Daily'", "'2026-03-04T07:30:00Z'", dict(elapsed="600.0", before="11")),
    ("x'00ff'", "'Daily'", "'2026-03-05T07:30:00Z'", dict(elapsed="600.0")),
    ("'daily'", f"'{'D' * 600}'", "'2026-03-06T07:30:00Z'", dict(elapsed="600.0")),
]


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two years of daily sessions up to NOW, with the hand-written rows above."""
    path = tmp_path_factory.mktemp("points") / "history.sqlite3"
    generate(path, days=730, end=NOW, seed=11)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for routine_id, name, started, values in HAND_ROWS:
        rest = REST.format(**{"before": "4", "after": "3", **values})
        conn.execute("INSERT INTO sessions (routine_id, routine_name, started_at, ended_at, "
                     "status, end_reason, planned_seconds, elapsed_seconds, speed, pain_before, "
                     f"pain_after, screen_tier) VALUES ({routine_id}, {name}, {started}, {rest})")
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def computer_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """This computer's zone (tz None) set to one that had daylight saving, for the test only."""
    monkeypatch.setenv("TZ", "America/Sao_Paulo")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize("zone", [LONDON, NEW_YORK, ZoneInfo("Asia/Kathmandu"), UTC, None],
                         ids=["london", "new-york", "kathmandu", "utc", "computer"])
@pytest.mark.parametrize("chart_days", [14, 56, 120])
def test_the_page_from_light_points_equals_the_page_from_every_row(
        history: Path, computer_zone: None, zone: tzinfo | None, chart_days: int) -> None:
    today = NOW.astimezone(zone).date()
    with HistoryStore.open_for_reading(history) as whole:
        rows = whole.progress_rows()
        expected = progress.summarize(rows, [], SCHEDULES, today, zone, chart_days=chart_days)
        note = whole.skipped_note()
    with HistoryStore.open_for_reading(history) as light:
        points = light.session_points()
        recent = light.progress_rows(since=progress.recent_since(today, zone, chart_days))
        found = progress.summarize_history(points, recent, [], SCHEDULES, today, zone,
                                           chart_days=chart_days)
        assert light.skipped_note() == note
    assert found == expected
    assert "5 sessions in" in note  # the five rows left out, by both ways of reading
    assert len(points) == len(rows) == 730 + 5
    assert len(recent) < 130  # the weeks shown day by day, not two years
    assert found.sessions_total == 735 and found.streaks.longest >= 1
    assert len(found.pain) == chart_days


def test_with_nothing_recent_the_latest_session_still_names_the_routine(
        tmp_path: Path) -> None:
    """Weeks without a session: this week's line names the routine last used, as before."""
    path = tmp_path / "history.sqlite3"
    generate(path, days=30, end=NOW - timedelta(days=200), seed=3)
    today = NOW.date()
    with HistoryStore.open_for_reading(path) as store:
        recent = store.progress_rows(since=progress.recent_since(today, UTC))
        found = progress.summarize_history(store.session_points(), recent, [], SCHEDULES,
                                           today, UTC)
        expected = progress.summarize(store.progress_rows(), [], SCHEDULES, today, UTC)
    assert len(recent) == 1 and recent[0].started_at < NOW - timedelta(days=199)
    assert found == expected
    assert [(t.routine_id, t.done) for t in found.targets] == [("daily", 0)]
    assert found.streaks.current == 0 and found.sessions_total == 30
