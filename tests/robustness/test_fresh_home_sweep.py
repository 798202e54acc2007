"""The fresh-home sweep (tests/robustness/sweep.py): every command with every kind of hostile
BACKCOACH_HOME ends with its documented exit code, an `Error: ...` line when it fails, no
traceback, and leaves what was there as it was (issue 13, item 5 and "Must show")."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.robustness import sweep
from tests.robustness.tally import add

ROOT = Path(__file__).resolve().parents[2]


def test_item_5_every_command_with_every_hostile_home_the_fresh_home_sweep() -> None:
    done = subprocess.run([sys.executable, "-m", "tests.robustness.sweep", "--json"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300, check=False,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    outcomes = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    # every command in every home, and `list` through the real entry point in each
    assert len(outcomes) == len(sweep.HOMES) * (len(sweep.COMMANDS) + 1), done.stderr[-2000:]
    add("hostile_homes", len(outcomes))
    wrong = [f"{o['home']} / {o['command']}: {'; '.join(o['problems'])}: {o['stderr'][-300:]}"
             for o in outcomes if o["problems"]]
    assert wrong == []
    assert done.returncode == 0
    # Permissions were real (as root, the sweep dropped the power to ignore them): a
    # read-only home refuses `new`, an unreadable one refuses `list`.
    by = {(o["home"], o["command"]): o for o in outcomes}
    assert "Permission denied" in by[("read-only", "new routine sweep-routine")]["stderr"]
    assert "cannot be read" in by[("unreadable", "list")]["stderr"]


def test_the_sweep_can_fail() -> None:
    """A traceback, a wrong code or a missing Error line are each reported."""
    outcome = sweep.Outcome("file", "list", 1, 0, "OSError: boom", "", "Traceback (most", "")
    assert sweep.problems(outcome) == ["exit 0, documented 1", "an exception escaped: OSError: "
                                       "boom", "a traceback or an internal error"]
    quiet = sweep.Outcome("file", "list", 1, 1, "", "", "something went wrong\n", "")
    assert sweep.problems(quiet) == ["no `Error: ...` line on stderr"]
