"""Issue 12, item by item, through whole runs: `app.run_session` in process (fake clock, scripted
keys and answers, the real catalog, a real history file) and the real commands (CliRunner).

Each test is named after the item it shows fixed; the pure rules have their own tests in
tests/safety/, and tests/cli/test_safety_pty.py drives the same flows in a terminal.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcoach import app
from backcoach.cli import app as cli_app
from backcoach.errors import ExitCode, SafetyStop
from backcoach.history.store import HistoryStore, StoredSession
from backcoach.safety import redflags, rules
from backcoach.safety.flow import clear_screen, run_screen
from backcoach.session.result import ScreenRecord
from tests.app_helpers import T0, environment
from tests.fakes import ScriptedPrompter
from tests.history_helpers import result, store_results
from tests.safety_helpers import replies


def flat(text: str) -> str:
    """Text with line wrapping undone."""
    return " ".join(text.split())


def told(out: Any, prompter: Any) -> str:
    """Everything the person was told: by the questions (the safety flow), then the run."""
    return flat(" ".join(prompter.said) + " " + out.getvalue())


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    """A home whose safety screen is done (all clear)."""
    with HistoryStore.open() as store:
        clear_screen(store, datetime.now(UTC))
    return backcoach_home


def answered(yes: list[str], cleared: dict[str, datetime] | None = None) -> None:
    """A home whose last screen has these yes answers (and clearances)."""
    answers = {q.id: q.id in yes for q in redflags.load_questions()}
    with HistoryStore.open() as store:
        store.record_consent(datetime.now(UTC))
        tier = redflags.evaluate(answers, cleared=cleared).tier.name
        store.record_screen(ScreenRecord(datetime.now(UTC), tier, answers, cleared or {}))


def stored() -> list[StoredSession]:
    with HistoryStore.open() as store:
        return store.sessions()


def events(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def run(*args: str) -> Any:
    return CliRunner().invoke(cli_app, ["run", *args])


# ---------------------------------------------------------------- wrong advice today

def test_item_1_first_rise_is_not_called_repeated(screened: Path) -> None:
    done = run("--only", "chin-tuck", "--pain-before", "4", "--pain-after", "6", "--speed",
               "1000", "--output", "plain")
    assert done.exit_code == 0, done.output
    text = flat(done.output)
    assert "Your pain went up from 4 to 6 during this session." in text
    assert "Some soreness after stretching is common and usually settles within a day." in text
    assert "more than one session" not in text and "gone up after an earlier" not in text
    # the second rise is the repeated one
    again = flat(run("--only", "chin-tuck", "--pain-before", "4", "--pain-after", "6",
                     "--speed", "1000", "--output", "plain").output)
    assert "it has gone up after an earlier session too" in again
    assert "Please see a physiotherapist or doctor" in again


def test_item_2_severe_pain_after_is_never_waved_on(screened: Path) -> None:
    for before, after in (("10", "10"), ("9", "10")):
        done = run("--only", "chin-tuck", "--pain-before", before, "--pain-after", after,
                   "--speed", "1000", "--output", "plain")
        text = flat(done.output)
        if before == "9":  # off a terminal no one can insist on a session at 9-10
            assert done.exit_code == ExitCode.SAFETY_STOP
            assert "Pain of 9 out of 10 is severe. Rest from these exercises today." in text
            continue
        assert done.exit_code == ExitCode.SAFETY_STOP, done.output


def test_item_2_severe_pain_before_at_a_terminal_suggests_rest(screened: Path) -> None:
    env, out, _, prompter = environment(answers=replies(pain=9, still_go=False))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert code == ExitCode.OK
    text = told(out, prompter)
    assert "Pain of 9 out of 10 is severe. Rest from these exercises today." in text
    assert "call emergency services" in text
    assert "No session today, then." in text
    assert prompter.asked[-1] == "Would you still like a short, gentle session today?"
    assert prompter.defaults[prompter.asked[-1]] is False  # Enter means rest
    assert "[00:00]" not in text and stored() == []


def test_item_2_insisting_at_9_or_10_gets_the_gentle_routine_at_most(screened: Path) -> None:
    env, out, _, _ = environment(answers=replies(pain=10, still_go=True))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", speed=200,
                                              pain_after=10), env)
    assert code == ExitCode.OK
    text = flat(out.getvalue())
    assert "[00:00] Gentle flare-up routine" in text
    [session] = stored()
    assert session.routine_id == "gentle"
    assert "Your pain is 10 out of 10: that is severe. Rest from these exercises today." in text
    assert "Keep going" not in text and "add a rep" not in text


def test_item_2_pain_7_or_8_before_offers_the_gentle_routine(screened: Path) -> None:
    env, out, _, prompter = environment(answers=replies(pain=7, gentle=True))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", speed=200,
                                              pain_after=6), env)
    assert code == ExitCode.OK
    assert "Do the gentle routine instead today?" in prompter.asked
    assert prompter.defaults["Do the gentle routine instead today?"] is True  # Enter: yes
    assert "Switching to the gentle flare-up routine today." in out.getvalue()
    assert stored()[0].routine_id == "gentle"
    # off a terminal: said, with what to run, and the session asked for goes ahead
    off = run("daily", "--pain-before", "8", "--pain-after", "7", "--speed", "1000",
              "--output", "plain")
    assert off.exit_code == 0, off.output
    assert "`backcoach run gentle` runs the gentle routine instead" in flat(off.output)
    assert "[00:00] Daily lower-back routine" in off.output


def test_item_3_a_worse_trend_and_a_steady_session_give_one_message(
        screened: Path) -> None:
    now = datetime.now(UTC)
    store_results(screened / "history.sqlite3",
                  [result(now - timedelta(days=days), pain=(2 if days > 7 else 5,) * 2)
                   for days in range(14, 0, -1)])
    done = run("--only", "chin-tuck", "--pain-before", "5", "--pain-after", "5", "--speed",
               "1000", "--output", "plain")
    assert done.exit_code == 0, done.output
    text = flat(done.output)
    assert "After two weeks of regular sessions your average pain has gone up" in text
    assert "Don't add reps or time until then." in text
    assert "Keep going" not in text and "no worse" not in text


def test_item_3_keep_going_is_never_followed_by_see_a_clinician(screened: Path) -> None:
    now = datetime.now(UTC)
    store_results(screened / "history.sqlite3",
                  [result(now - timedelta(days=2), pain=(3, 5))])  # an earlier rise
    text = flat(run("--only", "chin-tuck", "--pain-before", "3", "--pain-after", "3",
                    "--speed", "1000", "--output", "plain").output)
    assert "Pain 3 to 3: no worse. Keep going at this dose." in text
    assert "physiotherapist" not in text


def test_item_4_pain_after_is_asked_when_a_stopped_session_had_a_hold(screened: Path) -> None:
    # sharp pain 5 s into the first hold of knee-to-chest, then quit in the next exercise
    env, out, _, prompter = environment(keys=[(15, "h"), (16, "s"), (25, "q"), (25, "q")],
                                        answers=replies(pain=3, pain_after=5))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert code == ExitCode.OK
    assert prompter.asked[-1] == ("You stopped Knee-to-chest stretch early. How is your pain "
                                  "now, from 0 (none) to 10 (worst imaginable)?")
    text = flat(out.getvalue())
    assert "Well done" not in text
    assert "Stopped early. 25 s · 0 of 4 exercises done in full · pain 3 → 5 (worse)" in text
    assert "You stopped Knee-to-chest stretch because of sharp pain." in text
    assert "Your pain went up from 3 to 5" in text
    [session] = stored()
    assert (session.pain_before, session.pain_after) == (3, 5)


def test_item_4_no_hold_begun_no_pain_after_question(screened: Path) -> None:
    env, _, _, prompter = environment(keys=[(5, "q"), (5, "q")], answers=replies(pain=3))
    assert app.run_session(app.SessionOptions(routine="daily", output="plain"), env) == 0
    assert prompter.asked[-1] == "How much does it hurt right now, from 0 (no pain) to 10 " \
                                 "(the worst imaginable)?"


def test_item_5_the_onset_answer_starts_the_clock(backcoach_home: Path) -> None:
    """A year of pain, the first session: the persistent-pain advice, at once."""
    env, out, _, prompter = environment(answers=replies(pain=5, onset=4))
    code = app.run_session(app.SessionOptions(routine="gentle", output="plain", speed=200,
                                              pain_after=5), env)
    assert code == ExitCode.OK
    assert "When did this bout of back or neck pain begin?" in prompter.asked[-2]
    assert "more than 12 weeks, which makes it persistent" in flat(out.getvalue())
    with HistoryStore.open() as store:
        onset = store.pain_onset()
    assert onset is not None and onset.onset == "over-12-weeks"


# ---------------------------------------------------------------- stops that protect

NECK_DIZZY = [(57, "h"), (57.5, "d")]  # in the first hold of chin tuck (55-60 s)


def test_item_6_dizziness_in_neck_work_ends_the_neck_exercises(screened: Path) -> None:
    env, out, _, prompter = environment(keys=[*NECK_DIZZY, (58, "n")],
                                        answers=replies(pain=2, pain_after=2))
    code = app.run_session(app.SessionOptions(routine="neck-and-shoulders", output="jsonl"),
                           env)
    assert code == ExitCode.OK
    found = events(out.getvalue())
    asked = [e for e in found if e["event"] == "pain" and e.get("phase") == "follow-up"]
    assert "double vision, slurred speech, trouble swallowing" in asked[0]["question"]
    [left] = [e for e in found if e["event"] == "left_out"]
    assert left["exercises"] == ["neck-side-bend", "neck-levator-stretch"]
    started = {e["exercise"] for e in found if e["event"] == "step_start"}
    assert started == {"shoulder-rolls", "chin-tuck"}
    [session] = stored()
    statuses = {r.exercise_id: (r.status, r.stop_reason) for r in session.exercises}
    assert statuses["chin-tuck"] == ("stopped", rules.REASON_DIZZY_NECK)
    assert statuses["neck-side-bend"] == (
        "skipped", "left out after dizziness or a change in vision during neck work in Chin "
        "tuck")
    talk = flat(out.getvalue())  # jsonl mode: the talk went to stderr
    assert talk.count("{") == len(found)
    assert prompter.asked[-1].startswith("You stopped Chin tuck early.")


def test_item_6_with_signs_of_an_emergency_the_session_ends_with_exit_3(
        backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        clear_screen(store, T0 - timedelta(days=1))
    env, out, _, prompter = environment(keys=[*NECK_DIZZY, (58, "y")],
                                        answers=replies(pain=2))
    code = app.run_session(app.SessionOptions(routine="neck-and-shoulders", output="plain"),
                           env)
    assert code == ExitCode.SAFETY_STOP
    text = flat(out.getvalue())
    assert "Call emergency services or go to an emergency department now." in text
    assert "Session ended for your safety." in text
    assert not any("pain now" in q for q in prompter.asked[1:])  # no pain-after question
    [session] = stored()
    assert session.end_reason == "safety"
    # no session until the questions are answered again
    again, _, _, _ = environment(answers=replies(pain=2), start=T0 + timedelta(hours=1))
    with pytest.raises(SafetyStop, match="Call emergency services"):
        app.run_session(app.SessionOptions(routine="daily", output="plain"), again)


def test_item_7_spreading_leg_symptoms_skip_the_rest_of_that_region(screened: Path) -> None:
    env, out, _, _ = environment(keys=[(15, "h"), (16, "l")], answers=replies(pain=3))
    code = app.run_session(app.SessionOptions(routine="daily", output="jsonl", speed=1,
                                              pain_after=3), env)
    assert code == ExitCode.OK
    found = events(out.getvalue())
    [left] = [e for e in found if e["event"] == "left_out"]
    assert left["exercises"] == ["piriformis-figure-four", "kneeling-hip-flexor"]
    started = [e["exercise"] for e in found if e["event"] == "step_start"]
    assert set(started) == {"knee-to-chest", "neck-side-bend"}  # the neck does not load it
    assert found[-1]["reason"] == "finished"


def test_item_8_back_never_returns_into_a_stopped_exercise(screened: Path) -> None:
    # stop knee-to-chest with sharp pain at 16 s, then press b three times in the transition
    env, out, _, _ = environment(keys=[(15, "h"), (16, "s"), (18, "b"), (19, "b"), (20, "b"),
                                       (22, "q"), (22, "q")], answers=replies(pain=3, pain_after=3))
    assert app.run_session(app.SessionOptions(routine="daily", output="jsonl"), env) == 0
    found = events(out.getvalue())
    stopped_at = next(i for i, e in enumerate(found) if e["event"] == "pain"
                      and e.get("phase") == "answer")
    after = found[stopped_at:]
    assert not any(e.get("exercise") == "knee-to-chest" and e["event"] == "step_start"
                   for e in after)
    backs = [e for e in after if e["event"] == "back"]
    assert len(backs) == 3 and all(e["kind"] == "transition" for e in backs)


def test_item_8_the_next_session_names_the_stop_and_can_leave_it_out(screened: Path) -> None:
    first, _, _, _ = environment(keys=[(15, "h"), (16, "s"), (25, "q"), (25, "q")],
                                 answers=replies(pain=3, pain_after=3))
    app.run_session(app.SessionOptions(routine="daily", output="plain"), first)
    env, out, _, prompter = environment(answers=replies(pain=3, leave_out=True),
                                        start=T0 + timedelta(days=1))
    code = app.run_session(app.SessionOptions(routine="daily", output="jsonl", speed=300,
                                              pain_after=3), env)
    assert code == ExitCode.OK
    assert "Leave it out today?" in prompter.asked
    said = " ".join(prompter.said)
    assert "you stopped Knee-to-chest stretch because of sharp pain." in said
    assert "Leaving out Knee-to-chest stretch today: last time you stopped it because of " \
           "sharp pain." in flat(env.stderr.getvalue())
    assert "knee-to-chest" not in {e.get("exercise") for e in events(out.getvalue())}


def test_item_9_easier_obeys_the_screens_exclusions(backcoach_home: Path) -> None:
    answered(["knee-problem"])
    env, out, _, _ = environment(keys=[(3, "e"), (15, "e")], answers=replies(pain=2))
    code = app.run_session(app.SessionOptions(only=("piriformis-cross-body",),
                                              output="jsonl", speed=1, pain_after=2), env)
    assert code == ExitCode.OK
    found = events(out.getvalue())
    assert not any(e["event"] == "swap" for e in found)
    assert {e.get("exercise") for e in found if "exercise" in e} == {"piriformis-cross-body"}
    [session] = stored()
    assert {r.exercise_id for r in session.exercises} == {"piriformis-cross-body"}
    # without the knee answer, e swaps as before
    answered([])
    env, out, _, _ = environment(keys=[(3, "e")], answers=replies(pain=2),
                                 start=T0 + timedelta(days=1))
    app.run_session(app.SessionOptions(only=("piriformis-cross-body",), output="jsonl",
                                       speed=50, pain_after=2), env)
    assert any(e["event"] == "swap" for e in events(out.getvalue()))


# ---------------------------------------------------------------- the questions

def test_item_10_a_neck_answer_leaves_the_neck_out_and_says_why(backcoach_home: Path) -> None:
    env, out, _, prompter = environment(answers=replies(["neck-injury"], pain=2))
    code = app.run_session(app.SessionOptions(routine="daily", output="plain", speed=300,
                                              pain_after=2), env)
    assert code == ExitCode.OK
    text = told(out, prompter)
    assert "Get medical advice before doing any neck exercises." in text
    assert "Leaving out Neck side bend today: it loads the neck, which your safety answers " \
           "say a doctor or physiotherapist should check first." in text
    assert "Neck side bend:" not in text.split("[00:00]")[1]


def test_item_10_stroke_like_signs_stop_everything(backcoach_home: Path) -> None:
    env, out, _, prompter = environment(answers=replies(["stroke-signs"]))
    with pytest.raises(SafetyStop):
        app.run_session(app.SessionOptions(routine="neck-and-shoulders", output="plain"), env)
    assert "Call emergency services or go to an emergency department now." in told(out,
                                                                                      prompter)
    assert stored() == []


def test_item_11_recent_surgery_not_cleared_blocks(backcoach_home: Path) -> None:
    env, out, _, prompter = environment(answers=replies(["recent-surgery"]))
    with pytest.raises(SafetyStop) as stop:
        app.run_session(app.SessionOptions(routine="daily", output="plain"), env)
    assert stop.value.exit_code == ExitCode.SAFETY_STOP
    assert "surgical team" in told(out, prompter)
    # and the next run, without a terminal, says the same
    done = run("daily", "--speed", "1000")
    assert done.exit_code == ExitCode.SAFETY_STOP and "no session yet" in done.output


def test_item_11_nothing_left_out_is_said_and_what_is_left_out_is_named(
        backcoach_home: Path) -> None:
    env, out, _, prompter = environment(answers=replies(["heart-condition", "hip-replacement"]))
    assert app.run_session(app.SessionOptions(routine="daily", output="plain", speed=300,
                                              pain_after=3), env) == ExitCode.OK
    text = told(out, prompter)
    assert "Nothing is left out for a heart condition." in text
    assert "Left out for a hip replacement: Double knee-to-chest stretch, Knee-to-chest " \
           "stretch, Kneeling hip-flexor stretch" in text
    for name in ("Knee-to-chest stretch", "Piriformis stretch (figure four)",
                 "Kneeling hip-flexor stretch"):
        assert f"Leaving out {name} today: not advised with a hip replacement" in text
    exercises = {e.exercise_id for e in stored()[0].exercises}
    assert exercises == {"neck-side-bend"}


def test_item_12_cancer_with_a_clinicians_ok_then_a_run(backcoach_home: Path) -> None:
    blocked, _, _, _ = environment(answers=replies(["cancer-history"]))
    with pytest.raises(SafetyStop) as stop:
        app.run_session(app.SessionOptions(routine="gentle", output="plain"), blocked)
    assert "--clear" not in str(stop.value) and "say so" in str(stop.value)
    # the message says: answer again with `backcoach screen`, and say a clinician checked it
    later = T0 + timedelta(days=2)
    with HistoryStore.open() as store:
        screen = ScriptedPrompter(replies(["cancer-history"], cleared={"cancer-history"}))
        assert not run_screen(screen, store, later).blocks
    assert redflags.CLEARANCE_QUESTION in screen.asked
    assert any("said exercise is fine, so it does not stop your sessions" in line
               for line in screen.said)
    env, out, _, _ = environment(answers=replies(pain=2), start=later + timedelta(hours=1))
    code = app.run_session(app.SessionOptions(routine="gentle", output="plain", speed=300,
                                              pain_after=2), env)
    assert code == ExitCode.OK
    assert "Well done." in out.getvalue()
    with HistoryStore.open() as store:
        last = store.last_screen()
    assert last is not None and last.cleared == {"cancer-history": later}


def test_item_12_clear_lists_what_it_confirms(backcoach_home: Path) -> None:
    done = CliRunner().invoke(cli_app, ["screen", "--clear"])
    assert done.exit_code == 0, done.output
    text = flat(done.output)
    assert "Recorded that none of these warning signs or conditions apply to you:" in text
    assert "- Have you ever had cancer?" in text and "- Are you pregnant?" in text


def test_item_13_long_standing_checked_symptoms_do_not_block(backcoach_home: Path) -> None:
    env, out, _, prompter = environment(answers=replies(["both-legs-checked",
                                                         "rest-night-pain"]))
    assert app.run_session(app.SessionOptions(routine="gentle", output="plain", speed=300,
                                              pain_after=3), env) == ExitCode.OK
    assert "Arrange to see a doctor or physiotherapist soon." in told(out, prompter)
