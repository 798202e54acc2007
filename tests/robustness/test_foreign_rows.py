"""History rows another program (or a person with sqlite3) wrote: left out, counted and said,
never a traceback or an escape sequence on the terminal; and a read-only history can always be
read and exported (issue 13, items 7 and 14)."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from tests.robustness.routines import QUICK
from tests.robustness.tally import add

RUN = ["run", "quick", "--speed", "50", "--pain-before", "3", "--pain-after", "2", "--output",
       "plain", "--no-sound"]
ESC = "\x1b"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    """Screened, a 10 s routine, one good session."""
    assert invoke("screen", "--clear").exit_code == 0
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(QUICK)
    assert invoke(*RUN).exit_code == 0
    return backcoach_home


GOOD = ("'quick', 'Quick check', '2024-06-03T07:00:00Z', NULL, 'done', 'finished', 10, 10, 1, "
        "3, 2, 'OK'")
# (what, the values of a sessions row): each one backcoach would never write.
FOREIGN = [
    ("a start that is not a date", GOOD.replace("'2024-06-03T07:00:00Z'", "'yesterday'")),
    ("a start that is a number", GOOD.replace("'2024-06-03T07:00:00Z'", "1.5")),
    ("a start in year 1", GOOD.replace("2024-06-03", "0001-01-01")),
    ("an hour-long session of 1e308 s", GOOD.replace("10, 10, 1", "10, 1e308, 1")),
    ("a negative time", GOOD.replace("10, 10, 1", "10, -5, 1")),
    ("text for a number", GOOD.replace("10, 10, 1", "10, 'ten', 1")),
    ("a pain of 99", GOOD.replace("3, 2, 'OK'", "99, 2, 'OK'")),
    ("a routine id that is a blob", GOOD.replace("'quick',", "x'00ff',", 1)),
]


def write_foreign(db: Path, rows: list[str], exercise_rows: list[str] = (),
                  screens: list[str] = ()) -> None:
    """Rows written with sqlite3 directly, past the table's CHECK constraints."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for values in rows:
        conn.execute("INSERT INTO sessions (routine_id, routine_name, started_at, ended_at, "
                     "status, end_reason, planned_seconds, elapsed_seconds, speed, pain_before, "
                     f"pain_after, screen_tier) VALUES ({values})")
    for values in exercise_rows:
        conn.execute(f"INSERT INTO exercise_results VALUES ({values})")
    for values in screens:
        conn.execute(f"INSERT INTO screens (taken_at, tier, answers) VALUES ({values})")
    conn.commit()
    conn.close()


def no_crash(done: Result) -> None:
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    assert "Traceback" not in done.output
    assert ESC not in done.output


@pytest.mark.parametrize("command", [["history"], ["history", "--json"], ["progress"],
                                     ["export"], ["export", "--format", "json"]])
def test_item_7_foreign_rows_are_left_out_and_counted(home: Path, command: list[str]) -> None:
    add("foreign_rows", len(FOREIGN) + 2)
    db = home / "history.sqlite3"
    write_foreign(db, [values for _, values in FOREIGN] + [GOOD],
                  exercise_rows=["1, 9, 'x', 'X', 'middle', 1, 1, 0, 0, 'done', NULL, NULL",
                                 "1, 10, 'y', 'Y', 'none', 1, 1, 0, 'lots', 'done', NULL, NULL"])
    done = invoke(*command)
    no_crash(done)
    assert done.exit_code == 0
    # history's table reads sessions only; progress reads the exercise rows of recent sessions
    # too (for the step up or down each routine has earned), export every exercise row
    rows = "" if command == ["history"] else "2 exercise rows and "
    assert (f"Warning: {rows}{len(FOREIGN)} sessions in {db} could not be read (written by "
            "another program or by hand?) and were left out.") in " ".join(done.stderr.split())
    if command == ["history", "--json"]:
        shown = json.loads(done.stdout)
        assert len(shown) == 2  # the session run here, and the good foreign one
        assert [len(s["exercises"]) for s in shown] == [1, 0]


def test_item_7_escape_sequences_in_names_are_shown_as_text(home: Path) -> None:
    add("foreign_rows")
    db = home / "history.sqlite3"
    write_foreign(db, [GOOD.replace("'Quick check'", "'Evil\x1b[2J\x1b]0;pwned\x07name'")])
    for command in (["history"], ["progress"], ["export"], ["history", "--json"]):
        done = invoke(*command)
        no_crash(done)
        assert done.exit_code == 0
        assert "\\u001b[2J" in done.stdout or command == ["progress"]
    assert "\x07" not in invoke("history").stdout


def test_item_7_the_run_summary_says_rows_were_left_out(home: Path) -> None:
    add("foreign_rows")
    db = home / "history.sqlite3"
    write_foreign(db, [FOREIGN[0][1].replace("'yesterday'", "'2999-99-99T00:00:00Z'")])
    done = invoke(*RUN)
    no_crash(done)
    assert done.exit_code == 0
    text = " ".join(done.stdout.split())
    assert "Well done." in text
    assert f"Warning: 1 session in {db} could not be read" in text


@pytest.mark.parametrize("answers", ["'not json'", "'[1, 2]'", "'{\"q\": \"no\"}'", "'null'"])
def test_item_7_an_unreadable_last_screen_means_asking_again(home: Path, answers: str) -> None:
    """Never an older screen in its place: the newest might have said stop."""
    add("foreign_rows")
    db = home / "history.sqlite3"
    write_foreign(db, [], screens=[f"'2999-01-01T00:00:00Z', 'OK', {answers}"])
    done = invoke(*RUN)
    no_crash(done)
    assert done.exit_code == 2
    assert done.stderr.startswith("Error: the safety questions need your answers")
    shown = invoke("show", "daily")
    assert shown.exit_code == 0


# ---------------------------------------------------------------------- item 14

@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """The folder read-only for real: a read-only bind mount as root, else permissions."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        bound = subprocess.run(["mount", "--bind", str(folder), str(folder)],
                               capture_output=True)
        if bound.returncode != 0:
            pytest.skip("cannot mount here (needs root)")
        try:
            subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True)
            yield
        finally:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        return
    modes = {path: path.stat().st_mode for path in [folder, *folder.iterdir()]}
    for path in modes:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


@pytest.mark.parametrize("command", [["history"], ["progress"], ["export"],
                                     ["export", "--format", "json"], ["show", "daily"]])
def test_item_14_a_read_only_history_can_be_read_and_exported(home: Path,
                                                              command: list[str]) -> None:
    add("storage_faults")
    db = home / "history.sqlite3"
    before = db.read_bytes()
    files = sorted(p.name for p in home.iterdir())
    with read_only(home):
        done = invoke(*command)
    no_crash(done)
    assert done.exit_code == 0, done.output
    assert "cannot write" not in done.output
    if command[0] == "export":
        assert "quick" in done.stdout
    assert db.read_bytes() == before
    assert sorted(p.name for p in home.iterdir()) == files  # no -wal or -shm made


def test_item_14_a_session_on_a_read_only_history_keeps_its_safety_answers(home: Path) -> None:
    """Without a terminal the screen cannot be taken again: it is read from the history."""
    add("storage_faults")
    db = home / "history.sqlite3"
    before = db.read_bytes()
    with read_only(home):
        done = invoke(*RUN)
    no_crash(done)
    assert done.exit_code == 0, done.output
    text = " ".join(done.stdout.split())
    assert "This session will run, but it will not be saved to your history." in text
    assert "Well done." in text
    assert db.read_bytes() == before
