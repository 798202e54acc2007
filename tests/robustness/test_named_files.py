"""Files named on the command line (`export -o`, `run --events`): backcoach's own data is never
a target, an existing file needs --force, FIFOs and devices are written into, and a spreadsheet
never runs a name as a formula (issue 13, items 1, 2 and 4)."""

from __future__ import annotations

import csv
import io
import os
import re
import sqlite3
import stat
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.history.store import HistoryStore
from tests.history_helpers import result as a_result
from tests.history_helpers import store_results
from tests.robustness.routines import QUICK
from tests.robustness.tally import add

pexpect = pytest.importorskip("pexpect")

README = Path(__file__).resolve().parents[2] / "README.md"
RUN = ["run", "quick", "--speed", "50", "--pain-before", "1", "--pain-after", "1", "--output",
       "plain", "--no-sound"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def home(backcoach_home: Path) -> Iterator[Path]:
    """A person's home: screened, one session in the history, a routine and settings."""
    assert invoke("screen", "--clear").exit_code == 0
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(QUICK)
    (backcoach_home / "config.yaml").write_text("voice: false\n")
    done = invoke(*RUN)
    assert done.exit_code == 0, done.output
    yield backcoach_home


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the home, to show nothing of it changed."""
    return {str(p.relative_to(home)): p.read_bytes() for p in sorted(home.rglob("*"))
            if p.is_file() and not p.name.startswith("history.sqlite3")}


def sessions(home: Path) -> list[tuple[str, str]]:
    with HistoryStore.open_for_reading(home / "history.sqlite3") as store:
        return [(s.routine_id, s.status) for s in store.sessions()]


OWN = ["history.sqlite3", "history.sqlite3-wal", "history.sqlite3-shm",
       "history.sqlite3-journal", "config.yaml", "routines/quick.yaml", "routines/new.csv",
       "link-to-history", "hard-link-to-history"]


@pytest.mark.parametrize("command", ["export -o", "run --events"])
@pytest.mark.parametrize("target", OWN)
def test_item_1_export_onto_the_history_is_refused(home: Path, tmp_path: Path, target: str,
                                                  command: str) -> None:
    """The history, its SQLite companions, config.yaml, the routines folder, and a symbolic or
    a hard link to the history, are refused (exit 2) before anything is opened or written;
    --force changes nothing about that."""
    add("named_files")
    db = home / "history.sqlite3"
    if target == "link-to-history":
        path = tmp_path / "backup.db"
        path.symlink_to(db)
    elif target == "hard-link-to-history":
        path = tmp_path / "backup.db"
        os.link(db, path)
    else:
        path = home / target
    before, history = snapshot(home), sessions(home)
    args = (["export", "-o", str(path), "--force"] if command == "export -o"
            else [*RUN, "--events", str(path), "--force"])
    done = invoke(*args)
    assert done.exit_code == 2, done.output
    option = "--output" if command == "export -o" else "--events"
    assert re.fullmatch(rf"Error: {re.escape(str(path))} is (backcoach's|in your) .*: backcoach "
                        rf"never writes {option} over its own data\. Name another file\n",
                        done.stderr), done.stderr
    assert snapshot(home) == before
    assert sessions(home) == history  # not a session more: the run never started
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()


@pytest.mark.parametrize("command", ["export", "run"])
def test_item_2_an_existing_file_needs_force(home: Path, tmp_path: Path, command: str) -> None:
    add("named_files", 2)
    path = tmp_path / "out.txt"
    path.write_text("keep me\n")
    path.chmod(0o640)
    args = ["export", "-o", str(path)] if command == "export" else [*RUN, "--events", str(path)]
    refused = invoke(*args)
    assert refused.exit_code == 2
    assert refused.stderr == (f"Error: {path} already exists; add --force to replace it, or "
                              "name another file\n")
    assert path.read_text() == "keep me\n"
    forced = invoke(*args, "--force")
    assert forced.exit_code == 0, forced.output
    text = path.read_text()
    assert text.startswith("session_id," if command == "export" else '{"t": 0.0, "event": '
                           '"session_start"')
    assert stat.S_IMODE(path.stat().st_mode) == 0o640  # replaced, permissions kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]  # no temporary file left


def test_item_2_a_new_events_file_grows_during_the_session(home: Path, tmp_path: Path) -> None:
    """A new --events file is written as the session goes (a reader can follow it)."""
    add("named_files")
    path = tmp_path / "live.jsonl"
    seen: list[int] = []
    from backcoach.render.jsonl import JsonlSink

    real = JsonlSink.handle

    def watch(sink: JsonlSink, event: object) -> None:
        real(sink, event)  # type: ignore[arg-type]
        if sink.owns_stream:
            seen.append(len(path.read_text().splitlines()))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(JsonlSink, "handle", watch)
        done = invoke(*RUN, "--events", str(path))
    assert done.exit_code == 0, done.output
    assert seen[:3] == [1, 2, 3]


def test_item_2_a_fifo_is_written_into_not_replaced(home: Path, tmp_path: Path) -> None:
    add("named_files")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    done = invoke("export", "-o", str(fifo))
    reader.join(10)
    assert done.exit_code == 0, done.output
    assert received and received[0].startswith("session_id,routine_id")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_item_2_character_devices_are_written_into(home: Path) -> None:
    add("named_files", 2)
    done = invoke("export", "-o", "/dev/null")
    assert done.exit_code == 0, done.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    full = invoke("export", "-o", "/dev/full")
    assert full.exit_code == 1
    assert full.stderr == "Error: cannot write /dev/full: No space left on device\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_item_2_a_block_device_a_folder_and_a_dangling_link_are_refused(
        home: Path, tmp_path: Path) -> None:
    add("named_files", 3)
    folder = invoke("export", "-o", str(tmp_path))
    assert (folder.exit_code, folder.stderr) == (
        2, f"Error: {tmp_path} is a folder; give a file name, such as {tmp_path / 'x'}\n")
    link = tmp_path / "report.csv"
    link.symlink_to(tmp_path / "elsewhere" / "report.csv")
    dangling = invoke("export", "-o", str(link))
    assert dangling.exit_code == 2
    assert "which does not exist; backcoach does not follow it" in dangling.stderr
    assert not (tmp_path / "elsewhere").exists()
    disk = tmp_path / "disk"
    try:
        os.mknod(disk, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except (PermissionError, OSError):
        pytest.skip("making a block device node needs root")
    refused = invoke("export", "-o", str(disk))
    assert refused.exit_code == 2
    assert "is a block device (a disk or a partition); backcoach never writes to one" in \
        refused.stderr


def test_item_2_export_asks_before_replacing_at_a_terminal(home: Path, tmp_path: Path) -> None:
    """In a terminal the person is asked; no keeps the file, yes replaces it."""
    add("named_files", 2)
    path = tmp_path / "back.csv"
    for answer, kept in (("n", True), ("y", False)):
        path.write_text("keep me\n")
        child = pexpect.spawn(sys.executable, ["-m", "backcoach", "export", "-o", str(path)],
                              env={**os.environ, "BACKCOACH_HOME": str(home)},
                              encoding="utf-8", timeout=20, dimensions=(24, 400))
        child.expect(re.escape(f"{path} already exists. Replace it?") + r".*\[y/n\] ")
        child.sendline(answer)
        child.expect(pexpect.EOF)
        child.close()
        assert (path.read_text() == "keep me\n") is kept
        assert child.exitstatus == (2 if kept else 0)


@pytest.mark.parametrize(("name", "cell"), [
    ('=HYPERLINK("http://x.test","click")', '\'=HYPERLINK("http://x.test","click")'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("-2+3", "'-2+3"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    # A tab or CR written by another program is shown as text by the history reader first.
    ("\tTab", "\\u0009Tab"),
    ("\rReturn", "\\u000dReturn"),
])
def test_item_4_csv_cells_are_never_formulas(backcoach_home: Path, name: str,
                                             cell: str) -> None:
    """A routine or exercise name a spreadsheet would run gets a ' in front, as OWASP
    advises; the JSON export keeps it as written."""
    add("named_files")
    session = a_result(datetime(2024, 6, 3, 7, tzinfo=UTC))
    session.routine_name = name
    session.exercises[0].name = name
    store_results(backcoach_home / "history.sqlite3", [session])
    done = invoke("export", "--format", "csv")
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert rows[0]["routine_name"] == cell
    assert rows[0]["exercise_name"] == cell
    assert rows[-1]["exercise_name"] == "Exercise 1"  # ordinary text is left alone
    assert rows[0]["pain_before"] == "4"  # and numbers stay numbers


def test_item_4_every_formula_start_is_neutralised() -> None:
    from backcoach.history.export import spreadsheet_safe

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert spreadsheet_safe(f"{start}1+1") == f"'{start}1+1"
    assert spreadsheet_safe("Knee to chest") == "Knee to chest"
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(None) is None


def test_item_4_the_readme_says_so() -> None:
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "starts with =, +, -, @, a tab or a carriage return gets a ' in front" in text
