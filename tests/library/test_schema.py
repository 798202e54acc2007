"""The schema as data: each check on YAML nodes, mappings with every problem, JSON Schema."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from backcoach.library import model, schema
from backcoach.library.loading import kind_of, validate_files
from backcoach.library.yamlsrc import YamlFailure, compose


def node_of(text: str) -> yaml.Node:
    node = compose(text, "f.yaml")
    assert node is not None
    return node


def run(check: schema.Check, text: str) -> Any:
    return check(node_of(text), schema.Collector("f.yaml"))


def refused(check: schema.Check, text: str) -> str:
    with pytest.raises(schema.Invalid) as caught:
        run(check, text)
    return caught.value.message


def problems(text: str, fields: tuple[schema.Field, ...] = schema.EXERCISE_FIELDS,
             what: str = "exercise") -> tuple[dict[str, Any], bool, list[str]]:
    out = schema.Collector("f.yaml")
    values, ok = schema.read_mapping(node_of(text), fields, out, what)
    return values, ok, [str(p) for p in sorted(out.problems)]


# ---------------------------------------------------------------- messages

def test_did_you_mean() -> None:
    assert schema.did_you_mean("hodl", ["hold", "reps"]) == " (did you mean 'hold'?)"
    assert schema.did_you_mean("zzz", ["hold", "reps"]) == ""


def test_clip_makes_control_characters_visible_and_shortens() -> None:
    assert schema.clip("a\x1b[31mb") == "a\\u001b[31mb"
    assert schema.clip("x" * 50) == "x" * 37 + "..."
    assert schema.clip("short") == "short"


@pytest.mark.parametrize(("text", "shown"), [
    ("a: 1", "a mapping (key: value pairs)"),
    ("[a]", "a list"),
    ("~", "nothing"),
    ("no", "'no' (YAML reads that as yes/no; put it in quotes to mean the word)"),
    ("12", "the number 12"),
    ("1.5", "the number 1.5"),
    ("hello", "'hello'"),
])
def test_describe(text: str, shown: str) -> None:
    assert schema.describe(node_of(text)) == shown


# ---------------------------------------------------------------- single checks

HOLD = schema.Duration(1, 300)
REST = schema.Duration(0, 600)


@pytest.mark.parametrize(("text", "seconds"), [
    ("30", 30), ("30s", 30), ("1m", 60), ("1m30s", 90), ("'45'", 45), ("5m", 300),
    # YAML's own integer forms, read as yaml.safe_load reads them
    ("1:30", 90), ("0x1e", 30), ("1_0", 10),
])
def test_duration_accepts(text: str, seconds: int) -> None:
    assert run(HOLD, text) == seconds


@pytest.mark.parametrize(("text", "message"), [
    ("-5", "must be from 1 s to 5 min, got the number -5"),
    ("0", "must be from 1 s to 5 min, got the number 0"),
    ("3h", "must be from 1 s to 5 min, got '3h'"),
    ("301", "must be from 1 s to 5 min, got the number 301"),
    ("1.5", "must be a duration such as 30s or 1m, got the number 1.5"),
    ("half a minute", "must be a duration such as 30s or 1m, got 'half a minute'"),
    ("~", "must be a duration such as 30s or 1m, got nothing"),
    ("[30]", "must be a duration such as 30s or 1m, got a list"),
    ("yes", "must be a duration such as 30s or 1m, got 'yes' (YAML reads that as yes/no; "
            "put it in quotes to mean the word)"),
    ("!!int abc", "must be a duration such as 30s or 1m, got the number abc"),
])
def test_duration_refuses(text: str, message: str) -> None:
    assert refused(HOLD, text) == message


def test_a_rest_may_be_zero() -> None:
    assert run(REST, "0") == 0
    assert refused(REST, "oops") == "must be a duration such as 10s or 0, got 'oops'"


def test_integer() -> None:
    reps = schema.Integer(1, 50)
    assert run(reps, "3") == 3
    assert refused(reps, "three") == "must be a whole number from 1 to 50, got 'three'"
    assert refused(reps, "3.0") == "must be a whole number from 1 to 50, got the number 3.0"
    assert refused(reps, "0") == "must be from 1 to 50, got the number 0"
    assert refused(reps, "1:30") == "must be from 1 to 50, got the number 1:30"


def test_text() -> None:
    check = schema.Text(20)
    assert run(check, "Lie down.") == "Lie down."
    assert run(check, "42") == "42"  # numbers are taken as the words written
    assert run(check, "|\n  Two\n  lines.\n") == "Two lines."
    assert run(check, "'[bold]x[/bold]'") == "[bold]x[/bold]"  # markup is just text here
    assert run(check, '"family \U0001f468\u200d\U0001f469"').endswith("\u200d\U0001f469")
    assert refused(check, "''") == "must not be empty"
    assert refused(check, "~") == "must be text, got nothing"
    assert refused(check, "[a]") == "must be text, got a list"
    assert refused(check, "x" * 21) == "is 21 characters long; keep it under 20"
    assert refused(check, '"\\e[2J"') == "contains the control character U+001B; remove it"
    assert refused(check, '"evil \\u202e"') == "contains the control character U+202E; remove it"


def test_identifier() -> None:
    assert schema.identifier(node_of("knee-to-chest"), schema.Collector("f")) == "knee-to-chest"
    for bad in ("Knee", "knee--chest", "-knee", "knee/chest", "knee_chest", "a" * 61):
        with pytest.raises(schema.Invalid) as caught:
            schema.identifier(node_of(bad), schema.Collector("f"))
        assert caught.value.message.startswith(
            "must use only lowercase letters, digits and single hyphens, such as knee-to-chest, "
            "got ")


def test_choice_suggests() -> None:
    assert refused(schema.Choice(model.POSITIONS), "lyng") == (
        "must be one of lying, kneeling, sitting, standing, got 'lyng' (did you mean 'lying'?)")


@pytest.mark.parametrize(("text", "sides"), [
    ("none", ()), ("[left, right]", ("left", "right")), ("[right, left]", ("left", "right")),
    ("[left]", ("left",)), ("right", ("right",)),
])
def test_sides_accepts(text: str, sides: tuple[str, ...]) -> None:
    assert run(schema.sides, text) == sides


def test_sides_refuses() -> None:
    expected = "must be [left, right], [left], [right] or none"
    assert refused(schema.sides, "no") == (f"{expected}, got 'no' (YAML reads that as yes/no; "
                                           "put it in quotes to mean the word)")
    assert refused(schema.sides, "[]") == f"{expected}, got a list"
    assert refused(schema.sides, "both") == f"{expected}, got 'both'"
    with pytest.raises(schema.Many) as caught:
        run(schema.sides, "[left, left]")
    assert [f.message for f in caught.value.failures] == ["item 2 repeats 'left'; keep one"]


def test_sequence_reports_every_bad_item() -> None:
    with pytest.raises(schema.Many) as caught:
        run(schema.ListOf(schema.Text()), "- ok\n- ''\n- [x]\n")
    assert [(f.message, f.node.start_mark.line + 1) for f in caught.value.failures] == [
        ("item 2 must not be empty", 2), ("item 3 must be text, got a list", 3)]
    assert refused(schema.ListOf(schema.Text(), non_empty=True), "[]") == (
        "must list at least one item")
    assert refused(schema.ListOf(schema.Text(), max_items=2), "[a, b, c]") == (
        "has 3 items; at most 2 are allowed")


# ---------------------------------------------------------------- mappings

MINIMAL = "id: x\nname: X\nposition: lying\nsteps: [Lie down.]\n"


def test_minimal_exercise_takes_defaults() -> None:
    values, ok, found = problems(MINIMAL)
    assert ok and found == []
    exercise = schema.build_exercise(values, model.Origin("x.yaml", builtin=False))
    assert exercise.family == "other"
    assert exercise.dose == model.Dose()
    assert exercise.steps == ("Lie down.",)
    assert exercise.easier is None


def test_every_problem_of_a_mapping_at_once() -> None:
    text = ("id: x\nname: X\nposition: flying\nhodl: 30s\nreps: 0\nsteps: []\nreps: 2\n"
            "cues: [ok, '']\n")
    _, ok, found = problems(text)
    assert not ok
    assert found == [
        "f.yaml:3:11: position must be one of lying, kneeling, sitting, standing, got 'flying' "
        "(did you mean 'lying'?)",
        "f.yaml:4:1: unknown key 'hodl' in exercise (did you mean 'hold'?); known keys: id, "
        "name, summary, family, position, equipment, type, sides, hold, tempo, reps, rest, "
        "setup, switch, steps, key_step, cues, cautions, stop_if, contraindications, regions, "
        "aliases, easier, harder, sources, picture",
        "f.yaml:5:7: reps must be from 1 to 50, got the number 0",
        "f.yaml:6:8: steps must list at least one item",
        "f.yaml:7:1: duplicate key 'reps' (first at line 5); keep one",
        "f.yaml:8:12: cues item 2 must not be empty",
    ]


def test_missing_required_keys_are_named_with_their_docs() -> None:
    _, ok, found = problems("id: x\n")
    assert not ok
    assert found == [
        "f.yaml:1:1: exercise is missing 'name': the name shown on screen",
        "f.yaml:1:1: exercise is missing 'position': where the body is: lying, kneeling, "
        "sitting, standing (routines are ordered by it)",
        "f.yaml:1:1: exercise is missing 'steps': numbered instructions, in order",
    ]


def test_routine_with_overrides_and_schedule() -> None:
    text = ("id: r\nname: R\nschedule: {per_day: 2}\nrest_between: 20s\nexercises:\n"
            "  - knee-to-chest\n  - id: chin-tuck\n    reps: 5\n    sides: none\n")
    out = schema.Collector("f.yaml")
    values, ok = schema.read_mapping(node_of(text), schema.ROUTINE_FIELDS, out, "routine")
    assert ok, out.problems
    routine = schema.build_routine(values, model.Origin("r.yaml", builtin=False))
    assert routine.schedule == model.Schedule(per_day=2, days_per_week=5)
    assert routine.rest_between == 20
    assert routine.items == (
        model.RoutineItem("knee-to-chest"),
        model.RoutineItem("chin-tuck", model.DoseOverride(reps=5, sides=())))
    assert [(ident, node.start_mark.line + 1) for _, ident, node in out.refs] == [
        ("knee-to-chest", 6), ("chin-tuck", 7)]


def test_routine_entry_and_schedule_problems() -> None:
    text = ("id: r\nname: R\nschedule: {per_day: 9, weekly: 3}\nexercises:\n"
            "  - id: knee-to-chest\n    hodl: 20s\n  - Bad_Id\n  - {reps: 2}\n")
    _, ok, found = problems(text, schema.ROUTINE_FIELDS, "routine")
    assert not ok
    assert found == [
        "f.yaml:3:21: per_day must be from 1 to 6, got the number 9",
        "f.yaml:3:24: unknown key 'weekly' in schedule; known keys: per_day, days_per_week",
        "f.yaml:6:5: unknown key 'hodl' in exercise entry (did you mean 'hold'?); known keys: "
        "id, hold, tempo, reps, sides, rest, setup",
        "f.yaml:7:5: exercises item 2 must use only lowercase letters, digits and single "
        "hyphens, such as knee-to-chest, got 'Bad_Id'",
        "f.yaml:8:5: exercise entry is missing 'id': the exercise's id",
    ]


def test_a_file_that_is_not_a_mapping() -> None:
    out = schema.Collector("f.yaml")
    values, ok = schema.read_mapping(node_of("- a\n"), schema.EXERCISE_FIELDS, out, "exercise")
    assert (values, ok) == ({}, False)
    assert [str(p) for p in out.problems] == [
        "f.yaml:1:1: exercise must be a mapping of 'key: value' lines, got a list"]


# ---------------------------------------------------------------- defaults from the one table

def test_minimal_files_build_the_table_defaults() -> None:
    """What a file leaves out is what the table says: the README and the model agree."""
    values, ok, _ = problems(MINIMAL)
    assert ok
    exercise = schema.build_exercise(values, model.Origin("x.yaml", builtin=False))
    for spec in schema.EXERCISE_FIELDS:
        if not spec.required:
            holder = exercise.dose if hasattr(exercise.dose, spec.name) else exercise
            # No tempo written: the exercise holds, and the model's tempo is 0.
            default = 0 if spec.name == "tempo" else spec.default
            assert getattr(holder, spec.name) == default, spec.name
    values, ok, _ = problems("id: r\nname: R\nexercises: [x]\n", schema.ROUTINE_FIELDS,
                             "routine")
    assert ok
    routine = schema.build_routine(values, model.Origin("r.yaml", builtin=False))
    assert routine.schedule == model.Schedule(**schema.defaults(schema.SCHEDULE_FIELDS))
    for spec in schema.ROUTINE_FIELDS:
        if not spec.required and spec.name != "schedule":
            assert getattr(routine, spec.name) == spec.default, spec.name


ALL_FIELDS = {"exercise": schema.EXERCISE_FIELDS, "routine": schema.ROUTINE_FIELDS,
              "entry": schema.ITEM_FIELDS, "schedule": schema.SCHEDULE_FIELDS}


@pytest.mark.parametrize(("kind", "name"), [(kind, spec.name) for kind, fields in
                                            ALL_FIELDS.items() for spec in fields
                                            if not spec.required])
def test_each_default_as_written_reads_back(kind: str, name: str) -> None:
    """The README's `30s`, `none`, `[]`, `{per_day: 1, ...}` are YAML its check reads as the
    default itself; an empty text (`''`) is how 'no text' is shown, and is left out of files."""
    spec = next(f for f in ALL_FIELDS[kind] if f.name == name)
    if spec.default is None:
        assert spec.default_text == ""
    elif spec.default == "":
        assert spec.default_text == "''"
        assert refused(spec.check, "''") == "must not be empty"
    else:
        assert run(spec.check, spec.default_text) == spec.default


def test_defaults_are_shown_as_before() -> None:
    fields = schema.EXERCISE_FIELDS + schema.ROUTINE_FIELDS
    shown = {spec.name: spec.default_text for spec in fields}
    assert shown == {
        "id": "", "name": "", "summary": "''", "family": "other", "position": "",
        "equipment": "[]", "type": "stretch", "sides": "none", "hold": "30s", "tempo": "",
        "reps": "3", "rest": "10s",
        "setup": "10s", "switch": "5s", "steps": "", "key_step": "", "cues": "[]",
        "cautions": "[]",
        "stop_if": "[]", "contraindications": "[]", "regions": "[]", "aliases": "[]",
        "easier": "", "harder": "", "sources": "[]", "picture": "",
        "description": "''", "schedule": "{per_day: 1, days_per_week: 5}",
        "rest_between": "15s", "exercises": "", "prescribed_by": "''", "prescribed_for": "''",
        "notes": "[]"}


# ---------------------------------------------------------------- JSON Schema from the checks

@pytest.mark.parametrize("kind", ["exercise", "routine"])
def test_json_schema_lists_every_field(kind: str) -> None:
    document = schema.json_schema(kind)
    fields = schema.FIELDS[kind]
    Draft202012Validator.check_schema(document)
    assert document["type"] == "object"
    assert document["additionalProperties"] is False
    assert list(document["properties"]) == [f.name for f in fields]
    assert document["required"] == [f.name for f in fields if f.required]
    assert all(prop["description"] for prop in document["properties"].values())


def test_json_schema_has_the_limits_of_the_checks() -> None:
    """The limits the hand-written fragments had lost: text length and list size."""
    props = schema.json_schema("exercise")["properties"]
    assert props["summary"]["maxLength"] == 400
    assert props["name"]["maxLength"] == 80
    assert props["equipment"]["items"]["maxLength"] == 80
    for key in ("equipment", "steps", "cues", "cautions", "stop_if", "contraindications",
                "sources"):
        assert props[key]["maxItems"] == 100, key
    assert props["steps"]["minItems"] == 1
    assert props["contraindications"]["uniqueItems"] is True
    assert props["family"]["enum"] == list(model.FAMILIES)


def test_json_schema_duration_pattern_matches_the_parser() -> None:
    prop = schema.json_schema("exercise")["properties"]["hold"]
    pattern = re.compile(next(p["pattern"] for p in prop["anyOf"] if p["type"] == "string"))
    for text in ("30", "30s", "1m", "1m30s", "1 min 30 sec"):
        assert pattern.match(text), text
        model.parse_duration(text)
    for text in ("", "s", "1m30", "-5", "1.5"):
        assert not pattern.match(text), text
        with pytest.raises(ValueError):
            model.parse_duration(text)


def duration_texts() -> list[str]:
    texts = ["", " ", "s", "m", "h", "1m30", "30s1m", "-5", "1.5", "abc", "1 h", "1mins", "1ms",
             "0", "00", "0s", "0m", "0h", " 0 ", "5 m 0 s", "1m  30s", "\t30s\n", "1M30S",
             "1MIN", "1Min30Sec", "30 seconds", "²", "0" * 38 + "30s", "0" * 37 + "30s",
             "1m" + " " * 35 + "30s", "1m" + " " * 36 + "30s"]
    for number in range(0, 700):
        texts += [str(number), f"{number}s", f"{number:04d}", f"{number} sec", f"{number}S"]
    for minutes in range(0, 12):
        for seconds in (*range(0, 130, 7), 59, 60, 61, 240, 241, 540, 541):
            texts += [f"{minutes}m{seconds}s", f"{minutes} min {seconds} sec",
                      f"0{minutes}M 0{seconds}s", f"{minutes}m", f"0h{minutes}m{seconds}s"]
    return texts + [f"{hours}h{rest}" for hours in range(3) for rest in ("", " 0m", "30s")]


@pytest.mark.parametrize(("low", "high"), [(1, 300), (0, 600), (0, 300), (0, 120), (5, 7),
                                           (0, 0), (59, 61), (3599, 3601)])
def test_duration_pattern_accepts_exactly_what_the_check_accepts(low: int, high: int) -> None:
    pattern = re.compile(schema.Duration(low, high).json()["anyOf"][1]["pattern"])
    for text in duration_texts():
        try:
            wanted = low <= model.parse_duration(text) <= high
        except ValueError:
            wanted = False
        assert bool(pattern.search(text)) is wanted, repr(text)


def test_numbers_in_a_range_as_a_pattern() -> None:
    for low, high in [(0, 0), (0, 9), (3, 7), (0, 10), (7, 130), (1, 300), (99, 101),
                      (120, 999), (0, 1200), (45, 45)]:
        pattern = re.compile(f"^(?:{schema._numeral(low, high)})$")
        for number in range(0, 1300):
            assert bool(pattern.match(str(number))) is (low <= number <= high), (low, high, number)
            assert bool(pattern.match(f"00{number}")) is (low <= number <= high)


def test_every_unsafe_character_is_in_the_planes_read() -> None:
    """unsafe_characters() reads planes 0, 1 and 14 only; this reads all seventeen."""
    everywhere = [code for code in range(sys.maxunicode + 1)
                  if unicodedata.category(chr(code)) in {"Cc", "Cf", "Zl", "Zp"}
                  and chr(code) not in "\u200d\n\t"]
    assert everywhere == [code for first, last in schema.unsafe_characters()
                          for code in range(first, last + 1)]


@pytest.mark.parametrize(("text", "safe"), [
    ("Lie down.", True), ("family \U0001f468\u200d\U0001f469", True), ("a\tb\nc", True),
    ("", False), (" \n", False), ("\x1b[2J", False), ("evil \u202e", False),
    ("tag \U000e0041", False), ("soft\xadhyphen", False)])
def test_the_text_pattern_refuses_control_characters(text: str, safe: bool) -> None:
    assert bool(re.search(schema.safe_text_pattern(), text)) is safe


# ---------------------------------------------------------------- JSON Schema agrees with validate
#
# Every shipped file, every bad file in tests/data/bad, the cases of tests/robustness/
# test_bad_files.py and the odd files of tests/cli/test_validate.py: `validate`'s verdict (valid
# or not) must equal JSON Schema's on the data yaml.safe_load reads from the file. Where they
# cannot agree the case is listed below with the reason, and the test checks that they do
# differ there, so the list cannot keep a case that has come to agree.

ROOT = Path(__file__).resolve().parents[2]
BUILTIN = ROOT / "exercises"
BAD = ROOT / "tests" / "data" / "bad"
LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

NO_DATA = "no data for JSON Schema: "
REFERENCE = "a reference, checked against the whole library; JSON Schema sees one file"
REPEATED_KEY = ("a repeated key: yaml.safe_load keeps the last one, so the data JSON Schema sees "
                "has none")
BEYOND_JSON_SCHEMA = {
    # beyond the data of one file
    "bad/id-mismatch.yaml": "the id must match the file name, which is not in the data",
    "bad/dup-ids": "ids must be unique across files; JSON Schema sees one file at a time",
    "bad/routines/unknown-exercise.yaml": REFERENCE,
    "bad/unknown-variant.yaml": REFERENCE,
    "robust/routines/self.yaml": REFERENCE,
    "robust/routines/nested.yaml": REFERENCE,
    "robust/routines/missing.yaml": REFERENCE,
    "robust/easier-self.yaml": REFERENCE,
    "bad/key-step-past-steps.yaml": "key_step must name one of the steps: JSON Schema cannot "
                                    "compare one field with the length of another",
    # the YAML below the data
    "bad/duplicate-key.yaml": REPEATED_KEY,
    "robust/routines/dup-in-entry.yaml": REPEATED_KEY,
    "robust/routines/dup-in-schedule.yaml": REPEATED_KEY,
    "robust/dup-quoted.yaml": REPEATED_KEY,
    "robust/merge-key.yaml": "yaml.safe_load applies the merge key `<<`; validate refuses it as "
                             "an unknown key",
    "bad/syntax-error.yaml": NO_DATA + "a YAML syntax error",
    "bad/tab-indent.yaml": NO_DATA + "a YAML syntax error",
    "bad/two-documents.yaml": NO_DATA + "two YAML documents",
    "robust/tab-before-key.yaml": NO_DATA + "a YAML syntax error",
    "robust/nul-byte.yaml": NO_DATA + "YAML refuses a control character",
    "robust/deep-flow.yaml": NO_DATA + "nested deeper than YAML reads",
    "robust/deep-block.yaml": NO_DATA + "nested deeper than YAML reads",
    "robust/deep-map.yaml": NO_DATA + "nested deeper than YAML reads",
    "robust/many-steps.yaml": NO_DATA + "more YAML values than backcoach reads (a size limit)",
    "robust/key-list.yaml": NO_DATA + "a list as a key cannot be loaded",
    "robust/python-tag.yaml": NO_DATA + "yaml.safe_load refuses the python tag",
    "robust/utf16.yaml": NO_DATA + "not UTF-8",
    "odd/latin1.yaml": NO_DATA + "not UTF-8",
    "odd/raw-escape.yaml": NO_DATA + "YAML refuses a control character",
    # where JSON Schema cannot say what the check does (none of these is in a file above)
    "gap/reps-whole-float.yaml": "JSON Schema counts 3.0 as an integer; validate wants a "
                                 "whole number written as one",
    "gap/name-date.yaml": "yaml.safe_load reads 2024-01-01 as a date, which JSON has no type "
                          "for; validate takes the words written",
    "gap/123.yaml": "an id written as a number: JSON Schema sees the number 123, "
                          "validate the digits",
    "gap/summary-spaces.yaml": "maxLength counts the spaces around a text; validate does not",
    "gap/hold-arabic-digits.yaml": "the pattern reads the digits 0-9 only; Python's int() "
                                   "reads every script's",
}


def exercise_bytes(ident: str, extra: str = "") -> bytes:
    return f"id: {ident}\nname: Name\nposition: lying\n{extra}steps: [Do it.]\n".encode()


def lesson_bytes(ident: str, words: int) -> bytes:
    text = " ".join(["word"] * words)
    return (f"id: {ident}\ntitle: T\ntext: >-\n  {text}\nsources: [a leaflet]\n").encode()


# The files tests/cli/test_validate.py writes in its own tests, values at the edges of the
# limits, and the gaps listed above.
ODD: list[tuple[str, bytes]] = [
    ("odd/latin1.yaml", "id: latin1\nname: Étirement\nposition: lying\nsteps: [x]\n"
                        .encode("latin-1")),
    ("odd/raw-escape.yaml", b"id: raw-escape\nname: Raw\nposition: lying\nsteps:\n"
                            b"  - Now \x1b[2J clear\n"),
    ("odd/bidi.yaml", "id: bidi\nname: \"Bidi \u202e\"\nposition: lying\nsteps: [x]\n".encode()),
    ("odd/blank.yaml", b"\n\n"), ("odd/comment.yaml", b"# just a comment\n"),
    ("odd/dashes.yaml", b"---\n"), ("odd/bom.yaml", b"\xef\xbb\xbf"),
    ("odd/routines/blank.yaml", b""),
    ("odd/forms.yaml", b"id: forms\nname: Forms\nposition: lying\nhold: 1:30\nrest: 0x1e\n"
                       b"steps: [x]\n"),
    ("odd/blocks.yaml", b"id: blocks\nname: Blocks\nposition: lying\nsummary: |\n  Two\n"
                        b"  lines.\nsteps:\n  - >\n    A folded\n\n    step.\n"),
    ("odd/backtracking.yaml", exercise_bytes("backtracking", "hold: 1h" + " " * 50_000 + "1m"
                                             + " " * 50_000 + "x\n")),
    ("edge/sides-empty-text.yaml", exercise_bytes("sides-empty-text", "sides: ''\n")),
    ("edge/sides-both-ways.yaml", exercise_bytes("sides-both-ways", "sides: [right, left]\n")),
    ("edge/name-yes.yaml", exercise_bytes("name-yes").replace(b"Name", b"yes")),
    ("edge/summary-400.yaml", exercise_bytes("summary-400", f"summary: {'x' * 400}\n")),
    ("edge/summary-401.yaml", exercise_bytes("summary-401", f"summary: {'x' * 401}\n")),
    ("edge/cues-100.yaml", exercise_bytes("cues-100", "cues: [" + "a, " * 100 + "]\n")),
    ("edge/cues-101.yaml", exercise_bytes("cues-101", "cues: [" + "a, " * 101 + "]\n")),
    ("edge/hold-5m.yaml", exercise_bytes("hold-5m", "hold: 5m\n")),
    ("edge/hold-5m1s.yaml", exercise_bytes("hold-5m1s", "hold: 5m1s\n")),
    ("edge/rest-0.yaml", exercise_bytes("rest-0", "rest: 0\n")),
    ("edge/rest-blank.yaml", exercise_bytes("rest-blank", "rest: ' '\n")),
    ("edge/equipment-81.yaml", exercise_bytes("equipment-81", f"equipment: [{'x' * 81}]\n")),
    ("edge/schedule-7.yaml", b"id: schedule-7\nname: N\nschedule: {days_per_week: 7}\n"
                             b"exercises: [chin-tuck]\n"),
    ("edge/schedule-8.yaml", b"id: schedule-8\nname: N\nschedule: {days_per_week: 8}\n"
                             b"exercises: [chin-tuck]\n"),
    ("edge/entry-override.yaml", b"id: entry-override\nname: N\nexercises:\n"
                                 b"  - {id: chin-tuck, hold: 20s, sides: none}\n"),
    ("edge/entry-no-id.yaml", b"id: entry-no-id\nname: N\nexercises:\n  - {hold: 20s}\n"),
    ("edge/picture-12x36.yaml", exercise_bytes("picture-12x36", "picture: |2\n"
                                               + ("  " + "─" * 36 + "\n") * 12)),
    ("edge/picture-13-rows.yaml", exercise_bytes("picture-13-rows", "picture: |2\n"
                                                 + "  ●\n" * 13)),
    ("edge/picture-37-wide.yaml", exercise_bytes("picture-37-wide", "picture: |2\n"
                                                 + "  " + "─" * 37 + "\n")),
    ("edge/picture-wide-char.yaml", exercise_bytes("picture-wide-char", "picture: |2\n  人\n")),
    ("edge/picture-blank.yaml", exercise_bytes("picture-blank", "picture: '  '\n")),
    ("edge/picture-start-end.yaml", exercise_bytes(
        "picture-start-end", "picture:\n  start: |2\n     ●─\n  end: |2\n     ●╲\n")),
    ("edge/picture-start-only.yaml", exercise_bytes(
        "picture-start-only", "picture:\n  start: |2\n     ●─\n")),
    ("edge/lessons/words-59.yaml", lesson_bytes("words-59", 59)),
    ("edge/lessons/words-60.yaml", lesson_bytes("words-60", 60)),
    ("edge/lessons/words-120.yaml", lesson_bytes("words-120", 120)),
    ("edge/lessons/words-121.yaml", lesson_bytes("words-121", 121)),
    ("edge/lesson-by-content.yaml", lesson_bytes("lesson-by-content", 80)),
    ("edge/lesson-hold-and-tempo.yaml", exercise_bytes("lesson-hold-and-tempo",
                                                       "hold: 5s\ntempo: 4s\n")),
    ("edge/routines/entry-tempo.yaml", b"id: entry-tempo\nname: N\nexercises:\n"
                                       b"  - {id: dead-bug, tempo: 3s}\n"),
    ("gap/reps-whole-float.yaml", exercise_bytes("reps-whole-float", "reps: 3.0\n")),
    ("gap/name-date.yaml", exercise_bytes("name-date").replace(b"Name", b"2024-01-01")),
    ("gap/123.yaml", exercise_bytes("123")),
    ("gap/summary-spaces.yaml", exercise_bytes("summary-spaces",
                                               f"summary: \"{'x' * 400}  \"\n")),
    ("gap/hold-arabic-digits.yaml", exercise_bytes("hold-arabic-digits", "hold: ٣٠s\n")),
]


def all_cases() -> list[tuple[str, dict[str, bytes]]]:
    """(case id, the files of the case by path) for every file validate is tested with."""
    from tests.robustness import test_bad_files

    cases = [(f"builtin/{path.relative_to(BUILTIN).as_posix()}",
              {path.relative_to(BUILTIN).as_posix(): path.read_bytes()})
             for path in sorted(BUILTIN.rglob("*.yaml"))]
    for path in sorted(BAD.rglob("*.yaml")):
        name = path.relative_to(BAD).as_posix()
        if not name.startswith("dup-ids/"):
            cases.append((f"bad/{name}", {name: path.read_bytes()}))
    cases.append(("bad/dup-ids", {path.relative_to(BAD).as_posix(): path.read_bytes()
                                  for path in sorted((BAD / "dup-ids").rglob("*.yaml"))}))
    cases += [(f"robust/{name}", {name: data}) for name, data, _ in test_bad_files.CASES]
    cases += [(name, {name.split("/", 1)[1]: data}) for name, data in ODD]
    return cases


CASES = all_cases()


def json_verdict(path: Path) -> bool | None:
    """Whether JSON Schema accepts the file's data, or None when there is no data to check."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
        node = compose(text, path.name)
        data = yaml.load(text, Loader=LOADER)
    except (UnicodeDecodeError, YamlFailure, yaml.YAMLError, RecursionError):
        return None
    document = schema.json_schema(kind_of(path, node))
    return bool(Draft202012Validator(document).is_valid(data))


@pytest.mark.parametrize("files", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_json_schema_and_validate_agree(files: dict[str, bytes], tmp_path: Path,
                                        request: pytest.FixtureRequest) -> None:
    case = request.node.callspec.id
    paths = []
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    valid = not validate_files(paths).problems
    verdicts = [json_verdict(path) for path in paths]
    json_valid = None if None in verdicts else all(verdicts)
    if case.startswith("builtin/"):
        assert valid and json_valid, "every shipped file is valid to both"
    reason = BEYOND_JSON_SCHEMA.get(case)
    if reason is None:
        assert json_valid is valid, f"validate says {valid}, JSON Schema {json_valid}"
    else:
        assert json_valid is not valid, f"listed ({reason}), but both say {valid}: unlist it"


def test_every_listed_case_exists() -> None:
    assert set(BEYOND_JSON_SCHEMA) <= {case for case, _ in CASES}
