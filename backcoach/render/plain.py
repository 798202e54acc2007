"""Plain output for pipes, logs and screen readers: one line per change, no control codes."""

from __future__ import annotations

from typing import TextIO

from backcoach.library.model import format_clock, format_duration
from backcoach.safetext import visible
from backcoach.session import events as ev
from backcoach.session.phrases import (
    HURT_LEVEL_QUESTION,
    HURT_QUESTION,
    KEYS_HELP,
    QUIT_QUESTION,
    adjust_words,
    cue_for,
    step_line,
)
from backcoach.session.plan import HOLD, SETUP


class PlainRenderer:
    """Prints `[mm:ss] sentence` lines; nothing is ever redrawn."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._holds = 0

    def _line(self, t: float, text: str) -> None:
        self.stream.write(f"[{format_clock(t)}] {visible(text)}\n")
        self.stream.flush()

    def _detail(self, text: str) -> None:
        self.stream.write(f"        {visible(text)}\n")

    def handle(self, event: ev.Event) -> None:
        """Print what changed, if anything did."""
        t = event.t
        if isinstance(event, ev.SessionStarted):
            plan = event.plan
            pace = f" Speed x{event.speed:g}." if event.speed != 1 else ""
            count = len(plan.exercises)
            self._line(t, f"{plan.routine_name}: {count} exercise{'s' if count != 1 else ''}, "
                          f"about {format_duration(plan.total_seconds)}.{pace}")
        elif isinstance(event, ev.StepStarted):
            step = event.step
            self._line(t, step_line(step))
            if step.kind == SETUP:
                self._intro(step.exercise.steps, step.exercise.cautions, step.exercise.stop_if)
            elif step.kind == HOLD:
                cue = cue_for(step, self._holds * 10)
                self._holds += 1
                if cue:
                    self._detail(cue)
        elif isinstance(event, ev.Paused):
            self._line(t, "Paused. Press space to carry on.")
        elif isinstance(event, ev.Resumed):
            self._line(t, "Carrying on.")
        elif isinstance(event, ev.Skipped):
            self._line(t, "Skipped.")
        elif isinstance(event, ev.WentBack):
            self._line(t, "Going back one step.")
        elif isinstance(event, ev.Adjusted):
            self._line(t, adjust_words(event.delta, event.length))
        elif isinstance(event, ev.QuitAsked):
            self._line(t, QUIT_QUESTION)
        elif isinstance(event, ev.HelpToggled) and event.shown:
            self._line(t, "Keys (the timer waits until space, Esc or ?): " + "; ".join(
                f"{key} {text}" for key, text in KEYS_HELP) + ".")
        elif isinstance(event, ev.PainAsked):
            self._line(t, {"ask": HURT_QUESTION, "level": HURT_LEVEL_QUESTION}.get(
                event.phase, event.question))
        elif isinstance(event, ev.PainAnswered):
            self._line(t, f"Stopped: {event.step.exercise.name}. {event.message}"
                       if event.stop else event.message)
        elif isinstance(event, ev.LeftOut):
            self._line(t, f"Left out for your safety: {', '.join(event.names)}.")
        elif isinstance(event, ev.Swapped):
            self._line(t, f"Swapping to the easier version: {event.to_name}.")
        elif isinstance(event, ev.SessionEnded):
            self._line(t, _ending(event))

    def _intro(self, steps: tuple[str, ...], cautions: tuple[str, ...],
               stop_if: tuple[str, ...]) -> None:
        for number, text in enumerate(steps, start=1):
            self._detail(f"{number}. {text}")
        for text in cautions:
            self._detail(f"Careful: {text}")
        for text in stop_if:
            self._detail(f"Stop if {text}.")
        self.stream.flush()

    def close(self) -> None:
        """Nothing to release."""
        self.stream.flush()


def _ending(event: ev.SessionEnded) -> str:
    done, total, reason = event.exercises_done, event.exercises, event.reason
    if reason == "finished":
        return f"Done. {done} of {total} exercises done in full."
    why = {"quit": "you quit", "interrupted": "interrupted"}.get(reason, reason)
    return f"Stopped early ({why}). {done} of {total} exercises done in full."
