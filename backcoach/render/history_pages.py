"""How history and progress look in a terminal: the `history` table and the `progress` page.

Everything reads without colour (NO_COLOR) and at 40 columns: colour only supports words, and the
charts are rows of block characters with a legend in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text

from backcoach.render.console import console

if TYPE_CHECKING:  # names for annotations only: `history` need not import the progress maths
    from backcoach.history.progress import Day, HeatWeek, Progress
    from backcoach.history.store import StoredSession

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


def minutes(seconds: float) -> str:
    """Whole minutes, with `<1` for a session under a minute."""
    if 0 < seconds < 60:
        return "<1"
    return f"{round(seconds / 60)}"


# --- history ---------------------------------------------------------------------------------

def _result(session: StoredSession) -> Text:
    result = Text(session.status, style=_STATUS_STYLE.get(session.status, ""))
    if session.exercises_total:
        result.append(f" {session.exercises_done}/{session.exercises_total}")
    return result


def history_table(sessions: Sequence[StoredSession], tz: tzinfo | None) -> Table:
    """The `history` table: local date, routine, minutes, result, pain before → after."""
    table = Table(title="Your sessions, newest first", title_justify="left", title_style="bold",
                  expand=False)
    table.add_column("date", no_wrap=True)
    table.add_column("routine", overflow="fold", min_width=8)
    table.add_column("min", justify="right", no_wrap=True)
    table.add_column("result", no_wrap=True)
    table.add_column("pain", no_wrap=True)
    for session in sessions:
        table.add_row(Text(session.local_start(tz).strftime("%a %d %b %Y %H:%M")),
                      Text(session.routine_name), minutes(session.elapsed_seconds),
                      _result(session), pain_change(session.pain_before, session.pain_after))
    return table


def history_list(sessions: Sequence[StoredSession], tz: tzinfo | None) -> list[Text]:
    """The `history` sessions for narrow terminals: three short lines each, nothing dropped."""
    lines = [Text("Your sessions, newest first", style="bold")]
    for session in sessions:
        lines.append(Text(session.local_start(tz).strftime("%a %d %b %Y %H:%M")))
        lines.append(Text("  ") + Text(session.routine_name))
        pain = pain_change(session.pain_before, session.pain_after)
        lines.append(Text(f"  {minutes(session.elapsed_seconds)} min · ") + _result(session)
                     + Text(f" · pain {pain}" if pain else ""))
    return lines


def print_history(sessions: Sequence[StoredSession], tz: tzinfo | None, total: int) -> None:
    """Print the history table (a list below 60 columns), or a friendly first-run message."""
    out = console()
    if not sessions:
        out.print(Text("No sessions yet. Start one with `backcoach run`: every session, finished "
                       "or not, is kept here, and `backcoach progress` shows how it is going."))
        return
    if out.width < 60:
        for line in history_list(sessions, tz):
            out.print(line)
    else:
        out.print(history_table(sessions, tz))
    if total > len(sessions):
        out.print(Text(f"{len(sessions)} of {total} sessions; `--limit 0` shows them all, "
                       "`backcoach export` writes them to a file."))


# --- progress --------------------------------------------------------------------------------

def plural(count: int, word: str) -> str:
    """`1 day`, `2 days`, `3,650 sessions`."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _bar(value: float | None) -> str:
    if value is None:
        return _NO_REPORT
    index = round(max(0.0, min(10.0, value)) / 10 * (len(_BARS) - 1))
    return _BARS[index]


def pain_chart(days: Sequence[Day], today: date) -> list[Text]:
    """Two rows of bars, pain before and after sessions, one character a day, and a date axis."""
    label = 8
    rows = [Text("before".ljust(label)) + Text("".join(_bar(d.pain_before) for d in days),
                                               style="yellow"),
            Text("after".ljust(label)) + Text("".join(_bar(d.pain_after) for d in days),
                                              style="cyan")]
    if days:
        start = f"{days[0].day.day} {days[0].day:%b}"
        end = "today" if days[-1].day == today else f"{days[-1].day.day} {days[-1].day:%b}"
        gap = max(1, len(days) - len(start) - len(end))
        rows.append(Text(" " * label + start + " " * gap + end, style="dim"))
    return rows


def heat_rows(weeks: Sequence[HeatWeek], cell: int) -> list[Text]:
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
                for offset, char in enumerate(name):
                    if start + offset < len(header):
                        header[start + offset] = char
            last_month = month
    rows = [Text(" " * label + "".join(header).rstrip(), style="dim")]
    for weekday, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")):
        cells = []
        for week in weeks:
            count = week.counts[weekday]
            char = " " if count is None else _HEAT[min(count, len(_HEAT) - 1)]
            cells.append(char * cell)
        rows.append(Text(name.ljust(label) + "".join(cells).rstrip()))
    return rows


def _trend_line(progress: Progress) -> str:
    trend = progress.trend
    if trend.current is None:
        return "No pain reported in the last 7 days."
    line = f"7-day average pain before sessions: {trend.current:.1f}"
    if trend.baseline is not None:
        line += f", {trend.baseline:.1f} in the first week of this bout ({trend.verdict})"
    return line + "."


def progress_lines(progress: Progress, width: int, advice: Sequence[str] = ()) -> list[Any]:
    """The progress page, top to bottom, as renderables."""
    lines: list[Any] = []
    streak = progress.streaks
    lines.append(Text(f"Streak: {plural(streak.current, 'day')} · longest "
                      f"{plural(streak.longest, 'day')}", style="bold"))
    if not streak.done_today:
        lines.append(Text(f"A session today makes it {plural(streak.current + 1, 'day')}."
                          if streak.current else "A session today starts a new streak."))
    for target in progress.targets:
        if target.planned is not None:
            done = f"{target.done} of {target.planned} planned"
        else:
            done = plural(target.done, "session")
        lines.append(Text(f"{target.routine_name}: {done} this week"))
    lines.append(Text(f"Minutes: {round(progress.minutes_week)} this week, "
                      f"{round(progress.minutes_total):,} in total over "
                      f"{plural(progress.sessions_total, 'session')}."))
    lines.append(Text(""))
    weeks_shown = len(progress.pain) // 7
    lines.append(Text("Pain before and after sessions", style="bold"))
    lines.append(Text(f"0-10 a day, last {plural(weeks_shown, 'week')}; {_NO_REPORT} no report",
                      style="dim"))
    lines.extend(pain_chart(progress.pain, progress.today))
    lines.append(Text(_trend_line(progress)))
    if progress.skipped:
        lines.append(Text(""))
        lines.append(Text("Skipped or stopped most often", style="bold"))
        for tally in progress.skipped:
            parts = [f"skipped {tally.skipped}" if tally.skipped else "",
                     f"stopped {tally.stopped}" if tally.stopped else ""]
            lines.append(Text(f"  {tally.name}: {', '.join(p for p in parts if p)} "
                              f"of {plural(tally.times, 'time')}"))
    lines.append(Text(""))
    lines.append(Text(f"Sessions a day, last {plural(len(progress.heat), 'week')}",
                      style="bold"))
    lines.append(Text(f"{_HEAT[0]} none  {_HEAT[1]} 1  {_HEAT[2]} 2  {_HEAT[3]} 3 or more",
                      style="dim"))
    cell = 2 if 5 + 2 * len(progress.heat) <= width else 1
    lines.extend(heat_rows(progress.heat, cell))
    if advice:
        lines.append(Text(""))
        lines.extend(Text(item) for item in advice)
    return lines


def print_progress(progress: Progress, advice: Sequence[str] = ()) -> None:
    """Print the progress page."""
    out = console()
    for line in progress_lines(progress, out.width, advice):
        out.print(line)


def print_no_progress() -> None:
    """The first-run message of `progress`."""
    console().print(Text("Nothing to show yet: your progress appears here after your first "
                         "session. Start one with `backcoach run`."))
