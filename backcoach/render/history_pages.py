"""How history and progress look in a terminal: the `history` table and the `progress` page.

Everything reads without colour (NO_COLOR) and at 40 columns: colour only supports words, and the
charts are rows of block characters with a legend in words.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING

from backcoach.library.timetable import days_text
from backcoach.render.text import Cell, Column, Line, Page, Span, page_width, together
from backcoach.timefmt import format_duration

if TYPE_CHECKING:  # names for annotations only: `history` need not import the progress maths
    from backcoach.history.progress import Day, HeatWeek, Progress, WeekTarget
    from backcoach.history.store import StoredSession
    from backcoach.history.today import Today

_STATUS_STYLE = {"done": "green", "partial": "yellow", "stopped": "red"}
_BARS = "▁▂▃▄▅▆▇█"  # pain 0 .. 10, low to high
_NO_REPORT = "·"
_HEAT = ("·", "░", "▒", "█")  # no session, 1, 2, 3 or more


def pain_change(before: int | float | None, after: int | float | None) -> str:
    """`4 → 3`, `4 → ?`, `? → 3`, or an empty string when neither was given."""
    if before is None and after is None:
        return ""
    def shown(value: int | float | None) -> str:
        return "?" if value is None else f"{value:g}"
    return f"{shown(before)} → {shown(after)}"




# --- history ---------------------------------------------------------------------------------

def _result(session: StoredSession) -> list[Span]:
    result = [Span(session.status, _STATUS_STYLE.get(session.status, ""))]
    if session.exercises_total:
        result.append(Span(f" {session.exercises_done}/{session.exercises_total}"))
    return result


def _started(session: StoredSession, tz: tzinfo | None) -> str:
    return session.local_start(tz).strftime("%a %d %b %Y %H:%M")


def history_page(sessions: Sequence[StoredSession], tz: tzinfo | None, total: int,
                 width: int) -> Page:
    """The `history` page: a table of local date, routine, minutes, result and pain before →
    after, newest first; where the table does not fit, three short lines a session."""
    page = Page(width)
    if not sessions:
        page.add("No sessions yet. Start one with `backcoach run`: every session, finished or "
                 "not, is kept here, and `backcoach progress` shows how it is going.")
        return page
    page.add("Your sessions, newest first", "bold")
    columns = [Column("date"), Column("routine", wrap=True), Column("time", right=True),
               Column("result"), Column("pain")]
    rows: list[list[Cell]] = [[together(_started(session, tz)), session.routine_name,
             together(format_duration(session.elapsed_seconds)), _result(session),
             pain_change(session.pain_before, session.pain_after)] for session in sessions]
    if width < 60 or not page.table(columns, rows):
        for session in sessions:
            page.add(_started(session, tz))
            page.hanging(" ", session.routine_name)
            pain = pain_change(session.pain_before, session.pain_after)
            page.spans(Span(f"  {format_duration(session.elapsed_seconds)} · "), *_result(session),
                       Span(f" · pain {pain}" if pain else ""))
    if total > len(sessions):
        page.add(f"{len(sessions)} of {total} sessions; `--limit 0` shows them all, "
                 "`backcoach export` writes them to a file.")
    return page


def print_history(sessions: Sequence[StoredSession], tz: tzinfo | None, total: int,
                  pager: bool = True) -> None:
    """Print the history page, or a friendly first-run message (through the pager when it
    does not fit the terminal, unless `pager` is False)."""
    history_page(sessions, tz, total, page_width()).write(pager=pager)


# --- progress --------------------------------------------------------------------------------

def plural(count: int, word: str) -> str:
    """`1 day`, `2 days`, `3,650 sessions`."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _bar(value: float | None) -> str:
    if value is None:
        return _NO_REPORT
    index = round(max(0.0, min(10.0, value)) / 10 * (len(_BARS) - 1))
    return _BARS[index]


def pain_chart(days: Sequence[Day], today: date) -> list[Line]:
    """Two rows of bars, pain before and after sessions, one character a day, and a date axis."""
    label = 8
    rows: list[Line] = [
        (Span("before".ljust(label)), Span("".join(_bar(d.pain_before) for d in days),
                                           "yellow")),
        (Span("after".ljust(label)), Span("".join(_bar(d.pain_after) for d in days), "cyan"))]
    if days:
        start = f"{days[0].day.day} {days[0].day:%b}"
        end = "today" if days[-1].day == today else f"{days[-1].day.day} {days[-1].day:%b}"
        gap = max(1, len(days) - len(start) - len(end))
        rows.append((Span(" " * label + start + " " * gap + end, "dim"),))
    return rows


def heat_rows(weeks: Sequence[HeatWeek], cell: int) -> list[Line]:
    """The heat strip: a row per weekday, a column per week, month names above."""
    label = 5
    header = [" "] * (len(weeks) * cell)
    last_month = None
    for index, week in enumerate(weeks):
        month = (week.monday + timedelta(days=6)).month
        if month != last_month:
            name = f"{week.monday + timedelta(days=6):%b}"
            start = index * cell
            if index == 0 or all(ch == " " for ch in header[max(0, start - 1):start + len(name)]):
                # The last month's name may run past the last week's column: it is never cut.
                header.extend(" " * max(0, start + len(name) - len(header)))
                header[start:start + len(name)] = list(name)
            last_month = month
    rows: list[Line] = [(Span(" " * label + "".join(header).rstrip(), "dim"),)]
    for weekday, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        cells = []
        for week in weeks:
            count = week.counts[weekday]
            char = " " if count is None else _HEAT[min(count, len(_HEAT) - 1)]
            cells.append(char * cell)
        rows.append((Span(name.ljust(label) + "".join(cells).rstrip()),))
    return rows


def trend_line(progress: Progress) -> str:
    """The pain trend as `progress` says it (the report says it the same way)."""
    trend = progress.trend
    if trend.current is None:
        return "No pain reported in the last 7 days."
    line = f"7-day average pain before sessions: {trend.current:.1f}"
    if trend.baseline is not None:
        line += f", {trend.baseline:.1f} in the first week of this bout ({trend.verdict})"
    return line + "."


def target_line(target: WeekTarget) -> str:
    """`Daily lower-back routine: 3 of 7 planned this week` (or `3 sessions` for a routine
    no longer known)."""
    if target.planned is not None:
        done = f"{target.done} of {target.planned} planned"
    else:
        done = plural(target.done, "session")
    return f"{target.routine_name}: {done}"


def headline_lines(progress: Progress, reminded: Collection[str] = ()) -> list[str]:
    """The figures at the top of `progress`, in its words: the streak, this week against each
    routine's plan, the last weeks against the days of its reminders (`reminded`: routines
    with reminders set; indented), minutes. The report prints the same lines, so the numbers
    match."""
    streak = progress.streaks
    lines = [f"Streak: {plural(streak.current, 'day')} · longest "
             f"{plural(streak.longest, 'day')}"]
    if not streak.done_today:
        lines.append(f"A session today makes it {plural(streak.current + 1, 'day')}."
                     if streak.current else "A session today starts a new streak.")
    lines += [f"{target_line(target)} this week" for target in progress.targets]
    lines += [f"  {kept.done} of {kept.planned} planned sessions in the last "
              f"{plural(kept.weeks, 'week')} ({days_text(kept.days)}"
              f"{': its reminders' if kept.routine_id in reminded else ''})"
              for kept in progress.adherence if kept.planned]
    lines.append(f"Time: {format_duration(progress.minutes_week * 60)} this week, "
                 f"{format_duration(progress.minutes_total * 60)} in total over "
                 f"{plural(progress.sessions_total, 'session')}.")
    return lines


def progress_page(progress: Progress, width: int, advice: Sequence[str] = (),
                  reminded: Collection[str] = (),
                  sections: Sequence[Callable[[Page], None]] = ()) -> Page:
    """The progress page, top to bottom; `reminded`: the routines with reminders set;
    `sections` add their parts (goals, doses) before the advice, which comes last."""
    page = Page(width)
    headline = headline_lines(progress, reminded)
    page.add(headline[0], "bold")
    for text in headline[1:]:
        if text.startswith("  "):
            page.hanging(" ", text.strip())
        else:
            page.add(text)
    page.add()
    weeks_shown = len(progress.pain) // 7
    page.add("Pain before and after sessions", "bold")
    page.add(f"0-10 a day, last {plural(weeks_shown, 'week')}; {_NO_REPORT} no report", "dim")
    for line in pain_chart(progress.pain, progress.today):
        page.spans(*line)
    page.add(trend_line(progress))
    if progress.skipped:
        page.add()
        # The tallies cover the weeks of the sessions-a-day strip (progress.RECENT_WEEKS).
        page.add(f"Skipped or stopped most often, last {plural(len(progress.heat), 'week')}",
                 "bold")
        for tally in progress.skipped:
            parts = [f"skipped {tally.skipped}" if tally.skipped else "",
                     f"stopped {tally.stopped}" if tally.stopped else ""]
            page.hanging(" ", f"{tally.name}: {', '.join(p for p in parts if p)} "
                              f"of {plural(tally.times, 'time')}")
    page.add()
    page.add(f"Sessions a day, last {plural(len(progress.heat), 'week')}", "bold")
    page.add(f"{_HEAT[0]} none  {_HEAT[1]} 1  {_HEAT[2]} 2  {_HEAT[3]} 3 or more", "dim")
    cell = 2 if 5 + 2 * len(progress.heat) <= width else 1
    for line in heat_rows(progress.heat, cell):
        page.spans(*line)
    for section in sections:
        page.add()
        section(page)
    if advice:
        page.add()
        for item in advice:
            page.add(item)
    return page


def print_progress(progress: Progress, advice: Sequence[str] = (),
                   reminded: Collection[str] = (),
                   sections: Sequence[Callable[[Page], None]] = (), pager: bool = True) -> None:
    """Print the progress page (through the pager when it does not fit the terminal, unless
    `pager` is False)."""
    progress_page(progress, page_width(), advice, reminded, sections).write(pager=pager)


def print_no_progress() -> None:
    """The first-run message of `progress`."""
    page = Page(page_width())
    page.add("Nothing to show yet: your progress appears here after your first session. "
             "Start one with `backcoach run`.")
    page.write()


# --- the bare `backcoach` status ------------------------------------------------------------

def status_page(today: Today, width: int, tz: tzinfo | None, command: str,
                problem: str = "") -> Page:
    """Two or three short lines: today's routine and whether it is done, the streak, and the
    one command to start (`command`). `problem`: why history could not be read."""
    page = Page(width)
    name = today.routine_name or f"the {today.routine_id} routine"
    if problem:
        page.add(f"Your history cannot be read: {problem}")
    elif not today.sessions_total:
        page.add(f"No sessions yet. Today: {name}, with a short safety check first.")
    else:
        if today.done_at is not None:
            state = f"done at {today.done_at.astimezone(tz):%H:%M}"
        elif today.started_at is not None:
            state = f"started at {today.started_at.astimezone(tz):%H:%M}, not finished"
        else:
            state = "not done yet"
        streak = today.streak
        grows = ("" if streak.done_today or not streak.current
                 else f" (a session today makes it {plural(streak.current + 1, 'day')})")
        page.add(f"Today: {name}, {state}. Streak: {plural(streak.current, 'day')}{grows}.")
    verb = "Another session" if today.done_at is not None else "Start it"
    page.add(f"{verb}: {command}  ·  every command: backcoach --help")
    return page


# --- progress as data --------------------------------------------------------------------------

def progress_json(progress: Progress, advice: Sequence[str] = ()) -> dict[str, object]:
    """What the progress page shows, as JSON data (`progress --json`): dates as YYYY-MM-DD,
    lengths in seconds, pain as 0-10 averages (null: no report)."""
    streak = progress.streaks
    trend = progress.trend
    return {
        "today": progress.today.isoformat(),
        "streak": {"current": streak.current, "longest": streak.longest,
                   "done_today": streak.done_today},
        "this_week": [{"routine_id": t.routine_id or None, "routine": t.routine_name,
                       "done": t.done, "planned": t.planned} for t in progress.targets],
        "seconds_this_week": round(progress.minutes_week * 60, 3),
        "seconds_total": round(progress.minutes_total * 60, 3),
        "sessions_total": progress.sessions_total,
        "pain": [{"date": d.day.isoformat(), "before": d.pain_before, "after": d.pain_after}
                 for d in progress.pain],
        "pain_trend": {"last_7_days": trend.current, "first_7_days": trend.baseline,
                       "verdict": trend.verdict, "regular": trend.regular},
        "skipped_or_stopped": [{"exercise_id": t.exercise_id, "name": t.name,
                                "times": t.times, "skipped": t.skipped, "stopped": t.stopped}
                               for t in progress.skipped],
        "episode_start": (progress.episode_start.isoformat()
                          if progress.episode_start is not None else None),
        "advice": list(advice),
    }
