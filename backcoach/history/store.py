"""The session history: a local SQLite file, written as a session goes.

One file, `history.sqlite3` in the data dir (BACKCOACH_HOME when set). WAL mode and a busy timeout
let two terminals write at once; every write is one short transaction, so a crash, a kill or Ctrl-C
keeps all that was saved before it. The schema grows by ordered, named migrations recorded
in the file.

A file that is not ours (not SQLite, another application's database, damaged, or written by a newer
backcoach) is never changed: opening it raises StorageError, which says to move it aside.

Times are stored as UTC ISO-8601 text to the second (`2024-06-03T07:15:00Z`), so text order is time
order; they become local only for display, with a time zone the caller passes in.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from types import TracebackType
from typing import Any

from backcoach import paths
from backcoach.errors import BackcoachError
from backcoach.session.result import NO_SIDE, ExerciseResult, ScreenRecord, SessionResult

FILENAME = "history.sqlite3"
# "BkCh" in the file header tells a backcoach history file from any other SQLite file.
APPLICATION_ID = 0x426B4368
BUSY_TIMEOUT_SECONDS = 5.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_MOVE_ASIDE = "move it aside (for example rename it to {name}.bak) and backcoach starts a new one"


class StorageError(BackcoachError):
    """The history file cannot be used: not ours, damaged, read-only or busy (exit 1)."""


# --- time ------------------------------------------------------------------------------------

def utc_text(moment: datetime) -> str:
    """A datetime as stored: UTC, ISO-8601, to the second. A naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


def _opt_time(text: str | None) -> datetime | None:
    return parse_utc(text) if text else None


# --- migrations ------------------------------------------------------------------------------

Migration = Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, statements: Sequence[str]) -> None:
    # executescript() would commit the open transaction; one statement at a time keeps it atomic.
    for statement in statements:
        conn.execute(statement)


def _create_sessions(conn: sqlite3.Connection) -> None:
    _run(conn, [
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            routine_id TEXT NOT NULL,
            routine_name TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL CHECK (status IN ('done', 'partial', 'stopped')),
            end_reason TEXT NOT NULL DEFAULT '',
            planned_seconds REAL NOT NULL DEFAULT 0,
            elapsed_seconds REAL NOT NULL DEFAULT 0,
            speed REAL NOT NULL DEFAULT 1,
            pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
            pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
            screen_tier TEXT
        )""",
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        # One row per exercise and side, clustered by session: a session's rows sit together.
        """CREATE TABLE exercise_results (
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            exercise_id TEXT NOT NULL,
            name TEXT NOT NULL,
            side TEXT NOT NULL CHECK (side IN ('left', 'right', 'none')),
            planned_reps INTEGER NOT NULL,
            planned_hold INTEGER NOT NULL,
            reps_done INTEGER NOT NULL DEFAULT 0,
            seconds_held REAL NOT NULL DEFAULT 0,
            status TEXT NOT NULL,
            stop_reason TEXT,
            pain INTEGER CHECK (pain BETWEEN 0 AND 10),
            PRIMARY KEY (session_id, position, side)
        ) WITHOUT ROWID""",
    ])


def _create_safety_state(conn: sqlite3.Connection) -> None:
    _run(conn, [
        "CREATE TABLE consent (id INTEGER PRIMARY KEY, accepted_at TEXT NOT NULL)",
        """CREATE TABLE screens (
            id INTEGER PRIMARY KEY,
            taken_at TEXT NOT NULL,
            tier TEXT NOT NULL,
            answers TEXT NOT NULL
        )""",
        "CREATE INDEX screens_by_time ON screens (taken_at)",
    ])


# Append only: never rename, reorder or change a migration that has shipped.
MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001-sessions-and-exercise-results", _create_sessions),
    ("0002-consent-and-screens", _create_safety_state),
]


# --- stored values ---------------------------------------------------------------------------

@dataclass(frozen=True)
class StoredExercise:
    """One exercise on one side ('left', 'right' or 'none') of a stored session."""

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


@dataclass(frozen=True)
class StoredSession:
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


@dataclass(frozen=True)
class ExerciseTally:
    """How often an exercise was in a session, and how often it was skipped or stopped."""

    exercise_id: str
    name: str
    times: int
    skipped: int
    stopped: int


# An exercise counts as worked on when any hold was completed or it ended done or partial.
_WORKED = "(e.status IN ('done', 'partial') OR e.reps_done > 0)"
_COUNTS = (
    "(SELECT COUNT(DISTINCT e.position) FROM exercise_results e WHERE e.session_id = s.id), "
    "(SELECT COUNT(DISTINCT e.position) FROM exercise_results e "
    " WHERE e.session_id = s.id AND e.status = 'done')"
)


def _session_columns(counts: bool = True) -> str:
    """The columns _session_row reads; without counts, 0 stands in for both (cheaper)."""
    return ("s.id, s.routine_id, s.routine_name, s.started_at, s.ended_at, s.status, "
            "s.end_reason, s.planned_seconds, s.elapsed_seconds, s.speed, s.pain_before, "
            f"s.pain_after, s.screen_tier, {_COUNTS if counts else '0, 0'}, "
            f"EXISTS (SELECT 1 FROM exercise_results e WHERE e.session_id = s.id AND {_WORKED})")


_SESSION_COLUMNS = _session_columns()
_EXERCISE_COLUMNS = ("session_id, position, exercise_id, name, side, planned_reps, planned_hold, "
                     "reps_done, seconds_held, status, stop_reason, pain")


def _session_row(row: Sequence[Any], exercises: tuple[StoredExercise, ...] = ()) -> StoredSession:
    return StoredSession(
        id=row[0], routine_id=row[1], routine_name=row[2], started_at=parse_utc(row[3]),
        ended_at=_opt_time(row[4]), status=row[5], end_reason=row[6], planned_seconds=row[7],
        elapsed_seconds=row[8], speed=row[9], pain_before=row[10], pain_after=row[11],
        screen_tier=row[12], exercises_total=row[13], exercises_done=row[14],
        active=bool(row[15]), exercises=exercises)


def _exercise_rows(session_id: int, position: int, ex: ExerciseResult) -> list[tuple[Any, ...]]:
    """The rows of one exercise: one per side it is done on, in order, or one 'none' row."""
    sides = list(ex.sides) or [NO_SIDE]
    sides += [side for side in ex.held if side not in sides]
    rows = []
    for side in sides:
        held = ex.held.get(side)
        rows.append((session_id, position, ex.exercise_id, ex.name, side, ex.planned_reps,
                     ex.planned_hold, held.reps_done if held else 0,
                     round(held.seconds_held, 3) if held else 0.0, ex.status, ex.stop_reason,
                     ex.pain))
    return rows


def _session_values(result: SessionResult) -> tuple[Any, ...]:
    return (result.routine_id, result.routine_name, utc_text(result.started_at),
            utc_text(result.ended_at) if result.ended_at else None, result.status,
            result.end_reason, result.planned_seconds, round(result.elapsed_seconds, 3),
            result.speed, result.pain_before, result.pain_after, result.screen_tier)


# --- the store -------------------------------------------------------------------------------

def default_path() -> Path:
    """Where the history lives: the data dir (BACKCOACH_HOME when set) / history.sqlite3."""
    return paths.data_dir() / FILENAME


class HistoryStore:
    """The history file, open. Use `HistoryStore.open()`, ideally in a `with` block."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self.path = path

    # opening ----------------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None) -> HistoryStore:
        """Open (creating when absent) and upgrade the history file; StorageError if unusable."""
        path = Path(path) if path is not None else default_path()
        _check_file(path)
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise _storage_error(path, exc) from exc
        store = cls(conn, path)
        try:
            with store._guard():
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
                store._check_identity()
                store._use_wal()
                conn.execute("PRAGMA foreign_keys = ON")
                # WAL + NORMAL: a crash or kill of the program loses nothing committed.
                conn.execute("PRAGMA synchronous = NORMAL")
                store._migrate()
        except BaseException:
            conn.close()
            raise
        return store

    def _use_wal(self) -> None:
        """Switch a new file to WAL. SQLite does not wait on a busy file for this (two first
        opens at once), so retry until the busy timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while self._conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            try:
                self._conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _check_identity(self) -> None:
        """Raise unless the file is empty or ours and not from a newer backcoach. Reads only."""
        conn = self._conn
        own = not conn.in_transaction
        if own:  # one snapshot: another process may be creating the file right now
            conn.execute("BEGIN")
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            has_tables = conn.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type IN ('table', 'view')").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            # After a failed read SQLite may have ended the transaction itself (a full disk);
            # COMMIT would then fail too and hide the real error.
            if own and conn.in_transaction:
                conn.execute("COMMIT")
        if app_id != APPLICATION_ID and (app_id != 0 or has_tables):
            raise StorageError(f"{self.path} is an SQLite database of another application, not "
                               f"backcoach history; it was left untouched. "
                               f"{_move_aside(self.path)}")
        if version > len(MIGRATIONS):
            raise StorageError(f"{self.path} was written by a newer backcoach (schema {version}, "
                               f"this one knows {len(MIGRATIONS)}); upgrade backcoach to use it")

    def _migrate(self) -> None:
        """Apply the missing migrations, each in its own write transaction, recording its name."""
        conn = self._conn
        if conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
            return  # the usual case: no write lock taken just to open
        while True:
            with self._transaction():
                self._check_identity()  # another process may have changed it meanwhile
                fresh = not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                         "AND name = 'migrations'").fetchone()
                if fresh:
                    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                                 "applied_at TEXT NOT NULL)")
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                applied = {row[0] for row in conn.execute("SELECT name FROM migrations")}
                pending = [(name, step) for name, step in MIGRATIONS if name not in applied]
                if not pending:
                    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
                    return
                name, step = pending[0]
                step(conn)
                conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                             (name, utc_text(datetime.now(UTC))))
                conn.execute(f"PRAGMA user_version = {len(applied) + 1}")

    def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded in the file, in the order they were applied."""
        with self._guard():
            rows = self._conn.execute("SELECT name FROM migrations ORDER BY rowid").fetchall()
        return [row[0] for row in rows]

    # lifetime ---------------------------------------------------------------------------------

    def close(self) -> None:
        """Close the file."""
        self._conn.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """Turn sqlite3 errors into StorageError naming the file."""
        try:
            yield
        except sqlite3.Error as exc:
            raise _storage_error(self.path, exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken up front (BEGIN IMMEDIATE) so it never deadlocks."""
        with self._guard():
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    # sessions ---------------------------------------------------------------------------------

    def begin(self, result: SessionResult) -> int:
        """Record a session as it starts (status 'partial', planned exercises); return its id."""
        with self._transaction() as conn:
            values = list(_session_values(result))
            values[4] = "partial"  # until save() says otherwise, it is unfinished
            cursor = conn.execute(
                "INSERT INTO sessions (routine_id, routine_name, started_at, ended_at, status, "
                "end_reason, planned_seconds, elapsed_seconds, speed, pain_before, pain_after, "
                "screen_tier) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values)
            session_id = cursor.lastrowid
            assert session_id is not None
            self._write_exercises(conn, session_id, result)
        return session_id

    def save(self, session_id: int, result: SessionResult) -> None:
        """Write the session's current state: its row and its exercise rows, in one transaction."""
        with self._transaction() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET routine_id = ?, routine_name = ?, started_at = ?, "
                "ended_at = ?, status = ?, end_reason = ?, planned_seconds = ?, "
                "elapsed_seconds = ?, speed = ?, pain_before = ?, pain_after = ?, "
                "screen_tier = ? WHERE id = ?", (*_session_values(result), session_id))
            if cursor.rowcount != 1:
                raise StorageError(f"{self.path} has no session {session_id} to update")
            conn.execute("DELETE FROM exercise_results WHERE session_id = ?", (session_id,))
            self._write_exercises(conn, session_id, result)

    @staticmethod
    def _write_exercises(conn: sqlite3.Connection, session_id: int,
                         result: SessionResult) -> None:
        rows = [row for position, ex in enumerate(result.exercises, start=1)
                for row in _exercise_rows(session_id, position, ex)]
        conn.executemany(f"INSERT INTO exercise_results ({_EXERCISE_COLUMNS}) "
                         f"VALUES ({', '.join('?' * 12)})", rows)

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
            params.append(max(0, limit))
        with self._guard():
            rows = self._conn.execute(sql, params).fetchall()
            if not with_exercises or not rows:
                return [_session_row(row) for row in rows]
            if limit is None and since is None:
                grouped = self._grouped(self.exercise_rows())
            else:
                grouped = self._grouped(self.exercise_rows([row[0] for row in rows]))
        return [_session_row(row, tuple(grouped.get(row[0], ()))) for row in rows]

    @staticmethod
    def _grouped(rows: list[StoredExercise]) -> dict[int, list[StoredExercise]]:
        grouped: dict[int, list[StoredExercise]] = {}
        for row in rows:
            grouped.setdefault(row.session_id, []).append(row)
        return grouped

    def session(self, session_id: int) -> StoredSession | None:
        """One stored session with its exercise rows, or None."""
        with self._guard():
            row = self._conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions s WHERE s.id = ?",
                                     (session_id,)).fetchone()
        if row is None:
            return None
        return _session_row(row, tuple(self.exercise_rows([session_id])))

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
            rows = self._conn.execute(sql + order, params).fetchall()
        return [StoredExercise(*row) for row in rows]

    def count(self) -> int:
        """How many sessions are stored."""
        with self._guard():
            return int(self._conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0])

    def exercise_tallies(self, since: datetime | None = None) -> list[ExerciseTally]:
        """Per exercise: sessions it was in, and how often it was skipped or stopped."""
        where, params = ("", []) if since is None else (
            "WHERE e.session_id IN (SELECT id FROM sessions WHERE started_at >= ?)",
            [utc_text(since)])
        # Rows are per side; an exercise's status is the same on each, so count one per place.
        sql = f"""
            SELECT exercise_id, MAX(name), COUNT(*),
                   SUM(status = 'skipped'), SUM(status = 'stopped')
            FROM (SELECT e.session_id, e.position, e.exercise_id, e.name, e.status
                  FROM exercise_results e {where}
                  GROUP BY e.session_id, e.position)
            GROUP BY exercise_id"""
        with self._guard():
            rows = self._conn.execute(sql, params).fetchall()
        return [ExerciseTally(row[0], row[1], row[2], row[3], row[4]) for row in rows]

    # safety state -----------------------------------------------------------------------------

    def consent_accepted_at(self) -> datetime | None:
        """When the user last accepted the disclaimer, or None."""
        with self._guard():
            row = self._conn.execute(
                "SELECT accepted_at FROM consent ORDER BY accepted_at DESC, id DESC LIMIT 1"
            ).fetchone()
        return parse_utc(row[0]) if row else None

    def record_consent(self, at: datetime) -> None:
        """Record that the user accepted the disclaimer at `at`."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO consent (accepted_at) VALUES (?)", (utc_text(at),))

    def last_screen(self) -> ScreenRecord | None:
        """The most recent red-flag screen, or None."""
        with self._guard():
            row = self._conn.execute(
                "SELECT taken_at, tier, answers FROM screens ORDER BY taken_at DESC, id DESC "
                "LIMIT 1").fetchone()
        if row is None:
            return None
        answers = json.loads(row[2])
        return ScreenRecord(taken_at=parse_utc(row[0]), tier=row[1],
                            answers={str(key): bool(value) for key, value in answers.items()})

    def record_screen(self, record: ScreenRecord) -> None:
        """Store a red-flag screen."""
        with self._transaction() as conn:
            conn.execute("INSERT INTO screens (taken_at, tier, answers) VALUES (?, ?, ?)",
                         (utc_text(record.taken_at), record.tier,
                          json.dumps(record.answers, sort_keys=True)))


def _side_order(side: str) -> int:
    return {"left": 0, "right": 1}.get(side, 2)


_SIDE_ORDER_SQL = "CASE side WHEN 'left' THEN 0 WHEN 'right' THEN 1 ELSE 2 END"


# --- errors ----------------------------------------------------------------------------------

def _move_aside(path: Path) -> str:
    return "To start afresh, " + _MOVE_ASIDE.format(name=path.name)


def _check_file(path: Path) -> None:
    """Checks before SQLite touches anything: the folder, and the first bytes of the file."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(
            f"cannot create the history folder {folder}: {exc.strerror}; make its parent "
            "writable or set BACKCOACH_HOME to a writable folder") from exc
    if path.exists() and not path.is_file():
        raise StorageError(f"{path} is not a file; move it aside so backcoach can keep history")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        head = None
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if head and head != _SQLITE_MAGIC:  # an empty file is a new database: nothing to lose
        raise StorageError(f"{path} is not an SQLite database, so not backcoach history; it was "
                           f"left untouched. {_move_aside(path)}")
    if not os.access(folder, os.W_OK) or (head is not None and not os.access(path, os.W_OK)):
        raise _read_only(path)


def _read_only(path: Path) -> StorageError:
    return StorageError(f"cannot write history to {path}: the file or its folder is read-only; "
                        "make it writable or set BACKCOACH_HOME to a writable folder")


def _disk_full(path: Path) -> bool:
    """No space left where the history lives. SQLite says "disk I/O error", not "full", when
    the disk fills as it makes its shared-memory file."""
    try:
        return os.statvfs(path.parent).f_bavail == 0
    except (OSError, AttributeError):  # no such folder, or no statvfs (Windows)
        return False


def _storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
    """A clear one-line error for what SQLite reported about the file."""
    text = str(exc)
    lowered = text.lower()
    if "readonly" in lowered or "read-only" in lowered or "unable to open" in lowered:
        return _read_only(path)
    if "locked" in lowered or "busy" in lowered:
        return StorageError(f"{path} is busy: another backcoach held it for more than "
                            f"{BUSY_TIMEOUT_SECONDS:g} s; try again")
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered:
        return StorageError(f"{path} is damaged ({text}); it was left untouched. "
                            f"{_move_aside(path)}")
    if ("disk" in lowered and "full" in lowered) or ("i/o" in lowered and _disk_full(path)):
        return StorageError(f"cannot write history to {path}: the disk is full")
    return StorageError(f"{path}: {text}")
