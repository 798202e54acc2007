"""How the `backcoach` process ends (`backcoach.__main__.leave`): output flushed and the exit
code kept, without the interpreter's teardown, unless a thread or an atexit handler still
needs it (issue 15)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import backcoach.__main__ as entry
from tests.perf.gen_history import generate

PYTHON = [sys.executable, "-m", "backcoach"]


class Ended(Exception):
    """os._exit was called (stands in for it in-process)."""


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """os._exit recorded instead of done; no atexit handler, no other thread."""
    codes: list[int] = []

    def fake_exit(status: int) -> None:
        codes.append(status)
        raise Ended

    monkeypatch.setattr(entry.os, "_exit", fake_exit)
    monkeypatch.setattr(entry.atexit, "_ncallbacks", lambda: 0, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 1)
    return codes


@pytest.mark.parametrize(("code", "status"), [(None, 0), (0, 0), (2, 2), (130, 130)])
def test_a_number_ends_the_process_at_once_after_flushing(
        quick: list[int], monkeypatch: pytest.MonkeyPatch, code: int | None,
        status: int) -> None:
    out = io.StringIO()
    flushed: list[str] = []
    monkeypatch.setattr(out, "flush", lambda: flushed.append("out"))
    monkeypatch.setattr(sys, "stdout", out)
    with pytest.raises(Ended):
        entry.leave(code)
    assert quick == [status] and flushed == ["out"]


@pytest.mark.parametrize("code", ["a message", 300, -1])
def test_other_codes_exit_the_usual_way(quick: list[int], code: str | int) -> None:
    with pytest.raises(SystemExit) as done:
        entry.leave(code)
    assert done.value.code == code and quick == []


def test_an_atexit_handler_or_another_thread_gets_the_usual_exit(
        quick: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(entry.atexit, "_ncallbacks", lambda: 1, raising=False)
    with pytest.raises(SystemExit) as done:
        entry.leave(2)
    assert done.value.code == 2 and quick == []
    monkeypatch.setattr(entry.atexit, "_ncallbacks", lambda: 0, raising=False)
    monkeypatch.setattr(threading, "active_count", lambda: 2)
    with pytest.raises(SystemExit):
        entry.leave(0)
    assert quick == []


def test_a_closed_pipe_gets_the_usual_exit(quick: list[int],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken(io.StringIO):
        def flush(self) -> None:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Broken())
    with pytest.raises(SystemExit) as done:
        entry.leave(0)
    assert done.value.code == 0 and quick == []


def run(home: Path, *args: str, python: list[str] = PYTHON) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "BACKCOACH_HOME": str(home), "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run([*python, *args], env=env, capture_output=True, timeout=120,
                          check=False)


def test_the_whole_output_and_the_code_arrive_through_a_pipe(backcoach_home: Path) -> None:
    """Ten years of history exported through a pipe: every byte arrives, as from the usual
    exit (an atexit handler forces it), and a bad name still exits 2."""
    generate(backcoach_home / "history.sqlite3", days=3650, seed=2)
    quick = run(backcoach_home, "export", "--format", "csv")
    forced = run(backcoach_home, "export", "--format", "csv", python=[
        sys.executable, "-c", "import atexit, sys; atexit.register(print, 'usual exit', "
        "file=sys.stderr); sys.argv[0] = 'backcoach'; import backcoach.__main__ as m; m.main()"])
    assert quick.returncode == forced.returncode == 0
    assert forced.stderr == b"usual exit\n" and quick.stderr == b""
    assert quick.stdout == forced.stdout and quick.stdout.count(b"\n") > 3650 * 8
    bad = run(backcoach_home, "show", "no-such-thing")
    assert bad.returncode == 2 and b"no exercise or routine called" in bad.stderr
