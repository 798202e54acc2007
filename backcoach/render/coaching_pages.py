"""How lessons, function goals and dose steps look: the `learn` and `goals` pages, and the
parts of `progress` about getting better over weeks. Plain text pages (render/text.py)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, tzinfo
from typing import Any

from backcoach.history.goals import CREDIT, MEANINGFUL_AVERAGE, Goal, GoalsSummary
from backcoach.library.model import Lesson
from backcoach.render.text import Column, Page, together
from backcoach.safety.progression import Verdict

APPLY_HINT = ("`backcoach progress --apply` writes it into your routine, with a dated comment; "
              "`backcoach progress --undo` takes it back.")


# --- lessons ----------------------------------------------------------------------------------

def lessons_page(lessons: Iterable[Lesson], read: Mapping[str, datetime], width: int,
                 folder: str) -> Page:
    """`learn`: every lesson in order, with whether it has been read."""
    page = Page(width)
    page.add("Short lessons", "bold")
    page.add("Each takes under a minute. One that fits the day is shown after a session.",
             "dim")
    page.add()
    from backcoach.library.lessons import in_order  # its checks load the schema: only here

    ordered = in_order(lessons)
    columns = [Column("lesson", wrap=True), Column("id"), Column("read")]
    cells = [[lesson.title, lesson.id, "yes" if lesson.id in read else "new"]
             for lesson in ordered]
    if not page.table(columns, cells):
        for lesson in ordered:
            page.hanging("-", f"{lesson.title} ({lesson.id})"
                              + ("" if lesson.id in read else " · new"))
    page.add()
    page.add(f"Read one with `backcoach learn ID`, such as `backcoach learn "
             f"{ordered[0].id if ordered else 'pacing'}`. Lessons of your own go in {folder} "
             "(`backcoach new lesson ID` starts one).")
    return page


def lesson_lines(lesson: Lesson) -> list[str]:
    """A lesson as a few lines: its title, then its text."""
    return [f"Lesson: {lesson.title}", lesson.text]


def lesson_page(lesson: Lesson, width: int) -> Page:
    """`learn ID`: the lesson, its sources and its file."""
    page = Page(width)
    page.add(lesson.title, "bold")
    page.add()
    page.add(lesson.text)
    page.add()
    page.add("Sources", "bold")
    for source in lesson.sources:
        page.hanging("-", source)
    page.add()
    page.add(f"File: {lesson.origin.path} ({lesson.origin.label})", "dim")
    return page


def lesson_json(lesson: Lesson, read: Mapping[str, datetime]) -> dict[str, Any]:
    """A lesson as JSON data, with when it was first read (or null)."""
    when = read.get(lesson.id)
    return {"id": lesson.id, "title": lesson.title, "text": lesson.text,
            "fits": list(lesson.fits), "order": lesson.order, "sources": list(lesson.sources),
            "read_at": when.strftime("%Y-%m-%dT%H:%M:%SZ") if when else None,
            "source": lesson.origin.label, "path": lesson.origin.path}


# --- function goals ---------------------------------------------------------------------------

def _scores(goal: Goal) -> str:
    return " → ".join(str(rating.score) for rating in goal.ratings[-6:]) + (
        "" if len(goal.ratings) <= 6 else f" (last 6 of {len(goal.ratings)})")


def _change(value: float) -> str:
    return f"{value:+.1f}" if value != int(value) else f"{int(value):+d}"


def verdict_words(summary: GoalsSummary) -> str | None:
    """What the change in the average means: the PSFS's 2 points decide."""
    change, verdict = summary.change, summary.verdict
    if change is None or verdict is None or summary.start is None or summary.now is None:
        return None
    where = f"Average {summary.start:.1f} at the start, {summary.now:.1f} now ({_change(change)})"
    if verdict == "better":
        return (f"{where}: a meaningful improvement ({MEANINGFUL_AVERAGE} points or more on "
                "the average).")
    if verdict == "worse":
        return (f"{where}: meaningfully harder ({MEANINGFUL_AVERAGE} points or more on the "
                "average). A GP or physiotherapist can help work out why.")
    return (f"{where}: not yet a meaningful change (that takes {MEANINGFUL_AVERAGE} points on "
            "the average).")


def goal_lines(summary: GoalsSummary) -> list[str]:
    """Each goal with its ratings over time and its change, then the average."""
    lines = []
    for number, goal in enumerate(summary.goals, start=1):
        change = goal.change
        note = "" if change is None else f" ({_change(change)}" + (
            ", a real change for one activity)" if goal.meaningful else ")")
        lines.append(f"{number}. {goal.activity}: {_scores(goal)}{note}")
    words = verdict_words(summary)
    if words:
        lines.append(words)
    return lines


def goals_section(page: Page, summary: GoalsSummary, rate_hint: bool = True) -> None:
    """The goals with their trend, the credit of the scale, and a weekly nudge when due."""
    page.add("Your goals (0 = unable, 10 = as before the problem)", "bold")
    if not summary.goals:
        page.add("None yet. Name up to five everyday activities your back makes hard, such as "
                 "`backcoach goals add \"put on my socks\"`, and rate them weekly.")
        return
    for line in goal_lines(summary):
        page.hanging(" ", line)
    if summary.due and rate_hint:
        page.add("A week or more since you last rated them: `backcoach goals rate`.")
    page.add(CREDIT, "dim")


def goals_page(summary: GoalsSummary, width: int) -> Page:
    """`goals list`."""
    page = Page(width)
    goals_section(page, summary)
    if summary.goals:
        page.add()
        page.add("`backcoach goals rate` rates them again; `backcoach goals remove N` sets one "
                 "aside.")
    return page


def goals_json(summary: GoalsSummary, zone: tzinfo | None) -> dict[str, Any]:
    """The goals, their ratings and the average change, as JSON data."""
    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    return {
        "scale": "Patient-Specific Functional Scale (Stratford et al. 1995)",
        "goals": [{"number": number, "activity": goal.activity, "added_at": stamp(goal.added_at),
                   "ratings": [{"rated_at": stamp(r.rated_at),
                                "local_date": r.rated_at.astimezone(zone).date().isoformat(),
                                "score": r.score} for r in goal.ratings],
                   "change": goal.change}
                  for number, goal in enumerate(summary.goals, start=1)],
        "average_start": summary.start, "average_now": summary.now,
        "average_change": summary.change, "verdict": summary.verdict,
        "meaningful_points": MEANINGFUL_AVERAGE, "rating_due": summary.due,
    }


# --- steps up and down ------------------------------------------------------------------------

def doses_section(page: Page, verdicts: Sequence[tuple[str, Verdict]]) -> None:
    """`progress`: for each routine in use, the step it has earned and why, or why not."""
    page.add("Your doses", "bold")
    for name, verdict in verdicts:
        page.hanging(" ", f"{name}: {verdict.line}")
    if any(v.step is not None and v.step.appliable for _, v in verdicts):
        page.add(APPLY_HINT)


def applied_line(line: str, path: str, created: bool) -> str:
    """What `--apply` did, in a sentence."""
    made = " (your copy of the built-in routine, made for this)" if created else ""
    return f"Changed {together(path)}{made}: {line}"
