"""Shared test setup: every test gets its own BACKCOACH_HOME and never sees the real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.robustness import tally

_REAL_DIRS = [Path.home() / ".config" / "backcoach", Path.home() / ".local" / "share" / "backcoach",
              Path.home() / ".cache" / "backcoach"]
_EXISTED = {path: path.exists() for path in _REAL_DIRS}


def pytest_configure(config: pytest.Config) -> None:
    """Before collection: code that runs when a test module is imported (the red flags are
    loaded at module level in some) must not reach the real home either. Each test then gets
    its own home from the fixture below."""
    import os
    import tempfile

    session = Path(tempfile.mkdtemp(prefix="backcoach-tests-"))
    config.stash[_SESSION_HOME] = session
    os.environ["BACKCOACH_HOME"] = str(session / "backcoach")
    os.environ["HOME"] = str(session)
    os.environ["XDG_CONFIG_HOME"] = str(session / ".config")
    os.environ["XDG_DATA_HOME"] = str(session / ".local" / "share")
    os.environ["XDG_CACHE_HOME"] = str(session / ".cache")
    # pytest-xdist's workers start with COLUMNS=80 and LINES=24 set; a backcoach run in a pty
    # of another size would then wrap to 80 columns. Tests that need a width set their own.
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the session's home."""
    import shutil

    session = config.stash.get(_SESSION_HOME, None)
    if session is not None:
        shutil.rmtree(session, ignore_errors=True)


_SESSION_HOME = pytest.StashKey[Path]()


@pytest.fixture(autouse=True)
def backcoach_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point BACKCOACH_HOME (and HOME and the XDG dirs) at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BACKCOACH_HOME", str(home / "backcoach"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    yield home / "backcoach"
    for path in _REAL_DIRS:  # guard: a test that reached the real home fails loudly
        assert path.exists() == _EXISTED[path], f"a test touched the real home: {path}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A passing test marked `counts(key)` adds one to the robustness summary's count `key`."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call" and report.passed:
        for mark in item.iter_markers("counts"):
            tally.add_elsewhere(str(mark.args[0]))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """With pytest-xdist: a worker's robustness counts join the controller's, so the summary
    printed at the end counts every test that ran, whichever worker ran it."""
    counts, elsewhere = node.workeroutput.get("tally", ({}, {}))
    tally.COUNTS.update(counts)
    tally.ELSEWHERE.update(elsewhere)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """In a pytest-xdist worker: hand this worker's robustness counts to the controller."""
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["tally"] = (dict(tally.COUNTS), dict(tally.ELSEWHERE))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """The robustness summary after a run that included tests/robustness."""
    tally.print_summary(terminalreporter)
