"""Small builders shared by tests: exercises, routines and a catalog made in memory."""

from __future__ import annotations

from backcoach.library.catalog import Catalog
from backcoach.library.model import Dose, DoseOverride, Exercise, Routine, RoutineItem
from backcoach.session.events import Event


def exercise(ident: str = "stretch", *, sides: tuple[str, ...] = ("left", "right"),
             hold: int = 30, reps: int = 2, rest: int = 10, setup: int = 10, switch: int = 5,
             easier: str | None = None, position: str = "lying") -> Exercise:
    """An exercise with a chosen dose."""
    return Exercise(id=ident, name=ident.replace("-", " ").title(), family="other",
                    position=position, steps=("Do it.",), cues=("Breathe.", "Relax."),
                    stop_if=("it hurts",),
                    dose=Dose(hold=hold, reps=reps, sides=sides, rest=rest, setup=setup,
                              switch=switch), easier=easier)


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
