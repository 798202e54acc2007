"""Events behave as frozen records: equal when the same kind with the same values, hashable,
read-only, shown with their fields in order, and their JSON is the contract's."""

from __future__ import annotations

import dataclasses

import pytest

from backcoach.session import events as ev
from backcoach.session.plan import compile_plan
from tests.helpers import catalog, exercise

PLAN = compile_plan(catalog(exercise("knee-hug")).routine("r"), catalog(exercise("knee-hug")))
STEP = PLAN.steps[0]


def test_equal_means_the_same_kind_with_the_same_values() -> None:
    answer = ev.PainAnswered(3.0, STEP, 10.0, kind="sharp", level=6, stop=True)
    assert answer == ev.PainAnswered(3.0, STEP, 10.0, kind="sharp", level=6, stop=True)
    assert answer != ev.PainAnswered(3.0, STEP, 10.0, kind="sharp", level=7, stop=True)
    assert ev.Tick(1.0, STEP, 2.0) != ev.Paused(1.0, STEP, 2.0)  # same values, not the same
    assert len({ev.Tick(1.0, STEP, 2.0), ev.Tick(1.0, STEP, 2.0), ev.Paused(1.0, STEP, 2.0)}) == 2


def test_an_event_cannot_be_changed() -> None:
    started = ev.StepStarted(0.0, STEP, 8.0, easier=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        started.easier = False  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del started.t
    with pytest.raises(dataclasses.FrozenInstanceError):
        started.other = 1  # type: ignore[attr-defined]
    assert started.easier is True


def test_an_event_shows_its_fields_in_order() -> None:
    ended = ev.SessionEnded(61.5, "done", "finished", 3, 4)
    assert repr(ended) == ("SessionEnded(t=61.5, status='done', reason='finished', "
                           "exercises_done=3, exercises=4)")
    assert ev.StepEnded.field_names() == ("t", "step", "remaining", "status", "held")
    assert ev.StepEnded(1.0, STEP, None).status == ev.DONE  # defaults as documented


def test_the_json_is_the_contracts() -> None:
    assert ev.SessionEnded(61.5004, "done", "finished", 3, 4).to_json() == {
        "t": 61.5, "event": "session_end", "status": "done", "reason": "finished",
        "exercises_done": 3, "exercises": 4}
    step = ev.Adjusted(2.0, STEP, 7.25, delta=5, length=35).to_json()
    assert list(step) == ["t", "event", "exercise", "side", "rep", "kind", "planned", "step",
                          "remaining", "delta", "length"]
