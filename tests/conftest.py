"""Shared test setup: every test gets its own BACKCOACH_HOME and never sees the real home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

_REAL_HOME = Path.home()


@pytest.fixture(autouse=True)
def backcoach_home(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point BACKCOACH_HOME (and HOME, XDG dirs) at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("BACKCOACH_HOME", str(home / "backcoach"))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("NO_COLOR", "1")
    yield home / "backcoach"
    # Guard: nothing may have been written to the real user's backcoach folders.
    for real in (_REAL_HOME / ".config" / "backcoach", _REAL_HOME / ".local" / "share" / "backcoach"):
        assert not real.exists() or real.stat().st_mtime < _SESSION_START, (
            f"a test wrote to the real home: {real}")


_SESSION_START = __import__("time").time()
