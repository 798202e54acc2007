"""The three views of a session, driven by a fake clock: plain lines, JSON lines, live frames."""

from __future__ import annotations

import io
import json
import re

from rich.console import Console

from backcoach.render.jsonl import JsonlSink
from backcoach.render.live import LiveView
from backcoach.render.plain import PlainRenderer
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session, catalog, exercise

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def run_with(sink_factory: object, keys: list[tuple[float, str]] | None = None,
             speed: float = 1.0) -> None:
    cat = catalog(exercise("knee-hug", reps=1), exercise("neck-tilt", sides=(), reps=2, hold=20))
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    Session(plan, clock, ScriptedKeys(clock, keys or []), [sink_factory()],  # type: ignore[operator]
            speed=speed).run()


def test_plain_is_one_line_per_change_without_control_codes() -> None:
    out = io.StringIO()
    run_with(lambda: PlainRenderer(out), keys=[(15, " "), (25, " ")])
    text = out.getvalue()
    assert "\x1b" not in text and "\r" not in text
    lines = text.splitlines()
    assert lines[0] == "[00:00] Test routine: 2 exercises, about 2 min 30 s."
    assert lines[1] == "[00:00] Knee Hug: 1 x 30 s each side. Get into position (10 seconds)."
    assert "        1. Do it." in lines
    assert "        Stop if it hurts." in lines
    assert "[00:10] Left side, rep 1 of 1: hold 30 seconds." in lines
    assert "[00:15] Paused. Press space to carry on." in lines
    assert "[00:25] Carrying on." in lines
    assert "[00:50] Switch to your right side (5 seconds)." in lines
    assert "[01:25] Next: Neck Tilt, in 15 seconds." in lines
    assert "[01:50] Rep 1 of 2: hold 20 seconds." in lines
    assert lines[-1] == "[02:40] Done. 2 of 2 exercises done in full."
    assert not any("tick" in line for line in lines)


def test_jsonl_events_follow_the_contract() -> None:
    out = io.StringIO()
    run_with(lambda: JsonlSink(out), speed=10)
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert events[0]["event"] == "session_start" and events[-1]["event"] == "session_end"
    names = {e["event"] for e in events}
    assert {"step_start", "tick", "step_end"} <= names
    for event in events:
        assert isinstance(event["t"], float | int)
        if event["event"] in ("step_start", "step_end", "tick"):
            assert {"exercise", "side", "rep", "kind", "planned"} <= event.keys()
            assert event["kind"] in ("setup", "hold", "rest", "switch", "transition")
    ends = [e for e in events if e["event"] == "step_end"]
    assert all(e["status"] == "done" for e in ends)
    # t is real time: at speed 10 the session of 150 planned seconds ends at 15 s
    assert events[-1]["t"] == 15.0
    assert ends[1]["side"] == "left" and ends[1]["planned"] == 30


def frame_text(width: int, keys: list[tuple[float, str]], stop_at: float) -> str:
    """Render the live frame as it is at `stop_at` seconds into the session."""
    console = Console(file=io.StringIO(), width=width, height=24, force_terminal=True,
                      color_system=None)
    cat = catalog(exercise("knee-hug", reps=2, easier="easy-hug"), exercise("easy-hug"))
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    keys_pressed = ScriptedKeys(clock, [*keys, (stop_at, "q")])
    view = LiveView(console)
    frames: list[str] = []

    class Snap:
        def handle(self, event: object) -> None:
            if getattr(event, "event", "") != "session_end":
                capture = Console(file=io.StringIO(), width=width, height=24, color_system=None)
                capture.print(view.frame())
                frames.append(capture.file.getvalue())  # type: ignore[attr-defined]

        def close(self) -> None:
            pass

    try:
        Session(plan, clock, keys_pressed, [view, Snap()], easier=lambda e: None).run()
    finally:
        view.close()
    return frames[-1]


def test_live_frame_at_80_columns_during_a_hold() -> None:
    text = frame_text(80, [], stop_at=17)
    lines = text.splitlines()
    assert all(len(line) <= 80 for line in lines)
    assert "backcoach · Test routine" in lines[0] and "1 of 2 ·" in lines[0]
    assert any("Knee Hug" in line and "LEFT SIDE · rep 1/2" in line for line in lines)
    assert sum("██" in line for line in lines) >= 4  # the big countdown
    assert "seconds · hold" in text
    assert "Stop if it hurts." in text
    assert "Next: switch 5 s, then right side" in text
    assert "space pause" in lines[-1] and "q quit" in lines[-1]


def test_live_frame_paused_and_help() -> None:
    paused = frame_text(80, [(15, " ")], stop_at=16)
    assert "PAUSED · space to continue" in paused
    helped = frame_text(80, [(15, "?")], stop_at=16)
    assert "make this hold 5 s longer or shorter" in helped


def test_live_frame_at_40_columns_stays_inside_the_width() -> None:
    text = frame_text(40, [], stop_at=17)
    assert all(len(line) <= 40 for line in text.splitlines())
    assert "LEFT SIDE" in text and "q quit" in text


def test_live_frame_below_40_columns_uses_plain_digits() -> None:
    text = frame_text(30, [], stop_at=17)
    assert "██" not in text
    assert re.search(r"\b23 seconds · hold", text)


def test_live_intro_shows_steps_cautions_and_start_hint() -> None:
    text = frame_text(80, [], stop_at=2)
    assert "1. Do it." in text
    assert "Starting in 8 s · n to start now" in text


def test_yaml_text_is_never_markup() -> None:
    tricky = exercise("tricky")
    object.__setattr__(tricky, "cues", ("[bold red]not bold[/bold red] breathe",))
    cat = catalog(tricky)
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
    view = LiveView(console)
    Session(plan, clock, ScriptedKeys(clock, [(15, "q")]), [view]).run()
    capture = Console(file=io.StringIO(), width=80, color_system=None)
    capture.print(view.frame())
    view.close()
    assert "[bold red]not bold[/bold red] breathe" in capture.file.getvalue()  # type: ignore[attr-defined]
