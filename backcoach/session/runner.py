"""The session timer: walks a plan step by step on absolute deadlines and reports events.

Each step's deadline is the previous deadline plus the step's length (divided by the speed),
never "now plus a second", so waking up late never accumulates: the session ends at the
planned total. A pause shifts the deadline by its length. Time and keys are injected, so a
test runs an hour-long session in milliseconds.

The runner only keeps time and follows the keys: what a session achieved is recorded from its
events by `session.recorder`, and views draw from the events alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from backcoach.library.model import Exercise
from backcoach.session import events as ev
from backcoach.session.clock import Clock
from backcoach.session.keys import ENTER, ESCAPE, KeySource
from backcoach.session.plan import HOLD, Plan, Step
from backcoach.session.result import SAFETY_END, left_out_reason

ADJUST_SECONDS = 5
# `-` never makes a hold shorter than this (nor than it was planned, when that is shorter):
# a hold cut to half a second is not a rep, and must not be recorded as one.
MIN_HOLD_SECONDS = 5
# Views redraw at most about four times a second; at speed 1 a tick lands on each whole second.
MAX_TICKS_PER_SECOND = 4
# "This hurts": which key names which kind of pain.
HURT_KEYS = {"s": "sharp", "l": "spreading", "d": "dizzy", "a": "dull"}
LEVEL_KEYS = {**{str(n): n for n in range(10)}, "t": 10}
CANCEL_KEYS = {ESCAPE, ENTER, "h", "q"}
YES_NO_KEYS = {"y": True, "Y": True, "n": False, "N": False, ESCAPE: False, ENTER: False}
# After q, these quit; any other key carries on.
QUIT_KEYS = {"q", "Q", "y", "Y"}
# With the help shown, these close it (any other key is ignored, so a stray key does not
# skip a step unseen); q asks whether to quit.
CLOSE_HELP_KEYS = {"?", " ", ESCAPE, ENTER}


class HurtDecision(NamedTuple):
    """What to do after the person reports pain: stop this exercise or ease off and go on.

    `skip_regions`: later exercises loading these regions are left out too. `end_session`:
    the session ends at once, for safety. `follow_up`: a yes/no question to ask first; its
    answer picks the decision that applies."""

    stop: bool
    message: str
    reason: str = ""  # recorded with the exercise when it stops
    skip_regions: frozenset[str] = frozenset()
    end_session: bool = False
    follow_up: FollowUpQuestion | None = None


class FollowUpQuestion(NamedTuple):
    """A yes/no question after "this hurts" (keys y and n; Esc or Enter count as no)."""

    question: str
    if_yes: HurtDecision
    if_no: HurtDecision


# Rules for "this hurts": the kind of pain, its 0-10 level when asked (dull pain), the step.
Assess = Callable[[str, "int | None", Step], HurtDecision]
Emit = Callable[[ev.Event], None]


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


class Ending(NamedTuple):
    """How a run ended: `finished`, `quit`, `interrupted` or an `Ended` reason, and when."""

    reason: str
    elapsed: float


# What ended a step.
_DONE, _SKIP, _BACK, _STOP, _QUIT, _SAFETY = "done", "skip", "back", "stop", "quit", "safety"


class Runner:
    """Runs one session's timer. `run()` returns how it ended, on every way out."""

    def __init__(self, plan: Plan, clock: Clock, keys: KeySource, emit: Emit,
                 speed: float = 1.0, assess: Assess = stop_on_any_pain,
                 easier: Callable[[Exercise], Exercise | None] | None = None) -> None:
        if not speed > 0:
            raise ValueError("speed must be positive")
        self.plan = plan
        self.clock = clock
        self.keys = keys
        self.emit = emit
        self.speed = speed
        self.assess = assess
        self.easier = easier
        self.index = 0
        # Exercises out of this session for safety (stopped, or loading a region skipped after
        # a stop), by place in the plan: never run again, not even with `b` or `e`.
        self._out: set[int] = set()
        self._stopped_ids: set[str] = set()
        self._skipped_regions: set[str] = set()
        self._t0 = 0.0
        self._deadline = 0.0
        self._step_started = 0.0
        self._step_paused = 0.0  # real seconds paused during the current step
        self._pause_started = 0.0
        self._in_step = False  # a step has started
        self._length = 0.0  # what the current step lasts now, in planned seconds (+/-)

    # ------------------------------------------------------------------ public

    @property
    def current(self) -> Step:
        """The step being run."""
        return self.plan.steps[self.index]

    def elapsed(self) -> float:
        """Real seconds since the session started."""
        return self.clock.now() - self._t0

    def run(self) -> Ending:
        """Run every step; on quit, Ctrl-C or `Ended`, stop early. Always says how it ended."""
        self._t0 = self.clock.now()
        reason = "finished"
        try:
            # Inside the try: a view whose output is already gone ends the session right here.
            self.emit(ev.SessionStarted(0.0, self.plan, self.speed))
            reason = self._loop()
        except KeyboardInterrupt:
            reason = "interrupted"
            self._end_current_step()
        except Ended as ended:
            reason = ended.reason
            self._end_current_step()
        return Ending(reason, self.elapsed())

    def _end_current_step(self) -> None:
        if self._in_step:  # ended before the first step began: no step to end
            self._end_step(ev.SKIPPED)

    # ------------------------------------------------------------------ the loop

    def _loop(self) -> str:
        steps = self.plan.steps
        self._start_step(0, self._t0 + steps[0].seconds / self.speed)
        while True:
            action = self._run_step()
            if action == _QUIT:
                self._end_step(ev.SKIPPED)
                return "quit"
            status = {_DONE: ev.DONE, _STOP: ev.STOPPED, _SAFETY: ev.STOPPED}.get(
                action, ev.SKIPPED)
            self._end_step(status)
            if action == _SAFETY:
                return SAFETY_END
            if action == _DONE:
                target, anchor = self.index + 1, self._deadline  # chain: no drift
            elif action == _BACK:
                target, anchor = self._back_target(), self.clock.now()
                self._emit_step(ev.WentBack, self.plan.steps[target], None)
            elif action == _STOP:
                target, anchor = self._next_exercise_start(), self.clock.now()
            else:
                target, anchor = self.index + 1, self.clock.now()
            target = self._past_left_out(target)
            if target >= len(self.plan.steps):
                return "finished"
            self._start_step(target, anchor + self.plan.steps[target].seconds / self.speed)

    def _start_step(self, index: int, deadline: float) -> None:
        self._in_step = True
        self.index = index
        self._deadline = deadline
        self._step_started = self.clock.now()
        self._step_paused = 0.0
        step = self.current
        self._length = step.seconds
        can_swap = self._easier_for(step.exercise) is not None
        self.emit(ev.StepStarted(self.elapsed(), step, step.seconds, easier=can_swap))

    def _back_target(self) -> int:
        """One step back, but never into an exercise out of the session for safety: then the
        current step starts again."""
        target = max(0, self.index - 1)
        return self.index if self.plan.steps[target].exercise_index in self._out else target

    def _past_left_out(self, target: int) -> int:
        """The first step from `target` on that is not part of an exercise out for safety."""
        steps = self.plan.steps
        while target < len(steps) and steps[target].exercise_index in self._out:
            _, last = self.plan.exercise_range(steps[target].exercise_index)
            target = last + 1
        return target

    def _run_step(self) -> str:
        while True:
            remaining = self._deadline - self.clock.now()
            if remaining <= 0:
                return _DONE
            key = self.keys.wait_key(min(remaining, self._until_tick(remaining)))
            if key is None:
                left = self._deadline - self.clock.now()
                if left > 0:
                    self._emit_step(ev.Tick, self.current, left * self.speed)
                continue
            action = self._on_key(key)
            if action is not None:
                return action

    def _until_tick(self, remaining: float) -> float:
        """Real seconds until the displayed count next changes (ticks align to the deadline)."""
        grid = max(1.0, self.speed / MAX_TICKS_PER_SECOND) / self.speed
        left = remaining % grid
        return left if left > 1e-9 else grid

    def _emit_step(self, kind: type[ev.StepEvent], step: Step, remaining: float | None) -> None:
        self.emit(kind(self.elapsed(), step, remaining))

    # ------------------------------------------------------------------ keys

    def _on_key(self, key: str) -> str | None:
        step = self.current
        if key == " ":
            return self._pause()
        if key == "n":
            self._emit_step(ev.Skipped, step, self._remaining())
            return _SKIP
        if key == "b":
            return _BACK
        if key in ("q", "Q"):
            return self._confirm_quit()
        if key in ("+", "=", "-") and step.kind == HOLD:
            self._adjust(ADJUST_SECONDS if key in "+=" else -ADJUST_SECONDS)
            return None
        if key == "h":
            return self._hurt()
        if key == "e":
            self._swap_to_easier()
            return None
        if key == "?":
            return self._show_help()
        return None

    def _remaining(self) -> float:
        return max(0.0, self._deadline - self.clock.now()) * self.speed

    def _pause(self) -> str | None:
        """Space: the timer waits until space again. n still moves on (during a setup that
        waits for the person, it means "I am ready"); q asks whether to quit."""
        self._hold_still()
        self._emit_step(ev.Paused, self.current, self._remaining_at_pause())
        while True:
            key = self.keys.wait_key(None)
            if key == " ":
                break
            if key == "n":
                self._resume(quiet=True)
                self._emit_step(ev.Skipped, self.current, self._remaining())
                return _SKIP
            if key in ("q", "Q"):
                if self._quit_confirmed():
                    self._resume(quiet=True)
                    return _QUIT
                self._emit_step(ev.Paused, self.current, self._remaining_at_pause())
        self._resume()
        return None

    def _confirm_quit(self) -> str | None:
        """q asks once; q (or y) again quits, any other key carries on where it was."""
        self._hold_still()
        if self._quit_confirmed():
            self._resume(quiet=True)
            return _QUIT
        self._resume()
        return None

    def _quit_confirmed(self) -> bool:
        """Ask whether to quit, with the timer already held still; True to quit."""
        self._emit_step(ev.QuitAsked, self.current, self._remaining_at_pause())
        return self.keys.wait_key(None) in QUIT_KEYS

    def _show_help(self) -> str | None:
        """The key help, with the timer waiting until it is closed."""
        step = self.current
        self._hold_still()
        self.emit(ev.HelpToggled(self.elapsed(), step, self._remaining_at_pause(), shown=True))
        while True:
            key = self.keys.wait_key(None)
            if key in CLOSE_HELP_KEYS:
                break
            if key in ("q", "Q"):
                if self._quit_confirmed():
                    self._resume(quiet=True)
                    return _QUIT
                self.emit(ev.HelpToggled(self.elapsed(), step, self._remaining_at_pause(),
                                         shown=True))
        self.emit(ev.HelpToggled(self.elapsed(), step, self._remaining_at_pause(), shown=False))
        self._resume()
        return None

    def _hold_still(self) -> None:
        self._pause_started = self.clock.now()

    def _remaining_at_pause(self) -> float:
        return max(0.0, self._deadline - self._pause_started) * self.speed

    def _resume(self, quiet: bool = False) -> None:
        shift = self.clock.now() - self._pause_started
        self._deadline += shift
        self._step_paused += shift
        if not quiet:
            self._emit_step(ev.Resumed, self.current, self._remaining())

    def _adjust(self, delta: int) -> None:
        """Make this hold longer or shorter, never shorter than MIN_HOLD_SECONDS (or its
        planned length, when that is shorter) nor than it has already lasted."""
        held = self._length - self._remaining()
        shortest = min(self.current.seconds, MIN_HOLD_SECONDS)
        length = max(self._length + delta, shortest, held)
        applied = length - self._length
        self._length = length
        self._deadline += applied / self.speed
        self.emit(ev.Adjusted(self.elapsed(), self.current, self._remaining(), applied,
                              length))

    def _hurt(self) -> str | None:
        step = self.current
        self._hold_still()
        self.emit(ev.PainAsked(self.elapsed(), step, self._remaining_at_pause(), "ask"))
        key = self._wait_for(set(HURT_KEYS) | CANCEL_KEYS)
        if key not in HURT_KEYS:
            if key == "q" and self._quit_confirmed():
                self._resume(quiet=True)
                return _QUIT
            self._resume()
            return None
        kind = HURT_KEYS[key]
        level = self._ask_level(step) if kind == "dull" else None
        decision = self.assess(kind, level, step)
        if decision.follow_up is not None:
            decision = self._ask_follow_up(step, decision.follow_up)
        reason = (decision.reason or f"pain: {kind}") if decision.stop else ""
        self.emit(ev.PainAnswered(
            self.elapsed(), step, self._remaining_at_pause(), kind=kind, level=level,
            stop=decision.stop, message=decision.message, reason=reason,
            ends_session=decision.end_session))
        self._resume(quiet=True)
        if decision.stop:
            self._out.add(step.exercise_index)
            self._stopped_ids.add(step.exercise.id)
            self._leave_out(step, decision.skip_regions, reason)
            return _SAFETY if decision.end_session else _STOP
        self._emit_step(ev.Resumed, step, self._remaining())
        return None

    def _ask_follow_up(self, step: Step, follow_up: FollowUpQuestion) -> HurtDecision:
        self.emit(ev.PainAsked(self.elapsed(), step, self._remaining_at_pause(), "follow-up",
                               follow_up.question))
        key = self._wait_for(set(YES_NO_KEYS))
        return follow_up.if_yes if YES_NO_KEYS.get(key or "") else follow_up.if_no

    def _leave_out(self, step: Step, regions: frozenset[str], reason: str) -> None:
        """Leave out the later exercises that load any of these regions, and say so."""
        if not regions:
            return
        self._skipped_regions |= regions
        later = [(position, planned.exercise) for position, planned
                 in enumerate(self.plan.exercises)
                 if position > step.exercise_index and position not in self._out
                 and planned.exercise.loads & regions]
        if not later:
            return
        self._out.update(position for position, _ in later)
        self.emit(ev.LeftOut(self.elapsed(), step, None,
                             positions=tuple(position for position, _ in later),
                             exercise_ids=tuple(exercise.id for _, exercise in later),
                             names=tuple(exercise.name for _, exercise in later),
                             reason=left_out_reason(reason, step.exercise.name)))

    def _ask_level(self, step: Step) -> int | None:
        """0-10 for a dull ache: a digit, or t for ten; Esc when unsure (treated as moderate)."""
        self.emit(ev.PainAsked(self.elapsed(), step, self._remaining_at_pause(), "level"))
        key = self._wait_for(set(LEVEL_KEYS) | CANCEL_KEYS)
        return LEVEL_KEYS.get(key or "")

    def _wait_for(self, wanted: set[str]) -> str | None:
        while True:
            key = self.keys.wait_key(None)
            if key in wanted:
                return key

    # ------------------------------------------------------------------ easier variant

    def _easier_for(self, exercise: Exercise) -> Exercise | None:
        """The easier variant key e may swap in: none that this session stopped, or that loads
        a region left out after a stop (the lookup itself leaves out what the screen's answers
        rule out)."""
        if self.easier is None or not exercise.easier:
            return None
        variant = self.easier(exercise)
        if variant is None or variant.id in self._stopped_ids \
                or variant.loads & self._skipped_regions:
            return None
        return variant

    def _swap_to_easier(self) -> None:
        step = self.current
        variant = self._easier_for(step.exercise)
        if variant is None:
            return
        position = step.exercise_index
        self.plan = self.plan.with_easier(position, variant)
        self.emit(ev.Swapped(self.elapsed(), step, None, plan=self.plan, position=position,
                             from_id=step.exercise.id, to_id=variant.id))
        first, _ = self.plan.exercise_range(position)
        self._start_step(first, self.clock.now() + self.plan.steps[first].seconds / self.speed)

    def _next_exercise_start(self) -> int:
        """Index of the step that begins the next exercise (its transition, if it has one)."""
        _, last = self.plan.exercise_range(self.current.exercise_index)
        return last + 1

    # ------------------------------------------------------------------ bookkeeping

    def _end_step(self, status: str) -> None:
        step = self.current
        now = self.clock.now()
        held = 0.0
        if step.kind == HOLD:
            active = max(0.0, min(now, self._deadline) - self._step_started - self._step_paused)
            held = active * self.speed
        self.emit(ev.StepEnded(self.elapsed(), step, self._remaining(), status=status,
                               held=held))
