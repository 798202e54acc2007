"""Writing your own files through the CLI: new, edit, config, and what validate, show and run
say about them. Editors are small Python scripts named in $EDITOR, as a person's would be."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from backcoach.cli import app
from tests.cli.test_run import backcoach

ORDER_WARNING = (
    "warning: this order changes position twice (lying → sitting → lying); grouped by position "
    "it changes once: knee-to-chest, piriformis-figure-four, chin-tuck")
UP_AND_DOWN = """\
id: up-and-down
name: Up and down
exercises:
  - knee-to-chest
  - chin-tuck
  - piriformis-figure-four
"""


def cli(*args: str, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env or None)


def editor(tmp_path: Path, body: str, name: str = "editor.py") -> str:
    """An $EDITOR value running a Python script; `path` is the file it is given."""
    script = tmp_path / name
    script.write_text("import sys\nfrom pathlib import Path\npath = Path(sys.argv[-1])\n"
                      + body, encoding="utf-8")
    return f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}"


def replace_with(tmp_path: Path, text: str) -> str:
    return editor(tmp_path, f"path.write_text({text!r}, encoding='utf-8')\n")


def write_user(home: Path, folder: str, ident: str, text: str) -> Path:
    path = home / folder / f"{ident}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- new

def test_new_prints_the_path_and_says_what_next(backcoach_home: Path) -> None:
    result = cli("new", "routine", "my-morning")
    assert result.exit_code == 0, result.output
    path = backcoach_home / "routines" / "my-morning.yaml"
    assert result.stdout == f"{path}\n"  # only the path: `$EDITOR $(backcoach new ...)` works
    assert result.stderr == ("Wrote a new routine. Change it with `backcoach edit my-morning` "
                             "(or any editor), then try it: `backcoach run my-morning`.\n")
    assert (backcoach_home / "schema" / "routine.schema.json").is_file()
    assert cli("validate").stdout == "1 file checked: all valid.\n"


def test_new_refuses_to_overwrite(backcoach_home: Path) -> None:
    assert cli("new", "exercise", "my-twist").exit_code == 0
    path = backcoach_home / "exercises" / "my-twist.yaml"
    path.write_text("# mine\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    again = cli("new", "exercise", "my-twist")
    assert again.exit_code == 2
    assert again.stderr == ("Error: " + str(path) + " already exists; `backcoach edit my-twist` "
                            "opens it\n")
    assert path.read_text(encoding="utf-8").startswith("# mine\n")


def test_new_checks_the_id() -> None:
    result = cli("new", "routine", "Morning Stretch")
    assert result.exit_code == 2
    assert result.stderr == ("Error: 'Morning Stretch' is not a valid id: use lowercase letters, "
                             "digits and single hyphens, such as morning-stretch (it becomes "
                             "the file name)\n")


def test_new_from_a_routine_with_a_poor_order_warns(backcoach_home: Path) -> None:
    write_user(backcoach_home, "routines", "up-and-down", UP_AND_DOWN)
    result = cli("new", "routine", "copy", "--from", "up-and-down")
    assert result.exit_code == 0, result.output
    assert f"routines/copy.yaml:6:1: {ORDER_WARNING}" in result.stderr  # under the header


# ---------------------------------------------------------------- edit

VALID_MINE = "id: mine\nname: Mine\nexercises: [chin-tuck, neck-side-bend]\n"


def test_edit_a_file_of_yours_and_it_is_checked(backcoach_home: Path, tmp_path: Path) -> None:
    write_user(backcoach_home, "routines", "mine", "id: mine\nname: Mine\nexercises: [chin-tuck]\n")
    result = cli("edit", "mine", EDITOR=replace_with(tmp_path, VALID_MINE), VISUAL="")
    assert result.exit_code == 0, result.output
    assert result.stdout == ("routines/mine.yaml is valid and in force. Try it: "
                             "`backcoach run mine`.\n").replace(
        "routines/", str(backcoach_home / "routines") + "/")
    assert json.loads(cli("show", "mine", "--json").stdout)["items"][1] == {
        "exercise_id": "neck-side-bend", "override": {
            "hold": None, "reps": None, "sides": None, "rest": None, "setup": None,
            "tempo": None}}


def test_edit_that_breaks_the_file_off_a_terminal_exits_2(backcoach_home: Path,
                                                          tmp_path: Path) -> None:
    path = write_user(backcoach_home, "routines", "mine", VALID_MINE)
    broken = "id: mine\nname: Mine\nexercises:\n  - id: chin-tuck\n    rep: 8\n"
    result = cli("edit", "mine", EDITOR=replace_with(tmp_path, broken), VISUAL="")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:5:5: unknown key 'rep' in exercise entry (did you mean 'reps'?); known keys: "
        "id, hold, tempo, reps, sides, rest, setup",
        f"Error: {path} still has 1 problem (above), so it is not used, and `backcoach run` "
        "will not start until it is fixed. `backcoach edit mine` opens it again."]
    assert "Edit it again" not in result.output  # no question without a terminal


def test_edit_a_built_in_copies_it_first(backcoach_home: Path, tmp_path: Path) -> None:
    shorter = editor(tmp_path, "path.write_text(path.read_text().replace('reps: 2', 'reps: 1'))\n")
    result = cli("edit", "daily", EDITOR=shorter, VISUAL="")
    assert result.exit_code == 0, result.output
    path = backcoach_home / "routines" / "daily.yaml"
    assert result.stderr == (f"Copied the built-in routine 'daily' to {path}. Your copy replaces "
                             "the built-in one while it exists; delete it to go back.\n")
    assert "(it replaces the built-in one)" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/routine.schema.json\n"
                           "# Your copy of the built-in routine 'daily'.")
    rows = {row["id"]: row for row in json.loads(cli("list", "--json").stdout)}
    assert rows["daily"]["source"] == "user (replaces built-in)"
    shown = json.loads(cli("show", "daily", "--json").stdout)
    assert [entry["reps"] for entry in shown["sequence"]] == [1, 1, 2, 1]  # 3rd: its own


def test_edit_a_built_in_without_changes_removes_the_copy(backcoach_home: Path,
                                                         tmp_path: Path) -> None:
    result = cli("edit", "chin-tuck", EDITOR=editor(tmp_path, "pass\n"), VISUAL="")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == ("No changes, so your copy was removed; the "
                                              "built-in 'chin-tuck' stays in force.")
    assert not (backcoach_home / "exercises" / "chin-tuck.yaml").exists()


def test_visual_comes_before_editor(backcoach_home: Path, tmp_path: Path) -> None:
    write_user(backcoach_home, "routines", "mine", VALID_MINE)
    marker = tmp_path / "visual-ran"
    visual = editor(tmp_path, f"Path({str(marker)!r}).write_text('yes')\n", "visual.py")
    result = cli("edit", "mine", VISUAL=visual, EDITOR="false")
    assert result.exit_code == 0, result.output
    assert marker.read_text() == "yes"


def test_edit_an_unknown_id() -> None:
    result = cli("edit", "dialy", EDITOR="true")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no exercise or routine called 'dialy' (did you mean "
                             "'daily'?); `backcoach list` shows them all; `backcoach new routine "
                             "dialy` or `backcoach new exercise dialy` starts a new one\n")


def test_edit_without_any_editor_says_how(backcoach_home: Path, tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    result = cli("edit", "daily", VISUAL="", EDITOR="", PATH=str(empty))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no text editor found: set EDITOR, for example "
                                    "`export EDITOR=nano`")
    assert not (backcoach_home / "routines").exists()  # nothing copied


def test_edit_with_a_missing_editor_program(backcoach_home: Path) -> None:
    write_user(backcoach_home, "routines", "mine", VALID_MINE)
    result = cli("edit", "mine", VISUAL="", EDITOR="no-such-editor-here --wait")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot start the editor 'no-such-editor-here' "
                                    "(from $EDITOR): ")


# ---------------------------------------------------------------- validate and show: order

def test_validate_warns_about_the_order_and_still_exits_0(backcoach_home: Path) -> None:
    path = write_user(backcoach_home, "routines", "up-and-down", UP_AND_DOWN)
    result = cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"{path}:3:1: {ORDER_WARNING}\n"
    assert result.stdout == "1 file checked: all valid (1 warning above).\n"


def test_show_a_routine_warns_about_the_order(backcoach_home: Path) -> None:
    write_user(backcoach_home, "routines", "up-and-down", UP_AND_DOWN)
    page = cli("show", "up-and-down", COLUMNS="300").stdout
    assert f"Warning: {ORDER_WARNING.removeprefix('warning: ')}" in page
    data = json.loads(cli("show", "up-and-down", "--json").stdout)
    assert data["warnings"] == [ORDER_WARNING.removeprefix("warning: ")]
    assert json.loads(cli("show", "daily", "--json").stdout)["warnings"] == []


# ---------------------------------------------------------------- run with broken files

def test_run_refuses_a_broken_user_file_and_lists_every_problem(backcoach_home: Path) -> None:
    write_user(backcoach_home, "routines", "mine",
               "id: mine\nname: Mine\nexercises:\n  - id: chin-tuk\n  - id: neck-side-bend\n"
               "    hold: 2 minutes\n")
    done = backcoach(backcoach_home, "run", "mine", "--speed", "100")
    assert done.returncode == 2
    shown = "routines/mine.yaml"  # the subprocess runs in the repo; the file is elsewhere
    lines = done.stderr.splitlines()
    assert [line.split(shown, 1)[1] for line in lines[:2]] == [
        ":4:9: unknown exercise 'chin-tuk' (did you mean 'chin-tuck'?); `backcoach list` "
        "shows the ids",
        ":6:11: hold must be a duration such as 30s or 1m, got '2 minutes'"]
    assert lines[2:] == ["Error: 2 problems found; fix the lines above and try again.",
                         "To fix it: `backcoach edit mine`."]


def test_run_refuses_a_broken_config(backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "config.yaml").write_text("voice: maybe\n", encoding="utf-8")
    done = backcoach(backcoach_home, "run", "--speed", "100")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{backcoach_home}/config.yaml:1:8: voice must be off, brief or full (or true or "
        "false), got 'maybe'",
        "Error: 1 problem found; fix the lines above and try again.",
        "To fix it: `backcoach config --edit`."]


def test_validate_checks_the_config_too(backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    path = backcoach_home / "config.yaml"
    path.write_text("routine: dayly\ncountdown: tiny\n", encoding="utf-8")
    result = cli("validate")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:1:10: routine must name a routine, got 'dayly' (did you mean 'daily'?); "
        "`backcoach list` shows them",
        f"{path}:2:12: countdown must be one of big, plain, got 'tiny'",
        "Error: 2 problems found; fix the lines above and try again."]
    path.write_text("routine: gentle\n", encoding="utf-8")
    assert cli("validate").stdout == "1 file checked: all valid.\n"
    assert cli("validate", str(backcoach_home)).stdout == "1 file checked: all valid.\n"


# ---------------------------------------------------------------- settings take effect

@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """run_session replaced by a recorder: what `run` asked for, after settings and flags."""
    seen: list[Any] = []

    def fake(options: Any) -> int:
        seen.append(options)
        return 0

    monkeypatch.setattr("backcoach.app.run_session", fake)
    return seen


def test_flags_override_settings_which_override_defaults(backcoach_home: Path,
                                                         captured: list[Any]) -> None:
    assert cli("run").exit_code == 0
    first = captured[-1]
    assert (first.sound, first.voice, first.countdown, first.routine_id) == (
        True, False, "big", "daily")
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "config.yaml").write_text(
        "sound: false\nvoice: true\ncountdown: plain\nroutine: gentle\nrescreen_days: 7\n",
        encoding="utf-8")
    assert cli("run").exit_code == 0
    second = captured[-1]
    assert (second.sound, second.voice, second.countdown, second.routine_id) == (
        False, True, "plain", "gentle")
    assert second.settings.rescreen_days == 7
    assert cli("run", "desk-break", "--sound", "--no-voice", "--countdown", "big").exit_code == 0
    third = captured[-1]
    assert (third.sound, third.voice, third.countdown, third.routine_id) == (
        True, False, "big", "desk-break")


def test_the_default_routine_setting_runs(backcoach_home: Path) -> None:
    assert backcoach(backcoach_home, "screen", "--clear").returncode == 0
    (backcoach_home / "config.yaml").write_text("routine: gentle\n", encoding="utf-8")
    done = backcoach(backcoach_home, "run", "--speed", "300", "--pain-before", "1",
                     "--pain-after", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("[00:00] Gentle flare-up routine")


def test_rescreen_days_setting_asks_again_sooner(backcoach_home: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from backcoach.history.store import HistoryStore
    from backcoach.safety import flow as safety_flow

    with HistoryStore.open() as store:  # a screen ten days old
        safety_flow.clear_screen(store, datetime.now(UTC) - timedelta(days=10))
    (backcoach_home / "config.yaml").write_text("rescreen_days: 7\n", encoding="utf-8")
    done = backcoach(backcoach_home, "run", "--speed", "300", "--pain-before", "1")
    assert done.returncode == 2 and "backcoach screen" in done.stderr  # due: needs a terminal
    (backcoach_home / "config.yaml").write_text("rescreen_days: 14\n", encoding="utf-8")
    done = backcoach(backcoach_home, "run", "--speed", "300", "--pain-before", "1",
                     "--pain-after", "1")
    assert done.returncode == 0, done.stderr


# ---------------------------------------------------------------- config

def test_config_shows_defaults_without_a_file(backcoach_home: Path) -> None:
    result = cli("config", COLUMNS="200")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"No settings file yet ({backcoach_home / 'config.yaml'}); these are the defaults. "
        "`backcoach config --edit` writes one.",
        "setting         value       from",
        "──────────────  ──────────  ───────",
        "sound           true        default",
        "voice           off         default",
        "routine         daily       default",
        "rescreen_days   30          default",
        "countdown       big         default",
        "remind_at       \"08:30\"     default",
        "remind_days     routine     default",
        "remind_with     auto        default",
        "breaks_every    45m         default",
        "breaks_snooze   10m         default",
        "breaks_routine  desk-break  default",
        "breaks_during   always      default",
        "Flags on the command line override these for one run."]


@pytest.mark.parametrize("columns", ["80", "60"])
def test_item_16_config_lines_up_at_80_and_60_columns(backcoach_home: Path,
                                                      columns: str) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "config.yaml").write_text("voice: brief\nroutine: neck-and-shoulders\n")
    lines = cli("config", COLUMNS=columns).stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("setting "))
    table = lines[header:header + 7]
    value_at = table[0].index("value")
    from_at = table[0].index("from")
    for line in table[2:]:
        assert line[value_at - 2:value_at] == "  " and line[value_at] != " ", line
        assert line[from_at:].strip() in ("default", "config.yaml"), line
    assert "routine         neck-and-shoulders  config.yaml" in table
    assert all(len(line) <= int(columns) for line in lines)


def test_item_13_config_json(backcoach_home: Path) -> None:
    backcoach_home.mkdir(parents=True, exist_ok=True)
    (backcoach_home / "config.yaml").write_text("voice: yes\n")
    data = json.loads(cli("config", "--json").stdout)
    assert data["file"] == str(backcoach_home / "config.yaml") and data["exists"]
    assert data["settings"]["voice"] == {"value": "full", "from": "config.yaml"}
    assert data["settings"]["sound"] == {"value": True, "from": "default"}


def test_config_edit_writes_a_commented_file_and_checks_it(backcoach_home: Path,
                                                          tmp_path: Path) -> None:
    quieter = editor(tmp_path, "path.write_text(path.read_text().replace('sound: true', "
                               "'sound: false'))\n")
    result = cli("config", "--edit", EDITOR=quieter, VISUAL="")
    assert result.exit_code == 0, result.output
    text = (backcoach_home / "config.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schema/config.schema.json\n")
    assert (backcoach_home / "schema" / "config.schema.json").is_file()
    assert "sound           false       config.yaml" in result.stdout
    assert "voice           off         config.yaml" in result.stdout

    broken = replace_with(tmp_path, "sound: off\nroutine: nope\n")
    result = cli("config", "--edit", EDITOR=broken, VISUAL="")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0].endswith(
        "config.yaml:2:10: routine must name a routine, got 'nope'; `backcoach list` shows them")


def test_schema_config() -> None:
    result = cli("schema", "config")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["title"] == "backcoach settings"


def test_a_copy_under_a_new_id_keeps_no_aliases_and_validates(backcoach_home: Path) -> None:
    """Aliases are unique across the library: the copy of the lunge stretch is not `lunge`."""
    result = cli("new", "exercise", "my-lunge", "--from", "kneeling-hip-flexor")
    assert result.exit_code == 0, result.output
    text = (backcoach_home / "exercises" / "my-lunge.yaml").read_text(encoding="utf-8")
    assert "\naliases:" not in text
    assert "# aliases: none; 'kneeling-hip-flexor' keeps its own (they must be unique)" in text
    assert "regions: [hip, low-back, knee]" in text
    checked = cli("validate")
    assert checked.exit_code == 0, checked.output
    assert cli("show", "lunge").stdout.startswith("Kneeling hip-flexor stretch")
