"""Small builders shared by tests: exercises, routines and a catalog made in memory."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from backcoach.library.catalog import Catalog
from backcoach.library.model import Dose, DoseOverride, Exercise, Routine, RoutineItem
from backcoach.session.events import Event, Sink
from backcoach.session.keys import KeySource
from backcoach.session.plan import Plan
from backcoach.session.recorder import run_recorded
from backcoach.session.result import SessionResult


def exercise(ident: str = "stretch", *, sides: tuple[str, ...] = ("left", "right"),
             hold: int = 30, reps: int = 2, rest: int = 10, setup: int = 10, switch: int = 5,
             easier: str | None = None, position: str = "lying", tempo: int = 0,
             harder: str | None = None, type: str = "stretch") -> Exercise:
    """An exercise with a chosen dose (a tempo makes it move: its hold is then 0)."""
    return Exercise(id=ident, name=ident.replace("-", " ").title(), family="other",
                    position=position, steps=("Do it.",), cues=("Breathe.", "Relax."),
                    stop_if=("it hurts",),
                    dose=Dose(hold=0 if tempo else hold, reps=reps, sides=sides, rest=rest,
                              setup=setup, switch=switch, tempo=tempo),
                    easier=easier, harder=harder, type=type)


def catalog(*exercises: Exercise, rest_between: int = 15,
            overrides: dict[str, DoseOverride] | None = None) -> Catalog:
    """A catalog with these exercises and one routine, `r`, running them in order."""
    overrides = overrides or {}
    routine = Routine(id="r", name="Test routine", rest_between=rest_between,
                      items=tuple(RoutineItem(e.id, overrides.get(e.id, DoseOverride()))
                                  for e in exercises))
    return Catalog(exercises={e.id: e for e in exercises}, routines={"r": routine})


class Recorder:
    """A sink that keeps every event."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    def handle(self, event: Event) -> None:
        """Keep the event."""
        self.events.append(event)

    def close(self) -> None:
        """Nothing to do."""

    def named(self, name: str) -> list[Event]:
        """Events of one kind."""
        return [e for e in self.events if e.event == name]


class Session:
    """A plan run the way the app runs it: a recorder in front of the sinks. `run()` returns
    what the session achieved."""

    def __init__(self, plan: Plan, clock: Any, keys: KeySource, sinks: Iterable[Sink] = (),
                 *, speed: float = 1.0, wall: Callable[[], datetime] | None = None,
                 **options: Any) -> None:
        self.plan, self.clock, self.keys = plan, clock, keys
        self.sinks = list(sinks)
        self.speed = speed
        self.options = options if wall is None else {**options, "wall": wall}

    def run(self) -> SessionResult:
        """Run to the end (or until the keys or an exception end it)."""
        return run_recorded(self.plan, self.clock, self.keys, self.sinks, speed=self.speed,
                            **self.options)
