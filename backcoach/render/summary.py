"""The few lines after a session: what was done, the pain change, the streak, advice if any.

Pure formatting: what history says (the streak, this week, advice) is read by the caller and
passed in as `HistoryNotes`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rich.console import Console
from rich.text import Text

from backcoach.library.model import format_duration
from backcoach.session.phrases import spoken_duration
from backcoach.session.result import EX_STOPPED, SAFETY_END, SESSION_DONE, SessionResult


@dataclass(frozen=True)
class HistoryNotes:
    """What history adds to a summary. `saved` is all, partly or none; `problem` says why not
    all of it was saved; `lines` are the streak and this week; `advice` the pain advice."""

    saved: str = "all"
    problem: str = ""
    lines: Sequence[str] = ()
    advice: Sequence[str] = field(default_factory=tuple)
    # Getting better over weeks: the step up or down earned (and how to take it), a nudge to
    # rate the goals, and one unread lesson that fits the day (title, then text).
    coaching: Sequence[str] = ()
    lesson: Sequence[str] = ()


def _pain_line(result: SessionResult) -> str:
    before, after = result.pain_before, result.pain_after
    if before is None or after is None:
        return ""
    word = "better" if after < before else "worse" if after > before else "same"
    return f" · pain {before} → {after} ({word})"


def headline(result: SessionResult) -> str:
    """`Well done. 11 min · 4 of 4 exercises · pain 4 → 3 (better)`; a session with an
    exercise stopped, ended early, or ended for safety says so instead of "Well done"."""
    spent = format_duration(result.elapsed_seconds)  # as history and every page show it
    done = f"{result.exercises_done} of {len(result.exercises)} exercises"
    stopped = sum(1 for ex in result.exercises if ex.status == EX_STOPPED)
    if result.end_reason == SAFETY_END:
        return f"Session ended for your safety. {spent} · {done} done in full"
    if result.status == SESSION_DONE and not stopped:
        return f"Well done. {spent} · {done}{_pain_line(result)}"
    if result.status == SESSION_DONE:
        return (f"Session over, with {stopped} exercise{'s' if stopped > 1 else ''} stopped. "
                f"{spent} · {done} done in full{_pain_line(result)}")
    return f"Stopped early. {spent} · {done} done in full{_pain_line(result)}"


def summary_lines(result: SessionResult, notes: HistoryNotes) -> list[str]:
    """The summary, line by line, after the blank line that sets it apart."""
    lines = [headline(result)]
    if result.end_reason == SAFETY_END:  # what to do now comes first, and alone
        return [*lines, *notes.advice]
    if notes.saved == "partly":
        lines.append(f"This session was saved to your history only up to a point: "
                     f"{notes.problem}")
    elif notes.saved == "none":
        lines.append(f"This session was not saved to your history: {notes.problem}")
    else:
        lines.extend(notes.lines)
    lines.extend(notes.advice)
    lines.extend(notes.coaching)
    worked = sum(1 for ex in result.exercises if ex.reps_done > 0)
    if result.status != SESSION_DONE and result.exercises_done + worked > 0:
        lines.append("What you did is saved. `backcoach run` starts a new session.")
    if notes.lesson:
        lines += ["", *notes.lesson]
    return lines


def print_summary(console: Console, result: SessionResult, notes: HistoryNotes) -> None:
    """Print the end-of-session summary: the headline in bold, then the rest."""
    console.print()
    lines = summary_lines(result, notes)
    titles = {0, *(number + 1 for number, line in enumerate(lines) if not line)}
    for number, line in enumerate(lines):
        console.print(Text(line, style="bold" if number in titles else ""))


def spoken_summary(result: SessionResult, notes: HistoryNotes, detail: str = "full") -> str:
    """The summary for the voice: how it went (`brief`), and with `full` how long it took,
    the pain change and the streak. After a stop for safety: look at the screen."""
    done = f"{result.exercises_done} of {len(result.exercises)} exercises"
    stopped = sum(1 for ex in result.exercises if ex.status == EX_STOPPED)
    if result.end_reason == SAFETY_END:
        return "Session ended for your safety. Please read the advice on the screen now."
    if result.status == SESSION_DONE and not stopped:
        lead = f"Well done. {done}."
    elif result.status == SESSION_DONE:
        lead = f"Session over, with {stopped} stopped. {done} done in full."
    else:
        lead = f"Stopped early. {done} done in full."
    if detail != "full":
        return lead
    spent = spoken_duration(result.elapsed_seconds)
    parts = [lead, f"{spent[:1].upper()}{spent[1:]}."]
    before, after = result.pain_before, result.pain_after
    if before is not None and after is not None:
        word = "better" if after < before else "worse" if after > before else "the same"
        parts.append(f"Pain {before} to {after}, {word}.")
    if notes.saved == "all" and notes.lines:
        parts.append(notes.lines[0].replace(" · ", ", ") + ".")
    return " ".join(parts)
