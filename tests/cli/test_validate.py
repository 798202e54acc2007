"""`backcoach validate`: each kind of bad file gives exit 2 and its exact `path:line:col: message`.

The bad files live in tests/data/bad/; the lines they must give are here, next to the test.
Files with odd bytes are written by the tests themselves.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app

DATA = Path(__file__).resolve().parent.parent / "data"
BAD = DATA / "bad"
BUILTIN = Path(__file__).resolve().parent.parent.parent / "exercises"

# (file or folder under tests/data/bad, every stderr line before the closing "Error: ..." line)
CASES: list[tuple[str, list[str]]] = [
    ("unknown-key.yaml", [
        "unknown-key.yaml:4:1: unknown key 'hodl' in exercise (did you mean 'hold'?); known "
        "keys: id, name, summary, family, position, equipment, type, sides, hold, tempo, reps, "
        "rest, setup, switch, steps, key_step, cues, cautions, stop_if, contraindications, "
        "regions, aliases, easier, harder, sources, picture"]),
    ("key-step-past-steps.yaml", [
        "key-step-past-steps.yaml:7:11: key_step must be the number of one of the 2 steps, "
        "got 3"]),
    ("wrong-type.yaml", [
        "wrong-type.yaml:4:7: reps must be a whole number from 1 to 50, got 'three'"]),
    ("negative-hold.yaml", [
        "negative-hold.yaml:4:7: hold must be from 1 s to 5 min, got the number -5"]),
    ("three-hour-hold.yaml", [
        "three-hour-hold.yaml:4:7: hold must be from 1 s to 5 min, got '3h'"]),
    ("empty-steps.yaml", [
        "empty-steps.yaml:4:8: steps must list at least one item"]),
    ("dup-ids", [
        "dup-ids/b/twin.yaml:2:5: id 'twin' is already used by exercise dup-ids/a/twin.yaml:1; "
        "ids must be unique"]),
    ("routines/unknown-exercise.yaml", [
        "routines/unknown-exercise.yaml:5:5: unknown exercise 'kne-to-chest' (did you mean "
        "'knee-to-chest'?); `backcoach list` shows the ids"]),
    ("unknown-variant.yaml", [
        "unknown-variant.yaml:5:9: easier: unknown exercise 'knee-to-chset' (did you mean "
        "'knee-to-chest'?); `backcoach list` shows the ids"]),
    ("syntax-error.yaml", [
        "syntax-error.yaml:4:8: YAML syntax error: a list in '[' is not closed with ']'"]),
    ("tab-indent.yaml", [
        "tab-indent.yaml:5:1: YAML syntax error: a tab character; YAML indents with spaces "
        "only, so replace the tab with spaces"]),
    ("two-documents.yaml", [
        "two-documents.yaml:5:1: YAML syntax error: more than one YAML document ('---'); put "
        "one exercise or routine in each file"]),
    ("empty.yaml", [
        "empty.yaml:1:1: file is empty; an exercise needs at least id, name, position, steps"]),
    ("list-not-mapping.yaml", [
        "list-not-mapping.yaml:1:1: an exercise file must be a mapping of 'key: value' lines, "
        "got a list"]),
    ("duplicate-key.yaml", [
        "duplicate-key.yaml:6:1: duplicate key 'hold' (first at line 4); keep one"]),
    ("sides-no.yaml", [
        "sides-no.yaml:4:8: sides must be [left, right], [left], [right] or none, got 'no' "
        "(YAML reads that as yes/no; put it in quotes to mean the word)"]),
    ("id-mismatch.yaml", [
        "id-mismatch.yaml:1:5: id 'something-else' does not match the file name "
        "'id-mismatch.yaml'; rename the file to something-else.yaml or change the id"]),
    ("bad-id.yaml", [
        "bad-id.yaml:1:5: id must use only lowercase letters, digits and single hyphens, such "
        "as knee-to-chest, got 'back/knee'"]),
    ("control-escape.yaml", [
        "control-escape.yaml:6:5: steps item 2 contains the control character U+001B; "
        "remove it"]),
    ("unknown-contraindication.yaml", [
        "unknown-contraindication.yaml:5:21: contraindications item 1 must be one of "
        "osteoporosis, spinal-fracture, hip-replacement, recent-surgery, pregnancy, "
        "heart-condition, shoulder-problem, knee-problem, got 'osteoporsis' (did you mean "
        "'osteoporosis'?)"]),
    ("missing-required.yaml", [
        "missing-required.yaml:1:1: exercise is missing 'name': the name shown on screen",
        "missing-required.yaml:1:1: exercise is missing 'position': where the body is: lying, "
        "kneeling, sitting, standing (routines are ordered by it)",
        "missing-required.yaml:1:1: exercise is missing 'steps': numbered instructions, in "
        "order"]),
    ("many-problems.yaml", [
        "many-problems.yaml:3:11: position must be one of lying, kneeling, sitting, standing, "
        "got 'flying' (did you mean 'lying'?)",
        "many-problems.yaml:4:7: hold must be from 1 s to 5 min, got the number 0",
        "many-problems.yaml:5:7: reps must be from 1 to 50, got the number 100",
        "many-problems.yaml:8:5: steps item 2 must not be empty",
        "many-problems.yaml:9:7: cues must be a list (lines starting with '- '), got 'A single "
        "line'"]),
    ("routine-by-content.yaml", [
        "routine-by-content.yaml:3:15: rest_between must be from 0 s to 10 min, got the number "
        "-1",
        "routine-by-content.yaml:6:5: unknown key 'hodl' in exercise entry (did you mean "
        "'hold'?); known keys: id, hold, tempo, reps, sides, rest, setup"]),
    ("hold-and-tempo.yaml", [
        "hold-and-tempo.yaml:5:8: give hold or tempo, not both: hold is how long each rep is "
        "held still, tempo how long each slow moving rep takes"]),
    ("routines/tempo-entry.yaml", [
        "routines/tempo-entry.yaml:6:12: give hold or tempo, not both: hold is how long each "
        "rep is held still, tempo how long each slow moving rep takes"]),
    ("lessons/too-short.yaml", [
        "lessons/too-short.yaml:1:1: lesson is missing 'sources': where its facts come from",
        "lessons/too-short.yaml:3:7: text must be 60 to 120 words, got 5",
        "lessons/too-short.yaml:4:8: fits item 1 must be one of first-session, better, steady, "
        "small-rise, first-rise, repeated-rise, high, severe, stopped, stopped-for-safety, "
        "not-improving, worse-over-weeks, no-scores, got 'calm'"]),
    ("routines/exercise-in-routines.yaml", [
        "routines/exercise-in-routines.yaml:1:1: routine is missing 'exercises': the exercises "
        "in order: an id, or a mapping of id plus hold (or tempo), reps, sides, rest, setup",
        "routines/exercise-in-routines.yaml:3:1: unknown key 'position' in routine (did you "
        "mean 'description'?); known keys: id, name, description, schedule, rest_between, "
        "exercises, prescribed_by, prescribed_for, notes",
        "routines/exercise-in-routines.yaml:4:1: unknown key 'steps' in routine (did you mean "
        "'notes'?); known keys: id, name, description, schedule, rest_between, exercises, "
        "prescribed_by, prescribed_for, notes"]),
]


def validate(*targets: str) -> Result:
    return CliRunner().invoke(app, ["validate", *targets])


def closing(lines: list[str]) -> str:
    files = len({line.split(":", 1)[0] for line in lines})
    count = len(lines)
    return (f"Error: {count} problem{'s' if count != 1 else ''} found"
            f"{f' in {files} files' if files > 1 else ''}; fix the lines above and try again.")


@pytest.mark.counts("bad_inputs")
@pytest.mark.parametrize(("target", "expected"), CASES, ids=[case[0] for case in CASES])
def test_bad_file(target: str, expected: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = validate(target)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert result.stderr.splitlines() == [*expected, closing(expected)]


def test_every_bad_file_has_a_case() -> None:
    listed = {case[0] for case in CASES}
    on_disk = {str(p.relative_to(BAD)) for p in BAD.rglob("*.yaml") if "dup-ids" not in p.parts}
    assert on_disk <= listed


def test_a_folder_reports_every_file_at_once_sorted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    result = validate(".")
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    expected = sorted(line for _, found in CASES for line in found)
    assert lines[:-1] == expected
    files = len({line.split(":", 1)[0] for line in expected})
    assert lines[-1] == (f"Error: {len(expected)} problems found in {files} files; fix the "
                         "lines above and try again.")


def problems_of(path: Path, data: bytes, monkeypatch: pytest.MonkeyPatch) -> Result:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    monkeypatch.chdir(path.parent)
    return validate(path.name)


@pytest.mark.counts("bad_inputs")
def test_non_utf8_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "id: latin1\nname: Étirement\nposition: lying\nsteps: [x]\n".encode("latin-1")
    result = problems_of(tmp_path / "latin1.yaml", data, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "latin1.yaml:2:7: byte 0xc9 is not UTF-8; save the file as UTF-8 (in most editors: "
        "File > Save with encoding > UTF-8)")


@pytest.mark.counts("bad_inputs")
def test_raw_escape_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = b"id: raw\nname: Raw\nposition: lying\nsteps:\n  - Now \x1b[2J clear\n"
    result = problems_of(tmp_path / "raw.yaml", data, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "raw.yaml:5:9: the control character U+001B is not allowed in YAML; remove it")


@pytest.mark.counts("bad_inputs")
def test_bidi_override_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = "id: bidi\nname: \"Bidi \u202e\"\nposition: lying\nsteps: [x]\n".encode()
    result = problems_of(tmp_path / "bidi.yaml", data, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "bidi.yaml:2:7: name contains the control character U+202E; remove it")


@pytest.mark.counts("bad_inputs")
@pytest.mark.parametrize("data", [b"", b"\n\n", b"# just a comment\n", b"---\n",
                                  b"\xef\xbb\xbf"])
def test_empty_files(data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = problems_of(tmp_path / "blank.yaml", data, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "blank.yaml:1:1: file is empty; an exercise needs at least id, name, position, steps")


@pytest.mark.counts("bad_inputs")
def test_empty_routine_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = problems_of(tmp_path / "routines" / "blank.yaml", b"", monkeypatch)
    assert result.stderr.splitlines()[0] == (
        "blank.yaml:1:1: file is empty; a routine needs at least id, name, exercises")


@pytest.mark.counts("bad_inputs")
def test_yaml_integer_forms_do_not_crash(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # 1:30 is YAML 1.1 for 90 and 0x1e for 30: read as yaml.safe_load reads them.
    data = b"id: forms\nname: Forms\nposition: lying\nhold: 1:30\nrest: 0x1e\nsteps: [x]\n"
    result = problems_of(tmp_path / "forms.yaml", data, monkeypatch)
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 file checked: all valid.\n"


def test_multi_line_text_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = (b"id: blocks\nname: Blocks\nposition: lying\nsummary: |\n  Two\n  lines.\n"
            b"steps:\n  - >\n    A folded\n\n    step.\n")
    result = problems_of(tmp_path / "blocks.yaml", data, monkeypatch)
    assert result.exit_code == 0, result.output


@pytest.mark.counts("bad_inputs")
def test_missing_path() -> None:
    result = validate("/nonexistent/nowhere.yaml")
    assert result.exit_code == 2
    assert result.stderr == "Error: no such file or folder: /nonexistent/nowhere.yaml\n"


def test_no_user_files_yet(backcoach_home: Path) -> None:
    result = validate()
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("You have no files of your own yet (")
    assert str(backcoach_home / "exercises") in result.stdout


def test_default_checks_the_user_folders(backcoach_home: Path) -> None:
    folder = backcoach_home / "routines"
    folder.mkdir(parents=True)
    (folder / "mine.yaml").write_text("id: mine\nname: Mine\nexercises: [chin-tuck]\n")
    result = validate()
    assert (result.exit_code, result.stdout) == (0, "1 file checked: all valid.\n")
    (folder / "mine.yaml").write_text("id: mine\nname: Mine\nexercises: [chin-tuk]\n")
    result = validate()
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].endswith(
        "mine.yaml:3:13: unknown exercise 'chin-tuk' (did you mean 'chin-tuck'?); "
        "`backcoach list` shows the ids")


def test_the_settings_file_is_not_checked_as_an_exercise_even_through_a_link(
        backcoach_home: Path, tmp_path: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    settings = backcoach_home / "config.yaml"
    settings.write_text("routine: gentle\n", encoding="utf-8")
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "linked.yaml").symlink_to(settings)
    result = validate(str(folder))
    assert (result.exit_code, result.stdout) == (
        0, "No exercise or routine files found to check.\n")
    # A file of that name that is not the settings file is an exercise like any other.
    (folder / "config.yaml").write_text("id: config\nname: Mine\nposition: lying\n"
                                        "steps: [Lie down.]\n", encoding="utf-8")
    result = validate(str(folder))
    assert (result.exit_code, result.stdout) == (0, "1 file checked: all valid.\n")


def test_many_files_named_one_by_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    names = []
    for number in range(30):
        name = f"mine-{number}.yaml"
        (tmp_path / name).write_text(f"id: mine-{number}\nname: Mine\nposition: lying\n"
                                     "steps: [Lie down.]\n", encoding="utf-8")
        names.append(name)
    (tmp_path / "mine-3.yaml").write_text("id: mine-3\nname: Mine\n", encoding="utf-8")
    result = validate(*names)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "mine-3.yaml:1:1: exercise is missing 'position': where the body is: lying, kneeling, "
        "sitting, standing (routines are ordered by it)",
        "mine-3.yaml:1:1: exercise is missing 'steps': numbered instructions, in order",
        closing(["mine-3.yaml:", "mine-3.yaml:"])]


# ---------------------------------------------------------------- every shipped file

SHIPPED = sorted(BUILTIN.rglob("*.yaml"))


def test_the_shipped_library_validates_as_a_folder() -> None:
    result = validate(str(BUILTIN))
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{len(SHIPPED)} files checked: all valid.\n"


@pytest.mark.parametrize("path", SHIPPED, ids=[p.relative_to(BUILTIN).as_posix() for p in SHIPPED])
def test_each_shipped_file_validates(path: Path) -> None:
    result = validate(str(path))
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 file checked: all valid.\n"


def test_python_dash_m_gives_the_same_lines() -> None:
    """The real entry point, in a process of its own: stderr lines and exit code 2."""
    command = [sys.executable, "-m", "backcoach", "validate", "negative-hold.yaml"]
    completed = subprocess.run(command, cwd=BAD, capture_output=True, text=True, timeout=60)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.splitlines() == [
        "negative-hold.yaml:4:7: hold must be from 1 s to 5 min, got the number -5",
        "Error: 1 problem found; fix the lines above and try again."]
