"""The file formats as data: a table of fields per object, each with a check, a default and docs.

Checks run on YAML nodes, so every problem keeps its line and column. One pass collects every
problem in a file; the model objects are built only from a file without problems.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from backcoach.errors import Problem
from backcoach.library import model
from backcoach.library.yamlsrc import position

STR, INT, FLOAT, BOOL, NULL = (f"tag:yaml.org,2002:{name}" for name in
                               ("str", "int", "float", "bool", "null"))
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID = 60


class Invalid(Exception):
    """A value that fails its check; `node` says where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


@dataclass
class Collector:
    """Gathers the problems of one file, and where cross-file references were made."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    refs: list[tuple[str, str, yaml.Node]] = field(default_factory=list)

    def add(self, message: str, node: yaml.Node) -> None:
        """Record a problem at a node's position."""
        line, col = position(node)
        self.problems.append(Problem(self.path, line, col, message))

    def ref(self, what: str, exercise_id: str, node: yaml.Node) -> None:
        """Remember that this file names an exercise, to check once every file is loaded."""
        self.refs.append((what, exercise_id, node))


Check = Callable[[yaml.Node, Collector], Any]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its check, whether it is required, its default and its docs."""

    name: str
    check: Check
    doc: str
    json: dict[str, Any]
    required: bool = False
    default: str = ""


# ---------------------------------------------------------------- describing values in messages

def clip(text: str, limit: int = 40) -> str:
    """Shorten text for a message and make control characters visible instead of active."""
    shown = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."


def describe(node: yaml.Node) -> str:
    """How a node reads to a person, for 'got ...' in a message."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping (key: value pairs)"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    value = str(node.value)
    if node.tag == NULL:
        return "nothing"
    if node.tag == BOOL:
        return f"'{clip(value)}' (YAML reads that as yes/no; put it in quotes to mean the word)"
    if node.tag in (INT, FLOAT):
        return f"the number {clip(value)}"
    return f"'{clip(value)}'"


def did_you_mean(word: str, options: Sequence[str]) -> str:
    """A ` (did you mean 'x'?)` suffix when a close option exists, else ''."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


# ---------------------------------------------------------------- checks

_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


# Reads an int scalar the way yaml.safe_load would: 0x1e, 1_000 and 1:30 (= 90) included.
_INTS = yaml.constructor.SafeConstructor()


def _whole(node: yaml.ScalarNode) -> int | None:
    """The value of an int-tagged scalar, or None when it is malformed (`!!int abc`) or too
    long to be meant (base 60 `1:59:59:...` of 300 000 parts took 20 s to compute)."""
    if len(str(node.value)) > 40:
        return None
    try:
        return int(_INTS.construct_yaml_int(node))
    except (ValueError, IndexError):
        return None


def _scalar(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
        raise Invalid(f"{what}, got {describe(node)}", node)
    return str(node.value)


def text(max_len: int = 400) -> Check:
    """Any plain text. Numbers and yes/no are taken as the words written."""

    def check(node: yaml.Node, _: Collector) -> str:
        value = _scalar(node, "must be text").strip()
        if not value:
            raise Invalid("must not be empty", node)
        # Escape sequences and bidi overrides could make a shared file control the terminal.
        # isprintable() is False for every unsafe category, so printable text (nearly all of
        # it) skips the per-character look-up: a third of `validate`'s time on a big library.
        if not value.isprintable():
            for ch in value:
                if unicodedata.category(ch) in _UNSAFE_CATEGORIES and ch not in "\u200d\n\t":
                    raise Invalid(f"contains the control character U+{ord(ch):04X}; remove it",
                                  node)
        if len(value) > max_len:
            raise Invalid(f"is {len(value)} characters long; keep it under {max_len}", node)
        return " ".join(value.split()) if "\n" in value or "\t" in value else value

    return check


def identifier(node: yaml.Node, _: Collector) -> str:
    """An id: lowercase letters, digits and single hyphens."""
    value = _scalar(node, "must be an id such as knee-to-chest")
    if node.tag != STR:
        value = str(value)
    if len(value) > MAX_ID or not _ID.fullmatch(value):  # `$` alone lets "id\n" through
        raise Invalid("must use only lowercase letters, digits and single hyphens, such as "
                      f"knee-to-chest, got {describe(node)}", node)
    return value


def duration(low: int, high: int) -> Check:
    """Whole seconds written as 30, 30s, 1m or 1m30s, between low and high."""
    example = "a duration such as 30s or 1m" if low > 0 else "a duration such as 10s or 0"

    def check(node: yaml.Node, _: Collector) -> int:
        whole = _whole(node) if isinstance(node, yaml.ScalarNode) and node.tag == INT else None
        if whole is not None:
            seconds = whole
        elif isinstance(node, yaml.ScalarNode) and node.tag == STR:
            try:
                seconds = model.parse_duration(node.value)
            except ValueError:
                raise Invalid(f"must be {example}, got {describe(node)}", node) from None
        else:
            raise Invalid(f"must be {example}, got {describe(node)}", node)
        if not low <= seconds <= high:
            raise Invalid(f"must be from {model.format_duration(low)} to "
                          f"{model.format_duration(high)}, got {describe(node)}", node)
        return seconds

    return check


def integer(low: int, high: int) -> Check:
    """A whole number from low to high."""

    def check(node: yaml.Node, _: Collector) -> int:
        value = _whole(node) if isinstance(node, yaml.ScalarNode) and node.tag == INT else None
        if value is None:
            raise Invalid(f"must be a whole number from {low} to {high}, got {describe(node)}",
                          node)
        if not low <= value <= high:
            raise Invalid(f"must be from {low} to {high}, got {describe(node)}", node)
        return value

    return check


def choice(options: Sequence[str]) -> Check:
    """One word of a fixed list."""

    def check(node: yaml.Node, _: Collector) -> str:
        listed = ", ".join(options)
        value = _scalar(node, f"must be one of {listed}")
        if node.tag != STR or value not in options:
            raise Invalid(f"must be one of {listed}, got {describe(node)}"
                          f"{did_you_mean(value, options)}", node)
        return value

    return check


def sequence(item: Check, non_empty: bool = False, unique: bool = False,
             max_items: int = 100) -> Check:
    """A list whose every item passes `item`; every failing item is reported."""

    def check(node: yaml.Node, out: Collector) -> tuple[Any, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise Invalid(f"must be a list (lines starting with '- '), got {describe(node)}", node)
        if non_empty and not node.value:
            raise Invalid("must list at least one item", node)
        if len(node.value) > max_items:
            raise Invalid(f"has {len(node.value)} items; at most {max_items} are allowed", node)
        values: list[Any] = []
        failures: list[Invalid] = []
        incomplete = False  # an item whose own problems were recorded where they are
        for index, child in enumerate(node.value, start=1):
            try:
                value = item(child, out)
            except Invalid as exc:
                failures.append(Invalid(f"item {index} {exc.message}", exc.node))
                continue
            except Many as exc:
                failures.extend(Invalid(f"item {index} {sub.message}", sub.node)
                                for sub in exc.failures)
                incomplete = True
                continue
            if unique and value in values:
                failures.append(Invalid(f"item {index} repeats '{clip(str(value))}'; keep one",
                                        child))
            values.append(value)
        if failures or incomplete:
            raise Many(failures)
        return tuple(values)

    return check


class Many(Exception):
    """Several failures inside one value (a list's items); problems already recorded elsewhere
    leave `failures` empty."""

    def __init__(self, failures: list[Invalid]) -> None:
        super().__init__(f"{len(failures)} problems")
        self.failures = failures


def sides(node: yaml.Node, out: Collector) -> tuple[str, ...]:
    """`none`, or a list of left and/or right."""
    expected = "must be [left, right], [left], [right] or none"
    if isinstance(node, yaml.ScalarNode):
        if node.tag == STR and node.value in ("none", ""):
            return ()
        if node.tag == STR and node.value in model.SIDES:
            return (node.value,)
        raise Invalid(f"{expected}, got {describe(node)}", node)
    if not isinstance(node, yaml.SequenceNode) or not node.value:
        raise Invalid(f"{expected}, got {describe(node)}", node)
    values = sequence(choice(model.SIDES), unique=True)(node, out)
    return tuple(side for side in model.SIDES if side in values)


def mapping_of(fields: Sequence[Field], what: str) -> Check:
    """A nested mapping with its own fields; returns a dict of the values that passed."""

    def check(node: yaml.Node, out: Collector) -> dict[str, Any]:
        values, ok = read_mapping(node, fields, out, what)
        if not ok:
            raise Many([])
        return values

    return check


def read_mapping(node: yaml.Node, fields: Sequence[Field], out: Collector,
                 what: str) -> tuple[dict[str, Any], bool]:
    """Check a mapping against its fields; record every problem; return values and success."""
    if not isinstance(node, yaml.MappingNode):
        out.add(f"{what} must be a mapping of 'key: value' lines, got {describe(node)}", node)
        return {}, False
    by_name = {spec.name: spec for spec in fields}
    values: dict[str, Any] = {}
    seen: dict[str, yaml.Node] = {}
    ok = True
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            first, second = list(by_name)[:2]
            out.add(f"keys must be plain words such as {first} or {second}, got "
                    f"{describe(key_node)}", key_node)
            ok = False
            continue
        key = str(key_node.value)
        if key in seen:
            first_line, _ = position(seen[key])
            out.add(f"duplicate key '{clip(key)}' (first at line {first_line}); keep one",
                    key_node)
            ok = False
            continue
        seen[key] = key_node
        spec = by_name.get(key)
        if spec is None:
            out.add(f"unknown key '{clip(key)}' in {what}{did_you_mean(key, list(by_name))}; "
                    f"known keys: {', '.join(by_name)}", key_node)
            ok = False
            continue
        try:
            values[key] = spec.check(value_node, out)
        except Invalid as exc:
            out.add(f"{key} {exc.message}", exc.node)
            ok = False
        except Many as exc:
            for failure in exc.failures:
                out.add(f"{key} {failure.message}", failure.node)
            ok = False
    for spec in fields:
        if spec.required and spec.name not in seen:
            out.add(f"{what} is missing '{spec.name}': {spec.doc}", node)
            ok = False
    return values, ok


# ---------------------------------------------------------------- JSON Schema fragments

# The same forms as model.parse_duration: 30, 30s, 1m, 1m30s, 1 min 30 sec.
_DURATION_PATTERN = (r"^\s*\d+\s*$|"
                     r"^(?=.*\d)\s*(\d+\s*h)?\s*(\d+\s*m(in)?)?\s*(\d+\s*s(ec)?)?\s*$")


def _duration_json(low: int, high: int) -> dict[str, Any]:
    return {"anyOf": [{"type": "integer", "minimum": low, "maximum": high},
                      {"type": "string", "pattern": _DURATION_PATTERN}]}


_TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
_TEXTS: dict[str, Any] = {"type": "array", "items": _TEXT}
_ID_JSON: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN, "maxLength": MAX_ID}
_SIDES_JSON: dict[str, Any] = {"anyOf": [
    {"const": "none"}, {"enum": list(model.SIDES)},
    {"type": "array", "items": {"enum": list(model.SIDES)}, "minItems": 1, "uniqueItems": True}]}

# ---------------------------------------------------------------- the two file kinds

_d = model.Dose()
HOLD = Field("hold", duration(1, 300), "how long each hold lasts, 1 s to 5 min",
             _duration_json(1, 300), default=f"{_d.hold}s")
REPS = Field("reps", integer(1, 50), "holds on each side, 1 to 50",
             {"type": "integer", "minimum": 1, "maximum": 50}, default=str(_d.reps))
SIDES = Field("sides", sides, "[left, right] to do each side in turn, [left] or [right] for "
              "one side, none when there is no side", _SIDES_JSON, default="none")
REST = Field("rest", duration(0, 600), "rest between reps, 0 to 10 min",
             _duration_json(0, 600), default=f"{_d.rest}s")
SETUP = Field("setup", duration(0, 300), "time to get into position before the first hold",
              _duration_json(0, 300), default=f"{_d.setup}s")

EXERCISE_FIELDS: tuple[Field, ...] = (
    Field("id", identifier, "a unique id such as knee-to-chest (lowercase, digits, hyphens); "
          "the file name without .yaml", _ID_JSON, required=True),
    Field("name", text(80), "the name shown on screen", {**_TEXT, "maxLength": 80},
          required=True),
    Field("summary", text(), "one line on what it stretches and why", _TEXT, default="''"),
    Field("family", choice(model.FAMILIES), "the stretch family: " + ", ".join(model.FAMILIES),
          {"enum": list(model.FAMILIES)}, default="other"),
    Field("position", choice(model.POSITIONS), "where the body is: "
          + ", ".join(model.POSITIONS) + " (routines are ordered by it)",
          {"enum": list(model.POSITIONS)}, required=True),
    Field("equipment", sequence(text(80)), "things to have at hand", _TEXTS, default="[]"),
    SIDES, HOLD, REPS, REST, SETUP,
    Field("switch", duration(0, 120), "time to change sides between holds",
          _duration_json(0, 120), default=f"{_d.switch}s"),
    Field("steps", sequence(text(), non_empty=True), "numbered instructions, in order",
          {**_TEXTS, "minItems": 1}, required=True),
    Field("cues", sequence(text()), "short lines shown and spoken during the hold", _TEXTS,
          default="[]"),
    Field("cautions", sequence(text()), "how to do it safely, shown before it starts", _TEXTS,
          default="[]"),
    Field("stop_if", sequence(text()), "stop signs, each completing 'Stop if ...'", _TEXTS,
          default="[]"),
    Field("contraindications", sequence(choice(model.CONTRAINDICATIONS), unique=True),
          "conditions that make it unsuitable without a clinician's advice: "
          + ", ".join(model.CONTRAINDICATIONS),
          {"type": "array", "items": {"enum": list(model.CONTRAINDICATIONS)}}, default="[]"),
    Field("easier", identifier, "id of an easier variant (key e during a session)", _ID_JSON),
    Field("harder", identifier, "id of a harder variant", _ID_JSON),
    Field("sources", sequence(text()), "where the advice comes from", _TEXTS, default="[]"),
)

SCHEDULE_FIELDS: tuple[Field, ...] = (
    Field("per_day", integer(1, 6), "sessions a day", {"type": "integer", "minimum": 1,
                                                        "maximum": 6}, default="1"),
    Field("days_per_week", integer(1, 7), "days a week",
          {"type": "integer", "minimum": 1, "maximum": 7}, default="5"),
)

ITEM_FIELDS: tuple[Field, ...] = (
    Field("id", identifier, "the exercise's id", _ID_JSON, required=True),
    HOLD, REPS, SIDES, REST, SETUP,
)


def routine_item(node: yaml.Node, out: Collector) -> model.RoutineItem:
    """An exercise id, or a mapping with an id and dose overrides."""
    if isinstance(node, yaml.ScalarNode):
        exercise_id = identifier(node, out)
        out.ref("", exercise_id, node)
        return model.RoutineItem(exercise_id)
    values, ok = read_mapping(node, ITEM_FIELDS, out, "exercise entry")
    if not ok:
        raise Many([])
    id_node = next(v for k, v in node.value if k.value == "id")
    out.ref("", values["id"], id_node)
    overrides = {k: v for k, v in values.items() if k != "id"}
    return model.RoutineItem(values["id"], model.DoseOverride(**overrides))


_ITEM_JSON: dict[str, Any] = {"anyOf": [_ID_JSON, {
    "type": "object", "additionalProperties": False, "required": ["id"],
    "properties": {spec.name: {**spec.json, "description": spec.doc} for spec in ITEM_FIELDS}}]}

ROUTINE_FIELDS: tuple[Field, ...] = (
    EXERCISE_FIELDS[0],
    Field("name", text(80), "the name shown on screen", {**_TEXT, "maxLength": 80},
          required=True),
    Field("description", text(), "who it is for and when", _TEXT, default="''"),
    Field("schedule", mapping_of(SCHEDULE_FIELDS, "schedule"),
          "how often: per_day (1-6) and days_per_week (1-7)",
          {"type": "object", "additionalProperties": False,
           "properties": {s.name: {**s.json, "description": s.doc} for s in SCHEDULE_FIELDS}},
          default="{per_day: 1, days_per_week: 5}"),
    Field("rest_between", duration(0, 600), "rest between exercises", _duration_json(0, 600),
          default="15s"),
    Field("exercises", sequence(routine_item, non_empty=True),
          "the exercises in order: an id, or a mapping of id plus hold, reps, sides, rest, setup",
          {"type": "array", "minItems": 1, "items": _ITEM_JSON}, required=True),
)

FIELDS = {"exercise": EXERCISE_FIELDS, "routine": ROUTINE_FIELDS}


def json_schema(kind: str) -> dict[str, Any]:
    """A JSON Schema for one file kind, for editors that check YAML (yaml-language-server)."""
    fields = FIELDS[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"backcoach {kind}",
        "type": "object",
        "additionalProperties": False,
        "required": [spec.name for spec in fields if spec.required],
        "properties": {spec.name: {**spec.json, "description": spec.doc} for spec in fields},
    }


# ---------------------------------------------------------------- building model objects

def build_exercise(values: dict[str, Any], origin: model.Origin) -> model.Exercise:
    """An Exercise from checked values; unset fields take their documented defaults."""
    dose_keys = ("hold", "reps", "sides", "rest", "setup", "switch")
    dose = model.Dose(**{k: values[k] for k in dose_keys if k in values})
    rest = {k: v for k, v in values.items() if k not in dose_keys}
    rest.setdefault("family", "other")
    return model.Exercise(dose=dose, origin=origin, **rest)


def build_routine(values: dict[str, Any], origin: model.Origin) -> model.Routine:
    """A Routine from checked values; unset fields take their documented defaults."""
    rest = dict(values)
    items = rest.pop("exercises")
    schedule = model.Schedule(**rest.pop("schedule", {}))
    return model.Routine(items=items, schedule=schedule, origin=origin, **rest)


def reference_markdown() -> str:
    """The field reference for both file kinds as Markdown tables (README embeds it verbatim)."""
    sections = []
    for kind, fields, own in (("Exercise", EXERCISE_FIELDS, False),
                              ("Routine", ROUTINE_FIELDS, False),
                              ("Routine entry (an item of `exercises:`)", ITEM_FIELDS, True),
                              ("Routine `schedule:`", SCHEDULE_FIELDS, False)):
        rows = ["| field | required | default | meaning |", "|---|---|---|---|"]
        for spec in fields:
            default = f"`{spec.default}`" if spec.default and not spec.required else ""
            if own and not spec.required:
                default = "the exercise's own"
            rows.append(f"| `{spec.name}` | {'yes' if spec.required else ''} | {default} | "
                        f"{spec.doc} |")
        sections.append(f"#### {kind}\n\n" + "\n".join(rows))
    return "\n\n".join(sections) + "\n"
