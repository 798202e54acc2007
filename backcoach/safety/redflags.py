"""The red-flag screen: the questions (packaged data), what the answers mean, and clearance. Pure.

Nothing here reads the clock, the terminal or the history: answers and dates come in as
arguments. The one read is the packaged question list, which ships inside backcoach and is never
taken from user files.

Clinical basis: the project's clinical content brief, section 3 (red flags after NICE NG59 and
NHS advice).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from importlib import resources
from typing import Any

import yaml

from backcoach.errors import Problem
from backcoach.library import schema
from backcoach.library.config import RESCREEN_DAYS
from backcoach.library.model import CONTRAINDICATIONS, Exercise
from backcoach.library.yamlsrc import YamlFailure, compose, position
from backcoach.session.result import ScreenRecord


class Tier(IntEnum):
    """What a screen found, from fine to act-now; the worst answer wins."""

    OK = 0
    CLEARANCE = 1
    SEE_SOON = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def label(self) -> str:
        """The tier in words, for people."""
        return _TIER_LABELS[self]

    @classmethod
    def parse(cls, text: str) -> Tier:
        """A tier from its stored name (`SEE_SOON`) or its data spelling (`see-soon`)."""
        try:
            return cls[text.strip().upper().replace("-", "_")]
        except KeyError:
            raise ValueError(f"unknown tier {text!r}") from None


_TIER_LABELS = {
    Tier.OK: "no warning signs",
    Tier.CLEARANCE: "some exercises need a clinician's OK",
    Tier.SEE_SOON: "see a doctor or physiotherapist soon",
    Tier.URGENT: "get medical advice today",
    Tier.EMERGENCY: "emergency",
}


def blocks_session(tier: Tier) -> bool:
    """True when no session may start: EMERGENCY and URGENT."""
    return tier >= Tier.URGENT


# --- the questions ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Question:
    """One yes/no red-flag question; `sets` are the contraindication tags a CLEARANCE yes sets."""

    id: str
    tier: Tier
    ask: str
    why: str
    label: str = ""
    sets: tuple[str, ...] = ()


# --- the question file: a field table, read on YAML nodes like the exercise files -------------

def _tier_name(tier: Tier) -> str:
    return tier.name.lower().replace("_", "-")


QUESTIONS_FILE = "red_flags.yaml"
QUESTIONS_PATH = f"backcoach/safety/{QUESTIONS_FILE}"  # as named in problems
# The tiers a question can have, worst first; OK is the outcome of all-no, not a question's tier.
TIER_NAMES = tuple(_tier_name(tier) for tier in sorted(Tier, reverse=True) if tier is not Tier.OK)


class _Asking(schema.Text):
    """Text that asks a yes/no question: it ends in '?', or '?)' after a note in brackets."""

    def __call__(self, node: yaml.Node, out: schema.Collector) -> str:
        value = super().__call__(node, out)
        if not value.endswith(("?", "?)")):
            raise schema.Invalid("must be a question, ending in '?'", node)
        return value

    def json(self) -> dict[str, Any]:
        return {**super().json(), "allOf": [{"pattern": r"\?\)?\s*$"}]}


def _clearance_only(node: yaml.MappingNode, values: dict[str, Any]) -> Iterator[schema.Invalid]:
    """A clearance question names its condition and the tags a yes sets; no other one does."""
    clearance = Tier.parse(values["tier"]) is Tier.CLEARANCE
    for spec in QUESTION_FIELDS:
        if spec.required:
            continue
        given = schema.value_node(node, spec.name)
        if clearance and given is None:
            yield schema.Invalid(f"a clearance question needs '{spec.name}': {spec.doc}", node)
        elif not clearance and given is not None:
            yield schema.Invalid(f"{spec.name} is only for clearance questions; remove it from "
                                 f"this '{values['tier']}' question", given)


QUESTION_FIELDS: tuple[schema.Field, ...] = (
    schema.Field("id", schema.identifier, "a stable kebab-case id; stored answers are keyed by "
                 "it, so never rename one", required=True),
    schema.Field("tier", schema.Choice(TIER_NAMES), "what a yes means, worst first: "
                 + " > ".join(TIER_NAMES), required=True),
    schema.Field("ask", _Asking(), "the question in plain words, answerable yes or no",
                 required=True),
    schema.Field("why", schema.Text(), "one calm sentence shown with the outcome, saying why "
                 "this answer matters", required=True),
    schema.Field("label", schema.Text(80), "clearance only: the condition as it reads inside a "
                 "sentence (a hip replacement)", default=Question.label),
    schema.Field("sets", schema.ListOf(schema.Choice(CONTRAINDICATIONS), non_empty=True,
                                         unique=True),
                 "clearance only: the contraindication tags a yes sets", default=Question.sets),
)


class _QuestionEntry(schema.Check):
    """One question of the file: its fields, then the rule across them."""

    def __init__(self) -> None:
        self.entry = schema.MappingOf(QUESTION_FIELDS, "question", (_clearance_only,))

    def __call__(self, node: yaml.Node, out: schema.Collector) -> Question:
        given = {**schema.defaults(QUESTION_FIELDS), **self.entry(node, out)}
        return Question(id=given["id"], tier=Tier.parse(given["tier"]), ask=given["ask"],
                        why=given["why"], label=given["label"], sets=given["sets"])

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
                                 f"'{_tier_name(question.tier)}' question comes after a "
                                 f"'{_tier_name(last)}' one", where)
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


@functools.cache
def load_questions() -> tuple[Question, ...]:
    """The packaged red-flag questions, worst tier first. User files cannot replace them."""
    text = resources.files("backcoach.safety").joinpath(QUESTIONS_FILE).read_text("utf-8")
    # compose() uses libyaml when present: the pure-Python one takes ~8 ms of every start.
    questions, problems = read_questions(text)
    if problems:  # a packaging bug, never a user's doing
        raise RuntimeError(f"{QUESTIONS_PATH} is broken:\n" + "\n".join(map(str, problems)))
    return questions


def clearance_gate(questions: Sequence[Question]) -> str:
    """One question that lists every clearance condition; "no" answers them all at once."""
    labels = [q.label for q in questions if q.tier is Tier.CLEARANCE]
    return f"Do you have any of these: {_join(labels, 'or')}?"


# --- outcomes -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScreenOutcome:
    """What a set of answers means: the worst tier, the yes answers, the tags, what to do now."""

    tier: Tier
    triggered: tuple[Question, ...]
    tags: frozenset[str]
    message: tuple[str, ...]

    @property
    def blocks(self) -> bool:
        """True when no session may start."""
        return blocks_session(self.tier)


def evaluate(answers: Mapping[str, bool],
             questions: Sequence[Question] | None = None) -> ScreenOutcome:
    """Turn yes/no answers (by question id) into an outcome; unanswered questions count as no."""
    known = load_questions() if questions is None else questions
    triggered = tuple(q for q in known if answers.get(q.id) is True)
    tier = max((q.tier for q in triggered), default=Tier.OK)
    tags = frozenset(tag for q in triggered for tag in q.sets)
    return ScreenOutcome(tier, triggered, tags, outcome_message(tier, triggered))


def outcome_message(tier: Tier, triggered: Sequence[Question]) -> tuple[str, ...]:
    """What to do now, in order, for a tier and the questions answered yes."""
    worst = [q.why for q in triggered if q.tier == tier]
    clearance = [q for q in triggered if q.tier is Tier.CLEARANCE]
    if tier is Tier.EMERGENCY:
        return ("Call emergency services or go to an emergency department now.", *worst,
                "Do not do any exercises today.", _RESCREEN_LINE)
    if tier is Tier.URGENT:
        return ("Get medical advice today: call your doctor's surgery, an urgent care service or "
                "a health helpline.", *worst, "Please don't exercise today.", _RESCREEN_LINE)
    lines: list[str] = []
    if tier is Tier.SEE_SOON:
        lines += ["Arrange to see a doctor or physiotherapist soon.", *worst,
                  "You can keep exercising gently in the meantime. Stop any exercise that makes "
                  "pain, tingling or numbness spread further into a leg or arm."]
    if clearance:
        lines += _clearance_lines(clearance)
    if tier is Tier.OK:
        lines += ["None of the warning signs apply, so you're clear to exercise.",
                  "If new symptoms appear, stop and run `backcoach screen` again."]
    return tuple(lines)


_RESCREEN_LINE = ("backcoach won't start a session until you answer the questions again with "
                  "`backcoach screen` once things have changed.")


def _clearance_lines(questions: Sequence[Question]) -> list[str]:
    labels = _join([q.label for q in questions])
    return [f"Exercises not advised with {labels} are left out of your sessions; "
            "`backcoach show ID` lists the conditions each exercise is not advised with.",
            "Check with your doctor or physiotherapist that these stretches suit you. If your "
            "situation changes, answer the questions again with `backcoach screen`."]


def blocked_message(tier: Tier, taken_at: datetime | None = None) -> str:
    """The one-paragraph SafetyStop text: what to do now, and how re-screening clears it."""
    when = f" on {taken_at:%d %b %Y}" if taken_at is not None else ""
    action = ("Call emergency services or go to an emergency department now"
              if tier is Tier.EMERGENCY else "Get medical advice today")
    return (f"no session today: your safety check{when} found a reason to get medical help "
            f"before exercising. {action}. Once things have changed, run `backcoach screen` "
            "again to clear this.")


def needs_rescreen(last: ScreenRecord | None, now: datetime,
                   days: int = RESCREEN_DAYS) -> bool:
    """True when there is no screen yet or the last one is more than `days` days old."""
    if last is None:
        return True
    return _as_utc(now) - _as_utc(last.taken_at) > timedelta(days=days)


def record_tier(record: ScreenRecord) -> Tier:
    """A stored screen's tier: the worse of what was stored and what its answers mean now."""
    try:
        stored = Tier.parse(record.tier)
    except ValueError:
        stored = Tier.OK
    return max(stored, evaluate(record.answers).tier)


def _as_utc(moment: datetime) -> datetime:
    # Stored times are UTC; a naive one is taken to be UTC rather than failing the comparison.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# --- clearance ----------------------------------------------------------------------------------

TAG_LABELS = {
    "osteoporosis": "osteoporosis",
    "spinal-fracture": "a spinal fracture",
    "hip-replacement": "a hip replacement",
    "recent-surgery": "recent surgery",
    "pregnancy": "pregnancy",
    "heart-condition": "a heart condition",
    "shoulder-problem": "a shoulder problem",
    "knee-problem": "a knee problem",
}


def hide_reason(exercise: Exercise, tags: Iterable[str]) -> str | None:
    """Why this exercise is left out for these clearance tags, or None when it is not."""
    wanted = set(tags)
    matched = [tag for tag in exercise.contraindications if tag in wanted]
    if not matched:
        return None
    labels = _join([TAG_LABELS.get(tag, tag.replace("-", " ")) for tag in matched])
    return (f"not advised with {labels} (from your safety answers); ask your doctor "
            "or physiotherapist before doing it")


def hidden_exercises(exercises: Iterable[Exercise], tags: Iterable[str]) -> dict[str, str]:
    """Exercises a set of clearance tags hides, by id, with the reason for each."""
    wanted = frozenset(tags)
    hidden = {}
    for exercise in exercises:
        reason = hide_reason(exercise, wanted)
        if reason is not None:
            hidden[exercise.id] = reason
    return hidden


# --- the first-run statement --------------------------------------------------------------------

DISCLAIMER_VERSION = "1"
DISCLAIMER = (
    "backcoach gives general information about stretches for back and neck pain. It does not "
    "diagnose or treat anything, and it does not replace a doctor or physiotherapist.",
    "Get medical help instead of exercising if you have new numbness around your groin or "
    "bottom, new bladder or bowel trouble, weakness in your legs, chest pain, a fever, or pain "
    "that started with a serious fall or accident. The questions that follow check for these.",
    "Stretch to a mild pull, never into sharp pain, and stop if pain, tingling or numbness "
    "spreads into a leg or arm.",
)


def _join(items: Sequence[str], word: str = "and") -> str:
    """`a`, `a and b`, `a, b and c` (or `a, b or c`)."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {word} " + items[-1]
