"""Keys from a terminal: every key counts, also when several arrive in one read."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from backcoach.session.keys import ENTER, ESCAPE, TerminalKeys


@pytest.fixture
def keys() -> Iterator[tuple[TerminalKeys, int]]:
    """TerminalKeys reading the end of a pipe (no terminal settings are changed)."""
    read_end, write_end = os.pipe()
    with os.fdopen(read_end) as stream:
        yield TerminalKeys(stream), write_end
    os.close(write_end)


def test_keys_typed_together_all_count(keys: tuple[TerminalKeys, int]) -> None:
    """q q typed fast (one read) is two keys: the quit question and its answer."""
    source, write = keys
    os.write(write, b"qq")
    assert [source.wait_key(0.5), source.wait_key(0)] == ["q", "q"]
    assert source.wait_key(0) is None


def test_a_line_end_is_one_enter_and_an_escape_sequence_one_key(
        keys: tuple[TerminalKeys, int]) -> None:
    source, write = keys
    os.write(write, b"3\r\n")
    assert [source.wait_key(0.5), source.wait_key(0), source.wait_key(0)] == ["3", ENTER, None]
    os.write(write, b"\x1b[A")
    assert source.wait_key(0.5) == "up"
    os.write(write, b"\x1b")
    assert source.wait_key(0.5) == ESCAPE
