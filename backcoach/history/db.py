"""The history file itself: where it is, opening it safely, its migrations, and its errors.

One file, `history.sqlite3` in the data dir (BACKCOACH_HOME when set). WAL mode and a busy timeout
let two terminals write at once; every write is one short transaction, so a crash, a kill or Ctrl-C
keeps all that was saved before it. The schema grows by ordered, named migrations recorded
in the file.

A file that is not ours (not SQLite, another application's database, damaged, or written by a newer
backcoach) is never changed: opening it raises StorageError, which says to move it aside.

Times are stored as UTC ISO-8601 text to the second (`2024-06-03T07:15:00Z`), so text order is time
order; they become local only for display, with a time zone the caller passes in.

The queries over sessions, exercises and the safety state are in `store`.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from backcoach import paths
from backcoach.errors import BackcoachError

FILENAME = paths.HISTORY_FILE
# "BkCh" in the file header tells a backcoach history file from any other SQLite file.
APPLICATION_ID = 0x426B4368
# Read when a file is opened (tests shorten it), so never copied into another name.
BUSY_TIMEOUT_SECONDS = 5.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_MOVE_ASIDE = "move it aside (for example rename it to {name}.bak) and backcoach starts a new one"


class StorageError(BackcoachError):
    """The history file cannot be used: not ours, damaged, read-only or busy (exit 1)."""


def default_path() -> Path:
    """Where the history lives: the data dir (BACKCOACH_HOME when set) / history.sqlite3."""
    return paths.data_dir() / FILENAME


# --- time ------------------------------------------------------------------------------------

def utc_text(moment: datetime) -> str:
    """A datetime as stored: UTC, ISO-8601, to the second. A naive datetime is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(_TIME_FORMAT)


def parse_utc(text: str) -> datetime:
    """A stored time back as an aware UTC datetime."""
    return datetime.fromisoformat(text).astimezone(UTC)


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


def _add_clearances_and_onset(conn: sqlite3.Connection) -> None:
    _run(conn, [
        # A clinician's OK for a lifelong answer (cancer, an unstable neck), by question id,
        # with the date it was first recorded: JSON {"cancer-history": "2026-03-10T09:00:00Z"}.
        "ALTER TABLE screens ADD COLUMN cleared TEXT NOT NULL DEFAULT '{}'",
        # When this bout of pain began, as the person said; the latest row is in force.
        """CREATE TABLE pain_onsets (
            id INTEGER PRIMARY KEY,
            recorded_at TEXT NOT NULL,
            onset TEXT NOT NULL CHECK (onset IN ('under-2-weeks', '2-6-weeks', '6-12-weeks',
                                                 'over-12-weeks'))
        )""",
        # The reminder before a session looks up each planned exercise's last result.
        "CREATE INDEX exercise_results_by_exercise ON exercise_results (exercise_id)",
    ])


def _add_lessons_goals_and_dose_changes(conn: sqlite3.Connection) -> None:
    _run(conn, [
        # The lessons read, by id: the first time each was shown (after a session or by
        # `backcoach learn`); the summary offers only unread ones.
        """CREATE TABLE lessons_read (
            lesson_id TEXT PRIMARY KEY,
            read_at TEXT NOT NULL,
            how TEXT NOT NULL CHECK (how IN ('learn', 'summary'))
        ) WITHOUT ROWID""",
        # Function goals (the Patient-Specific Functional Scale): the activity in the person's
        # words, and each 0-10 rating of it. A goal set aside keeps its ratings.
        """CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            activity TEXT NOT NULL,
            added_at TEXT NOT NULL,
            removed_at TEXT
        )""",
        """CREATE TABLE goal_ratings (
            id INTEGER PRIMARY KEY,
            goal_id INTEGER NOT NULL REFERENCES goals (id) ON DELETE CASCADE,
            rated_at TEXT NOT NULL,
            score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10)
        )""",
        "CREATE INDEX goal_ratings_by_goal ON goal_ratings (goal_id, rated_at)",
        # Each step up or down that `progress --apply` wrote into a routine file: what it
        # changed, the file's text before and after (for `--undo`), and when it was undone.
        """CREATE TABLE dose_changes (
            id INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL,
            routine_id TEXT NOT NULL,
            exercise_id TEXT NOT NULL,
            direction TEXT NOT NULL CHECK (direction IN ('up', 'down')),
            step TEXT NOT NULL CHECK (step IN ('hold', 'reps', 'variant')),
            summary TEXT NOT NULL,
            path TEXT NOT NULL,
            before_text TEXT NOT NULL,
            after_text TEXT NOT NULL,
            created_file INTEGER NOT NULL DEFAULT 0,
            undone_at TEXT
        )""",
    ])


# Whether a session has an exercise worked on (any hold completed, or ended done or partial),
# as the migration below writes it. Frozen with it: never change this text.
_ACTIVE_NOW = ("EXISTS (SELECT 1 FROM exercise_results e WHERE e.session_id = {session} AND "
               "(e.status IN ('done', 'partial') OR e.reps_done > 0))")


def _add_active_flag(conn: sqlite3.Connection) -> None:
    _run(conn, [
        # Whether the session counts for a streak (an exercise worked on), kept by triggers in
        # the transaction that writes its exercise rows, whoever writes them: `progress` and
        # the status read one column instead of every exercise row of years of history. The
        # session row is written only when the flag changes.
        "ALTER TABLE sessions ADD COLUMN active INTEGER NOT NULL DEFAULT 0 "
        "CHECK (active IN (0, 1))",
        f"UPDATE sessions SET active = {_ACTIVE_NOW.format(session='sessions.id')}",
        *(f"""CREATE TRIGGER sessions_active_on_{event.lower()} AFTER {event} ON exercise_results
              BEGIN
                UPDATE sessions SET active = {_ACTIVE_NOW.format(session='sessions.id')}
                WHERE id IN ({rows}) AND active <> {_ACTIVE_NOW.format(session='sessions.id')};
              END"""
          for event, rows in (("INSERT", "NEW.session_id"), ("DELETE", "OLD.session_id"),
                              ("UPDATE", "OLD.session_id, NEW.session_id"))),
    ])


# Append only: never rename, reorder or change a migration that has shipped.
MIGRATIONS: list[tuple[str, Migration]] = [
    ("0001-sessions-and-exercise-results", _create_sessions),
    ("0002-consent-and-screens", _create_safety_state),
    ("0003-clearances-pain-onset-and-last-results", _add_clearances_and_onset),
    ("0004-lessons-read-goals-and-dose-changes", _add_lessons_goals_and_dose_changes),
    ("0005-sessions-active-flag", _add_active_flag),
]


# --- opening ---------------------------------------------------------------------------------

def connect(path: Path) -> sqlite3.Connection:
    """Open (creating when absent) and upgrade the history file; StorageError if unusable."""
    _check_file(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from exc
    try:
        with guard(path):
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            check_identity(conn, path)
            _use_wal(conn)
            conn.execute("PRAGMA foreign_keys = ON")
            # WAL + NORMAL: a crash or kill of the program loses nothing committed.
            conn.execute("PRAGMA synchronous = NORMAL")
            _migrate(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def connect_for_reading(path: Path) -> sqlite3.Connection:
    """Open an existing history file to read it only (`history`, `progress`, `export`, `show`):
    nothing is created or changed, so a read-only file or folder (a backup) can always be read.

    A file an older backcoach wrote is opened with `connect` instead, to bring it up to date;
    StorageError when that is impossible because it is read-only.
    """
    _check_readable(path)
    conn = _open_read_only(path)
    try:
        with guard(path):
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            conn.execute("PRAGMA query_only = ON")
            check_identity(conn, path)
            current = conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    except BaseException:
        conn.close()
        raise
    if current:
        return conn
    conn.close()
    try:
        return connect(path)
    except StorageError as exc:
        if "read-only" not in str(exc):
            raise
        raise StorageError(f"{path} was written by an older backcoach and is read-only, so it "
                           "cannot be brought up to date; make it writable once") from None


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection. In a read-only folder SQLite cannot make the shared-memory file
    WAL needs; when no changes wait in a -wal file, the file is then opened as immutable."""
    uri = f"file:{quote(os.path.abspath(path))}"
    try:
        conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_SECONDS,
                               isolation_level=None, check_same_thread=False)
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # opens it for real
        return conn
    except sqlite3.Error as exc:
        if "unable to open" not in str(exc).lower():
            raise storage_error(path, exc) from exc
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise StorageError(f"cannot read {path}: its latest changes are in {wal.name}, and "
                               "the folder is read-only, so SQLite cannot open them; make the "
                               "folder writable once") from exc
    try:
        return sqlite3.connect(f"{uri}?immutable=1", uri=True, isolation_level=None,
                               check_same_thread=False)
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from exc


def _check_readable(path: Path) -> None:
    """Before SQLite opens it: a regular file that starts like an SQLite database."""
    if not path.is_file():
        raise StorageError(f"{path} is not a file; move it aside so backcoach can keep history")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        raise StorageError(f"cannot read {path}: {exc.strerror}") from exc
    if head and head != _SQLITE_MAGIC:
        raise StorageError(f"{path} is not an SQLite database, so not backcoach history; it was "
                           f"left untouched. {_move_aside(path)}")


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new file to WAL. SQLite does not wait on a busy file for this (two first opens
    at once), so retry until the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc).lower() or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Raise unless the file is empty or ours and not from a newer backcoach. Reads only."""
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
        raise StorageError(f"{path} is an SQLite database of another application, not "
                           f"backcoach history; it was left untouched. {_move_aside(path)}")
    if version > len(MIGRATIONS):
        raise StorageError(f"{path} was written by a newer backcoach (schema {version}, "
                           f"this one knows {len(MIGRATIONS)}); upgrade backcoach to use it")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    """Apply the missing migrations, each in its own write transaction, recording its name."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
        return  # the usual case: no write lock taken just to open
    while True:
        with transaction(conn, path):
            check_identity(conn, path)  # another process may have changed it meanwhile
            fresh = not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                                     "AND name = 'migrations'").fetchone()
            if fresh:
                conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, "
                             "applied_at TEXT NOT NULL)")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            applied = {name for (name,) in conn.execute("SELECT name FROM migrations")}
            pending = [(name, step) for name, step in MIGRATIONS if name not in applied]
            if not pending:
                conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
                return
            name, step = pending[0]
            step(conn)
            conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                         (name, utc_text(datetime.now(UTC))))
            conn.execute(f"PRAGMA user_version = {len(applied) + 1}")


def applied_migrations(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Names of the migrations recorded in the file, in the order they were applied."""
    with guard(path):
        rows = conn.execute("SELECT name FROM migrations ORDER BY rowid").fetchall()
    return [name for (name,) in rows]


@contextmanager
def guard(path: Path) -> Iterator[None]:
    """Turn sqlite3 errors into StorageError naming the file."""
    try:
        yield
    except sqlite3.Error as exc:
        raise storage_error(path, exc) from exc


@contextmanager
def transaction(conn: sqlite3.Connection, path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction, taken up front (BEGIN IMMEDIATE) so it never deadlocks."""
    with guard(path):
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


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


def storage_error(path: Path, exc: sqlite3.Error) -> StorageError:
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
