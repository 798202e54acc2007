"""The progression rules, table by table: synthetic histories (steady, improving, flare, stop
and the cases around them) and the caps of each notch (issue 17, item 1)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backcoach.library.catalog import load_catalog
from backcoach.library.model import Dose, Exercise
from backcoach.safety import progression, rules
from backcoach.safety.progression import (
    Entry,
    ExerciseOutcome,
    LastChange,
    SessionOutcome,
    decide,
    step_down,
    step_up,
)
from backcoach.safety.rules import AdviceClass

CATALOG = load_catalog()
EX = CATALOG.exercises
T0 = datetime(2026, 3, 2, 8, tzinfo=UTC)
# A routine of one stretch and one strengthening exercise, at their doses in it.
ROUTINE = (Entry(0, EX["knee-to-chest"], EX["knee-to-chest"].dose._replace(reps=2)),
           Entry(1, EX["glute-bridge"], EX["glute-bridge"].dose))


def session(day: int, before: int | None, after: int | None, *, stop: str | None = None,
            reason: str = rules.REASON_SHARP, partial: str | None = None, finished: bool = True,
            entries: tuple[Entry, ...] = ROUTINE, earlier: tuple[SessionOutcome, ...] = ()
            ) -> SessionOutcome:
    """A session of the routine on day `day`, classified by the one advice function from its
    scores, its stop and the sessions before it."""
    stops = [rules.Stop(EX[stop].name, reason)] if stop else []
    facts = rules.Facts(before, after, stops=stops, earlier=tuple(
        rules.EarlierSession(s.pain_before, s.pain_after,
                             any(e.stopped_for_pain for e in s.exercises)) for s in earlier))
    outcomes = tuple(ExerciseOutcome(e.exercise.id, e.dose.reps, e.dose.work,
                                     done_in_full=e.exercise.id not in (stop, partial),
                                     stopped_for_pain=e.exercise.id == stop
                                     and rules.stop_kind(reason) == "pain")
                     for e in entries)
    return SessionOutcome(T0 + timedelta(days=day), rules.classify(facts), before, after,
                          finished, outcomes)


def history(*pains: tuple[int | None, int | None], **last: object) -> list[SessionOutcome]:
    """Sessions a day apart, oldest pains first; `last` sets the newest one's stop and such.
    Returned newest first, as the rules read them."""
    done: list[SessionOutcome] = []
    for day, (before, after) in enumerate(pains):
        extra = last if day == len(pains) - 1 else {}
        done.append(session(day, before, after, earlier=tuple(done), **extra))  # type: ignore[arg-type]
    return list(reversed(done))


STEADY = [(3, 3)] * 3
# (name, history, changes, expected: (direction, kind, exercise, new exercise, reps, work)
#  or None for no step, words the line must hold)
CASES = [
    ("steady: three the same", history(*STEADY), (),
     ("up", "reps", "knee-to-chest", "knee-to-chest", 3, 30), "Why: 3 comfortable sessions"),
    ("improving", history((5, 4), (4, 3), (3, 2)), (),
     ("up", "reps", "knee-to-chest", "knee-to-chest", 3, 30), "Step up"),
    ("two sessions are not enough", history(*STEADY[:2]), (), None, "2 of the 3"),
    ("a rise of 1 earlier still counts as comfortable", history((3, 3), (3, 4), (3, 3)), (),
     ("up", "reps", "knee-to-chest", "knee-to-chest", 3, 30), "Step up"),
    ("a rise of 1 last time: wait", history((3, 3), (3, 3), (3, 4)), (), None,
     "went up a little"),
    ("pain 7 or more: never more load, a step down", history((3, 3), (3, 3), (4, 7)), (),
     ("down", "hold", "knee-to-chest", "knee-to-chest", 2, 25), "your pain was 7 out of 10"),
    ("flare: up 2", history((3, 3), (3, 3), (3, 5)), (),
     ("down", "hold", "knee-to-chest", "knee-to-chest", 2, 25), "went up from 3 to 5"),
    ("repeated rise", history((3, 5), (3, 3), (3, 5)), (),
     ("down", "hold", "knee-to-chest", "knee-to-chest", 2, 25),
     "gone up after more than one session"),
    ("stop: the stopped one steps down, to its easier variant first",
     history((3, 3), (3, 3), (3, 3), stop="glute-bridge"), (),
     ("down", "variant", "glute-bridge", "pelvic-tilt", 10, 5), "stopped an exercise for pain"),
    ("stop for spreading symptoms: a clinician decides",
     history((3, 3), (3, 3), (3, 3), stop="knee-to-chest", reason=rules.REASON_SPREADING), (),
     None, "a clinician should decide"),
    ("an exercise not done in full breaks the run",
     history((3, 3), (3, 3), (3, 3), partial="glute-bridge"), (), None, "0 of the 3"),
    ("a session ended early breaks the run", history((3, 3), (3, 3), (3, 3), finished=False),
     (), None, "0 of the 3"),
    ("no pain scores: no step", history((None, None), (None, None), (None, None)), (), None,
     "give your pain before and after"),
    ("changed since the last session: wait and see", history(*STEADY),
     (LastChange(T0 + timedelta(days=5), "knee-to-chest", "up", "reps"),), None,
     "You changed it on"),
    ("the exercises take turns: the one changed longest ago goes next", history(*STEADY),
     (LastChange(T0 - timedelta(days=1), "knee-to-chest", "up", "reps"),),
     ("up", "reps", "glute-bridge", "glute-bridge", 9, 5), "Glute bridge, 8 → 9 reps"),
    ("a flare after a step up takes that step back",
     history((3, 3), (3, 3), (3, 5)),
     (LastChange(T0 - timedelta(days=1), "glute-bridge", "up", "reps"),),
     ("down", "reps", "glute-bridge", "glute-bridge", 7, 5), "Glute bridge, 8 → 7 reps"),
]


@pytest.mark.parametrize(("name", "sessions", "changes", "expected", "words"), CASES,
                         ids=[case[0] for case in CASES])
def test_the_step_each_history_earns(name: str, sessions: list[SessionOutcome],
                                     changes: tuple[LastChange, ...],
                                     expected: tuple[str, str, str, str, int, int] | None,
                                     words: str) -> None:
    verdict = decide("mine", ROUTINE, sessions, EX, changes)
    assert words in verdict.line
    if expected is None:
        assert verdict.step is None, verdict.line
        return
    step = verdict.step
    assert step is not None and step.new is not None and step.new_exercise is not None
    assert step.exercise is not None
    got = (step.direction, step.kind, step.exercise.id, step.new_exercise.id, step.new.reps,
           step.new.work)
    assert got == expected
    assert "\n" not in verdict.line and verdict.line.count(". Why: ") == 1  # one line, and why


def test_after_a_step_up_the_routine_needs_three_more_sessions_at_the_new_dose() -> None:
    stepped = (ROUTINE[0]._replace(dose=(ROUTINE[0].dose)._replace(reps=3)), ROUTINE[1])
    older = history(*STEADY)  # at the old dose
    verdict = decide("mine", stepped, older, EX)
    assert verdict.step is None and "0 of the 3" in verdict.line
    newer = [session(10 + day, 3, 3, entries=stepped) for day in range(3)][::-1]
    assert decide("mine", stepped, [*newer, *older], EX).step is not None


def test_a_flare_on_the_gentle_routine_steps_an_exercise_down_and_never_suggests_gentle() -> None:
    verdict = decide("gentle", ROUTINE, history((3, 3), (3, 6)), EX)
    assert verdict.step is not None and verdict.step.kind != progression.GENTLE_ROUTINE


def test_when_nothing_can_go_lower_the_gentle_routine_is_suggested() -> None:
    bottom = Exercise("lowest", "Lowest", "other", "lying", ("Lie still.",),
                      dose=Dose(hold=10, reps=1))
    routine = (Entry(0, bottom, bottom.dose),)
    flare = [session(0, 3, 6, entries=routine)]
    verdict = decide("mine", routine, flare, {})
    assert verdict.step is not None and verdict.step.kind == progression.GENTLE_ROUTINE
    assert not verdict.step.appliable
    assert "the gentle routine next time (`backcoach run gentle`)" in verdict.line
    on_gentle = decide("gentle", routine, flare, {})
    assert on_gentle.step is None and "lowest dose" in on_gentle.line


def test_at_the_top_of_every_ladder_no_step_up() -> None:
    top = Exercise("top", "Top", "other", "lying", ("Lie still.",), dose=Dose(hold=60, reps=4))
    routine = (Entry(0, top, top.dose),)
    sessions = [session(day, 3, 3, entries=routine) for day in range(3)][::-1]
    verdict = decide("mine", routine, sessions, {})
    assert verdict.step is None and "at the top of its steps" in verdict.line


@given(st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10)), min_size=1, max_size=6))
def test_never_more_load_when_pain_rose_or_is_7_or_more(pains: list[tuple[int, int]]) -> None:
    """Whatever came before: after a session whose pain rose, or that ended at 7 or more, the
    step is never up (the rule the after-session advice keeps, rules.HIGH_PAIN)."""
    verdict = decide("mine", ROUTINE, history(*pains), EX)
    before, after = pains[-1]  # pain "now" is the pain after the session
    if after > before or after >= rules.HIGH_PAIN:
        assert verdict.step is None or verdict.step.direction == "down"
    if after - before >= rules.MIN_CHANGE_POINTS or after >= rules.HIGH_PAIN:
        assert verdict.step is not None and verdict.step.direction == "down"


# --- the notches and their caps ---------------------------------------------------------------

def stretch(hold: int, reps: int, harder: str | None = None) -> Exercise:
    return Exercise("s", "S", "other", "lying", ("x",), dose=Dose(hold=hold, reps=reps),
                    harder=harder, easier="easy")


def strong(hold: int, reps: int, tempo: int = 0, harder: str | None = "next") -> Exercise:
    dose = Dose(hold=0 if tempo else hold, reps=reps, tempo=tempo)
    return Exercise("g", "G", "other", "lying", ("x",), dose=dose, type="strength",
                    harder=harder, easier="easy")


VARIANTS = {"next": strong(5, 5, harder=None), "easy": stretch(20, 2),
            "double-knee-to-chest": EX["double-knee-to-chest"]}

UPS = [  # (exercise, expected kind, reps, hold or tempo) or None at the top
    (stretch(20, 2), ("hold", 2, 25)),
    (stretch(28, 2), ("hold", 2, 30)),  # up to 30 s first, never past it in this notch
    (stretch(30, 2), ("reps", 3, 30)),
    (stretch(30, 4), ("hold", 4, 35)),
    (stretch(58, 4), ("hold", 4, 60)),  # the cap: holds at most 60 s
    (stretch(60, 4, harder="double-knee-to-chest"), ("variant", 3, 30)),
    (stretch(60, 4), None),
    (strong(5, 8), ("reps", 9, 5)),  # strengthening adds reps first ...
    (strong(5, 12), ("hold", 12, 10)),  # ... up to 12, then hold time ...
    (strong(10, 12), ("variant", 5, 5)),  # ... then the harder variant
    (strong(10, 12, harder=None), None),
    (strong(0, 11, tempo=4), ("reps", 12, 4)),  # a moving exercise: reps, then variant
    (strong(0, 12, tempo=4), ("variant", 5, 5)),
]


@pytest.mark.parametrize(("exercise", "expected"), UPS)
def test_step_up_notches(exercise: Exercise, expected: tuple[str, int, int] | None) -> None:
    found = step_up(exercise, exercise.dose, VARIANTS)
    if expected is None:
        assert found is None
        return
    assert found is not None
    kind, _, dose = found
    assert (kind, dose.reps, dose.work) == expected


def test_mobility_adds_reps_up_to_ten() -> None:
    cat_cow = EX["cat-cow"]
    assert cat_cow.type == "mobility"
    found = step_up(cat_cow, cat_cow.dose._replace(reps=9), EX)
    assert found is not None and found[2].reps == 10
    assert step_up(cat_cow, cat_cow.dose._replace(reps=10), EX) is None


@pytest.mark.parametrize("start", [ex.id for ex in CATALOG.exercises.values()])
def test_climbing_every_built_in_exercise_stays_within_the_caps(start: str) -> None:
    """Step up again and again from each built-in exercise: every hold stays at or under 60 s
    (10 s for strengthening), every rep count under its cap, and the climb ends."""
    exercise, dose = EX[start], EX[start].dose
    for _ in range(100):
        found = step_up(exercise, dose, EX)
        if found is None:
            break
        _, exercise, dose = found
        assert dose.hold <= progression.MAX_HOLD
        caps = {"stretch": max(progression.STRETCH_MAX_REPS, exercise.dose.reps),
                "strength": progression.STRENGTH_MAX_REPS,
                "mobility": progression.MOBILITY_MAX_REPS}
        assert dose.reps <= caps[exercise.type]
        if exercise.type == "strength":
            assert dose.hold <= max(progression.STRENGTH_MAX_HOLD, exercise.dose.hold)
    else:
        pytest.fail("the climb never ended")


DOWNS = [  # (exercise, first, expected kind, reps, hold or tempo) or None at the bottom
    (stretch(30, 3), None, ("hold", 3, 25)),
    (stretch(10, 3), None, ("reps", 2, 10)),  # holds not under 10 s ...
    (stretch(10, 1), None, ("variant", 2, 20)),  # ... then reps to 1, then the easier one
    (stretch(30, 3), "reps", ("reps", 2, 30)),  # reversing a step up of reps
    (stretch(30, 3), "variant", ("variant", 2, 20)),  # after a stop: easier variant first
    (strong(10, 8), None, ("hold", 8, 5)),
    (strong(5, 8), None, ("reps", 7, 5)),
    (strong(5, 3), None, ("variant", 2, 20)),
    (strong(0, 3, tempo=4), None, ("variant", 2, 20)),
]


@pytest.mark.parametrize(("exercise", "first", "expected"), DOWNS)
def test_step_down_notches(exercise: Exercise, first: str | None,
                           expected: tuple[str, int, int]) -> None:
    found = step_down(exercise, exercise.dose, VARIANTS, first)
    assert found is not None
    kind, _, dose = found
    assert (kind, dose.reps, dose.work) == expected


def test_the_bottom_of_a_ladder() -> None:
    lowest = Exercise("l", "L", "other", "lying", ("x",), dose=Dose(hold=10, reps=1))
    assert step_down(lowest, lowest.dose, {}) is None


def test_a_variant_keeps_the_routines_one_side() -> None:
    top = EX["glute-bridge"].dose._replace(reps=12, hold=10)
    found = step_up(EX["glute-bridge"], top, EX)
    assert found is not None and found[1].id == "single-leg-bridge"
    assert found[2] == EX["single-leg-bridge"].dose  # its own dose, both sides
    left = EX["single-leg-bridge"].dose._replace(sides=("left",))
    back = step_down(EX["single-leg-bridge"], left, EX, "variant")
    assert back is not None and back[2].sides == ()  # the bridge has no sides
    bird = step_up(EX["quadruped-leg-reach"], EX["quadruped-leg-reach"].dose._replace(
                                                      reps=12, hold=10, sides=("right",)), EX)
    assert bird is not None and bird[1].id == "bird-dog" and bird[2].sides == ("right",)


def test_the_classes_the_rules_use_are_the_advices() -> None:
    """Comfortable, step-up and flare are sets of the one advice's classes: no thresholds of
    their own."""
    assert progression.STEP_UP_AFTER < progression.COMFORTABLE
    assert not progression.COMFORTABLE & progression.FLARE
    assert AdviceClass.SAFETY_STOP not in progression.FLARE  # a clinician decides
    assert progression.WINDOW == rules.RECENT_SESSIONS
