"""Storage faults: a damaged history, a file that is not SQLite, a locked database, a read-only
data folder, a full disk, and two processes recording 200 sessions each at once.

A history that cannot be used gives one clear line and is never changed; a session that cannot
be saved still runs and says so; under load nothing is lost or overwritten. The store-level
cases (tests/test_storage.py) are counted in the summary, not repeated.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import multiprocessing
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history import db as history_db
from backcoach.history import store as storage
from backcoach.history.store import HistoryStore
from backcoach.history.writer import HistoryWriter
from backcoach.library.catalog import Catalog
from backcoach.library.model import Routine, RoutineItem
from backcoach.safety import redflags
from backcoach.safety.redflags import Tier
from backcoach.session.plan import compile_plan
from backcoach.session.recorder import Recorder, run_recorded
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import exercise
from tests.history.test_store import damaged, foreign, garbage
from tests.robustness.routines import QUICK
from tests.robustness.tally import add

pexpect = pytest.importorskip("pexpect")

RUN = ["run", "quick", "--pain-before", "3", "--pain-after", "2", "--output", "plain"]
T0 = datetime(2024, 6, 3, 7, 0, tzinfo=UTC)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    """Screened (so `run` needs no terminal) and with a 10 s routine."""
    assert invoke("screen", "--clear").exit_code == 0
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(QUICK)
    return backcoach_home


def sessions(path: Path | None = None) -> list[storage.StoredSession]:
    with HistoryStore.open(path) as store:
        return store.sessions()


def intact(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok")
    finally:
        conn.close()


# ---------------------------------------------------------------- files that cannot be used

@pytest.mark.parametrize("make", [damaged, garbage, foreign], ids=["damaged", "not-sqlite",
                                                                  "foreign"])
@pytest.mark.parametrize("command", [["history"], ["progress"], ["export"], RUN])
def test_an_unusable_history_gives_one_clear_line_and_is_left_untouched(
        make: Callable[[Path], None], command: list[str], home: Path) -> None:
    add("storage_faults")
    db = home / "history.sqlite3"
    db.unlink()
    for extra in home.glob("history.sqlite3-*"):
        extra.unlink()
    make(db)
    before = db.read_bytes()
    result = invoke(*command)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert db.read_bytes() == before
    moved = "it was left untouched. To start afresh, move it aside (for example rename it " \
            "to history.sqlite3.bak) and backcoach starts a new one"
    if command is RUN:
        # The session may not start without the safety answers, which were in that file.
        assert result.exit_code == 2
        warning = " ".join(result.stdout.split())
        assert warning.startswith(f"Warning: {db} ") and moved in warning
        assert "This session will run, but it will not be saved" in warning
        assert result.stderr.startswith("Error: the safety questions need your answers")
    else:
        assert result.exit_code == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Error: {db} ") and line.endswith(moved)


YES_NO = re.compile(r"\[y/n\] ")


def answer_the_screen(child: Any) -> None:
    """Accept the statement and say no to every question (as a person who is fine)."""
    child.expect(YES_NO)
    child.sendline("y")
    for _ in range(sum(1 for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE) + 1):
        child.expect(YES_NO)
        child.sendline("n")
    child.expect(r"\[1-4\] ")  # when this bout of pain began
    child.sendline("1")


def said(text: str) -> re.Pattern[str]:
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def run_in_a_terminal(home: Path, screened: bool = False) -> tuple[int, str]:
    """`run quick` in a pseudo-terminal, answering the safety questions (or, `screened`, the
    one about new symptoms); (exit code, output)."""
    env = {**os.environ, "BACKCOACH_HOME": str(home), "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-m", "backcoach", *RUN[:-2], "--speed", "10",
                                           "--no-sound"], env=env, encoding="utf-8",
                          codec_errors="replace", timeout=20, dimensions=(24, 100))
    child.logfile_read = io.StringIO()  # everything, also what the expects went past
    try:
        if screened:
            child.expect(YES_NO)  # any new or changed symptoms?
            child.sendline("n")
        else:
            answer_the_screen(child)
        child.expect(pexpect.EOF)
        child.wait()
        return child.exitstatus, child.logfile_read.getvalue()
    finally:
        child.close(force=True)


def test_a_session_runs_and_says_so_when_the_history_is_damaged(home: Path) -> None:
    add("storage_faults")
    db = home / "history.sqlite3"
    for extra in [db, *home.glob("history.sqlite3-*")]:
        extra.unlink()
    damaged(db)
    before = db.read_bytes()
    code, output = run_in_a_terminal(home)
    assert code == 0, output
    assert said("This session will run, but it will not be saved to your history.").search(
        output)
    assert said("Well done.").search(output)
    assert said("This session was not saved to your history:").search(output)
    assert "Traceback" not in output
    assert db.read_bytes() == before


# ---------------------------------------------------------------- a locked database

@contextlib.contextmanager
def write_lock(db: Path, release_after: float | None = None) -> Iterator[None]:
    """Another connection holds the write lock (as another backcoach mid-write would)."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(release_after or 0, conn.execute, ["COMMIT"])
    if release_after is not None:
        timer.start()
    try:
        yield
    finally:
        timer.join() if release_after is not None else conn.execute("COMMIT")
        conn.close()


@pytest.mark.parametrize("released", [False, True], ids=["held-throughout", "released-later"])
def test_a_locked_history(released: bool, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock outlasts the busy timeout when the session starts. Held to the end, the
    session runs and says it was not saved; released meanwhile, all of it is saved at the end."""
    add("storage_faults")
    monkeypatch.setattr(history_db, "BUSY_TIMEOUT_SECONDS", 0.3)
    db = home / "history.sqlite3"
    with write_lock(db, release_after=0.6 if released else None):
        result = invoke(*RUN, "--speed", "8")
    assert result.exit_code == 0, result.output
    assert "Well done." in result.stdout
    found = sessions()
    if released:
        [saved] = found
        assert (saved.status, saved.pain_before, saved.pain_after) == ("done", 3, 2)
        assert sum(row.reps_done for row in saved.exercises) == 2
        assert "not saved" not in result.stdout
    else:
        assert found == []
        assert (f"This session was not saved to your history: {db} is busy: another backcoach "
                "held it for more than 0.3 s; try again") in " ".join(result.stdout.split())


# ---------------------------------------------------------------- a full disk, simulated

class FullDisk:
    """The store's connection, with writes failing as SQLite's do on a full disk once
    `writes_left` runs out (the real file systems below need permission to mount)."""

    def __init__(self, conn: sqlite3.Connection, writes_left: int) -> None:
        self.conn = conn
        self.writes_left = writes_left
        self.freed = False

    def _check(self, sql: str) -> None:
        if sql.split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.writes_left -= 1
            if self.writes_left < 0 and not self.freed:
                raise sqlite3.OperationalError("database or disk is full")

    def execute(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.conn.execute(sql, *args)

    def executemany(self, sql: str, *args: Any) -> sqlite3.Cursor:
        self._check(sql)
        return self.conn.executemany(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.conn, name)


def fill_disk(monkeypatch: pytest.MonkeyPatch, writes_left: int, freed_at_the_end: bool) -> None:
    """Every store `run` opens fills up after `writes_left` writes; with `freed_at_the_end`
    there is room again for the final save (the one that knows the pain after)."""
    real_open, real_save = HistoryStore.open, HistoryStore.save

    def open_full(cls: type[HistoryStore], path: Path | None = None) -> HistoryStore:
        store = real_open(path)
        store._conn = FullDisk(store._conn, writes_left)  # type: ignore[assignment]
        return store

    def save(store: HistoryStore, session_id: int, result: Any, changed: Any = None) -> None:
        if freed_at_the_end and result.pain_after is not None:
            store._conn.freed = True  # type: ignore[attr-defined]
        real_save(store, session_id, result, changed)

    monkeypatch.setattr(HistoryStore, "open", classmethod(open_full))
    monkeypatch.setattr(HistoryStore, "save", save)


@pytest.mark.parametrize(("full_after", "freed"), [(0, False), (8, False), (8, True)],
                         ids=["full-from-the-start", "full-mid-session", "freed-before-the-end"])
def test_a_full_disk(full_after: int, freed: bool, home: Path,
                     monkeypatch: pytest.MonkeyPatch) -> None:
    add("storage_faults")
    db = home / "history.sqlite3"
    with monkeypatch.context() as patch:
        fill_disk(patch, full_after, freed)
        result = invoke(*RUN, "--speed", "8")
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    assert "Well done." in text
    assert intact(db)
    found = sessions()
    if freed:
        [saved] = found
        assert (saved.status, saved.pain_after, sum(r.reps_done for r in saved.exercises)) \
            == ("done", 2, 2)
        assert "not saved" not in text
        return
    said = "was saved to your history only up to a point" if full_after else "was not saved " \
        "to your history"
    assert f"This session {said}: cannot write history to {db}: the disk is full" in text
    if full_after:  # what was saved before the disk filled is there
        [saved] = found
        assert saved.status == "partial"


# ---------------------------------------------------------------- real file systems

@pytest.fixture
def tiny_fs() -> Iterator[Path]:
    """A 512 KiB tmpfs (needs permission to mount; skipped without it: the simulated full
    disk above always runs)."""
    folder = Path(tempfile.mkdtemp(prefix="backcoach-fs-"))
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k,mode=755", "tmpfs",
                              str(folder)], capture_output=True)
    if mounted.returncode != 0:
        folder.rmdir()
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)
        folder.rmdir()


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with contextlib.suppress(OSError), filler.open("wb") as handle:
        while True:
            handle.write(b"\0" * 4096)
            handle.flush()
    return filler


def prepare(home: Path) -> None:
    assert os.environ["BACKCOACH_HOME"] == str(home)
    assert invoke("screen", "--clear").exit_code == 0
    (home / "routines").mkdir(parents=True, exist_ok=True)
    (home / "routines" / "quick.yaml").write_text(QUICK)


def test_a_really_full_disk_mid_session(tiny_fs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk fills during the first hold: the session goes on to the end and says the
    history could not be written; the file is not damaged and keeps what came before."""
    add("storage_faults")
    home = tiny_fs / "backcoach"
    monkeypatch.setenv("BACKCOACH_HOME", str(home))
    prepare(home)
    child = subprocess.Popen([sys.executable, "-m", "backcoach", *RUN[:-1], "jsonl", "--speed",
                              "8"], env=os.environ.copy(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    for line in child.stdout:
        if '"step_start"' in line and '"hold"' in line:
            break
    filler = fill(tiny_fs)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    text = " ".join(err.split())
    assert "Well done." in text and "Traceback" not in text
    assert f"cannot write history to {home / 'history.sqlite3'}: the disk is full" in text
    filler.unlink()
    assert intact(home / "history.sqlite3")
    [saved] = sessions()
    assert saved.pain_before == 3


def test_a_really_full_disk_before_the_start(tiny_fs: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Full before the history can even be opened: a clear warning, not SQLite's words."""
    add("storage_faults")
    home = tiny_fs / "backcoach"
    monkeypatch.setenv("BACKCOACH_HOME", str(home))
    prepare(home)
    filler = fill(tiny_fs)
    result = invoke(*RUN, "--speed", "8")
    text = " ".join(result.stdout.split())
    assert text.startswith(f"Warning: cannot write history to {home / 'history.sqlite3'}: the "
                           "disk is full This session will run"), text
    assert result.exception is None or isinstance(result.exception, SystemExit)
    filler.unlink()
    assert intact(home / "history.sqlite3")


def test_a_read_only_data_folder(tiny_fs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A read-only file system (root cannot write there either): `history` reads it (issue
    13, item 14); `run` in a terminal keeps the safety answers it holds, runs, and says the
    session was not saved."""
    add("storage_faults")
    home = tiny_fs / "backcoach"
    monkeypatch.setenv("BACKCOACH_HOME", str(home))
    prepare(home)
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_fs)], check=True)
    db = home / "history.sqlite3"
    before = db.read_bytes()
    result = invoke("history")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("No sessions yet.")
    code, output = run_in_a_terminal(home, screened=True)
    assert code == 0, output
    assert said("This session was not saved to your history: cannot write history").search(
        output)
    assert db.read_bytes() == before


# ---------------------------------------------------------------- two writers at once

SESSIONS_EACH = 200


def load_plan_catalog(label: str) -> Catalog:
    two = exercise("two-sided", reps=1, hold=5, setup=1, switch=1)
    one = exercise("one-sided", sides=(), reps=1, hold=5, setup=1)
    routine = Routine(id=label, name=f"Writer {label}", rest_between=1,
                      items=(RoutineItem(two.id), RoutineItem(one.id)))
    return Catalog(exercises={two.id: two, one.id: one}, routines={label: routine})


def _writer(path: str, label: str, barrier: Any, count: int) -> None:
    """Record `count` whole sessions the way `run` does: begin, a save after every step, and
    a final save with the pain after."""
    cat = load_plan_catalog(label)
    plan = compile_plan(cat.routine(label), cat)
    barrier.wait()  # both start at the same moment
    with HistoryStore.open(Path(path)) as store:
        for number in range(count):
            clock = FakeClock()
            moment = T0 + timedelta(minutes=number)
            recorder = Recorder(plan, wall=lambda m=moment: m)
            recorder.result.pain_before = number % 11
            sink = HistoryWriter(store, recorder)
            recorder.sinks = [sink]
            result = run_recorded(plan, clock, ScriptedKeys(clock, []), recorder=recorder)
            result.pain_after = (number * 7) % 11
            sink.save_final(result)
            if sink.failure:
                raise RuntimeError(sink.failure)
            # Back to back, one writer would take the lock again before the other's busy
            # handler woke up, and write all its sessions first; people pause between sessions.
            time.sleep(0.002)


def test_two_processes_record_200_sessions_each_and_lose_nothing(backcoach_home: Path) -> None:
    add("storage_faults")
    db = backcoach_home / "history.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    labels = ("first", "second")
    workers = [context.Process(target=_writer, args=(str(db), label, barrier, SESSIONS_EACH))
               for label in labels]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    took = time.monotonic() - started
    found = sessions(db)
    # Every session once, with its own numbers: nothing lost, nothing overwritten.
    expected = {(label, n) for label in labels for n in range(SESSIONS_EACH)}
    seen: set[tuple[str, int]] = set()
    rows_ok = 0
    for saved in found:
        number = int((saved.started_at - T0).total_seconds() // 60)
        seen.add((saved.routine_id, number))
        good = (saved.status == "done" and saved.pain_before == number % 11
                and saved.pain_after == (number * 7) % 11
                and saved.routine_name == f"Writer {saved.routine_id}")
        rows = [(r.exercise_id, r.side, r.reps_done) for r in saved.exercises]
        rows_ok += good + (rows == [("two-sided", "left", 1), ("two-sided", "right", 1),
                                    ("one-sided", "none", 1)]) * 3
    rows_expected = len(expected) * 4  # a session row and three exercise rows each
    add("load_sessions", len(found))
    add("load_rows", rows_ok)
    add("rows_lost", rows_expected - rows_ok)
    assert len(found) == len({s.id for s in found}) == len(expected)
    assert seen == expected
    # They really wrote at the same time: the two writers' sessions are interleaved.
    order = [s.routine_id for s in sorted(found, key=lambda s: s.id)]
    assert sum(a != b for a, b in itertools.pairwise(order)) > 10
    assert rows_ok == rows_expected
    assert intact(db)
    assert took < 60
