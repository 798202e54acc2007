"""`show` draws the position: start and end side by side on a wide page, one above the other
on a narrow one, in the user's own exercises too; --no-picture leaves the drawing out."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.library.catalog import load_catalog


def show(*args: str, columns: int = 80) -> Result:
    result = CliRunner().invoke(app, ["show", *args], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result


def test_knee_to_chest_shows_start_and_end_side_by_side_before_the_steps() -> None:
    out = show("knee-to-chest").stdout
    picture = load_catalog(strict=False).exercises["knee-to-chest"].picture
    assert picture is not None
    lines = out.splitlines()
    caption = lines.index("  Start                        End")
    assert caption < lines.index("Steps")
    # The floor lines of start and end on one row, two spaces in from the page's edge.
    assert f"  {picture.start[-1]}    {picture.end[-1]}" in lines
    for row in picture.end:
        assert any(row.strip() in line for line in lines)


def test_a_narrow_page_stacks_the_drawings_and_a_tiny_one_leaves_them_out() -> None:
    lines = show("knee-to-chest", columns=40).stdout.splitlines()
    assert "  Start" in lines and "  End" in lines
    assert lines.index("  Start") < lines.index("  End") < lines.index("Steps")
    assert all(len(line) <= 40 for line in lines)
    tiny = show("knee-to-chest", columns=24).stdout
    assert "●" not in tiny and "Steps" in tiny


def test_no_picture_gives_the_words_only() -> None:
    out = show("knee-to-chest", "--no-picture").stdout
    assert "●" not in out and "Start" not in out
    assert "1. Lie on your back" in out


def test_json_carries_the_drawings() -> None:
    data = json.loads(show("chin-tuck", "--json").stdout)
    assert data["picture"]["start"][-1].startswith("▔")
    assert len(data["picture"]["end"]) == len(data["picture"]["start"])


def test_a_users_own_drawing_is_shown_and_a_bad_one_is_named(backcoach_home: Path) -> None:
    folder = backcoach_home / "exercises"
    folder.mkdir(parents=True)
    (folder / "wall-lean.yaml").write_text(
        "id: wall-lean\nname: Wall lean\nposition: standing\nsteps: [Lean on the wall.]\n"
        "picture: |2\n   ▐  ●\n   ▐ ╱│\n   ▐╱ │\n   ▐ ╱ ╲\n  ▔▔▔▔▔▔▔▔\n", encoding="utf-8")
    out = show("wall-lean").stdout
    assert "   ▐  ●" in out.splitlines()
    (folder / "bad-drawing.yaml").write_text(
        "id: bad-drawing\nname: Bad\nposition: lying\nsteps: [x]\npicture: |2\n"
        + "  ●\n" * 13, encoding="utf-8")
    result = CliRunner().invoke(app, ["validate"])
    assert result.exit_code == 2
    assert ("exercises/bad-drawing.yaml:5:10: picture has 13 rows; a picture may have at most "
            "12") in result.output
