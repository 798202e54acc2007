"""Compile a routine into a flat sequence of timed steps. Pure: no clock, no I/O."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backcoach.errors import BadInput
from backcoach.library.catalog import Catalog, routine_entries
from backcoach.library.model import Dose, Exercise, Routine

SETUP, HOLD, REST, SWITCH, TRANSITION = "setup", "hold", "rest", "switch", "transition"
KINDS = (SETUP, HOLD, REST, SWITCH, TRANSITION)


@dataclass(frozen=True)
class Step:
    """One timed step of a session. `seconds` is the planned length at speed 1."""

    index: int
    kind: str
    seconds: float
    exercise: Exercise
    dose: Dose
    exercise_index: int
    side: str | None = None
    rep: int | None = None
    start: float = 0.0

    @property
    def end(self) -> float:
        """Planned end, in seconds from the start of the session at speed 1."""
        return self.start + self.seconds


@dataclass(frozen=True)
class PlannedExercise:
    """An exercise as planned: its dose here and the range of its steps."""

    exercise: Exercise
    dose: Dose
    first_step: int
    last_step: int

    @property
    def seconds(self) -> int:
        """Planned length of this exercise at speed 1 (without the transition after it)."""
        return self.dose.total_seconds()


@dataclass(frozen=True)
class Plan:
    """A whole session: the routine it came from and its steps in order."""

    routine_id: str
    routine_name: str
    steps: tuple[Step, ...]
    exercises: tuple[PlannedExercise, ...]

    @property
    def total_seconds(self) -> float:
        """Planned length of the session at speed 1."""
        return self.steps[-1].end if self.steps else 0.0

    def next_hold_or_exercise(self, index: int) -> Step | None:
        """The step after `index`, for 'Next: ...' lines."""
        return self.steps[index + 1] if index + 1 < len(self.steps) else None


def exercise_steps(exercise: Exercise, dose: Dose, exercise_index: int) -> list[Step]:
    """Setup, then each rep: a hold per side with a switch between sides, a rest between reps."""
    steps: list[Step] = []

    def add(kind: str, seconds: float, side: str | None = None, rep: int | None = None) -> None:
        if seconds > 0 or kind == HOLD:
            steps.append(Step(0, kind, float(seconds), exercise, dose, exercise_index, side, rep))

    add(SETUP, dose.setup, side=dose.side_slots[0], rep=1)
    for rep in range(1, dose.reps + 1):
        for slot, side in enumerate(dose.side_slots):
            if slot > 0:
                add(SWITCH, dose.switch, side=side, rep=rep)
            add(HOLD, dose.hold, side=side, rep=rep)
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
    steps: list[Step] = []
    clock = 0.0
    for index, step in enumerate(raw):
        steps.append(Step(index, step.kind, step.seconds, step.exercise, step.dose,
                          step.exercise_index, step.side, step.rep, start=clock))
        clock += step.seconds
    return Plan(routine.id, routine.name, tuple(steps), tuple(planned))
