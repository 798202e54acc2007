"""The plan compiler: steps, order, totals, overrides, --only."""

from __future__ import annotations

import pytest

from backcoach.errors import BadInput
from backcoach.library.catalog import load_catalog
from backcoach.library.model import DoseOverride
from backcoach.session.plan import compile_plan
from tests.helpers import catalog, exercise


def kinds(plan: object) -> list[tuple[str, str | None, int | None]]:
    return [(s.kind, s.side, s.rep) for s in plan.steps]  # type: ignore[attr-defined]


def test_sides_alternate_within_each_rep_with_switch_and_rest() -> None:
    cat = catalog(exercise(reps=2))
    plan = compile_plan(cat.routine("r"), cat)
    assert kinds(plan) == [
        ("setup", "left", 1), ("hold", "left", 1), ("switch", "right", 1), ("hold", "right", 1),
        ("rest", "left", 2), ("hold", "left", 2), ("switch", "right", 2), ("hold", "right", 2)]


def test_no_sides_and_transition_between_exercises() -> None:
    cat = catalog(exercise("a", sides=(), reps=2), exercise("b", sides=("left",), reps=1))
    plan = compile_plan(cat.routine("r"), cat)
    assert kinds(plan) == [("setup", None, 1), ("hold", None, 1), ("rest", None, 2),
                           ("hold", None, 2), ("transition", None, None),
                           ("setup", "left", 1), ("hold", "left", 1)]
    assert [s.exercise.id for s in plan.steps][-3:] == ["b", "b", "b"]


def test_steps_are_contiguous_and_total_matches_doses() -> None:
    cat = catalog(exercise("a"), exercise("b", sides=(), reps=3, hold=20), rest_between=15)
    plan = compile_plan(cat.routine("r"), cat)
    for before, after in zip(plan.steps, plan.steps[1:], strict=False):
        assert after.start == before.end
    # a: 10 + 2*2*30 + 2*1*5 + 1*10 = 150; b: 10 + 3*20 + 2*10 = 90; one transition of 15
    assert plan.total_seconds == 150 + 90 + 15
    assert [p.seconds for p in plan.exercises] == [150, 90]


def test_overrides_apply() -> None:
    cat = catalog(exercise("a"), overrides={"a": DoseOverride(hold=20, reps=1, sides=("right",))})
    plan = compile_plan(cat.routine("r"), cat)
    assert kinds(plan) == [("setup", "right", 1), ("hold", "right", 1)]
    assert plan.steps[1].seconds == 20


def test_zero_length_pauses_are_left_out() -> None:
    cat = catalog(exercise("a", rest=0, switch=0, setup=0), rest_between=0)
    plan = compile_plan(cat.routine("r"), cat)
    assert {s.kind for s in plan.steps} == {"hold"}


def test_only_keeps_routine_dose_or_uses_own() -> None:
    cat = catalog(exercise("a"), exercise("b", reps=1),
                  overrides={"a": DoseOverride(reps=1)})
    plan = compile_plan(cat.routine("r"), cat, only=["a"])
    assert {s.exercise.id for s in plan.steps} == {"a"}
    assert sum(1 for s in plan.steps if s.kind == "hold") == 2  # override reps=1, two sides


def test_only_unknown_id_is_bad_input() -> None:
    cat = catalog(exercise("a"))
    with pytest.raises(BadInput, match="no exercise called 'zzz'"):
        compile_plan(cat.routine("r"), cat, only=["zzz"])


def test_daily_plan_total_equals_show_total() -> None:
    from backcoach.library.catalog import total_seconds

    cat = load_catalog()
    for routine in cat.routines.values():
        assert compile_plan(routine, cat).total_seconds == total_seconds(routine, cat)


def test_exercises_on_their_own_are_named_for_them() -> None:
    """Issue 14, item 8: `run --only` is its own entry, not the routine's."""
    from backcoach.session.plan import single_name

    cat = catalog(exercise("chin-tuck"), exercise("neck-tilt"), exercise("rolls"))
    plan = compile_plan(cat.routine("r"), cat, only=("chin-tuck",)).on_their_own()
    assert (plan.routine_id, plan.routine_name) == ("", "Chin Tuck, on its own")
    assert single_name(["A", "B"]) == "A and B, on their own"
    # Swapped for an easier variant (key e): named for what is done now. A routine keeps its name.
    swapped = plan.with_easier(0, exercise("neck-tilt"))
    assert (swapped.routine_id, swapped.routine_name) == ("", "Neck Tilt, on its own")
    whole = compile_plan(cat.routine("r"), cat)
    assert whole.with_easier(0, exercise("neck-tilt")).routine_name == whole.routine_name
    assert single_name(["A", "B", "C", "D"]) == "A, B and 2 more, on their own"
