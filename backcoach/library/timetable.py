"""When a routine is planned: days of the week, times of day, spans of hours. Pure.

Days are ISO weekday numbers (Monday 1 ... Sunday 7), the numbers `date.isoweekday()` gives and
shells print with `date +%u`. Times are minutes after midnight, local time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from backcoach.errors import BadInput

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_LONG_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EVERY_DAY = (1, 2, 3, 4, 5, 6, 7)
# Words for common sets of days, in settings and on the command line.
DAY_WORDS = {"daily": EVERY_DAY, "every-day": EVERY_DAY, "everyday": EVERY_DAY,
             "weekdays": (1, 2, 3, 4, 5), "weekends": (6, 7)}
# The days a routine's `days_per_week` stands for when no days are named: spread over the week,
# weekdays first, so that a rest day falls between sessions where it can.
SPREAD = {7: EVERY_DAY, 6: (1, 2, 3, 4, 5, 6), 5: (1, 2, 3, 4, 5), 4: (1, 2, 4, 5),
          3: (1, 3, 5), 2: (1, 4), 1: (1,)}
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.h]([0-5]\d)\s*$")
MAX_TIMES = 6  # a routine is planned at most six times a day


class Plan(NamedTuple):
    """A routine's reminders: which routine, on which days, at which times."""

    routine_id: str
    routine_name: str
    minutes: int  # how long the routine takes, rounded, at least 1
    days: tuple[int, ...]  # ISO weekdays, sorted
    times: tuple[int, ...]  # minutes after midnight, sorted

    @property
    def reminder_line(self) -> str:
        """The reminder itself: one short, kind line (never guilt)."""
        return reminder_line(self.routine_id, self.routine_name, self.minutes)


def reminder_line(routine_id: str, name: str, minutes: int) -> str:
    """`Time for your 10-minute daily lower-back routine: backcoach run daily`."""
    return f"Time for your {minutes}-minute {lower_first(name)}: backcoach run {routine_id}"


def lower_first(name: str) -> str:
    """`Daily lower-back routine` -> `daily lower-back routine`; `NHS stretches` stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def parse_time(text: str) -> int:
    """`08:30`, `8:30`, `8.30` or `8h30` as minutes after midnight; ValueError otherwise."""
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    return int(match.group(1)) * 60 + int(match.group(2))


def format_time(minutes: int) -> str:
    """Minutes after midnight as `08:30`."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_times(texts: Iterable[str], option: str = "--at") -> tuple[int, ...]:
    """Times given as `08:30` or `08:30,17:00` (repeatable); BadInput saying how to write one."""
    found: list[int] = []
    for text in texts:
        for part in text.split(","):
            try:
                found.append(parse_time(part))
            except ValueError:
                raise BadInput(f"{option} takes a time of day such as 08:30 or 17:45 (24-hour "
                               f"clock), got '{part.strip()}'") from None
    times = tuple(sorted(set(found)))
    if not times:
        raise BadInput(f"{option} needs a time of day such as 08:30")
    if len(times) > MAX_TIMES:
        raise BadInput(f"{option} takes at most {MAX_TIMES} times a day, got {len(times)}")
    return times


def day_number(word: str) -> int:
    """`mon`, `Monday`, `tu` ... as an ISO weekday; ValueError when it names no single day."""
    key = word.strip().lower()
    if len(key) >= 2:
        matches = [n for n, name in enumerate(_LONG_NAMES, start=1) if name.startswith(key)]
        if len(matches) == 1:
            return matches[0]
    raise ValueError(word)


def parse_days(text: str, option: str = "--days") -> tuple[int, ...]:
    """`mon,wed,fri`, `mon-fri`, `weekdays`, `weekends` or `daily` as ISO weekdays; BadInput
    with the words it takes."""
    key = text.strip().lower()
    if key in DAY_WORDS:
        return DAY_WORDS[key]
    days: set[int] = set()
    for part in re.split(r"[,\s]+", key):
        if not part:
            continue
        try:
            if "-" in part:
                first, last = (day_number(p) for p in part.split("-", 1))
                span = range(first, last + 1) if first <= last else \
                    [*range(first, 8), *range(1, last + 1)]  # fri-mon wraps over the weekend
                days.update(span)
            else:
                days.add(day_number(part))
        except ValueError:
            raise BadInput(f"{option} takes days such as mon,wed,fri, mon-fri, weekdays, "
                           f"weekends or daily, got '{part}'") from None
    if not days:
        raise BadInput(f"{option} needs at least one day, such as mon,wed,fri")
    return tuple(sorted(days))


def spread(days_per_week: int) -> tuple[int, ...]:
    """The days a routine's `days_per_week` stands for when no days are named."""
    return SPREAD[max(1, min(7, days_per_week))]


def days_text(days: Sequence[int]) -> str:
    """`every day`, `Mon to Fri`, `Mon, Wed, Fri`: for people."""
    days = tuple(sorted(set(days)))
    if days == EVERY_DAY:
        return "every day"
    names = [DAY_NAMES[d - 1].title() for d in days]
    if len(days) >= 3 and days == tuple(range(days[0], days[-1] + 1)):
        return f"{names[0]} to {names[-1]}"
    return ", ".join(names)


def days_setting(days: Sequence[int]) -> str:
    """Days as the settings and the command line write them: `mon,wed,fri`."""
    return ",".join(DAY_NAMES[d - 1] for d in sorted(set(days)))


def times_text(times: Sequence[int]) -> str:
    """`08:30` or `10:30 and 15:00`."""
    shown = [format_time(t) for t in times]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def next_reminder(days: Sequence[int], times: Sequence[int], now: datetime) -> datetime:
    """The first reminder strictly after `now` (a naive or aware local time)."""
    for offset in range(8):
        day = (now + timedelta(days=offset)).date()
        if day.isoweekday() not in days:
            continue
        for minute in sorted(times):
            moment = now.replace(year=day.year, month=day.month, day=day.day, hour=minute // 60,
                                 minute=minute % 60, second=0, microsecond=0)
            if moment > now:
                return moment
    raise ValueError("no days")  # days is never empty


def first_day(days: Sequence[int], today: date) -> date:
    """The first of `days` on or after today."""
    for offset in range(7):
        day = today + timedelta(days=offset)
        if day.isoweekday() in days:
            return day
    raise ValueError("no days")


def next_day(days: Sequence[int], after: date) -> date:
    """The first of `days` after `after`."""
    return first_day(days, after + timedelta(days=1))


def planned_days(routine_id: str, days_per_week: int,
                 installed: Mapping[str, Sequence[int]]) -> tuple[int, ...]:
    """The days a routine is planned on: its reminder's days when one is installed (the
    schedule the person chose), else the days its `days_per_week` stands for."""
    if installed.get(routine_id):
        return tuple(sorted(set(installed[routine_id])))
    return spread(days_per_week)


def parse_span(text: str, option: str = "--during") -> tuple[int, int]:
    """`09:00-17:30` as (start, end) minutes after midnight; BadInput saying how to write it.
    An end before the start runs past midnight (22:00-02:00)."""
    start, dash, end = text.partition("-")
    try:
        if not dash:
            raise ValueError(text)
        span = (parse_time(start), parse_time(end))
    except ValueError:
        raise BadInput(f"{option} takes the hours of a day such as 09:00-17:30, got "
                       f"'{text.strip()}'") from None
    if span[0] == span[1]:
        raise BadInput(f"{option} needs an end different from its start, got '{text.strip()}'")
    return span


def in_span(minute: int, span: Sequence[int]) -> bool:
    """Whether a time of day (minutes after midnight) is inside the span (start included, end
    not); an empty span is always. A span whose end is before its start runs past midnight."""
    if not span:
        return True
    start, end = span
    return start <= minute < end if start < end else minute >= start or minute < end


def minutes_until_span(minute: int, span: Sequence[int]) -> int:
    """Minutes from a time of day to the next start of the span (0 when inside it)."""
    if in_span(minute, span):
        return 0
    return (span[0] - minute) % (24 * 60)
