"""Which editor is used, the edit-check-again loop, and the `edit` and `config --edit`
workflows, without a terminal or a real editor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from backcoach.errors import BackcoachError, BadInput, ExitCode, Problem, StillInvalid
from backcoach.library.editing import (
    Edited,
    Editor,
    edit_definition,
    edit_settings,
    edit_until_valid,
    editor_command,
)


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


# ---------------------------------------------------------------- edit and config --edit

def no_editor() -> Callable[[Path], None]:
    raise AssertionError("the editor was made before it was needed")


def writes(text: str) -> Callable[[], Callable[[Path], None]]:
    """An editor factory whose editor replaces the file with `text`."""
    def edit(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return lambda: edit


def test_an_unchanged_copy_of_a_built_in_is_removed(backcoach_home: Path) -> None:
    said: list[str] = []
    edited = edit_definition("chin-tuck", lambda: lambda path: None, None, said.append)
    assert edited.removed and not edited.path.exists()
    assert said == [f"Copied the built-in exercise 'chin-tuck' to {edited.path}. Your copy "
                    "replaces the built-in one while it exists; delete it to go back."]


def test_a_changed_copy_replaces_the_built_in(backcoach_home: Path) -> None:
    def shorter(path: Path) -> None:
        path.write_text(path.read_text(encoding="utf-8").replace("reps: 2", "reps: 1"),
                        encoding="utf-8")

    edited = edit_definition("daily", lambda: shorter, None, [].append)
    assert edited == Edited("daily", backcoach_home / "routines" / "daily.yaml", routine=True,
                            replaces_builtin=True)


def test_problems_left_are_an_error_naming_the_command_that_reopens_it(
        backcoach_home: Path) -> None:
    path = backcoach_home / "routines" / "mine.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("id: mine\nname: Mine\nexercises: [chin-tuck]\n", encoding="utf-8")
    said: list[str] = []
    with pytest.raises(StillInvalid) as caught:
        edit_definition("mine", writes("id: mine\nname: Mine\n"), lambda: False, said.append)
    assert caught.value.exit_code == ExitCode.BAD_INPUT
    assert str(caught.value) == (
        f"{path} still has 1 problem (above), so it is not used, and `backcoach run` will not "
        "start until it is fixed. `backcoach edit mine` opens it again.")
    assert said == [str(problem) for problem in caught.value.problems]


def test_two_files_for_one_id_are_refused_before_any_editor(backcoach_home: Path) -> None:
    for folder in ("routines", "exercises"):
        path = backcoach_home / folder / "twice.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("id: twice\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"^you have 2 files for 'twice': .*; keep one$"):
        edit_definition("twice", no_editor, None, [].append)


def test_settings_get_a_commented_file_and_are_checked(backcoach_home: Path) -> None:
    path = edit_settings(lambda: lambda path: None, None, [].append)
    assert path == backcoach_home / "config.yaml"
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: ")
    with pytest.raises(StillInvalid) as caught:
        edit_settings(writes("routine: nope\n"), None, [].append)
    assert str(caught.value) == (
        f"{path} still has problems (above); `backcoach run` will not start until they are "
        "fixed. `backcoach config --edit` opens it again.")
