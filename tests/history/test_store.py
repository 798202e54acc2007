"""The history file: migrations, foreign and damaged files, read-only folders, sessions written as
they go, two writers at once, and the safety state."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from backcoach.errors import BackcoachError, ExitCode
from backcoach.history import db as history_db
from backcoach.history.store import (
    HistoryStore,
    StorageError,
    StoredExercise,
    StoredSession,
    read_last_screen,
)
from backcoach.session.result import EX_PARTIAL, ScreenRecord, SideResult
from tests.history_helpers import LONDON, result, store_results

T0 = datetime(2024, 6, 3, 7, 15, 30, tzinfo=UTC)
NAMES = [name for name, _ in history_db.MIGRATIONS]


@pytest.fixture
def db(backcoach_home: Path) -> Path:
    return backcoach_home / "history.sqlite3"


def pragma(path: Path, name: str) -> Any:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"PRAGMA {name}").fetchone()[0]
    finally:
        conn.close()


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


# ---------------------------------------------------------------- opening and migrations

def test_default_path_is_in_backcoach_home(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        assert store.path == backcoach_home / "history.sqlite3"
    assert (backcoach_home / "history.sqlite3").is_file()


def test_a_new_file_gets_every_migration(db: Path) -> None:
    with HistoryStore.open(db) as store:
        assert store.applied_migrations() == NAMES
        assert store._conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
    assert pragma(db, "application_id") == history_db.APPLICATION_ID
    assert pragma(db, "user_version") == len(history_db.MIGRATIONS)
    assert pragma(db, "journal_mode") == "wal"
    assert {"sessions", "exercise_results", "consent", "screens", "migrations"} <= tables(db)


def test_opening_again_changes_nothing(db: Path) -> None:
    HistoryStore.open(db).close()
    before = db.read_bytes()
    with HistoryStore.open(db) as store:
        assert store.applied_migrations() == NAMES
    assert db.read_bytes() == before


def test_an_older_file_is_upgraded_and_keeps_its_data(db: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(history_db, "MIGRATIONS", history_db.MIGRATIONS[:1])
        [session_id] = store_results(db, [result(T0)])
        with HistoryStore.open(db) as store:
            assert store.applied_migrations() == NAMES[:1]
    assert pragma(db, "user_version") == 1
    assert "consent" not in tables(db)

    with HistoryStore.open(db) as store:
        assert store.applied_migrations() == NAMES
        [session] = store.sessions()
        assert session.id == session_id and session.started_at == T0
        assert len(session.exercises) == 3
        store.record_consent(T0)
        assert store.consent_accepted_at() == T0
    assert pragma(db, "user_version") == len(NAMES)


def test_an_empty_file_is_a_new_history(db: Path) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"")
    with HistoryStore.open(db) as store:
        assert store.applied_migrations() == NAMES


def test_rows_are_read_by_the_names_of_their_columns(db: Path) -> None:
    HistoryStore.open(db).close()
    conn = sqlite3.connect(db)
    try:
        def columns(table: str) -> set[str]:
            return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}

        assert columns("exercise_results") == set(StoredExercise._fields)
        assert columns("sessions") <= set(StoredSession._fields)
    finally:
        conn.close()


def test_storage_error_is_a_runtime_failure() -> None:
    assert issubclass(StorageError, BackcoachError)
    assert StorageError("x").exit_code == ExitCode.FAILURE


# ---------------------------------------------------------------- files that are not ours

def foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('keep me')")
    conn.commit()
    conn.close()


def garbage(path: Path) -> None:
    path.write_bytes(b"this is a shopping list, not a database\n" * 50)


def damaged(path: Path) -> None:
    store_results(path, [result(T0 + timedelta(days=n)) for n in range(3)])
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\xff" * (4096 - 100)  # the schema page after the header: unreadable
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    HistoryStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(history_db.MIGRATIONS) + 1}")
    conn.close()


@pytest.mark.parametrize(("make", "message"), [
    (foreign, "is an SQLite database of another application, not backcoach history; it was left "
              "untouched. To start afresh, move it aside (for example rename it to "
              "history.sqlite3.bak) and backcoach starts a new one"),
    (garbage, "is not an SQLite database, so not backcoach history; it was left untouched. To "
              "start afresh, move it aside (for example rename it to history.sqlite3.bak) and "
              "backcoach starts a new one"),
    (damaged, "is damaged (database disk image is malformed); it was left untouched. To start "
              "afresh, move it aside (for example rename it to history.sqlite3.bak) and "
              "backcoach starts a new one"),
    (newer, f"was written by a newer backcoach (schema {len(history_db.MIGRATIONS) + 1}, this one "
             f"knows {len(history_db.MIGRATIONS)}); upgrade backcoach "
            "to use it"),
], ids=["foreign", "garbage", "damaged", "newer"])
@pytest.mark.counts("storage_faults")
def test_a_file_that_is_not_ours_is_refused_and_left_untouched(
        db: Path, make: Callable[[Path], None], message: str) -> None:
    db.parent.mkdir(parents=True, exist_ok=True)
    make(db)
    before = db.read_bytes()
    siblings = sorted(p.name for p in db.parent.iterdir())
    with pytest.raises(StorageError) as caught:
        HistoryStore.open(db)
    assert str(caught.value) == f"{db} {message}"
    assert "\n" not in str(caught.value)
    assert db.read_bytes() == before
    assert sorted(p.name for p in db.parent.iterdir()) == siblings


@pytest.mark.counts("storage_faults")
def test_damage_found_later_is_a_storage_error_too(db: Path) -> None:
    store_results(db, [result(T0 + timedelta(days=n)) for n in range(40)])
    size = db.stat().st_size
    with HistoryStore.open(db) as store:
        data = bytearray(db.read_bytes())
        data[size - 4096:] = b"\x00\x13" * 2048  # the last page: exercise rows
        db.write_bytes(bytes(data))
        with pytest.raises(StorageError, match="is damaged"):
            store.exercise_rows()


@pytest.mark.counts("storage_faults")
def test_a_folder_in_place_of_the_file(db: Path) -> None:
    db.mkdir(parents=True)
    with pytest.raises(StorageError, match="is not a file; move it aside"):
        HistoryStore.open(db)


def test_sqlite_messages_map_to_clear_errors(db: Path) -> None:
    def mapped(text: str) -> str:
        return str(history_db.storage_error(db, sqlite3.OperationalError(text)))

    assert mapped("attempt to write a readonly database") == (
        f"cannot write history to {db}: the file or its folder is read-only; make it writable "
        "or set BACKCOACH_HOME to a writable folder")
    assert mapped("database is locked") == (
        f"{db} is busy: another backcoach held it for more than 5 s; try again")
    assert mapped("database or disk is full") == f"cannot write history to {db}: the disk is full"


# ---------------------------------------------------------------- read-only folders

@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder an unprivileged user can reach (pytest's own tmp dirs are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="backcoach-ro-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


def open_error(path: Path) -> str:
    """Open the store, as an unprivileged user when run as root (root ignores permissions)."""
    def attempt() -> str:
        try:
            HistoryStore.open(path).close()
        except StorageError as exc:
            return str(exc)
        return "opened"

    if os.geteuid() != 0:
        return attempt()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to 'nobody', try, report through the pipe
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            text = attempt()
        except BaseException as exc:  # anything else is reported as the test's failure
            text = f"unexpected {type(exc).__name__}: {exc}"
        os.write(write, text.encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 4096):
        chunks.append(chunk)
    os.close(read)
    os.waitpid(pid, 0)
    return b"".join(chunks).decode()


@pytest.mark.counts("storage_faults")
def test_a_read_only_folder_without_history(shared_dir: Path) -> None:
    folder = shared_dir / "data"
    folder.mkdir()
    folder.chmod(0o555)
    path = folder / "history.sqlite3"
    assert open_error(path) == (
        f"cannot write history to {path}: the file or its folder is read-only; make it "
        "writable or set BACKCOACH_HOME to a writable folder")
    assert not path.exists()


@pytest.mark.counts("storage_faults")
def test_a_read_only_folder_with_history(shared_dir: Path) -> None:
    folder = shared_dir / "data"
    folder.mkdir()
    path = folder / "history.sqlite3"
    store_results(path, [result(T0)])
    before = path.read_bytes()
    path.chmod(0o444)
    folder.chmod(0o555)
    assert open_error(path).startswith(f"cannot write history to {path}: the file or its "
                                       "folder is read-only")
    assert path.read_bytes() == before


@pytest.mark.counts("storage_faults")
def test_a_folder_that_cannot_be_created(shared_dir: Path) -> None:
    parent = shared_dir / "locked"
    parent.mkdir()
    parent.chmod(0o555)
    path = parent / "backcoach" / "history.sqlite3"
    assert open_error(path) == (
        f"cannot create the history folder {path.parent}: Permission denied; make its parent "
        "writable or set BACKCOACH_HOME to a writable folder")


# ---------------------------------------------------------------- sessions

def test_begin_records_a_partial_session_at_once(db: Path) -> None:
    item = result(T0, status="done")
    with HistoryStore.open(db) as store:
        session_id = store.begin(item)
    with HistoryStore.open(db) as store:  # as if the program had been killed right there
        [session] = store.sessions()
    assert session.id == session_id
    assert session.status == "partial"
    assert session.started_at == T0
    assert [(e.exercise_id, e.side) for e in session.exercises] == [
        ("ex-0", "left"), ("ex-0", "right"), ("ex-1", "none")]


def test_save_then_reopen_keeps_what_was_done(db: Path) -> None:
    item = result(T0, status="partial", exercise_statuses=("not_reached", "not_reached"))
    item.ended_at = None
    store = HistoryStore.open(db)
    session_id = store.begin(item)
    first = item.exercises[0]
    first.status = EX_PARTIAL
    first.held = {"left": SideResult(2, 60.0), "right": SideResult(1, 29.5)}
    item.elapsed_seconds = 140.25
    item.pain_before = 5
    store.save(session_id, item)
    store.save(session_id, item)  # saving again replaces, never duplicates
    store.close()

    with HistoryStore.open(db) as again:
        [session] = again.sessions()
    assert session.status == "partial" and session.ended_at is None
    assert session.elapsed_seconds == 140.25 and session.pain_before == 5
    assert session.active and session.exercises_done == 0 and session.exercises_total == 2
    left, right, none = session.exercises
    assert (left.side, left.reps_done, left.seconds_held, left.status) == ("left", 2, 60.0,
                                                                           "partial")
    assert (right.side, right.reps_done, right.seconds_held) == ("right", 1, 29.5)
    assert (none.side, none.status, none.reps_done) == ("none", "not_reached", 0)


def test_a_finished_session(db: Path) -> None:
    item = result(T0, exercise_statuses=("done", "stopped", "skipped"))
    item.ended_at = T0 + timedelta(minutes=11)
    [session_id] = store_results(db, [item])
    with HistoryStore.open(db) as store:
        session = store.session(session_id)
        assert store.session(session_id + 1) is None
    assert session is not None
    assert session.status == "done" and session.ended_at == T0 + timedelta(minutes=11)
    assert (session.pain_before, session.pain_after, session.screen_tier) == (4, 3, "clear")
    assert session.exercises_done == 1 and session.exercises_total == 3
    stopped = [e for e in session.exercises if e.status == "stopped"]
    assert [(e.stop_reason, e.pain) for e in stopped] == [("hurts", 6)]


def test_save_of_an_unknown_session(db: Path) -> None:
    with HistoryStore.open(db) as store, pytest.raises(StorageError, match="has no session 7"):
        store.save(7, result(T0))


def test_a_failed_save_changes_nothing(db: Path) -> None:
    item = result(T0)
    with HistoryStore.open(db) as store:
        session_id = store.begin(item)
        item.pain_after = 11  # out of range: the database refuses it
        with pytest.raises(StorageError):
            store.save(session_id, item)
        session = store.session(session_id)
    assert session is not None and session.pain_after == 3 and len(session.exercises) == 3


def test_sessions_newest_first_with_limit_and_since(db: Path) -> None:
    starts = [T0 + timedelta(days=n) for n in (2, 0, 1, 3)]
    store_results(db, [result(start) for start in starts])
    with HistoryStore.open(db) as store:
        assert [s.started_at for s in store.sessions()] == sorted(starts, reverse=True)
        assert [s.started_at for s in store.sessions(2)] == sorted(starts, reverse=True)[:2]
        assert [s.started_at for s in store.sessions(since=T0 + timedelta(days=2))] == [
            T0 + timedelta(days=3), T0 + timedelta(days=2)]
        # With their exercise rows, as the whole history has them (sides in order).
        assert store.sessions(since=T0 + timedelta(days=2)) == store.sessions()[:2]
        assert all(len(s.exercises) == 3 for s in store.sessions(since=T0))
        light = store.sessions(with_exercises=False)
        assert all(s.exercises == () and s.exercises_total == 2 for s in light)
        # Without counts (progress over years of history): the same sessions, counts left at 0.
        lean = store.sessions(with_exercises=False, with_counts=False)
        assert [(s.exercises_total, s.exercises_done) for s in lean] == [(0, 0)] * 4
        assert [s._replace(exercises_total=0, exercises_done=0) for s in light] == lean
        assert store.count() == 4
        assert len(store.exercise_rows()) == 12
        assert {r.session_id for r in store.exercise_rows([1, 2])} == {1, 2}
        assert store.exercise_rows([]) == []


def test_times_are_utc_and_shown_in_the_zone_asked_for(db: Path) -> None:
    summer_morning = datetime(2024, 7, 1, 8, 30, tzinfo=LONDON)  # 07:30 UTC
    store_results(db, [result(summer_morning)])
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT started_at FROM sessions").fetchone()[0] == "2024-07-01T07:30:00Z"
    conn.close()
    with HistoryStore.open(db) as store:
        [session] = store.sessions()
    assert session.started_at.tzinfo == UTC
    assert session.local_start(LONDON).hour == 8


def test_a_naive_time_is_taken_as_utc() -> None:
    assert history_db.utc_text(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05Z"
    assert history_db.parse_utc("2024-01-02T03:04:05Z") == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_exercise_tallies_count_each_exercise_once_per_session(db: Path) -> None:
    store_results(db, [result(T0, exercise_statuses=("stopped", "skipped")),
                       result(T0 + timedelta(days=1), exercise_statuses=("stopped", "done")),
                       result(T0 + timedelta(days=2), exercise_statuses=("done", "done"))])
    with HistoryStore.open(db) as store:
        tallies = {t.exercise_id: t for t in store.exercise_tallies()}
        recent = {t.exercise_id: t for t in store.exercise_tallies(since=T0 + timedelta(days=1))}
    assert (tallies["ex-0"].times, tallies["ex-0"].stopped, tallies["ex-0"].skipped) == (3, 2, 0)
    assert (tallies["ex-1"].times, tallies["ex-1"].skipped) == (3, 1)
    assert (recent["ex-0"].times, recent["ex-0"].stopped) == (2, 1)


# ---------------------------------------------------------------- two writers at once

def _writer(path: str, label: str, barrier: Any, count: int) -> None:
    barrier.wait()  # both open the brand-new file at the same moment
    with HistoryStore.open(Path(path)) as store:
        for number in range(count):
            item = result(T0 + timedelta(minutes=number), routine=label)
            session_id = store.begin(item)
            item.elapsed_seconds = 300.0
            store.save(session_id, item)
            store.save(session_id, item)


def test_two_processes_write_at_once_and_lose_nothing(db: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    db.parent.mkdir(parents=True, exist_ok=True)
    workers = [context.Process(target=_writer, args=(str(db), label, barrier, 50))
               for label in ("first", "second")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    with HistoryStore.open(db) as store:
        sessions = store.sessions()
        assert store.applied_migrations() == NAMES
    assert len(sessions) == 100
    assert sorted({s.routine_id for s in sessions}) == ["first", "second"]
    assert all(len(s.exercises) == 3 and s.elapsed_seconds == 300.0 for s in sessions)


# ---------------------------------------------------------------- safety state

def test_consent(db: Path) -> None:
    with HistoryStore.open(db) as store:
        assert store.consent_accepted_at() is None
        store.record_consent(T0)
        store.record_consent(T0 + timedelta(days=1))
        assert store.consent_accepted_at() == T0 + timedelta(days=1)


def test_screens_keep_the_latest(db: Path) -> None:
    first = ScreenRecord(T0, "clear", {"fever": False, "numbness": False})
    second = ScreenRecord(T0 + timedelta(hours=1), "soon", {"fever": False, "numbness": True})
    with HistoryStore.open(db) as store:
        assert store.last_screen() is None
        store.record_screen(second)
        store.record_screen(first)  # recorded later, taken earlier
        assert store.last_screen() == second
    with HistoryStore.open(db) as store:
        assert store.last_screen() == second


def test_a_look_at_the_last_screen_never_makes_a_file(db: Path) -> None:
    assert read_last_screen(db) is None
    assert not db.exists() and not db.parent.exists()
    with HistoryStore.open(db) as store:
        store.record_screen(ScreenRecord(T0, "OK", {"fever": False}))
    assert read_last_screen(db) == ScreenRecord(T0, "OK", {"fever": False})
    assert read_last_screen() == ScreenRecord(T0, "OK", {"fever": False})  # the default path


def test_a_look_at_an_unusable_history_finds_no_screen(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database at all\n" * 10)
    assert read_last_screen(db) is None
    assert db.read_bytes() == b"not a database at all\n" * 10


def test_last_results_are_each_exercises_latest_that_counts(db: Path) -> None:
    # ex-0 stopped three days ago, done yesterday; ex-1 stopped two days ago and only skipped
    # with `n` since (no reason: that does not count); ex-9 never ran. Sessions stored out of
    # order: the latest start wins, not the latest id.
    now = datetime(2024, 5, 10, 8, tzinfo=UTC)
    store_results(db, [
        result(now - timedelta(days=1), exercise_statuses=("done", "skipped")),
        result(now - timedelta(days=3), exercise_statuses=("stopped", "done")),
        result(now - timedelta(days=2), exercise_statuses=("done", "stopped")),
    ])
    with HistoryStore.open_for_reading(db) as store:
        found = store.last_results(["ex-0", "ex-1", "ex-9", "ex-0"])
    assert set(found) == {"ex-0", "ex-1"}
    assert (found["ex-0"].status, found["ex-0"].started_at) == ("done", now - timedelta(days=1))
    assert (found["ex-1"].status, found["ex-1"].stop_reason) == ("stopped", "hurts")
    assert found["ex-1"].started_at == now - timedelta(days=2)


def test_last_results_leave_out_a_row_another_program_wrote(db: Path) -> None:
    now = datetime(2024, 5, 10, 8, tzinfo=UTC)
    store_results(db, [result(now, exercise_statuses=("stopped",))])
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE exercise_results SET name = x'4e616d65'")  # a blob, not text
    conn.close()
    with HistoryStore.open_for_reading(db) as store:
        assert store.last_results(["ex-0"]) == {}
        assert "could not be read" in (store.skipped_note() or "")


# ---------------------------------------------------------------- the active flag

def actives(db: Path) -> dict[int, bool]:
    with HistoryStore.open_for_reading(db) as store:
        return {s.id: s.active for s in store.sessions(with_exercises=False)}


def test_the_active_flag_follows_the_exercise_rows_whoever_writes_them(db: Path) -> None:
    """`sessions.active` (an exercise worked on: the day counts) is kept by the file's own
    triggers, so a row another program inserts, changes or deletes moves it too."""
    worked, idle = store_results(db, [
        result(T0), result(T0 + timedelta(days=1), status="stopped",
                           exercise_statuses=("skipped", "stopped"))])
    assert actives(db) == {worked: True, idle: False}
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("UPDATE exercise_results SET status = 'partial' WHERE session_id = ? "
                     "AND position = 1", (idle,))
        assert actives(db) == {worked: True, idle: True}
        conn.execute("DELETE FROM exercise_results WHERE session_id = ? AND status = 'partial'",
                     (idle,))
        conn.execute("UPDATE exercise_results SET status = 'skipped', reps_done = 0 "
                     "WHERE session_id = ?", (worked,))
        assert actives(db) == {worked: False, idle: False}
        conn.execute("INSERT INTO exercise_results (session_id, position, exercise_id, name, "
                     "side, planned_reps, planned_hold, reps_done, seconds_held, status) "
                     "VALUES (?, 9, 'x', 'X', 'none', 2, 30, 1, 30.0, 'stopped')", (idle,))
        assert actives(db) == {worked: False, idle: True}  # a hold completed before the stop
        conn.execute("UPDATE exercise_results SET session_id = ? WHERE session_id = ? AND "
                     "position = 9", (worked, idle))
        assert actives(db) == {worked: True, idle: False}  # moved: both sessions follow
    finally:
        conn.close()


def test_an_older_file_gains_the_active_flag_from_its_rows(db: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(history_db, "MIGRATIONS", history_db.MIGRATIONS[:4])
        worked, idle, partly = store_results(db, [
            result(T0), result(T0, status="stopped", exercise_statuses=("skipped",)),
            result(T0, status="partial", exercise_statuses=("skipped", "partial"))])
    conn = sqlite3.connect(db)
    try:
        assert "active" not in {row[1] for row in conn.execute("PRAGMA table_info(sessions)")}
    finally:
        conn.close()
    assert actives(db) == {worked: True, idle: False, partly: True}
    with HistoryStore.open_for_reading(db) as store:
        assert store.applied_migrations()[-1] == "0005-sessions-active-flag"
