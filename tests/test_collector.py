"""The garbage collector's timing (`backcoach.collector`): seldom while a command starts, as
usual once a session or the desk-breaks loop is under way; in process and through the real
console script."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from backcoach import collector

# Prints the collector's state as the process ends (an atexit handler: the process then exits
# the usual way, which is what `leave` does whenever a handler is registered).
PROBE = ("import atexit, gc, json, sys\n"
         "usual = gc.get_threshold()\n"
         "def report():\n"
         "    print(json.dumps({'usual': usual, 'threshold': gc.get_threshold(), "
         "'frozen': gc.get_freeze_count()}), file=sys.stderr)\n"
         "atexit.register(report)\n"
         "sys.argv[0] = 'backcoach'\n"
         "from backcoach.__main__ import main\n"
         "main()\n")


@pytest.fixture
def restored() -> Iterator[None]:
    """Whatever a test does to this process's collector is undone after it."""
    before = gc.get_threshold()
    yield
    collector._usual = None
    gc.unfreeze()
    gc.set_threshold(*before)


def test_quiet_start_raises_only_the_first_threshold(restored: None) -> None:
    gc.set_threshold(700, 10, 10)
    collector.quiet_start()
    assert gc.get_threshold() == (collector.START_THRESHOLD, 10, 10)


def test_settle_freezes_what_exists_and_restores_the_usual_thresholds(restored: None) -> None:
    gc.set_threshold(700, 10, 10)
    collector.quiet_start()
    collector.quiet_start()  # twice: the usual thresholds are still the ones before the first
    collector.settle()
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() > 1000  # this test process's objects, out of later passes


def test_settle_without_quiet_start_changes_nothing(restored: None) -> None:
    gc.set_threshold(700, 10, 10)
    collector.settle()  # tests and programs that embed backcoach keep their collector
    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() == 0


def _probe(args: list[str], home: Path) -> dict[str, object]:
    env = {"BACKCOACH_HOME": str(home), "PATH": "/usr/bin:/bin", "HOME": str(home),
           "XDG_CACHE_HOME": str(home / "cache"), "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], env=env, capture_output=True,
                          text=True, timeout=120, stdin=subprocess.DEVNULL, check=False)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stderr.strip().splitlines()[-1])
    assert isinstance(report, dict)
    return report


def test_a_short_command_ends_with_the_start_threshold(tmp_path: Path) -> None:
    report = _probe(["list"], tmp_path)
    usual = report["usual"]
    assert isinstance(usual, list)
    assert report["threshold"] == [collector.START_THRESHOLD, *usual[1:]]
    assert report["frozen"] == 0


def test_a_session_collects_as_usual_once_it_runs(tmp_path: Path) -> None:
    _probe(["screen", "--clear"], tmp_path)  # a script's home: no warning signs apply
    report = _probe(["run", "--output", "jsonl", "--speed", "1000", "--pain-before", "1",
                     "--pain-after", "1", "--no-sound", "--only", "knee-to-chest"], tmp_path)
    assert report["threshold"] == report["usual"]  # exactly as before the command started
    assert isinstance(report["frozen"], int) and report["frozen"] > 10_000


@pytest.mark.e2e
def test_desk_breaks_collect_as_usual_while_they_wait(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    env = {"BACKCOACH_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_CACHE_HOME": str(tmp_path / "cache"), "NO_COLOR": "1", "TERM": "xterm"}
    child = pexpect.spawn(sys.executable, ["-c", PROBE, "breaks", "--every", "1h", "--during",
                                           "00:00-23:59", "--no-sound"],
                          env=env, timeout=30, encoding="utf-8", dimensions=(24, 100))
    child.expect("Next break at")
    child.send("q")
    child.expect(r'\{"usual": (\[[\d, ]+\]), "threshold": (\[[\d, ]+\]), '
                 r'"frozen": (\d+)\}')
    assert child.match.group(1) == child.match.group(2)  # the usual thresholds, restored
    assert int(child.match.group(3)) > 10_000
    child.expect(pexpect.EOF)
