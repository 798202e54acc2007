"""The one console the pages print through."""

from __future__ import annotations

import pytest

from backcoach.render.console import console


def test_plain_off_a_terminal_with_text_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    console().print(":smile: 42 https://example.org")
    console(stderr=True).print("on stderr :thumbs_up:")
    out, err = capsys.readouterr()
    assert out == ":smile: 42 https://example.org\n"  # no emoji, no colour codes
    assert err == "on stderr :thumbs_up:\n"


def test_the_width_follows_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "47")
    assert console().width == 47
