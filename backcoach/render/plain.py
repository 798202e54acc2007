"""Plain output for pipes, logs and screen readers: one line per change, no control codes."""

from __future__ import annotations

from typing import TextIO

from backcoach.library.model import format_clock, format_duration
from backcoach.safetext import visible
from backcoach.session import events as ev
from backcoach.session.phrases import (
    HURT_LEVEL_QUESTION,
    HURT_QUESTION,
    cue_for,
    seconds_words,
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
        step = event.step
        name = event.event
        if name == ev.SESSION_START:
            speed = event.detail.get("speed", 1.0)
            pace = f" Speed x{speed:g}." if speed != 1 else ""
            self._line(event.t, f"{event.detail['name']}: {event.detail['exercises']} exercises, "
                                f"about {format_duration(float(event.detail['planned_total']))}."
                                f"{pace}")
        elif name == ev.STEP_START and step is not None:
            self._line(event.t, step_line(step))
            if step.kind == SETUP:
                self._intro(step.exercise.steps, step.exercise.cautions, step.exercise.stop_if)
            elif step.kind == HOLD:
                cue = cue_for(step, self._holds * 10)
                self._holds += 1
                if cue:
                    self._detail(cue)
        elif name == ev.PAUSE:
            self._line(event.t, "Paused. Press space to carry on.")
        elif name == ev.RESUME:
            self._line(event.t, "Carrying on.")
        elif name == ev.SKIP:
            self._line(event.t, "Skipped.")
        elif name == ev.BACK and step is not None:
            self._line(event.t, "Going back one step.")
        elif name == ev.ADJUST and event.remaining is not None:
            self._line(event.t, f"Hold changed: {seconds_words(event.remaining)} left.")
        elif name == ev.PAIN:
            phase = event.detail.get("phase")
            text = {"ask": HURT_QUESTION, "level": HURT_LEVEL_QUESTION}.get(
                str(phase), str(event.detail.get("message", "")))
            self._line(event.t, text)
        elif name == ev.SWAP and step is not None:
            self._line(event.t, f"Swapping to the easier version: {event.detail['to']}.")
        elif name == ev.SESSION_END:
            self._line(event.t, _ending(event))

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


def _ending(event: ev.Event) -> str:
    done, total = event.detail["exercises_done"], event.detail["exercises"]
    reason = event.detail["reason"]
    if reason == "finished":
        return f"Done. {done} of {total} exercises done in full."
    why = {"quit": "you quit", "interrupted": "interrupted"}.get(str(reason), str(reason))
    return f"Stopped early ({why}). {done} of {total} exercises done in full."
