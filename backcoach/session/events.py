"""What happens during a session: values the runner sends to every sink (views, cues, history)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from backcoach.session.plan import Step

SESSION_START = "session_start"
STEP_START = "step_start"
TICK = "tick"
PAUSE = "pause"
RESUME = "resume"
SKIP = "skip"
BACK = "back"
ADJUST = "adjust"  # the current hold was made longer or shorter
PAIN = "pain"
SWAP = "swap"  # the exercise was swapped for its easier variant
STEP_END = "step_end"
SESSION_END = "session_end"

# step_end statuses
DONE, SKIPPED, STOPPED = "done", "skipped", "stopped"


@dataclass(frozen=True)
class Event:
    """One thing that happened. `t` is real seconds since the session started (monotonic).

    `remaining` is what is left of the step in planned seconds (speed 1), which is what a view
    shows; `status` is set on step_end and session_end; `detail` carries event-specific data.
    """

    event: str
    t: float
    step: Step | None = None
    remaining: float | None = None
    status: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The event as the contract's JSON object."""
        data: dict[str, Any] = {"t": round(self.t, 3), "event": self.event}
        if self.step is not None:
            data.update(exercise=self.step.exercise.id, side=self.step.side, rep=self.step.rep,
                        kind=self.step.kind, planned=self.step.seconds, step=self.step.index)
        if self.remaining is not None:
            data["remaining"] = round(self.remaining, 3)
        if self.status is not None:
            data["status"] = self.status
        data.update(self.detail)
        return data


class Sink(Protocol):
    """Anything that follows a session: a view, the cue player, the history recorder."""

    def handle(self, event: Event) -> None:
        """React to one event; must return quickly (the timer is waiting)."""

    def close(self) -> None:
        """The session is over; release what was held."""
