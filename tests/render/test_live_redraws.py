"""The live view draws a frame only when it will stay on screen (issue 7: no idle redraws)."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console

from backcoach.render.live import LiveView
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session, catalog, exercise


def drawn_frames(keys: list[tuple[float, str]]) -> tuple[list[str], list[str]]:
    """Run a session; return every event's name, and the event each drawn frame was for."""
    cat = catalog(exercise("knee-hug", reps=2), exercise("neck-tilt", sides=(), reps=1))
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    console = Console(file=io.StringIO(), width=80, height=30, force_terminal=True,
                      color_system=None)
    view = LiveView(console)
    events: list[str] = []
    frames: list[str] = []
    update = view.live.update

    def counted(renderable: Any, *, refresh: bool = False) -> None:
        frames.append(events[-1])
        update(renderable, refresh=refresh)

    view.live.update = counted  # type: ignore[method-assign]

    class Names:
        def handle(self, event: Any) -> None:
            events.append(event.event)

        def close(self) -> None:
            pass

    try:
        Session(plan, clock, ScriptedKeys(clock, keys), [Names(), view]).run()
    finally:
        view.close()
    return events, frames


def test_no_frame_for_events_followed_at_once_by_another() -> None:
    events, frames = drawn_frames([(12, "n"), (40, " "), (42, " "), (45, "+")])
    assert {"session_start", "step_end", "skip", "session_end"} <= set(events)
    assert set(frames) == {"step_start", "tick", "pause", "resume", "adjust"}
    # Every event after which the runner waits still gets its frame.
    waits = [name for name in events if name in ("step_start", "tick", "pause", "resume",
                                                 "adjust")]
    assert frames == waits


def test_a_pain_question_is_drawn_and_its_answer_only_with_what_follows() -> None:
    events, frames = drawn_frames([(15, "h"), (16, "a"), (17, "2")])
    assert events.count("pain") == 3  # ask, level, answer
    assert frames.count("pain") == 2  # the two questions wait for a key; the answer does not
