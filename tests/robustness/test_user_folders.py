"""The person's folders and files, as a careless person or an attacker leaves them: links to /,
loops, deep trees, thousands of files, pipes, broken files a routine needs or does not, ids that
clash, octal-looking numbers, files of nothing but unknown keys (issue 13, items 8, 11, 12, 13,
15, 16 and 17)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from backcoach.library import folders, schema
from backcoach.library.catalog import load_catalog
from tests.robustness.tally import add

ROOT = Path(__file__).resolve().parents[2]
MINE = "id: mine\nname: Mine\nposition: lying\nsteps: [Lie down.]\n"
TYPO = "id: mine\nname: Mine\nposition: lying\nstep: [Lie down.]\n"  # steps, misspelt


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "300"})


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def no_crash(done: Result) -> None:
    assert done.exception is None or isinstance(done.exception, SystemExit), done.output
    assert "Traceback" not in done.output


# ---------------------------------------------------------------------- item 8

def test_item_8_an_exercises_folder_linked_to_root_is_not_followed(backcoach_home: Path) -> None:
    add("user_folders")
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "exercises").symlink_to("/")
    for command in (["list"], ["validate"], ["show", "daily"]):
        done = invoke(*command)
        no_crash(done)
    catalog = load_catalog(strict=False)
    assert [p.message for p in catalog.problems] == [
        f"a link to the folder /, outside {backcoach_home}; backcoach does not follow it. Move "
        "the files into the folder, or link the files one by one"]
    assert "daily" in catalog.routines


def test_item_8_loops_depth_and_count_are_bounded(backcoach_home: Path) -> None:
    add("user_folders", 4)
    exercises = backcoach_home / "exercises"
    write(exercises / "mine.yaml", MINE)
    (exercises / "again").symlink_to(exercises)  # a loop: read once
    (exercises / "shared").symlink_to(backcoach_home / "library")  # inside the home: followed
    write(backcoach_home / "library" / "other.yaml", MINE.replace("mine", "other"))
    deep = exercises.joinpath(*"abcdefghij")
    write(deep / "deep.yaml", MINE.replace("mine", "deep"))
    catalog = load_catalog(strict=False)
    assert {"mine", "other"} <= set(catalog.exercises) and "deep" not in catalog.exercises
    [problem] = catalog.problems
    assert problem.path.endswith(os.path.join("a", "b", "c", "d", "e", "f", "g", "h", "i"))
    assert problem.message.startswith(f"more than {folders.MAX_DEPTH} folders deep")
    crowd = backcoach_home / "routines" / "crowd"
    crowd.mkdir(parents=True)
    for number in range(folders.MAX_ENTRIES + 1):
        (crowd / f"{number}.txt").touch()
    catalog = load_catalog(strict=False)
    assert any(p.message.startswith(f"more than {folders.MAX_ENTRIES:,} files and folders here")
               for p in catalog.problems)


# ---------------------------------------------------------------------- item 11

def without_root_powers() -> list[str]:
    """A prefix that makes permissions real for root too (setpriv), or nothing."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("as root, unreadable files need setpriv to be unreadable")
        return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]
    return []


def test_item_11_skipped_files_are_said_never_all_valid(backcoach_home: Path) -> None:
    add("user_folders", 5)
    exercises = backcoach_home / "exercises"
    write(exercises / "UP.YAML", MINE.replace("mine", "up"))
    os.mkfifo(exercises / "pipe.yaml")
    (exercises / "gone.yaml").symlink_to(backcoach_home / "nowhere.yaml")
    write(exercises / "locked.yaml", MINE.replace("mine", "locked")).chmod(0)
    write(exercises / "notes.txt", "my notes\n")
    (exercises / ".#mine.yaml").symlink_to("user@host.1234")  # an editor's lock: hidden
    done = subprocess.run([*without_root_powers(), sys.executable, "-m", "backcoach",
                           "validate"], cwd=backcoach_home, capture_output=True, text=True,
                          env={**os.environ, "BACKCOACH_HOME": str(backcoach_home)},
                          stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert done.returncode == 2, done.stderr
    assert "all valid" not in done.stdout
    assert done.stderr.splitlines() == [
        "exercises/notes.txt: skipped: not a .yaml or .yml file",
        "exercises/UP.YAML:1:5: id 'up' does not match the file name 'UP.YAML'; rename the "
        "file to up.yaml or change the id",
        f"exercises/gone.yaml:1:1: a symbolic link to {backcoach_home / 'nowhere.yaml'}, which "
        "does not exist; remove the link or create the file",
        "exercises/locked.yaml:1:1: cannot read file: Permission denied",
        "exercises/pipe.yaml:1:1: not a regular file (a device, pipe or socket); give the path "
        "of a .yaml file",
        "Error: 4 problems found in 4 files; fix the lines above and try again."]


def test_item_11_a_folder_of_other_files_is_not_all_valid(backcoach_home: Path) -> None:
    add("user_folders")
    write(backcoach_home / "exercises" / "notes.txt", "x\n")
    done = invoke("validate")
    assert done.exit_code == 0
    assert done.stdout == "No exercise or routine files found to check (1 file skipped above).\n"


# ---------------------------------------------------------------------- items 12 and 13

@pytest.fixture
def typo_home(backcoach_home: Path) -> Path:
    """A typo in the person's exercise, which their routine uses; screened."""
    assert invoke("screen", "--clear").exit_code == 0
    write(backcoach_home / "exercises" / "mine.yaml", TYPO)
    write(backcoach_home / "routines" / "my-routine.yaml",
          "id: my-routine\nname: My routine\nexercises: [mine, chin-tuck]\n")
    return backcoach_home


TYPO_LINES = [
    "exercises/mine.yaml:1:1: exercise is missing 'steps': numbered instructions, in order",
    "exercises/mine.yaml:4:1: unknown key 'step' in exercise (did you mean 'steps'?); known keys: "
    + ", ".join(spec.name for spec in schema.EXERCISE_FIELDS),
    "routines/my-routine.yaml:3:13: exercise 'mine' cannot be used until exercises/mine.yaml is "
    "fixed; `backcoach validate` lists its problems"]


def lines(text: str, home: Path) -> list[str]:
    return [line.replace(f"{home}{os.sep}", "") for line in text.splitlines()]


def test_item_12_list_and_show_name_the_broken_file(typo_home: Path) -> None:
    add("user_folders", 2)
    listed = invoke("list")
    no_crash(listed)
    assert listed.exit_code == 0
    assert "no exercise called" not in listed.output
    assert lines(listed.stderr, typo_home)[1:] == TYPO_LINES
    assert "chin-tuck" in listed.stdout and "my-routine" not in listed.stdout
    shown = invoke("show", "my-routine")
    no_crash(shown)
    assert shown.exit_code == 2
    assert lines(shown.stderr, typo_home) == [
        *TYPO_LINES, "Error: 3 problems found in 2 files; fix the lines above and try again."]


RUN = ["--pain-before", "1", "--pain-after", "1", "--speed", "1000", "--no-sound", "--output",
       "plain"]


def test_item_13_a_broken_file_blocks_only_the_runs_that_use_it(typo_home: Path) -> None:
    add("user_folders", 2)
    unrelated = invoke("run", "desk-break", *RUN)
    no_crash(unrelated)
    assert unrelated.exit_code == 0, unrelated.output
    warning = ("Warning: 2 of your files have problems, so what they hold is not used: "
               "exercises/mine.yaml, routines/my-routine.yaml; this session does not need them. "
               "`backcoach validate` lists the problems.")
    # Words only: where the lines break depends on how long the temporary home's path is.
    said = " ".join(" ".join(lines(unrelated.stdout, typo_home)).split())
    assert said.count("Warning:") == 1 and warning in said
    assert said.index("Warning:") < said.index("Desk break")  # before the session starts
    needed = invoke("run", "my-routine", *RUN)
    assert needed.exit_code == 2
    assert lines(needed.stderr, typo_home) == [
        *TYPO_LINES, "Error: 3 problems found in 2 files; fix the lines above and try again.",
        "To fix them: `backcoach edit mine`, `backcoach edit my-routine`."]
    only = invoke("run", "--only", "mine", *RUN)
    assert only.exit_code == 2 and lines(only.stderr, typo_home)[:2] == TYPO_LINES[:2]


def test_item_13_a_broken_copy_of_a_built_in_is_not_replaced_by_the_built_in(
        backcoach_home: Path) -> None:
    """The person's changed knee-to-chest has a typo: daily must not quietly run the built-in
    knee-to-chest in its place."""
    add("user_folders")
    assert invoke("screen", "--clear").exit_code == 0
    write(backcoach_home / "exercises" / "knee-to-chest.yaml",
          (ROOT / "exercises" / "knee-to-chest.yaml").read_text().replace("hold:", "hodl:"))
    done = invoke("run", "daily", *RUN)
    assert done.exit_code == 2
    assert "knee-to-chest.yaml" in done.stderr and "unknown key 'hodl'" in done.stderr
    assert invoke("run", "desk-break", *RUN).exit_code == 0


# ---------------------------------------------------------------------- item 15

@pytest.mark.parametrize(("folder", "ident", "other"), [("exercises", "daily", "routine"),
                                                        ("routines", "chin-tuck", "exercise")])
def test_item_15_validate_agrees_with_new_about_ids_of_the_other_kind(
        backcoach_home: Path, folder: str, ident: str, other: str) -> None:
    add("user_folders")
    kind = "exercise" if folder == "exercises" else "routine"
    text = (MINE.replace("mine", ident) if kind == "exercise"
            else f"id: {ident}\nname: Mine\nexercises: [knee-to-chest]\n")
    write(backcoach_home / folder / f"{ident}.yaml", text)
    checked = invoke("validate")
    assert checked.exit_code == 2
    assert f"id '{ident}' is already the id of a built-in {other}" in checked.stderr
    assert "pick another id so `show` and `run` know which one you mean" in checked.stderr
    (backcoach_home / folder / f"{ident}.yaml").unlink()
    made = invoke("new", kind, ident)
    assert made.exit_code == 2
    assert f"'{ident}' is already the id of a built-in {other}; pick another id so `show` and " \
           "`run` know which one you mean" in made.stderr
    # the built-in stays in force meanwhile
    write(backcoach_home / folder / f"{ident}.yaml", text)
    assert invoke("show", ident).exit_code == 0


# ---------------------------------------------------------------------- item 16

def test_item_16_a_leading_zero_is_read_as_written_with_a_warning(backcoach_home: Path) -> None:
    add("user_folders")
    write(backcoach_home / "exercises" / "mine.yaml", MINE + "hold: 017\nreps: 03\n")
    checked = invoke("validate")
    assert checked.exit_code == 0
    assert lines(checked.stderr, backcoach_home) == [
        "exercises/mine.yaml:5:7: warning: 017 is read as 17, as YAML 1.2 and editors read it; "
        "older YAML tools read a leading 0 as octal (15). Write 17 to be clear"]
    assert "1 file checked: all valid (1 warning above)." in checked.stdout
    assert load_catalog().exercise("mine").dose.hold == 17
    assert load_catalog().exercise("mine").dose.reps == 3  # 03 is 3 either way: no warning


# ---------------------------------------------------------------------- item 17

def test_item_17_problems_are_capped_per_file(tmp_path: Path) -> None:
    add("user_folders", 2)
    keys = "".join(f"k{number}: v\n" for number in range(3000))
    small = write(tmp_path / "keys.yaml", f"id: keys\nname: Keys\n{keys}")
    done = invoke("validate", str(small))
    assert done.exit_code == 2
    shown = done.stderr.splitlines()
    assert len(shown) == schema.MAX_PROBLEMS + 2
    assert shown[-2].endswith("and 2,952 more problems from here on, not listed; fix the ones "
                              "above first (is this an exercise or routine file?)")
    assert shown[-1] == "Error: 3,002 problems found; fix the lines above and try again."
    keys = "".join(f"k{number}: v\n" for number in range(105_000))
    huge = write(tmp_path / "huge.yaml", f"id: huge\nname: Huge\n{keys}"[:1024 * 1024 - 1])
    done = invoke("validate", str(huge))
    assert done.exit_code == 2
    [problem, error] = done.stderr.splitlines()
    assert "more than 10,000 YAML values (keys, list items, texts) from here on" in problem
    assert error == "Error: 1 problem found; fix the lines above and try again."
