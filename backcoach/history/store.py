"""The session history, open: write a session as it goes, read sessions, tallies and the
safety state back.

The file itself (where it lives, opening and checking it, migrations, StorageError and its
messages, stored times) is `db`. Rows are read by column name: every column a query returns is
named with AS, the names are the fields of the value it becomes, and the positions come from
the cursor's description, once per query (sqlite3.Row, which looks each name up per row and
column, read ten years of history about a third slower when measured).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, tzinfo
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from backcoach.history import db
from backcoach.history.db import StorageError, default_path, parse_utc, utc_text
from backcoach.history.rows import (
    MAX_SECONDS,
    MAX_SPEED,
    MAX_TEXT,
    SESSION_STATUSES,
    SIDES,
    ForeignRow,
    stored_moment,
    stored_number,
    stored_text,
    stored_whole,
)
from backcoach.history.screens import LAST_SCREEN_SQL, read_last_screen, screen_record
from backcoach.session.outcomes import NO_SIDE
from backcoach.session.safety_record import PainOnset, ScreenRecord

if TYPE_CHECKING:  # for annotations: a session's start loads neither module for the store
    from backcoach.history.goals import Goal  # loaded by the goals query (`goals`)
    from backcoach.session.result import ExerciseResult, SessionResult  # written only

# Kept here for the code that imports them from the store (app.py, export, the CLI).
__all__ = ["DoseChange", "ExerciseTally", "GoalLimit", "HistoryStore", "LastResult",
           "ProgressRow", "SessionPoint", "StorageError", "StoredExercise", "StoredSession",
           "default_path", "parse_utc", "read_last_screen", "utc_text"]


# --- stored values ---------------------------------------------------------------------------

class ProgressRow(NamedTuple):
    """A session as `progress` reads it, and no more: its routine, when it started (UTC), time
    spent, pain before and after, and whether any exercise was worked on (a day that counts)."""

    routine_id: str
    routine_name: str
    started_at: datetime
    elapsed_seconds: float
    pain_before: int | None
    pain_after: int | None
    active: bool


# A session as the whole-history figures of `progress` read it: when it started (UTC), whether
# it counts for a streak, time spent, pain before and after. A plain tuple: ten years are 3,650.
SessionPoint = tuple[datetime, bool, float, int | None, int | None]


class StoredExercise(NamedTuple):
    """One exercise on one side ('left', 'right' or 'none') of a stored session.

    A named tuple, not a frozen dataclass: `export` reads tens of thousands of these, and a
    frozen dataclass's __init__ (a setattr per field) cost about a fifth of its time."""

    session_id: int
    position: int  # 1-based place in the session
    exercise_id: str
    name: str
    side: str
    planned_reps: int
    planned_hold: int
    reps_done: int
    seconds_held: float
    status: str
    stop_reason: str | None
    pain: int | None


class StoredSession(NamedTuple):
    """A stored session with counts over its exercises; `exercises` is empty unless asked for."""

    id: int
    routine_id: str
    routine_name: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    end_reason: str
    planned_seconds: float
    elapsed_seconds: float
    speed: float
    pain_before: int | None
    pain_after: int | None
    screen_tier: str | None
    exercises_total: int = 0
    exercises_done: int = 0
    active: bool = False  # at least one exercise done or partly done: the day counts for a streak
    exercises: tuple[StoredExercise, ...] = ()

    def local_start(self, tz: tzinfo | None) -> datetime:
        """The start in the given zone (None: this computer's local time)."""
        return self.started_at.astimezone(tz)


class LastResult(NamedTuple):
    """How an exercise went the last time it was worked on (or left out for safety)."""

    exercise_id: str
    name: str
    status: str
    stop_reason: str | None
    started_at: datetime


class ExerciseTally(NamedTuple):
    """How often an exercise was in a session, and how often it was skipped or stopped."""

    exercise_id: str
    name: str
    times: int
    skipped: int
    stopped: int


# SQLite's integers are 64-bit: a larger Python int (`--limit 99999999999999999999`) fails.
_SQLITE_MAX_INTEGER = 2**63 - 1


# --- columns ---------------------------------------------------------------------------------

# The columns of a sessions row that a SessionResult writes (all but the id), by name.
_SESSION_WRITTEN = ("routine_id", "routine_name", "started_at", "ended_at", "status",
                    "end_reason", "planned_seconds", "elapsed_seconds", "speed", "pain_before",
                    "pain_after", "screen_tier")
# An exercise_results row: the same names as StoredExercise's fields, in the same order.
_EXERCISE_FIELDS = StoredExercise._fields

_COUNTS = (
    "(SELECT COUNT(DISTINCT e.position) FROM exercise_results e WHERE e.session_id = s.id) "
    "AS exercises_total, "
    "(SELECT COUNT(DISTINCT e.position) FROM exercise_results e "
    " WHERE e.session_id = s.id AND e.status = 'done') AS exercises_done"
)


def _session_columns(counts: bool = True) -> str:
    """The columns _session_row reads; without counts, 0 stands in for both (cheaper)."""
    own = ", ".join(f"s.{name} AS {name}" for name in ("id", *_SESSION_WRITTEN))
    # `active` is kept by triggers (db._add_active_flag) as the exercise rows are written.
    return (f"{own}, {_COUNTS if counts else '0 AS exercises_total, 0 AS exercises_done'}, "
            "s.active AS active")


_SESSION_COLUMNS = _session_columns()
_EXERCISE_COLUMNS = ", ".join(f"{name} AS {name}" for name in _EXERCISE_FIELDS)


def _session_row(row: Mapping[str, Any],
                 exercises: tuple[StoredExercise, ...] = ()) -> StoredSession:
    """A session from its row; ForeignRow when a value is not one backcoach writes."""
    started, routine_id, name, reason = (row["started_at"], row["routine_id"],
                                         row["routine_name"], row["end_reason"])
    planned, elapsed, speed = row["planned_seconds"], row["elapsed_seconds"], row["speed"]
    before, after, tier = row["pain_before"], row["pain_after"], row["screen_tier"]
    # A row backcoach wrote passes in one expression (ten years are 3,650 rows); only the
    # times are parsed, as they always were, and any other row is checked value by value.
    if (type(started) is str and len(started) == 20 and row["status"] in SESSION_STATUSES
            and type(routine_id) is str and type(name) is str and type(reason) is str
            and type(planned) is float and type(elapsed) is float and type(speed) is float
            and 0 <= planned <= MAX_SECONDS and 0 <= elapsed <= MAX_SECONDS
            and 0 < speed <= MAX_SPEED
            and (before is None or (type(before) is int and 0 <= before <= 10))
            and (after is None or (type(after) is int and 0 <= after <= 10))
            and (tier is None or (type(tier) is str and tier.isprintable()))
            and routine_id.isprintable() and name.isprintable() and reason.isprintable()
            and len(name) <= MAX_TEXT and len(routine_id) <= MAX_TEXT):
        try:
            moment = parse_utc(started)
            ended = parse_utc(row["ended_at"]) if row["ended_at"] else None
        except (TypeError, ValueError, OverflowError):
            moment = None
        if moment is not None and 1970 <= moment.year <= 9000 \
                and (ended is None or 1970 <= ended.year <= 9000):
            return StoredSession(
                id=row["id"], routine_id=routine_id, routine_name=name, started_at=moment,
                ended_at=ended, status=row["status"], end_reason=reason,
                planned_seconds=planned, elapsed_seconds=elapsed, speed=speed,
                pain_before=before, pain_after=after, screen_tier=tier,
                exercises_total=row["exercises_total"], exercises_done=row["exercises_done"],
                active=bool(row["active"]), exercises=exercises)
    if row["status"] not in SESSION_STATUSES:
        raise ForeignRow(f"unknown status {row['status']!r}")
    return StoredSession(
        id=stored_whole(row["id"], 0, _SQLITE_MAX_INTEGER),
        routine_id=stored_text(row["routine_id"]),
        routine_name=stored_text(row["routine_name"]),
        started_at=stored_moment(row["started_at"]),
        ended_at=stored_moment(row["ended_at"]) if row["ended_at"] else None,
        status=row["status"], end_reason=stored_text(row["end_reason"]),
        planned_seconds=stored_number(row["planned_seconds"], 0, MAX_SECONDS),
        elapsed_seconds=stored_number(row["elapsed_seconds"], 0, MAX_SECONDS),
        speed=stored_number(row["speed"], 0, MAX_SPEED),
        pain_before=stored_whole(row["pain_before"], 0, 10, optional=True),
        pain_after=stored_whole(row["pain_after"], 0, 10, optional=True),
        screen_tier=stored_text(row["screen_tier"], optional=True),
        exercises_total=row["exercises_total"], exercises_done=row["exercises_done"],
        active=bool(row["active"]), exercises=exercises)


def _plain_progress_values(routine_id: Any, name: Any, started: Any, elapsed: Any,
                           before: Any, after: Any) -> bool:
    """Whether a row's values are of the types and ranges backcoach writes, in one expression
    (the time's calendar and how the names show are checked by the caller)."""
    return (type(started) is str and len(started) == 20 and type(routine_id) is str
            and type(name) is str and type(elapsed) is float and 0 <= elapsed <= MAX_SECONDS
            and (before is None or (type(before) is int and 0 <= before <= 10))
            and (after is None or (type(after) is int and 0 <= after <= 10)))


def _progress_row(routine_id: Any, name: Any, started: Any, elapsed: Any, before: Any,
                  after: Any, active: bool) -> ProgressRow:
    """A light row for `progress`; ForeignRow when a value is not one backcoach writes. A row
    backcoach wrote passes one expression, as in _session_row."""
    if (_plain_progress_values(routine_id, name, started, elapsed, before, after)
            and routine_id.isprintable() and name.isprintable()
            and len(name) <= MAX_TEXT and len(routine_id) <= MAX_TEXT):
        try:
            moment = parse_utc(started)
        except (TypeError, ValueError, OverflowError):
            moment = None
        if moment is not None and 1970 <= moment.year <= 9000:
            return ProgressRow(routine_id, name, moment, elapsed, before, after, active)
    return ProgressRow(stored_text(routine_id), stored_text(name), stored_moment(started),
                       stored_number(elapsed, 0, MAX_SECONDS),
                       stored_whole(before, 0, 10, optional=True),
                       stored_whole(after, 0, 10, optional=True), active)


def _exercise_row(values: Sequence[Any]) -> StoredExercise:
    """An exercise row from its values, in StoredExercise's order; ForeignRow when a value is
    not one backcoach writes."""
    (session_id, position, exercise_id, name, side, planned_reps, planned_hold, reps_done,
     seconds_held, status, stop_reason, pain) = values
    # The rows backcoach wrote, checked in one expression: export reads tens of thousands,
    # and a call per value cost a tenth of its time.
    if (type(position) is int and type(planned_reps) is int and type(planned_hold) is int
            and type(reps_done) is int and type(seconds_held) is float
            and 0 < position <= 100_000 and 0 <= planned_reps <= 100_000
            and 0 <= planned_hold <= 100_000 and 0 <= reps_done <= 1_000_000
            and 0 <= seconds_held <= MAX_SECONDS and side in SIDES
            and (pain is None or (type(pain) is int and 0 <= pain <= 10))
            and type(exercise_id) is str and type(name) is str and type(status) is str
            and (stop_reason is None or (type(stop_reason) is str
                                         and stop_reason.isprintable()))
            and exercise_id.isprintable() and name.isprintable() and status.isprintable()
            and len(name) <= MAX_TEXT and len(exercise_id) <= MAX_TEXT):
        return StoredExercise(*values)
    if side not in SIDES:
        raise ForeignRow(f"unknown side {side!r}")
    return StoredExercise(
        session_id, stored_whole(position, 1, 100_000), stored_text(exercise_id),
        stored_text(name), side,
        stored_whole(planned_reps, 0, 100_000), stored_whole(planned_hold, 0, 100_000),
        stored_whole(reps_done, 0, 1_000_000), stored_number(seconds_held, 0, MAX_SECONDS),
        stored_text(status), stored_text(stop_reason, optional=True),
        stored_whole(pain, 0, 10, optional=True))


def _records(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Every row of the cursor as a mapping from column name to value."""
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _record(cursor: sqlite3.Cursor) -> dict[str, Any] | None:
    """The first row of the cursor as a mapping from column name to value, or None."""
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip((column[0] for column in cursor.description), row, strict=True))


def _by_name(cursor: sqlite3.Cursor, names: Sequence[str]) -> Callable[[Any], Any]:
    """Takes the columns `names` out of each row of `cursor`, in that order, by column name.

    For the bulk read of exercise rows (tens of thousands over ten years): the positions are
    looked up once per query, and no mapping is made per row.
    """
    where = {column[0]: index for index, column in enumerate(cursor.description)}
    return itemgetter(*(where[name] for name in names))


def _exercise_values(session_id: int, position: int,
                     ex: ExerciseResult) -> list[dict[str, Any]]:
    """The rows of one exercise: one per side it is done on, in order, or one 'none' row."""
    sides = list(ex.sides) or [NO_SIDE]
    sides += [side for side in ex.held if side not in sides]
    rows = []
    for side in sides:
        held = ex.held.get(side)
        rows.append({"session_id": session_id, "position": position,
                     "exercise_id": ex.exercise_id, "name": ex.name, "side": side,
                     "planned_reps": ex.planned_reps, "planned_hold": ex.planned_hold,
                     "reps_done": held.reps_done if held else 0,
                     "seconds_held": round(held.seconds_held, 3) if held else 0.0,
                     "status": ex.status, "stop_reason": ex.stop_reason, "pain": ex.pain})
    return rows


def _session_values(result: SessionResult) -> dict[str, Any]:
    return {"routine_id": result.routine_id, "routine_name": result.routine_name,
            "started_at": utc_text(result.started_at),
            "ended_at": utc_text(result.ended_at) if result.ended_at else None,
            "status": result.status, "end_reason": result.end_reason,
            "planned_seconds": result.planned_seconds,
            "elapsed_seconds": round(result.elapsed_seconds, 3), "speed": result.speed,
            "pain_before": result.pain_before, "pain_after": result.pain_after,
            "screen_tier": result.screen_tier}


def _placeholders(names: Sequence[str]) -> str:
    return ", ".join(f":{name}" for name in names)


_INSERT_SESSION = (f"INSERT INTO sessions ({', '.join(_SESSION_WRITTEN)}) "
                   f"VALUES ({_placeholders(_SESSION_WRITTEN)})")
_UPDATE_SESSION = ("UPDATE sessions SET " + ", ".join(f"{name} = :{name}"
                                                      for name in _SESSION_WRITTEN)
                   + " WHERE id = :id")
_INSERT_EXERCISE = (f"INSERT INTO exercise_results ({', '.join(_EXERCISE_FIELDS)}) "
                    f"VALUES ({_placeholders(_EXERCISE_FIELDS)})")


# --- the store -------------------------------------------------------------------------------

class HistoryStore:
    """The history file, open. Use `HistoryStore.open()`, ideally in a `with` block."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path
        # Rows left out because they hold values backcoach never writes, by kind (sessions,
        # exercise rows, safety checks): each row once, however often it was read.
        self.skipped: dict[str, set[Any]] = {}

    # opening ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> HistoryStore:
        """Open (creating when absent) and upgrade the history file; StorageError if unusable."""
        path = Path(path) if path is not None else default_path()
        return cls(db.connect(path), path)

    @classmethod
    def open_for_reading(cls, path: Path | None = None) -> HistoryStore:
        """Open an existing history file for reading only: works when the file or its folder
        is read-only (a backup), and creates nothing. StorageError if unusable."""
        path = Path(path) if path is not None else default_path()
        return cls(db.connect_for_reading(path), path)

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the file, in the order they were applied."""
        return db.applied_migrations(self._conn, self.path)

    # lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _guard(self) -> AbstractContextManager[None]:
        """Turn sqlite3 errors into StorageError naming the file."""
        return db.guard(self.path)

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction on this store's connection."""
        with db.transaction(self._conn, self.path) as conn:
            yield conn

    # sessions ---------------------------------------------------------------------------------

    def begin(self, result: SessionResult) -> int:
        """Record a session as it starts (status 'partial', planned exercises); return its id."""
        with self._transaction() as conn:
            # Until save() says otherwise, it is unfinished.
            cursor = conn.execute(_INSERT_SESSION, {**_session_values(result),
                                                    "status": "partial"})
            session_id = cursor.lastrowid
            assert session_id is not None
            self._write_exercises(conn, session_id, result)
        return session_id

    def save(self, session_id: int, result: SessionResult,
             changed: Iterable[int] | None = None) -> None:
        """Write the session's current state in one transaction: its row, and the rows of the
        exercises at the 0-based places `changed` (None: every exercise). A step changes one
        or two exercises, so a save during a session costs the same in the first minute of a
        long routine as in the last."""
        with self._transaction() as conn:
            cursor = conn.execute(_UPDATE_SESSION, {**_session_values(result), "id": session_id})
            if cursor.rowcount != 1:
                raise StorageError(f"{self.path} has no session {session_id} to update")
            if changed is None:
                conn.execute("DELETE FROM exercise_results WHERE session_id = ?", (session_id,))
                self._write_exercises(conn, session_id, result)
                return
            for index in sorted(set(changed)):
                # A swap to the easier variant may change the sides, so the place is rewritten.
                conn.execute("DELETE FROM exercise_results WHERE session_id = ? AND position = ?",
                             (session_id, index + 1))
                conn.executemany(_INSERT_EXERCISE, _exercise_values(
                    session_id, index + 1, result.exercises[index]))

    @staticmethod
    def _write_exercises(conn: sqlite3.Connection, session_id: int,
                         result: SessionResult) -> None:
        rows = [row for position, ex in enumerate(result.exercises, start=1)
                for row in _exercise_values(session_id, position, ex)]
        conn.executemany(_INSERT_EXERCISE, rows)

    def _skip(self, kind: str, key: Any) -> None:
        self.skipped.setdefault(kind, set()).add(key)

    def skipped_note(self) -> str:
        """'' or a sentence saying how many rows were left out, for the person."""
        if not self.skipped:
            return ""
        counts = [(len(keys), kind) for kind, keys in sorted(self.skipped.items())]
        parts = [f"{count} {kind if count != 1 else kind.replace('s ', ' ').removesuffix('s')}"
                 for count, kind in counts]
        were = "was" if len(counts) == 1 and counts[0][0] == 1 else "were"
        return (f"{' and '.join(parts)} in {self.path} could not be read (written by another "
                f"program or by hand?) and {were} left out")

    def _sessions_from(self, rows: list[dict[str, Any]],
                       grouped: dict[int, list[StoredExercise]] | None = None
                       ) -> list[StoredSession]:
        found = []
        for row in rows:
            try:
                found.append(_session_row(row, tuple((grouped or {}).get(row["id"], ()))))
            except ForeignRow:
                self._skip("sessions", row["id"])
        return found

    def sessions(self, limit: int | None = None, *, since: datetime | None = None,
                 with_exercises: bool = True, with_counts: bool = True) -> list[StoredSession]:
        """Stored sessions, newest first: at most `limit`, started at or after `since`.

        Without counts, exercises_total and exercises_done are 0: over years of history the
        two counting subqueries per session cost more than the rest of the query.
        """
        sql = f"SELECT {_session_columns(with_counts)} FROM sessions s"
        params: list[Any] = []
        if since is not None:
            sql += " WHERE s.started_at >= ?"
            params.append(utc_text(since))
        sql += " ORDER BY s.started_at DESC, s.id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(min(max(0, limit), _SQLITE_MAX_INTEGER))  # more than there can be
        with self._guard():
            rows = _records(self._conn.execute(sql, params))
            if not with_exercises or not rows:
                return self._sessions_from(rows)
            if limit is None and since is None:
                grouped = self._grouped(self.exercise_rows())
            elif limit is None:
                # The same sessions by their start, in one query SQLite sorts as it reads.
                grouped = self._grouped(self._exercise_query(
                    f"SELECT {_EXERCISE_COLUMNS} FROM exercise_results WHERE session_id IN "
                    "(SELECT id FROM sessions WHERE started_at >= ?)", [params[0]]))
            else:
                grouped = self._grouped(self.exercise_rows([row["id"] for row in rows]))
        return self._sessions_from(rows, grouped)

    def with_exercises(self, sessions: Sequence[StoredSession],
                       chosen: Collection[int]) -> list[StoredSession]:
        """`sessions` in the same order, those whose ids are in `chosen` with their exercise
        rows (the others as they were): when only a few of many sessions need their rows."""
        ids = [s.id for s in sessions if s.id in chosen]
        if not ids:
            return list(sessions)
        grouped = self._grouped(self.exercise_rows(ids))
        return [s._replace(exercises=tuple(grouped.get(s.id, ()))) if s.id in chosen else s
                for s in sessions]

    def progress_rows(self, since: datetime | None = None) -> list[ProgressRow]:
        """Every session as a light row, oldest first; with `since`, those started at or after
        it, and the latest one whenever it is (what is in use when nothing is recent). A row
        another program wrote is left out and counted (`skipped_note`), as `sessions` does."""
        where = "" if since is None else "WHERE s.started_at >= ? OR s.id = (SELECT id FROM " \
            "sessions ORDER BY started_at DESC, id DESC LIMIT 1) "
        sql = ("SELECT s.id, s.routine_id, s.routine_name, s.started_at, s.elapsed_seconds, "
               f"s.pain_before, s.pain_after, s.active FROM sessions s {where}"
               "ORDER BY s.started_at, s.id")
        with self._guard():
            found = self._conn.execute(sql, () if since is None else (utc_text(since),)).fetchall()
        rows: list[ProgressRow] = []
        for ident, routine_id, name, started, elapsed, before, after, active in found:
            try:
                rows.append(_progress_row(routine_id, name, started, elapsed, before, after,
                                          bool(active)))
            except ForeignRow:
                self._skip("sessions", ident)
        return rows

    def session_points(self) -> list[SessionPoint]:
        """Every session as the whole-history figures of `progress` read it, oldest first: the
        sessions `progress_rows` reads, left out and counted alike, as plain tuples."""
        sql = ("SELECT id, routine_id, routine_name, started_at, elapsed_seconds, pain_before, "
               "pain_after, active FROM sessions ORDER BY started_at, id")
        with self._guard():
            found = self._conn.execute(sql).fetchall()
        points: list[SessionPoint] = []
        parse = datetime.fromisoformat
        odd = False
        for ident, routine_id, name, started, elapsed, before, after, active in found:
            # _progress_row's checks on a row backcoach wrote, but those that only change how
            # a name is shown (the names are not read here), and the time parsed only once.
            if _plain_progress_values(routine_id, name, started, elapsed, before, after):
                try:
                    moment = parse(started)
                except ValueError:
                    moment = None
                if moment is not None and moment.tzinfo is UTC and 1970 <= moment.year <= 9000:
                    points.append((moment, bool(active), elapsed, before, after))
                    continue
            try:  # any other row: checked value by value, as progress_rows does
                row = _progress_row(routine_id, name, started, elapsed, before, after,
                                    bool(active))
            except ForeignRow:
                self._skip("sessions", ident)
                continue
            odd = True
            points.append((row.started_at, row.active, row.elapsed_seconds, row.pain_before,
                           row.pain_after))
        if odd:  # a time read whole may sort otherwise than its text; as `dated` sorts them
            points.sort(key=itemgetter(0))
        return points

    def active_starts(self, since: datetime) -> list[datetime]:
        """When the sessions that count (any exercise worked on) started, at or after
        `since`, newest first: what a streak needs, read only as far back as asked."""
        sql = ("SELECT s.id, s.started_at FROM sessions s WHERE s.started_at >= ? AND s.active "
               "ORDER BY s.started_at DESC, s.id DESC")
        with self._guard():
            found = self._conn.execute(sql, (utc_text(since),)).fetchall()
        starts = []
        for ident, started in found:
            try:
                starts.append(stored_moment(started))
            except ForeignRow:
                self._skip("sessions", ident)
        return starts

    def last_routine_name(self, routine_id: str) -> str:
        """What the latest session of a routine called it; '' when there is none (or it is not
        text backcoach writes)."""
        with self._guard():
            row = self._conn.execute(
                "SELECT routine_name FROM sessions WHERE routine_id = ? "
                "ORDER BY started_at DESC, id DESC LIMIT 1", (routine_id,)).fetchone()
        try:
            return stored_text(row[0]) if row is not None else ""
        except ForeignRow:
            return ""

    @staticmethod
    def _grouped(rows: list[StoredExercise]) -> dict[int, list[StoredExercise]]:
        grouped: dict[int, list[StoredExercise]] = {}
        for row in rows:
            grouped.setdefault(row.session_id, []).append(row)
        return grouped

    def session(self, session_id: int) -> StoredSession | None:
        """One stored session with its exercise rows, or None."""
        with self._guard():
            row = _record(self._conn.execute(
                f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?", (session_id,)))
        if row is None:
            return None
        found = self._sessions_from([row], self._grouped(self.exercise_rows([session_id])))
        return found[0] if found else None

    def exercise_rows(self, session_ids: Sequence[int] | None = None) -> list[StoredExercise]:
        """Exercise rows of the given sessions (default: all), by session, position and side."""
        sql = f"SELECT {_EXERCISE_COLUMNS} FROM exercise_results"
        if session_ids is None:
            return self._exercise_query(sql, [])
        rows: list[StoredExercise] = []
        # Chunks keep each statement under SQLite's limit on parameters.
        for start in range(0, len(session_ids), 500):
            chunk = list(session_ids[start:start + 500])
            marks = ", ".join("?" * len(chunk))
            rows += self._exercise_query(f"{sql} WHERE session_id IN ({marks})", chunk)
        rows.sort(key=lambda r: (r.session_id, r.position, _side_order(r.side)))
        return rows

    def _exercise_query(self, sql: str, params: list[Any]) -> list[StoredExercise]:
        # Left before right before none, whatever the key order in the table. SQLite sorts
        # within each place while reading the key in order: sorting 30,000 rows (ten years)
        # in Python instead took a tenth of `export`.
        order = " ORDER BY session_id, position, " + _SIDE_ORDER_SQL
        with self._guard():
            cursor = self._conn.execute(sql + order, params)
            pick = _by_name(cursor, _EXERCISE_FIELDS)  # in the order of StoredExercise's fields
            found = []
            for row in cursor.fetchall():
                values = pick(row)
                try:
                    found.append(_exercise_row(values))
                except ForeignRow:
                    self._skip("exercise rows", values[:2] + values[4:5])
            return found
    def count(self) -> int:
        """How many sessions are stored."""
        with self._guard():
            (count,) = self._conn.execute("SELECT COUNT(*) FROM sessions").fetchone()
        return int(count)

    def exercise_tallies(self, since: datetime | None = None) -> list[ExerciseTally]:
        """Per exercise: sessions it was in, and how often it was skipped or stopped."""
        where, params = ("", []) if since is None else (
            "WHERE e.session_id IN (SELECT id FROM sessions WHERE started_at >= ?)",
            [utc_text(since)])
        # Rows are per side; an exercise's status is the same on each, so count one per place.
        sql = f"""
            SELECT exercise_id AS exercise_id, MAX(name) AS name, COUNT(*) AS times,
                   SUM(status = 'skipped') AS skipped, SUM(status = 'stopped') AS stopped
            FROM (SELECT e.session_id, e.position, e.exercise_id, e.name, e.status
                  FROM exercise_results e {where}
                  GROUP BY e.session_id, e.position)
            GROUP BY exercise_id"""
        with self._guard():
            rows = _records(self._conn.execute(sql, params))
        tallies = []
        for row in rows:
            try:
                tallies.append(ExerciseTally(
                    exercise_id=stored_text(row["exercise_id"]), name=stored_text(row["name"]),
                    times=row["times"], skipped=row["skipped"], stopped=row["stopped"]))
            except ForeignRow:
                self._skip("exercise rows", ("tally", repr(row["exercise_id"])))
        return tallies

    # safety state -----------------------------------------------------------------------------

    def consent_accepted_at(self) -> datetime | None:
        """When the user last accepted the disclaimer, or None."""
        with self._guard():
            row = _record(self._conn.execute(
                "SELECT accepted_at AS accepted_at FROM consent "
                "ORDER BY accepted_at DESC, id DESC LIMIT 1"))
        if row is None:
            return None
        try:
            return stored_moment(row["accepted_at"])
        except ForeignRow:  # the statement is shown again: never assume it was accepted
            self._skip("safety records", ("consent", repr(row["accepted_at"])))
            return None

    def record_consent(self, at: datetime) -> None:
        """Record that the user accepted the disclaimer at `at`."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO consent (accepted_at) VALUES (?)", (utc_text(at),))

    def last_screen(self) -> ScreenRecord | None:
        """The most recent red-flag screen, with the clearances kept with it, or None."""
        with self._guard():
            row = _record(self._conn.execute(LAST_SCREEN_SQL))
        if row is None:
            return None
        try:
            return screen_record(row)
        except ForeignRow:
            # Not an older screen in its place: the newest may have said "stop". With none,
            # the questions are asked again, which is the safe way round.
            self._skip("safety records", ("screen", repr(row["taken_at"])))
            return None

    def record_screen(self, record: ScreenRecord) -> None:
        """Store a red-flag screen and the clearances in force with it."""
        cleared = {key: utc_text(value) for key, value in record.cleared.items()}
        with self._transaction() as conn:
            conn.execute("INSERT INTO screens (taken_at, tier, answers, cleared) "
                         "VALUES (?, ?, ?, ?)",
                         (utc_text(record.taken_at), record.tier,
                          json.dumps(record.answers, sort_keys=True),
                          json.dumps(cleared, sort_keys=True)))

    def pain_onset(self) -> PainOnset | None:
        """When the person last said this bout of pain began, or None."""
        with self._guard():
            row = _record(self._conn.execute(
                "SELECT recorded_at AS recorded_at, onset AS onset FROM pain_onsets "
                "ORDER BY recorded_at DESC, id DESC LIMIT 1"))
        return PainOnset(parse_utc(row["recorded_at"]), row["onset"]) if row else None

    def record_onset(self, onset: PainOnset) -> None:
        """Keep when this bout of pain began (the latest answer is the one in force)."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO pain_onsets (recorded_at, onset) VALUES (?, ?)",
                         (utc_text(onset.recorded_at), onset.onset))

    def last_results(self, exercise_ids: Sequence[str]) -> dict[str, LastResult]:
        """For each of these exercises, how it went the last time a hold of it started or it
        was left out for safety (a plain skip with `n` does not count), by exercise id."""
        # One query per exercise, walking the sessions newest first (CROSS JOIN keeps SQLite
        # from starting at the exercise's rows and sorting all of them): each stops at the
        # latest match. Over ten years of history, one query for all of them read and sorted
        # every row of these exercises (28,000) before a session could start: 190 ms, now 1.
        sql = """
            SELECT e.exercise_id, e.name, e.status, e.stop_reason, s.started_at
            FROM sessions s CROSS JOIN exercise_results e ON e.session_id = s.id
            WHERE e.exercise_id = ?
              AND (e.status IN ('done', 'partial', 'stopped')
                   OR (e.status = 'skipped' AND e.stop_reason IS NOT NULL))
            ORDER BY s.started_at DESC, s.id DESC LIMIT 1"""
        found: dict[str, LastResult] = {}
        with self._guard():
            for exercise_id in dict.fromkeys(exercise_ids):
                row = self._conn.execute(sql, (exercise_id,)).fetchone()
                if row is None:
                    continue
                try:
                    found[exercise_id] = LastResult(
                        row[0], stored_text(row[1]), stored_text(row[2]),
                        stored_text(row[3], optional=True), stored_moment(row[4]))
                except ForeignRow:
                    self._skip("exercise rows", ("last", repr(exercise_id)))
        return found

    # lessons, goals and dose changes (issue 17) -------------------------------------------------

    def lessons_read(self) -> dict[str, datetime]:
        """When each lesson was first read (shown after a session, or by `learn`), by id."""
        with self._guard():
            rows = _records(self._conn.execute(
                "SELECT lesson_id AS lesson_id, read_at AS read_at FROM lessons_read"))
        found: dict[str, datetime] = {}
        for row in rows:
            try:
                found[stored_text(row["lesson_id"])] = stored_moment(row["read_at"])
            except ForeignRow:
                self._skip("lesson records", repr(row["lesson_id"]))
        return found

    def mark_lesson_read(self, lesson_id: str, at: datetime, how: str) -> None:
        """Keep that a lesson was read (`how`: learn or summary); the first time counts."""
        with self._transaction() as conn:
            conn.execute("INSERT OR IGNORE INTO lessons_read (lesson_id, read_at, how) "
                         "VALUES (?, ?, ?)", (lesson_id, utc_text(at), how))

    def goals(self, include_removed: bool = False) -> list[Goal]:
        """The function goals, oldest first, each with its ratings oldest first."""
        from backcoach.history.goals import Goal, Rating

        where = "" if include_removed else " WHERE removed_at IS NULL"
        with self._guard():
            goal_rows = _records(self._conn.execute(
                "SELECT id AS id, activity AS activity, added_at AS added_at, "
                f"removed_at AS removed_at FROM goals{where} ORDER BY added_at, id"))
            rating_rows = _records(self._conn.execute(
                "SELECT goal_id AS goal_id, rated_at AS rated_at, score AS score "
                "FROM goal_ratings ORDER BY rated_at, id"))
        ratings: dict[int, list[Rating]] = {}
        for row in rating_rows:
            try:
                ratings.setdefault(row["goal_id"], []).append(
                    Rating(stored_moment(row["rated_at"]), stored_whole(row["score"], 0, 10)))
            except ForeignRow:
                self._skip("goal ratings", (row["goal_id"], repr(row["rated_at"])))
        goals = []
        for row in goal_rows:
            try:
                removed = stored_moment(row["removed_at"]) if row["removed_at"] else None
                goals.append(Goal(row["id"], stored_text(row["activity"]),
                                  stored_moment(row["added_at"]),
                                  tuple(ratings.get(row["id"], ())), removed))
            except ForeignRow:
                self._skip("goals", row["id"])
        return goals

    def add_goal(self, activity: str, score: int, at: datetime, limit: int) -> int:
        """Add a goal with its first rating; its id. GoalLimit when `limit` goals are in use
        already (counted in the same transaction, so two terminals cannot pass it)."""
        with self._transaction() as conn:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM goals WHERE removed_at IS NULL").fetchone()
            if count >= limit:
                raise GoalLimit(count)
            cursor = conn.execute("INSERT INTO goals (activity, added_at) VALUES (?, ?)",
                                  (activity, utc_text(at)))
            goal_id = cursor.lastrowid
            assert goal_id is not None
            conn.execute("INSERT INTO goal_ratings (goal_id, rated_at, score) VALUES (?, ?, ?)",
                         (goal_id, utc_text(at), score))
        return goal_id

    def rate_goals(self, scores: Mapping[int, int], at: datetime) -> None:
        """Record a rating for each goal id, all at once."""
        with self._transaction() as conn:
            conn.executemany("INSERT INTO goal_ratings (goal_id, rated_at, score) "
                             "VALUES (?, ?, ?)",
                             [(goal_id, utc_text(at), score) for goal_id, score in
                              scores.items()])

    def remove_goal(self, goal_id: int, at: datetime) -> None:
        """Set a goal aside: it is no longer shown or asked about; its ratings are kept."""
        with self._transaction() as conn:
            conn.execute("UPDATE goals SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
                         (utc_text(at), goal_id))

    def record_dose_change(self, change: DoseChange) -> int:
        """Keep a change `progress --apply` made to a routine file; its id."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO dose_changes (applied_at, routine_id, exercise_id, direction, step, "
                "summary, path, before_text, after_text, created_file) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (utc_text(change.applied_at), change.routine_id, change.exercise_id,
                 change.direction, change.step, change.summary, change.path,
                 change.before_text, change.after_text, int(change.created_file)))
            change_id = cursor.lastrowid
        assert change_id is not None
        return change_id

    def dose_changes(self, routine_id: str | None = None,
                     include_undone: bool = False) -> list[DoseChange]:
        """The changes `progress --apply` made, newest first (of one routine, when named)."""
        sql = ("SELECT id AS id, applied_at AS applied_at, routine_id AS routine_id, "
               "exercise_id AS exercise_id, direction AS direction, step AS step, "
               "summary AS summary, "
               "path AS path, before_text AS before_text, after_text AS after_text, "
               "created_file AS created_file, undone_at AS undone_at FROM dose_changes")
        terms, params = [], []
        if routine_id is not None:
            terms.append("routine_id = ?")
            params.append(routine_id)
        if not include_undone:
            terms.append("undone_at IS NULL")
        if terms:
            sql += " WHERE " + " AND ".join(terms)
        with self._guard():
            rows = _records(self._conn.execute(sql + " ORDER BY applied_at DESC, id DESC",
                                               params))
        found = []
        for row in rows:
            try:
                found.append(DoseChange(
                    stored_moment(row["applied_at"]), stored_text(row["routine_id"]),
                    stored_text(row["exercise_id"]), stored_text(row["direction"]),
                    stored_text(row["step"]),
                    stored_text(row["summary"]), str(row["path"]), str(row["before_text"]),
                    str(row["after_text"]),
                    bool(row["created_file"]), id=row["id"],
                    undone_at=stored_moment(row["undone_at"]) if row["undone_at"] else None))
            except ForeignRow:
                self._skip("dose changes", row["id"])
        return found

    def mark_undone(self, change_id: int, at: datetime) -> None:
        """Keep that a change was undone (`progress --undo`)."""
        with self._transaction() as conn:
            conn.execute("UPDATE dose_changes SET undone_at = ? WHERE id = ?",
                         (utc_text(at), change_id))


class GoalLimit(StorageError):
    """Adding a goal would go past the limit; `count` are in use."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} goals are in use already")
        self.count = count


class DoseChange(NamedTuple):
    """A step up or down written into a routine file by `progress --apply`: the whole text
    before and after (so `--undo` gives back the file byte for byte), and whether the file
    was made by it (a copy of a built-in routine, removed again by `--undo`)."""

    applied_at: datetime
    routine_id: str
    exercise_id: str  # the exercise in the routine after the change
    direction: str  # up or down
    step: str  # hold, reps or variant
    summary: str  # the one line that said what and why
    path: str
    before_text: str
    after_text: str
    created_file: bool = False
    id: int | None = None
    undone_at: datetime | None = None


def _side_order(side: str) -> int:
    return {"left": 0, "right": 1}.get(side, 2)


_SIDE_ORDER_SQL = "CASE side WHEN 'left' THEN 0 WHEN 'right' THEN 1 ELSE 2 END"
