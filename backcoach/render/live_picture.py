"""The picture of the position on the live view's setup screen, beside the steps.

A small part of its own: it picks the drawings that fit the room left beside the steps (start
and end side by side, else the end position alone, the one held), and draws the moving part
and its arrow in bold colour (bold also reads without colour). The live view shows it only
when the whole screen still fits the window.
"""

from __future__ import annotations

from rich.text import Text

from backcoach.library import pictures
from backcoach.library.model import Exercise

MIN_STEPS_WIDTH = 40  # columns the steps keep beside a picture
GAP = 2  # between the steps and the picture
SIDE_GAP = 3  # between start and end
MOVING_STYLE = "bold cyan"


def picture_text(exercise: Exercise, columns: int) -> Text | None:
    """The drawing for a setup screen `columns` wide, or None when there is none or no
    room for it beside MIN_STEPS_WIDTH columns of steps."""
    if exercise.picture is None:
        return None
    room = columns - MIN_STEPS_WIDTH - GAP
    drawings = exercise.picture.drawings
    if len(drawings) == 2 and sum(pictures.width(rows) for rows in drawings) + SIDE_GAP > room:
        drawings = drawings[-1:]  # one above the other is too tall: the position held
    lines = pictures.picture_lines(drawings, room, SIDE_GAP)
    if lines is None:
        return None
    text = Text(no_wrap=True, overflow="crop")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        for piece, moving in line:
            text.append(piece, style=MOVING_STYLE if moving else "")
    return text
