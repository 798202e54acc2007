"""Safety, interactively: the first-run statement, the red-flag screen, the pre-session check.

The rules live in `safety` (pure). This module asks the questions and records the answers, through
two small protocols so that tests need neither a terminal nor a database: a `Prompter` (say, ask
yes/no, ask a number) and a `SafetyStore` (consent and screen records).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, TextIO

from backcoach.errors import BackcoachError, BadInput, SafetyStop
from backcoach.library.config import RESCREEN_DAYS
from backcoach.safety import redflags, rules
from backcoach.safety.redflags import Question, ScreenOutcome, Tier
from backcoach.session.result import ScreenRecord

if TYPE_CHECKING:
    from backcoach.library.catalog import Catalog
    from backcoach.library.model import Exercise, Routine
    from backcoach.session.plan import Step
    from backcoach.session.runner import Assess, HurtDecision

NEED_TERMINAL = ("the safety questions need your answers: run `backcoach screen` in a terminal, "
                 "or `backcoach screen --clear` if none of the warning signs apply to you")
SYMPTOMS_QUESTION = "Any new or changed symptoms since last time?"
PAIN_QUESTION = "How much does it hurt right now, from 0 (no pain) to 10 (the worst imaginable)?"
CONSENT_QUESTION = "Do you understand this and want to continue?"


class Prompter(Protocol):
    """Where questions are asked and messages shown."""

    @property
    def interactive(self) -> bool:
        """True when a person can answer (a terminal, or a test script)."""
        ...

    def say(self, text: str) -> None:
        """Show a line of text."""

    def ask_yes_no(self, question: str) -> bool:
        """Ask until the answer is yes or no."""
        ...

    def ask_number(self, question: str, low: int, high: int) -> int:
        """Ask until the answer is a whole number from low to high."""
        ...


class SafetyStore(Protocol):
    """Where consent and screens are kept (the history store implements this)."""

    def consent_accepted_at(self) -> datetime | None:
        """When the first-run statement was accepted, or None."""
        ...

    def record_consent(self, at: datetime) -> None:
        """Record that the first-run statement was accepted."""

    def last_screen(self) -> ScreenRecord | None:
        """The most recent screen, or None."""
        ...

    def record_screen(self, record: ScreenRecord) -> None:
        """Keep one screen."""


class MemorySafetyStore:
    """A SafetyStore in memory: for tests, and for a session whose history file is unusable."""

    def __init__(self, consent: datetime | None = None,
                 screens: Iterable[ScreenRecord] = ()) -> None:
        self.consent = consent
        self.screens = list(screens)

    def consent_accepted_at(self) -> datetime | None:
        """When the statement was accepted, or None."""
        return self.consent

    def record_consent(self, at: datetime) -> None:
        """Keep the acceptance time."""
        self.consent = at

    def last_screen(self) -> ScreenRecord | None:
        """The latest screen kept, or None."""
        return max(self.screens, key=lambda record: record.taken_at, default=None)

    def record_screen(self, record: ScreenRecord) -> None:
        """Keep one screen."""
        self.screens.append(record)


# --- prompters ----------------------------------------------------------------------------------

_YES = {"y", "yes"}
_NO = {"n", "no"}


class ConsolePrompter:
    """Writes plain text to a text stream (stdout by default) and reads whole lines from another
    (stdin by default).

    Long lines are word-wrapped to the terminal's width exactly as rich wrapped them when it
    printed these prompts, so the statement reads the same.
    """

    def __init__(self, out: TextIO | None = None, stream: TextIO | None = None,
                 interactive: bool | None = None) -> None:
        self._out = out
        self.stream = stream if stream is not None else sys.stdin
        self._interactive = (interactive if interactive is not None
                             else _is_tty(self.stream))

    @property
    def out(self) -> TextIO:
        """Where text goes; looked up at each write, so a swapped sys.stdout is followed."""
        return self._out if self._out is not None else sys.stdout

    @property
    def interactive(self) -> bool:
        """True when reading from a terminal (or when told so)."""
        return self._interactive

    def say(self, text: str) -> None:
        """Print a line, word-wrapped to the terminal's width; nothing in it is markup."""
        self._write(text, "\n")

    def ask_yes_no(self, question: str) -> bool:
        """Ask until the reply is y, yes, n or no."""
        while True:
            reply = self._read(f"{question} [y/n]").lower()
            if reply in _YES or reply in _NO:
                return reply in _YES
            self.say("Please type y for yes or n for no.")

    def ask_number(self, question: str, low: int, high: int) -> int:
        """Ask until the reply is a whole number from low to high."""
        while True:
            reply = self._read(f"{question} [{low}-{high}]")
            if reply.isdigit() and low <= int(reply) <= high:
                return int(reply)
            self.say(f"Please type a whole number from {low} to {high}.")

    def _write(self, text: str, end: str) -> None:
        out = self.out
        out.write("\n".join(wrap(text, _columns(out))) + end)
        out.flush()

    def _read(self, prompt: str) -> str:
        self._write(prompt, " ")
        line = self.stream.readline()
        if not line:
            self._write("", "\n")
            raise BadInput(f"input ended before an answer was given; {NEED_TERMINAL}")
        return line.strip()


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _columns(out: TextIO) -> int:
    """The width to wrap at, found as rich finds it (the prompts were printed with rich, and
    read the same): 80 on a dumb terminal, else $COLUMNS, else the size of the terminal on
    stdin, stdout or stderr (output piped at a terminal still wraps to it), else 80."""
    if os.environ.get("TERM", "").lower() in ("dumb", "unknown") and _is_tty(out):
        return 80
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            return os.get_terminal_size(descriptor).columns or 80
        except (AttributeError, ValueError, OSError):  # not a terminal
            continue
    return 80


def _cells(text: str) -> int:
    """How many terminal cells the text takes: wide characters two, combining marks none."""
    return sum(0 if unicodedata.combining(char) else
               2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


_WORD = re.compile(r"\s*\S+\s*")  # a word with the spaces around it, as rich splits lines


def wrap(text: str, width: int) -> list[str]:
    """Break text into lines of at most `width` cells at spaces, the way rich does: a space
    before a break stays at the end of its line, and a word wider than a line is cut.

    Checked against rich in tests/safety/test_flow.py (tabs, wide characters and combining
    marks included); control characters, which rich drops, are kept.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = _expand_tabs(paragraph)
        current, used = "", 0
        for word in _WORD.findall(paragraph) or [paragraph]:
            size = _cells(word.rstrip())
            if size <= width - used:
                current, used = current + word, used + _cells(word)
                continue
            if current:
                lines.append(current)
            if size > width:  # a word wider than a line is cut into pieces that fit
                *whole, word = _chop(word, width)
                lines.extend(whole)
            current, used = word, _cells(word)
        lines.append(current)
    return [_trim(line, width) for line in lines]


def _expand_tabs(line: str) -> str:
    """Tabs as spaces to the next multiple of 8 cells."""
    if "\t" not in line:
        return line
    out, column = [], 0
    for char in line:
        if char == "\t":
            char = " " * (8 - column % 8)
        out.append(char)
        column += _cells(char)
    return "".join(out)


def _chop(text: str, width: int) -> list[str]:
    """Text cut into pieces of at most `width` cells (at least one character each)."""
    pieces, piece, used = [], "", 0
    for char in text:
        size = _cells(char)
        if piece and used + size > width:
            pieces.append(piece)
            piece, used = "", 0
        piece, used = piece + char, used + size
    return [*pieces, piece]


def _trim(line: str, width: int) -> str:
    """Trailing spaces past the width are dropped; those within it stay, as rich leaves them.

    Like rich, the first cut counts characters, not cells, and then spaces still past the
    width in cells (after wide characters) go too.
    """
    excess = len(line) - width
    if excess > 0:
        spaces = len(line) - len(line.rstrip())
        line = line[:len(line) - min(spaces, excess)]
    while _cells(line) > width and line[-1:].isspace():
        line = line[:-1]
    return line


# --- consent ------------------------------------------------------------------------------------

def show_disclaimer(prompter: Prompter) -> None:
    """Show the first-run statement."""
    prompter.say(f"Before you start (statement version {redflags.DISCLAIMER_VERSION}):")
    for paragraph in redflags.DISCLAIMER:
        prompter.say("")
        prompter.say(paragraph)
    prompter.say("")


def ensure_consent(prompter: Prompter, store: SafetyStore, now: datetime) -> datetime:
    """Show the first-run statement once and record its acceptance; return when it was accepted.

    Declining ends the command (exit 1) with nothing started.
    """
    accepted = store.consent_accepted_at()
    if accepted is not None:
        return accepted
    if not prompter.interactive:
        raise BadInput(NEED_TERMINAL)
    show_disclaimer(prompter)
    if not prompter.ask_yes_no(CONSENT_QUESTION):
        raise BackcoachError("you chose not to continue, so nothing has started. backcoach "
                             "will show this statement again next time. For advice about your "
                             "pain, a GP or physiotherapist is a good place to start.")
    store.record_consent(now)
    return now


# --- the screen ---------------------------------------------------------------------------------

def ask_questions(prompter: Prompter,
                  questions: Sequence[Question] | None = None) -> dict[str, bool]:
    """Ask the red-flag questions, worst tier first; answers by question id.

    The asking stops at the first answer that blocks a session: nothing after it can change
    what to do now. The clearance conditions are asked as one question first, and one by one
    only when some apply.
    """
    known = redflags.load_questions() if questions is None else questions
    main = [q for q in known if q.tier is not Tier.CLEARANCE]
    clearance = [q for q in known if q.tier is Tier.CLEARANCE]
    total = len(main) + (1 if clearance else 0)
    answers: dict[str, bool] = {}
    for number, question in enumerate(main, start=1):
        answers[question.id] = prompter.ask_yes_no(f"({number} of {total}) {question.ask}")
        if answers[question.id] and redflags.blocks_session(question.tier):
            return answers
    if clearance:
        some = prompter.ask_yes_no(f"({total} of {total}) {redflags.clearance_gate(clearance)}")
        for question in clearance:
            answers[question.id] = some and prompter.ask_yes_no(question.ask)
    return answers


def run_screen(prompter: Prompter, store: SafetyStore, now: datetime,
               questions: Sequence[Question] | None = None) -> ScreenOutcome:
    """Ask every question, record the screen and show what to do now."""
    if not prompter.interactive:
        raise BadInput(NEED_TERMINAL)
    prompter.say("Safety check: a few yes/no questions about warning signs that need a doctor "
                 "rather than stretches. Type y or n, then Enter.")
    answers = ask_questions(prompter, questions)
    outcome = redflags.evaluate(answers, questions)
    store.record_screen(ScreenRecord(taken_at=now, tier=outcome.tier.name, answers=answers))
    show_outcome(prompter, outcome)
    return outcome


def show_outcome(prompter: Prompter, outcome: ScreenOutcome) -> None:
    """Show an outcome's lines, set apart by a blank line."""
    prompter.say("")
    for line in outcome.message:
        prompter.say(line)


def clear_screen(store: SafetyStore, now: datetime,
                 prompter: Prompter | None = None) -> ScreenOutcome:
    """Record "none of these" for every question without asking (`screen --clear`).

    Saying so also accepts the first-run statement when it has not been accepted yet; the
    statement is shown through `prompter` when one is given.
    """
    if store.consent_accepted_at() is None:
        if prompter is not None:
            show_disclaimer(prompter)
            prompter.say("By running `backcoach screen --clear` you accept this and confirm that "
                         "none of the warning signs apply to you.")
        store.record_consent(now)
    answers = {question.id: False for question in redflags.load_questions()}
    outcome = redflags.evaluate(answers)
    store.record_screen(ScreenRecord(taken_at=now, tier=outcome.tier.name, answers=answers))
    if prompter is not None:
        show_outcome(prompter, outcome)
    return outcome


# --- before a session ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PreSession:
    """What a session needs from the safety check: pain now, the tier, and exercises left out."""

    pain_before: int | None
    tier: Tier
    hidden: dict[str, str]
    outcome: ScreenOutcome
    screened: bool = False  # the screen was taken just now


def before_session(prompter: Prompter, store: SafetyStore, now: datetime,
                   pain_before: int | None = None, *,
                   exercises: Iterable[Exercise] | None = None,
                   rescreen_days: int = RESCREEN_DAYS) -> PreSession:
    """The check before every session; raises SafetyStop (exit 3) when no session may start.

    First run: the statement and the screen. Screen older than `rescreen_days`: the screen
    again. Otherwise "any new or changed symptoms?", and yes leads to the screen. Then pain
    now (0-10) unless given. Without a terminal, a current screen is used as it stands and pain
    is left unrecorded; a screen that is due fails with BadInput saying how to take it.
    `exercises` are the ones the clearance answers may hide (default: the whole catalog).
    """
    ensure_consent(prompter, store, now)
    outcome, screened = _current_outcome(prompter, store, now, rescreen_days)
    if pain_before is None and prompter.interactive:
        pain_before = prompter.ask_number(PAIN_QUESTION, 0, 10)
    if exercises is None:
        from backcoach.library.catalog import load_catalog

        exercises = load_catalog(strict=False).exercises.values()
    return PreSession(pain_before, outcome.tier,
                      redflags.hidden_exercises(exercises, outcome.tags), outcome, screened)


def _current_outcome(prompter: Prompter, store: SafetyStore, now: datetime,
                     rescreen_days: int) -> tuple[ScreenOutcome, bool]:
    last = store.last_screen()
    due = redflags.needs_rescreen(last, now, rescreen_days)
    if last is not None and redflags.blocks_session(redflags.record_tier(last)) and (
            not due or not prompter.interactive):
        raise SafetyStop(redflags.blocked_message(redflags.record_tier(last), last.taken_at))
    if due:
        if last is not None and prompter.interactive:
            prompter.say(f"Your last safety check was more than {rescreen_days} days ago, so "
                         "here it is again.")
        return _screen_or_stop(prompter, store, now), True
    assert last is not None  # not due implies a screen exists
    if prompter.interactive and prompter.ask_yes_no(SYMPTOMS_QUESTION):
        return _screen_or_stop(prompter, store, now), True
    outcome = redflags.evaluate(last.answers)
    if outcome.tier is Tier.SEE_SOON:
        prompter.say("Reminder from your last safety check: see a doctor or physiotherapist "
                     "soon, and stop any exercise that makes symptoms spread into a leg or arm.")
    return outcome, False


def _screen_or_stop(prompter: Prompter, store: SafetyStore, now: datetime) -> ScreenOutcome:
    outcome = run_screen(prompter, store, now)
    if outcome.blocks:
        raise SafetyStop(redflags.blocked_message(outcome.tier))
    return outcome


# --- during a session ---------------------------------------------------------------------------

def hurt_assessor() -> Assess:
    """The runner's "this hurts" rule: `rules.assess_hurt` for the kind, level and step."""
    from backcoach.session.runner import HurtDecision

    def assess(kind: str, level: int | None, step: Step) -> HurtDecision:
        advice = rules.assess_hurt(kind, level, neck=step.exercise.family == "neck")
        return HurtDecision(advice.stop, advice.message, advice.reason or "")

    return assess


# --- outside a session --------------------------------------------------------------------------

def screen_tags(last: ScreenRecord | None) -> frozenset[str]:
    """The clearance tags a screen's answers set; none when there is no screen."""
    return frozenset() if last is None else redflags.evaluate(last.answers).tags


def left_out(definition: Exercise | Routine, catalog: Catalog,
             tags: Iterable[str]) -> dict[str, str]:
    """Which exercises of an exercise or routine sessions leave out for these clearance tags
    (those of the last screen, `screen_tags`), and why."""
    from backcoach.library.catalog import routine_entries
    from backcoach.library.model import Routine

    exercises = ([exercise for exercise, _ in routine_entries(definition, catalog)]
                 if isinstance(definition, Routine) else [definition])
    return redflags.hidden_exercises(exercises, tags)
