"""The red-flag screen: the questions (packaged data), what the answers mean, and clearance. Pure.

Nothing here reads the clock, the terminal or the history: answers and dates come in as
arguments. The one read is the packaged question list, which ships inside backcoach and is never
taken from user files.

Clinical basis: the project's clinical content brief, section 3 (red flags after NICE NG59 and
NHS advice).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from backcoach.library.model import Exercise, Routine
from backcoach.library.settings import RESCREEN_DAYS
from backcoach.safety.wording import regions_words
from backcoach.session.safety_record import NONE_CLEARED, ScreenRecord

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog


class Tier(IntEnum):
    """What a screen found, from fine to act-now; the worst answer wins."""

    OK = 0
    CLEARANCE = 1
    SEE_SOON = 2
    WAIT = 3  # no session until a clinician says exercise is fine (after an operation)
    URGENT = 4
    EMERGENCY = 5

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
    Tier.WAIT: "wait for a clinician's OK",
    Tier.URGENT: "get medical advice today",
    Tier.EMERGENCY: "emergency",
}


def blocks_session(tier: Tier) -> bool:
    """True when no session may start: EMERGENCY, URGENT and WAIT."""
    return tier >= Tier.WAIT


# --- the questions ------------------------------------------------------------------------------

class Question(NamedTuple):
    """One yes/no red-flag question; `sets` are the contraindication tags a CLEARANCE yes sets
    (only when `only_if`, asked next, is yes too); an urgent question with `regions` leaves out
    the exercises loading them instead of stopping every session; a `clearable` one can be
    cleared by a doctor's or physiotherapist's OK, kept with its date."""

    id: str
    tier: Tier
    ask: str
    why: str
    label: str = ""
    sets: tuple[str, ...] = ()
    only_if: str = ""
    regions: tuple[str, ...] = ()
    clearable: bool = False

    @property
    def follow_up_key(self) -> str:
        """Where the answer to `only_if` is kept among a screen's answers."""
        return f"{self.id}:{ONLY_IF_SUFFIX}"

    @property
    def session_tier(self) -> Tier:
        """What a yes means for the session as a whole: a question for some regions acts by
        leaving their exercises out, like a clearance, not by stopping every session."""
        return Tier.CLEARANCE if self.regions else self.tier


ONLY_IF_SUFFIX = "only-if"
CLEARANCE_QUESTION = ("Has a doctor or physiotherapist checked this and said exercise is fine "
                      "for you?")


# --- the question file: a field table, read on YAML nodes like the exercise files -------------

def tier_name(tier: Tier) -> str:
    return tier.name.lower().replace("_", "-")


QUESTIONS_FILE = "red_flags.yaml"
QUESTIONS_PATH = f"backcoach/safety/{QUESTIONS_FILE}"  # as named in problems
# The file itself, beside this module: the cache keys on its path, so it is a file in any
# install (importlib.resources would cost a few milliseconds of start-up to import).
QUESTIONS_SOURCE = Path(__file__).with_name(QUESTIONS_FILE)
# The tiers a question can have, worst first; OK is the outcome of all-no, not a question's tier.
TIER_NAMES = tuple(tier_name(tier) for tier in sorted(Tier, reverse=True) if tier is not Tier.OK)


@functools.cache
def load_questions() -> tuple[Question, ...]:
    """The packaged red-flag questions, worst tier first. User files cannot replace them.

    Parsed and checked once (`questions_file`), then read from the cache until the file or
    backcoach changes.
    """
    from backcoach.library.cache import remember

    source = QUESTIONS_SOURCE

    def build() -> tuple[Question, ...]:
        from backcoach.safety.questions_file import read_questions

        questions, problems = read_questions(source.read_text(encoding="utf-8"))
        if problems:  # a packaging bug, never a user's doing
            raise RuntimeError(f"{QUESTIONS_PATH} is broken:\n"
                               + "\n".join(map(str, problems)))
        return questions

    return tuple(remember("red-flags", [source], build, (Question, Tier),
                          fits=lambda value: isinstance(value, tuple) and bool(value)
                          and all(isinstance(item, Question) for item in value)))


def clearance_gate(questions: Sequence[Question]) -> str:
    """One question that lists every clearance condition; "no" answers them all at once."""
    labels = [q.label for q in questions if q.tier is Tier.CLEARANCE]
    return f"Do you have any of these: {_join(labels, 'or')}?"


# --- outcomes -----------------------------------------------------------------------------------

class ScreenOutcome(NamedTuple):
    """What a set of answers means: the worst tier, the yes answers, what they leave out, and
    what to do now.

    `triggered` are the questions answered yes; `acting` those of them that still act (not
    cleared by a clinician, not narrowed away by their `only_if`); `cleared` the clearances
    in force, by question id, with the date each was recorded.
    """

    tier: Tier
    triggered: tuple[Question, ...]
    tags: frozenset[str]
    message: tuple[str, ...]
    acting: tuple[Question, ...] = ()
    regions: frozenset[str] = frozenset()
    cleared: Mapping[str, datetime] = NONE_CLEARED

    @property
    def blocks(self) -> bool:
        """True when no session may start."""
        return blocks_session(self.tier)


def acts(question: Question, answers: Mapping[str, bool],
         cleared: Mapping[str, datetime]) -> bool:
    """Whether a yes to this question still acts: not cleared, and (for one with `only_if`)
    the follow-up was not answered no. A follow-up never asked counts as yes: the cautious
    reading of a screen stored before it existed."""
    if answers.get(question.id) is not True:
        return False
    if question.clearable and question.id in cleared:
        return False
    return not (question.only_if and answers.get(question.follow_up_key) is False)


def evaluate(answers: Mapping[str, bool], questions: Sequence[Question] | None = None,
             cleared: Mapping[str, datetime] | None = None,
             exercises: Iterable[Exercise] | None = None) -> ScreenOutcome:
    """Turn yes/no answers (by question id) into an outcome; unanswered questions count as no.

    `cleared`: clearances in force, by question id. `exercises`, when given, let the message
    name what the answers leave out (and say so when nothing is).
    """
    known = load_questions() if questions is None else questions
    cleared = dict(cleared or {})
    triggered = tuple(q for q in known if answers.get(q.id) is True)
    acting = tuple(q for q in triggered if acts(q, answers, cleared))
    tier = max((q.session_tier for q in acting), default=Tier.OK)
    tags = frozenset(tag for q in acting for tag in q.sets)
    regions = frozenset(region for q in acting for region in q.regions)
    message = outcome_message(tier, triggered, acting, cleared,
                              None if exercises is None else list(exercises))
    return ScreenOutcome(tier, triggered, tags, message, acting, regions,
                         {k: v for k, v in cleared.items() if answers.get(k) is True})


def outcome_message(tier: Tier, triggered: Sequence[Question], acting: Sequence[Question],
                    cleared: Mapping[str, datetime],
                    exercises: Sequence[Exercise] | None = None) -> tuple[str, ...]:
    """What to do now, in order, for a tier and the questions answered yes."""
    worst = [q for q in acting if q.session_tier == tier]
    whys = [q.why for q in worst]
    if tier is Tier.EMERGENCY:
        return ("Call emergency services or go to an emergency department now.", *whys,
                "Do not do any exercises today.", _RESCREEN_LINE)
    if tier is Tier.URGENT:
        return ("Get medical advice today: call your doctor's surgery, an urgent care service or "
                "a health helpline.", *whys, "Please don't exercise today.",
                *_clearable_line(worst), _RESCREEN_LINE)
    if tier is Tier.WAIT:
        return ("Please wait until your surgical team, doctor or physiotherapist says you can "
                "exercise.", *whys, "backcoach won't start a session until then: once you "
                "have their OK, answer the questions again with `backcoach screen`.")
    lines: list[str] = []
    if tier is Tier.SEE_SOON:
        lines += ["Arrange to see a doctor or physiotherapist soon.", *whys,
                  "You can keep exercising gently in the meantime. Stop any exercise that makes "
                  "pain, tingling or numbness spread further into a leg or arm."]
    for question in acting:
        if question.regions:
            where = regions_words(question.regions)
            lines += [f"Get medical advice before doing any {where} exercises. {question.why}",
                      f"Exercises that load the {where} are left out of your sessions until "
                      "then.", *_clearable_line([question])]
    lines += clearance_lines(triggered, acting, exercises)
    for question in triggered:
        if question.id in cleared and question.clearable:
            lines.append(f"You said on {cleared[question.id]:%d %b %Y} that a doctor or "
                         f"physiotherapist checked {question.label} and said exercise is fine, "
                         "so it does not stop your sessions.")
    if tier is Tier.OK:
        lines += ["None of the warning signs apply, so you're clear to exercise."
                  if not triggered else "Nothing in your answers stops you exercising.",
                  "If new symptoms appear, stop and run `backcoach screen` again."]
    elif any(q.tier is Tier.CLEARANCE for q in triggered):
        lines.append("If your situation changes, answer the questions again with "
                     "`backcoach screen`.")
    return tuple(lines)


_RESCREEN_LINE = ("backcoach won't start a session until you answer the questions again with "
                  "`backcoach screen` once things have changed.")


def _clearable_line(questions: Sequence[Question]) -> list[str]:
    if not any(q.clearable for q in questions):
        return []
    return ["If a doctor or physiotherapist has checked this and said exercise is fine, run "
            "`backcoach screen` again and say so."]


def clearance_lines(triggered: Sequence[Question], acting: Sequence[Question],
                    exercises: Sequence[Exercise] | None = None) -> list[str]:
    """For each clearance condition answered yes: what it leaves out and why, or that it
    leaves out nothing. Without `exercises`, what is left out is not named."""
    lines = []
    for question in triggered:
        if question.tier is not Tier.CLEARANCE:
            continue
        if question not in acting:  # narrowed away by its follow-up (early pregnancy)
            lines.append(f"Nothing is left out for {question.label} yet. {question.why} "
                         "Answer the questions again with `backcoach screen` when that "
                         "changes.")
            continue
        if exercises is None:
            lines.append(f"Exercises not advised with {question.label} are left out of your "
                         f"sessions. {question.why}")
            continue
        names = [e.name for e in exercises if set(e.contraindications) & set(question.sets)]
        if names:
            lines.append(f"Left out for {question.label}: {_join(names)}. {question.why}")
        else:
            lines.append(f"Nothing is left out for {question.label}. {question.why}")
    return lines


def blocked_message(tier: Tier, taken_at: datetime | None = None,
                    triggered: Sequence[Question] = ()) -> str:
    """The one-paragraph SafetyStop text: what to do now, and how re-screening clears it."""
    when = f" on {taken_at:%d %b %Y}" if taken_at is not None else ""
    if tier is Tier.WAIT:
        return (f"no session yet: your safety check{when} found you are waiting for the OK "
                "to exercise after an operation. Once your surgical team, doctor or "
                "physiotherapist has said you can, run `backcoach screen` again.")
    action = ("Call emergency services or go to an emergency department now"
              if tier is Tier.EMERGENCY else "Get medical advice today")
    cleared = (" If a doctor or physiotherapist has already checked it and said exercise is "
               "fine, run `backcoach screen` again and say so."
               if any(q.clearable and q.tier is tier for q in triggered) else "")
    return (f"no session today: your safety check{when} found a reason to get medical help "
            f"before exercising. {action}. Once things have changed, run `backcoach screen` "
            f"again to clear this.{cleared}")


def needs_rescreen(last: ScreenRecord | None, now: datetime,
                   days: int = RESCREEN_DAYS) -> bool:
    """True when there is no screen yet or the last one is more than `days` days old."""
    if last is None:
        return True
    return _as_utc(now) - _as_utc(last.taken_at) > timedelta(days=days)


def record_outcome(record: ScreenRecord, exercises: Iterable[Exercise] | None = None
                   ) -> ScreenOutcome:
    """What a stored screen means today, with the clearances kept with it."""
    return evaluate(record.answers, cleared=record.cleared, exercises=exercises)


def record_tier(record: ScreenRecord) -> Tier:
    """A stored screen's tier: the worse of what was stored and what its answers mean now."""
    try:
        stored = Tier.parse(record.tier)
    except ValueError:
        stored = Tier.OK
    return max(stored, record_outcome(record).tier)


def _as_utc(moment: datetime) -> datetime:
    # Stored times are UTC; a naive one is taken to be UTC rather than failing the comparison.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# --- clearance ----------------------------------------------------------------------------------

TAG_LABELS = {
    "osteoporosis": "osteoporosis",
    "spinal-fracture": "a spinal fracture",
    "hip-replacement": "a hip replacement",
    "recent-surgery": "recent surgery",
    "pregnancy": "pregnancy after the first trimester",
    "heart-condition": "a heart condition",
    "shoulder-problem": "a shoulder problem",
    "knee-problem": "a knee problem",
}


def hide_reason(exercise: Exercise, tags: Iterable[str],
                regions: Iterable[str] = ()) -> str | None:
    """Why this exercise is left out for these clearance tags (or regions that wait for a
    clinician's OK), or None when it is not."""
    wanted = set(tags)
    matched = [tag for tag in exercise.contraindications if tag in wanted]
    if matched:
        labels = _join([TAG_LABELS.get(tag, tag.replace("-", " ")) for tag in matched])
        return (f"not advised with {labels} (from your safety answers); ask your doctor "
                "or physiotherapist before doing it")
    waiting = sorted(exercise.loads & set(regions))
    if waiting:
        return (f"it loads the {regions_words(waiting)}, which your safety answers say a "
                "doctor or physiotherapist should check first")
    return None


def hidden_exercises(exercises: Iterable[Exercise], tags: Iterable[str],
                     regions: Iterable[str] = ()) -> dict[str, str]:
    """Exercises a set of clearance tags (and regions waiting for an OK) hides, by id, with
    the reason for each."""
    wanted, waiting = frozenset(tags), frozenset(regions)
    hidden = {}
    for exercise in exercises:
        reason = hide_reason(exercise, wanted, waiting)
        if reason is not None:
            hidden[exercise.id] = reason
    return hidden


# --- the questions as documentation -------------------------------------------------------------

def _what_a_yes_does(question: Question, exercises: Sequence[Exercise]) -> str:
    lifted = ("; a doctor's or physiotherapist's OK, asked next, is kept with its date and "
              "lifts it" if question.clearable else "")
    if question.tier is Tier.EMERGENCY:
        return "emergency: call emergency services now; no session"
    if question.tier is Tier.URGENT and question.regions:
        return (f"urgent for the {regions_words(question.regions)}: its exercises are "
                f"left out until checked{lifted}")
    if question.tier is Tier.URGENT:
        return f"urgent: get medical advice today; no session{lifted}"
    if question.tier is Tier.WAIT:
        return "no session until your surgical team, doctor or physiotherapist says you can"
    if question.tier is Tier.SEE_SOON:
        return "see a doctor or physiotherapist soon; sessions go on"
    names = [e.id for e in exercises if set(e.contraindications) & set(question.sets)]
    left = f"leaves out {', '.join(f'`{n}`' for n in names)}" if names else \
        "leaves out nothing, and says so"
    return f"asks next: *{question.only_if}* Only a yes {left}" if question.only_if else left


def reference_markdown(exercises: Iterable[Exercise]) -> str:
    """The screen as a Markdown table, in the order asked: each question and what a yes does,
    with the built-in exercises each condition leaves out (README embeds it verbatim)."""
    known = list(exercises)
    rows = ["| # | question | a yes |", "|---|---|---|"]
    main = [q for q in load_questions() if q.tier is not Tier.CLEARANCE]
    for number, question in enumerate(main, start=1):
        rows.append(f"| {number} | {question.ask} | {_what_a_yes_does(question, known)} |")
    conditions = [q for q in load_questions() if q.tier is Tier.CLEARANCE]
    rows.append(f"| {len(main) + 1} | {clearance_gate(conditions)} | each is then asked on "
                "its own: |")
    for question in conditions:
        rows.append(f"| | {question.ask} | {_what_a_yes_does(question, known)} |")
    return "\n".join(rows) + "\n"


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


# --- outside a session: what the last screen means (`show`, `run`) ------------------------------

def screen_outcome(last: ScreenRecord | None) -> ScreenOutcome:
    """What the last screen means today (all clear when there is none)."""
    return evaluate({}) if last is None else record_outcome(last)


def left_out(definition: Exercise | Routine, catalog: Catalog,
             last: ScreenRecord | None) -> dict[str, str]:
    """Which exercises of an exercise or routine sessions leave out after the last screen's
    answers (its clearance tags, and regions waiting for a clinician's OK), and why."""
    from backcoach.library.catalog import routine_entries

    outcome = screen_outcome(last)
    exercises = ([exercise for exercise, _ in routine_entries(definition, catalog)]
                 if isinstance(definition, Routine) else [definition])
    return hidden_exercises(exercises, outcome.tags, outcome.regions)
