"""Pictures of positions: the checks on a drawing, the shared vocabulary of the built-in ones,
and how start and end are laid out."""

from __future__ import annotations

import unicodedata

import pytest

from backcoach.library import pictures, schema
from backcoach.library.catalog import load_catalog
from backcoach.library.model import Picture
from tests.library.test_schema import problems


def exercise_with(picture_yaml: str) -> tuple[bool, list[str]]:
    text = "id: x\nname: X\nposition: lying\nsteps: [Do it.]\n" + picture_yaml
    _, ok, found = problems(text)
    return ok, found


def block(rows: list[str], key: str = "picture", indent: int = 0) -> str:
    pad = " " * (indent + 2)
    return f"{' ' * indent}{key}: |2\n" + "".join(f"{pad}{row}\n" for row in rows)


def test_a_drawing_at_the_limits_is_kept_row_by_row() -> None:
    rows = ["●" + "─" * 35] * 12
    ok, found = exercise_with(block(rows))
    assert ok, found
    values, _, _ = problems("id: x\nname: X\nposition: lying\nsteps: [x]\n" + block(rows))
    assert values["picture"] == Picture(tuple(rows))


@pytest.mark.parametrize(("rows", "message"), [
    (["x"] * 13, "picture has 13 rows; a picture may have at most 12"),
    (["x" * 37], "picture row 1 is 37 characters wide; a picture may be at most 36 wide"),
    (["ok", "a\tb"], "picture row 2 uses '\\u0009' (U+0009)"),
    (["人"], "picture row 1 uses '人' (U+4EBA)"),
    (["◽"], "picture row 1 uses '◽' (U+25FD)"),
    (["   ", " "], "nothing but spaces"),
])
def test_a_drawing_out_of_bounds_is_refused_with_where_and_why(rows: list[str],
                                                               message: str) -> None:
    ok, found = exercise_with(block(rows))
    assert not ok
    assert len(found) == 1 and message in found[0], found
    assert found[0].startswith("f.yaml:5:")


def test_start_and_end_both_needed_and_both_checked() -> None:
    ok, found = exercise_with("picture:\n" + block(["●─"], "start", 2))
    assert not ok and "picture is missing 'end'" in found[0]
    ok, found = exercise_with("picture:\n" + block(["●─"], "start", 2)
                              + block(["x" * 40], "end", 2))
    assert not ok and "end row 1 is 40 characters wide" in found[0]
    ok, found = exercise_with("picture: [a, b]\n")
    assert not ok and "must be a drawing written as a block" in found[0]
    ok, found = exercise_with("picture:\n" + block(["●─"], "start", 2) + block(["●╲"], "end", 2))
    assert ok, found


def test_every_allowed_character_is_one_cell_wide() -> None:
    for first, last in pictures.ALLOWED_RANGES:
        for code in range(first, last + 1):
            ch = chr(code)
            assert unicodedata.east_asian_width(ch) not in ("W", "F"), hex(code)
            assert unicodedata.category(ch) != "Cn", hex(code)


def test_the_json_schema_pattern_reads_the_limits() -> None:
    import re

    pattern = re.compile(schema.drawing_pattern())
    assert pattern.search("\n".join(["x" * 36] * 12) + "\n\n")
    assert not pattern.search("\n".join(["x"] * 13))
    assert not pattern.search("x" * 37)
    assert not pattern.search("  \n ")
    assert not pattern.search("a\tb")


BUILTIN = load_catalog(strict=False).exercises


@pytest.mark.parametrize("ident", sorted(BUILTIN))
def test_every_builtin_exercise_is_drawn_in_the_shared_vocabulary(ident: str) -> None:
    exercise = BUILTIN[ident]
    assert exercise.origin.builtin
    assert exercise.picture is not None, f"{ident} has no picture"
    for rows in exercise.picture.drawings:
        text = "\n".join(rows)
        assert text.count(pictures.HEAD) == 1, "one round head per figure"
        bottom = rows[-1].strip()
        seen_from_above = bottom.startswith(pictures.MAT_CORNERS[2])
        if seen_from_above:  # the mat is a frame around the figure
            assert rows[0].strip().startswith(pictures.MAT_CORNERS[0])
            assert bottom.endswith(pictures.MAT_CORNERS[3])
        else:
            assert set(bottom) == {pictures.FLOOR}, "the floor is a line along the bottom"
            assert pictures.FLOOR not in "".join(rows[:-1])
        assert len(rows) <= pictures.MAX_ROWS and pictures.width(rows) <= pictures.MAX_COLUMNS
    if exercise.picture.end:
        assert exercise.picture.end != exercise.picture.start
        assert any(ch in pictures.ARROWS for ch in "".join(exercise.picture.end)), \
            "the end shows the way of the movement with an arrow"
        # Drawn on the same floor: the start's and end's floor lines are as wide.
        assert rows[-1] == exercise.picture.start[-1]


DOORWAYS = sorted(i for i, e in BUILTIN.items() if "doorway" in e.equipment)


@pytest.mark.parametrize("ident", DOORWAYS)
def test_a_doorway_is_the_whole_frame_seen_from_the_front(ident: str) -> None:
    """A column of blocks beside a person was read as a wall to lean on; the whole frame (posts
    down to the floor under a lintel) reads as a doorway to stand in."""
    picture = BUILTIN[ident].picture
    assert picture is not None
    left, right = pictures.DOOR_CORNERS
    for rows in picture.drawings:
        top = rows[0].strip()
        assert top[0] == left and top[-1] == right
        assert set(top[1:-1]) == {pictures.DOOR_LINTEL}
        start, end = rows[0].index(left), rows[0].index(right)
        for row in rows[1:-1]:
            assert row[start] == pictures.WALL and row[end] == pictures.DOOR_RIGHT_POST, row
    # The hold is drawn inside the frame: forearms up against both posts.
    end_rows = picture.end or picture.start
    assert any(row[start + 1] == "│" and row[end - 1] == "│" for row in end_rows[1:-1])


KNEELING = sorted(i for i, e in BUILTIN.items() if e.position == "kneeling")


@pytest.mark.parametrize("ident", KNEELING)
def test_a_kneeling_figure_rests_a_knee_on_the_mat(ident: str) -> None:
    picture = BUILTIN[ident].picture
    assert picture is not None
    for rows in picture.drawings:
        assert pictures.KNEE_DOWN in rows[-2], "the knee sits on the row above the floor"
        assert pictures.KNEE_DOWN not in "".join(rows[:-2])


def test_moving_cells_are_what_differs_with_the_floors_laid_over_each_other() -> None:
    start = ("  ●", "──┘", "▔▔▔")
    end = (" ↑", "  ●", "──┘", "▔▔▔")
    # Bottom-aligned, only the arrow differs.
    assert pictures.moving_cells(start, end) == {(0, 1)}
    assert pictures.moving_cells(("●─",), ("●╲",)) == {(0, 1)}


def test_side_by_side_when_they_fit_else_one_above_the_other() -> None:
    drawings = (("●──", "▔▔▔"), ("  ↑", "●─╯", "▔▔▔"))
    wide = pictures.picture_lines(drawings, 20)
    assert wide is not None
    text = ["".join(t for t, _ in line).rstrip() for line in wide]
    assert text == ["Start    End", "           ↑", "●──      ●─╯", "▔▔▔      ▔▔▔"]
    moving = {t for line in wide for t, m in line if m}
    assert moving == {"↑", "╯"}
    narrow = pictures.picture_lines(drawings, 6)
    assert narrow is not None
    assert ["".join(t for t, _ in line) for line in narrow] == [
        "Start", "●──", "▔▔▔", "", "End", "  ↑", "●─╯", "▔▔▔"]
    assert pictures.picture_lines(drawings, 2) is None
    single = pictures.picture_lines((("●─",),), 10)
    assert single == [[("●─", False)]]


def test_the_row_scan_agrees_with_the_allowed_ranges_on_every_character() -> None:
    """`first_not_allowed` (one pattern, used by the schema) accepts exactly the characters of
    ALLOWED_RANGES, on every code point of the first three planes, surrogates aside."""

    def in_ranges(code: int) -> bool:
        return any(first <= code <= last for first, last in pictures.ALLOWED_RANGES)

    disagree = [code for code in range(0x30000) if not 0xD800 <= code <= 0xDFFF
                and (pictures.first_not_allowed(chr(code)) is None) != in_ranges(code)]
    assert disagree == []
    assert pictures.first_not_allowed("─┼─\t●") == "\t"
