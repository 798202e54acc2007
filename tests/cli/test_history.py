"""history, progress and export through the command line."""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history.export import CSV_COLUMNS
from backcoach.safety import rules
from tests.history_helpers import result, store_results

NOW = datetime.now(UTC).replace(microsecond=0)


def cli(*args: str, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env or None)


def ok(*args: str, **env: str) -> Result:
    found = cli(*args, **env)
    assert found.exit_code == 0, found.output
    return found


@pytest.fixture
def history(backcoach_home: Path) -> Path:
    """Three sessions over the last days: done, stopped, and partial (cut off)."""
    path = backcoach_home / "history.sqlite3"
    done = result(NOW - timedelta(days=2), pain=(5, 3))
    stopped = result(NOW - timedelta(days=1), status="stopped", pain=(4, None),
                     exercise_statuses=("done", "stopped"))
    partial = result(NOW - timedelta(hours=1), status="partial", pain=(3, None),
                     exercise_statuses=("done", "not_reached", "skipped"))
    partial.ended_at = None
    store_results(path, [done, stopped, partial])
    return path


# ---------------------------------------------------------------- empty history

def test_empty_history_is_friendly_and_creates_nothing(backcoach_home: Path) -> None:
    found = ok("history")
    assert found.stdout.startswith("No sessions yet. Start one with `backcoach run`")
    assert ok("history", "--json").stdout == "[]\n"
    assert ok("progress").stdout.startswith("Nothing to show yet")
    assert not (backcoach_home / "history.sqlite3").exists()


def test_empty_export_has_the_header_only() -> None:
    assert ok("export").stdout == ",".join(CSV_COLUMNS) + "\n"
    document = json.loads(ok("export", "--format", "json").stdout)
    assert (document["format"], document["version"], document["sessions"]) == (
        "backcoach-history", 1, [])


# ---------------------------------------------------------------- history

def test_history_table(history: Path) -> None:
    found = ok("history", COLUMNS="100")
    lines = found.stdout.splitlines()
    assert lines[0].strip() == "Your sessions, newest first"
    rows = [line for line in lines if "Daily" in line]
    assert len(rows) == 3
    assert "partial 1/3" in rows[0] and "3 → ?" in rows[0]
    assert "stopped 1/2" in rows[1]
    assert "done 2/2" in rows[2] and "5 → 3" in rows[2] and " 10 " in rows[2]


def test_history_narrow_keeps_every_field(history: Path) -> None:
    lines = ok("history", "--limit", "1", COLUMNS="40").stdout.splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert lines[2] == "  Daily"
    assert lines[3].startswith("  10 min · partial 1/3 · pain 3 → ?")
    assert "1 of 3 sessions" in lines[4]


def test_history_in_another_zone(history: Path) -> None:
    tokyo = ok("history", "--tz", "Asia/Tokyo", COLUMNS="100").stdout
    latest = (NOW - timedelta(hours=1)).astimezone(ZoneInfo("Asia/Tokyo"))
    assert latest.strftime("%a %d %b %Y %H:%M") in tokyo


def test_history_json(history: Path) -> None:
    sessions = json.loads(ok("history", "--json").stdout)
    assert [s["session_status"] for s in sessions] == ["partial", "stopped", "done"]
    latest = sessions[0]
    assert latest["started_at"] == (NOW - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert latest["ended_at"] is None
    assert (latest["pain_before"], latest["pain_after"]) == (3, None)
    assert [e["status"] for e in latest["exercises"]] == ["done", "not_reached", "skipped"]
    assert [s["side"] for s in latest["exercises"][0]["sides"]] == ["left", "right"]
    assert latest["exercises"][1]["sides"] == [{"side": "none", "reps_done": 0,
                                                "seconds_held": 0.0}]
    assert len(json.loads(ok("history", "--json", "--limit", "2").stdout)) == 2


def test_unknown_time_zone_is_bad_input(history: Path) -> None:
    found = cli("history", "--tz", "Mars/Olympus")
    assert found.exit_code == 2
    assert found.stderr == ("Error: unknown time zone 'Mars/Olympus'; use a name such as "
                            "Europe/London or America/New_York\n")


def test_a_foreign_history_file_is_a_clear_error(backcoach_home: Path) -> None:
    path = backcoach_home / "history.sqlite3"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"not a database at all" * 10)
    for command in ("history", "progress", "export"):
        found = cli(command)
        assert found.exit_code == 1
        assert found.stderr == (f"Error: {path} is not an SQLite database, so not backcoach "
                                "history; it was left untouched. To start afresh, move it aside "
                                "(for example rename it to history.sqlite3.bak) and backcoach "
                                "starts a new one\n")
    assert path.read_bytes() == b"not a database at all" * 10


# ---------------------------------------------------------------- progress

def test_progress_names_what_was_skipped_or_stopped_lately_not_years_ago(
        backcoach_home: Path) -> None:
    # Exercise 0 was stopped often half a year ago and done since; exercise 1 was skipped
    # last week. Only the last 12 weeks count: what someone is avoiding now.
    old = [result(NOW - timedelta(days=180 + n), exercise_statuses=("stopped", "done"))
           for n in range(5)]
    recent = [result(NOW - timedelta(days=n), exercise_statuses=("done", "skipped"))
              for n in range(1, 4)]
    store_results(backcoach_home / "history.sqlite3", [*old, *recent])
    text = ok("progress", COLUMNS="80").stdout
    assert "Skipped or stopped most often, last 12 weeks\n  Exercise 1: skipped 3 of 3 times\n" \
        in text
    assert "Exercise 0:" not in text
    data = json.loads(ok("progress", "--json").stdout)
    assert [(t["exercise_id"], t["times"], t["skipped"], t["stopped"])
            for t in data["skipped_or_stopped"]] == [("ex-1", 3, 3, 0)]
    assert data["sessions_total"] == 8  # every session still counts in the totals



def test_progress_page(history: Path) -> None:
    found = ok("progress", COLUMNS="80")
    text = found.stdout
    # D-2, D-1 and an hour ago: today, or yesterday just after midnight
    days = len({(NOW - gap).astimezone().date()
                for gap in (timedelta(days=2), timedelta(days=1), timedelta(hours=1))})
    assert text.startswith(f"Streak: {days} days · longest {days} days\n")
    assert "Time: " in text and "over 3 sessions." in text
    assert "Pain before and after sessions\n0-10 a day, last 8 weeks; · no report\n" in text
    before = next(line for line in text.splitlines() if line.startswith("before  "))
    assert len(before) == 8 + 56
    assert "Skipped or stopped most often, last 12 weeks\n" in text
    assert "  Exercise 1: stopped 1 of 3 times" in text
    assert "  Exercise 2: skipped 1 of 1 time" in text
    assert "Sessions a day, last 12 weeks\n· none  ░ 1  ▒ 2  █ 3 or more\n" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_progress_fits_40_columns(history: Path) -> None:
    text = ok("progress", COLUMNS="40").stdout
    assert all(len(line) <= 40 for line in text.splitlines()), text
    before = next(line for line in text.splitlines() if line.startswith("before  "))
    assert len(before) == 8 + 28


def test_progress_passes_the_episode_trend_to_the_one_advice(
        history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[rules.Facts] = []
    advise = rules.advise

    def spy(facts: rules.Facts) -> rules.Advice:
        calls.append(facts)
        return rules.Advice(advise(facts).kind, ("See a physiotherapist about it.",))

    monkeypatch.setattr(rules, "advise", spy)
    text = ok("progress").stdout
    assert text.rstrip().endswith("See a physiotherapist about it.")
    [facts] = calls
    assert (facts.pain_before, facts.pain_after, facts.stops) == (None, None, ())
    assert facts.episode_start == (NOW - timedelta(days=2)).astimezone().date()
    assert facts.trend is not None and facts.trend.current == 4.0  # (5 + 4 + 3) / 3
    assert facts.today in {datetime.now().astimezone().date(), datetime.now(UTC).date()}


def test_progress_says_when_pain_has_lasted_over_six_weeks(backcoach_home: Path) -> None:
    now = datetime.now(UTC)
    store_results(backcoach_home / "history.sqlite3",
                  [result(now - timedelta(days=days), pain=(5, 5)) for days in (45, 25, 5)])
    assert "You have had this pain for more than 6 weeks" in ok("progress").stdout


def test_item_5_progress_counts_from_when_the_pain_began(backcoach_home: Path) -> None:
    """Someone in pain for a year gets the persistent-pain advice from their first session."""
    from backcoach.history.store import HistoryStore
    from backcoach.session.result import PainOnset

    now = datetime.now(UTC)
    store_results(backcoach_home / "history.sqlite3", [result(now - timedelta(hours=2),
                                                             pain=(5, 5))])
    assert "persistent" not in ok("progress").stdout
    with HistoryStore.open() as store:
        store.record_onset(PainOnset(now - timedelta(hours=3), "over-12-weeks"))
    assert "more than 12 weeks, which makes it persistent" in " ".join(
        ok("progress").stdout.split())


# ---------------------------------------------------------------- export

def test_export_csv_round_trip(history: Path) -> None:
    text = ok("export").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == CSV_COLUMNS
    assert len(rows) == 3 + 3 + 5  # sides: 2+1, 2+1, 2+1+2
    assert [r["session_status"] for r in rows][::3][:2] == ["done", "stopped"]
    first = rows[0]
    assert (first["session_id"], first["routine_id"], first["side"], first["reps_done"],
            first["seconds_held"], first["pain_before"], first["pain_after"]) == (
        "1", "daily", "left", "2", "60.0", "5", "3")
    assert first["started_at"] == (NOW - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    stopped = [r for r in rows if r["exercise_status"] == "stopped"]
    assert [(r["stop_reason"], r["exercise_pain"]) for r in stopped] == [("hurts", "6")]
    assert rows[-1]["ended_at"] == "" and rows[-1]["pain_after"] == ""


def test_export_csv_exercise_cells_are_the_stored_values_under_their_names(
        history: Path) -> None:
    """Every exercise cell of every row is the stored value its column names (the CSV is
    built from the stored row by position, so a field added out of order would show here)."""
    from backcoach.history.export import EXERCISE_COLUMNS
    from backcoach.history.store import HistoryStore

    stored_name = {"exercise_name": "name", "exercise_status": "status",
                   "exercise_pain": "pain"}
    rows = list(csv.DictReader(io.StringIO(ok("export").stdout)))
    with HistoryStore.open() as store:
        sessions = sorted(store.sessions(), key=lambda s: (s.started_at, s.id))  # oldest first
        stored = [row for session in sessions for row in session.exercises]
    assert len(rows) == len(stored)
    for cells, row in zip(rows, stored, strict=True):
        assert cells["session_id"] == str(row.session_id)
        for column in EXERCISE_COLUMNS:
            value = getattr(row, stored_name.get(column, column))
            assert cells[column] == ("" if value is None else str(value)), column


def test_export_json_file(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"  # the suffix picks the format
    found = ok("export", "--output", str(target))
    assert found.stdout == ""
    assert found.stderr == f"Wrote 3 sessions to {target}.\n"
    document = json.loads(target.read_text(encoding="utf-8"))
    assert [s["session_status"] for s in document["sessions"]] == ["done", "stopped", "partial"]
    assert document["sessions"][0]["exercises"][0]["sides"][1] == {
        "side": "right", "reps_done": 2, "seconds_held": 60.0}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]


def test_export_never_leaves_a_partial_file(history: Path, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "history.csv"
    target.write_text("the previous export\n", encoding="utf-8")

    def broken_replace(source: Any, destination: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    found = cli("export", "--output", str(target), "--force")
    assert found.exit_code == 1
    assert found.stderr == f"Error: cannot write {target}: No space left on device\n"
    assert target.read_text(encoding="utf-8") == "the previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv"]


def test_export_into_a_missing_folder(history: Path, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "history.csv"
    found = cli("export", "-o", str(target))
    assert found.exit_code == 2  # a path the person typed: bad input
    assert found.stderr == (f"Error: cannot write {target}: the folder {target.parent} does not "
                            "exist\n")


def test_export_format_is_checked(history: Path) -> None:
    found = cli("export", "--format", "xlsx")
    assert found.exit_code == 2
    assert found.stderr == "Error: --format takes csv, json or fhir, got 'xlsx'\n"


def test_export_csv_writes_each_session_once_as_every_row_would(backcoach_home: Path) -> None:
    """The session's cells are written once and put in front of each exercise row: the file
    is the one a writer of whole rows gives, with commas, quotes, line breaks and formula
    starts in the session's text, and for a session without exercise rows."""
    from backcoach.history import export
    from backcoach.history.store import HistoryStore

    tricky = result(NOW - timedelta(days=3))
    tricky.routine_id, tricky.routine_name = "with,comma", '=SUM(A1) "quoted"'
    tricky.end_reason = "line\nbreak, and \"quotes\""
    empty = result(NOW - timedelta(days=2), exercise_statuses=())
    empty.routine_name = "-starts like a formula"
    store_results(backcoach_home / "history.sqlite3", [tricky, empty, result(NOW)])
    text = ok("export", "--format", "csv").stdout
    with HistoryStore.open_for_reading(backcoach_home / "history.sqlite3") as store:
        sessions = sorted(store.sessions(), key=lambda s: (s.started_at, s.id))
    expected = io.StringIO()
    writer = csv.writer(expected, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for session in sessions:
        fields = export._session_fields(session, None)
        base = [export.spreadsheet_safe(fields[name]) for name in export.SESSION_COLUMNS]
        for row in session.exercises or [None]:
            cells = list(row[1:]) if row is not None else [None] * len(export.EXERCISE_COLUMNS)
            writer.writerow(base + [export.spreadsheet_safe(cell) for cell in cells])
    assert text == expected.getvalue()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["routine_name"] == "'=SUM(A1) \"quoted\"" and rows[0]["routine_id"] == \
        "with,comma"
    assert len(rows) == 3 + 1 + 3  # the session without exercises still has its row
