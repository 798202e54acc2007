"""What a session achieved, built from its events: the SessionResult that history stores.

The recorder stands between the runner and every other sink: it updates the result from each
event, then passes the event on, so whatever a view reports as done is already in the record.
When the runner is done the recorder closes the record and tells the sinks how the session
ended.

The history writer is kept apart from the other sinks (`history`). It sees every event before
them, so whatever a view reports as done is already on disk, except the start of the session
and of a step: a start reports nothing done, so the screen comes first and the disk after, and
the first frame does not wait on history's first write (an insert that may sync the file: 2 to
10 ms).

Each step costs O(1): only the exercise the step belongs to, and the one the person was in
before, can change status when a step ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from backcoach.library.model import Exercise
from backcoach.session import events as ev
from backcoach.session.clock import Clock, utc_now
from backcoach.session.keys import KeySource
from backcoach.session.plan import HOLD, TRANSITION, Plan, Step
from backcoach.session.result import (
    EX_DONE,
    EX_NOT_REACHED,
    EX_PARTIAL,
    EX_SKIPPED,
    EX_STOPPED,
    NO_SIDE,
    SESSION_DONE,
    SESSION_PARTIAL,
    ExerciseResult,
    SessionResult,
    SideResult,
)
from backcoach.session.runner import Assess, Ending, Runner, stop_on_any_pain


class Recorder:
    """Keeps the SessionResult of one session up to date and passes every event on."""

    def __init__(self, plan: Plan, sinks: Iterable[ev.Sink] = (), speed: float = 1.0,
                 wall: Callable[[], datetime] = utc_now) -> None:
        self.sinks = list(sinks)
        self.history: ev.Sink | None = None  # the history writer: see _pass_on
        self.wall = wall  # stamps the start and the end; the timer never reads it
        self.result = SessionResult(
            routine_id=plan.routine_id, routine_name=plan.routine_name, started_at=wall(),
            planned_seconds=plan.total_seconds, speed=speed,
            exercises=[_planned(p.exercise, p.dose.reps, p.dose.work, p.dose.sides)
                       for p in plan.exercises])
        self._planned_holds = [_holds(plan, position) for position in range(len(plan.exercises))]
        self._holds_done: list[set[tuple[str | None, int | None]]] = [
            set() for _ in plan.exercises]
        self._entered: set[int] = set()
        self._stopped: set[int] = set()
        self._left_out: set[int] = set()  # left out after another exercise's stop
        self._current: Step | None = None  # the step last started
        self._last_ended: int | None = None  # the exercise of the step last ended

    def handle(self, event: ev.Event) -> None:
        """Record what the event changes, then pass it on to every sink in order."""
        if isinstance(event, ev.StepStarted):
            self._current = event.step
            self._entered.add(event.step.exercise_index)
            if event.step.kind == HOLD:
                self.result.holds_started += 1
        elif isinstance(event, ev.StepEnded):
            self._step_ended(event)
        elif isinstance(event, ev.PainAnswered):
            record = self.result.exercises[event.step.exercise_index]
            if event.level is not None:
                record.pain = max(event.level, record.pain or 0)
            if event.stop:
                record.stop_reason = event.reason
                self._stopped.add(event.step.exercise_index)
        elif isinstance(event, ev.Swapped) and event.plan is not None:
            self._swapped(event.plan, event.position)
        elif isinstance(event, ev.LeftOut):
            for position in event.positions:
                self._left_out.add(position)
                self.result.exercises[position].stop_reason = event.reason
                self._update_status(position)
        self._pass_on(event)

    def finish(self, ending: Ending) -> SessionResult:
        """Close the record (how and when it ended, every status) and tell the sinks."""
        result = self.result
        result.end_reason = ending.reason
        result.status = SESSION_DONE if ending.reason == "finished" else SESSION_PARTIAL
        result.ended_at = self.wall()
        result.elapsed_seconds = ending.elapsed
        for position in range(len(result.exercises)):
            self._update_status(position)
        self._pass_on(ev.SessionEnded(ending.elapsed, result.status, ending.reason,
                                      result.exercises_done, len(result.exercises)))
        return result

    def close(self) -> None:
        """Nothing to release: the sinks are closed by their owner."""

    # ------------------------------------------------------------------ bookkeeping

    def _pass_on(self, event: ev.Event) -> None:
        history = self.history
        starts = isinstance(event, ev.SessionStarted | ev.StepStarted)
        if history is not None and not starts:
            history.handle(event)  # whatever a view reports as done is already on disk
        for sink in self.sinks:
            sink.handle(event)
        if history is not None and starts:
            history.handle(event)

    def _step_ended(self, event: ev.StepEnded) -> None:
        step = event.step
        position = step.exercise_index
        if step.kind == HOLD:
            record = self.result.exercises[position]
            side = record.held.setdefault(step.side or NO_SIDE, SideResult())
            side.seconds_held += event.held
            key = (step.side, step.rep)
            if event.status == ev.DONE and key not in self._holds_done[position]:
                self._holds_done[position].add(key)
                side.reps_done += 1
        # Only these two can change: the one this step belongs to, and the one the person was
        # in when the last step ended (they may have left it for this one).
        self._update_status(position)
        if self._last_ended is not None and self._last_ended != position:
            self._update_status(self._last_ended)
        self._last_ended = position

    def _update_status(self, position: int) -> None:
        record = self.result.exercises[position]
        done = len(self._holds_done[position])
        if position in self._stopped:
            record.status = EX_STOPPED
        elif position in self._left_out:
            record.status = EX_SKIPPED
        elif done >= self._planned_holds[position]:
            record.status = EX_DONE
        elif done > 0:
            record.status = EX_PARTIAL
        elif position in self._entered and self._left(position):
            record.status = EX_SKIPPED
        else:
            record.status = EX_NOT_REACHED

    def _left(self, position: int) -> bool:
        """Whether the person has gone past this exercise (or is in it as the session ends):
        anywhere but the transition into it."""
        current = self._current
        return current is None or current.exercise_index != position \
            or current.kind != TRANSITION

    def _swapped(self, plan: Plan, position: int) -> None:
        planned = plan.exercises[position]
        dose = planned.dose
        self.result.exercises[position] = _planned(planned.exercise, dose.reps, dose.work,
                                                   dose.sides)
        self._planned_holds[position] = _holds(plan, position)
        self._holds_done[position] = set()


def _planned(exercise: Exercise, reps: int, hold: int, sides: tuple[str, ...]) -> ExerciseResult:
    return ExerciseResult(exercise.id, exercise.name, reps, hold, sides)


def _holds(plan: Plan, position: int) -> int:
    first, last = plan.exercise_range(position)
    return sum(1 for step in plan.steps[first:last + 1] if step.kind == HOLD)


def run_recorded(plan: Plan, clock: Clock, keys: KeySource, sinks: Iterable[ev.Sink] = (), *,
                 speed: float = 1.0, wall: Callable[[], datetime] = utc_now,
                 assess: Assess = stop_on_any_pain,
                 easier: Callable[[Exercise], Exercise | None] | None = None,
                 recorder: Recorder | None = None) -> SessionResult:
    """Run a plan with a recorder in front of `sinks`; return what the session achieved.

    Pass a `recorder` made beforehand when a sink needs it (the history writer saves its
    result); it then carries the sinks.
    """
    recorder = recorder if recorder is not None else Recorder(plan, sinks, speed, wall)
    runner = Runner(plan, clock, keys, recorder.handle, speed=speed, assess=assess,
                    easier=easier)
    return recorder.finish(runner.run())
