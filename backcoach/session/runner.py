"""The session timer: walks a plan step by step on absolute deadlines and reports events.

Each step's deadline is the previous deadline plus the step's length (divided by the speed),
never "now plus a second", so waking up late never accumulates: the session ends at the
planned total. A pause shifts the deadline by its length. Time and keys are injected, so a
test runs an hour-long session in milliseconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from backcoach.library.model import Exercise
from backcoach.session import events as ev
from backcoach.session.clock import Clock, utc_now
from backcoach.session.keys import ENTER, ESCAPE, KeySource
from backcoach.session.plan import HOLD, TRANSITION, Plan, Step, exercise_steps
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

ADJUST_SECONDS = 5
# Views redraw at most about four times a second; at speed 1 a tick lands on each whole second.
MAX_TICKS_PER_SECOND = 4
# "This hurts": which key names which kind of pain.
HURT_KEYS = {"s": "sharp", "l": "spreading", "d": "dizzy", "a": "dull"}
LEVEL_KEYS = {**{str(n): n for n in range(10)}, "t": 10}
CANCEL_KEYS = {ESCAPE, ENTER, "h", "q"}


@dataclass(frozen=True)
class HurtDecision:
    """What to do after the person reports pain: stop this exercise or ease off and go on."""

    stop: bool
    message: str
    reason: str = ""  # recorded with the exercise when it stops


# Rules for "this hurts": the kind of pain, its 0-10 level when asked (dull pain), the step.
Assess = Callable[[str, "int | None", Step], HurtDecision]


def stop_on_any_pain(kind: str, level: int | None, step: Step) -> HurtDecision:
    """The conservative default when no safety rules are plugged in: stop the exercise."""
    return HurtDecision(True, "Stopping this exercise. Rest, then carry on with the next one.")


class Ended(BaseException):
    """Raised (for instance by a signal handler) to end a session early, saving what was done.

    A BaseException, like KeyboardInterrupt, so ordinary `except Exception` code lets it pass.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# What ended a step.
_DONE, _SKIP, _BACK, _STOP, _QUIT = "done", "skip", "back", "stop", "quit"


class Runner:
    """Runs one session. `run()` returns a SessionResult on every way out."""

    def __init__(self, plan: Plan, clock: Clock, keys: KeySource,
                 sinks: Iterable[ev.Sink] = (), speed: float = 1.0,
                 wall: Callable[[], datetime] = utc_now,
                 assess: Assess = stop_on_any_pain,
                 easier: Callable[[Exercise], Exercise | None] | None = None) -> None:
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.plan = plan
        self.clock = clock
        self.keys = keys
        self.sinks = list(sinks)
        self.speed = speed
        self.wall = wall
        self.assess = assess
        self.easier = easier
        self.steps: list[Step] = list(plan.steps)
        self.ranges: list[tuple[int, int]] = [(p.first_step, p.last_step) for p in plan.exercises]
        self.index = 0
        self.paused = False
        self.result = SessionResult(
            routine_id=plan.routine_id, routine_name=plan.routine_name, started_at=wall(),
            planned_seconds=plan.total_seconds, speed=speed,
            exercises=[ExerciseResult(p.exercise.id, p.exercise.name, p.dose.reps, p.dose.hold,
                                      p.dose.sides) for p in plan.exercises])
        self._t0 = 0.0
        self._deadline = 0.0
        self._step_started = 0.0
        self._step_paused = 0.0  # real seconds paused during the current step
        self._pause_started = 0.0
        self._holds_done: set[tuple[int, str | None, int | None]] = set()
        self._entered: set[int] = set()
        self._stopped: set[int] = set()

    # ------------------------------------------------------------------ public

    @property
    def total_seconds(self) -> float:
        """Planned length of the session now (a swap to an easier variant can change it)."""
        return self.steps[-1].end if self.steps else 0.0

    @property
    def current(self) -> Step:
        """The step being run."""
        return self.steps[self.index]

    def elapsed(self) -> float:
        """Real seconds since the session started."""
        return self.clock.now() - self._t0

    def run(self) -> SessionResult:
        """Run every step; on quit, Ctrl-C or `Ended`, stop early. Always returns the result."""
        self._t0 = self.clock.now()
        self._emit(ev.SESSION_START, detail={
            "routine": self.plan.routine_id, "name": self.plan.routine_name,
            "planned_total": self.total_seconds, "speed": self.speed,
            "exercises": len(self.ranges)})
        reason = "finished"
        try:
            reason = self._loop()
        except KeyboardInterrupt:
            reason = "interrupted"
            self._end_step(ev.SKIPPED)
        except Ended as ended:
            reason = ended.reason
            self._end_step(ev.SKIPPED)
        self._finish(reason)
        return self.result

    # ------------------------------------------------------------------ the loop

    def _loop(self) -> str:
        self._start_step(0, self._t0 + self.steps[0].seconds / self.speed)
        while True:
            action = self._run_step()
            if action == _QUIT:
                self._end_step(ev.SKIPPED)
                return "quit"
            status = {_DONE: ev.DONE, _STOP: ev.STOPPED}.get(action, ev.SKIPPED)
            self._end_step(status)
            if action == _DONE:
                target, anchor = self.index + 1, self._deadline  # chain: no drift
            elif action == _BACK:
                target, anchor = max(0, self.index - 1), self.clock.now()
                self._emit(ev.BACK, self.steps[target])
            elif action == _STOP:
                target, anchor = self._next_exercise_start(), self.clock.now()
            else:
                target, anchor = self.index + 1, self.clock.now()
            if target >= len(self.steps):
                return "finished"
            self._start_step(target, anchor + self.steps[target].seconds / self.speed)

    def _start_step(self, index: int, deadline: float) -> None:
        self.index = index
        self._deadline = deadline
        self._step_started = self.clock.now()
        self._step_paused = 0.0
        step = self.current
        self._entered.add(step.exercise_index)
        self._emit(ev.STEP_START, step, remaining=step.seconds)

    def _run_step(self) -> str:
        while True:
            remaining = self._deadline - self.clock.now()
            if remaining <= 0:
                return _DONE
            key = self.keys.wait_key(min(remaining, self._until_tick(remaining)))
            if key is None:
                left = self._deadline - self.clock.now()
                if left > 0:
                    self._emit(ev.TICK, self.current, remaining=left * self.speed)
                continue
            action = self._on_key(key)
            if action is not None:
                return action

    def _until_tick(self, remaining: float) -> float:
        """Real seconds until the displayed count next changes (ticks align to the deadline)."""
        grid = max(1.0, self.speed / MAX_TICKS_PER_SECOND) / self.speed
        left = remaining % grid
        return left if left > 1e-9 else grid

    # ------------------------------------------------------------------ keys

    def _on_key(self, key: str) -> str | None:
        step = self.current
        if key == " ":
            return self._pause()
        if key == "n":
            self._emit(ev.SKIP, step, remaining=self._remaining())
            return _SKIP
        if key == "b":
            return _BACK
        if key == "q":
            return _QUIT
        if key in "+=-" and step.kind == HOLD:
            self._adjust(ADJUST_SECONDS if key in "+=" else -ADJUST_SECONDS)
            return None
        if key == "h":
            return self._hurt()
        if key == "e":
            self._swap_to_easier()
            return None
        if key == "?":
            self._emit("help", step, remaining=self._remaining())
        return None

    def _remaining(self) -> float:
        return max(0.0, self._deadline - self.clock.now()) * self.speed

    def _pause(self) -> str | None:
        self._hold_still()
        self._emit(ev.PAUSE, self.current, remaining=self._remaining_at_pause())
        while True:
            key = self.keys.wait_key(None)
            if key == " ":
                break
            if key == "q":
                self._resume(quiet=True)
                return _QUIT
        self._resume()
        return None

    def _hold_still(self) -> None:
        self.paused = True
        self._pause_started = self.clock.now()

    def _remaining_at_pause(self) -> float:
        return max(0.0, self._deadline - self._pause_started) * self.speed

    def _resume(self, quiet: bool = False) -> None:
        shift = self.clock.now() - self._pause_started
        self._deadline += shift
        self._step_paused += shift
        self.paused = False
        if not quiet:
            self._emit(ev.RESUME, self.current, remaining=self._remaining())

    def _adjust(self, delta: int) -> None:
        now = self.clock.now()
        self._deadline = max(now, self._deadline + delta / self.speed)
        self._emit(ev.ADJUST, self.current, remaining=self._remaining(), detail={"delta": delta})

    def _hurt(self) -> str | None:
        step = self.current
        self._hold_still()
        self._emit(ev.PAIN, step, remaining=self._remaining_at_pause(), detail={"phase": "ask"})
        key = self._wait_for(set(HURT_KEYS) | CANCEL_KEYS)
        if key not in HURT_KEYS:
            self._resume()
            return _QUIT if key == "q" else None
        kind = HURT_KEYS[key]
        level = self._ask_level(step) if kind == "dull" else None
        decision = self.assess(kind, level, step)
        record = self.result.exercises[step.exercise_index]
        if level is not None:
            record.pain = max(level, record.pain or 0)
        if decision.stop:
            record.stop_reason = decision.reason or f"pain: {kind}"
        self._emit(ev.PAIN, step, remaining=self._remaining_at_pause(),
                   detail={"phase": "answer", "pain_kind": kind, "level": level,
                           "stop": decision.stop, "message": decision.message})
        self._resume(quiet=True)
        if decision.stop:
            self._stopped.add(step.exercise_index)
            return _STOP
        self._emit(ev.RESUME, step, remaining=self._remaining())
        return None

    def _ask_level(self, step: Step) -> int | None:
        """0-10 for a dull ache: a digit, or t for ten; Esc when unsure (treated as moderate)."""
        self._emit(ev.PAIN, step, remaining=self._remaining_at_pause(), detail={"phase": "level"})
        key = self._wait_for(set(LEVEL_KEYS) | CANCEL_KEYS)
        return LEVEL_KEYS.get(key or "")

    def _wait_for(self, wanted: set[str]) -> str | None:
        while True:
            key = self.keys.wait_key(None)
            if key in wanted:
                return key

    # ------------------------------------------------------------------ easier variant

    def _swap_to_easier(self) -> None:
        step = self.current
        variant = self.easier(step.exercise) if self.easier and step.exercise.easier else None
        if variant is None:
            return
        position = step.exercise_index
        first, last = self.ranges[position]
        dose = replace(variant.dose, sides=step.dose.sides if variant.dose.sides else ())
        new = exercise_steps(variant, dose, position)
        keep_transition = self.steps[first - 1:first] if first > 0 else []
        head = self.steps[:first - len(keep_transition)]
        transition = [replace(s, exercise=variant, dose=dose) for s in keep_transition]
        self.steps = self._renumber([*head, *transition, *new, *self.steps[last + 1:]])
        shift = len(new) - (last - first + 1)
        self.ranges[position] = (first, first + len(new) - 1)
        for later in range(position + 1, len(self.ranges)):
            a, b = self.ranges[later]
            self.ranges[later] = (a + shift, b + shift)
        self.result.exercises[position] = ExerciseResult(
            variant.id, variant.name, dose.reps, dose.hold, dose.sides)
        self._holds_done = {h for h in self._holds_done if h[0] != position}
        self._emit(ev.SWAP, step, detail={"from": step.exercise.id, "to": variant.id})
        self._start_step(first, self.clock.now() + self.steps[first].seconds / self.speed)

    @staticmethod
    def _renumber(steps: list[Step]) -> list[Step]:
        out: list[Step] = []
        clock = 0.0
        for index, step in enumerate(steps):
            out.append(replace(step, index=index, start=clock))
            clock += step.seconds
        return out

    def _next_exercise_start(self) -> int:
        """Index of the step that begins the next exercise (its transition, if it has one)."""
        _, last = self.ranges[self.current.exercise_index]
        return last + 1

    # ------------------------------------------------------------------ bookkeeping

    def _end_step(self, status: str) -> None:
        step = self.current
        now = self.clock.now()
        if step.kind == HOLD:
            active = max(0.0, min(now, self._deadline) - self._step_started - self._step_paused)
            record = self.result.exercises[step.exercise_index]
            side = record.held.setdefault(step.side or NO_SIDE, SideResult())
            side.seconds_held += active * self.speed
            key = (step.exercise_index, step.side, step.rep)
            if status == ev.DONE and key not in self._holds_done:
                self._holds_done.add(key)
                side.reps_done += 1
        self._update_statuses()
        self._emit(ev.STEP_END, step, remaining=self._remaining(), status=status)

    def _update_statuses(self) -> None:
        for position, record in enumerate(self.result.exercises):
            first, last = self.ranges[position]
            planned = sum(1 for s in self.steps[first:last + 1] if s.kind == HOLD)
            done = sum(1 for h in self._holds_done if h[0] == position)
            if position in self._stopped:
                record.status = EX_STOPPED
            elif done >= planned:
                record.status = EX_DONE
            elif done > 0:
                record.status = EX_PARTIAL
            elif position in self._entered and self._left_exercise(position):
                record.status = EX_SKIPPED
            else:
                record.status = EX_NOT_REACHED

    def _left_exercise(self, position: int) -> bool:
        """Whether the person has gone past this exercise (or is on it as the session ends)."""
        current = self.current
        return current.exercise_index != position or current.kind != TRANSITION

    def _finish(self, reason: str) -> None:
        self.result.end_reason = reason
        self.result.status = SESSION_DONE if reason == "finished" else SESSION_PARTIAL
        self.result.ended_at = self.wall()
        self.result.elapsed_seconds = self.elapsed()
        self._update_statuses()
        done = self.result.exercises_done
        self._emit(ev.SESSION_END, status=self.result.status,
                   detail={"reason": reason, "exercises_done": done,
                           "exercises": len(self.result.exercises)})

    def _emit(self, name: str, step: Step | None = None, remaining: float | None = None,
              status: str | None = None, detail: dict[str, object] | None = None) -> None:
        event = ev.Event(name, self.elapsed(), step, remaining, status, dict(detail or {}))
        for sink in self.sinks:
            sink.handle(event)
