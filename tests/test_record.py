"""Record, the base of the value classes that the first frame of a session loads."""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError

import pytest

from backcoach.library.catalog import Catalog, load_catalog
from backcoach.library.settings import DEFAULTS, Settings
from backcoach.session.plan import Step, compile_plan
from backcoach.session.result import ExerciseResult, SessionResult, SideResult


def test_equal_by_class_and_every_field() -> None:
    assert SideResult(2, 60.0) == SideResult(reps_done=2, seconds_held=60.0)
    assert SideResult(2, 60.0) != SideResult(2, 59.0)
    assert SideResult() != ExerciseResult("a", "A", 1, 30, ())  # another class: never equal
    assert SideResult() != (0, 0.0)


def test_repr_names_each_field_and_fields_gives_them_by_name() -> None:
    side = SideResult(1, 29.5)
    assert repr(side) == "SideResult(reps_done=1, seconds_held=29.5)"
    assert side.fields() == {"reps_done": 1, "seconds_held": 29.5}


def test_a_mutable_record_is_not_hashable_and_takes_no_new_attributes() -> None:
    with pytest.raises(TypeError):
        hash(SideResult())
    with pytest.raises(AttributeError):
        SideResult().reps = 3  # type: ignore[attr-defined]  # a slot per field, nothing else


def test_defaults_are_new_for_each_record() -> None:
    first, second = ExerciseResult("a", "A", 1, 30, ()), ExerciseResult("a", "A", 1, 30, ())
    first.held["left"] = SideResult(1, 30.0)
    assert second.held == {}
    one = SessionResult("r", "R", started_at=None, planned_seconds=1)  # type: ignore[arg-type]
    one.exercises.append(first)
    assert SessionResult("r", "R", started_at=None, planned_seconds=1).exercises == []  # type: ignore[arg-type]
    for name in Catalog.__slots__:  # every container a catalog starts with is its own
        assert getattr(Catalog(), name) is not getattr(Catalog(), name), name
        assert not getattr(Catalog(), name), name
    assert Settings().where == {} and Settings().where is not Settings().where


def test_a_nan_field_equals_itself_as_in_a_dataclass() -> None:
    side = SideResult(0, float("nan"))
    assert side == side


def test_steps_and_settings_cannot_change_once_made() -> None:
    step = Step(0, "hold", 30.0, None, None, 0)  # type: ignore[arg-type]
    with pytest.raises(FrozenInstanceError):
        step.seconds = 10.0  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del step.kind
    with pytest.raises(FrozenInstanceError):
        DEFAULTS.routine = "gentle"  # type: ignore[misc]
    assert Settings().routine == "daily"


def test_a_record_made_from_another_has_both_their_fields() -> None:
    class Timed(SideResult):
        __slots__ = ("at",)

        def __init__(self, reps_done: int = 0, seconds_held: float = 0.0,
                     at: float = 0.0) -> None:
            super().__init__(reps_done, seconds_held)
            self.at = at

    assert Timed(1, 2.0, 3.0).fields() == {"reps_done": 1, "seconds_held": 2.0, "at": 3.0}
    assert Timed(1, 2.0, 3.0) != Timed(1, 2.0, 4.0)
    assert repr(Timed(1, 2.0, 3.0)) == "Timed(reps_done=1, seconds_held=2.0, at=3.0)"


def test_every_field_is_an_init_argument_by_the_same_name() -> None:
    # The library cache writes a record's fields by name and makes it again with cls(**fields).
    for cls in (SideResult, ExerciseResult, SessionResult, Step, Catalog, Settings):
        params = set(inspect.signature(cls).parameters)
        assert set(cls._names) == params, cls.__name__


def test_steps_are_hashable_and_equal_by_value() -> None:
    catalog = load_catalog(strict=False)
    one = compile_plan(catalog.routine("daily"), catalog)
    two = compile_plan(catalog.routine("daily"), catalog)
    assert one.steps == two.steps
    assert {hash(a) == hash(b) for a, b in zip(one.steps, two.steps, strict=True)} == {True}
    assert len(set(one.steps)) == len(one.steps)  # numbered: no two alike
    moved = one.steps[3].placed(0, 0.0)
    assert moved != one.steps[3] and moved.exercise == one.steps[3].exercise


def test_settings_are_equal_wherever_the_file_wrote_them_and_hashable() -> None:
    here = Settings(voice="full", given=("voice",), where={"voice": (3, 8)})
    there = Settings(voice="full", given=("voice",), where={"voice": (9, 8)})
    assert here == there and hash(here) == hash(there)
    assert here != Settings(voice="brief", given=("voice",), where={"voice": (3, 8)})
    assert Settings() == DEFAULTS and DEFAULTS.routine == "daily"
