"""The red-flag screen: the questions (packaged data), what the answers mean, and clearance. Pure.

Nothing here reads the clock, the terminal or the history: answers and dates come in as
arguments. The one read is the packaged question list, which ships inside backcoach and is never
taken from user files.

Clinical basis: the project's clinical content brief, section 3 (red flags after NICE NG59 and
NHS advice).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from importlib import resources
from typing import Any

import yaml

from backcoach.library.model import CONTRAINDICATIONS, Exercise
from backcoach.session.result import ScreenRecord

RESCREEN_DAYS = 30

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


_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_QUESTION_KEYS = {"id", "tier", "ask", "why", "label", "sets"}


def question_problems(data: Any) -> list[str]:
    """Every structural problem of the parsed question file; empty when it is sound."""
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        return ["the file must be a mapping with a 'questions' list"]
    problems: list[str] = []
    seen: set[str] = set()
    last_tier = Tier.EMERGENCY
    for index, item in enumerate(data["questions"], start=1):
        problems.extend(f"question {index}: {p}" for p in _item_problems(item, seen))
        if isinstance(item, dict) and isinstance(item.get("tier"), str):
            try:
                tier = Tier.parse(item["tier"])
            except ValueError:
                continue
            if tier > last_tier:
                problems.append(f"question {index}: questions must go from the worst tier down")
            last_tier = tier
    return problems


def _item_problems(item: Any, seen: set[str]) -> list[str]:
    if not isinstance(item, dict):
        return ["must be a mapping"]
    problems = [f"unknown key '{key}'" for key in item if key not in _QUESTION_KEYS]
    for key in ("id", "tier", "ask", "why"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            problems.append(f"'{key}' must be non-empty text")
    ident = item.get("id")
    if isinstance(ident, str):
        if not _ID.match(ident):
            problems.append(f"id '{ident}' must be lower-case words joined by hyphens")
        if ident in seen:
            problems.append(f"id '{ident}' is used twice")
        seen.add(ident)
    if isinstance(item.get("ask"), str) and not item["ask"].rstrip().endswith(("?", "?)")):
        problems.append("'ask' must be a question")
    if isinstance(item.get("tier"), str):
        problems.extend(_tier_problems(item))
    return problems


def _tier_problems(item: dict[str, Any]) -> list[str]:
    try:
        tier = Tier.parse(item["tier"])
    except ValueError:
        return [f"unknown tier '{item['tier']}'"]
    if tier is Tier.OK:
        return ["tier 'ok' is the outcome of all-no, not a question's tier"]
    if tier is not Tier.CLEARANCE:
        return ["only clearance questions set tags"] if "sets" in item or "label" in item else []
    sets = item.get("sets")
    problems = []
    if not isinstance(item.get("label"), str) or not item["label"].strip():
        problems.append("a clearance question needs a 'label'")
    if not isinstance(sets, list) or not sets:
        problems.append("a clearance question must set at least one tag")
    else:
        problems.extend(f"unknown tag '{tag}'" for tag in sets if tag not in CONTRAINDICATIONS)
    return problems


@functools.cache
def load_questions() -> tuple[Question, ...]:
    """The packaged red-flag questions, worst tier first. User files cannot replace them."""
    text = resources.files("backcoach.safety").joinpath("red_flags.yaml").read_text("utf-8")
    # libyaml when present: the pure-Python loader takes ~8 ms of every session's start.
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    problems = question_problems(data)
    if problems:  # a packaging bug, never a user's doing
        raise RuntimeError("backcoach/safety/red_flags.yaml is broken: " + "; ".join(problems))
    return tuple(Question(id=item["id"], tier=Tier.parse(item["tier"]), ask=item["ask"].strip(),
                          why=item["why"].strip(), label=item.get("label", ""),
                          sets=tuple(item.get("sets", ())))
                 for item in data["questions"])


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
