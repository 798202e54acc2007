"""Streaks, adherence, minutes and pain trends from stored sessions. Pure: no I/O, no clock.

Sessions carry UTC start times; a session belongs to the local calendar day on which it started, in
the time zone the caller passes (None: this computer's zone, daylight saving included). Weeks run
Monday to Sunday. "Today" is passed in too, so every figure here can be tested at any date.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple, Protocol

from backcoach.history.today import SessionFacts as StreakFacts
from backcoach.history.today import Streaks, local_day, streaks
from backcoach.library.model import Schedule
from backcoach.library.timetable import spread
from backcoach.safety import rules
from backcoach.session.safety_record import PainOnset

if TYPE_CHECKING:
    from backcoach.history.store import SessionPoint


class SessionFacts(StreakFacts, Protocol):
    """What progress needs to know of a stored session (storage.StoredSession has it): what
    the streak reads, and the time spent and pain scores."""

    @property
    def elapsed_seconds(self) -> float: ...
    @property
    def pain_before(self) -> int | None: ...
    @property
    def pain_after(self) -> int | None: ...


class TallyFacts(Protocol):
    """How often an exercise was skipped or stopped (storage.ExerciseTally has it)."""

    @property
    def exercise_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def times(self) -> int: ...
    @property
    def skipped(self) -> int: ...
    @property
    def stopped(self) -> int: ...


# Day and PainReport are named tuples: progress makes one per day and per session of years of
# history, and a tuple is made several times faster than a frozen dataclass.
class Day(NamedTuple):
    """One local calendar day of history."""

    day: date
    sessions: int = 0  # sessions that count: at least one exercise worked on
    started: int = 0  # every session started, finished or not
    seconds: float = 0.0
    pain_before: float | None = None  # mean of the reports that day
    pain_after: float | None = None


# One session's pain scores (0-10), on the local day the session started: the very value the
# pain rules read, so ten years of reports are not copied into a second kind of tuple.
PainReport = rules.PainPoint


class WeekTarget(NamedTuple):
    """Sessions this week (Monday to Sunday) against a routine's schedule."""

    routine_id: str
    routine_name: str
    done: int  # sessions that count, at most `per_day` on any one day
    planned: int | None  # days_per_week x per_day; None when the routine is no longer known
    days: int  # days with a session of this routine


class Adherence(NamedTuple):
    """A routine's planned days over the last weeks (its reminders' days when it has them):
    how many had their sessions. A day without one is a gap, nothing more."""

    routine_id: str
    routine_name: str
    days: tuple[int, ...]  # ISO weekdays it is planned on
    done: int  # sessions on planned days, at most `per_day` a day
    planned: int  # planned days so far x per_day (today only once it has its sessions)
    weeks: int


class HeatWeek(NamedTuple):
    """One calendar week of the heat strip: sessions per day Monday to Sunday, None in future."""

    monday: date
    counts: tuple[int | None, ...]


class Progress(NamedTuple):
    """Everything the progress page shows."""

    today: date
    days: Mapping[date, Day]  # the days of `recent_since` on, each with a session
    streaks: Streaks
    targets: list[WeekTarget]
    minutes_total: float
    minutes_week: float
    sessions_total: int
    pain: list[Day]  # every day of the chart window, empty days included
    trend: rules.PainTrend  # the one pain trend, over this bout of pain
    skipped: list[TallyFacts]
    heat: list[HeatWeek]
    episode_start: date | None  # when this bout of pain began (rules.episode_start)
    reports: list[PainReport]  # every session's, oldest first
    adherence: list[Adherence]  # planned days, last 4 weeks


def week_start(day: date) -> date:
    """The Monday of the week of `day`."""
    return day - timedelta(days=day.weekday())


# The weeks of the sessions-a-day strip, and of the exercises skipped or stopped most often:
# what someone is avoiding now, not over every year of their history.
RECENT_WEEKS = 12


def recent_start(today: date, tz: tzinfo | None) -> datetime:
    """When the RECENT_WEEKS calendar weeks up to `today` began: midnight of their first
    Monday in the zone (None: this computer's), as UTC."""
    return _midnight(week_start(today) - timedelta(weeks=RECENT_WEEKS - 1), tz)


def _midnight(day: date, tz: tzinfo | None) -> datetime:
    """The start of a local day in the zone (None: this computer's), as UTC."""
    midnight = datetime.combine(day, time())
    local = midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()
    return local.astimezone(UTC)


Dated = list[tuple[date, SessionFacts]]
# Enough days back for this week's targets (28 days) and four weeks of adherence.
RECENT_DAYS = 35


def _day(pair: tuple[date, SessionFacts]) -> date:
    return pair[0]


def dated(sessions: Iterable[SessionFacts], tz: tzinfo | None) -> Dated:
    """Each session with its local day, oldest first (one time-zone conversion per session)."""
    ordered = sorted(sessions, key=attrgetter("started_at"))  # already so from the store: cheap
    return [(local_day(session.started_at, tz), session) for session in ordered]


def by_day(pairs: Dated) -> dict[date, Day]:
    """Per local day of dated sessions (oldest first): sessions that count, started, seconds
    and mean pain."""
    # One running tally per day: counted, started, seconds, sum and number of pain reports
    # before, then after. Plain lists: this runs once per session over years of history.
    tallies: dict[date, list[float]] = {}
    for day, session in pairs:
        tally = tallies.get(day)
        if tally is None:
            tally = tallies[day] = [0, 0, 0.0, 0, 0, 0, 0]
        if session.active:
            tally[0] += 1
        tally[1] += 1
        tally[2] += session.elapsed_seconds
        if session.pain_before is not None:
            tally[3] += session.pain_before
            tally[4] += 1
        if session.pain_after is not None:
            tally[5] += session.pain_after
            tally[6] += 1
    return {day: Day(day, int(t[0]), int(t[1]), t[2], t[3] / t[4] if t[4] else None,
                     t[5] / t[6] if t[6] else None)
            for day, t in sorted(tallies.items())}


# Sessions of exercises run on their own (`run --only`) have no routine: one line for them all.
ON_THEIR_OWN = "Exercises on their own"


def week_targets(pairs: Dated, schedules: Mapping[str, Schedule], today: date,
                 lookback_days: int = 28,
                 planned_days: Mapping[str, Sequence[int]] | None = None) -> list[WeekTarget]:
    """This week's sessions of each routine in recent use, against its schedule: on the days
    of its reminders when `planned_days` has them, else `days_per_week` days. Sessions of
    exercises on their own (no routine id) are counted together, against no plan.

    Routines count as in use when they have a session in the last `lookback_days`; without one,
    the routine of the latest session. At most `per_day` sessions count on any one day, so three
    sessions on Monday do not make up for Tuesday.
    """
    monday = week_start(today)
    horizon = today - timedelta(days=lookback_days - 1)
    names: dict[str, str] = {}
    per_day: dict[str, dict[date, int]] = {}
    latest: tuple[datetime, str, str] | None = None
    for day, session in pairs:
        if latest is None or session.started_at > latest[0]:
            latest = (session.started_at, session.routine_id, session.routine_name)
        if horizon <= day <= today:
            names.setdefault(session.routine_id, session.routine_name)
            per_day.setdefault(session.routine_id, {})
            if monday <= day and session.active:
                days = per_day[session.routine_id]
                days[day] = days.get(day, 0) + 1
    if not names and latest is not None:
        names[latest[1]] = latest[2]
        per_day[latest[1]] = {}
    targets = []
    for routine_id, name in names.items():
        if not routine_id:
            name = ON_THEIR_OWN
        schedule = schedules.get(routine_id) if routine_id else None
        cap = schedule.per_day if schedule else None
        days = per_day[routine_id]
        done = sum(min(count, cap) if cap else count for count in days.values())
        week_days = len((planned_days or {}).get(routine_id) or ()) or \
            (schedule.days_per_week if schedule else 0)
        planned = week_days * schedule.per_day if schedule else None
        targets.append(WeekTarget(routine_id, name, done, planned, len(days)))
    targets.sort(key=lambda t: (-t.done, -(t.planned or 0), t.routine_name))
    return targets


def adherence(pairs: Dated, target: WeekTarget, schedule: Schedule, days: Sequence[int],
              today: date, weeks: int = 4) -> Adherence:
    """A routine's planned days over the last `weeks` weeks, today included once it has its
    sessions (the day is not over): sessions on them, at most `per_day` a day."""
    first = today - timedelta(days=weeks * 7 - 1)
    counts: dict[date, int] = {}
    for day, session in pairs:
        if session.active and session.routine_id == target.routine_id and first <= day <= today:
            counts[day] = counts.get(day, 0) + 1
    planned = done = 0
    for offset in range(weeks * 7):
        day = first + timedelta(days=offset)
        if day.isoweekday() not in days:
            continue
        got = min(counts.get(day, 0), schedule.per_day)
        if day == today and got < schedule.per_day:
            continue
        planned += schedule.per_day
        done += got
    return Adherence(target.routine_id, target.routine_name, tuple(sorted(days)), done, planned,
                     weeks)


def window(days: Mapping[date, Day], today: date, count: int) -> list[Day]:
    """The last `count` days up to today, oldest first, with empty days filled in."""
    first = today - timedelta(days=count - 1)
    return [days.get(first + timedelta(days=n)) or Day(first + timedelta(days=n))
            for n in range(count)]


def first_pain_day(reports: Sequence[PainReport]) -> date | None:
    """The first day of the current pain episode in history (rules.first_pain_day)."""
    return rules.first_pain_day(reports)


def most_skipped(tallies: Iterable[TallyFacts], limit: int = 3) -> list[TallyFacts]:
    """The exercises most often skipped or stopped, most first; none that never were."""
    found = [t for t in tallies if t.skipped + t.stopped > 0]
    found.sort(key=lambda t: (-(t.skipped + t.stopped), -t.stopped, t.name))
    return found[:limit]


def heat_strip(days: Mapping[date, Day], today: date, weeks: int) -> list[HeatWeek]:
    """The last `weeks` calendar weeks (this one last): sessions that count, per day."""
    this_monday = week_start(today)
    strip = []
    for back in range(weeks - 1, -1, -1):
        monday = this_monday - timedelta(weeks=back)
        counts: list[int | None] = []
        for offset in range(7):
            day = monday + timedelta(days=offset)
            counts.append(None if day > today else (days[day].sessions if day in days else 0))
        strip.append(HeatWeek(monday, tuple(counts)))
    return strip


def recent_since(today: date, tz: tzinfo | None, chart_days: int = 28,
                 heat_weeks: int = RECENT_WEEKS) -> datetime:
    """Where the sessions the page shows day by day begin, as UTC: local midnight of the heat
    strip's first Monday, or of the chart's first day, or RECENT_DAYS back, the earliest."""
    return _midnight(min(week_start(today) - timedelta(weeks=heat_weeks - 1),
                         today - timedelta(days=max(chart_days, RECENT_DAYS) - 1)), tz)


def points_of(sessions: Iterable[SessionFacts]) -> list[SessionPoint]:
    """Sessions as the whole-history figures read them (`store.session_points` reads them
    from the file without making a session of each), oldest first."""
    return [(s.started_at, s.active, s.elapsed_seconds, s.pain_before, s.pain_after)
            for s in sorted(sessions, key=attrgetter("started_at"))]


def summarize(sessions: Sequence[SessionFacts], tallies: Iterable[TallyFacts],
              schedules: Mapping[str, Schedule], today: date, tz: tzinfo | None,
              chart_days: int = 28, heat_weeks: int = RECENT_WEEKS,
              onset: PainOnset | None = None,
              planned_days: Mapping[str, Sequence[int]] | None = None) -> Progress:
    """Everything the progress page shows, from the sessions and the exercise tallies (see
    `summarize_history`)."""
    ordered = sorted(sessions, key=attrgetter("started_at"))
    since = recent_since(today, tz, chart_days, heat_weeks)
    recent = [s for s in ordered if s.started_at >= since] or ordered[-1:]
    return summarize_history(points_of(ordered), recent, tallies, schedules, today, tz,
                             chart_days, heat_weeks, onset, planned_days)


def summarize_history(points: Sequence[SessionPoint], recent: Sequence[SessionFacts],
                      tallies: Iterable[TallyFacts], schedules: Mapping[str, Schedule],
                      today: date, tz: tzinfo | None, chart_days: int = 28,
                      heat_weeks: int = RECENT_WEEKS, onset: PainOnset | None = None,
                      planned_days: Mapping[str, Sequence[int]] | None = None) -> Progress:
    """Everything the progress page shows. `points`: every session, oldest first, for the
    figures over all of history (streaks, totals, this bout of pain); `recent`: the sessions
    since `recent_since` (and the latest one, whenever it was), with their routines, for the
    days shown one by one and this week's targets. `onset` is when the person said this bout
    of pain began; `planned_days` the days of each routine's reminders (a routine without:
    its `days_per_week` spread over the week)."""
    # One lean pass over years of sessions: each one's local day, once.
    active_days: set[date] = set()
    reports: list[PainReport] = []
    seconds = 0.0
    for started_at, active, elapsed, before, after in points:
        day = local_day(started_at, tz)
        if active:
            active_days.add(day)
        seconds += elapsed
        if before is not None or after is not None:
            reports.append(PainReport(day, before, after))
    pairs = dated(recent, tz)
    days = by_day(pairs)
    monday = week_start(today)
    week_seconds = sum(day.seconds for day in days.values() if monday <= day.day <= today)
    start = rules.episode_start(onset, reports)
    # This week's targets and the last four weeks' adherence read only the weeks they count
    # (and the latest session, for a routine out of use).
    latest = pairs[bisect_left(pairs, today - timedelta(days=RECENT_DAYS), key=_day):] \
        or pairs[-1:]
    targets = week_targets(latest, schedules, today, planned_days=planned_days)
    kept = [adherence(latest, target, schedules[target.routine_id],
                      (planned_days or {}).get(target.routine_id)
                      or spread(schedules[target.routine_id].days_per_week), today)
            for target in targets if target.routine_id in schedules]
    return Progress(
        today=today,
        days=days,
        streaks=streaks(active_days, today),
        targets=targets,
        minutes_total=seconds / 60,
        minutes_week=week_seconds / 60,
        sessions_total=len(points),
        pain=window(days, today, chart_days),
        trend=rules.pain_trend(reports, today, start),
        skipped=most_skipped(tallies),
        heat=heat_strip(days, today, heat_weeks),
        episode_start=start,
        reports=reports,
        adherence=kept,
    )


def advice(progress: Progress) -> rules.Advice:
    """The advice over weeks: the one decision (`rules.advise`) with no session of its own,
    from the trend over this bout of pain and when it began."""
    return rules.advise(rules.Facts(trend=progress.trend, episode_start=progress.episode_start,
                                    today=progress.today))

