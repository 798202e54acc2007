"""Values and surroundings built to crash: tiny speeds, huge limits, a time zone a day away,
a closed stdout, zero columns; and the last line of defence for what nobody foresaw (issue 13,
items 6 and 10)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach import cli
from backcoach.cli import app
from backcoach.history.store import HistoryStore
from tests.robustness.routines import QUICK
from tests.robustness.tally import add

ROOT = Path(__file__).resolve().parents[2]
RUN = ["run", "quick", "--speed", "50", "--pain-before", "1", "--pain-after", "1", "--output",
       "plain", "--no-sound"]


def invoke(*args: str, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env or None)


@pytest.fixture
def home(backcoach_home: Path) -> Path:
    """Screened, with a 10 s routine and two sessions."""
    assert invoke("screen", "--clear").exit_code == 0
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(QUICK)
    for _ in range(2):
        assert invoke(*RUN).exit_code == 0
    return backcoach_home


def no_crash(done: Result) -> None:
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    assert "Traceback" not in done.output


@pytest.mark.parametrize("speed", ["1e-10", "0", "-1", "nan", "inf", "1e308", "0.09"])
def test_item_6_a_speed_out_of_range_is_bad_input(home: Path, speed: str) -> None:
    add("bad_inputs")
    done = invoke("run", "quick", "--speed", speed)
    no_crash(done)
    assert done.exit_code == 2
    assert done.stderr.startswith("Error: --speed must be from 0.1 to 1000 (times real time), "
                                  "got ")


def test_item_6_a_limit_beyond_any_integer_shows_everything(home: Path) -> None:
    add("bad_inputs")
    done = invoke("history", "--limit", "99999999999999999999")
    no_crash(done)
    assert done.exit_code == 0
    assert done.stdout.count("Quick check") == 2
    as_json = invoke("history", "--json", "-n", str(2**70))
    assert as_json.exit_code == 0 and as_json.stdout.count('"session_id"') == 2


@pytest.fixture
def zone_a_day_away(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC+25")
    time.tzset()
    try:
        yield
    finally:
        monkeypatch.undo()
        time.tzset()


WARNING = ("Warning: TZ=UTC+25 is a day or more away from UTC, which no time zone is; dates "
           "are shown in UTC. Set TZ to a zone such as Europe/London, or pass --tz.")


@pytest.mark.parametrize("command", [["history"], ["progress"], ["export"], RUN])
def test_item_6_a_time_zone_a_day_away_falls_back_to_utc(home: Path, zone_a_day_away: None,
                                                         command: list[str]) -> None:
    add("bad_inputs")
    done = invoke(*command, COLUMNS="300")
    no_crash(done)
    assert done.exit_code == 0
    assert WARNING in " ".join(done.output.split())
    # --tz still works as asked, without the warning
    if command[0] != "run":
        named = invoke(*command, "--tz", "Europe/London")
        assert named.exit_code == 0 and "Warning" not in named.output


def closed_stdout(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """The real program with file descriptor 1 closed (`backcoach ... >&-`)."""
    return subprocess.run([sys.executable, "-m", "backcoach", *args], cwd=ROOT,
                          env={**os.environ, "BACKCOACH_HOME": str(home)},
                          stdin=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          preexec_fn=lambda: os.close(1), timeout=60, check=False)


@pytest.mark.parametrize("command", [["export"], ["list"], ["history", "--json"],
                                     ["--version"]])
def test_item_6_a_closed_stdout_is_an_error_not_silence(home: Path,
                                                        command: list[str]) -> None:
    add("session_faults")
    done = closed_stdout(*command, home=home)
    assert done.returncode == 1
    assert done.stderr == ("Error: standard output is closed, so there is nowhere to print; "
                           "give the command a terminal, a file or a pipe to write to\n")


def test_item_6_a_session_with_stdout_closed_is_saved_and_ends_as_a_hangup(home: Path) -> None:
    """No file the session opens (the history) can become descriptor 1: the closed stdout is
    /dev/null underneath, every print fails, and the session ends as on a closed pipe."""
    add("session_faults")
    db = home / "history.sqlite3"
    done = closed_stdout(*RUN, home=home)
    assert done.returncode == 129, done.stderr
    assert "Traceback" not in done.stderr
    with HistoryStore.open_for_reading(db) as store:
        assert store.count() == 3  # saved, if only as begun


@pytest.mark.parametrize("command", [["list"], ["history"], ["progress"], ["show", "daily"]])
@pytest.mark.parametrize("columns", ["0", "1"])
def test_item_6_zero_columns_still_prints(home: Path, command: list[str], columns: str) -> None:
    add("bad_inputs")
    done = invoke(*command, COLUMNS=columns)
    no_crash(done)
    assert done.exit_code == 0
    widest = max(len(line) for line in done.stdout.splitlines())
    assert widest >= 20, done.stdout  # not empty, not one letter a line
    first_words = {"list": "Routines", "history": "Your sessions", "progress": "Streak",
                   "show": "Daily"}[command[0]]
    assert first_words in done.stdout


# ---------------------------------------------------------------------- item 10

def run_main(monkeypatch: pytest.MonkeyPatch, *args: str) -> int:
    monkeypatch.setattr(sys, "argv", ["backcoach", *args])
    with pytest.raises(SystemExit) as ended:
        cli.main()
    return int(ended.value.code or 0)


def test_item_10_an_unexpected_error_is_one_line_and_a_log(
        backcoach_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    add("session_faults")

    def bug(*_: object, **__: object) -> None:
        raise ZeroDivisionError("a bug nobody foresaw")

    monkeypatch.setattr("backcoach.library.catalog.load_catalog", bug)
    assert run_main(monkeypatch, "list") == 1
    err = capsys.readouterr().err
    log = backcoach_home / "error.log"
    assert err == f"backcoach hit an internal error; details in {log}; please report it\n"
    text = log.read_text()
    assert "command: backcoach list" in text
    assert "Traceback (most recent call last)" in text
    assert "ZeroDivisionError: a bug nobody foresaw" in text
    assert oct(log.stat().st_mode & 0o777) == "0o600"


def test_item_10_with_no_usable_data_folder_the_log_goes_to_a_temporary_file(
        backcoach_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    add("session_faults")
    backcoach_home.parent.mkdir(parents=True, exist_ok=True)
    backcoach_home.write_text("a file where the folder should be\n")
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)

    def bug(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("backcoach.cli.history._zone", bug)
    assert run_main(monkeypatch, "history") == 1
    err = capsys.readouterr().err
    [log] = tmp_path.glob("backcoach-error-*.log")
    assert err == f"backcoach hit an internal error; details in {log}; please report it\n"
    assert "RuntimeError: boom" in log.read_text()


@pytest.mark.parametrize(("raised", "code"), [(KeyboardInterrupt(), 130)])
def test_item_10_ctrl_c_and_user_errors_are_not_internal_errors(
        backcoach_home: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], raised: BaseException, code: int) -> None:
    add("session_faults")

    def interrupted(*_: object, **__: object) -> None:
        raise raised

    monkeypatch.setattr("backcoach.library.catalog.load_catalog", interrupted)
    assert run_main(monkeypatch, "list") == code
    assert run_main(monkeypatch, "run", "--speed", "0") == 2  # a BackcoachError: its own line
    err = capsys.readouterr().err
    assert "internal error" not in err
    assert not (backcoach_home / "error.log").exists()
