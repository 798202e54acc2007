"""Strengthening in the model: reps without holds (a tempo), sides that alternate, the `type`
that decides how a dose steps up, and the built-in strength exercises and routine (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.library import schema
from backcoach.library.catalog import load_catalog, total_seconds
from backcoach.library.loading import validate_files
from backcoach.library.model import Dose, DoseOverride, Origin
from backcoach.session.phrases import next_words, spoken, step_line
from backcoach.session.plan import compile_plan
from tests.helpers import catalog, exercise

BUILTIN = Path(__file__).resolve().parents[2] / "exercises"
NEW_EXERCISES = ("pelvic-tilt", "glute-bridge", "single-leg-bridge", "bird-dog",
                 "quadruped-leg-reach", "dead-bug", "heel-taps", "cat-cow")


def test_a_tempo_takes_the_place_of_the_hold_in_time_and_words() -> None:
    dose = Dose(hold=0, tempo=4, reps=6, sides=("left", "right"), rest=0, switch=0, setup=15)
    assert dose.work == 4
    assert dose.hold_seconds == 6 * 2 * 4
    assert dose.total_seconds() == 15 + 48
    assert dose.describe() == "6 slow reps of 4 s each side"
    assert Dose(hold=0, tempo=6, reps=1).describe() == "1 slow rep of 6 s"
    assert Dose(hold=5, reps=8).describe() == "8 x 5 s"  # a hold reads as before


def test_an_override_turns_a_moving_exercise_into_holds_and_back() -> None:
    moving = Dose(hold=0, tempo=4, reps=6)
    held = DoseOverride(hold=10).apply(moving)
    assert (held.hold, held.tempo, held.work) == (10, 0, 10)
    again = DoseOverride(tempo=3).apply(Dose(hold=30))
    assert (again.hold, again.tempo, again.work) == (0, 3, 3)
    assert DoseOverride(reps=8).apply(moving) == Dose(hold=0, tempo=4, reps=8)


def test_a_moving_exercise_alternates_sides_rep_by_rep_without_pauses() -> None:
    cat = catalog(exercise("bug", tempo=4, reps=3, rest=0, switch=0, setup=15))
    plan = compile_plan(cat.routine("r"), cat)
    assert [(s.kind, s.side, s.rep, s.seconds) for s in plan.steps] == [
        ("setup", "left", 1, 15.0),
        ("hold", "left", 1, 4.0), ("hold", "right", 1, 4.0),
        ("hold", "left", 2, 4.0), ("hold", "right", 2, 4.0),
        ("hold", "left", 3, 4.0), ("hold", "right", 3, 4.0)]
    assert plan.total_seconds == 15 + 24


def test_the_words_for_a_moving_rep() -> None:
    cat = catalog(exercise("bug", tempo=4, reps=2, rest=0, switch=0),
                  exercise("plain", sides=(), reps=1, hold=30))
    steps = compile_plan(cat.routine("r"), cat).steps
    first = steps[1]
    assert step_line(first) == "Left side, rep 1 of 2: slowly, 4 seconds."
    assert spoken(first) == "Left, 1"
    assert next_words(steps, 0) == "slow rep 4 s, left side"
    held = next(s for s in steps if s.exercise.id == "plain" and s.kind == "hold")
    assert step_line(held) == "Rep 1 of 1: hold 30 seconds."
    assert spoken(held) == "Rep 1 of 1. Hold for 30 seconds"
    assert spoken(held, "brief") == "Hold" and spoken(first, "brief") == "Left, 1"


def test_a_file_with_a_tempo_builds_a_moving_dose() -> None:
    text = ("id: bug\nname: Bug\nposition: lying\ntype: strength\ntempo: 4s\nreps: 6\n"
            "sides: [left, right]\nswitch: 0\nsteps: [Move.]\n")
    from tests.library.test_schema import node_of

    out = schema.Collector("bug.yaml")
    values, ok = schema.read_mapping(node_of(text), schema.EXERCISE_FIELDS, out, "exercise",
                                     schema.RULES["exercise"])
    assert ok, out.problems
    built = schema.build_exercise(values, Origin("bug.yaml", builtin=False))
    assert built.type == "strength"
    assert built.dose == Dose(hold=0, tempo=4, reps=6, sides=("left", "right"), switch=0)


def test_type_must_be_a_known_word(tmp_path: Path) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text("id: odd\nname: Odd\nposition: lying\ntype: cardio\nsteps: [x]\n")
    problems = [str(p) for p in validate_files([path]).problems]
    assert len(problems) == 1
    assert problems[0].endswith("type must be one of stretch, strength, mobility, got 'cardio'")


@pytest.mark.parametrize("ident", NEW_EXERCISES)
def test_each_new_exercise_is_complete_and_valid(ident: str) -> None:
    path = BUILTIN / f"{ident}.yaml"
    assert validate_files([path]).problems == []
    ex = load_catalog().exercise(ident)
    assert ex.type in ("strength", "mobility")
    assert len(ex.steps) >= 3 and ex.cues and ex.cautions and ex.stop_if and ex.sources
    assert ex.regions, "names the regions it loads, for stops that spread"


def test_variants_are_linked_both_ways() -> None:
    """A regression names its progression as harder, and the progression names it as easier."""
    cat = load_catalog()
    for ex in cat.exercises.values():
        if ex.harder:
            assert cat.exercises[ex.harder].easier == ex.id, (ex.id, ex.harder)
        if ex.easier:
            assert cat.exercises[ex.easier].harder == ex.id, (ex.id, ex.easier)
    chains = {ex.id: (ex.easier, ex.harder) for ex in cat.exercises.values()
              if ex.id in NEW_EXERCISES}
    assert chains["glute-bridge"] == ("pelvic-tilt", "single-leg-bridge")
    assert chains["dead-bug"] == ("heel-taps", None)
    assert chains["bird-dog"] == ("quadruped-leg-reach", None)


def test_the_strength_routine_three_days_a_week() -> None:
    cat = load_catalog()
    routine = cat.routine("strength")
    assert routine.schedule.days_per_week == 3
    ids = [item.exercise_id for item in routine.items]
    assert len(ids) >= 4
    assert all(cat.exercises[i].type in ("strength", "mobility") for i in ids)
    positions = [cat.exercises[i].position for i in ids]
    assert positions == sorted(positions, key=["lying", "kneeling"].index)  # down once
    assert total_seconds(routine, cat) == compile_plan(routine, cat).total_seconds == 360


def test_the_stretch_routines_plan_as_before() -> None:
    """Adding tempo and type changed no existing routine's length (their files' own sums)."""
    cat = load_catalog()
    expected = {"daily": 620, "gentle": 380}
    for ident, seconds in expected.items():
        assert compile_plan(cat.routine(ident), cat).total_seconds == seconds
    assert all(ex.type == "stretch" for ex in cat.exercises.values()
               if ex.id not in NEW_EXERCISES)
