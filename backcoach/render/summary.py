"""The few lines after a session: what was done, the pain change, the streak, advice if any."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.console import Console
from rich.text import Text

from backcoach.library.model import Schedule
from backcoach.session.result import SESSION_DONE, SessionResult

if TYPE_CHECKING:
    from backcoach.history.store import HistoryStore

# Enough history for a streak or a long-term trend; older sessions do not change what we say.
HISTORY_WINDOW = timedelta(days=200)


def _pain_line(result: SessionResult) -> str:
    before, after = result.pain_before, result.pain_after
    if before is None or after is None:
        return ""
    word = "better" if after < before else "worse" if after > before else "same"
    return f" · pain {before} → {after} ({word})"


def headline(result: SessionResult) -> str:
    """`Well done. 11 min · 4 of 4 exercises · pain 4 → 3 (better)` or the early-stop version."""
    minutes = max(1, round(result.elapsed_seconds / 60)) if result.elapsed_seconds >= 30 else 0
    spent = f"{minutes} min" if minutes else f"{round(result.elapsed_seconds)} s"
    done = f"{result.exercises_done} of {len(result.exercises)} exercises"
    if result.status == SESSION_DONE:
        return f"Well done. {spent} · {done}{_pain_line(result)}"
    return f"Stopped early. {spent} · {done} done in full{_pain_line(result)}"


def print_summary(console: Console, result: SessionResult, store: HistoryStore | None,
                  history_problem: str, schedule: Schedule, partly_saved: bool = False) -> None:
    """Print the end-of-session summary; history adds the streak and pain advice."""
    from backcoach.safety import rules

    console.print()
    console.print(Text(headline(result), style="bold"))
    if store is None or history_problem:
        if partly_saved and history_problem:
            console.print(Text(f"This session was saved to your history only up to a point: "
                               f"{history_problem}"))
        else:
            console.print(Text(f"This session was not saved to your history: {history_problem}"))
    else:
        for line in _history_lines(result, store, schedule):
            console.print(Text(line))
    if result.pain_before is not None and result.pain_after is not None:
        recent = _recent_pain(store, result) if store is not None and not history_problem else []
        advice = rules.after_session(result.pain_before, result.pain_after, recent)
        for line in advice.lines:
            console.print(Text(line))
    if result.status != SESSION_DONE and result.exercises_done + _partly(result) > 0:
        console.print(Text("What you did is saved. `backcoach run` starts a new session."))


def _partly(result: SessionResult) -> int:
    return sum(1 for ex in result.exercises if ex.reps_done > 0)


def _recent_pain(store: HistoryStore, result: SessionResult) -> list[tuple[int | None, int | None]]:
    since = result.started_at - HISTORY_WINDOW
    earlier = [s for s in store.sessions(limit=10, since=since, with_exercises=False)
               if s.started_at < result.started_at]
    return [(s.pain_before, s.pain_after) for s in reversed(earlier)]


def _history_lines(result: SessionResult, store: HistoryStore, schedule: Schedule) -> list[str]:
    from backcoach.history import progress
    from backcoach.render import history_pages as report

    now = result.ended_at or result.started_at
    sessions = store.sessions(since=now - HISTORY_WINDOW, with_exercises=False)
    today = now.astimezone().date()
    summary = progress.summarize(sessions, [], {result.routine_id: schedule}, today, None,
                                 chart_days=7, heat_weeks=1)
    lines = []
    streak = summary.streaks.current
    parts = [f"Streak: {report.plural(streak, 'day')}"] if streak else []
    for target in summary.targets:
        if target.routine_id == result.routine_id and target.planned:
            parts.append(f"this week {target.done} of {target.planned} planned sessions")
    if parts:
        line = " · ".join(parts)
        lines.append(line[0].upper() + line[1:])
    lines.extend(report.safety_advice(summary)[:1])  # one line; `progress` has the rest
    return lines
