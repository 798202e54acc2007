"""What a session achieved, exercise by exercise: the value history stores."""

from __future__ import annotations

from datetime import datetime

from backcoach.record import Record

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


class SideResult(Record):
    """Holds completed on one side, and seconds actually held (planned-time seconds)."""

    __slots__ = ("reps_done", "seconds_held")

    def __init__(self, reps_done: int = 0, seconds_held: float = 0.0) -> None:
        self.reps_done = reps_done
        self.seconds_held = seconds_held


class ExerciseResult(Record):
    """One exercise of a session: what was planned and what was done."""

    __slots__ = (
        "exercise_id",
        "held",
        "name",
        "pain",
        "planned_hold",
        "planned_reps",
        "sides",
        "status",
        "stop_reason",
    )

    def __init__(self, exercise_id: str, name: str, planned_reps: int, planned_hold: int,
                 sides: tuple[str, ...], status: str = EX_NOT_REACHED,
                 held: dict[str, SideResult] | None = None, stop_reason: str | None = None,
                 pain: int | None = None) -> None:
        self.exercise_id = exercise_id
        self.name = name
        self.planned_reps = planned_reps
        self.planned_hold = planned_hold
        self.sides = sides
        self.status = status
        self.held: dict[str, SideResult] = held if held is not None else {}
        self.stop_reason = stop_reason
        self.pain = pain

    @property
    def reps_done(self) -> int:
        """Holds completed, over all sides."""
        return sum(side.reps_done for side in self.held.values())

    @property
    def seconds_held(self) -> float:
        """Seconds held, over all sides."""
        return sum(side.seconds_held for side in self.held.values())


class SessionResult(Record):
    """A whole session. Times are UTC; seconds are real elapsed time. `holds_started` counts
    holds begun, finished or not (not stored: it picks the questions after the session)."""

    __slots__ = (
        "elapsed_seconds",
        "end_reason",
        "ended_at",
        "exercises",
        "holds_started",
        "pain_after",
        "pain_before",
        "planned_seconds",
        "routine_id",
        "routine_name",
        "screen_tier",
        "speed",
        "started_at",
        "status",
    )

    def __init__(self, routine_id: str, routine_name: str, started_at: datetime,
                 planned_seconds: float, speed: float = 1.0,
                 exercises: list[ExerciseResult] | None = None, status: str = SESSION_PARTIAL,
                 end_reason: str = "", ended_at: datetime | None = None,
                 elapsed_seconds: float = 0.0, pain_before: int | None = None,
                 pain_after: int | None = None, screen_tier: str | None = None,
                 holds_started: int = 0) -> None:
        self.routine_id = routine_id
        self.routine_name = routine_name
        self.started_at = started_at
        self.planned_seconds = planned_seconds
        self.speed = speed
        self.exercises: list[ExerciseResult] = exercises if exercises is not None else []
        self.status = status
        self.end_reason = end_reason
        self.ended_at = ended_at
        self.elapsed_seconds = elapsed_seconds
        self.pain_before = pain_before
        self.pain_after = pain_after
        self.screen_tier = screen_tier
        self.holds_started = holds_started

    @property
    def exercises_done(self) -> int:
        """Exercises finished in full."""
        return sum(1 for ex in self.exercises if ex.status == EX_DONE)
