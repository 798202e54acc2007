"""The packaged red-flag question file, read and checked with the library's field table: every
problem as `path:line:col: message`. Imported only when the parsed questions are not in the
cache (`library.cache`), so a session's start does not read YAML.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from backcoach.errors import Problem
from backcoach.library import config, schema
from backcoach.library.model import CONTRAINDICATIONS, REGIONS
from backcoach.library.yamlsrc import YamlFailure, compose, position
from backcoach.safety.redflags import (
    QUESTIONS_PATH,
    TIER_NAMES,
    Question,
    Tier,
    tier_name,
)


class _Asking(schema.Text):
    """Text that asks a yes/no question: it ends in '?', or '?)' after a note in brackets."""

    def __call__(self, node: yaml.Node, out: schema.Collector) -> str:
        value = super().__call__(node, out)
        if not value.endswith(("?", "?)")):
            raise schema.Invalid("must be a question, ending in '?'", node)
        return value

    def json(self) -> dict[str, Any]:
        return {**super().json(), "allOf": [{"pattern": r"\?\)?\s*$"}]}


# Which optional fields a question of each tier may have (and must, for `required`).
_FIELD_TIERS = {"label": (Tier.CLEARANCE,), "sets": (Tier.CLEARANCE,),
                "only_if": (Tier.CLEARANCE,), "regions": (Tier.URGENT,),
                "clearable": (Tier.URGENT,)}
_REQUIRED_FOR_CLEARANCE = ("label", "sets")


def _fields_by_tier(node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[schema.Invalid]:
    """A clearance question names its condition and the tags a yes sets; only urgent questions
    may act on some regions or be cleared, and a clearable one names its condition too."""
    tier = Tier.parse(values["tier"])
    name = values["tier"]
    for key, tiers in _FIELD_TIERS.items():
        given = schema.value_node(node, key)
        doc = next(spec.doc for spec in QUESTION_FIELDS if spec.name == key)
        if tier is Tier.CLEARANCE and key in _REQUIRED_FOR_CLEARANCE and given is None:
            yield schema.Invalid(f"a clearance question needs '{key}': {doc}", node)
        elif given is not None and tier not in tiers and not (
                key == "label" and values.get("clearable")):
            kinds = ("clearance questions" if tiers == (Tier.CLEARANCE,) else
                     "urgent questions")
            also = " and clearable ones" if key == "label" else ""
            yield schema.Invalid(f"{key} is only for {kinds}{also}; remove it from this "
                                 f"'{name}' question", given)
    if values.get("clearable") and schema.value_node(node, "label") is None:
        yield schema.Invalid(f"a clearable question needs 'label': "
                             f"{next(s.doc for s in QUESTION_FIELDS if s.name == 'label')}", node)


QUESTION_FIELDS: tuple[schema.Field, ...] = (
    schema.Field("id", schema.identifier, "a stable kebab-case id; stored answers are keyed by "
                 "it, so never rename one", required=True),
    schema.Field("tier", schema.Choice(TIER_NAMES), "what a yes means, worst first: "
                 + " > ".join(TIER_NAMES), required=True),
    schema.Field("ask", _Asking(), "the question in plain words, answerable yes or no",
                 required=True),
    schema.Field("why", schema.Text(), "one calm sentence shown with the outcome, saying why "
                 "this answer matters", required=True),
    schema.Field("label", schema.Text(80), "clearance and clearable questions: the condition "
                 "as it reads inside a sentence (a hip replacement)",
                 default=schema.field_default(Question, "label")),
    schema.Field("sets", schema.ListOf(schema.Choice(CONTRAINDICATIONS), non_empty=True,
                                         unique=True),
                 "clearance only: the contraindication tags a yes sets",
                 default=schema.field_default(Question, "sets")),
    schema.Field("only_if", _Asking(), "clearance only: a question asked after a yes; the tags "
                 "are set only when it is answered yes too",
                 default=schema.field_default(Question, "only_if")),
    schema.Field("regions", schema.ListOf(schema.Choice(REGIONS), non_empty=True, unique=True),
                 "urgent only: a yes leaves out the exercises loading these regions instead of "
                 "stopping every session", default=schema.field_default(Question, "regions")),
    schema.Field("clearable", config.boolean, "urgent only: a yes is followed by \"has a "
                 "doctor or physiotherapist checked this?\", and yes to that is kept as a "
                 "clearance with its date", default=schema.field_default(Question, "clearable")),
)


class _QuestionEntry(schema.Check):
    """One question of the file: its fields, then the rule across them."""

    def __init__(self) -> None:
        self.entry = schema.MappingOf(QUESTION_FIELDS, "question", (_fields_by_tier,))

    def __call__(self, node: yaml.Node, out: schema.Collector) -> Question:
        given = {**schema.defaults(QUESTION_FIELDS), **self.entry(node, out)}
        return Question(**{**given, "tier": Tier.parse(given["tier"])})

    def json(self) -> dict[str, Any]:
        return self.entry.json()


def _question_nodes(node: yaml.MappingNode) -> list[yaml.MappingNode]:
    questions = schema.value_node(node, "questions")
    assert isinstance(questions, yaml.SequenceNode)  # the rules run once every field passed
    return [item for item in questions.value if isinstance(item, yaml.MappingNode)]


def _unique_ids(node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[schema.Invalid]:
    """Stored answers are keyed by id: two questions with one id would share an answer."""
    first_at: dict[str, int] = {}
    for question, item in zip(values["questions"], _question_nodes(node), strict=True):
        id_node = schema.value_node(item, "id") or item
        line, _ = position(id_node)
        if question.id in first_at:
            yield schema.Invalid(f"id '{question.id}' is already used by the question at line "
                                 f"{first_at[question.id]}; ids must be unique", id_node)
        first_at.setdefault(question.id, line)


def _worst_first(node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[schema.Invalid]:
    """Questions are asked in file order, worst tier first, so an emergency is never last."""
    last = Tier.EMERGENCY
    for question, item in zip(values["questions"], _question_nodes(node), strict=True):
        if question.tier > last:
            where = schema.value_node(item, "tier") or item
            yield schema.Invalid(f"questions must go from the worst tier down: this "
                                 f"'{tier_name(question.tier)}' question comes after a "
                                 f"'{tier_name(last)}' one", where)
        last = question.tier


FILE_FIELDS: tuple[schema.Field, ...] = (
    schema.Field("version", schema.Integer(1, 1), "the version of this file's format: 1",
                 required=True),
    schema.Field("questions", schema.ListOf(_QuestionEntry(), non_empty=True),
                 "the questions in the order they are asked, worst tier first", required=True),
)
_FILE_RULES: tuple[schema.Rule, ...] = (_unique_ids, _worst_first)


def read_questions(text: str, path: str = QUESTIONS_PATH) -> tuple[tuple[Question, ...],
                                                                     list[Problem]]:
    """The questions in a question file's text, and every problem as `path:line:col`."""
    out = schema.Collector(path)
    try:
        node = compose(text, path)
    except YamlFailure as failure:
        return (), [failure.problem]
    if node is None:
        return (), [Problem(path, 1, 1, "file is empty; it needs version and questions")]
    values, ok = schema.read_mapping(node, FILE_FIELDS, out, "question file", _FILE_RULES)
    return (values["questions"] if ok else ()), sorted(out.problems)


def question_problems(text: str, path: str = QUESTIONS_PATH) -> list[Problem]:
    """Every problem of a question file's text; empty when it is sound."""
    return read_questions(text, path)[1]


def json_schema() -> dict[str, Any]:
    """A JSON Schema of the question file (its fields; the rules across fields are not in it)."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "backcoach red-flag questions", **schema.object_json(FILE_FIELDS)}
