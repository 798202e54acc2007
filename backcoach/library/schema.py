"""The file formats as data: a table of fields per object, each with a check, a default and docs.

Checks run on YAML nodes, so every problem keeps its line and column. One pass collects every
problem in a file; the model objects are built only from a file without problems.

Each check is an object that also knows its JSON Schema and how to write a value, so the JSON
Schema for editors, the README's field reference and the templates are all derived from the one
table and cannot drift from what `validate` accepts (tests/library/test_schema.py compares the
two verdicts on every shipped and every bad file).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from backcoach.errors import Problem
from backcoach.library import model, pictures
from backcoach.library.yamlsrc import position

STR, INT, FLOAT, BOOL, NULL = (f"tag:yaml.org,2002:{name}" for name in
                               ("str", "int", "float", "bool", "null"))
ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ID = re.compile(ID_PATTERN)
MAX_ID = 60
# The end of the text in both regex dialects: JSON Schema's (ECMA-262) `$`, and not Python's,
# which also matches before a final line break (jsonschema and check-jsonschema use Python's).
_END = r"(?![\s\S])"


class Invalid(Exception):
    """A value that fails its check; `node` says where."""

    def __init__(self, message: str, node: yaml.Node) -> None:
        super().__init__(message)
        self.message = message
        self.node = node


# A file with more problems than this is not a draft with typos; the rest are counted, not
# listed (a 1 MiB file of unknown keys gave 100,000 lines and took 7 s).
MAX_PROBLEMS = 50


@dataclass
class Collector:
    """Gathers the problems of one file (at most MAX_PROBLEMS; the rest are counted), its
    warnings, and where cross-file references were made."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    refs: list[tuple[str, str, yaml.Node]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    more: int = 0  # problems found past MAX_PROBLEMS
    _first_more: tuple[int, int] = (1, 1)

    @property
    def full(self) -> bool:
        """Whether further problems are only counted (check before building a costly message)."""
        return len(self.problems) >= MAX_PROBLEMS

    def add(self, message: str, node: yaml.Node) -> None:
        """Record a problem at a node's position (or count it, past MAX_PROBLEMS)."""
        if self.full:
            self.count(node)
            return
        line, col = position(node)
        self.problems.append(Problem(self.path, line, col, message))

    def count(self, node: yaml.Node) -> None:
        """Count a problem past MAX_PROBLEMS without describing it."""
        if not self.more:
            self._first_more = position(node)
        self.more += 1

    def close(self) -> None:
        """Add the line that says how many problems were not listed, if any."""
        if self.more:
            line, col = self._first_more
            self.problems.append(Problem(
                self.path, line, col, f"and {self.more:,} more problem"
                f"{'s' if self.more != 1 else ''} from here on, not listed; fix the ones above "
                "first (is this an exercise or routine file?)", hidden=self.more))
            self.more = 0

    def warn(self, message: str, node: yaml.Node) -> None:
        """Record a warning: the file is used as it is, but something may not be meant."""
        line, col = position(node)
        self.warnings.append(Problem(self.path, line, col, f"warning: {message}"))

    def ref(self, what: str, exercise_id: str, node: yaml.Node) -> None:
        """Remember that this file names an exercise, to check once every file is loaded."""
        self.refs.append((what, exercise_id, node))


class Check(ABC):
    """A check of one YAML value: called on its node, it returns the value or raises Invalid
    (or Many). It also gives its JSON Schema and writes a value the way a file would."""

    @abstractmethod
    def __call__(self, node: yaml.Node, out: Collector) -> Any:
        """The checked value of a node; Invalid (or Many) when it fails."""

    @abstractmethod
    def json(self) -> dict[str, Any]:
        """The JSON Schema of the values this check accepts."""

    def show(self, value: Any) -> str:
        """A value as it is written in a file, for the README and templates."""
        return str(value)


# A rule over a whole mapping once each of its fields passed (a question's tier needs a label):
# it yields a failure for each problem, at the node it is about.
Rule = Callable[[yaml.MappingNode, dict[str, Any]], Iterator[Invalid]]


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its check, whether it is required, its default and its docs.

    `default` is the value a missing key takes (None: no value, the key stays unset); where a
    model class holds the value, the table takes the default from it, so there is one copy.
    """

    name: str
    check: Check
    doc: str
    required: bool = False
    default: Any = None

    @property
    def default_text(self) -> str:
        """The default as written in a file (`30s`, `none`, `[]`, `''`), or '' for none."""
        if self.required or self.default is None:
            return ""
        return self.check.show(self.default)

    def json(self) -> dict[str, Any]:
        """This field's JSON Schema, described by its docs."""
        return {**self.check.json(), "description": self.doc}


def field_default(record: Any, name: str) -> Any:
    """The default of a field of a model record (a named tuple): what a file that leaves the
    field out gets, so the table and the model cannot disagree."""
    return record._field_defaults[name]


def defaults(fields: Sequence[Field]) -> dict[str, Any]:
    """The value each optional field takes when its key is missing."""
    return {spec.name: spec.default for spec in fields if not spec.required}


def object_json(fields: Sequence[Field], rules: Sequence[Rule] = ()) -> dict[str, Any]:
    """The JSON Schema of a mapping with these fields and no others (and the rules over them
    that JSON Schema can say, such as two keys that exclude each other)."""
    document: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [spec.name for spec in fields if spec.required]
    if required:
        document["required"] = required
    document["properties"] = {spec.name: spec.json() for spec in fields}
    said = [rule.json() for rule in rules if isinstance(rule, Exclusive)]
    if said:
        document["allOf"] = said
    return document


@dataclass(frozen=True)
class Exclusive:
    """A rule over a mapping: at most one of these keys may be given (`why` says what each
    means), checked by `validate` and said in JSON Schema alike."""

    names: tuple[str, ...]
    why: str

    def __call__(self, node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[Invalid]:
        given = [name for name in self.names if name in values]
        if len(given) > 1:
            where = value_node(node, given[-1]) or node
            yield Invalid(f"give {' or '.join(given)}, not both: {self.why}", where)

    def json(self) -> dict[str, Any]:
        """`not: {required: [...]}`: the keys may not all be there."""
        return {"not": {"required": list(self.names)}}


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
# A joiner inside emoji, and the line breaks and tabs that text folds into spaces.
_SAFE_CONTROLS = "\u200d\n\t"


# Reads an int scalar the way yaml.safe_load would: 0x1e, 1_000 and 1:30 (= 90) included.
_INTS = yaml.constructor.SafeConstructor()


# YAML 1.1 (PyYAML) reads a leading 0 as octal: `hold: 017` is 15 s. YAML 1.2, which editors
# with yaml-language-server use, reads 17, and so does a person; backcoach reads 17 and warns.
_OCTAL_LOOKING = re.compile(r"[-+]?0[0-7_]+")


def _whole(node: yaml.ScalarNode, out: Collector | None = None) -> int | None:
    """The value of an int-tagged scalar, or None when it is malformed (`!!int abc`) or too
    long to be meant (base 60 `1:59:59:...` of 300 000 parts took 20 s to compute).

    A number with a leading zero is read in decimal (017 is 17), with a warning in `out`
    when YAML 1.1 would read it otherwise.
    """
    text = str(node.value)
    if len(text) > 40:
        return None
    if _OCTAL_LOOKING.fullmatch(text):
        digits = text.replace("_", "")
        value = int(digits, 10)
        if out is not None and int(digits, 8) != value:
            out.warn(f"{text} is read as {value}, as YAML 1.2 and editors read it; older YAML "
                     f"tools read a leading 0 as octal ({int(digits, 8)}). Write {value} to "
                     "be clear", node)
        return value
    try:
        return int(_INTS.construct_yaml_int(node))
    except (ValueError, IndexError):
        return None


def _scalar(node: yaml.Node, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
        raise Invalid(f"{what}, got {describe(node)}", node)
    return str(node.value)


class Text(Check):
    """Any plain text up to `max_len` characters. Numbers and yes/no are taken as the words
    written."""

    def __init__(self, max_len: int = 400) -> None:
        self.max_len = max_len

    def __call__(self, node: yaml.Node, _: Collector) -> str:
        value = _scalar(node, "must be text").strip()
        if not value:
            raise Invalid("must not be empty", node)
        # Escape sequences and bidi overrides could make a shared file control the terminal.
        # isprintable() is False for every unsafe category, so printable text (nearly all of
        # it) skips the per-character look-up: a third of `validate`'s time on a big library.
        if not value.isprintable():
            for ch in value:
                if unicodedata.category(ch) in _UNSAFE_CATEGORIES and ch not in _SAFE_CONTROLS:
                    raise Invalid(f"contains the control character U+{ord(ch):04X}; remove it",
                                  node)
        if len(value) > self.max_len:
            raise Invalid(f"is {len(value)} characters long; keep it under {self.max_len}",
                          node)
        return " ".join(value.split()) if "\n" in value or "\t" in value else value

    def json(self) -> dict[str, Any]:
        # A number or yes/no is read as the words written, so JSON Schema lets them through
        # too (without counting their digits). The check measures text without the spaces
        # around it; maxLength counts them, so an editor can be stricter by those spaces.
        return {"type": ["string", "number", "boolean"], "minLength": 1,
                "maxLength": self.max_len, "pattern": safe_text_pattern()}

    def show(self, value: Any) -> str:
        return str(value) if value != "" else "''"


class Words(Check):
    """Plain text of `low` to `high` words (a word is anything between spaces)."""

    def __init__(self, low: int, high: int, max_len: int = 1500) -> None:
        self.low, self.high = low, high
        self.text = Text(max_len)

    def __call__(self, node: yaml.Node, out: Collector) -> str:
        value = self.text(node, out)
        count = len(value.split())
        if not self.low <= count <= self.high:
            raise Invalid(f"must be {self.low} to {self.high} words, got {count}", node)
        return value

    def json(self) -> dict[str, Any]:
        # A number or yes/no is one word: never enough, so only text is allowed.
        words = rf"^\s*(?:\S+\s+){{{self.low - 1},{self.high - 1}}}\S+\s*$"
        return {"type": "string", "minLength": 1, "maxLength": self.text.max_len,
                "allOf": [{"pattern": safe_text_pattern()}, {"pattern": words}]}


@functools.cache
def unsafe_characters() -> tuple[tuple[int, int], ...]:
    """The ranges of code points text may not hold (the unsafe categories but for
    `_SAFE_CONTROLS`), first and last included.

    Unicode has put control and format characters only in planes 0, 1 and 14 so far (a test
    reads all seventeen): reading those three takes 0.05 s, all of them half a second.
    """
    ranges: list[tuple[int, int]] = []
    for plane in (0, 1, 14):
        for code in range(plane << 16, (plane + 1) << 16):
            ch = chr(code)
            if unicodedata.category(ch) not in _UNSAFE_CATEGORIES or ch in _SAFE_CONTROLS:
                continue
            if ranges and ranges[-1][1] == code - 1:
                ranges[-1] = (ranges[-1][0], code)
            else:
                ranges.append((code, code))
    return tuple(ranges)


def _pattern_char(code: int) -> str:
    # \uXXXX reads the same in Python and ECMA-262; a character outside the BMP is written as
    # itself (ECMA-262 reads it as one character with the 'u' flag editors use).
    return f"\\u{code:04x}" if code <= 0xFFFF else chr(code)


@functools.cache
def safe_text_pattern() -> str:
    """A JSON Schema pattern for text `Text` accepts: something besides spaces, and no control
    character (the check looks only inside the surrounding spaces; the pattern looks at all)."""
    unsafe = "".join(_pattern_char(first) if first == last
                     else f"{_pattern_char(first)}-{_pattern_char(last)}"
                     for first, last in unsafe_characters())
    return rf"^(?=[\s\S]*\S)[^{unsafe}]*$"


class Identifier(Check):
    """An id: lowercase letters, digits and single hyphens."""

    def __call__(self, node: yaml.Node, _: Collector) -> str:
        value = _scalar(node, "must be an id such as knee-to-chest")
        if len(value) > MAX_ID or not _ID.fullmatch(value):  # `$` alone lets "id\n" through
            raise Invalid("must use only lowercase letters, digits and single hyphens, such as "
                          f"knee-to-chest, got {describe(node)}", node)
        return value

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": ID_PATTERN.removesuffix("$") + _END,
                "maxLength": MAX_ID}


identifier = Identifier()


class Duration(Check):
    """Whole seconds written as 30, 30s, 1m or 1m30s, between low and high."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, node: yaml.Node, out: Collector) -> int:
        whole = (_whole(node, out) if isinstance(node, yaml.ScalarNode) and node.tag == INT
                 else None)
        if whole is not None:
            seconds = whole
        elif isinstance(node, yaml.ScalarNode) and node.tag == STR:
            try:
                seconds = model.parse_duration(node.value)
            except ValueError:
                raise self._malformed(node) from None
        else:
            raise self._malformed(node)
        if not self.low <= seconds <= self.high:
            raise Invalid(f"must be from {model.format_duration(self.low)} to "
                          f"{model.format_duration(self.high)}, got {describe(node)}", node)
        return seconds

    def _malformed(self, node: yaml.Node) -> Invalid:
        example = "30s or 1m" if self.low > 0 else "10s or 0"
        return Invalid(f"must be a duration such as {example}, got {describe(node)}", node)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"type": "integer", "minimum": self.low, "maximum": self.high},
                          {"type": "string", "pattern": duration_pattern(self.low, self.high)}]}

    def show(self, value: Any) -> str:
        return f"{value}s"


# ---------------------------------------------------------------- durations as a pattern

def _any_of(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _same_width(low: str, high: str) -> list[str]:
    """Alternatives matching the numerals from low to high, written with as many digits."""
    if low == high:
        return [low]
    rest = len(low) - 1
    if low[0] == high[0]:
        return [low[0] + _any_of(_same_width(low[1:], high[1:]))]
    from_zero, to_nine = low[1:] == "0" * rest, high[1:] == "9" * rest
    first = int(low[0]) if from_zero else int(low[0]) + 1
    last = int(high[0]) if to_nine else int(high[0]) - 1
    parts = [] if from_zero else [low[0] + _any_of(_same_width(low[1:], "9" * rest))]
    if first <= last:
        digit = str(first) if first == last else f"[{first}-{last}]"
        parts.append(digit + ("" if rest == 0 else "[0-9]" if rest == 1 else f"[0-9]{{{rest}}}"))
    if not to_nine:
        parts.append(high[0] + _any_of(_same_width("0" * rest, high[1:])))
    return parts


def _numeral(low: int, high: int) -> str:
    """A pattern for the whole numbers from low to high in digits, leading zeros allowed."""
    parts: list[str] = []
    while low <= high:
        top = min(high, 10 ** len(str(low)) - 1)  # the largest number with as many digits
        parts += _same_width(str(low), str(top))
        low = top + 1
    return "0*" + _any_of(parts)


_H, _M, _S = "[hH]", "[mM](?:[iI][nN])?", "[sS](?:[eE][cC])?"


@functools.cache
def duration_pattern(low: int, high: int) -> str:
    """A JSON Schema pattern for the texts model.parse_duration reads as low to high seconds.

    Written out for each whole number of hours and minutes that fits, with the seconds left to
    fill, so an editor refuses `3h` for a hold of at most 5 minutes just as the check does.
    """
    forms = [_numeral(low, high)]  # seconds alone: 30
    for hours in range(high // 3600 + 1):
        for minutes in range((high - hours * 3600) // 60 + 1):
            base = hours * 3600 + minutes * 60
            first, last = max(0, low - base), high - base
            parts = [rf"(?:0+\s*{_H})?" if hours == 0 else rf"{_numeral(hours, hours)}\s*{_H}",
                     rf"(?:0+\s*{_M})?" if minutes == 0
                     else rf"{_numeral(minutes, minutes)}\s*{_M}",
                     rf"(?:{_numeral(first, last)}\s*{_S})?" if first == 0
                     else rf"{_numeral(first, last)}\s*{_S}"]
            forms.append(r"\s*".join(parts))
    # Inside the spaces around it, a duration is at most MAX_DURATION_TEXT characters.
    longest = model.MAX_DURATION_TEXT - 2
    return (rf"^\s*(?=\S(?:[\s\S]{{0,{longest}}}\S)?\s*$)(?:" + "|".join(forms)
            + r")\s*$")


# ---------------------------------------------------------------- more checks

class Integer(Check):
    """A whole number from low to high."""

    def __init__(self, low: int, high: int) -> None:
        self.low, self.high = low, high

    def __call__(self, node: yaml.Node, out: Collector) -> int:
        value = (_whole(node, out) if isinstance(node, yaml.ScalarNode) and node.tag == INT
                 else None)
        if value is None:
            raise Invalid(f"must be a whole number from {self.low} to {self.high}, got "
                          f"{describe(node)}", node)
        if not self.low <= value <= self.high:
            raise Invalid(f"must be from {self.low} to {self.high}, got {describe(node)}", node)
        return value

    def json(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


class Choice(Check):
    """One word of a fixed list."""

    def __init__(self, options: Sequence[str]) -> None:
        self.options = tuple(options)
        self.expected = f"must be one of {', '.join(self.options)}"  # not for every value

    def __call__(self, node: yaml.Node, _: Collector) -> str:
        value = _scalar(node, self.expected)
        if node.tag != STR or value not in self.options:
            raise Invalid(f"{self.expected}, got {describe(node)}"
                          f"{did_you_mean(value, self.options)}", node)
        return value

    def json(self) -> dict[str, Any]:
        return {"enum": list(self.options)}


class Many(Exception):
    """Several failures inside one value (a list's items); problems already recorded elsewhere
    leave `failures` empty."""

    def __init__(self, failures: list[Invalid]) -> None:
        super().__init__(f"{len(failures)} problems")
        self.failures = failures


class ListOf(Check):
    """A list whose every item passes `item`; every failing item is reported."""

    def __init__(self, item: Check, non_empty: bool = False, unique: bool = False,
                 max_items: int = 100) -> None:
        self.item, self.non_empty, self.unique, self.max_items = \
            item, non_empty, unique, max_items

    def __call__(self, node: yaml.Node, out: Collector) -> tuple[Any, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise Invalid(f"must be a list (lines starting with '- '), got {describe(node)}", node)
        if self.non_empty and not node.value:
            raise Invalid("must list at least one item", node)
        if len(node.value) > self.max_items:
            raise Invalid(f"has {len(node.value)} items; at most {self.max_items} are allowed",
                          node)
        values: list[Any] = []
        failures: list[Invalid] = []
        incomplete = False  # an item whose own problems were recorded where they are
        for index, child in enumerate(node.value, start=1):
            try:
                value = self.item(child, out)
            except Invalid as exc:
                failures.append(Invalid(f"item {index} {exc.message}", exc.node))
                continue
            except Many as exc:
                failures.extend(Invalid(f"item {index} {sub.message}", sub.node)
                                for sub in exc.failures)
                incomplete = True
                continue
            if self.unique and value in values:
                failures.append(Invalid(f"item {index} repeats '{clip(str(value))}'; keep one",
                                        child))
            values.append(value)
        if failures or incomplete:
            raise Many(failures)
        return tuple(values)

    def json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"type": "array", "items": self.item.json()}
        if self.non_empty:
            document["minItems"] = 1
        document["maxItems"] = self.max_items
        if self.unique:
            document["uniqueItems"] = True
        return document

    def show(self, value: Any) -> str:
        return "[" + ", ".join(self.item.show(item) for item in value) + "]"


_NO_SIDE = ("none", "")


class Sides(Check):
    """`none`, or a list of left and/or right."""

    def __init__(self) -> None:
        self.sides = ListOf(Choice(model.SIDES), non_empty=True, unique=True)

    def __call__(self, node: yaml.Node, out: Collector) -> tuple[str, ...]:
        expected = "must be [left, right], [left], [right] or none"
        if isinstance(node, yaml.ScalarNode):
            if node.tag == STR and node.value in _NO_SIDE:
                return ()
            if node.tag == STR and node.value in model.SIDES:
                return (node.value,)
            raise Invalid(f"{expected}, got {describe(node)}", node)
        if not isinstance(node, yaml.SequenceNode) or not node.value:
            raise Invalid(f"{expected}, got {describe(node)}", node)
        values = self.sides(node, out)
        return tuple(side for side in model.SIDES if side in values)

    def json(self) -> dict[str, Any]:
        return {"anyOf": [{"enum": [*_NO_SIDE, *model.SIDES]}, self.sides.json()]}

    def show(self, value: Any) -> str:
        return self.sides.show(value) if value else _NO_SIDE[0]


sides = Sides()


class MappingOf(Check):
    """A nested mapping with its own fields (and rules over them); returns a dict of the values
    that passed."""

    def __init__(self, fields: Sequence[Field], what: str, rules: Sequence[Rule] = ()) -> None:
        self.fields, self.what, self.rules = tuple(fields), what, tuple(rules)

    def __call__(self, node: yaml.Node, out: Collector) -> dict[str, Any]:
        values, ok = read_mapping(node, self.fields, out, self.what, self.rules)
        if not ok:
            raise Many([])
        return values

    def json(self) -> dict[str, Any]:
        return object_json(self.fields, self.rules)

    def show(self, value: Any) -> str:
        return "{" + ", ".join(f"{spec.name}: {spec.check.show(value[spec.name])}"
                               for spec in self.fields if spec.name in value) + "}"


def value_node(node: yaml.MappingNode, key: str) -> yaml.Node | None:
    """The node of a key's value in a mapping, or None when the key is not there."""
    return next((value for key_node, value in node.value
                 if getattr(key_node, "value", None) == key), None)


_TABLES: dict[int, tuple[tuple[Field, ...], dict[str, Field], tuple[Field, ...]]] = {}


def _table(fields: Sequence[Field]) -> tuple[dict[str, Field], tuple[Field, ...]]:
    """A table's fields by name, and its required ones: worked out once for a tuple (every
    table is one), not for each of the thousands of mappings `validate` reads."""
    known = _TABLES.get(id(fields))
    if known is not None and known[0] is fields:
        return known[1], known[2]
    by_name = {spec.name: spec for spec in fields}
    required = tuple(spec for spec in fields if spec.required)
    if isinstance(fields, tuple):  # unchangeable; kept alive here, so its id stays its own
        _TABLES[id(fields)] = (fields, by_name, required)
    return by_name, required


def read_mapping(node: yaml.Node, fields: Sequence[Field], out: Collector, what: str,
                 rules: Sequence[Rule] = ()) -> tuple[dict[str, Any], bool]:
    """Check a mapping against its fields, then (when they all pass) its rules; record every
    problem; return values and success."""
    if not isinstance(node, yaml.MappingNode):
        out.add(f"{what} must be a mapping of 'key: value' lines, got {describe(node)}", node)
        return {}, False
    by_name, required = _table(fields)
    values: dict[str, Any] = {}
    seen: dict[str, yaml.Node] = {}
    ok = True
    for key_node, child in node.value:
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
            if out.full:  # no "did you mean" worked out for a problem only counted
                out.count(key_node)
            else:
                out.add(f"unknown key '{clip(key)}' in {what}"
                        f"{did_you_mean(key, list(by_name))}; known keys: {', '.join(by_name)}",
                        key_node)
            ok = False
            continue
        try:
            values[key] = spec.check(child, out)
        except Invalid as exc:
            out.add(f"{key} {exc.message}", exc.node)
            ok = False
        except Many as exc:
            for failure in exc.failures:
                out.add(f"{key} {failure.message}", failure.node)
            ok = False
    for spec in required:
        if spec.name not in seen:
            out.add(f"{what} is missing '{spec.name}': {spec.doc}", node)
            ok = False
    if ok:
        for rule in rules:
            for failure in rule(node, values):
                out.add(failure.message, failure.node)
                ok = False
    return values, ok


class Drawing(Check):
    """One picture of a position: text of at most pictures.MAX_ROWS rows of at most
    pictures.MAX_COLUMNS characters, each one cell wide (pictures.ALLOWED_RANGES)."""

    def __call__(self, node: yaml.Node, _: Collector) -> tuple[str, ...]:
        expected = ("must be a drawing written as a block (`picture: |` and the rows under it, "
                    "indented)")
        if not isinstance(node, yaml.ScalarNode) or node.tag != STR:
            raise Invalid(f"{expected}, got {describe(node)}", node)
        rows = pictures.rows_of(str(node.value))
        if not any(row.strip(" ") for row in rows):
            raise Invalid(f"{expected}, got nothing but spaces", node)
        if len(rows) > pictures.MAX_ROWS:
            raise Invalid(f"has {len(rows)} rows; a picture may have at most "
                          f"{pictures.MAX_ROWS}", node)
        # Nearly every drawing is fine: one look at all its rows at once (a line break joins
        # them, so the look-up must not count it), and row by row only to say where it fails.
        if (max(map(len, rows)) > pictures.MAX_COLUMNS
                or pictures.first_not_allowed(" ".join(rows)) is not None):
            self._fail(rows, node)
        return tuple(row.rstrip(" ") for row in rows)

    @staticmethod
    def _fail(rows: list[str], node: yaml.Node) -> None:
        """Raise Invalid for the first row that is too wide or uses a character not allowed."""
        for number, row in enumerate(rows, start=1):
            if len(row) > pictures.MAX_COLUMNS:
                raise Invalid(f"row {number} is {len(row)} characters wide; a picture may be at "
                              f"most {pictures.MAX_COLUMNS} wide", node)
            bad = pictures.first_not_allowed(row)
            if bad is not None:
                raise Invalid(f"row {number} uses '{clip(bad)}' (U+{ord(bad):04X}); draw with "
                              "ASCII, arrows, box-drawing lines, blocks and geometric shapes "
                              "(tabs and wide characters would not line up)", node)

    def json(self) -> dict[str, Any]:
        return {"type": "string", "pattern": drawing_pattern()}

    def show(self, value: Any) -> str:
        return "|\n" + "\n".join(f"  {row}" for row in value)


@functools.cache
def drawing_pattern() -> str:
    """A JSON Schema pattern for the drawings `Drawing` accepts."""
    chars = "".join(_pattern_char(first) if first == last
                    else f"{_pattern_char(first)}-{_pattern_char(last)}"
                    for first, last in pictures.ALLOWED_RANGES)
    row = f"[{chars}]{{0,{pictures.MAX_COLUMNS}}}"
    # Something besides spaces and line breaks; rows separated by line breaks; any number of
    # line breaks at the end (a `|+` block keeps them), which are not rows.
    return (rf"^(?=[\s\S]*[^ \n])(?:{row}\n){{0,{pictures.MAX_ROWS - 1}}}{row}\n*{_END}")


drawing = Drawing()
PICTURE_FIELDS: tuple[Field, ...] = (
    Field("start", drawing, "the position as it starts", required=True),
    Field("end", drawing, "the position at the end of the movement, when it differs",
          required=True),
)


class PictureCheck(Check):
    """A drawing of the one position, or a mapping of `start` and `end` drawings."""

    def __init__(self) -> None:
        self.both = MappingOf(PICTURE_FIELDS, "picture")

    def __call__(self, node: yaml.Node, out: Collector) -> model.Picture:
        if isinstance(node, yaml.MappingNode):
            values = self.both(node, out)
            return model.Picture(values["start"], values["end"])
        return model.Picture(drawing(node, out))

    def json(self) -> dict[str, Any]:
        return {"anyOf": [drawing.json(), self.both.json()]}


# ---------------------------------------------------------------- the two file kinds

HOLD = Field("hold", Duration(1, 300), "how long each hold lasts, 1 s to 5 min",
             default=field_default(model.Dose, "hold"))
REPS = Field("reps", Integer(1, 50), "holds (or slow moving reps) on each side, 1 to 50",
             default=field_default(model.Dose, "reps"))
SIDES = Field("sides", sides, "[left, right] to do each side in turn, [left] or [right] for "
              "one side, none when there is no side", default=field_default(model.Dose, "sides"))
REST = Field("rest", Duration(0, 600), "rest between reps, 0 to 10 min",
             default=field_default(model.Dose, "rest"))
SETUP = Field("setup", Duration(0, 300), "time to get into position before the first hold",
              default=field_default(model.Dose, "setup"))
# None: the key stays unset, and the exercise holds. build_exercise gives the model its 0.
TEMPO = Field("tempo", Duration(1, 60), "for an exercise done as slow moving reps instead of "
              "holds (a dead bug, cat-cow): the seconds one rep takes, 1 s to 1 min; give it "
              "instead of hold")
HOLD_OR_TEMPO = Exclusive(("hold", "tempo"), "hold is how long each rep is held still, tempo "
                          "how long each slow moving rep takes")

EXERCISE_FIELDS: tuple[Field, ...] = (
    Field("id", identifier, "a unique id such as knee-to-chest (lowercase, digits, hyphens); "
          "the file name without .yaml", required=True),
    Field("name", Text(80), "the name shown on screen", required=True),
    Field("summary", Text(), "one line on what it stretches and why",
          default=field_default(model.Exercise, "summary")),
    # The one default only the file format has: the model needs every exercise's family.
    Field("family", Choice(model.FAMILIES), "the stretch family: " + ", ".join(model.FAMILIES),
          default="other"),
    Field("position", Choice(model.POSITIONS), "where the body is: "
          + ", ".join(model.POSITIONS) + " (routines are ordered by it)", required=True),
    Field("equipment", ListOf(Text(80)), "things to have at hand",
          default=field_default(model.Exercise, "equipment")),
    Field("type", Choice(model.TYPES), "what it is for: stretch, strength or mobility; it "
          "decides how `backcoach progress` steps the dose up",
          default=field_default(model.Exercise, "type")),
    SIDES, HOLD, TEMPO, REPS, REST, SETUP,
    Field("switch", Duration(0, 120), "time to change sides between holds (0: the sides "
          "alternate without a pause)", default=field_default(model.Dose, "switch")),
    Field("steps", ListOf(Text(), non_empty=True), "numbered instructions, in order",
          required=True),
    Field("key_step", Integer(1, 50), "the number of the step kept on screen during the hold "
          "(default: the last but one of three or more steps, else the last)",
          default=field_default(model.Exercise, "key_step")),
    Field("cues", ListOf(Text()), "short lines shown and spoken during the hold",
          default=field_default(model.Exercise, "cues")),
    Field("cautions", ListOf(Text()), "how to do it safely, shown before it starts",
          default=field_default(model.Exercise, "cautions")),
    Field("stop_if", ListOf(Text()), "stop signs, each completing 'Stop if ...'",
          default=field_default(model.Exercise, "stop_if")),
    Field("contraindications", ListOf(Choice(model.CONTRAINDICATIONS), unique=True),
          "conditions that make it unsuitable without a clinician's advice: "
          + ", ".join(model.CONTRAINDICATIONS),
          default=field_default(model.Exercise, "contraindications")),
    Field("regions", ListOf(Choice(model.REGIONS), unique=True),
          "the body regions it loads: " + ", ".join(model.REGIONS) + "; after a stop for "
          "spreading symptoms the rest of the session's exercises loading the same region are "
          "skipped (default: from its family)", default=field_default(model.Exercise, "regions")),
    Field("aliases", ListOf(identifier, unique=True, max_items=10),
          "other names it can be found by (`show`, `run --only`), unique across the library",
          default=field_default(model.Exercise, "aliases")),
    Field("easier", identifier, "id of an easier variant (key e during a session)",
          default=field_default(model.Exercise, "easier")),
    Field("harder", identifier, "id of a harder variant",
          default=field_default(model.Exercise, "harder")),
    Field("sources", ListOf(Text()), "where the advice comes from",
          default=field_default(model.Exercise, "sources")),
    Field("picture", PictureCheck(), "a drawing of the position for the terminal and the "
          f"handout, at most {pictures.MAX_ROWS} rows of {pictures.MAX_COLUMNS} characters "
          "(ASCII, arrows, box-drawing lines, blocks, geometric shapes); or `start:` and `end:` "
          "drawings when the body moves. See \"Pictures of positions\"",
          default=field_default(model.Exercise, "picture")),
)

SCHEDULE_FIELDS: tuple[Field, ...] = (
    Field("per_day", Integer(1, 6), "sessions a day",
          default=field_default(model.Schedule, "per_day")),
    Field("days_per_week", Integer(1, 7), "days a week",
          default=field_default(model.Schedule, "days_per_week")),
)

ITEM_FIELDS: tuple[Field, ...] = (
    Field("id", identifier, "the exercise's id", required=True),
    HOLD, TEMPO, REPS, SIDES, REST, SETUP,
)


class RoutineEntry(Check):
    """An exercise id, or a mapping with an id and dose overrides."""

    def __init__(self) -> None:
        self.entry = MappingOf(ITEM_FIELDS, "exercise entry", rules=(HOLD_OR_TEMPO,))

    def __call__(self, node: yaml.Node, out: Collector) -> model.RoutineItem:
        if isinstance(node, yaml.ScalarNode):
            exercise_id = identifier(node, out)
            out.ref("", exercise_id, node)
            return model.RoutineItem(exercise_id)
        values = self.entry(node, out)  # it passed: a mapping with an id
        id_node = value_node(node, "id") if isinstance(node, yaml.MappingNode) else None
        out.ref("", values["id"], id_node or node)
        overrides = {k: v for k, v in values.items() if k != "id"}
        return model.RoutineItem(values["id"], model.DoseOverride(**overrides))

    def json(self) -> dict[str, Any]:
        return {"anyOf": [identifier.json(), self.entry.json()]}


routine_item = RoutineEntry()

ROUTINE_FIELDS: tuple[Field, ...] = (
    EXERCISE_FIELDS[0],
    Field("name", Text(80), "the name shown on screen", required=True),
    Field("description", Text(), "who it is for and when",
          default=field_default(model.Routine, "description")),
    Field("schedule", MappingOf(SCHEDULE_FIELDS, "schedule"),
          "how often: per_day (1-6) and days_per_week (1-7)", default=defaults(SCHEDULE_FIELDS)),
    Field("rest_between", Duration(0, 600), "rest between exercises",
          default=field_default(model.Routine, "rest_between")),
    Field("exercises", ListOf(routine_item, non_empty=True),
          "the exercises in order: an id, or a mapping of id plus hold (or tempo), reps, "
          "sides, rest, setup", required=True),
    Field("prescribed_by", Text(120), "who set this routine (a physiotherapist, a clinic), "
          "printed on the handout", default=field_default(model.Routine, "prescribed_by")),
    Field("prescribed_for", Text(120), "who it is for, printed on the handout (`handout --for` "
          "overrides it)", default=field_default(model.Routine, "prescribed_for")),
    Field("notes", ListOf(Text(), max_items=20), "notes for the person, printed on the handout "
          "under the schedule", default=field_default(model.Routine, "notes")),
)

LESSON_FIELDS: tuple[Field, ...] = (
    Field("id", identifier, "a unique id such as pacing (lowercase, digits, hyphens); the file "
          "name without .yaml; `backcoach learn ID` shows it", required=True),
    Field("title", Text(80), "the title shown above it", required=True),
    Field("text", Words(*model.LESSON_WORDS), f"the lesson, {model.LESSON_WORDS[0]} to "
          f"{model.LESSON_WORDS[1]} words in your own words", required=True),
    Field("fits", ListOf(Choice(model.LESSON_MOMENTS), unique=True),
          "the moments after a session it suits, so it is offered then (the first session, "
          "or the advice of the day): " + ", ".join(model.LESSON_MOMENTS) + "; on a good day "
          "(better, steady) any lesson suits, in order",
          default=field_default(model.Lesson, "fits")),
    Field("order", Integer(1, 999), "its place in the order lessons are offered on good days, "
          "lowest first", default=field_default(model.Lesson, "order")),
    Field("sources", ListOf(Text(), non_empty=True), "where its facts come from",
          required=True),
)

FIELDS = {"exercise": EXERCISE_FIELDS, "routine": ROUTINE_FIELDS, "lesson": LESSON_FIELDS}


def _key_step_is_a_step(node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[Invalid]:
    """`key_step` names one of the steps (JSON Schema cannot compare two fields)."""
    key_step, steps = values.get("key_step"), values.get("steps", ())
    if key_step is not None and key_step > len(steps):
        yield Invalid(f"key_step must be the number of one of the {len(steps)} steps, got "
                      f"{key_step}", value_node(node, "key_step") or node)


# Checks over a whole file of each kind, once each of its fields passed.
RULES: dict[str, tuple[Rule, ...]] = {"exercise": (HOLD_OR_TEMPO, _key_step_is_a_step),
                                      "routine": ()}


def json_schema(kind: str) -> dict[str, Any]:
    """A JSON Schema for one file kind, for editors that check YAML (yaml-language-server)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"backcoach {kind}",
        **object_json(FIELDS[kind], RULES.get(kind, ())),
    }


# ---------------------------------------------------------------- building model objects

_DOSE_KEYS = ("hold", "reps", "sides", "rest", "setup", "switch")
# The defaults of each table, worked out once rather than for every file built. Each build
# copies them into a new dict before adding the file's values, so these are never changed.
_EXERCISE_DEFAULTS = defaults(EXERCISE_FIELDS)
_ROUTINE_DEFAULTS = defaults(ROUTINE_FIELDS)
_SCHEDULE_DEFAULTS = defaults(SCHEDULE_FIELDS)
_LESSON_DEFAULTS = defaults(LESSON_FIELDS)


def build_exercise(values: dict[str, Any], origin: model.Origin) -> model.Exercise:
    """An Exercise from checked values; unset fields take the table's defaults. An exercise
    with a tempo moves instead of holding: its hold is 0."""
    given = {**_EXERCISE_DEFAULTS, **values}
    tempo = given.pop("tempo") or field_default(model.Dose, "tempo")
    dose = model.Dose(**{key: given.pop(key) for key in _DOSE_KEYS}, tempo=tempo)
    if tempo:
        dose = dose._replace(hold=0)
    return model.Exercise(dose=dose, origin=origin, **given)


def build_routine(values: dict[str, Any], origin: model.Origin) -> model.Routine:
    """A Routine from checked values; unset fields take the table's defaults."""
    given = {**_ROUTINE_DEFAULTS, **values}
    items = given.pop("exercises")
    schedule = model.Schedule(**{**_SCHEDULE_DEFAULTS, **given.pop("schedule")})
    return model.Routine(items=items, schedule=schedule, origin=origin, **given)


def build_lesson(values: dict[str, Any], origin: model.Origin) -> model.Lesson:
    """A Lesson from checked values; unset fields take the table's defaults."""
    return model.Lesson(origin=origin, **{**_LESSON_DEFAULTS, **values})


def reference_markdown() -> str:
    """The field reference for every file kind as Markdown tables (README embeds it verbatim)."""
    sections = []
    for kind, fields, own in (("Exercise", EXERCISE_FIELDS, False),
                              ("Routine", ROUTINE_FIELDS, False),
                              ("Routine entry (an item of `exercises:`)", ITEM_FIELDS, True),
                              ("Routine `schedule:`", SCHEDULE_FIELDS, False),
                              ("Lesson", LESSON_FIELDS, False)):
        rows = ["| field | required | default | meaning |", "|---|---|---|---|"]
        for spec in fields:
            default = f"`{spec.default_text}`" if spec.default_text else ""
            if own and not spec.required:
                default = "the exercise's own"
            rows.append(f"| `{spec.name}` | {'yes' if spec.required else ''} | {default} | "
                        f"{spec.doc} |")
        sections.append(f"#### {kind}\n\n" + "\n".join(rows))
    return "\n\n".join(sections) + "\n"
