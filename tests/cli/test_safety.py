"""`backcoach screen` through the command line: CliRunner, and the real program in a pty."""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.cli import safety as safety_cli
from backcoach.history.store import HistoryStore
from backcoach.safety import redflags
from backcoach.safety.flow import ConsolePrompter
from backcoach.safety.redflags import Tier
from backcoach.session.result import ScreenRecord

MAIN_COUNT = sum(1 for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE)
ALL_IDS = [q.id for q in redflags.load_questions()]


def flat(text: str) -> str:
    """Output with line wrapping undone."""
    return " ".join(text.split())


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def at_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers typed into CliRunner's stdin count as a person at a terminal."""
    monkeypatch.setattr(safety_cli, "make_prompter", lambda: ConsolePrompter(interactive=True))


def stored() -> tuple[datetime | None, ScreenRecord | None]:
    with HistoryStore.open() as store:
        return store.consent_accepted_at(), store.last_screen()


def test_help_has_an_example(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen", "--help"])
    assert result.exit_code == 0, result.output
    assert "Example: backcoach screen" in result.output
    assert "--clear" in result.output


def test_clear_records_none_of_these(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen", "--clear"])
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "does not diagnose or treat" in text
    assert "you're clear to exercise" in text
    consent, record = stored()
    assert consent is not None
    assert record is not None and record.tier == "OK"
    assert record.answers == dict.fromkeys(ALL_IDS, False)

    again = runner.invoke(app, ["screen", "--clear"])
    assert again.exit_code == 0 and "does not diagnose" not in again.output


def test_without_a_terminal_it_says_how_to_answer(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen"], input="y\n")
    assert result.exit_code == 2
    # no terminal at all: a script, so `--clear` is mentioned, for scripts
    assert result.stderr.strip() == (
        "Error: the safety questions need your answers: run `backcoach screen` in a terminal "
        "and answer them (a script where none of the warning signs apply can record that with "
        "`backcoach screen --clear`)")
    assert stored() == (None, None)


@pytest.mark.usefixtures("at_terminal")
def test_a_red_flag_exits_3_with_what_to_do(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen"], input="y\ny\n")
    assert result.exit_code == 3, result.output
    text = flat(result.output)
    assert "Call emergency services or go to an emergency department now." in text
    assert "`backcoach screen`" in text
    _, record = stored()
    assert record is not None and record.tier == "EMERGENCY"


@pytest.mark.usefixtures("at_terminal")
def test_all_clear_exits_0(runner: CliRunner) -> None:
    # every question, then when this bout of pain began (2: 2 to 6 weeks ago)
    result = runner.invoke(app, ["screen"], input="y\n" + "n\n" * (MAIN_COUNT + 1) + "2\n")
    assert result.exit_code == 0, result.output
    assert "you're clear to exercise" in flat(result.output)
    assert "Noted: this bout of pain began 2 to 6 weeks ago." in flat(result.output)
    _, record = stored()
    assert record is not None and record.tier == "OK"
    with HistoryStore.open() as store:
        onset = store.pain_onset()
    assert onset is not None and onset.onset == "2-6-weeks"


@pytest.mark.usefixtures("at_terminal")
def test_see_soon_and_clearance_do_not_fail(runner: CliRunner) -> None:
    answers = ["y"] + ["n"] * (MAIN_COUNT - 1) + ["y"]  # first-over-50 is the last main one
    answers += ["y", "y"] + ["n"] * 6  # some conditions apply: osteoporosis only
    answers += ["4"]  # the pain began more than 12 weeks ago
    result = runner.invoke(app, ["screen"], input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert "Arrange to see a doctor or physiotherapist soon." in text
    assert "Left out for osteoporosis: Cat-cow, Double knee-to-chest stretch and " \
           "Knee-to-chest stretch." in text


@pytest.mark.usefixtures("at_terminal")
def test_onset_alone_can_be_changed(runner: CliRunner) -> None:
    """`screen --onset` asks only when this bout of pain began (the statement first, once)."""
    result = runner.invoke(app, ["screen", "--onset"], input="y\n3\n")
    assert result.exit_code == 0, result.output
    assert "Noted: this bout of pain began 6 to 12 weeks ago." in flat(result.output)
    assert "(1 of" not in result.output
    with HistoryStore.open() as store:
        onset = store.pain_onset()
    assert onset is not None and onset.onset == "6-12-weeks"
    again = runner.invoke(app, ["screen", "--onset"], input="9\n1\n")
    assert again.exit_code == 0 and "Please type a whole number from 1 to 4." in again.output
    assert "less than 2 weeks ago" in again.output


def test_onset_and_clear_together_is_bad_input(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen", "--clear", "--onset"])
    assert result.exit_code == 2 and "use one of them" in result.stderr


@pytest.mark.usefixtures("at_terminal")
def test_declining_the_statement_is_a_choice_exit_0(runner: CliRunner) -> None:
    """Item 11 of issue 14: not a runtime failure (1) nor bad input (2)."""
    result = runner.invoke(app, ["screen"], input="n\n")
    assert result.exit_code == 0
    assert result.stderr.startswith("You chose not to continue, so nothing has started.")
    assert "Error" not in result.stderr
    assert stored() == (None, None)


@pytest.mark.usefixtures("at_terminal")
def test_input_ending_early_is_bad_input(runner: CliRunner) -> None:
    result = runner.invoke(app, ["screen"], input="y\nn\n")
    assert result.exit_code == 2
    assert "input ended before an answer was given" in result.stderr
    _, record = stored()
    assert record is None


# --- the real program in a pseudo-terminal --------------------------------------------------------

YES_NO = re.compile(r"\[y/n\] ")


def said(text: str) -> re.Pattern[str]:
    """Match words however the terminal wrapped them."""
    return re.compile(r"\s+".join(re.escape(word) for word in text.split()))


def spawn(home: Path) -> Any:
    """`python -m backcoach screen` in a pseudo-terminal, 100 columns wide."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "BACKCOACH_HOME": str(home), "NO_COLOR": "1", "TERM": "xterm"}
    return pexpect.spawn(sys.executable, ["-m", "backcoach", "screen"], env=env, timeout=20,
                         encoding="utf-8", codec_errors="replace", dimensions=(24, 100))


def finish(child: Any) -> int:
    """Wait for the program to end; its exit status."""
    child.expect(pytest.importorskip("pexpect").EOF)
    child.close()
    return int(child.exitstatus)


@pytest.mark.e2e
def test_pty_red_flag_stops_with_exit_3(backcoach_home: Path) -> None:
    child = spawn(backcoach_home)
    child.expect(said("does not diagnose or treat"))
    child.expect(YES_NO)
    child.sendline("y")
    child.expect(r"\(1 of \d+\)")
    child.expect(YES_NO)
    child.sendline("maybe")
    child.expect(said("Please type y for yes or n for no."))
    child.sendline("y")
    child.expect(said("Call emergency services or go to an emergency department now."))
    child.expect(said("Do not do any exercises today."))
    child.expect(said("answer the questions again with `backcoach screen`"))
    assert finish(child) == 3
    _, record = stored()
    assert record is not None and record.tier == "EMERGENCY"


@pytest.mark.e2e
def test_pty_all_clear_exits_0(backcoach_home: Path) -> None:
    child = spawn(backcoach_home)
    child.expect(YES_NO)
    child.sendline("y")
    for number in range(1, MAIN_COUNT + 2):
        child.expect(rf"\({number} of {MAIN_COUNT + 1}\)")
        child.expect(YES_NO)
        child.sendline("n")
    child.expect(said("you're clear to exercise"))
    child.expect(said("When did this bout of back or neck pain begin?"))
    child.sendline("2")
    child.expect(said("Noted: this bout of pain began 2 to 6 weeks ago."))
    assert finish(child) == 0
    consent, record = stored()
    assert consent is not None
    assert record is not None and record.tier == "OK"
