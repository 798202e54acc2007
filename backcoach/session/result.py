"""What a session achieved, exercise by exercise: the value history stores."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Re-exported: the names of how things ended live on their own, light to import.
from backcoach.session.outcomes import EX_DONE as EX_DONE
from backcoach.session.outcomes import EX_NOT_REACHED as EX_NOT_REACHED
from backcoach.session.outcomes import EX_PARTIAL as EX_PARTIAL
from backcoach.session.outcomes import EX_SKIPPED as EX_SKIPPED
from backcoach.session.outcomes import EX_STOPPED as EX_STOPPED
from backcoach.session.outcomes import LEFT_OUT_PREFIX as LEFT_OUT_PREFIX
from backcoach.session.outcomes import NO_SIDE as NO_SIDE
from backcoach.session.outcomes import SAFETY_END as SAFETY_END
from backcoach.session.outcomes import SESSION_DONE as SESSION_DONE
from backcoach.session.outcomes import SESSION_PARTIAL as SESSION_PARTIAL
from backcoach.session.outcomes import SESSION_STOPPED as SESSION_STOPPED
from backcoach.session.outcomes import left_out_reason as left_out_reason

# Re-exported: the safety records live on their own, light to import (`show` reads a screen).
from backcoach.session.safety_record import NONE_CLEARED as NONE_CLEARED
from backcoach.session.safety_record import ONSETS as ONSETS
from backcoach.session.safety_record import PainOnset as PainOnset
from backcoach.session.safety_record import ScreenRecord as ScreenRecord


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
