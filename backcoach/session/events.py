"""What happens during a session: typed events the runner sends to every sink.

Each event carries what a sink needs to draw or record it, so no sink ever reads the runner:
`SessionStarted` and `Swapped` carry the whole plan (steps, names), step events carry their
step and the time left in it. `to_json()` gives the contract's JSON object (`--events`,
`--output jsonl`); its keys and their order are documented in the README and never change.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError
from typing import Any, ClassVar, Protocol

from backcoach.record import set_once
from backcoach.session.plan import Plan, Step

# Event names in the JSON lines contract.
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
LEFT_OUT = "left_out"  # later exercises left out after a stop (they load the same region)
HELP = "help"  # the key help was shown or hidden (the timer waits while it is shown)
QUIT_ASK = "quit_ask"  # q was pressed: the timer waits for q (or y) again to quit
STEP_END = "step_end"
SESSION_END = "session_end"

# StepEnded.status
DONE, SKIPPED, STOPPED = "done", "skipped", "stopped"


# Events are written out, not dataclasses: on Python 3.11 a frozen dataclass compiles each of
# its methods with its own exec (0.8 to 1.3 ms a class), and a session imports a dozen events
# before its first frame. Each event lists its own fields in __slots__ and sets them in its
# __init__; Event gives them all the same meaning a frozen dataclass would: equal when the same
# kind with the same values, hashable, read-only, and shown as `Tick(t=..., step=..., ...)`.


class Event:
    """Something that happened; `t` is real seconds since the session started (monotonic)."""

    __slots__ = ("t",)
    event: ClassVar[str]
    t: float

    def __init__(self, t: float) -> None:
        set_once(self, t=t)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Every field of this kind of event, the base class's first."""
        from inspect import get_annotations  # for comparing and showing events, not drawing

        # In the order they are declared (__slots__ are kept sorted).
        return tuple(name for klass in reversed(cls.__mro__)
                     for name in get_annotations(klass)
                     if name in klass.__dict__.get("__slots__", ()))

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.field_names())

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        # The same kind of event with the same values.
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.field_names())
        return f"{type(self).__qualname__}({shown})"

    def to_json(self) -> dict[str, Any]:
        """The event as the contract's JSON object."""
        return {"t": round(self.t, 3), "event": self.event}


class SessionStarted(Event):
    """The session begins: its plan, and the speed time runs at."""

    __slots__ = ("plan", "speed")
    event: ClassVar[str] = SESSION_START
    plan: Plan
    speed: float

    def __init__(self, t: float, plan: Plan, speed: float) -> None:
        super().__init__(t)
        set_once(self, plan=plan, speed=speed)

    def to_json(self) -> dict[str, Any]:
        """routine, name, planned_total, speed and exercises."""
        return {**super().to_json(), "routine": self.plan.routine_id or None,
                "name": self.plan.routine_name, "planned_total": self.plan.total_seconds,
                "speed": self.speed, "exercises": len(self.plan.exercises)}


class StepEvent(Event):
    """An event about one step. `remaining` is what is left of it in planned seconds (speed 1),
    which is what a view shows; None where the contract leaves it out."""

    __slots__ = ("remaining", "step")
    step: Step
    remaining: float | None

    def __init__(self, t: float, step: Step, remaining: float | None) -> None:
        super().__init__(t)
        set_once(self, step=step, remaining=remaining)

    def to_json(self) -> dict[str, Any]:
        """The step's exercise, side, rep, kind, planned length and index, then remaining."""
        step = self.step
        data = {**super().to_json(), "exercise": step.exercise.id, "side": step.side,
                "rep": step.rep, "kind": step.kind, "planned": step.seconds, "step": step.index}
        if self.remaining is not None:
            data["remaining"] = round(self.remaining, 3)
        return data


class StepStarted(StepEvent):
    """A step begins. `easier` says whether key e can swap this exercise for an easier one."""

    __slots__ = ("easier",)
    event: ClassVar[str] = STEP_START
    easier: bool

    def __init__(self, t: float, step: Step, remaining: float | None,
                 easier: bool = False) -> None:
        super().__init__(t, step, remaining)
        set_once(self, easier=easier)


class Tick(StepEvent):
    """The displayed count changed (at most a few times a second)."""

    __slots__ = ()
    event: ClassVar[str] = TICK


class Paused(StepEvent):
    """The person paused; `remaining` is frozen until they carry on."""

    __slots__ = ()
    event: ClassVar[str] = PAUSE


class Resumed(StepEvent):
    """The step carries on after a pause or a question."""

    __slots__ = ()
    event: ClassVar[str] = RESUME


class Skipped(StepEvent):
    """The person skipped the rest of this step (key n)."""

    __slots__ = ()
    event: ClassVar[str] = SKIP


class WentBack(StepEvent):
    """The person went back one step (key b); `step` is the step gone back to."""

    __slots__ = ()
    event: ClassVar[str] = BACK


class Adjusted(StepEvent):
    """The current hold was made `delta` seconds longer (negative: shorter; 0 when it was as
    short as a hold may be); `length` is what the hold now lasts, in planned seconds."""

    __slots__ = ("delta", "length")
    event: ClassVar[str] = ADJUST
    delta: float
    length: float

    def __init__(self, t: float, step: Step, remaining: float | None, delta: float = 0,
                 length: float = 0.0) -> None:
        super().__init__(t, step, remaining)
        set_once(self, delta=delta, length=length)

    def to_json(self) -> dict[str, Any]:
        """The step, then delta and length."""
        return {**super().to_json(), "delta": round(self.delta, 3),
                "length": round(self.length, 3)}


class PainAsked(StepEvent):
    """"This hurts": a question is waiting, the kind of pain (`ask`) or its level (`level`)."""

    __slots__ = ("phase", "question")
    event: ClassVar[str] = PAIN
    phase: str  # ask (which kind), level (how strong), follow-up (`question`, y/n)
    question: str

    def __init__(self, t: float, step: Step, remaining: float | None, phase: str = "ask",
                 question: str = "") -> None:
        super().__init__(t, step, remaining)
        set_once(self, phase=phase, question=question)

    def to_json(self) -> dict[str, Any]:
        """The step, then phase (and the question of a follow-up)."""
        data = {**super().to_json(), "phase": self.phase}
        if self.question:
            data["question"] = self.question
        return data


class PainAnswered(StepEvent):
    """The answer to "this hurts" and what the pain rules decided. `reason` is recorded with
    the exercise when it stops; `ends_session`: signs that need emergency care (exit 3)."""

    __slots__ = ("ends_session", "kind", "level", "message", "reason", "stop")
    event: ClassVar[str] = PAIN
    kind: str
    level: int | None
    stop: bool
    message: str
    reason: str
    ends_session: bool

    def __init__(self, t: float, step: Step, remaining: float | None, kind: str = "",
                 level: int | None = None, stop: bool = False, message: str = "",
                 reason: str = "", ends_session: bool = False) -> None:
        super().__init__(t, step, remaining)
        set_once(self, kind=kind, level=level, stop=stop, message=message, reason=reason,
             ends_session=ends_session)

    def to_json(self) -> dict[str, Any]:
        """The step, then phase answer, pain_kind, level, stop and message."""
        return {**super().to_json(), "phase": "answer", "pain_kind": self.kind,
                "level": self.level, "stop": self.stop, "message": self.message}


class LeftOut(StepEvent):
    """After the stop of the current step's exercise, these later exercises (by place in the
    plan, and id) are left out of the session: they load the same region. `reason` is kept
    with each of them."""

    __slots__ = ("exercise_ids", "names", "positions", "reason")
    event: ClassVar[str] = LEFT_OUT
    positions: tuple[int, ...]
    exercise_ids: tuple[str, ...]
    names: tuple[str, ...]
    reason: str

    def __init__(self, t: float, step: Step, remaining: float | None,
                 positions: tuple[int, ...] = (), exercise_ids: tuple[str, ...] = (),
                 names: tuple[str, ...] = (), reason: str = "") -> None:
        super().__init__(t, step, remaining)
        set_once(self, positions=positions, exercise_ids=exercise_ids, names=names, reason=reason)

    def to_json(self) -> dict[str, Any]:
        """The step stopped, then the exercises left out and why."""
        return {**super().to_json(), "exercises": list(self.exercise_ids),
                "reason": self.reason}


class Swapped(StepEvent):
    """The current exercise was swapped for its easier variant; `plan` is the session's plan
    from now on and `position` the place of the swapped exercise in it."""

    __slots__ = ("from_id", "plan", "position", "to_id")
    event: ClassVar[str] = SWAP
    plan: Plan | None
    position: int
    from_id: str
    to_id: str

    def __init__(self, t: float, step: Step, remaining: float | None, plan: Plan | None = None,
                 position: int = 0, from_id: str = "", to_id: str = "") -> None:
        super().__init__(t, step, remaining)
        set_once(self, plan=plan, position=position, from_id=from_id, to_id=to_id)

    @property
    def to_name(self) -> str:
        """The easier variant's name as people read it (its id if the plan is not known)."""
        if self.plan is None or not 0 <= self.position < len(self.plan.exercises):
            return self.to_id
        return self.plan.exercises[self.position].exercise.name

    def to_json(self) -> dict[str, Any]:
        """The step swapped out, then from and to."""
        return {**super().to_json(), "from": self.from_id, "to": self.to_id}


class HelpToggled(StepEvent):
    """The key help was shown (key ?) or hidden again; the timer waits while it is shown."""

    __slots__ = ("shown",)
    event: ClassVar[str] = HELP
    shown: bool

    def __init__(self, t: float, step: Step, remaining: float | None,
                 shown: bool = True) -> None:
        super().__init__(t, step, remaining)
        set_once(self, shown=shown)

    def to_json(self) -> dict[str, Any]:
        """The step, then shown."""
        return {**super().to_json(), "shown": self.shown}


class QuitAsked(StepEvent):
    """Key q: the timer waits while the person confirms (q or y again) or carries on."""

    __slots__ = ()
    event: ClassVar[str] = QUIT_ASK


class StepEnded(StepEvent):
    """A step ended: `status` done, skipped or stopped; `held` is the planned-time seconds
    actually held in it (holds only: pauses and the part skipped are not counted)."""

    __slots__ = ("held", "status")
    event: ClassVar[str] = STEP_END
    status: str
    held: float

    def __init__(self, t: float, step: Step, remaining: float | None, status: str = DONE,
                 held: float = 0.0) -> None:
        super().__init__(t, step, remaining)
        set_once(self, status=status, held=held)

    def to_json(self) -> dict[str, Any]:
        """The step, then status."""
        return {**super().to_json(), "status": self.status}


class SessionEnded(Event):
    """The session is over: `status` done or partial, why it ended, and how many of its
    exercises were done in full."""

    __slots__ = ("exercises", "exercises_done", "reason", "status")
    event: ClassVar[str] = SESSION_END
    status: str
    reason: str
    exercises_done: int
    exercises: int

    def __init__(self, t: float, status: str, reason: str, exercises_done: int,
                 exercises: int) -> None:
        super().__init__(t)
        set_once(self, status=status, reason=reason, exercises_done=exercises_done,
             exercises=exercises)

    def to_json(self) -> dict[str, Any]:
        """status, reason, exercises_done and exercises."""
        return {**super().to_json(), "status": self.status, "reason": self.reason,
                "exercises_done": self.exercises_done, "exercises": self.exercises}


class Sink(Protocol):
    """Anything that follows a session: a view, the cue player, the history writer."""

    def handle(self, event: Event) -> None:
        """React to one event; must return quickly (the timer is waiting)."""

    def close(self) -> None:
        """The session is over; release what was held."""
