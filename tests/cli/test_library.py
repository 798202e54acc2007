"""The library commands through the CLI: list, show, schema, --version, help texts."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from backcoach import __version__
from backcoach.cli import app

BUILTIN = Path(__file__).resolve().parent.parent.parent / "exercises"
EXERCISE_IDS = sorted(p.stem for p in BUILTIN.glob("*.yaml"))
ROUTINE_IDS = sorted(p.stem for p in (BUILTIN / "routines").glob("*.yaml"))


def cli(*args: str, **env: str) -> Result:
    return CliRunner().invoke(app, list(args), env=env or None)


def ok(*args: str, **env: str) -> Result:
    result = cli(*args, **env)
    assert result.exit_code == 0, result.output
    return result


def as_json(*args: str) -> Any:
    return json.loads(ok(*args, "--json").stdout)


def write_user(home: Path, folder: str, ident: str, text: str) -> Path:
    path = home / folder / f"{ident}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- list

def test_list_shows_every_built_in() -> None:
    result = ok("list")
    assert result.stderr == ""
    # Each row starts with its id at the left edge; wrapped cells continue indented.
    first_words = {line.split()[0] for line in result.stdout.splitlines()
                   if line.strip() and not line[0].isspace()}
    ids = first_words - {"Routines", "Exercises", "id", "Run"} - {w for w in first_words
                                                                   if w.startswith("─")}
    assert ids == set(EXERCISE_IDS) | set(ROUTINE_IDS)
    assert "Routines" in result.stdout and "Exercises" in result.stdout


def test_list_json() -> None:
    rows = as_json("list")
    assert sorted(r["id"] for r in rows if r["kind"] == "exercise") == EXERCISE_IDS
    assert sorted(r["id"] for r in rows if r["kind"] == "routine") == ROUTINE_IDS
    assert {r["source"] for r in rows} == {"built-in"}
    assert set(rows[0]) == {"id", "name", "kind", "position", "dose", "total_seconds", "source",
                            "path"}
    daily = next(r for r in rows if r["id"] == "daily")
    assert (daily["position"], daily["dose"], daily["total_seconds"]) == (
        "lying, kneeling, sitting", "4", 620)
    chin = next(r for r in rows if r["id"] == "chin-tuck")
    assert (chin["dose"], chin["total_seconds"]) == ("10 x 5 s", 105)


# ---------------------------------------------------------------- show

@pytest.mark.parametrize("ident", EXERCISE_IDS)
def test_show_every_exercise(ident: str) -> None:
    data = as_json("show", ident)
    assert (data["id"], data["kind"], data["source"]) == (ident, "exercise", "built-in")
    text = ok("show", ident).stdout
    assert text.startswith(data["name"] + "\n")
    assert "Steps\n" in text and "Stop if\n" in text
    assert re.search(rf"^File: \S*{ident}\.yaml \(built-in\)$", text, flags=re.MULTILINE)
    # each step's first words appear, numbered
    for number, step in enumerate(data["steps"], start=1):
        assert f"{number}. {' '.join(step.split()[:3])}" in text


@pytest.mark.parametrize("ident", ROUTINE_IDS)
def test_show_every_routine(ident: str) -> None:
    data = as_json("show", ident)
    assert (data["id"], data["kind"]) == (ident, "routine")
    assert [s["exercise"] for s in data["sequence"]] == [i["exercise_id"] for i in data["items"]]
    assert data["total_seconds"] == (sum(s["total_seconds"] for s in data["sequence"])
                                     + data["rest_between"] * (len(data["sequence"]) - 1))
    text = ok("show", ident).stdout
    assert text.startswith(data["name"] + "\n")
    assert f"Start it with `backcoach run {ident}`." in text


def dose_total(setup: int, reps: int, sides: int, hold: int, switch: int, rest: int) -> int:
    return setup + reps * sides * hold + reps * (sides - 1) * switch + (reps - 1) * rest


# daily.yaml, each exercise's dose from its own file with daily's overrides laid over it:
#   knee-to-chest          setup 10, reps 2 (daily), both sides, hold 30, switch 5, rest 10
#   piriformis-figure-four setup 10, reps 2 (daily), both sides, hold 30, switch 5, rest 10
#   kneeling-hip-flexor    setup 15, reps 2,         both sides, hold 30, switch 10, rest 10
#   neck-side-bend         setup 10, reps 2 (daily), both sides, hold 20 (daily), switch 5, rest 10
#   rest_between 15s
DAILY = [dose_total(10, 2, 2, 30, 5, 10), dose_total(10, 2, 2, 30, 5, 10),
         dose_total(15, 2, 2, 30, 10, 10), dose_total(10, 2, 2, 20, 5, 10)]
DAILY_TOTAL = sum(DAILY) + (len(DAILY) - 1) * 15


def test_daily_total_matches_a_hand_calculation() -> None:
    assert DAILY == [150, 150, 165, 110]
    assert DAILY_TOTAL == 620
    data = as_json("show", "daily")
    assert data["total_seconds"] == DAILY_TOTAL
    assert [s["total_seconds"] for s in data["sequence"]] == DAILY
    text = ok("show", "daily").stdout
    assert "Total: 10 min 20 s." in text
    assert "4 exercises · about 10 min 20 s" in text
    # each exercise starts after the ones before it and a 15 s rest: 0:00, 2:45, 5:30, 8:30
    starts = re.findall(r"^(\d) +(\d+:\d\d)  ", text, flags=re.MULTILINE)
    assert starts == [("1", "0:00"), ("2", "2:45"), ("3", "5:30"), ("4", "8:30")]


def test_show_exercise_total_in_text() -> None:
    # knee-to-chest: setup 10, 3 reps, both sides, hold 30, switch 5, rest 10
    assert dose_total(10, 3, 2, 30, 5, 10) == 225
    text = ok("show", "knee-to-chest").stdout
    assert "Dose: 3 x 30 s each side, rest 10 s between reps · about 3 min 45 s in all" in text


def test_show_unknown_id() -> None:
    result = cli("show", "daly")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == ("Error: no exercise or routine called 'daly' (did you mean "
                             "'daily'?); `backcoach list` shows them all\n")


def test_show_never_makes_a_history_file(backcoach_home: Path) -> None:
    assert as_json("show", "daily")["left_out"] == {}
    assert not (backcoach_home / "history.sqlite3").exists()
    backcoach_home.mkdir(parents=True)
    (backcoach_home / "history.sqlite3").write_text("a shopping list\n", encoding="utf-8")
    assert as_json("show", "daily")["left_out"] == {}  # an unusable history hides nothing
    assert (backcoach_home / "history.sqlite3").read_text(encoding="utf-8") == "a shopping list\n"


def test_show_without_an_id_is_a_usage_error() -> None:
    assert cli("show").exit_code == 2


# ---------------------------------------------------------------- schema, version

@pytest.mark.parametrize("kind", ["exercise", "routine"])
def test_schema_is_json_schema(kind: str) -> None:
    document = json.loads(ok("schema", kind).stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document["title"] == f"backcoach {kind}"
    assert document["additionalProperties"] is False
    if kind == "exercise":
        assert document["required"] == ["id", "name", "position", "steps"]
        assert {"hold", "reps", "sides", "rest", "setup", "switch", "cues", "cautions",
                "stop_if", "contraindications", "easier", "harder"} <= set(document["properties"])
    else:
        assert document["required"] == ["id", "name", "exercises"]
        items = document["properties"]["exercises"]["items"]["anyOf"]
        assert set(items[1]["properties"]) == {"id", "hold", "tempo", "reps", "sides",
                                             "rest", "setup"}


def test_schema_unknown_kind() -> None:
    result = cli("schema", "recipe")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: schema takes 'exercise'")
    assert result.stderr.endswith(", got 'recipe'\n")


def test_version() -> None:
    assert ok("--version").stdout == f"backcoach {__version__}\n"


# ---------------------------------------------------------------- user files

MARKUP = """\
id: loud
name: "[bold]red[/bold] stretch"
position: sitting
steps:
  - "Press [link=https://example.com]here[/link] and [blink]wait[/blink]."
  - 'A backslash escape written as text: \\e[31m stays text'
"""


def test_markup_from_yaml_is_shown_literally(backcoach_home: Path) -> None:
    write_user(backcoach_home, "exercises", "loud", MARKUP)
    text = ok("show", "loud").stdout
    assert text.startswith("[bold]red[/bold] stretch\n")
    assert "1. Press [link=https://example.com]here[/link] and [blink]wait[/blink]." in text
    assert "2. A backslash escape written as text: \\e[31m stays text" in text
    assert "\x1b" not in text
    table = ok("list", COLUMNS="200").stdout
    assert "[bold]red[/bold] stretch" in table


def test_escape_characters_are_refused_with_a_clear_message(backcoach_home: Path) -> None:
    path = write_user(backcoach_home, "exercises", "sneaky",
                      'id: sneaky\nname: "Sneaky \\e]0;owned\\a"\nposition: lying\n'
                      'steps: ["\\e[2J"]\n')
    result = cli("validate", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"{path}:2:7: name contains the control character U+001B; remove it",
        f"{path}:4:9: steps item 1 contains the control character U+001B; remove it",
        "Error: 2 problems found; fix the lines above and try again."]
    # list still works, warns on stderr, and leaves the broken file out
    listed = cli("list", "--json")
    assert listed.exit_code == 0
    assert "sneaky" not in {row["id"] for row in json.loads(listed.stdout)}
    assert listed.stderr.splitlines() == [
        "Warning: 2 problem(s) in your files; what they define is not in force until fixed:",
        *result.stderr.splitlines()[:2]]


def test_a_user_file_replaces_a_built_in(backcoach_home: Path) -> None:
    write_user(backcoach_home, "exercises", "knee-to-chest",
               "id: knee-to-chest\nname: My knee hug\nposition: lying\nsides: [left, right]\n"
               "hold: 45s\nreps: 2\nsteps: [Hug one knee.]\n")
    rows = {row["id"]: row for row in as_json("list")}
    assert rows["knee-to-chest"]["source"] == "user (replaces built-in)"
    assert rows["knee-to-chest"]["name"] == "My knee hug"
    assert rows["chin-tuck"]["source"] == "built-in"
    table = ok("list", COLUMNS="200").stdout
    line = next(line for line in table.splitlines() if line.startswith("knee-to-chest "))
    assert "My knee hug" in line and "user (replaces built-in)" in line

    mine = ok("show", "knee-to-chest").stdout
    assert mine.startswith("My knee hug\n")
    assert "(user (replaces built-in))" in mine
    builtin = ok("show", "--builtin", "knee-to-chest").stdout
    assert builtin.startswith("Knee-to-chest stretch\n")
    assert "Dose: 3 x 30 s each side" in builtin
    assert as_json("show", "--builtin", "knee-to-chest")["source"] == "built-in"
    # routines use the user's version: 10 + 2*2*45 + 2*1*5 + 1*10 = 210 s for the first item
    assert as_json("show", "daily")["sequence"][0]["total_seconds"] == 210


def test_builtin_flag_without_a_replacement() -> None:
    result = cli("show", "--builtin", "daily")
    assert result.exit_code == 2
    assert result.stderr == "Error: 'daily' does not replace a built-in; drop --builtin\n"


# ---------------------------------------------------------------- help

GROUP = typer.main.get_command(app)
COMMANDS = GROUP.list_commands(typer.Context(GROUP))  # type: ignore[attr-defined]


def command(name: str) -> Any:
    return GROUP.get_command(typer.Context(GROUP), name)  # type: ignore[attr-defined]


def test_the_library_commands_exist() -> None:
    assert {"list", "show", "validate", "schema"} <= set(COMMANDS)
    assert len(COMMANDS) == 19


def test_every_command_of_every_module_is_in_the_registry_and_runs_its_function() -> None:
    """The registry loads commands by name (so --version and --help build none): a command
    defined on a module's app but missing from it could never run, and an entry naming the
    wrong function would run the wrong code."""
    import importlib

    from backcoach.cli import COMMANDS as REGISTRY

    defined = set()
    for module_name in {entry.module for entry in REGISTRY.values()}:
        module = importlib.import_module(f"backcoach.cli.{module_name}")
        defined |= set(typer.main.get_group(module.app).commands)
    assert defined == set(REGISTRY)
    for name, entry in REGISTRY.items():
        module = importlib.import_module(f"backcoach.cli.{entry.module}")
        assert command(name).callback.__wrapped__ is getattr(module, entry.function), name
        assert entry.summary and len(entry.summary) <= 60, name


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_and_an_example(name: str) -> None:
    assert command(name).help and command(name).help.strip(), f"{name} has no help text"
    result = ok(name, "--help")
    assert re.search(r"^\s*Example: backcoach " + re.escape(name) + r"\b", result.stdout,
                     flags=re.MULTILINE), result.stdout


def test_top_level_help_lists_the_commands() -> None:
    result = ok("--help")
    for name in COMMANDS:
        assert re.search(rf"^\s+{re.escape(name)}\s", result.stdout, flags=re.MULTILINE), name


def test_item_16_show_list_and_run_find_the_lunge(backcoach_home: Path) -> None:
    shown = ok("show", "lunge").stdout
    assert shown.startswith("Kneeling hip-flexor stretch\n")
    assert "Also found as: lunge, kneeling-lunge" in shown
    assert as_json("show", "lunge")["aliases"] == ["lunge", "kneeling-lunge"]
    listed = {row["id"]: row for row in as_json("list")}
    assert listed["kneeling-hip-flexor"]["aliases"] == ["lunge", "kneeling-lunge"]
    assert "(also: lunge, kneeling-lunge)" in listed["kneeling-hip-flexor"]["name"]
    assert "lunge" in " ".join(ok("list", COLUMNS="200").stdout.split())
    assert ok("screen", "--clear").exit_code == 0
    done = cli("run", "--only", "lunge", "--speed", "1000", "--output", "jsonl",
               "--pain-before", "2", "--pain-after", "2")
    assert done.exit_code == 0, done.output
    ran = {json.loads(line).get("exercise") for line in done.stdout.splitlines()}
    assert ran == {None, "kneeling-hip-flexor"}
