"""The README's words on pictures, the handout, the report and FHIR stay true."""

from __future__ import annotations

from pathlib import Path

from backcoach.cli import COMMANDS
from backcoach.library import pictures
from backcoach.library.catalog import load_catalog

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README.split("### Pictures of positions")[1].split("### Field reference")[0]


def test_the_limits_and_the_vocabulary_are_the_code_s() -> None:
    assert f"at most {pictures.MAX_ROWS} rows of {pictures.MAX_COLUMNS} characters" in SECTION
    for glyph in (pictures.HEAD, pictures.FLOOR, pictures.WALL, pictures.KNEE_DOWN,
                  pictures.FOOT_FLAT, *pictures.MAT_CORNERS, pictures.DOOR_LINTEL,
                  pictures.DOOR_RIGHT_POST, *pictures.DOOR_CORNERS):
        assert f"`{glyph}`" in SECTION or glyph in SECTION
    for arrow in pictures.ARROWS:  # every arrow a drawing may use is named
        assert arrow in SECTION


def test_every_built_in_exercise_has_a_picture_as_the_readme_says() -> None:
    assert "Every built-in exercise has a picture of its position" in SECTION
    exercises = load_catalog(strict=False).exercises.values()
    assert all(e.picture is not None for e in exercises if e.origin.builtin)


def test_the_new_commands_and_the_fhir_codes_are_there() -> None:
    for command in ("handout", "report"):
        assert command in COMMANDS and f"backcoach {command} " in README
    from backcoach.history import fhir

    assert fhir.PAIN_CODE in README and fhir.EXERCISE_THERAPY[0] in README
