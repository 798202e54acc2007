"""Whole runs of `backcoach run` in process: app.run_session with a fake clock, scripted keys
and scripted answers, the real catalog and a real history file in a temporary home.

These check the logic of a run (what is planned, stored, said and returned); the pty tests in
tests/cli/test_run.py keep checking the terminal itself.
"""

from __future__ import annotations

import errno
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backcoach import app
from backcoach.errors import ExitCode, SafetyStop
from backcoach.history.store import HistoryStore
from backcoach.library.catalog import load_catalog
from backcoach.library.config import Settings
from backcoach.safety.flow import MemorySafetyStore, clear_screen
from backcoach.session.plan import compile_plan
from tests.app_helpers import T0, environment
from tests.safety_helpers import replies


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    """A home whose safety screen is done (all clear)."""
    with HistoryStore.open() as store:
        clear_screen(store, datetime.now(UTC))
    return backcoach_home


def stored() -> list[Any]:
    with HistoryStore.open() as store:
        return store.sessions()


def test_a_whole_daily_run_follows_the_plan_to_the_millisecond(screened: Path) -> None:
    speed = 60.0
    env, out, err, _ = environment(interactive=False)
    code = app.run_session(app.SessionOptions(routine="daily", speed=speed, output="jsonl",
                                              pain_before=2, pain_after=2), env)
    assert code == ExitCode.OK
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events[0]["event"] == "session_start" and events[-1]["event"] == "session_end"
    catalog = load_catalog()
    plan = compile_plan(catalog.routine("daily"), catalog)
    ends = [e for e in events if e["event"] == "step_end"]
    assert [e["step"] for e in ends] == list(range(len(plan.steps)))
    assert [e["t"] for e in ends] == [round(step.end / speed, 3) for step in plan.steps]
    assert events[-1] == {"t": round(plan.total_seconds / speed, 3), "event": "session_end",
                          "status": "done", "reason": "finished", "exercises_done": 4,
                          "exercises": 4}
    assert "Well done." in err.getvalue()  # the summary stays off stdout, which is for machines
    [session] = stored()
    assert (session.status, session.pain_before, session.pain_after) == ("done", 2, 2)
    assert session.exercises_done == session.exercises_total == 4
    # Stamped by the injected wall clock: the safety check read it first, the record second.
    assert session.started_at == T0 + timedelta(minutes=2)


def test_plain_lines_and_the_summary_with_keys(screened: Path) -> None:
    # Pause 5 s into the setup, carry on 20 s later, skip the first hold, quit in the second.
    env, out, _, prompter = environment(
        keys=[(5, " "), (25, " "), (32, "n"), (40, "q"), (40, "q")], answers=replies(pain=4))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert code == ExitCode.OK
    text = out.getvalue()
    assert "[00:05] Paused. Press space to carry on." in text
    assert "[00:25] Carrying on." in text
    assert "[00:32] Skipped." in text
    assert "[00:40] Stopped early (you quit). 0 of 4 exercises done in full." in text
    # a hold began, so pain after is asked, in words that fit a session ended early
    assert "\nStopped early. 40 s · 0 of 4 exercises done in full · pain 4 → 2 (better)\n" \
        in text
    assert prompter.asked[-1] == ("Before you go: how is your pain now, from 0 (none) to 10 "
                                  "(worst imaginable)?")
    [session] = stored()
    assert (session.status, session.end_reason, session.pain_before) == ("partial", "quit", 4)
    rows = {(r.exercise_id, r.side): r for r in session.exercises}
    assert rows["knee-to-chest", "left"].status == "skipped"
    assert rows["knee-to-chest", "left"].seconds_held == pytest.approx(2)


def test_the_first_step_is_shown_before_history_is_written_and_each_end_after_it(
        screened: Path) -> None:
    # A start reports nothing done: the screen comes first, so the first frame does not wait
    # on the disk. An end reaches history first: what the screen says is done is on disk.
    env, out, _, _ = environment(keys=[(40, "q"), (40, "q")], answers=replies(pain=2))
    seen: list[tuple[str, str]] = []

    class Watched(HistoryStore):
        def begin(self, result: Any) -> int:
            seen.append(("begin", out.getvalue()))
            return super().begin(result)

        def save(self, session_id: int, result: Any, changed: Any = None) -> None:
            seen.append(("save", out.getvalue()))
            super().save(session_id, result, changed)

    env.open_store = Watched.open
    code = app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert code == ExitCode.OK
    kinds = [kind for kind, _ in seen]
    assert kinds[0] == "begin" and kinds.count("begin") == 1 and "save" in kinds
    first_step = "Stop if your pain keeps building while you hold."
    assert first_step in seen[0][1]  # the first step was on screen when the row went in
    ended = out.getvalue().index("[00:40] Stopped early")
    saves = [text for kind, text in seen if kind == "save"]
    # The last save is the one after the session (pain after); the one before it is the
    # session's end, which must be on disk before the screen says the session stopped.
    assert len(saves[-2]) <= ended, "the session's end reached the screen before history"
    [session] = stored()
    assert (session.status, session.end_reason) == ("partial", "quit")


def test_pain_after_is_asked_at_a_terminal_and_stored(screened: Path) -> None:
    answers = iter([False, 3, 1])  # no new symptoms, pain now 3, pain after 1
    env, out, _, prompter = environment(answers=lambda question: next(answers))
    code = app.run_session(app.SessionOptions(routine="gentle", output="plain"), env)
    assert code == ExitCode.OK
    assert prompter.asked[-1] == "How is your pain now, from 0 (none) to 10 (worst imaginable)?"
    assert "pain 3 → 1 (better)" in out.getvalue()
    [session] = stored()
    assert (session.pain_before, session.pain_after) == (3, 1)


def test_a_red_flag_stops_before_anything_starts(backcoach_home: Path) -> None:
    env, out, _, _ = environment(answers=replies(yes=["saddle-numbness"]))
    with pytest.raises(SafetyStop):
        app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert "[00:00]" not in out.getvalue()
    assert stored() == []


def test_clearance_answers_leave_exercises_out_and_say_why(backcoach_home: Path) -> None:
    env, out, _, _ = environment(answers=replies(yes=["osteoporosis"], pain=1))
    code = app.run_session(app.SessionOptions(routine="daily", output="jsonl", speed=300,
                                              pain_after=1), env)
    assert code == ExitCode.OK
    exercises = {json.loads(line).get("exercise") for line in out.getvalue().splitlines()}
    assert "knee-to-chest" not in exercises and "piriformis-figure-four" in exercises


def test_the_default_routine_comes_from_the_settings(screened: Path) -> None:
    env, out, _, _ = environment(interactive=False)
    options = app.SessionOptions(output="plain", speed=500, pain_before=0, pain_after=0,
                                 settings=Settings(routine="desk-break"))
    assert app.run_session(options, env) == ExitCode.OK
    assert out.getvalue().startswith("[00:00] Desk break")


class GoneAfter(io.StringIO):
    """Output whose reader goes away after `lines` lines (a closed terminal or pipe)."""

    def __init__(self, lines: int) -> None:
        super().__init__()
        self.left = lines

    def write(self, text: str) -> int:
        if self.left <= 0:
            raise OSError(errno.EIO, "Input/output error")
        self.left -= text.count("\n")
        return super().write(text)


def test_output_that_goes_away_ends_the_session_as_a_hangup_and_keeps_it(
        screened: Path) -> None:
    detached: list[bool] = []
    env, _, _, _ = environment(interactive=False, stdout=GoneAfter(12))
    env.detach_output = lambda: detached.append(True)
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", pain_before=3),
                           env)
    assert code == 129 and detached
    [session] = stored()
    assert (session.status, session.end_reason) == ("partial", "hangup")


def test_a_history_that_cannot_be_opened_runs_unsaved_and_says_so(screened: Path) -> None:
    from backcoach.history.store import StorageError

    def broken() -> HistoryStore:
        raise StorageError("history.sqlite3 is busy")

    env, out, _, _ = environment(answers=replies(pain=2))
    env.open_store = broken
    code = app.run_session(app.SessionOptions(routine="gentle", output="plain", speed=200,
                                              pain_after=2), env)
    assert code == ExitCode.OK
    text = out.getvalue()
    assert "Warning: history.sqlite3 is busy\nThis session will run" in text
    assert "This session was not saved to your history: history.sqlite3 is busy" in text


def test_memory_safety_store_keeps_answers_for_an_unsaved_run() -> None:
    store = MemorySafetyStore()
    clear_screen(store, T0)
    assert store.last_screen() is not None and store.consent_accepted_at() == T0


# ---------------------------------------------------------------- issue 14

def test_item_8_exercises_on_their_own_are_their_own_entry(screened: Path) -> None:
    """`run --only chin-tuck` is not a daily session: its own name in history, no routine
    id, and it counts toward no routine's plan (the summary's week line, progress)."""
    from backcoach.history import progress
    from backcoach.render.history_pages import history_page, progress_page

    env, out, _, _ = environment(interactive=False)
    code = app.run_session(app.SessionOptions(only=("chin-tuck",), speed=1000, output="plain",
                                              pain_before=2, pain_after=2), env)
    assert code == ExitCode.OK
    text = out.getvalue()
    assert text.startswith("[00:00] Chin tuck, on its own: 1 exercise, about 1 min 45 s.")
    assert "planned sessions" not in text  # no "this week 1 of 7 planned sessions"
    [session] = stored()
    assert (session.routine_id, session.routine_name) == ("", "Chin tuck, on its own")
    page = history_page([session], UTC, 1, 80).text(color=False)
    assert "Chin tuck, on its own" in page and "Daily" not in page
    with HistoryStore.open() as store:
        rows = store.progress_rows()
    catalog = load_catalog()
    summary = progress.summarize(rows, [], {rid: r.schedule for rid, r in
                                            catalog.routines.items()},
                                 session.started_at.date(), UTC)
    [target] = summary.targets
    assert (target.routine_name, target.planned, target.done) == (
        "Exercises on their own", None, 1)
    assert "Exercises on their own: 1 session this week" in progress_page(summary, 80).text(
        color=False)
    assert summary.streaks.current == 1  # it still counts as a day you exercised


def test_item_8_a_daily_session_is_still_counted_against_its_plan(screened: Path) -> None:
    env, out, _, _ = environment(interactive=False)
    app.run_session(app.SessionOptions(routine="daily", speed=1000, output="plain",
                                       pain_before=2, pain_after=2), env)
    assert "this week 1 of 7 planned sessions" in out.getvalue()


def test_item_4_what_is_said_before_the_session_goes_to_the_live_view(
        screened: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The live view would cover lines printed before it: they are its first screen's."""
    from backcoach.render import live

    given: list[tuple[str, ...]] = []

    class Recording(live.LiveView):
        def __init__(self, *args: Any, notices: tuple[str, ...] = (), **kwargs: Any) -> None:
            given.append(tuple(notices))
            super().__init__(*args, notices=notices, **kwargs)

    monkeypatch.setattr(live, "LiveView", Recording)
    answers = replies(yes=["osteoporosis"], symptoms=True, pain=2)
    env, out, _, _ = environment(answers=answers)
    env.find_speech = lambda: None
    app.run_session(app.SessionOptions(routine="daily", speed=1000, output="rich",
                                       voice=True, pain_after=2), env)
    [notices] = given
    assert notices == (
        "Leaving out Knee-to-chest stretch today: not advised with osteoporosis (from your "
        "safety answers); ask your doctor or physiotherapist before doing it.",
        "No speech program found (espeak-ng, spd-say or say); using the bell only. Install "
        "espeak-ng for spoken cues.")
    printed = out.getvalue()
    assert "Leaving out" not in printed.split("\x1b[?1049h")[0]  # not printed to be covered


def test_item_5_questions_go_to_the_terminal_when_output_is_a_file(screened: Path) -> None:
    env, out, _, _ = environment(answers=replies(pain=3))
    terminal = io.StringIO()
    streams: list[Any] = []
    env.open_terminal = lambda: terminal
    make = env.prompter
    env.prompter = lambda stream: (streams.append(stream), make(stream))[1]
    app.run_session(app.SessionOptions(only=("chin-tuck",), speed=1000, output="plain"), env)
    assert streams == [terminal]  # asked on the terminal, not into the file
    assert "Chin tuck, on its own" in out.getvalue()  # the session's lines go to the file
    # Without a person at the terminal, nothing is asked anywhere.
    env, _, _, _ = environment(interactive=False)
    streams.clear()
    env.open_terminal = lambda: terminal
    env.prompter = lambda stream: (streams.append(stream), make(stream))[1]
    app.run_session(app.SessionOptions(only=("chin-tuck",), speed=1000, output="plain",
                                       pain_before=2, pain_after=2), env)
    assert streams and terminal not in streams


def test_item_11_declining_the_statement_is_the_persons_choice(backcoach_home: Path) -> None:
    from backcoach.errors import Declined

    env, _, _, _ = environment(answers=replies(consent=False))
    with pytest.raises(Declined) as declined:
        app.run_session(app.SessionOptions(routine="daily"), env)
    assert declined.value.exit_code == ExitCode.OK
    assert stored() == []
