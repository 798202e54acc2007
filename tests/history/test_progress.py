"""Progress from stored sessions: streaks across month and year ends, daylight saving and a change
of time zone; this week against the schedule; minutes; pain; the heat strip."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backcoach.history.progress import (
    Day,
    PainReport,
    adherence,
    advice,
    by_day,
    dated,
    first_pain_day,
    heat_strip,
    most_skipped,
    recent_start,
    streaks,
    summarize,
    week_start,
    week_targets,
    window,
)
from backcoach.history.store import StoredSession
from backcoach.library.model import Schedule
from backcoach.library.timetable import spread
from tests.history_helpers import LONDON, NEW_YORK, local, stored


def days_of(sessions: list[StoredSession], tz: ZoneInfo | None) -> list[date]:
    return sorted(by_day(dated(sessions, tz)))


def streak_of(sessions: list[StoredSession], tz: ZoneInfo, today: date) -> tuple[int, int]:
    found = streaks((d.day for d in by_day(dated(sessions, tz)).values() if d.sessions), today)
    return found.current, found.longest


def daily(zone: ZoneInfo, first: date, count: int, hour: int = 8,
          minute: int = 0) -> list[StoredSession]:
    """One session a day at the same wall-clock time in a zone."""
    return [stored(local(zone, day.year, day.month, day.day, hour, minute))
            for day in (first + timedelta(days=n) for n in range(count))]


# ---------------------------------------------------------------- streaks

def test_no_history_no_streak() -> None:
    found = streaks([], date(2024, 1, 1))
    assert (found.current, found.longest, found.done_today) == (0, 0, False)


@pytest.mark.parametrize(("first", "count", "today"), [
    (date(2024, 1, 29), 5, date(2024, 2, 2)),  # January into February
    (date(2024, 2, 27), 4, date(2024, 3, 1)),  # over 29 February in a leap year
    (date(2023, 2, 27), 3, date(2023, 3, 1)),  # a February of 28 days
    (date(2023, 4, 29), 3, date(2023, 5, 1)),  # a month of 30 days
    (date(2023, 12, 30), 4, date(2024, 1, 2)),  # the year end
])
def test_streaks_run_across_month_and_year_ends(first: date, count: int, today: date) -> None:
    sessions = daily(LONDON, first, count)
    assert streak_of(sessions, LONDON, today) == (count, count)


def test_today_stays_open_until_it_ends() -> None:
    sessions = daily(LONDON, date(2024, 5, 1), 5)  # 1 to 5 May
    found = streaks(days_of(sessions, LONDON), date(2024, 5, 6))
    assert (found.current, found.done_today) == (5, False)  # not done yet today: still 5
    found = streaks(days_of(sessions, LONDON), date(2024, 5, 5))
    assert (found.current, found.done_today) == (5, True)
    assert streaks(days_of(sessions, LONDON), date(2024, 5, 7)).current == 0  # a day missed


def test_longest_streak_is_kept_after_a_break() -> None:
    sessions = daily(LONDON, date(2024, 3, 1), 10) + daily(LONDON, date(2024, 3, 20), 3)
    assert streak_of(sessions, LONDON, date(2024, 3, 22)) == (3, 10)


def test_several_sessions_a_day_count_as_one_day() -> None:
    morning = daily(LONDON, date(2024, 5, 1), 3, hour=7)
    evening = daily(LONDON, date(2024, 5, 1), 3, hour=21)
    assert streak_of(morning + evening, LONDON, date(2024, 5, 3)) == (3, 3)


def test_a_session_with_nothing_done_does_not_count() -> None:
    sessions = daily(LONDON, date(2024, 5, 1), 3)
    sessions[1] = stored(local(LONDON, 2024, 5, 2), active=False)
    assert streak_of(sessions, LONDON, date(2024, 5, 3)) == (1, 1)


# ---------------------------------------------------------------- daylight saving, time zones

@pytest.mark.parametrize(("zone", "first"), [
    (LONDON, date(2024, 3, 28)),  # clocks forward 31 March
    (LONDON, date(2024, 10, 24)),  # clocks back 27 October
    (NEW_YORK, date(2024, 3, 7)),  # clocks forward 10 March
    (NEW_YORK, date(2024, 10, 31)),  # clocks back 3 November
])
@pytest.mark.parametrize(("hour", "minute"), [(0, 30), (23, 30), (12, 0)])
def test_daylight_saving_changes_neither_days_nor_streaks(zone: ZoneInfo, first: date,
                                                          hour: int, minute: int) -> None:
    sessions = daily(zone, first, 7, hour, minute)
    assert days_of(sessions, zone) == [first + timedelta(days=n) for n in range(7)]
    assert streak_of(sessions, zone, first + timedelta(days=6)) == (7, 7)


def test_the_daylight_saving_test_would_catch_a_fixed_offset() -> None:
    # Just after midnight every day across the March change: reading the times with one fixed
    # offset (the winter one) puts two sessions on one day and leaves a gap.
    sessions = daily(LONDON, date(2024, 3, 28), 7, 0, 30)
    fixed = days_of(sessions, ZoneInfo("Etc/GMT"))
    assert len(fixed) == 6 and len(days_of(sessions, LONDON)) == 7
    assert streak_of(sessions, ZoneInfo("Etc/GMT"), date(2024, 4, 3))[1] < 7


def test_moving_from_london_to_new_york_keeps_the_streak() -> None:
    # Mornings in London to 10 June, a flight on the 11th (session at 09:00 London before it),
    # then mornings in New York: every day has one session wherever it is read.
    sessions = daily(LONDON, date(2024, 6, 1), 11, hour=9) + daily(NEW_YORK, date(2024, 6, 12),
                                                                   5, hour=8)
    for zone in (LONDON, NEW_YORK):
        assert days_of(sessions, zone) == [date(2024, 6, 1) + timedelta(days=n)
                                           for n in range(16)]
        assert streak_of(sessions, zone, date(2024, 6, 16)) == (16, 16)


def test_a_late_evening_session_belongs_to_the_day_in_the_zone_asked_for() -> None:
    late = stored(local(NEW_YORK, 2024, 12, 31, 22, 30))  # 03:30 on 1 January in London
    assert days_of([late], NEW_YORK) == [date(2024, 12, 31)]
    assert days_of([late], LONDON) == [date(2025, 1, 1)]
    assert days_of([late], ZoneInfo("Asia/Tokyo")) == [date(2025, 1, 1)]


# ---------------------------------------------------------------- this week against the plan

DAILY = Schedule(per_day=1, days_per_week=7)
DESK = Schedule(per_day=2, days_per_week=5)


def test_week_runs_monday_to_sunday() -> None:
    assert week_start(date(2024, 6, 5)) == date(2024, 6, 3)  # Wednesday -> Monday
    assert week_start(date(2024, 6, 3)) == date(2024, 6, 3)
    assert week_start(date(2024, 6, 9)) == date(2024, 6, 3)  # Sunday
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)  # across the year end


def test_sessions_this_week_against_the_schedule() -> None:
    today = date(2024, 6, 6)  # Thursday
    sessions = [
        stored(local(LONDON, 2024, 6, 2, 10)),  # last Sunday: not this week
        stored(local(LONDON, 2024, 6, 3, 8)), stored(local(LONDON, 2024, 6, 3, 20)),  # Monday x2
        stored(local(LONDON, 2024, 6, 5, 8)),
        stored(local(LONDON, 2024, 6, 6, 8), active=False),  # started, nothing done
        stored(local(LONDON, 2024, 6, 4, 12), routine="desk-break"),
        stored(local(LONDON, 2024, 6, 4, 15), routine="desk-break"),
        stored(local(LONDON, 2024, 6, 4, 17), routine="desk-break"),  # third that day
    ]
    targets = {t.routine_id: t for t in week_targets(dated(sessions, LONDON),
                                                      {"daily": DAILY, "desk-break": DESK},
                                                      today)}
    assert (targets["daily"].done, targets["daily"].planned, targets["daily"].days) == (2, 7, 2)
    desk = targets["desk-break"]
    assert (desk.done, desk.planned, desk.days) == (2, 10, 1)


def test_a_sunday_night_session_in_new_york_belongs_to_that_week() -> None:
    sunday_night = stored(local(NEW_YORK, 2024, 6, 9, 23, 30))  # Monday 04:30 in London
    monday = date(2024, 6, 10)
    [in_new_york] = week_targets(dated([sunday_night], NEW_YORK), {"daily": DAILY}, monday)
    [in_london] = week_targets(dated([sunday_night], LONDON), {"daily": DAILY}, monday)
    assert in_new_york.done == 0 and in_london.done == 1


def test_routines_in_use_and_unknown_ones() -> None:
    today = date(2024, 6, 6)
    old = stored(local(LONDON, 2024, 1, 10), routine="gentle")
    [only] = week_targets(dated([old], LONDON), {"gentle": DAILY}, today)
    assert (only.routine_id, only.done, only.planned) == ("gentle", 0, 7)  # latest routine
    mine = stored(local(LONDON, 2024, 6, 4), routine="my-own")
    targets = week_targets(dated([old, mine], LONDON), {}, today)
    assert [(t.routine_id, t.done, t.planned) for t in targets] == [("my-own", 1, None)]


# ---------------------------------------------------------------- minutes, pain, heat strip

def test_summary_minutes_and_counts() -> None:
    today = date(2024, 6, 6)
    sessions = [stored(local(LONDON, 2024, 6, 2), elapsed=600),
                stored(local(LONDON, 2024, 6, 4), elapsed=300),
                stored(local(LONDON, 2024, 6, 5), elapsed=90, active=False)]
    summary = summarize(sessions, [], {"daily": DAILY}, today, LONDON)
    assert summary.minutes_total == pytest.approx(16.5)
    assert summary.minutes_week == pytest.approx(6.5)
    assert summary.sessions_total == 3
    assert (summary.streaks.current, summary.streaks.longest) == (0, 1)


def test_daily_pain_is_the_mean_of_the_day() -> None:
    sessions = [stored(local(LONDON, 2024, 6, 3, 8), pain=(6, 4)),
                stored(local(LONDON, 2024, 6, 3, 20), pain=(5, None)),
                stored(local(LONDON, 2024, 6, 5, 8), pain=(None, 2))]
    days = by_day(dated(sessions, LONDON))
    assert (days[date(2024, 6, 3)].pain_before, days[date(2024, 6, 3)].pain_after) == (5.5, 4)
    assert (days[date(2024, 6, 5)].pain_before, days[date(2024, 6, 5)].pain_after) == (None, 2)
    chart = window(days, date(2024, 6, 6), 7)
    assert [d.day for d in chart] == [date(2024, 5, 31) + timedelta(days=n) for n in range(7)]
    assert [d.pain_before for d in chart] == [None, None, None, 5.5, None, None, None]
    assert summarize(sessions, [], {}, date(2024, 6, 6), LONDON).reports == [
        PainReport(date(2024, 6, 3), 6, 4), PainReport(date(2024, 6, 3), 5, None),
        PainReport(date(2024, 6, 5), None, 2)]


@pytest.mark.parametrize(("first", "last", "verdict"), [
    (6, 4, "better"),  # 2 points
    (3, 2, "better"),  # 33 %
    (6, 5, "about the same"),  # 1 point, 17 %
    (4, 6, "worse"),
    (5, 5, "about the same"),
])
def test_the_page_uses_the_one_pain_trend(first: int, last: int, verdict: str) -> None:
    """The progress page's trend is the one the advice uses (rules.pain_trend): the last 7
    days against the first 7 days of this bout of pain, once it is two weeks old."""
    today = date(2024, 6, 14)
    sessions = ([stored(local(LONDON, 2024, 6, d), pain=(first, 5)) for d in range(1, 8)]
                + [stored(local(LONDON, 2024, 6, d), pain=(last, 3)) for d in range(8, 15)])
    trend = summarize(sessions, [], {}, today, LONDON).trend
    assert (trend.current, trend.baseline, trend.verdict) == (last, first, verdict)
    assert trend.regular
    assert summarize([], [], {}, today, LONDON).trend.verdict is None


def test_first_pain_day_is_the_start_of_the_current_episode() -> None:
    def report(day: int, before: int | None, after: int | None = None) -> PainReport:
        return PainReport(date(2024, 1, 1) + timedelta(days=day), before, after)

    assert first_pain_day([]) is None
    assert first_pain_day([report(0, 5), report(3, 4)]) == date(2024, 1, 1)
    assert first_pain_day([report(0, 5), report(3, 0, 0), report(5, 3)]) == date(2024, 1, 6)
    assert first_pain_day([report(0, 5), report(3, 0, 0)]) is None
    assert first_pain_day([report(0, 5), report(40, 4)]) == date(2024, 2, 10)  # after a gap
    assert first_pain_day([report(0, None, 3)]) == date(2024, 1, 1)


def test_advice_looks_at_the_current_episode_only() -> None:
    today = date(2024, 6, 5)

    def progress_of(*days_and_pain: tuple[int, int]) -> list[str]:
        sessions = [stored(local(LONDON, 2024, 6, 5) - timedelta(days=days), pain=(pain, pain))
                    for days, pain in days_and_pain]
        return list(advice(summarize(sessions, [], {}, today, LONDON)).lines)

    six_weeks = ("You have had this pain for more than 6 weeks. It's a good time for a review "
                 "with a GP or physiotherapist.")
    assert progress_of((45, 5), (25, 5), (5, 5)) == [six_weeks]
    # a report of no pain 30 days ago ended that episode: the pain now began 20 days ago
    assert progress_of((60, 5), (30, 0), (20, 4), (5, 4)) == []
    assert progress_of() == []


def test_heat_strip_weeks_run_monday_to_sunday() -> None:
    today = date(2024, 6, 5)  # Wednesday
    sessions = [stored(local(LONDON, 2024, 6, 3, 8)), stored(local(LONDON, 2024, 6, 3, 20)),
                stored(local(LONDON, 2024, 5, 26, 9)),
                stored(local(LONDON, 2024, 6, 4, 9), active=False)]
    strip = heat_strip(by_day(dated(sessions, LONDON)), today, 3)
    assert [w.monday for w in strip] == [date(2024, 5, 20), date(2024, 5, 27), date(2024, 6, 3)]
    assert strip[0].counts == (0, 0, 0, 0, 0, 0, 1)  # Sunday 26 May
    assert strip[1].counts == (0,) * 7
    assert strip[2].counts == (2, 0, 0, None, None, None, None)  # Tuesday: nothing done


@dataclass(frozen=True)
class Tally:
    exercise_id: str
    name: str
    times: int
    skipped: int
    stopped: int


def test_the_recent_weeks_begin_at_local_midnight_of_their_first_monday() -> None:
    # Wednesday 3 April 2024 in London (summer time since 31 March): 12 calendar weeks back
    # is Monday 15 January, midnight GMT; in New York, 05:00 UTC that day.
    assert recent_start(date(2024, 4, 3), LONDON) == datetime(2024, 1, 15, tzinfo=UTC)
    assert recent_start(date(2024, 4, 3), NEW_YORK) == datetime(2024, 1, 15, 5, tzinfo=UTC)
    assert recent_start(date(2024, 4, 1), LONDON) == datetime(2024, 1, 15, tzinfo=UTC)  # Monday


def test_most_skipped_or_stopped() -> None:
    tallies = [Tally("a", "A", 10, 1, 0), Tally("b", "B", 10, 0, 3), Tally("c", "C", 10, 0, 0),
               Tally("d", "D", 10, 2, 1), Tally("e", "E", 5, 1, 0)]
    # b and d both 3 times; stopping (it hurt) weighs more than skipping
    assert [t.exercise_id for t in most_skipped(tallies)] == ["b", "d", "a"]
    assert [t.exercise_id for t in most_skipped(tallies, 10)] == ["b", "d", "a", "e"]


@pytest.mark.parametrize("today", [date(2023, 12, 31), date(2024, 1, 20), date(2024, 3, 1)])
def test_targets_and_adherence_over_the_recent_weeks_are_those_over_every_session(
        today: date) -> None:
    # A year of daily sessions, then a desk routine for a week: summarize reads only the last
    # weeks for these, and the latest session when nothing is that recent (1 March).
    sessions = daily(LONDON, date(2023, 1, 1), 365, hour=21) + [
        stored(local(LONDON, 2024, 1, day, 12), routine="desk") for day in range(2, 9)]
    schedules = {"daily": DAILY, "desk": DESK}
    summary = summarize(sessions, [], schedules, today, LONDON)
    pairs = dated(sessions, LONDON)
    targets = week_targets(pairs, schedules, today)
    assert summary.targets == targets and targets
    assert summary.adherence == [
        adherence(pairs, target, schedules[target.routine_id], spread(
            schedules[target.routine_id].days_per_week), today) for target in targets]


def test_the_whole_summary_on_a_year_of_data_is_consistent() -> None:
    first = date(2023, 1, 1)
    sessions = daily(LONDON, first, 365, hour=0, minute=15)
    summary = summarize(sessions, [], {"daily": DAILY}, date(2023, 12, 31), LONDON,
                        chart_days=28, heat_weeks=12)
    assert (summary.streaks.current, summary.streaks.longest) == (365, 365)
    assert len(summary.pain) == 28 and len(summary.heat) == 12
    assert all(count == 1 for week in summary.heat for count in week.counts)
    assert [(t.done, t.planned) for t in summary.targets] == [(7, 7)]  # Mon 25 - Sun 31 Dec
    assert summary.sessions_total == 365
    # The page's days are the recent weeks'; the day the clocks went forward is still its own.
    assert min(summary.days) == date(2023, 10, 9)  # the heat strip's first Monday
    assert by_day(dated(sessions, LONDON))[date(2023, 3, 26)] == \
        Day(date(2023, 3, 26), 1, 1, 600.0)


def test_utc_itself_works() -> None:
    sessions = [stored(datetime(2024, 1, 1, 23, 59, tzinfo=UTC)),
                stored(datetime(2024, 1, 2, 0, 1, tzinfo=UTC))]
    assert days_of(sessions, ZoneInfo("UTC")) == [date(2024, 1, 1), date(2024, 1, 2)]


# ---------------------------------------------------------------- the reminders' days (issue 16)

def test_the_week_counts_the_reminders_days_when_there_are_some() -> None:
    today = date(2026, 3, 13)  # a Friday
    sessions = [stored(local(LONDON, 2026, 3, day)) for day in (9, 11)]  # Mon, Wed
    week = Schedule(per_day=1, days_per_week=7)
    [plain] = week_targets(dated(sessions, LONDON), {"daily": week}, today)
    [reminded] = week_targets(dated(sessions, LONDON), {"daily": week}, today,
                              planned_days={"daily": (1, 3, 5)})
    assert (plain.done, plain.planned) == (2, 7)
    assert (reminded.done, reminded.planned) == (2, 3)


def test_adherence_counts_planned_days_and_leaves_today_open() -> None:
    today = date(2026, 3, 13)  # a Friday; the four weeks run from Sat 14 Feb
    days = (1, 3, 5)
    on_planned = [local(LONDON, 2026, 3, d) for d in (2, 4, 6, 9, 11)]  # 5 planned days
    off_plan = [local(LONDON, 2026, 3, 7), local(LONDON, 2026, 3, 8)]  # a weekend: not counted
    twice = [local(LONDON, 2026, 3, 11, 18)]  # a second session that day: per_day is 1
    sessions = [stored(moment) for moment in on_planned + off_plan + twice]
    summary = summarize(sessions, [], {"daily": Schedule(1, 7)}, today, LONDON,
                        planned_days={"daily": days})
    [kept] = summary.adherence
    # Mon/Wed/Fri from Mon 16 Feb to Wed 11 Mar: 11 days; today (Fri 13) has no session yet.
    assert (kept.done, kept.planned, kept.days, kept.weeks) == (5, 11, (1, 3, 5), 4)
    done_today = summarize([*sessions, stored(local(LONDON, 2026, 3, 13))], [],
                           {"daily": Schedule(1, 7)}, today, LONDON,
                           planned_days={"daily": days})
    assert (done_today.adherence[0].done, done_today.adherence[0].planned) == (6, 12)
    # Without reminders, days_per_week stands for its days: 7, every day.
    [every_day] = summarize(sessions, [], {"daily": Schedule(1, 7)}, today, LONDON).adherence
    assert every_day.days == (1, 2, 3, 4, 5, 6, 7) and every_day.done == 7
