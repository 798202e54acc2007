"""Compile a routine into a flat sequence of timed steps. Pure: no clock, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from backcoach.errors import BadInput
from backcoach.library.catalog import Catalog, routine_entries
from backcoach.library.model import Dose, Exercise, Routine
from backcoach.record import FrozenRecord, set_once

SETUP, HOLD, REST, SWITCH, TRANSITION = "setup", "hold", "rest", "switch", "transition"
KINDS = (SETUP, HOLD, REST, SWITCH, TRANSITION)


class Step(FrozenRecord):
    """One timed step of a session. `seconds` is the planned length at speed 1. Never changed
    once planned (`placed` makes the numbered copy); hashable, as events that carry it are."""

    __slots__ = ("dose", "exercise", "exercise_index", "index", "kind", "rep", "seconds", "side",
                 "start")
    index: int
    kind: str
    seconds: float
    exercise: Exercise
    dose: Dose
    exercise_index: int
    side: str | None
    rep: int | None
    start: float

    def __init__(self, index: int, kind: str, seconds: float, exercise: Exercise, dose: Dose,
                 exercise_index: int, side: str | None = None, rep: int | None = None,
                 start: float = 0.0) -> None:
        set_once(self, index=index, kind=kind, seconds=seconds, exercise=exercise, dose=dose,
                 exercise_index=exercise_index, side=side, rep=rep, start=start)

    @property
    def end(self) -> float:
        """Planned end, in seconds from the start of the session at speed 1."""
        return self.start + self.seconds

    def placed(self, index: int, start: float) -> Step:
        """This step as the index-th of its session, starting `start` seconds into it."""
        return Step(index, self.kind, self.seconds, self.exercise, self.dose,
                    self.exercise_index, self.side, self.rep, start)


class PlannedExercise(NamedTuple):
    """An exercise as planned: its dose here and the range of its steps."""

    exercise: Exercise
    dose: Dose
    first_step: int
    last_step: int

    @property
    def seconds(self) -> int:
        """Planned length of this exercise at speed 1 (without the transition after it)."""
        return self.dose.total_seconds()


class Plan(NamedTuple):
    """A whole session: the routine it came from and its steps in order."""

    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    exercises: tuple[PlannedExercise, ...]

    @property
    def total_seconds(self) -> float:
        """Planned length of the session at speed 1."""
        return self.steps[-1].end if self.steps else 0.0

    def on_their_own(self) -> Plan:
        """This plan as a session of single exercises: no routine id (history keeps it as its
        own entry, counted toward no routine's plan), named after its exercises."""
        return self._replace(routine_id="",
                             routine_name=single_name([p.exercise.name for p in self.exercises]))

    def exercise_range(self, position: int) -> tuple[int, int]:
        """The first and last step index of the exercise at `position`."""
        planned = self.exercises[position]
        return planned.first_step, planned.last_step

    def with_easier(self, position: int, variant: Exercise) -> Plan:
        """This plan with the exercise at `position` replaced by `variant` from its setup on.

        A variant done one side at a time keeps the sides of the exercise it replaces (one side
        stays one side) or, when that one worked both sides at once, takes its own (both knees
        to chest becomes one knee, left then right). It takes its own hold, reps and rests; the
        transition into it stays, renamed.
        """
        old = self.exercises[position]
        sides = (old.dose.sides or variant.dose.sides) if variant.dose.sides else ()
        dose = variant.dose._replace(sides=sides)
        new = exercise_steps(variant, dose, position)
        first, last = old.first_step, old.last_step
        before = list(self.steps[:first])
        if before and before[-1].kind == TRANSITION and before[-1].exercise_index == position:
            transition = before[-1]
            before[-1] = Step(transition.index, TRANSITION, transition.seconds, variant, dose,
                              position, transition.side, transition.rep, transition.start)
        steps = _timed([*before, *new, *self.steps[last + 1:]])
        shift = len(new) - (last - first + 1)
        exercises = [*self.exercises[:position],
                     PlannedExercise(variant, dose, first, first + len(new) - 1),
                     *(p._replace(first_step=p.first_step + shift, last_step=p.last_step + shift)
                       for p in self.exercises[position + 1:])]
        name = self.routine_name
        if not self.routine_id and name == single_name([p.exercise.name for p in self.exercises]):
            # Exercises on their own are named for them: the header names what is done now.
            name = single_name([p.exercise.name for p in exercises])
        return Plan(self.routine_id, name, tuple(steps), tuple(exercises))


def single_name(names: Sequence[str]) -> str:
    """`Chin tuck, on its own`; `Chin tuck and Neck side bend, on their own`; three or more:
    the first two and how many more."""
    if len(names) == 1:
        return f"{names[0]}, on its own"
    if len(names) == 2:
        return f"{names[0]} and {names[1]}, on their own"
    return f"{names[0]}, {names[1]} and {len(names) - 2} more, on their own"


def exercise_steps(exercise: Exercise, dose: Dose, exercise_index: int) -> list[Step]:
    """Setup, then each rep: a hold per side with a switch between sides, a rest between reps.

    A moving rep (a dose with a tempo) is a step of kind HOLD too: the timed work of one rep on
    one side, which every consumer counts as done or not (the words say "slowly", not "hold").
    """
    steps: list[Step] = []

    def add(kind: str, seconds: float, side: str | None = None, rep: int | None = None) -> None:
        if seconds > 0 or kind == HOLD:
            steps.append(Step(0, kind, float(seconds), exercise, dose, exercise_index, side, rep))

    add(SETUP, dose.setup, side=dose.side_slots[0], rep=1)
    for rep in range(1, dose.reps + 1):
        for slot, side in enumerate(dose.side_slots):
            if slot > 0:
                add(SWITCH, dose.switch, side=side, rep=rep)
            add(HOLD, dose.work, side=side, rep=rep)
        if rep < dose.reps:
            add(REST, dose.rest, side=dose.side_slots[0], rep=rep + 1)
    return steps


def _own_dose(exercise: Exercise) -> tuple[Exercise, Dose]:
    return exercise, exercise.dose


def compile_plan(routine: Routine, catalog: Catalog, only: Sequence[str] = ()) -> Plan:
    """The routine's steps with overrides applied; `only` keeps just those exercise ids.

    An id in `only` that is not in the routine is planned on its own, with its own dose.
    """
    entries = routine_entries(routine, catalog)
    if only:
        in_routine = {exercise.id: (exercise, dose) for exercise, dose in entries}
        entries = [in_routine.get(ident) or _own_dose(catalog.exercise(ident))
                   for ident in dict.fromkeys(only)]
    if not entries:
        raise BadInput(f"routine '{routine.id}' has no exercises to run")
    raw: list[Step] = []
    planned: list[PlannedExercise] = []
    for position, (exercise, dose) in enumerate(entries):
        if position > 0 and routine.rest_between > 0:
            raw.append(Step(0, TRANSITION, float(routine.rest_between), exercise, dose, position))
        first = len(raw)
        raw.extend(exercise_steps(exercise, dose, position))
        planned.append(PlannedExercise(exercise, dose, first, len(raw) - 1))
    return Plan(routine.id, routine.name, tuple(_timed(raw)), tuple(planned))


def _timed(steps: Sequence[Step]) -> list[Step]:
    """The steps numbered in order, each starting where the one before ends."""
    timed: list[Step] = []
    clock = 0.0
    for index, step in enumerate(steps):
        timed.append(step.placed(index, clock))
        clock += step.seconds
    return timed
