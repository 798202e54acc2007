"""The live view's own blocks draw exactly what the rich grids they replaced drew: a numbered
step that hangs under its text (`Hanging`), and the steps beside a picture (`Beside`), for
every built-in exercise at widths from a phone-sized terminal to a wide one."""

from __future__ import annotations

import io

import pytest
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from backcoach.library.catalog import load_catalog
from backcoach.render.live import Beside, Hanging, LeftRight, rows_at
from backcoach.render.live_picture import GAP, picture_text

CATALOG = load_catalog()
CONSOLE = Console(file=io.StringIO(), width=250, height=40, force_terminal=True,
                  color_system="truecolor")


def drawn(renderable: RenderableType, width: int) -> list[list[tuple[str, str]]]:
    """What a person sees, inside the view's padding: each row, each character with its
    style (a space's style is invisible, so a space has none)."""
    options = CONSOLE.options.update_width(width)
    rows = CONSOLE.render_lines(Padding(renderable, (0, 1)), options, pad=True)
    return [[(char, "" if char == " " else str(segment.style or ""))
             for segment in row for char in segment.text] for row in rows]


def step_grid(number: int, line: str, digits: int, key: bool) -> Table:
    """The grid each step was drawn with before."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, width=digits)
    grid.add_column(overflow="fold")
    grid.add_row(Text(f"{number}."), Text(line, style="bold" if key else ""))
    return grid


def hanging(number: int, line: str, digits: int, key: bool) -> Hanging:
    return Hanging(f"{number}.".rjust(digits) + " ", Text(line, style="bold" if key else ""))


@pytest.mark.parametrize("ident", sorted(CATALOG.exercises))
def test_a_hanging_step_draws_as_the_grid_did(ident: str) -> None:
    steps = CATALOG.exercises[ident].steps
    digits = len(f"{len(steps)}.")
    for width in (12, 20, 33, 40, 57, 80, 100, 200):
        for number, line in enumerate(steps, start=1):
            key = number == 2
            assert drawn(hanging(number, line, digits, key), width) == \
                drawn(step_grid(number, line, digits, key), width), (width, number)


PICTURED = sorted(ident for ident, exercise in CATALOG.exercises.items()
                  if exercise.picture is not None)


def steps_beside_pictures(ident: str, widths: range, room: int = 0
                          ) -> list[tuple[int, Group, Text]]:
    """An exercise's steps and its drawing at each width where the drawing fits beside the
    steps (`room`: columns the view takes off the width first); at least five widths."""
    exercise = CATALOG.exercises[ident]
    digits = len(f"{len(exercise.steps)}.")
    cases = []
    for width in widths:
        drawing = picture_text(exercise, width - room)
        if drawing is not None:
            cases.append((width, Group(*(hanging(n, line, digits, n == 1)
                                         for n, line in enumerate(exercise.steps, start=1))),
                          drawing))
    assert len(cases) >= 5  # a picture fits beside the steps at most widths
    return cases


@pytest.mark.parametrize("ident", PICTURED)
def test_steps_beside_a_picture_draw_as_the_grid_did(ident: str) -> None:
    for width, steps, drawing in steps_beside_pictures(ident, range(40, 201, 9), room=2):
        grid = Table.grid(padding=(0, GAP))
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True)
        grid.add_row(steps, drawing)
        assert drawn(Beside(steps, drawing, GAP), width) == drawn(grid, width), width


def left_right_cases() -> dict[str, LeftRight]:
    """The header, the title and the progress bar, as the view builds them."""
    from rich.progress_bar import ProgressBar

    return {
        "header": LeftRight(Text("backcoach · Daily lower-back routine", style="bold"),
                            Text("1 of 4 · 10:19 left"), overflow="ellipsis", no_wrap=True),
        "long header": LeftRight(
            Text("backcoach · A routine with a very long name, on its own", style="bold"),
            Text("12 of 14 · 1:10:19 left"), overflow="ellipsis", no_wrap=True),
        "title": LeftRight(Text("Knee-to-chest stretch", style="bold"),
                           Text("get into position · LEFT SIDE first", style="cyan")),
        "hold bar": LeftRight(ProgressBar(total=30, completed=12.5, complete_style="green"),
                              Text("hold 30 s", style="dim"), gap=1),
        "rest bar": LeftRight(ProgressBar(total=10, completed=0), Text("rest 10 s", style="dim"),
                              gap=1),
    }


@pytest.mark.parametrize("name", sorted(left_right_cases()))
def test_left_and_right_draw_as_the_grid_did_at_every_width(name: str) -> None:
    # From a window too narrow for both (the grid itself draws it) to a wide one.
    block = left_right_cases()[name]
    # The grid the view drew before, built here from the block's parts.
    grid = Table.grid(expand=True, padding=(0, block.gap) if block.gap else 0)
    grid.add_column(ratio=1, overflow=block.overflow, no_wrap=block.no_wrap)
    grid.add_column(justify="right", no_wrap=True)
    grid.add_row(block.left, block.right)
    for width in range(3, 201):
        assert drawn(block, width) == drawn(grid, width), width


# Texts a part can hold: plain, exactly a row, wrapping, wide and zero-width characters, a
# tab, a newline, a control character, nothing at all.
TEXTS = ["Relax and breathe.", "x" * 38, "x" * 39, "x" * 40, "word " * 30, "", " ",
         "膝を胸に引き寄せる" * 3, "Hold 🙂 and breathe", "cafe\u0301 " * 10, "a\tb" * 5,
         "first\nsecond", "bell\x07here", "zero\u200dwidth " * 4, "Careful: " + "ab " * 13]


@pytest.mark.parametrize("width", [1, 2, 12, 38, 39, 40, 96])
def test_rows_are_counted_as_rich_draws_them(width: int) -> None:
    for text in TEXTS:
        for renderable in (Text(text), Text(text, style="bold"), Hanging("3. ", Text(text)),
                           Hanging("12. ", Text(text, style="bold"))):
            options = CONSOLE.options.update_width(width)
            drawn_rows = len(CONSOLE.render_lines(renderable, options, pad=False))
            assert rows_at(CONSOLE, renderable, width) == drawn_rows, (text, width)


@pytest.mark.parametrize("ident", PICTURED)
def test_rows_of_steps_beside_a_picture_are_counted_as_rich_draws_them(ident: str) -> None:
    for width, steps, drawing in steps_beside_pictures(ident, range(38, 201, 7)):
        beside = Beside(steps, drawing, GAP)
        options = CONSOLE.options.update_width(width)
        assert rows_at(CONSOLE, beside, width) == \
            len(CONSOLE.render_lines(beside, options, pad=False)), width


@pytest.mark.parametrize("width", [20, 33, 46, 80])
def test_rows_beside_a_text_that_may_wrap_are_counted_as_rich_draws_them(width: int) -> None:
    steps = Group(hanging(1, "Lie on your back with both knees bent.", 2, False),
                  hanging(2, "Bring one knee up toward your chest.", 2, True))
    for right in (Text("a caption, not a drawing, long enough to wrap " * 2),
                  Text("short\nlines\nhere")):
        beside = Beside(steps, right, GAP)
        options = CONSOLE.options.update_width(width)
        assert rows_at(CONSOLE, beside, width) == \
            len(CONSOLE.render_lines(beside, options, pad=False)), (width, right.plain)
