"""`backcoach due`: the line and its exit code, the state file written after every session, the
fast path (no typer) agreeing with the full one, and the prompt snippets reading the file in
the shells they are for."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backcoach import app as core
from backcoach import paths
from backcoach.cli import app
from backcoach.reminders import due
from backcoach.reminders.due import DueFacts, due_line
from tests.app_helpers import environment
from tests.history_helpers import result, store_results

TUESDAY = date(2026, 3, 10)
DAILY = DueFacts("daily", "Daily lower-back routine", 10, (1, 2, 3, 4, 5, 6, 7), 1)


def facts(**changes: object) -> DueFacts:
    values = {name: getattr(DAILY, name) for name in DueFacts.__slots__}
    return DueFacts(**{**values, **changes})  # type: ignore[arg-type]


def test_the_line_for_each_state() -> None:
    yesterday, today = TUESDAY - timedelta(days=1), TUESDAY
    assert due_line(DAILY, today) == ("daily is due today: 10 min", True)
    assert due_line(facts(streak_day=yesterday, streak=3), today) == \
        ("daily is due today: 10 min · streak 3", True)
    assert due_line(facts(last_day=today, last_count=1, streak_day=today, streak=4), today) == \
        ("daily is done for today · streak 4", False)
    # A missed day is a gap: the streak is not shown, nothing else is said of it.
    assert due_line(facts(streak_day=today - timedelta(days=2), streak=9), today) == \
        ("daily is due today: 10 min", True)
    mwf = facts(days=(1, 3, 5))
    assert due_line(mwf, today) == ("daily is not planned today; next tomorrow", False)
    assert due_line(facts(days=(1, 5)), today) == ("daily is not planned today; next on Fri",
                                                   False)
    twice = facts(routine_id="desk-break", per_day=2, minutes=4, last_day=today, last_count=1)
    assert due_line(twice, today) == ("desk-break is due today: 1 of 2 done · 4 min", True)


def test_the_state_file_reads_back() -> None:
    original = facts(last_day=TUESDAY, last_count=1, streak_day=TUESDAY, streak=2,
                     days=(1, 3, 5), name="My routine: 100% mine")
    text = due.state_text(original, "abc-1")
    assert "\ndays 1 3 5\ndone 2026-03-10\nhint daily 10 min\n" in text
    assert due.read_state(text) == (original, "abc-1")
    with pytest.raises(ValueError):
        due.read_state(text.replace("version 1", "version 9"))


def test_the_fast_paths_folders_are_pathss(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    assert due.STATE_FILE == paths.DUE_FILE
    for home in (str(tmp_path / "bc"), ""):
        for xdg in (str(tmp_path / "xdg"), ""):
            monkeypatch.setenv("BACKCOACH_HOME", home)
            monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
            monkeypatch.setenv("XDG_DATA_HOME", xdg + "-data" if xdg else "")
            assert due.config_dir() == str(paths.config_dir())
            assert due.data_dir() == str(paths.data_dir())


def cli_due(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(app, ["due", *args])
    return done.exit_code, done.output


def test_due_through_the_command(backcoach_home: Path) -> None:
    assert cli_due() == (0, "daily is due today: 10 min\n")
    state = backcoach_home / "due.txt"
    assert state.exists()
    store_results(backcoach_home / "history.sqlite3",
                  [result(datetime.now(UTC) - timedelta(days=1)),
                   result(datetime.now(UTC) - timedelta(minutes=2))])
    assert cli_due() == (1, "daily is done for today · streak 2\n")
    # Any routine's session keeps the streak; gentle's own day is still open.
    assert cli_due("gentle") == (0, "gentle is due today: 6 min · streak 2\n")
    code, out = cli_due("dayly")
    assert code == 2 and out.startswith("Error: no routine called 'dayly'")


def test_a_session_rewrites_the_state_file(backcoach_home: Path) -> None:
    from backcoach.history.store import HistoryStore
    from backcoach.safety.flow import clear_screen

    with HistoryStore.open() as store:
        clear_screen(store, datetime.now(UTC))
    env, _, _, _ = environment(interactive=False, start=datetime.now(UTC) - timedelta(minutes=5))
    code = core.run_session(core.SessionOptions(routine="daily", speed=500, output="plain",
                                                pain_before=1, pain_after=1), env)
    assert code == 0
    text = (backcoach_home / "due.txt").read_text()
    facts_read, key = due.read_state(text)
    local_today = datetime.now().astimezone().date()
    assert (facts_read.last_day, facts_read.last_count) == (local_today, 1)
    assert key == due.state_key(due.config_dir(), due.data_dir())
    assert f"\ndone {local_today.isoformat()}\n" in text


def run_due(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    """`backcoach due` as the console script starts it, reporting whether typer was loaded."""
    # The report is an atexit handler: run at the very end (and so the usual exit is taken).
    code = ("import atexit, sys; sys.argv = ['backcoach', 'due']\n"
            "atexit.register(lambda: print('typer loaded' if 'typer' in sys.modules "
            "else 'no typer', file=sys.stderr))\n"
            "from backcoach.__main__ import main\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code, *extra], env=env, capture_output=True,
                          text=True, check=False)


def test_the_fast_path_skips_typer_and_agrees_with_the_full_one(backcoach_home: Path) -> None:
    env = dict(os.environ)
    first = run_due(env)  # no state file yet: the full program answers and writes it
    assert (first.returncode, first.stdout) == (0, "daily is due today: 10 min\n")
    assert first.stderr.endswith("typer loaded\n")
    second = run_due(env)
    assert (second.returncode, second.stdout, second.stderr) == \
        (0, "daily is due today: 10 min\n", "no typer\n")
    # A session stored by other means makes the file out of date: the full path answers.
    store_results(backcoach_home / "history.sqlite3",
                  [result(datetime.now(UTC) - timedelta(minutes=2))])
    third = run_due(env)
    assert (third.returncode, third.stdout) == (1, "daily is done for today · streak 1\n")
    assert third.stderr.endswith("typer loaded\n")
    fourth = run_due(env)
    assert (fourth.returncode, fourth.stdout, fourth.stderr) == \
        (1, "daily is done for today · streak 1\n", "no typer\n")
    # So does a change to the settings.
    (backcoach_home / "config.yaml").write_text("routine: gentle\n")
    fifth = run_due(env)
    assert fifth.stdout.startswith("gentle is ") and fifth.stderr.endswith("typer loaded\n")


# ---------------------------------------------------------------- prompt snippets

def readme_snippet(shell: str) -> str:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    marker = f"<!-- snippet:{shell} -->\n```{'sh' if shell != 'tmux' else 'tmux'}\n"
    return readme.split(marker, 1)[1].split("```", 1)[0]


def prompt_output(shell: str, snippet: str, env: dict[str, str]) -> str:
    script = {"bash": f"{snippet}\nbackcoach_prompt_hint\n",
              "zsh": f"{snippet}\nbackcoach_prompt_hint\n",
              "fish": f"{snippet}\nbackcoach_prompt_hint\n"}[shell]
    done = subprocess.run([shell, "-c", script], env=env, capture_output=True, text=True,
                          check=False, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_prompt_snippets_read_the_state_file_without_python(
        shell: str, backcoach_home: Path, tmp_path: Path) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed here")
    snippet = readme_snippet(shell)
    env = {"HOME": os.environ["HOME"], "BACKCOACH_HOME": str(backcoach_home),
           "PATH": "/usr/bin:/bin"}  # no backcoach, no python of ours on PATH
    assert prompt_output(shell, snippet, env) == ""  # no state file: nothing shown
    today = datetime.now().astimezone().date()
    state = backcoach_home / "due.txt"
    backcoach_home.mkdir(parents=True, exist_ok=True)
    every_day = facts()
    state.write_text(due.state_text(every_day, "k"))
    assert prompt_output(shell, snippet, env) == "[daily 10 min] "
    state.write_text(due.state_text(facts(last_day=today, last_count=1), "k"))
    assert prompt_output(shell, snippet, env) == ""  # done today
    other_days = tuple(d for d in range(1, 8) if d != today.isoweekday())
    state.write_text(due.state_text(facts(days=other_days), "k"))
    assert prompt_output(shell, snippet, env) == ""  # not planned today


def test_the_tmux_lines_are_read_by_tmux(backcoach_home: Path, tmp_path: Path) -> None:
    snippet = readme_snippet("tmux")
    assert "#(backcoach due)" in snippet
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed here")
    conf = tmp_path / "tmux.conf"
    conf.write_text(snippet)
    socket = f"bc-test-{os.getpid()}"
    done = subprocess.run(["tmux", "-f", str(conf), "-L", socket, "new-session", "-d", ";",
                           "show", "-g", "status-right", ";", "show", "-g", "status-interval",
                           ";", "kill-server"], capture_output=True, text=True, check=False,
                          timeout=30, env={**os.environ, "TMUX": ""})
    assert done.stdout.splitlines() == ['status-right "#(backcoach due) | %H:%M"',
                                        "status-interval 60"], done.stderr
