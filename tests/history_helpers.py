"""Builders for history tests: session results to store, and stored sessions for progress."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from backcoach.history.store import HistoryStore, StoredSession
from backcoach.session.result import ExerciseResult, SessionResult, SideResult

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


def result(started: datetime, *, routine: str = "daily", status: str = "done",
           pain: tuple[int | None, int | None] = (4, 3), elapsed: float = 600.0,
           exercise_statuses: tuple[str, ...] = ("done", "done")) -> SessionResult:
    """A session result with one two-sided and one one-sided exercise per status given."""
    exercises = []
    for index, ex_status in enumerate(exercise_statuses):
        sides = ("left", "right") if index % 2 == 0 else ()
        done = ex_status == "done"
        held = {side: SideResult(reps_done=2 if done else 0, seconds_held=60.0 if done else 0.0)
                for side in (sides or ("none",))}
        exercises.append(ExerciseResult(
            exercise_id=f"ex-{index}", name=f"Exercise {index}", planned_reps=2, planned_hold=30,
            sides=sides, status=ex_status, held=held,
            stop_reason="hurts" if ex_status == "stopped" else None,
            pain=6 if ex_status == "stopped" else None))
    return SessionResult(
        routine_id=routine, routine_name=routine.title(), started_at=started.astimezone(UTC),
        planned_seconds=620.0, exercises=exercises, status=status, end_reason="finished",
        ended_at=started.astimezone(UTC), elapsed_seconds=elapsed, pain_before=pain[0],
        pain_after=pain[1], screen_tier="clear")


def store_results(path: Path, results: list[SessionResult]) -> list[int]:
    """Begin and save each result; return the session ids."""
    ids = []
    with HistoryStore.open(path) as store:
        for item in results:
            session_id = store.begin(item)
            store.save(session_id, item)
            ids.append(session_id)
    return ids


def stored(started: datetime, *, routine: str = "daily", active: bool = True,
           pain: tuple[int | None, int | None] = (None, None), elapsed: float = 600.0,
           ident: int = 0) -> StoredSession:
    """A stored session as progress sees it (no exercise rows needed)."""
    return StoredSession(
        id=ident, routine_id=routine, routine_name=routine.title(),
        started_at=started.astimezone(UTC), ended_at=None, status="done", end_reason="",
        planned_seconds=600.0, elapsed_seconds=elapsed, speed=1.0, pain_before=pain[0],
        pain_after=pain[1], screen_tier=None, exercises_total=1, exercises_done=int(active),
        active=active)


def local(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 8,
          minute: int = 0) -> datetime:
    """A wall-clock time in a zone (fold 0 for an ambiguous hour)."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)
