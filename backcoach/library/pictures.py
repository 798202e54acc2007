"""Pictures of positions: the limits a drawing keeps to and the one figure vocabulary.

A picture is text drawn for a terminal, kept in the exercise's YAML (`picture:`), so a user or
a clinician can draw their own. It is checked like every other field: at most MAX_ROWS rows of
at most MAX_COLUMNS characters, each from ALLOWED (characters one terminal cell wide: ASCII,
arrows, box-drawing lines, blocks and geometric shapes), so it lines up the same in every
terminal, on the setup screen, in `show` and in the printed handout.

The vocabulary (README, "Pictures of positions"), so that figures look drawn by one hand:
the figure is seen from the side, facing right (lying: head to the left), unless the movement
shows best from the front (neck side bends, shoulders lifted in a roll, arms on a door frame) or
from above (a knee drawn across the body, the head still to the left); the head is HEAD; trunk
and limbs are light box-drawing lines; the mat or floor is a row of FLOOR along the bottom (seen
from above, the mat is a frame); a chair, a wall and a doorway are drawn the same way everywhere
(below); a knee resting on the mat or a cushion is KNEE_DOWN and a foot flat on the mat is
FOOT_FLAT; an arrow (ARROWS) points the way the moving part goes.

On hands and knees (facing right) the trunk is drawn as two lines, the back and the belly, with
the head forward on the neck: one line over four limbs reads as a table. The arm goes straight
down from the shoulder to the hand; the thigh narrows from the buttock down to the knee on the
mat (a ╱ ╱ │ ╲ behind and a ╱ ╱ in front, KNEE_DOWN between them); the shin lies back along the
mat. A line shallower than ╱ (a bridge, from the shoulders to the knees) rises in small steps
of FOOT_FLAT and ╱, so it reads as one slope. When an exercise has a start and an end
picture, what differs between them is the moving part, picked out where colour is available
(`moving_cells`), never by colour alone: the arrow says it too.
"""

from __future__ import annotations

import re

MAX_ROWS = 12
MAX_COLUMNS = 36

# Code point ranges a picture may use, first and last included. None of them is wide (two
# cells) in Unicode's East Asian Width, so a picture's width is its length (tested); U+25FD and
# U+25FE (wide squares) are left out for that reason.
ALLOWED_RANGES: tuple[tuple[int, int], ...] = (
    (0x20, 0x7E),  # ASCII letters, digits and signs: labels such as L and R
    (0x2190, 0x21FF),  # arrows
    (0x2500, 0x257F),  # box-drawing lines
    (0x2580, 0x259F),  # block elements
    (0x25A0, 0x25FC),  # geometric shapes (circles for heads) ...
    (0x25FF, 0x25FF),  # ... but the two wide squares before this one
)

HEAD = "●"
FLOOR = "▔"
# Seen from above (a movement across the body), the mat is a frame instead of a floor line.
MAT_CORNERS = ("┌", "┐", "└", "┘")
# A wall (or a door frame seen from the side) is a column of this block; a chair is drawn with its
# back on the left (`│`), its seat (`├───`) and its legs (`│   │`), the person's thigh along the
# seat.
WALL = "▐"
# A doorway seen from the front: the lintel along the top row, its corners, and the two posts
# (WALL on the left, this on the right) down to the floor. A wall beside a person reads as
# something to lean on; only the whole frame reads as a doorway to stand in.
DOOR_LINTEL = "▀"
DOOR_CORNERS = ("▜", "▛")
DOOR_RIGHT_POST = "▌"
KNEE_DOWN = "▄"
FOOT_FLAT = "▁"
ARROWS = "←↑→↓↖↗↘↙↺↻"


# One character outside every allowed range. A pattern scans a row in one call: checking each
# character in Python took a third of `validate`'s time on a library of pictures. Compiled on
# first use (`re` keeps it): compiling costs 0.6 ms, and a session's first frame needs none.
_NOT_ALLOWED = "[^" + "".join(f"\\U{first:08x}-\\U{last:08x}"
                              for first, last in ALLOWED_RANGES) + "]"


def first_not_allowed(row: str) -> str | None:
    """The first character of a row that a picture may not use, or None."""
    found = re.search(_NOT_ALLOWED, row)
    return found.group() if found else None


def rows_of(text: str) -> list[str]:
    """A drawing's rows as written: line breaks at the end are not rows."""
    return text.rstrip("\n").split("\n")


def width(rows: tuple[str, ...] | list[str]) -> int:
    """Columns a drawing takes (its longest row)."""
    return max((len(row) for row in rows), default=0)


def moving_cells(start: tuple[str, ...], end: tuple[str, ...]) -> frozenset[tuple[int, int]]:
    """The (row, column) cells of `end` that are not blank and differ from `start`: the part
    that moves, arrows included. The two are compared with their bottom rows (the floor) laid
    over each other; rows and columns are `end`'s own."""
    offset = len(start) - len(end)  # start's row under end's row 0
    cells = set()
    for row, line in enumerate(end):
        index = row + offset
        before = start[index] if 0 <= index < len(start) else ""
        for column, ch in enumerate(line):
            if ch != " " and (column >= len(before) or before[column] != ch):
                cells.add((row, column))
    return frozenset(cells)


START, END = "Start", "End"

def captions(count: int) -> tuple[str, ...]:
    """The words over each drawing: none for one picture, `Start` and `End` for two."""
    return ("",) if count == 1 else (START, END)


# A piece of a row: its text and whether it is the moving part (drawn bold, or in colour).
Segment = tuple[str, bool]


def _segments(row: str, marked: set[int]) -> list[Segment]:
    pieces: list[Segment] = []
    for column, ch in enumerate(row):
        moving = column in marked or ch in ARROWS
        if pieces and pieces[-1][1] == moving:
            pieces[-1] = (pieces[-1][0] + ch, moving)
        else:
            pieces.append((ch, moving))
    return pieces


def marked_rows(drawings: tuple[tuple[str, ...], ...]) -> list[list[list[Segment]]]:
    """Each drawing's rows as segments: in the end drawing the cells that differ from the
    start are marked as moving, and every arrow is."""
    cells = moving_cells(drawings[0], drawings[1]) if len(drawings) == 2 else frozenset()
    result = []
    for index, rows in enumerate(drawings):
        mine = cells if index == 1 else frozenset()
        result.append([_segments(row, {c for r, c in mine if r == number})
                       for number, row in enumerate(rows)])
    return result


def picture_lines(drawings: tuple[tuple[str, ...], ...], room: int,
                  gap: int = 4) -> list[list[Segment]] | None:
    """The drawings laid out in `room` columns, as lines of segments: side by side with their
    floors level when they fit, else one above the other; `Start` and `End` over each when
    there are two. None when a drawing alone is wider than the room."""
    if not drawings or max(width(rows) for rows in drawings) > room:
        return None
    names = captions(len(drawings))
    widths = [max(width(rows), len(name)) for rows, name in zip(drawings, names, strict=True)]
    marked = marked_rows(drawings)
    lines: list[list[Segment]] = []
    if sum(widths) + gap * (len(drawings) - 1) <= room:
        if any(names):
            lines.append([((" " * gap).join(name.ljust(w) for name, w in zip(names, widths,
                                                                             strict=True)),
                           False)])
        height = max(len(rows) for rows in drawings)
        padded: list[list[list[Segment]]] = [[[] for _ in range(height - len(rows))] + rows
                                             for rows in marked]
        for number in range(height):
            line: list[Segment] = []
            for index, rows in enumerate(padded):
                row = rows[number]
                used = sum(len(text) for text, _ in row)
                line += row
                if index < len(padded) - 1:
                    line.append((" " * (widths[index] - used + gap), False))
            lines.append(line)
        return lines
    for index, rows in enumerate(marked):
        if index:
            lines.append([])
        if names[index]:
            lines.append([(names[index], False)])
        lines += rows
    return lines
