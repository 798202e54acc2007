"""The README's "Reminders" section stays true: every `remind` example runs (with stand-ins for
the scheduler's programs), the `due` example is what `due` prints, and the `breaks` screen is
what the loop prints."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from tests.cli.test_remind import fakes
from tests.history_helpers import result, store_results
from tests.test_breaks import Day

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Reminders\n", 1)[1].split("\n## ", 1)[0]


def block_after(heading: str, kind: str) -> str:
    return SECTION.split(heading, 1)[1].split(f"```{kind}\n", 1)[1].split("```", 1)[0]


def test_every_remind_example_runs(tmp_path: Path, backcoach_home: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    fake = fakes(tmp_path, monkeypatch, backcoach_home.parent)
    monkeypatch.chdir(tmp_path)
    lines = [line.split("#", 1)[0].strip()
             for line in block_after("### `backcoach remind`", "sh").splitlines()]
    assert len(lines) == 7
    for line in lines:
        args = shlex.split(line)
        assert args[0] == "backcoach"
        done = CliRunner().invoke(app, args[1:])
        assert done.exit_code == 0, (line, done.output)
    assert (tmp_path / "back.ics").exists()
    assert fake.notes  # --test showed one
    assert not (backcoach_home / "reminders.json").exists()  # --off took them all away


def test_the_due_example(backcoach_home: Path) -> None:
    example = block_after("### `backcoach due`", "text").splitlines()
    assert example[0] == "$ backcoach due"
    store_results(backcoach_home / "history.sqlite3",
                  [result(datetime.now(UTC) - timedelta(days=n)) for n in (1, 2, 3)])
    done = CliRunner().invoke(app, ["due"])
    assert done.exit_code == 0
    assert done.output == example[1] + "\n"  # three days in a row, today still open


def test_the_breaks_screen() -> None:
    shown = block_after("### `backcoach breaks`", "text").splitlines()
    day = Day([(45 * 60 + 1, "q")], start=datetime(2026, 3, 10, 9, 30))
    assert day.run(minutes=4, during=(9 * 60, 17 * 60 + 30)) == 0
    assert day.lines[:3] == shown
