"""The picture on the live view's setup screen: beside the steps when the screen still fits
the window, the rest of the screen as it was; left out when there is no room."""

from __future__ import annotations

import io

from rich.console import Console

from backcoach.library.catalog import Catalog, load_catalog
from backcoach.library.model import Routine, RoutineItem
from backcoach.render.live import LiveView
from backcoach.render.live_picture import picture_text
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Session

CATALOG = load_catalog(strict=False)


def setup_screen(exercise_id: str, width: int, height: int, pictures: bool = True) -> str:
    """The live view as it is 2 s into the setup of one built-in exercise."""
    routine = Routine(id="r", name="Test routine", items=(RoutineItem(exercise_id),))
    catalog = Catalog(exercises=CATALOG.exercises, routines={"r": routine})
    plan = compile_plan(routine, catalog)
    console = Console(file=io.StringIO(), width=width, height=height, force_terminal=True,
                      color_system=None)
    view = LiveView(console, pictures=pictures)
    frames: list[str] = []

    class Snap:
        def handle(self, event: object) -> None:
            if getattr(event, "event", "") != "session_end":
                capture = Console(file=io.StringIO(), width=width, height=height,
                                  color_system=None)
                capture.print(view.frame())
                frames.append(capture.file.getvalue())  # type: ignore[attr-defined]

        def close(self) -> None:
            pass

    clock = FakeClock()
    try:
        Session(plan, clock, ScriptedKeys(clock, [(2, "q"), (2, "q")]), [view, Snap()]).run()
    finally:
        view.close()
    return frames[-1]


def test_at_100x30_the_position_stands_beside_the_steps() -> None:
    screen = setup_screen("knee-to-chest", 100, 30)
    lines = screen.splitlines()
    assert len(lines) <= 30 and all(len(line) <= 100 for line in lines)
    end = CATALOG.exercises["knee-to-chest"].picture.end  # type: ignore[union-attr]
    for row in end:
        assert any(row.strip() in line for line in lines), row
    steps = [line for line in lines if line.lstrip().startswith("1. Lie on your back")]
    assert steps and "Start" in steps[0] and "End" in steps[0], "the drawing starts at step 1"
    # Everything the setup says stays: dose, equipment, every step and caution, the start.
    assert "You need: mat, small cushion" in screen
    assert "3 x 30 s each side" in screen
    for number in range(1, 6):
        assert any(line.lstrip().startswith(f"{number}. ") for line in lines), number
    assert screen.count("Careful: ") == len(CATALOG.exercises["knee-to-chest"].cautions)
    assert "q quit" in lines[-1]


def test_at_80x24_the_cautions_come_before_the_picture() -> None:
    """80x24 holds the steps and all six cautions of knee-to-chest, not a picture as well."""
    screen = setup_screen("knee-to-chest", 80, 24)
    assert "●" not in screen and "╭" not in screen
    assert screen.count("Careful: ") == len(CATALOG.exercises["knee-to-chest"].cautions)


def test_a_wide_window_shows_start_and_end() -> None:
    screen = setup_screen("chin-tuck", 120, 40)
    assert "Start" in screen and "End" in screen
    picture = CATALOG.exercises["chin-tuck"].picture
    assert picture is not None
    assert any(picture.start[-1] in line and picture.end[-1] in line
               for line in screen.splitlines())


def test_no_room_no_picture_and_the_screen_is_as_before() -> None:
    narrow = setup_screen("knee-to-chest", 60, 24)
    assert "●" not in narrow and "1. Lie on your back" in narrow
    short = setup_screen("neck-side-bend", 80, 16)
    assert "●" not in short
    # Without a picture the steps take the whole width, as they did before pictures.
    plain = setup_screen("knee-to-chest", 80, 24, pictures=False)
    assert (" 1. Lie on your back on a mat with both knees bent and your feet flat. Rest"
            in [line.rstrip() for line in plain.splitlines()])


def test_switched_off_the_screen_has_no_drawing() -> None:
    assert "●" not in setup_screen("knee-to-chest", 100, 40, pictures=False)


def test_the_moving_part_is_bold_and_coloured() -> None:
    exercise = CATALOG.exercises["knee-to-chest"]
    text = picture_text(exercise, 80)
    assert text is not None
    styled = {text.plain[span.start:span.end] for span in text.spans}
    assert any("↙" in piece for piece in styled)
    assert all(span.style == "bold cyan" for span in text.spans)
    assert picture_text(exercise, 50) is None  # 40 columns of steps leave 8: too few
