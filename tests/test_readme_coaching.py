"""README's "Getting better over weeks" stays true: its transcripts are replayed against the
program, and each number it states is the one the code uses."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history import goals
from backcoach.library import model
from backcoach.library.catalog import load_catalog
from backcoach.safety import progression

README = Path(__file__).resolve().parent.parent / "README.md"
DATES = (re.compile(r"\d{4}-\d{2}-\d{2}"), re.compile(r"\b\d{2} [A-Z][a-z]{2}\b"))


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Getting better over weeks\n", 1)[1].split("\n## ", 1)[0]


def blocks() -> list[list[str]]:
    return [block.splitlines() for block in re.findall(r"```text\n(.*?)```", section(), re.S)]


def transcripts() -> dict[str, list[str]]:
    """Output lines of each `$ backcoach ...` command of the section's text blocks."""
    found: dict[str, list[str]] = {}
    command = ""
    for lines in blocks():
        for line in lines:
            if line.startswith("$ "):
                command = line[2:]
                found[command] = []
            elif command:
                found[command].append(line)
        command = ""
    return found


def undated(lines: list[str]) -> list[str]:
    for pattern in DATES:
        lines = [pattern.sub("DATE", line) for line in lines]
    return lines


@pytest.fixture
def person(backcoach_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Someone using the platform's folders (no BACKCOACH_HOME), working in their home."""
    monkeypatch.delenv("BACKCOACH_HOME")
    home = backcoach_home.parent
    monkeypatch.chdir(home)
    return home


def run(*args: str) -> Result:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result


def said(command: str) -> list[str]:
    return transcripts()[command.removeprefix("backcoach ")]


def test_apply_and_undo_are_what_the_program_says(person: Path) -> None:
    run("screen", "--clear")
    for _ in range(3):
        run("run", "strength", "--speed", "1000", "--output", "jsonl", "--pain-before", "3",
            "--pain-after", "3")
    applied = run("progress", "--apply")
    assert applied.stdout.splitlines() == transcripts()["backcoach progress --apply"]
    path = person / ".config" / "backcoach" / "routines" / "strength.yaml"
    [entry] = [b for b in blocks() if b[0].startswith("  # ")]
    text = path.read_text(encoding="utf-8").splitlines()
    start = text.index(next(line for line in text if line.startswith("  # ")))
    assert undated(text[start:start + len(entry)]) == undated(entry)
    undone = run("progress", "--undo")
    assert undated(undone.stdout.splitlines()) == undated(
        transcripts()["backcoach progress --undo"])
    assert not path.exists()


def test_the_goals_transcript_is_what_the_program_says(person: Path) -> None:
    for command, lines in transcripts().items():
        if not command.startswith("backcoach goals"):
            continue
        result = run(*shlex.split(command)[1:])
        assert result.stdout.splitlines() == lines, command


def test_the_numbers_it_states_are_the_code() -> None:
    text = " ".join(section().split())
    assert f"after {progression.WINDOW} sessions of the routine in a row" in text
    assert (f"hold +{progression.HOLD_STEP} s up to {progression.STRETCH_HOLD_FIRST} s, reps "
            f"+1 up to {progression.STRETCH_MAX_REPS}, hold +{progression.HOLD_STEP} s up to "
            f"{progression.MAX_HOLD} s") in text
    assert (f"reps +1 up to {progression.STRENGTH_MAX_REPS}, hold +{progression.HOLD_STEP} s "
            f"up to {progression.STRENGTH_MAX_HOLD} s") in text
    assert f"reps +1 up to {progression.MOBILITY_MAX_REPS}" in text
    assert (f"hold -{progression.HOLD_STEP} s down to {progression.STRETCH_MIN_HOLD} s, reps "
            f"-1 down to {progression.MIN_REPS['stretch']}") in text
    assert (f"hold -{progression.HOLD_STEP} s down to {progression.STRENGTH_MIN_HOLD} s, reps "
            f"-1 down to {progression.MIN_REPS['strength']}") in text
    assert f"holds at most {progression.MAX_HOLD} s" in text
    low, high = model.LESSON_WORDS
    assert f"({low} to {high} words each" in text and f"`text` ({low}-{high} words)" in text
    assert "lists twelve short lessons" in text and len(load_catalog().lessons) == 12
    assert "up to five everyday activities" in text and goals.MAX_GOALS == 5
    assert (f"a change of {goals.MEANINGFUL_AVERAGE} points in the average is the smallest "
            f"that matters ({goals.MEANINGFUL_SINGLE} for one activity)") in text
    schedule = load_catalog().routine("strength").schedule
    assert schedule.days_per_week == 3 and "three days a week" in text
