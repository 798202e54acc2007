"""What a session achieved, exercise by exercise: the value history stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Re-exported: the safety records live on their own, light to import (`show` reads a screen).
from backcoach.session.safety_record import NONE_CLEARED as NONE_CLEARED
from backcoach.session.safety_record import ONSETS as ONSETS
from backcoach.session.safety_record import PainOnset as PainOnset
from backcoach.session.safety_record import ScreenRecord as ScreenRecord

# ExerciseResult.status
EX_DONE, EX_PARTIAL, EX_SKIPPED, EX_STOPPED, EX_NOT_REACHED = (
    "done", "partial", "skipped", "stopped", "not_reached")
# SessionResult.status
SESSION_DONE, SESSION_PARTIAL, SESSION_STOPPED = "done", "partial", "stopped"
NO_SIDE = "none"  # the key for an exercise without sides
SAFETY_END = "safety"  # SessionResult.end_reason when a stop needed emergency care (exit 3)
# The reason kept with an exercise left out because another one stopped for safety; stored in
# history, so never reworded (the pain rules read the kind of stop from it).
LEFT_OUT_PREFIX = "left out after "


def left_out_reason(reason: str, exercise_name: str) -> str:
    """The reason kept with an exercise left out after `exercise_name` stopped for `reason`."""
    return f"{LEFT_OUT_PREFIX}{reason} in {exercise_name}"


@dataclass
class SideResult:
    """Holds completed on one side, and seconds actually held (planned-time seconds)."""

    reps_done: int = 0
    seconds_held: float = 0.0


@dataclass
class ExerciseResult:
    """One exercise of a session: what was planned and what was done."""

    exercise_id: str
    name: str
    planned_reps: int
    planned_hold: int
    sides: tuple[str, ...]
    status: str = EX_NOT_REACHED
    held: dict[str, SideResult] = field(default_factory=dict)
    stop_reason: str | None = None
    pain: int | None = None

    @property
    def reps_done(self) -> int:
        """Holds completed, over all sides."""
        return sum(side.reps_done for side in self.held.values())

    @property
    def seconds_held(self) -> float:
        """Seconds held, over all sides."""
        return sum(side.seconds_held for side in self.held.values())


@dataclass
class SessionResult:
    """A whole session. Times are UTC; seconds are real elapsed time."""

    routine_id: str
    routine_name: str
    started_at: datetime
    planned_seconds: float
    speed: float = 1.0
    exercises: list[ExerciseResult] = field(default_factory=list)
    status: str = SESSION_PARTIAL
    end_reason: str = ""
    ended_at: datetime | None = None
    elapsed_seconds: float = 0.0
    pain_before: int | None = None
    pain_after: int | None = None
    screen_tier: str | None = None
    holds_started: int = 0  # holds begun, finished or not (not stored: it picks the questions)

    @property
    def exercises_done(self) -> int:
        """Exercises finished in full."""
        return sum(1 for ex in self.exercises if ex.status == EX_DONE)
