"""The three views of a session, driven by a fake clock: plain lines, JSON lines, live frames."""

from __future__ import annotations

import io
import json
import re
from typing import Any

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
    keys_pressed = ScriptedKeys(clock, [*keys, (stop_at, "q"), (stop_at, "q")])
    view = LiveView(console)
    frames: list[str] = []

    class Snap:
        def handle(self, event: object) -> None:
            # The frames up to the quit question (q, then q again, ends each run).
            if getattr(event, "event", "") not in ("session_end", "quit_ask", "step_end") \
                    and view._status != "quit":
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
    assert re.search(r"\b2[34] seconds · hold", text)


def test_live_intro_shows_steps_cautions_and_start_hint() -> None:
    text = frame_text(80, [], stop_at=2)
    assert "1. Do it." in text
    assert re.search(r"Starting in [89] s · space to wait · n to start now", text)


def test_yaml_text_is_never_markup() -> None:
    tricky = exercise("tricky")._replace(cues=("[bold red]not bold[/bold red] breathe",))
    cat = catalog(tricky)
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
    view = LiveView(console)
    Session(plan, clock, ScriptedKeys(clock, [(15, " "), (15, " ")]), [view]).run()
    view._status, view._remaining, view._length = "", 25, 30  # as it was 5 s into the hold
    view._step = next(step for step in plan.steps if step.kind == "hold")
    capture = Console(file=io.StringIO(), width=80, color_system=None)
    capture.print(view.frame())
    view.close()
    assert "[bold red]not bold[/bold red] breathe" in capture.file.getvalue()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- issue 12: what a stop shows

def frames_of(exercises: list[Any], keys: list[tuple[float, str]], height: int = 40,
              assess: Any = None) -> list[tuple[str, str, str]]:
    """Every frame the live view would draw: (exercise id, step kind, text)."""
    console = Console(file=io.StringIO(), width=80, height=height, force_terminal=True,
                      color_system=None)
    cat = catalog(*exercises)
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    view = LiveView(console)
    frames: list[tuple[str, str, str]] = []

    class Snap:
        def handle(self, event: Any) -> None:
            if event.event != "session_end" and view._step is not None:
                capture = Console(file=io.StringIO(), width=80, height=height,
                                  color_system=None)
                capture.print(view.frame())
                step = view._step
                frames.append((step.exercise.id, step.kind,
                               capture.file.getvalue()))  # type: ignore[attr-defined]

        def close(self) -> None:
            pass

    options = {"assess": assess} if assess is not None else {}
    try:
        Session(plan, clock, ScriptedKeys(clock, keys), [view, Snap()], **options).run()
    finally:
        view.close()
    return frames


def careful(ident: str, cautions: int, signs: int) -> Any:
    return exercise(ident, reps=1)._replace(
        cautions=tuple(f"caution number {n}." for n in range(cautions)),
        stop_if=tuple(f"sign number {n}" for n in range(signs)))


def test_item_14_every_caution_and_every_stop_sign_when_they_fit() -> None:
    frames = frames_of([careful("many", 5, 4)], [(20, "q"), (20, "q")], height=40)
    setup = next(text for _, kind, text in frames if kind == "setup")
    assert all(f"Careful: caution number {n}." in setup for n in range(5))
    hold = next(text for _, kind, text in frames if kind == "hold")
    assert all(f"Stop if sign number {n}." in hold for n in range(4))


def test_item_14_they_take_turns_only_when_the_window_is_too_small() -> None:
    # At 16 rows twelve signs do not fit even when the parts that may give way have gone.
    frames = frames_of([careful("many", 12, 12)], [(39, "q"), (39, "q")], height=16)
    for _, _, text in frames:
        assert len(text.splitlines()) <= 16
    setups = " ".join(text for _, kind, text in frames if kind == "setup")
    holds = [text for _, kind, text in frames if kind == "hold"]
    assert sum(f"caution number {n}." in setups for n in range(12)) == 12  # every one, in turn
    assert sum(f"sign number {n}." in holds[0] for n in range(12)) < 12  # not all at once
    assert sum(f"sign number {n}." in " ".join(holds) for n in range(12)) == 12


def test_item_8_a_stop_message_never_lands_on_the_next_exercises_own_screen() -> None:
    from backcoach.session.runner import HurtDecision

    def stop(kind: str, level: int | None, step: Any) -> HurtDecision:
        return HurtDecision(True, "Stop this exercise for today.", "sharp pain")

    frames = frames_of([exercise("knee-hug", reps=1), exercise("neck-tilt", sides=(), reps=1)],
                       [(15, "h"), (16, "s"), (40, "q"), (40, "q")], assess=stop)
    moving = [text for ident, kind, text in frames if kind == "transition"]
    assert moving and all("Stopped: Knee Hug. Stop this exercise for today." in text
                          for text in moving)
    after = [text for ident, kind, text in frames if ident == "neck-tilt" and kind != "transition"]
    assert after and not any("Stop this exercise" in text for text in after)


# ---------------------------------------------------------------- issue 14, item 6

def test_item_6_the_quit_question_shows_over_the_help_too() -> None:
    frames = frames_of([exercise("knee-hug", reps=1)], [(15, "?"), (16, "q"), (17, "x"),
                                                        (18, " "), (20, "q"), (20, "q")])
    texts = [text for _, _, text in frames]
    helped = next(i for i, text in enumerate(texts) if "The timer waits while this help" in text)
    asked = next(i for i, text in enumerate(texts) if "Quit this session?" in text)
    assert helped < asked and "space  pause or carry on" in texts[asked]  # over the help
    assert "The timer waits while this help" in texts[asked + 1]  # x: back to the help


def test_item_6_paused_once_on_a_setup_and_labels_say_what_comes_next() -> None:
    frames = frames_of([exercise("knee-hug", reps=2)], [(3, " "), (9, "q"), (9, "q")])
    waiting = [text for _, kind, text in frames if "Waiting for you" in text]
    assert waiting and all("PAUSED" not in text for text in waiting)
    frames = frames_of([exercise("knee-hug", reps=2)], [(84, "q"), (84, "q")])
    rest = [text for _, kind, text in frames if kind == "rest"]
    assert rest and all("rest · then LEFT SIDE" in text for text in rest)
    assert all("RIGHT SIDE ·" not in text and "LEFT SIDE · rest" not in text for text in rest)
    switch = [text for _, kind, text in frames if kind == "switch"]
    assert switch and "switch to RIGHT SIDE" in switch[0]


def test_item_6_the_legend_offers_e_only_when_there_is_an_easier_version() -> None:
    plain = frame_text(80, [], stop_at=17)  # easier=lambda e: None: nothing to swap to
    assert "e easier" not in plain and "+/- 5 s" in plain
    setup = frame_text(80, [], stop_at=2)
    assert "+/- 5 s" not in setup and "space wait" in setup


def test_while_paused_or_waiting_the_legend_says_space_carries_on() -> None:
    # Space in a setup waits, in a hold pauses; then the key bar says what space does now.
    waiting = frame_text(80, [(1, " ")], stop_at=3).splitlines()[-1]
    paused = frame_text(80, [(12, " ")], stop_at=14).splitlines()[-1]
    assert waiting.split("  ")[0].strip() == "space continue"
    assert paused.split("  ")[0].strip() == "space continue"
    assert "space wait" not in waiting and "space pause" not in paused


def test_item_6_plus_and_minus_show_the_new_length() -> None:
    longer = frame_text(80, [(12, "+")], stop_at=13)
    assert "hold 35 s" in longer and "Hold longer: 35 s in all." in longer
    floor = frames_of([exercise("short", hold=5, reps=1)], [(11, "-"), (12, "q"), (12, "q")])
    said = " ".join(text for _, _, text in floor)
    assert "This hold is as short as it goes (5 s); n skips the rest of it." in said
