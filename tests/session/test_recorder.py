"""The order in which the recorder passes events on: history first, but for a start."""

from __future__ import annotations

from datetime import UTC, datetime

from backcoach.session import events as ev
from backcoach.session.plan import compile_plan
from backcoach.session.recorder import Recorder
from backcoach.session.runner import Ending
from tests.helpers import catalog, exercise


class Log:
    """A sink that writes its name and the kind of each event it sees into a shared list."""

    def __init__(self, name: str, seen: list[tuple[str, str]]) -> None:
        self.name, self.seen = name, seen

    def handle(self, event: ev.Event) -> None:
        self.seen.append((self.name, event.event))

    def close(self) -> None:
        """Nothing to release."""


def test_a_start_reaches_the_views_first_and_everything_else_reaches_history_first() -> None:
    cat = catalog(exercise("a"))
    plan = compile_plan(cat.routine("r"), cat)
    seen: list[tuple[str, str]] = []
    recorder = Recorder(plan, wall=lambda: datetime(2026, 3, 10, tzinfo=UTC))
    recorder.history = Log("history", seen)
    recorder.sinks = [Log("view", seen), Log("cues", seen)]
    step = plan.steps[0]
    recorder.handle(ev.SessionStarted(0.0, plan, 1.0))
    recorder.handle(ev.StepStarted(0.0, step, step.seconds))
    recorder.handle(ev.Tick(1.0, step, step.seconds - 1))
    recorder.handle(ev.StepEnded(2.0, step, 0.0))
    recorder.finish(Ending("quit", 2.0))
    assert seen == [
        ("view", ev.SESSION_START), ("cues", ev.SESSION_START), ("history", ev.SESSION_START),
        ("view", ev.STEP_START), ("cues", ev.STEP_START), ("history", ev.STEP_START),
        ("history", "tick"), ("view", "tick"), ("cues", "tick"),
        ("history", "step_end"), ("view", "step_end"), ("cues", "step_end"),
        ("history", "session_end"), ("view", "session_end"), ("cues", "session_end"),
    ]


def test_without_a_history_writer_every_sink_sees_every_event_in_order() -> None:
    cat = catalog(exercise("a"))
    plan = compile_plan(cat.routine("r"), cat)
    seen: list[tuple[str, str]] = []
    recorder = Recorder(plan, [Log("view", seen)])
    recorder.handle(ev.SessionStarted(0.0, plan, 1.0))
    recorder.finish(Ending("quit", 0.0))
    assert seen == [("view", ev.SESSION_START), ("view", "session_end")]
