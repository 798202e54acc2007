"""The summary after a session, for getting better over weeks: one unread lesson that fits the
day, the step a routine has earned (agreeing with the advice above it), and a nudge to rate the
goals. Whole runs in process, with a real history file (issue 17)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from backcoach import app
from backcoach.history.store import HistoryStore
from backcoach.safety.flow import clear_screen
from tests.app_helpers import T0, environment


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    with HistoryStore.open() as store:
        clear_screen(store, T0 - timedelta(days=1))
    return backcoach_home


def summary(routine: str, day: int, before: int, after: int) -> str:
    env, _, err, _ = environment(interactive=False, start=T0 + timedelta(days=day))
    code = app.run_session(app.SessionOptions(routine=routine, speed=1000, output="jsonl",
                                              pain_before=before, pain_after=after), env)
    assert code == 0, err.getvalue()
    return " ".join(err.getvalue().split())  # the summary is on stderr beside jsonl


def test_the_first_session_gets_stay_active_a_rise_gets_hurt_is_not_harm(screened: Path
                                                                         ) -> None:
    first = summary("daily", 0, 3, 3)
    assert "Lesson: Keep moving; it helps your back recover" in first
    assert "A short rest when the pain peaks is reasonable; whole days in bed are not." in first
    rise = summary("daily", 1, 3, 5)
    assert "Your pain went up from 3 to 5 during this session." in rise
    assert "Lesson: Hurt is not the same as harm" in rise
    # A second rise: the advice is to see a clinician first, so the lesson is when to get
    # help, never one about stepping up again (pacing ends "raise it in small steps").
    again = summary("daily", 2, 3, 5)
    assert "Please see a physiotherapist or doctor before carrying on" in again
    assert "Lesson: When to get help" in again
    assert "Pacing" not in again and "raise it" not in again
    with HistoryStore.open() as store:
        read = store.lessons_read()
    assert set(read) == {"stay-active", "hurt-is-not-harm", "when-to-get-help"}


def test_a_calm_day_brings_the_next_lesson_in_order(screened: Path) -> None:
    summary("daily", 0, 3, 3)  # stay-active
    assert "Lesson: Hurt is not the same as harm" in summary("daily", 1, 3, 3)
    assert "Lesson: Pacing" in summary("daily", 2, 3, 2)


def test_after_three_comfortable_sessions_the_summary_says_the_step_once(screened: Path
                                                                         ) -> None:
    summary("strength", 0, 3, 3)
    second = summary("strength", 1, 3, 3)
    assert "Step up" not in second and "add a rep" not in second
    third = summary("strength", 2, 3, 2)
    assert "Pain 3 to 2: better. Keep going at this dose." in third
    assert ("Step up: Glute bridge, 8 → 9 reps. Why: 3 comfortable sessions in a row, every "
            "rep done and nothing stopped.") in third
    assert "`backcoach progress --apply` writes it into your routine" in third
    assert third.index("Keep going at this dose.") < third.index("Step up:")


def test_a_flare_gets_a_step_down_never_a_step_up(screened: Path) -> None:
    for day in range(3):
        summary("strength", day, 3, 3)
    flare = summary("strength", 3, 3, 7)
    assert "Don't add reps or time while your pain is this high." in flare
    assert "Step down:" in flare and "Step up" not in flare
    assert "Lesson: Heat or cold for a sore back" in flare  # fits pain this high


def test_after_an_emergency_the_summary_says_only_what_to_do_now() -> None:
    from backcoach.render.summary import HistoryNotes, summary_lines
    from backcoach.session.result import SAFETY_END, SessionResult

    ended = SessionResult("gentle", "Gentle", T0, 60.0, end_reason=SAFETY_END)
    lines = summary_lines(ended, HistoryNotes(advice=("Call emergency services.",),
                                              coaching=("Step down: x",),
                                              lesson=("Lesson: y", "text")))
    assert lines[1:] == ["Call emergency services."]


def test_a_week_after_rating_the_goals_the_summary_asks_again(screened: Path) -> None:
    with HistoryStore.open() as store:
        store.add_goal("put on my socks", 3, T0 - timedelta(days=8), 5)
    assert "A week or more since you rated your goals: `backcoach goals rate`." in summary(
        "gentle", 0, 3, 3)
    with HistoryStore.open() as store:
        [goal] = store.goals()
        store.rate_goals({goal.id: 5}, T0 + timedelta(days=1))
    assert "rated your goals" not in summary("gentle", 2, 3, 3)
