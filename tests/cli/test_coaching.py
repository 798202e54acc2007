"""Getting better over weeks through the commands a person types: `learn`, `goals`,
`progress` (goals, doses, --apply, --undo), in a fresh home and in one with history."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history.store import HistoryStore
from tests.fakes import ScriptedPrompter

LESSON_IDS = sorted(p.stem for p in (Path(__file__).resolve().parents[2] / "exercises" /
                                     "lessons").glob("*.yaml"))


def cli(*args: str, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env or None)


def ok(*args: str, **env: str) -> Result:
    result = cli(*args, **env)
    assert result.exit_code == 0, result.output
    return result


def flat(text: str) -> str:
    return " ".join(text.split())


def bad(*args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ")
    return line


# --- learn ------------------------------------------------------------------------------------

def test_learn_lists_every_lesson_and_marks_what_was_read(backcoach_home: Path) -> None:
    listed = ok("learn", COLUMNS="100").stdout
    for ident in LESSON_IDS:
        assert f" {ident} " in listed
    assert "Keep moving; it helps your back recover" in listed
    assert listed.count(" new\n") == len(LESSON_IDS)
    shown = ok("learn", "pacing").stdout
    assert shown.startswith("Pacing: a plan, not the mood of the day\n\nOn a good day")
    assert "Sources\n- NICE NG59" in shown
    rows = {row["id"]: row for row in json.loads(ok("learn", "--json").stdout)}
    assert set(rows) == set(LESSON_IDS)
    assert rows["pacing"]["read_at"] is not None and rows["posture"]["read_at"] is None
    assert " pacing                 yes" in ok("learn", COLUMNS="100").stdout
    one = json.loads(ok("learn", "heat", "--json").stdout)
    assert one["id"] == "heat-and-cold" and 60 <= len(one["text"].split()) <= 120


def test_learn_an_unknown_topic_is_bad_input(backcoach_home: Path) -> None:
    assert bad("learn", "pilates") == ("Error: no lesson about 'pilates'; `backcoach learn` "
                                       "lists them")


def test_learn_still_shows_a_lesson_when_history_cannot_be_written(backcoach_home: Path
                                                                   ) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "history.sqlite3").write_text("not a database")
    result = cli("learn", "posture")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Posture: comfortable, not perfect")
    assert "is not an SQLite database" in result.stderr
    assert "this lesson is not marked as read" in result.stderr


def test_a_lesson_of_your_own_is_listed_and_validated(backcoach_home: Path) -> None:
    made = ok("new", "lesson", "my-walks")
    path = backcoach_home / "lessons" / "my-walks.yaml"
    assert path.exists(), made.output
    assert ok("validate", str(path)).stdout == "1 file checked: all valid.\n"
    assert " my-walks " in ok("learn", COLUMNS="100").stdout
    assert ok("learn", "my-walks").stdout.startswith("My walks\n")
    path.write_text(path.read_text(encoding="utf-8").replace("sixty", "60 60 60 " * 30),
                    encoding="utf-8")
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert "text must be 60 to 120 words, got " in result.stderr


# --- goals ------------------------------------------------------------------------------------

def test_goals_add_rate_list_and_remove(backcoach_home: Path) -> None:
    assert ok("goals", "add", "put on my socks", "--score", "3").stdout == (
        "Added goal 1: put on my socks, 3 out of 10 now. Rate it again in a week with "
        "`backcoach goals rate`.\n")
    ok("goals", "add", "  sit through   a meeting ", "--score", "4")
    listed = ok("goals", "list").stdout
    assert "1. put on my socks: 3\n" in listed and "2. sit through a meeting: 4\n" in listed
    assert "Stratford et al. 1995" in listed
    rated = flat(ok("goals", "rate", "1=5", "2=6").stdout)
    assert "1. put on my socks: 3 → 5 (+2)" in rated
    assert ("Average 3.5 at the start, 5.5 now (+2): a meaningful improvement (2 points or "
            "more on the average).") in rated
    data = json.loads(ok("goals", "list", "--json").stdout)
    assert [g["activity"] for g in data["goals"]] == ["put on my socks", "sit through a meeting"]
    assert [r["score"] for r in data["goals"][0]["ratings"]] == [3, 5]
    assert (data["average_change"], data["verdict"]) == (2.0, "better")
    assert ok("goals", "remove", "1").stdout == ("Set aside goal 1: put on my socks. Its ratings "
                                                 "are kept.\n")
    assert "1. sit through a meeting: 4 → 6 (+2)" in ok("goals", "list").stdout


def test_a_goal_without_its_rating_off_a_terminal_is_bad_input(backcoach_home: Path) -> None:
    assert bad("goals", "add", "tie my shoes") == (
        "Error: give how well you can do it now with --score N (0 = unable, 10 = as before the "
        "problem)")
    assert not (backcoach_home / "history.sqlite3").exists()


def test_goals_are_asked_at_a_terminal(backcoach_home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    person = ScriptedPrompter([4, 6])
    monkeypatch.setattr("backcoach.cli.coaching.make_prompter", lambda: person)
    ok("goals", "add", "tie my shoes")
    ok("goals", "rate")
    assert person.asked == [
        "\"tie my shoes\": how well can you do it now, from 0 (unable to) to 10 (as well as "
        "before your back problem)?"] * 2
    assert "1. tie my shoes: 4 → 6 (+2)" in ok("goals", "list").stdout


@pytest.mark.parametrize(("args", "message"), [
    (("goals", "add", "x", "--score", "11"), "a rating is from 0 (unable to do it) to 10"),
    (("goals", "add", "", "--score", "3"), "say which activity"),
    (("goals", "rate", "1=4"), "no goals to rate yet"),
    (("goals", "remove", "1"), "there is no goal 1; `backcoach goals list` shows the numbers "
                               "(none yet)"),
])
def test_goal_mistakes_in_a_fresh_home(backcoach_home: Path, args: tuple[str, ...],
                                       message: str) -> None:
    assert message in bad(*args)


@pytest.mark.parametrize(("rating", "message"), [
    ("1:4", "write each rating as NUMBER=SCORE, such as 1=6, got '1:4'"),
    ("3=4", "there is no goal 3; `backcoach goals list` shows the numbers 1 to 1"),
    ("1=12", "a rating is from 0 (unable to do it) to 10"),
])
def test_rating_mistakes_change_nothing(backcoach_home: Path, rating: str, message: str) -> None:
    ok("goals", "add", "walk to the shop", "--score", "2")
    assert message in bad("goals", "rate", rating)
    assert "1. walk to the shop: 2\n" in ok("goals", "list").stdout


def test_no_more_than_five_goals(backcoach_home: Path) -> None:
    for number in range(5):
        ok("goals", "add", f"activity {number}", "--score", "5")
    assert bad("goals", "add", "one more", "--score", "5") == (
        "Error: you have 5 goals, the most the scale uses; set one aside first with "
        "`backcoach goals remove N` (`backcoach goals list` shows the numbers)")


def seed_goal_ratings(home: Path, firsts: list[int], lasts: list[int]) -> None:
    start = datetime.now(UTC) - timedelta(days=14)
    with HistoryStore.open() as store:
        ids = [store.add_goal(f"activity {n}", first, start, 5) for n, first in enumerate(firsts)]
        store.rate_goals(dict(zip(ids, lasts, strict=True)), start + timedelta(days=7))


@pytest.mark.parametrize(("firsts", "lasts", "words"), [
    ([3, 4], [5, 6], "Average 3.5 at the start, 5.5 now (+2): a meaningful improvement"),
    ([3, 4], [5, 5], "Average 3.5 at the start, 5.0 now (+1.5): not yet a meaningful change "
                     "(that takes 2 points on the average)"),
    ([6, 6], [4, 4], "Average 6.0 at the start, 4.0 now (-2): meaningfully harder"),
])
def test_progress_shows_each_goals_trend_and_the_2_point_threshold(
        backcoach_home: Path, firsts: list[int], lasts: list[int], words: str) -> None:
    seed_goal_ratings(backcoach_home, firsts, lasts)
    ok("screen", "--clear")
    ok("run", "gentle", "--speed", "1000", "--output", "jsonl", "--pain-before", "3",
       "--pain-after", "3")
    text = flat(ok("progress").stdout)
    assert "Your goals (0 = unable, 10 = as before the problem)" in text
    assert f"1. activity 0: {firsts[0]} → {lasts[0]} ({lasts[0] - firsts[0]:+d})" in text
    assert words in text
    assert "A week or more since you last rated them: `backcoach goals rate`." in text


# --- progress: doses, --apply and --undo -------------------------------------------------------

def three_sessions(routine: str, pains: tuple[tuple[int, int], ...] = ((3, 3),) * 3) -> None:
    ok("screen", "--clear")
    for before, after in pains:
        ok("run", routine, "--speed", "1000", "--output", "jsonl", "--pain-before", str(before),
           "--pain-after", str(after))


def test_progress_apply_and_undo_a_built_in_routine(backcoach_home: Path) -> None:
    three_sessions("strength")
    text = flat(ok("progress").stdout)
    assert ("Your doses Back strengthening routine: Step up: Glute bridge, 8 → 9 reps. Why: 3 "
            "comfortable sessions in a row, every rep done and nothing stopped.") in text
    assert "`backcoach progress --apply` writes it into your routine" in text
    path = backcoach_home / "routines" / "strength.yaml"
    applied = ok("progress", "--apply").stdout
    assert applied.startswith(f"Changed {path} (your copy of the built-in routine, made for "
                              "this): Step up: Glute bridge, 8 → 9 reps.")
    assert "9 x 5 s" in ok("show", "strength").stdout
    assert "You changed it on" in flat(ok("progress").stdout)
    assert ok("progress", "--apply").stdout.startswith("Nothing to apply: no routine has a step "
                                                       "to take now.")
    undone = ok("progress", "--undo").stdout
    assert undone.startswith("Took back the change of ")
    assert f"Removed {path}, the copy made for it: the built-in routine is in force again." \
        in undone
    assert not path.exists()
    assert "8 x 5 s" in ok("show", "strength").stdout
    assert bad("progress", "--undo").startswith("Error: nothing to undo")


def test_progress_apply_and_undo_round_trip_your_own_file(backcoach_home: Path) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    original = (b"# My evening routine\r\nid: mine\r\nname: Mine\r\nexercises:\r\n"
                b"  - id: knee-to-chest   # two is plenty\r\n    reps: 2\r\n  - cat-cow\r\n")
    path.write_bytes(original)
    three_sessions("mine")
    applied = ok("progress", "--apply").stdout
    assert applied.startswith(f"Changed {path}: Step up: Knee-to-chest stretch, 2 → 3 reps "
                              "each side.")
    after = path.read_bytes()
    assert after == original.replace(
        b"  - id: knee-to-chest", b"  # " + after.split(b"  # ", 1)[1].split(b"\r\n")[0]
        + b"\r\n  - id: knee-to-chest").replace(b"reps: 2", b"reps: 3")
    ok("progress", "--undo")
    assert path.read_bytes() == original


def test_a_flare_suggests_a_step_down(backcoach_home: Path) -> None:
    three_sessions("daily", ((3, 3), (3, 3), (3, 6)))
    text = flat(ok("progress").stdout)
    assert ("Daily lower-back routine: Step down: Kneeling hip-flexor stretch, holds 30 → 25 s. "
            "Why: your pain went up from 3 to 6 last time.") in text
    ok("progress", "--apply")
    in_force = json.loads(ok("show", "daily", "--json").stdout)
    assert [s["hold"] for s in in_force["sequence"]] == [30, 30, 25, 20]


def test_apply_and_undo_together_are_bad_input(backcoach_home: Path) -> None:
    assert bad("progress", "--apply", "--undo") == (
        "Error: --apply and --undo do opposite things; use one of them")


def test_apply_in_a_fresh_home_changes_nothing(backcoach_home: Path) -> None:
    assert ok("progress", "--apply").stdout.startswith("Nothing to apply yet")
    assert not (backcoach_home / "routines").exists()


def test_the_dose_change_is_kept_in_history(backcoach_home: Path) -> None:
    three_sessions("strength")
    ok("progress", "--apply")
    conn = sqlite3.connect(backcoach_home / "history.sqlite3")
    rows: list[Any] = conn.execute("SELECT routine_id, exercise_id, direction, step, undone_at "
                                   "FROM dose_changes").fetchall()
    conn.close()
    assert rows == [("strength", "glute-bridge", "up", "reps", None)]
