"""`backcoach run` end to end: pipes, JSON lines, and the real program in a pseudo-terminal."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from backcoach.history.store import HistoryStore
from backcoach.library.catalog import load_catalog
from backcoach.safety import redflags
from backcoach.safety.redflags import Tier
from backcoach.session.plan import compile_plan

pexpect = pytest.importorskip("pexpect")
MAIN_COUNT = sum(1 for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE)
YES_NO = re.compile(r"\[y/n\] ")


def env_for(home: Path) -> dict[str, str]:
    return {**os.environ, "BACKCOACH_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm",
            "COLUMNS": "100"}


def backcoach(home: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backcoach", *args], env=env_for(home),
                          capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def screened(backcoach_home: Path) -> Path:
    """A home whose safety screen is done (all clear), as after `backcoach screen --clear`."""
    done = backcoach(backcoach_home, "screen", "--clear")
    assert done.returncode == 0, done.stderr
    return backcoach_home


def sessions() -> list[Any]:
    with HistoryStore.open() as store:
        return store.sessions()


def test_plain_through_a_pipe_runs_to_the_end(screened: Path) -> None:
    done = backcoach(screened, "run", "daily", "--speed", "1000", "--output", "plain",
                     "--pain-before", "4", "--pain-after", "3")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout
    lines = done.stdout.splitlines()
    assert lines[0].startswith("[00:00] Daily lower-back routine: 4 exercises")
    assert "Done. 4 of 4 exercises done in full." in done.stdout
    assert "Well done." in done.stdout and "pain 4 → 3 (better)" in done.stdout
    [stored] = sessions()
    assert (stored.status, stored.pain_before, stored.pain_after) == ("done", 4, 3)


def test_auto_output_off_a_terminal_is_plain(screened: Path) -> None:
    done = backcoach(screened, "run", "gentle", "--speed", "1000", "--pain-before", "1",
                     "--pain-after", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[00:00] Gentle")


def test_jsonl_events_parse_and_step_ends_match_the_plan(screened: Path) -> None:
    """The real program on the real clock; tests/test_app.py checks every step of a whole
    daily run to the millisecond on a fake one."""
    speed = 300
    done = backcoach(screened, "run", "gentle", "--speed", str(speed), "--output", "jsonl",
                     "--pain-before", "2", "--pain-after", "2")
    assert done.returncode == 0, done.stderr
    events = [json.loads(line) for line in done.stdout.splitlines()]  # every line parses
    assert events[0]["event"] == "session_start" and events[-1]["event"] == "session_end"
    catalog = load_catalog()
    plan = compile_plan(catalog.routine("gentle"), catalog)
    ends = [e for e in events if e["event"] == "step_end"]
    assert len(ends) == len(plan.steps)
    for event in ends:
        expected = plan.steps[event["step"]].end / speed
        # generous bound for a loaded CI machine; the benchmark reports the real figure
        assert 0 <= event["t"] - expected + 0.001 < 0.25, (event, expected)
    assert "Well done" in done.stderr  # the summary stays off stdout, which is for machines


def test_events_file_beside_the_plain_view(screened: Path, tmp_path: Path) -> None:
    path = tmp_path / "events.jsonl"
    done = backcoach(screened, "run", "desk-break", "--speed", "1000", "--output", "plain",
                     "--events", str(path), "--pain-before", "0", "--pain-after", "0")
    assert done.returncode == 0, done.stderr
    kinds = [json.loads(line)["event"] for line in path.read_text().splitlines()]
    assert kinds[0] == "session_start" and kinds[-1] == "session_end"
    assert done.stdout.startswith("[00:00] Desk break")


@pytest.mark.parametrize(("args", "message"), [
    (["run", "dialy"], "Error: no routine called 'dialy' (did you mean 'daily'?)"),
    (["run", "--speed", "0"], "Error: --speed must be from 0.1 to 1000 (times real time), got 0"),
    (["run", "--output", "fancy"], "Error: --output must be one of auto, rich, plain, jsonl"),
    (["run", "--only", "nope"], "Error: no exercise called 'nope'"),
])
def test_bad_options_exit_2_with_one_line(screened: Path, args: list[str], message: str) -> None:
    done = backcoach(screened, *args)
    assert done.returncode == 2
    assert done.stderr.startswith(message), done.stderr
    assert "Traceback" not in done.stderr


def test_run_without_a_screen_off_a_terminal_says_how(backcoach_home: Path) -> None:
    done = backcoach(backcoach_home, "run", "--speed", "100")
    assert done.returncode == 2
    assert "backcoach screen" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.counts("session_faults")
def test_sigkill_mid_session_keeps_the_done_part(screened: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-m", "backcoach", "run", "daily", "--speed", "40", "--output",
         "jsonl", "--pain-before", "5"], env=env_for(screened), stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, text=True)
    assert child.stdout is not None
    holds_done = 0
    deadline = time.monotonic() + 30
    while holds_done < 3 and time.monotonic() < deadline:
        event = json.loads(child.stdout.readline())
        holds_done += event["event"] == "step_end" and event["kind"] == "hold"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    assert holds_done == 3
    [stored] = sessions()
    assert stored.status == "partial" and stored.pain_before == 5
    with HistoryStore.open() as store:
        rows = store.exercise_rows([stored.id])
    done_reps = sum(row.reps_done for row in rows if row.exercise_id == "knee-to-chest")
    assert done_reps == 3


# ---------------------------------------------------------------- in a pseudo-terminal

def spawn(home: Path, *args: str) -> Any:
    """The real program in a pseudo-terminal; afterwards the shell prints the exit code and
    the terminal settings, to show they were restored. Ctrl-C can cut a frame in the middle
    of a UTF-8 character, so undecodable bytes are replaced rather than failing the read."""
    command = " ".join([sys.executable, "-m", "backcoach", "run", *args])
    return pexpect.spawn("bash", ["-c", f"{command}; echo EXIT=$?; stty -a"],
                         env=env_for(home), timeout=20, encoding="utf-8", codec_errors="replace",
                         dimensions=(24, 80))


def said(text: str) -> re.Pattern[str]:
    """Words however the terminal wrapped them."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def assert_restored(child: Any) -> str:
    child.expect(r"EXIT=(\d+)")
    code = child.match.group(1)
    child.expect(pexpect.EOF)
    settings = child.before
    assert re.search(r"(?<!-)\bicanon\b", settings) and re.search(r"(?<!-)\becho\b", settings)
    return str(code)


@pytest.mark.e2e
def test_pty_pause_resume_skip_quit(screened: Path) -> None:
    child = spawn(screened, "daily", "--speed", "2", "--pain-before", "2", "--no-sound")
    child.expect(YES_NO)  # any new or changed symptoms?
    child.sendline("n")
    child.expect("Knee-to-chest stretch")
    child.expect("Starting in")
    child.send(" ")  # the setup waits for the person
    child.expect("Waiting for you · space when you are in position")
    child.send(" ")
    child.send("n")  # skip the setup
    child.expect("LEFT SIDE · rep 1/2")
    child.expect("seconds · hold")
    child.send("?")
    child.expect("make this hold 5 s longer or shorter")
    child.send("q")  # quit asks once, also from the help
    child.expect("Quit this session")
    child.send("q")
    child.expect(said("Before you go: how is your pain now"))  # a hold had begun
    output = child.before + child.after
    assert output.rfind("\x1b[?25h") > output.rfind("\x1b[?25l")  # the cursor is shown again
    child.sendline("2")
    child.expect(said("Stopped early."))
    assert assert_restored(child) == "0"
    [stored] = sessions()
    assert stored.status == "partial" and stored.end_reason == "quit"


@pytest.mark.counts("session_faults")
@pytest.mark.e2e
def test_pty_ctrl_c_saves_and_exits_130(screened: Path) -> None:
    child = spawn(screened, "daily", "--speed", "5", "--pain-before", "3", "--no-sound")
    child.expect(YES_NO)
    child.sendline("n")
    child.expect("rep 1/2")
    child.sendintr()
    child.expect(said("Stopped early."))
    assert assert_restored(child) == "130"
    [stored] = sessions()
    assert stored.status == "partial" and stored.end_reason == "interrupted"


@pytest.mark.e2e
def test_pty_red_flag_means_no_session_and_exit_3(backcoach_home: Path) -> None:
    child = spawn(backcoach_home, "daily", "--no-sound")
    child.expect(YES_NO)  # the statement: accept
    child.sendline("y")
    child.expect(YES_NO)  # first question: new numbness around the groin
    child.sendline("y")
    child.expect(said("Call emergency services or go to an emergency department now."))
    assert assert_restored(child) == "3"
    assert "Starting in" not in child.before
    assert sessions() == []


@pytest.mark.e2e
def test_pty_all_clear_runs_the_session(backcoach_home: Path) -> None:
    child = spawn(backcoach_home, "gentle", "--speed", "200", "--no-sound")
    child.expect(YES_NO)
    child.sendline("y")
    for _ in range(MAIN_COUNT + 1):  # every question, then "any of these conditions?"
        child.expect(YES_NO)
        child.sendline("n")
    child.expect(r"\[1-4\] ")  # when this bout of pain began
    child.sendline("1")
    child.expect(said("from 0"))  # pain now
    child.sendline("3")
    child.expect("Starting in")
    child.expect(said("How is your pain now"), timeout=30)
    child.sendline("2")
    child.expect(said("Well done."))
    assert assert_restored(child) == "0"
    [stored] = sessions()
    assert (stored.status, stored.pain_before, stored.pain_after) == ("done", 3, 2)


def test_clearance_answers_leave_exercises_out_and_say_why(backcoach_home: Path) -> None:
    from datetime import UTC, datetime

    from backcoach.session.result import ScreenRecord

    answers = {q.id: q.id == "osteoporosis" for q in redflags.load_questions()}
    with HistoryStore.open() as store:
        store.record_consent(datetime.now(UTC))
        store.record_screen(ScreenRecord(datetime.now(UTC), "CLEARANCE", answers))
    shown = backcoach(backcoach_home, "show", "knee-to-chest")
    assert " ".join(shown.stdout.split()).count("Left out of your sessions: not advised with "
                                                "osteoporosis") == 1
    as_json = json.loads(backcoach(backcoach_home, "show", "daily", "--json").stdout)
    assert list(as_json["left_out"]) == ["knee-to-chest"]
    done = backcoach(backcoach_home, "run", "daily", "--speed", "1000", "--output", "jsonl",
                     "--pain-before", "1", "--pain-after", "1")
    assert done.returncode == 0, done.stderr
    assert "Leaving out Knee-to-chest stretch today: not advised with osteoporosis" in " ".join(
        done.stderr.split())
    exercises = {json.loads(line).get("exercise") for line in done.stdout.splitlines()}
    assert "knee-to-chest" not in exercises and "piriformis-figure-four" in exercises
