"""What backcoach writes in the person's folder never goes through a link out of it or a
dangling one, and a home it cannot use gives one Error line with exit 1 (issue 13, items 3
and 5). The sweep over every command is tests/robustness/test_fresh_home_sweep.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from tests.robustness.tally import add


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"EDITOR": "true", "VISUAL": ""})


def test_item_3_a_symlinked_schema_file_is_replaced_not_written_through(
        backcoach_home: Path, tmp_path: Path) -> None:
    add("user_folders")
    precious = tmp_path / "precious.txt"
    precious.write_text("my notes\n")
    schema_file = backcoach_home / "schema" / "routine.schema.json"
    schema_file.parent.mkdir(parents=True)
    schema_file.symlink_to(precious)
    done = invoke("new", "routine", "my-morning")
    assert done.exit_code == 0, done.output
    assert precious.read_text() == "my notes\n"
    assert not schema_file.is_symlink()
    assert json.loads(schema_file.read_text())["title"] == "backcoach routine"


@pytest.mark.parametrize("place", ["routines/my-morning.yaml", "routines"])
def test_item_3_a_dangling_link_is_never_followed_into_a_new_file(
        backcoach_home: Path, tmp_path: Path, place: str) -> None:
    add("user_folders")
    target = tmp_path / "elsewhere" / "made-by-backcoach"
    link = backcoach_home / place
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(target)
    done = invoke("new", "routine", "my-morning")
    assert done.exit_code == 1, done.output
    [line] = done.stderr.splitlines()
    assert line.startswith(f"Error: {link} is a symbolic link to {target}")
    assert not (tmp_path / "elsewhere").exists()


def test_item_3_a_folder_linked_out_of_the_home_is_not_written_through(
        backcoach_home: Path, tmp_path: Path) -> None:
    add("user_folders")
    outside = tmp_path / "outside"
    outside.mkdir()
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "exercises").symlink_to(outside)
    done = invoke("new", "exercise", "my-twist")
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith(f"Error: {backcoach_home / 'exercises'} is a symbolic link to "
                                  f"{outside}, outside {backcoach_home}; backcoach does not "
                                  "write through it.")
    assert list(outside.iterdir()) == []


def test_item_3_config_edit_and_edit_refuse_a_dangling_link(backcoach_home: Path,
                                                            tmp_path: Path) -> None:
    add("user_folders", 2)
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "config.yaml").symlink_to(tmp_path / "nowhere" / "config.yaml")
    done = invoke("config", "--edit")
    assert done.exit_code == 1, done.output
    assert "which does not exist; backcoach does not" in done.stderr
    (backcoach_home / "routines").mkdir()
    (backcoach_home / "routines" / "mine.yaml").symlink_to(tmp_path / "nowhere" / "mine.yaml")
    edited = invoke("edit", "mine")
    assert edited.exit_code == 1, edited.output
    assert edited.stderr.startswith(f"Error: {backcoach_home / 'routines' / 'mine.yaml'} is a "
                                    "symbolic link to")
    assert not (tmp_path / "nowhere").exists()


def test_item_3_a_link_to_the_persons_own_file_is_still_edited(backcoach_home: Path,
                                                                tmp_path: Path) -> None:
    """Dotfile managers link files into the folder: following a link that exists is fine."""
    add("user_folders")
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    (dotfiles / "mine.yaml").write_text("id: mine\nname: Mine\nexercises: [chin-tuck]\n")
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "mine.yaml").symlink_to(dotfiles / "mine.yaml")
    edited = invoke("edit", "mine")
    assert edited.exit_code == 0, edited.output
    assert "is valid and in force" in edited.stdout


HOMES = {
    "a file": lambda home: home.write_text("x\n"),
    "a dangling link": lambda home: home.symlink_to(home.parent / "gone"),
    "a loop of links": lambda home: (home.symlink_to(home.parent / "b"),
                                     (home.parent / "b").symlink_to(home)),
}


@pytest.mark.parametrize("command", [["new", "routine", "x"], ["edit", "daily"],
                                     ["config", "--edit"]])
@pytest.mark.parametrize("kind", list(HOMES))
def test_item_5_new_edit_and_config_edit_with_a_home_they_cannot_use(
        backcoach_home: Path, kind: str, command: list[str]) -> None:
    """Were NotADirectoryError, FileExistsError and PermissionError tracebacks. Read-only and
    unreadable homes need real permissions: the sweep covers them (as root without the power
    to ignore permissions)."""
    add("hostile_homes")
    backcoach_home.parent.mkdir(parents=True, exist_ok=True)
    HOMES[kind](backcoach_home)
    done = invoke(*command)
    assert done.exit_code == 1, done.output
    assert done.exception is None or isinstance(done.exception, SystemExit)
    [line] = done.stderr.splitlines()
    assert line.startswith(f"Error: BACKCOACH_HOME ({backcoach_home}) ")
    assert "set BACKCOACH_HOME to a folder you can use" in line
    assert not (backcoach_home.parent / "gone").exists()
