"""The command line as clig.dev and typer/click users expect it (issue 14, items 9, 10, 12-17):
completion, --json, `-`, -V, readable help, the bare status, tables that read at 80 and 60
columns, a pager for long pages, one duration format, copies with names of their own."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import COMMANDS, app
from backcoach.history.store import HistoryStore
from backcoach.library.catalog import load_catalog
from tests.history_helpers import result as a_result

pexpect = pytest.importorskip("pexpect")


def cli(*args: str, input: str | None = None, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), input=input, env=env or None)


def process(home: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "BACKCOACH_HOME": str(home), **env}
    return subprocess.run([sys.executable, "-m", "backcoach", *args], env=environment,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)


def with_history(days: int = 3, routine: str = "daily", done_today: bool = False) -> None:
    """Sessions on the last `days` days (not today unless `done_today`)."""
    now = datetime.now(UTC)
    with HistoryStore.open() as store:
        for back in range(days, 0 if done_today else 1, -1):
            session = a_result(now - timedelta(days=back - 1, minutes=5), routine=routine)
            store.save(store.begin(session), session)


# ---------------------------------------------------------------- 15: the bare status

def test_item_15_bare_backcoach_on_a_fresh_home(backcoach_home: Path) -> None:
    done = process(backcoach_home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "No sessions yet. Today: the daily routine, with a short safety check first.",
        "Start it: backcoach run  ·  every command: backcoach --help"]
    assert not (backcoach_home / "history.sqlite3").exists()  # a glance creates nothing


def test_item_15_bare_backcoach_with_history(backcoach_home: Path) -> None:
    with_history(3)
    lines = cli().stdout.splitlines()
    assert lines[0].startswith("Today: Daily, not done yet. Streak: 2 days")
    assert lines[0].endswith("(a session today makes it 3 days).")
    assert lines[1] == "Start it: backcoach run  ·  every command: backcoach --help"


def test_item_15_a_streak_longer_than_the_first_days_read(backcoach_home: Path) -> None:
    # The status reads 32 days back first, and further while the streak fills them: a
    # 40-day streak after a two-day gap (and older sessions) is counted whole, as progress does.
    with_history(41)
    now = datetime.now(UTC)
    with HistoryStore.open() as store:
        for back in range(43, 60):
            session = a_result(now - timedelta(days=back), routine="daily")
            store.save(store.begin(session), session)
    lines = process(backcoach_home).stdout.splitlines()
    assert lines[0].startswith("Today: Daily, not done yet. Streak: 40 days"), lines
    assert lines[0].endswith("(a session today makes it 41 days).")
    assert json.loads(cli("progress", "--json").stdout)["streak"]["current"] == 40


def test_item_15_done_today_and_the_routine_setting(backcoach_home: Path) -> None:
    with_history(2, routine="gentle", done_today=True)
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "config.yaml").write_text("routine: gentle\n")
    lines = cli().stdout.splitlines()
    assert re.fullmatch(r"Today: .+, done at \d\d:\d\d\. Streak: 2 days\.", lines[0]), lines
    assert lines[1].startswith("Another session: backcoach run")
    assert cli().exit_code == 0


def test_item_15_a_single_exercise_session_does_not_do_the_routine(backcoach_home: Path) -> None:
    with_history(1, routine="", done_today=True)
    assert "not done yet" in cli().stdout


# ---------------------------------------------------------------- 13: -V, --json, validate -

def test_item_13_dash_v_is_the_version(backcoach_home: Path) -> None:
    from backcoach import __version__

    assert cli("-V").stdout == cli("--version").stdout == f"backcoach {__version__}\n"


def test_item_13_progress_json(backcoach_home: Path) -> None:
    assert json.loads(cli("progress", "--json").stdout) == {"sessions_total": 0}
    with_history(3)
    data = json.loads(cli("progress", "--json").stdout)
    assert data["streak"]["current"] == 2 and data["sessions_total"] == 2
    assert data["this_week"][0]["routine_id"] == "daily"
    assert data["this_week"][0]["planned"] == 7
    assert len(data["pain"]) == 56 and isinstance(data["advice"], list)
    assert set(data) >= {"seconds_total", "pain_trend", "skipped_or_stopped"}


def test_item_13_every_command_that_prints_data_takes_json() -> None:
    for name in ("list", "show", "history", "progress", "config"):
        assert "--json" in cli(name, "--help").stdout, name


def test_item_13_validate_reads_standard_input(backcoach_home: Path) -> None:
    good = (Path(__file__).parents[2] / "exercises" / "chin-tuck.yaml").read_text()
    assert cli("validate", "-", input=good).stdout == "1 file checked: all valid.\n"
    bad = cli("validate", "-", input="id: sit\nname: Sit\nposition: lying\nsteps: [Sit.]\n"
                                     "key_step: 2\n")
    assert bad.exit_code == 2
    assert bad.stderr.splitlines()[0] == (
        "<stdin>:5:11: key_step must be the number of one of the 1 steps, got 2")
    broken = cli("validate", "-", input="id: x\nname: [\n")
    assert broken.exit_code == 2 and broken.stderr.startswith("<stdin>:3:1: YAML syntax error")
    both = cli("validate", "-", "other.yaml", input="")
    assert both.exit_code == 2 and "standard input" in both.stderr


# ---------------------------------------------------------------- 14: readable help

@pytest.mark.parametrize("name", COMMANDS)
def test_item_14_help_shows_no_python_types(name: str) -> None:
    text = cli(name, "--help").stdout
    assert not re.search(r"<(str|int|float|path|list\[[a-z]+\]|int range)>", text,
                         re.IGNORECASE), text
    assert "╭" not in text  # plain help, as `backcoach --help`


def test_item_14_run_help_names_its_values() -> None:
    text = " ".join(cli("run", "--help").stdout.split())
    for shown in ("--only ID", "--speed FACTOR", "--output auto|rich|plain|jsonl",
                  "--pain-before 0-10", "--events FILE", "[ROUTINE]"):
        assert shown in text, shown


# ---------------------------------------------------------------- 12: shell completion

def complete(home: Path, words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after `words` (the last one being completed)."""
    parts = words.split(" ")
    env = {"_BACKCOACH_COMPLETE": f"complete_{shell}", "COMP_WORDS": words,
           "COMP_CWORD": str(len(parts) - 1), "_TYPER_COMPLETE_ARGS": words}
    done = process(home, **env)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_item_12_completion_offers_routine_and_exercise_ids(backcoach_home: Path) -> None:
    assert complete(backcoach_home, "backcoach run d") == ["daily", "desk-break"]
    assert complete(backcoach_home, "backcoach run --only chin") == ["chin-tuck"]
    # Other names an exercise is found by are offered too: `show kneeling-lunge` works.
    assert complete(backcoach_home, "backcoach show kneel") == ["kneeling-hip-flexor",
                                                               "kneeling-lunge"]
    assert complete(backcoach_home, "backcoach edit neck-a") == ["neck-and-shoulders"]


def test_item_12_completion_for_zsh_and_fish_says_what_each_id_is(backcoach_home: Path) -> None:
    fish = process(backcoach_home, _BACKCOACH_COMPLETE="complete_fish",
                   _TYPER_COMPLETE_ARGS="backcoach run gen",
                   _TYPER_COMPLETE_FISH_ACTION="get-args")
    assert "gentle" in fish.stdout and "Gentle flare-up routine" in fish.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_item_12_show_completion_prints_a_script(backcoach_home: Path, shell: str) -> None:
    # Without the detection of the shell running backcoach, the shell is named.
    done = process(backcoach_home, "--show-completion", shell,
                   _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    assert done.returncode == 0, done.stderr
    assert "_BACKCOACH_COMPLETE" in done.stdout and f"complete_{shell}" in done.stdout


def test_item_12_completing_never_prints_an_error(backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "routines").mkdir()
    (backcoach_home / "routines" / "broken.yaml").write_text("id: [\n")
    assert "daily" in complete(backcoach_home, "backcoach run da")


# ---------------------------------------------------------------- 10: copies get own names

def test_item_10_a_copy_is_named_after_its_id(backcoach_home: Path) -> None:
    made = cli("new", "routine", "my-morning", "--from", "daily")
    assert made.exit_code == 0, made.output
    catalog = load_catalog()
    assert catalog.routines["my-morning"].name == "My morning"
    assert catalog.routines["daily"].name == "Daily lower-back routine"
    named = cli("new", "exercise", "my-tuck", "--from", "chin-tuck", "--name",
                'Tuck: "small" #1')
    assert named.exit_code == 0, named.output
    assert load_catalog().exercises["my-tuck"].name == 'Tuck: "small" #1'
    assert cli("validate").exit_code == 0
    listed = " ".join(cli("list", COLUMNS="200").stdout.split())
    assert "My morning" in listed and "Daily lower-back routine" in listed
    refused = cli("new", "routine", "other", "--name", "Other")
    assert refused.exit_code == 2 and "--from" in refused.stderr


# ---------------------------------------------------------------- 16 and 9: tables

def words_intact(text: str, words: list[str]) -> None:
    """No word of `words` is cut inside: each is whole on one line or absent."""
    for word in words:
        for cut in range(2, len(word) - 1):
            head, tail = word[:cut], word[cut:]
            assert not re.search(rf"\b{re.escape(head)}\s*\n\s*{re.escape(tail)}\b", text), word


@pytest.mark.parametrize("columns", [80, 60])
@pytest.mark.parametrize("command", [["list"], ["show", "daily"], ["history"], ["config"],
                                     ["progress"], ["show", "knee-to-chest"]])
def test_item_16_tables_read_at_80_and_60_columns(backcoach_home: Path, command: list[str],
                                                  columns: int) -> None:
    with_history(10)
    text = cli(*command, COLUMNS=str(columns)).stdout
    assert text and all(len(line) <= columns for line in text.splitlines()), text
    catalog = load_catalog()
    names = [e.name for e in catalog.exercises.values()] + [
        r.name for r in catalog.routines.values()]
    words_intact(text, sorted({w for n in names for w in n.split() if len(w) > 3}))


def test_item_9_one_duration_format_everywhere(backcoach_home: Path) -> None:
    with HistoryStore.open() as store:
        session = a_result(datetime.now(UTC) - timedelta(hours=1), elapsed=51)
        store.save(store.begin(session), session)
    history = cli("history", COLUMNS="100").stdout
    assert "51 s" in history and "<1" not in history
    listed = cli("list", COLUMNS="200").stdout
    assert re.search(r"daily .* 10 min 20 s ", listed)
    assert "about 10 min 20 s" in cli("show", "daily").stdout


# ---------------------------------------------------------------- 17: a pager for long pages

def pager_script(tmp_path: Path) -> tuple[str, Path]:
    log = tmp_path / "paged.txt"
    script = tmp_path / "pager"
    script.write_text(f"#!/bin/sh\necho PAGED >> {log}\ncat >> {log}\n")
    script.chmod(0o755)
    return str(script), log


def in_pty(home: Path, command: str, rows: int, **env: str) -> tuple[int, str]:
    environment = {**os.environ, "BACKCOACH_HOME": str(home), "TERM": "xterm", **env}
    environment.pop("COLUMNS", None)
    child = pexpect.spawn("bash", ["-c", f"{sys.executable} -m backcoach {command}"],
                          env=environment, dimensions=(rows, 80), timeout=30,
                          encoding="utf-8", codec_errors="replace")
    out = child.read()
    child.close()
    return child.exitstatus, out


@pytest.mark.e2e
def test_item_17_a_long_page_at_a_terminal_goes_through_the_pager(backcoach_home: Path,
                                                                   tmp_path: Path) -> None:
    pager, log = pager_script(tmp_path)
    code, shown = in_pty(backcoach_home, "show knee-to-chest", 10, PAGER=pager)
    assert code == 0
    paged = log.read_text()
    assert paged.startswith("PAGED\nKnee-to-chest stretch\n") and "File: " in paged
    assert "Knee-to-chest stretch" not in shown  # all of it went to the pager
    log.unlink()
    # It fits (62 rows with the picture, in 80): printed as it is. --no-pager: never. Piped: never.
    code, shown = in_pty(backcoach_home, "show knee-to-chest", 80, PAGER=pager)
    assert code == 0 and "Knee-to-chest stretch" in shown and not log.exists()
    code, shown = in_pty(backcoach_home, "show knee-to-chest --no-pager", 10, PAGER=pager)
    assert code == 0 and "Knee-to-chest stretch" in shown and not log.exists()
    code, shown = in_pty(backcoach_home, "show knee-to-chest | cat", 10, PAGER=pager)
    assert code == 0 and "Knee-to-chest stretch" in shown and not log.exists()


@pytest.mark.e2e
def test_item_17_history_and_progress_page_too(backcoach_home: Path, tmp_path: Path) -> None:
    with_history(30)
    pager, log = pager_script(tmp_path)
    for command, first in (("history", "Your sessions, newest first"),
                           ("progress", "Streak: ")):
        code, _ = in_pty(backcoach_home, command, 10, PAGER=pager)
        assert code == 0
        assert log.read_text().startswith(f"PAGED\n{first}"), command
        log.unlink()
    code, shown = in_pty(backcoach_home, "history", 10, PAGER="")  # PAGER= : no pager
    assert code == 0 and "Your sessions" in shown


def test_item_17_never_a_pager_off_a_terminal(backcoach_home: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    pager, log = pager_script(tmp_path)
    done = process(backcoach_home, "show", "knee-to-chest", PAGER=pager, LINES="5")
    assert done.returncode == 0 and done.stdout.startswith("Knee-to-chest stretch")
    assert not log.exists()

