"""Property-based fuzzing of the loader: whatever the bytes, the only outcome is our own Problems.

Arbitrary bytes, arbitrary text, arbitrary YAML documents (shaped like exercise and routine files
or not) and shipped files with random edits go through `parse_file`, and some through the whole
catalog. Nothing may raise; every problem names the file, a line and a column inside it, and is
one printable line. Examples are derandomized (the same every run) and kept few enough for CI.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcoach.errors import InvalidFiles, Problem
from backcoach.library import schema
from backcoach.library.catalog import load_catalog, shown_path
from backcoach.library.loading import parse_file
from tests.robustness.tally import add

EXAMPLES = 600
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
SHIPPED = sorted((Path(__file__).resolve().parents[2] / "exercises").rglob("*.yaml"))
DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")  # YAML 1.1 counts all of these


def check(problems: list[Problem], path: Path, data: bytes) -> None:
    """Every problem: this file, a real position, one printable line of words."""
    text = data.decode("utf-8", errors="replace")
    lines = sum(text.count(mark) for mark in LINE_BREAKS) + 1
    for problem in problems:
        assert isinstance(problem, Problem)
        assert problem.path == shown_path(path)
        assert 1 <= problem.line <= lines + 1, (problem, lines)
        assert problem.col >= 1, problem
        assert problem.message and problem.message.isprintable(), repr(problem.message)


def parse(path: Path, data: bytes) -> list[Problem]:
    add("fuzz_examples")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    parsed = parse_file(path)
    problems = parsed.collector.problems
    check(problems, path, data)
    assert (parsed.definition is None) == bool(problems)
    return problems


@FUZZ
@given(data=st.binary(max_size=3000))
def test_arbitrary_bytes(data: bytes, tmp_path: Path) -> None:
    parse(tmp_path / "fuzz.yaml", data)


@FUZZ
@given(text=st.text(max_size=800))
def test_arbitrary_text(text: str, tmp_path: Path) -> None:
    parse(tmp_path / "fuzz.yaml", text.encode("utf-8"))


# ---------------------------------------------------------------- YAML documents

FIELD_NAMES = sorted({spec.name for fields in schema.FIELDS.values() for spec in fields}
                     | {spec.name for spec in schema.ITEM_FIELDS + schema.SCHEDULE_FIELDS})
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(),
    st.sampled_from(["no", "yes", "off", "~", "30s", "1m30s", "-5", "1:30", "0x1e", ".nan",
                     "left", "right", "none", "lying", "chin-tuck", "chin-tuck\n", "daily", "../x",
                     "a/b",
                     "[bold]x[/]", "\x1b[2J", "\u202e", "\t", "", " ", "&a", "*a", "!!int x"]),
    st.text(max_size=30))
KEYS = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=12), st.integers(),
                 st.booleans(), st.none())
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=6),
                            st.dictionaries(KEYS, inner, max_size=8)),
    max_leaves=12)
IDS = st.sampled_from(["chin-tuck", "daily", "mine", "own", "fuzz", "mine\n", "own\n",
                       "fuzz\n", "chin-tuck\n", "../own", "a/b", "Own", "own ", "", "1", "x" * 61])
FILE_SHAPED = st.dictionaries(st.sampled_from(FIELD_NAMES), DOCUMENTS, min_size=1, max_size=10)


def nearly_valid(ident: str, routine: bool) -> st.SearchStrategy[dict[Any, Any]]:
    """A valid file's fields with up to three of them replaced or added: reaches the checks
    that run only on a file whose other fields are fine (the id against the file name, the
    references to other files)."""
    base: dict[Any, Any] = ({"id": ident, "name": "Fuzz", "exercises": ["chin-tuck"]} if routine
                            else {"id": ident, "name": "Fuzz", "position": "lying",
                                  "steps": ["Do it."]})
    values = st.one_of(SCALARS, st.lists(SCALARS, max_size=4), DOCUMENTS)
    references = st.tuples(st.sampled_from(["id", "easier", "harder", "exercises"]), IDS).map(
        lambda pair: {pair[0]: [pair[1]] if pair[0] == "exercises" else pair[1]})
    extra = st.one_of(st.dictionaries(KEYS, values, max_size=3), references)
    return extra.map(lambda more: {**base, **more})


def dump(document: Any, style: Any, unicode: bool) -> bytes:
    text = yaml.dump(document, Dumper=DUMPER, default_flow_style=style, allow_unicode=unicode,
                     sort_keys=False)
    return text.encode("utf-8")


@settings(FUZZ, max_examples=400)
@given(routine=st.booleans(), data=st.data(), style=st.sampled_from([None, True, False]),
       unicode=st.booleans())
def test_arbitrary_yaml_documents(routine: bool, data: st.DataObject, style: Any, unicode: bool,
                                  tmp_path: Path) -> None:
    document = data.draw(st.one_of(DOCUMENTS, FILE_SHAPED, nearly_valid("fuzz", routine)))
    folder = tmp_path / ("routines" if routine else "exercises")
    parse(folder / "fuzz.yaml", dump(document, style, unicode))


# ---------------------------------------------------------------- shipped files, edited

EDITS = st.lists(st.tuples(st.sampled_from(["insert", "delete", "replace", "dup-line",
                                            "swap-lines", "indent"]),
                           st.integers(min_value=0), st.text(min_size=1, max_size=4)),
                 min_size=1, max_size=4)


def edited(text: str, edits: list[tuple[str, int, str]]) -> str:
    for kind, where, chars in edits:
        lines = text.split("\n")
        at, row = where % (len(text) + 1), where % len(lines)
        if kind == "insert":
            text = text[:at] + chars + text[at:]
        elif kind == "delete":
            text = text[:at] + text[at + len(chars):]
        elif kind == "replace":
            text = text[:at] + chars + text[at + len(chars):]
        elif kind == "dup-line":
            text = "\n".join([*lines[:row + 1], lines[row], *lines[row + 1:]])
        elif kind == "swap-lines" and row + 1 < len(lines):
            lines[row], lines[row + 1] = lines[row + 1], lines[row]
            text = "\n".join(lines)
        elif kind == "indent":
            lines[row] = " " * (1 + len(chars)) + lines[row]
            text = "\n".join(lines)
    return text


@FUZZ
@given(source=st.sampled_from(SHIPPED), edits=EDITS)
def test_shipped_files_with_random_edits(source: Path, edits: list[tuple[str, int, str]],
                                         tmp_path: Path) -> None:
    folder = tmp_path / ("routines" if source.parent.name == "routines" else "exercises")
    parse(folder / source.name, edited(source.read_text(), edits).encode("utf-8"))


# ---------------------------------------------------------------- the whole catalog

@settings(FUZZ, max_examples=50)
@given(routine=st.one_of(nearly_valid("mine", True), FILE_SHAPED),
       exercise=st.one_of(nearly_valid("own", False), FILE_SHAPED))
def test_the_catalog_raises_only_invalid_files(routine: Any, exercise: Any,
                                               backcoach_home: Path) -> None:
    """User files with cross-file references: load_catalog returns or raises InvalidFiles."""
    add("fuzz_examples")
    files = {backcoach_home / "routines" / "mine.yaml": dump(routine, False, True),
             backcoach_home / "exercises" / "own.yaml": dump(exercise, False, True)}
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    try:
        catalog = load_catalog(strict=True)
    except InvalidFiles as exc:
        assert exc.problems
        for path, data in files.items():
            check([p for p in exc.problems if p.path == shown_path(path)], path, data)
        assert {p.path for p in exc.problems} <= {shown_path(path) for path in files}
    else:
        assert catalog.routines and catalog.exercises


def test_the_checks_themselves_have_teeth(tmp_path: Path) -> None:
    """A problem outside the file, or a message with a raw escape, fails `check`."""
    path = tmp_path / "f.yaml"
    with pytest.raises(AssertionError):
        check([Problem(shown_path(path), 3, 1, "x")], path, b"one line")
    with pytest.raises(AssertionError):
        check([Problem(shown_path(path), 1, 1, "got '\x1b[2J'")], path, b"a")
