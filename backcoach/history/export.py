"""Sessions as CSV (one row per exercise and side) and JSON (nested), with stable names.

The column names are a contract: spreadsheets, pandas scripts and physiotherapists' templates rely
on them. Add columns at the end; never rename or reorder.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from backcoach.history.db import utc_text
from backcoach.history.store import StoredExercise, StoredSession

FORMAT_NAME = "backcoach-history"
FORMAT_VERSION = 1

SESSION_COLUMNS = [
    "session_id",  # integer, unique in this history file
    "routine_id",
    "routine_name",
    "started_at",  # UTC, ISO-8601, e.g. 2024-06-03T07:15:00Z
    "ended_at",  # UTC; empty while a session was cut off before its end
    "local_date",  # the day the session started, in the exporting computer's time zone
    "session_status",  # done, partial or stopped
    "end_reason",
    "planned_seconds",
    "elapsed_seconds",  # real time spent, pauses included
    "speed",
    "pain_before",  # 0-10, empty when not given
    "pain_after",
    "screen_tier",  # outcome of the red-flag screen in force, empty when none
]
EXERCISE_COLUMNS = [
    "position",  # 1-based place of the exercise in the session
    "exercise_id",
    "exercise_name",
    "side",  # left, right or none
    "planned_reps",  # holds planned on this side
    "planned_hold",  # seconds per hold
    "reps_done",
    "seconds_held",
    "exercise_status",  # done, partial, skipped, stopped or not_reached
    "stop_reason",
    "exercise_pain",  # 0-10 reported during the exercise, empty when none
]
CSV_COLUMNS = SESSION_COLUMNS + EXERCISE_COLUMNS

# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...,
# @SUM(...)); OWASP's advice for CSV files is a ' in front, which shows the text as written.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A text cell that a spreadsheet would read as a formula, with a ' in front; any other
    value as it is (numbers stay numbers: -3 is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _session_fields(session: StoredSession, tz: tzinfo | None) -> dict[str, Any]:
    return {
        "session_id": session.id,
        "routine_id": session.routine_id,
        "routine_name": session.routine_name,
        "started_at": utc_text(session.started_at),
        "ended_at": utc_text(session.ended_at) if session.ended_at else None,
        "local_date": session.local_start(tz).date().isoformat(),
        "session_status": session.status,
        "end_reason": session.end_reason,
        "planned_seconds": session.planned_seconds,
        "elapsed_seconds": session.elapsed_seconds,
        "speed": session.speed,
        "pain_before": session.pain_before,
        "pain_after": session.pain_after,
        "screen_tier": session.screen_tier,
    }


def _exercise_cells(row: StoredExercise) -> list[Any]:
    """The exercise columns of a CSV row, in EXERCISE_COLUMNS' order: a stored row without its
    session id (the names differ, the order is the same; a test keeps them in step)."""
    return list(row[1:])


# The columns that hold free text (names, reasons): only these can start like a formula.
_SESSION_TEXT = [SESSION_COLUMNS.index(name) for name in
                 ("routine_id", "routine_name", "end_reason", "screen_tier")]
_EXERCISE_TEXT = [EXERCISE_COLUMNS.index(name) for name in
                  ("exercise_id", "exercise_name", "exercise_status", "stop_reason")]


def _safe_cells(row: list[Any], text_columns: list[int]) -> list[Any]:
    for index in text_columns:
        value = row[index]
        if isinstance(value, str) and value.startswith(FORMULA_STARTS):
            row[index] = "'" + value
    return row


def csv_text(sessions: Iterable[StoredSession], tz: tzinfo | None) -> str:
    """CSV with a header of CSV_COLUMNS: one row per exercise and side, with its session's
    columns repeated; a session without exercises gets one row with the exercise columns empty.
    Oldest session first. Empty cells mean no value; text that a spreadsheet would run as a
    formula gets a ' in front (`spreadsheet_safe`)."""
    buffer = io.StringIO()
    # Rows as lists, not csv.DictWriter: checking every row's keys against the header took
    # most of the time of exporting years of history. None is written as an empty cell.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    # A session's cells are the same on each of its rows: written as text once, and put in
    # front of each exercise's cells. Writing them again for every side of every exercise
    # was half the cells, and the writer's time, of exporting years of history.
    head_buffer = io.StringIO()
    head_writer = csv.writer(head_buffer, lineterminator="\n")  # quoting as in `writer`
    no_exercise = [None] * len(EXERCISE_COLUMNS)
    for session in sorted(sessions, key=lambda s: (s.started_at, s.id)):
        fields = _session_fields(session, tz)
        head_buffer.seek(0)
        head_buffer.truncate()
        head_writer.writerow(_safe_cells([fields[name] for name in SESSION_COLUMNS],
                                         _SESSION_TEXT))
        head = head_buffer.getvalue()[:-1] + ","
        if not session.exercises:
            buffer.write(head)
            writer.writerow(no_exercise)
        for row in session.exercises:
            buffer.write(head)
            writer.writerow(_safe_cells(_exercise_cells(row), _EXERCISE_TEXT))
    return buffer.getvalue()


def session_json(session: StoredSession, tz: tzinfo | None) -> dict[str, Any]:
    """A session as JSON: its fields, then `exercises`, each with its `sides`."""
    document = _session_fields(session, tz)
    document["exercises_done"] = session.exercises_done
    document["exercises_total"] = session.exercises_total
    exercises: list[dict[str, Any]] = []
    for row in session.exercises:
        if not exercises or exercises[-1]["position"] != row.position:
            exercises.append({
                "position": row.position, "exercise_id": row.exercise_id, "name": row.name,
                "status": row.status, "stop_reason": row.stop_reason, "pain": row.pain,
                "planned_reps": row.planned_reps, "planned_hold": row.planned_hold,
                "sides": []})
        exercises[-1]["sides"].append({"side": row.side, "reps_done": row.reps_done,
                                       "seconds_held": row.seconds_held})
    document["exercises"] = exercises
    return document


def json_document(sessions: Iterable[StoredSession], tz: tzinfo | None,
                  exported_at: datetime) -> dict[str, Any]:
    """The whole history as one JSON object: format, version, export time, sessions oldest first."""
    ordered = sorted(sessions, key=lambda s: (s.started_at, s.id))
    return {"format": FORMAT_NAME, "version": FORMAT_VERSION,
            "exported_at": utc_text(exported_at),
            "sessions": [session_json(session, tz) for session in ordered]}


def dumps(document: Any) -> str:
    """JSON text as backcoach prints it: indented, UTF-8 characters kept."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
