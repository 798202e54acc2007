"""The bare status's streak, read back only as far as it goes (`streak_back_from`), against
the streak over every day (`streaks`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from backcoach.history.today import (
    FIRST_WINDOW_DAYS,
    Streak,
    local_day,
    streak_back_from,
    streaks,
)

NOW = datetime(2024, 3, 31, 9, 30, tzinfo=UTC)  # the morning London moves its clocks
LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")


class Reader:
    """The store's `active_starts`, over a list of starts, remembering what was asked."""

    def __init__(self, starts: Iterable[datetime]) -> None:
        self.starts = sorted(starts, reverse=True)
        self.asked: list[datetime] = []

    def __call__(self, since: datetime) -> list[datetime]:
        self.asked.append(since)
        return [start for start in self.starts if start >= since]


def every_day(count: int, tz: ZoneInfo, today_too: bool, hour: int = 20) -> list[datetime]:
    """A session at `hour` local time on each of the `count` days before today (and today)."""
    today = NOW.astimezone(tz).date()
    days = [today - timedelta(days=back) for back in range(0 if today_too else 1, count + 1)]
    return [datetime(d.year, d.month, d.day, hour, tzinfo=tz).astimezone(UTC) for d in days
            if datetime(d.year, d.month, d.day, hour, tzinfo=tz) <= NOW]


def expected(starts: list[datetime], tz: ZoneInfo) -> Streak:
    whole = streaks((local_day(s, tz) for s in starts), NOW.astimezone(tz).date())
    return Streak(whole.current, whole.done_today)


@pytest.mark.parametrize("length", [0, 1, 30, 31, 32, 33, 34, 63, 64, 65, 66, 200, 3650])
@pytest.mark.parametrize("tz", [LONDON, AUCKLAND])
def test_a_streak_of_any_length_is_counted_whole(length: int, tz: ZoneInfo) -> None:
    # Around each edge of the windows read (32, 64, 128 days...), and over ten years.
    starts = every_day(length, tz, today_too=False)
    starts += every_day(5, tz, today_too=False)[-1:]  # an older session past a gap
    read = Reader(starts)
    assert streak_back_from(read, NOW, tz) == expected(starts, tz)


def test_a_short_streak_reads_one_window_and_a_long_one_doubles_it() -> None:
    short = Reader(every_day(5, LONDON, today_too=True))
    assert streak_back_from(short, NOW, LONDON) == Streak(5, False)
    assert len(short.asked) == 1
    assert NOW - short.asked[0] == timedelta(days=FIRST_WINDOW_DAYS + 1)
    long = Reader(every_day(100, LONDON, today_too=False))
    assert streak_back_from(long, NOW, LONDON) == Streak(100, False)
    assert [round((NOW - since) / timedelta(days=1)) for since in long.asked] == [33, 65, 129]


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=400), max_size=300),
       st.sampled_from([LONDON, AUCKLAND, ZoneInfo("America/New_York")]),
       st.integers(min_value=0, max_value=23))
def test_the_streak_read_back_is_the_streak_over_every_day(
        back: set[int], tz: ZoneInfo, hour: int) -> None:
    starts = [NOW - timedelta(days=days, hours=hour) for days in back]
    assert streak_back_from(Reader(starts), NOW, tz) == expected(starts, tz)


def test_no_sessions_no_streak() -> None:
    read = Reader([])
    assert streak_back_from(read, NOW, UTC) == Streak(0, False)
    assert len(read.asked) == 1


def test_today_alone() -> None:
    assert streak_back_from(Reader([NOW - timedelta(minutes=5)]), NOW, UTC) == Streak(1, True)
    assert local_day(NOW, UTC) == date(2024, 3, 31)
