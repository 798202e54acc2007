"""Today at a glance: the streak of days with a session, and whether today's routine is done.

Kept apart from `progress` (charts, trends, advice) and light to import: the bare `backcoach`
status reads only this, the history file and a page, and is budgeted to start as fast as
`history`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import NamedTuple, Protocol


class SessionFacts(Protocol):
    """What the streak and today's status read of a session."""

    @property
    def routine_id(self) -> str: ...
    @property
    def routine_name(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def active(self) -> bool: ...


class Streaks(NamedTuple):
    """Consecutive days with a session that counts; today stays open until it ends."""

    current: int
    longest: int
    done_today: bool


def local_day(moment: datetime, tz: tzinfo | None) -> date:
    """The calendar day of a moment in a zone (None: this computer's zone)."""
    return moment.astimezone(tz).date()


def streaks(active_days: Iterable[date], today: date) -> Streaks:
    """Current and longest run of consecutive active days. Without a session today (yet), the
    current streak is the one that ended yesterday: the day is not over."""
    days = set(active_days)
    done_today = today in days
    current = 0
    cursor = today if done_today else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    longest = run = 0
    previous: date | None = None
    for day in sorted(days):
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    return Streaks(current=current, longest=max(longest, current), done_today=done_today)



class Today(NamedTuple):
    """The bare `backcoach` status: today's routine, its sessions today, the streak."""

    routine_id: str
    routine_name: str  # as the last session of it was named; '' when there has been none
    done_at: datetime | None  # the first session of it finished today
    started_at: datetime | None  # a session of it begun today and not finished
    streak: Streaks
    sessions_total: int


class SessionOutcome(Protocol):
    """What `today_status` reads of a stored session: its routine, start and status."""

    @property
    def routine_id(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


def today_status(rows: Sequence[SessionFacts], today_sessions: Iterable[SessionOutcome],
                 routine_id: str, today: date, tz: tzinfo | None) -> Today:
    """Today for the routine `routine_id`: done (a session of it finished today), started, or
    neither; and the streak over every session (`rows`, oldest first). `today_sessions` are
    the sessions that started since the start of today (with `status`), newest first."""
    name = next((row.routine_name for row in reversed(rows) if row.routine_id == routine_id),
                "")
    mine = [s for s in today_sessions if s.routine_id == routine_id
            and local_day(s.started_at, tz) == today]
    done = [s.started_at for s in mine if s.status == "done"]
    return Today(routine_id, name, min(done) if done else None,
                 None if done or not mine else max(s.started_at for s in mine),
                 streaks((local_day(row.started_at, tz) for row in rows if row.active), today),
                 len(rows))
