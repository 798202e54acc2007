"""Today at a glance: the streak of days with a session, and whether today's routine is done.

Kept apart from `progress` (charts, trends, advice) and light to import: the bare `backcoach`
status reads only this, the history file and a page, and is budgeted to start as fast as
`history`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
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


class Streak(NamedTuple):
    """The current run of days with a session that counts (the status shows no more)."""

    current: int
    done_today: bool


def current_streak(days: Collection[date], today: date) -> Streak:
    """The run of consecutive active `days` ending today, or yesterday while today has no
    session yet (the day is not over); and whether today has one."""
    done_today = today in days
    current = 0
    cursor = today if done_today else today - timedelta(days=1)
    while cursor in days:
        current += 1
        cursor -= timedelta(days=1)
    return Streak(current, done_today)


def streaks(active_days: Iterable[date], today: date) -> Streaks:
    """Current and longest run of consecutive active days. Without a session today (yet), the
    current streak is the one that ended yesterday: the day is not over."""
    days = set(active_days)
    current, done_today = current_streak(days, today)
    longest = run = 0
    previous = -1
    for ordinal in sorted(day.toordinal() for day in days):  # whole numbers: years of days
        run = run + 1 if ordinal - previous == 1 else 1
        longest = max(longest, run)
        previous = ordinal
    return Streaks(current=current, longest=max(longest, current), done_today=done_today)


# The status reads this many days back first, and twice as many while the streak fills them.
FIRST_WINDOW_DAYS = 32
# Beyond any history: a streak this long is shown as far as it was read.
MAX_WINDOW_DAYS = 2 ** 17


def streak_back_from(active_since: Callable[[datetime], Iterable[datetime]], now: datetime,
                     tz: tzinfo | None) -> Streak:
    """The current streak, reading only as far back as it goes. `active_since(moment)` gives
    the starts of the sessions that count since `moment`: the status asks for the last
    FIRST_WINDOW_DAYS days, and for twice as many while the streak reaches the first day read
    (ten years of history are not read to count a streak of a week)."""
    today = now.astimezone(tz).date()
    window = FIRST_WINDOW_DAYS
    while True:
        # A day more than the window: a local day near its edge is read whole in any zone.
        starts = active_since(now - timedelta(days=window + 1))
        streak = current_streak({local_day(s, tz) for s in starts}, today)
        first_gap = (today if streak.done_today else today - timedelta(days=1)) - timedelta(
            days=streak.current)  # the day before the streak: read, and without a session
        if first_gap > today - timedelta(days=window) or window >= MAX_WINDOW_DAYS:
            return streak
        window *= 2


class Today(NamedTuple):
    """The bare `backcoach` status: today's routine, its sessions today, the streak."""

    routine_id: str
    routine_name: str  # as the last session of it was named; '' when there has been none
    done_at: datetime | None  # the first session of it finished today
    started_at: datetime | None  # a session of it begun today and not finished
    streak: Streak
    sessions_total: int


class SessionOutcome(Protocol):
    """What `today_status` reads of a stored session: its routine, start and status."""

    @property
    def routine_id(self) -> str: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def status(self) -> str: ...


def today_status(routine_id: str, routine_name: str, today_sessions: Iterable[SessionOutcome],
                 streak: Streak, sessions_total: int, today: date, tz: tzinfo | None) -> Today:
    """Today for the routine `routine_id` (last named `routine_name`): done (a session of it
    finished today), started, or neither. `today_sessions` are the sessions that started since
    the start of today (with `status`), newest first."""
    mine = [s for s in today_sessions if s.routine_id == routine_id
            and local_day(s.started_at, tz) == today]
    done = [s.started_at for s in mine if s.status == "done"]
    return Today(routine_id, routine_name, min(done) if done else None,
                 None if done or not mine else max(s.started_at for s in mine), streak,
                 sessions_total)
