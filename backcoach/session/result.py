"""What a session achieved, exercise by exercise: the value history stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# ExerciseResult.status
EX_DONE, EX_PARTIAL, EX_SKIPPED, EX_STOPPED, EX_NOT_REACHED = (
    "done", "partial", "skipped", "stopped", "not_reached")
# SessionResult.status
SESSION_DONE, SESSION_PARTIAL, SESSION_STOPPED = "done", "partial", "stopped"
NO_SIDE = "none"  # the key for an exercise without sides


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

    @property
    def exercises_done(self) -> int:
        """Exercises finished in full."""
        return sum(1 for ex in self.exercises if ex.status == EX_DONE)


@dataclass(frozen=True)
class ScreenRecord:
    """One red-flag screen: when, its outcome tier, and each question's answer by id."""

    taken_at: datetime
    tier: str
    answers: dict[str, bool]
