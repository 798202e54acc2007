"""Function goals (the Patient-Specific Functional Scale): the maths with its 2-point threshold,
and how they are stored, with the migration that adds them (issue 17, item 3)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from backcoach.errors import BadInput
from backcoach.history import db as history_db
from backcoach.history import goals
from backcoach.history.goals import Goal, Rating
from backcoach.history.store import GoalLimit, HistoryStore

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)


def goal(ident: int, *scores: int, days: int = 7) -> Goal:
    return Goal(ident, f"activity {ident}", T0, tuple(
        Rating(T0 + timedelta(days=days * n), score) for n, score in enumerate(scores)))


@pytest.mark.parametrize(("firsts", "lasts", "verdict"), [
    ((3, 4), (5, 6), "better"),  # +2.0 on the average: meaningful
    ((3, 4), (5, 5), "about the same"),  # +1.5: not yet
    ((3, 4, 5), (5, 6, 6), "about the same"),  # +1.67
    ((3, 4, 5), (5, 6, 7), "better"),  # +2.0
    ((2,), (4,), "better"),
    ((2,), (3,), "about the same"),
    ((6, 6), (4, 4), "worse"),  # -2.0
    ((6, 6), (5, 4), "about the same"),  # -1.5
])
def test_the_change_in_the_average_counts_from_2_points(firsts: tuple[int, ...],
                                                        lasts: tuple[int, ...],
                                                        verdict: str) -> None:
    found = [goal(n, first, last) for n, (first, last) in enumerate(zip(firsts, lasts,
                                                                         strict=True))]
    summary = goals.summarize(found, T0 + timedelta(days=8))
    assert summary.start == pytest.approx(sum(firsts) / len(firsts))
    assert summary.now == pytest.approx(sum(lasts) / len(lasts))
    assert summary.verdict == verdict


def test_one_activity_counts_from_3_points() -> None:
    assert goal(1, 3, 6).meaningful and not goal(1, 3, 5).meaningful
    assert goal(1, 6, 3).meaningful
    assert goal(1, 3).change is None and not goal(1, 3).meaningful


def test_no_verdict_before_any_goal_is_rated_twice() -> None:
    summary = goals.summarize([goal(1, 3), goal(2, 5)], T0)
    assert summary.change is None and summary.verdict is None
    assert summary.start == summary.now == 4.0


def test_a_rating_is_due_a_week_after_the_last() -> None:
    assert not goals.summarize([goal(1, 3)], T0 + timedelta(days=6, hours=23)).due
    assert goals.summarize([goal(1, 3)], T0 + timedelta(days=7)).due
    assert goals.summarize([goal(1, 3, 4), goal(2, 5)], T0 + timedelta(days=8)).due
    assert not goals.summarize([], T0).due


def test_set_aside_goals_are_left_out_of_the_average() -> None:
    gone = Goal(9, "old", T0, (Rating(T0, 0), Rating(T0, 10)), removed_at=T0)
    summary = goals.summarize([goal(1, 3, 4), gone], T0)
    assert [g.id for g in summary.goals] == [1] and summary.change == 1


@pytest.mark.parametrize(("text", "message"), [
    ("", "say which activity"), ("   ", "say which activity"),
    ("x" * 81, "keep the activity under 80 characters"),
    ("socks\x1b[2J", "control characters")])
def test_an_activity_must_be_a_few_plain_words(text: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        goals.check_activity(text)
    assert goals.check_activity("  put on   my socks ") == "put on my socks"


# --- stored ---------------------------------------------------------------------------------

def test_goals_and_ratings_are_kept_in_order(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        first = store.add_goal("put on my socks", 3, T0, goals.MAX_GOALS)
        second = store.add_goal("sit through a meeting", 5, T0 + timedelta(minutes=1), 5)
        store.rate_goals({first: 5, second: 6}, T0 + timedelta(days=7))
        store.remove_goal(second, T0 + timedelta(days=8))
        kept = store.goals()
        every = store.goals(include_removed=True)
    assert [(g.activity, [r.score for r in g.ratings]) for g in kept] == [
        ("put on my socks", [3, 5])]
    assert [g.id for g in every] == [first, second]
    assert every[1].removed_at == T0 + timedelta(days=8)
    assert [r.score for r in every[1].ratings] == [5, 6]  # set aside, its ratings kept


def test_at_most_five_goals_in_use(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        ids = [store.add_goal(f"activity {n}", 5, T0, goals.MAX_GOALS) for n in range(5)]
        with pytest.raises(GoalLimit):
            store.add_goal("one too many", 5, T0, goals.MAX_GOALS)
        store.remove_goal(ids[0], T0)
        store.add_goal("now there is room", 5, T0, goals.MAX_GOALS)
        assert len(store.goals()) == 5


def test_a_history_from_before_goals_gains_them_by_migration(backcoach_home: Path) -> None:
    """A file an earlier backcoach wrote (migrations 1-3) is brought up to date on opening:
    the named migration adds lessons read, goals and dose changes, and nothing is lost."""
    path = backcoach_home / "history.sqlite3"
    older = history_db.MIGRATIONS[:3]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(history_db, "MIGRATIONS", older)
        with HistoryStore.open(path) as store:
            assert store.applied_migrations() == [name for name, _ in older]
            store.record_consent(T0)
    with HistoryStore.open(path) as store:
        names = store.applied_migrations()
        assert names[3] == "0004-lessons-read-goals-and-dose-changes"
        assert names == [name for name, _ in history_db.MIGRATIONS]
        assert store.consent_accepted_at() == T0
        store.add_goal("carry the shopping", 2, T0, goals.MAX_GOALS)
        store.mark_lesson_read("pacing", T0, "learn")
        assert [g.activity for g in store.goals()] == ["carry the shopping"]
        assert store.lessons_read() == {"pacing": T0}


def test_ratings_outside_0_to_10_are_refused_by_the_file_itself(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        ident = store.add_goal("stand at the sink", 4, T0, goals.MAX_GOALS)
    conn = sqlite3.connect(backcoach_home / "history.sqlite3")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO goal_ratings (goal_id, rated_at, score) VALUES (?, ?, 11)",
                     (ident, "2026-03-03T09:00:00Z"))
    conn.close()


def test_a_lesson_read_twice_keeps_the_first_time(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        store.mark_lesson_read("pacing", T0, "summary")
        store.mark_lesson_read("pacing", T0 + timedelta(days=1), "learn")
        assert store.lessons_read() == {"pacing": T0}


def test_rows_written_by_hand_are_left_out_and_counted(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        store.add_goal("walk the dog", 4, T0, goals.MAX_GOALS)
    conn = sqlite3.connect(backcoach_home / "history.sqlite3")
    conn.execute("INSERT INTO goals (activity, added_at) VALUES ('x', 'not a date')")
    conn.execute("INSERT INTO lessons_read (lesson_id, read_at, how) VALUES ('y', 'soon', "
                 "'learn')")
    conn.commit()
    conn.close()
    with HistoryStore.open_for_reading() as store:
        assert [g.activity for g in store.goals()] == ["walk the dog"]
        assert store.lessons_read() == {}
        assert "1 goal" in store.skipped_note() and "1 lesson record" in store.skipped_note()
