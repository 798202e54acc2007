"""Which editor is used, and the edit-check-again loop, without a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.errors import BackcoachError, BadInput, Problem
from backcoach.library.editing import Editor, edit_until_valid, editor_command


def nothing_installed(name: str) -> str | None:
    return None


def only(*names: str) -> object:
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_visual_then_editor_then_a_fallback() -> None:
    env = {"VISUAL": "gvim -f", "EDITOR": "nano"}
    assert editor_command(env, nothing_installed) == Editor(("gvim", "-f"), "$VISUAL")
    assert editor_command({"EDITOR": "nano"}, nothing_installed) == Editor(("nano",), "$EDITOR")
    assert editor_command({"VISUAL": "  ", "EDITOR": "vi"}, nothing_installed).args == ("vi",)
    assert editor_command({}, only("nano", "vi")) == Editor(("/usr/bin/nano",), "fallback")
    assert editor_command({}, only("vi")) == Editor(("/usr/bin/vi",), "fallback")


def test_an_editor_with_arguments_is_split_like_a_shell_does() -> None:
    env = {"EDITOR": "code -w"}
    assert editor_command(env, nothing_installed).args == ("code", "-w")
    env = {"EDITOR": "'/opt/My Editor/edit' --wait --new-window"}
    assert editor_command(env, nothing_installed).args == (
        "/opt/My Editor/edit", "--wait", "--new-window")


def test_no_editor_at_all_says_what_to_do() -> None:
    with pytest.raises(BackcoachError, match=r"no text editor found: set EDITOR, for example "
                       r"`export EDITOR=nano`"):
        editor_command({}, nothing_installed)


def test_an_unreadable_editor_variable_is_bad_input() -> None:
    with pytest.raises(BadInput, match=r"\$EDITOR is not a command backcoach can run"):
        editor_command({"EDITOR": "vim 'unclosed"}, nothing_installed)


PROBLEM = Problem("mine.yaml", 3, 5, "unknown key 'rep'")


def test_loop_stops_when_the_file_is_valid(tmp_path: Path) -> None:
    checks = iter([[PROBLEM], []])
    edits: list[Path] = []
    asked: list[bool] = []

    def again() -> bool:
        asked.append(True)
        return True

    left = edit_until_valid(tmp_path, edits.append, lambda path: next(checks), again)
    assert left == [] and len(edits) == 2 and len(asked) == 1


def test_loop_shows_the_problems_and_stops_when_told(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    edits: list[Path] = []
    left = edit_until_valid(tmp_path, edits.append, lambda path: [PROBLEM], lambda: False)
    assert left == [PROBLEM] and len(edits) == 1
    assert capsys.readouterr().err == "mine.yaml:3:5: unknown key 'rep'\n"


def test_loop_without_a_terminal_never_asks(tmp_path: Path) -> None:
    edits: list[Path] = []
    assert edit_until_valid(tmp_path, edits.append, lambda path: [PROBLEM], None) == [PROBLEM]
    assert len(edits) == 1
