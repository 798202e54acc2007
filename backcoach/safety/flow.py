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
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple, Protocol, TextIO

from backcoach.errors import BadInput, Declined, SafetyStop
from backcoach.library.settings import RESCREEN_DAYS
from backcoach.safety import redflags
from backcoach.safety.redflags import Question, ScreenOutcome, Tier

# Re-exported: what the last screen means, for the commands that only look.
from backcoach.safety.redflags import left_out as left_out
from backcoach.safety.redflags import screen_outcome as screen_outcome
from backcoach.session.safety_record import ONSETS, PainOnset, ScreenRecord

if TYPE_CHECKING:
    from backcoach.library.model import Exercise
    from backcoach.safety import rules
    from backcoach.session.plan import Step
    from backcoach.session.runner import Assess, HurtDecision

# Said when the questions cannot be asked. A person at a terminal is pointed to the questions
# only: `screen --clear` answers "no" to all of them unseen, and is for scripts.
NEED_TERMINAL = ("the safety questions need your answers: run `backcoach screen` in a terminal "
                 "and answer them")
NEED_TERMINAL_SCRIPT = (NEED_TERMINAL + " (a script where none of the warning signs apply can "
                        "record that with `backcoach screen --clear`)")
INPUT_ENDED = ("input ended before an answer was given; run `backcoach screen` in a terminal to "
               "answer the safety questions")
SYMPTOMS_QUESTION = "Any new or changed symptoms since last time?"
PAIN_QUESTION = "How much does it hurt right now, from 0 (no pain) to 10 (the worst imaginable)?"
CONSENT_QUESTION = "Do you understand this and want to continue?"
ONSET_QUESTION = ("When did this bout of back or neck pain begin? 1: less than 2 weeks ago, "
                  "2: 2 to 6 weeks ago, 3: 6 to 12 weeks ago, 4: more than 12 weeks ago.")
SAME_BOUT_QUESTION = "Is it still the bout of pain that began {when}?"
SEE_SOON_REMINDER = ("Reminder from your last safety check: see a doctor or physiotherapist "
                     "soon, and stop any exercise that makes symptoms spread into a leg or arm.")


def need_terminal() -> str:
    """Why the questions cannot be asked, and what to do: at a terminal, run the screen; only
    when no one is watching a terminal (a script) is `screen --clear` mentioned."""
    watched = any(_is_tty(stream) for stream in (sys.stdout, sys.stderr))
    return NEED_TERMINAL if watched else NEED_TERMINAL_SCRIPT


class Prompter(Protocol):
    """Where questions are asked and messages shown."""

    @property
    def interactive(self) -> bool:
        """True when a person can answer (a terminal, or a test script)."""
        ...

    def say(self, text: str) -> None:
        """Show a line of text."""

    def ask_yes_no(self, question: str, default: bool | None = None) -> bool:
        """Ask until the answer is yes or no; an empty answer is `default` when there is one."""
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

    def pain_onset(self) -> PainOnset | None:
        """When the person said this bout of pain began, or None."""
        ...

    def record_onset(self, onset: PainOnset) -> None:
        """Keep when this bout of pain began."""


class MemorySafetyStore:
    """A SafetyStore in memory: for tests, and for a session whose history file is unusable."""

    def __init__(self, consent: datetime | None = None,
                 screens: Iterable[ScreenRecord] = (),
                 onsets: Iterable[PainOnset] = ()) -> None:
        self.consent = consent
        self.screens = list(screens)
        self.onsets = list(onsets)

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

    def pain_onset(self) -> PainOnset | None:
        """The latest answer kept, or None."""
        return max(self.onsets, key=lambda onset: onset.recorded_at, default=None)

    def record_onset(self, onset: PainOnset) -> None:
        """Keep one answer."""
        self.onsets.append(onset)


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

    def ask_yes_no(self, question: str, default: bool | None = None) -> bool:
        """Ask until the reply is y, yes, n or no; Enter alone gives `default` if there is
        one (shown as the capital letter: [Y/n])."""
        choices = {None: "[y/n]", True: "[Y/n]", False: "[y/N]"}[default]
        while True:
            reply = self._read(f"{question} {choices}").lower()
            if reply in _YES or reply in _NO:
                return reply in _YES
            if not reply and default is not None:
                return default
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
            raise BadInput(INPUT_ENDED)
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

    Declining ends the command with nothing started: `Declined`, exit 0 (the person's choice,
    not a failure).
    """
    accepted = store.consent_accepted_at()
    if accepted is not None:
        return accepted
    if not prompter.interactive:
        raise BadInput(need_terminal())
    show_disclaimer(prompter)
    if not prompter.ask_yes_no(CONSENT_QUESTION):
        raise Declined("you chose not to continue, so nothing has started. backcoach "
                             "will show this statement again next time. For advice about your "
                             "pain, a GP or physiotherapist is a good place to start.")
    store.record_consent(now)
    return now


# --- the screen ---------------------------------------------------------------------------------

class Answers:
    """What a screen found out: yes/no by question id (follow-ups as `id:only-if`), and the
    clinicians' clearances in force, by question id, with the date each was first given.

    Filled in as the questions are asked; a plain class, not a dataclass, as it is loaded
    before every session's symptoms question (a dataclass compiles its methods then)."""

    __slots__ = ("answers", "cleared")

    def __init__(self) -> None:
        self.answers: dict[str, bool] = {}
        self.cleared: dict[str, datetime] = {}


def _blocks(question: Question, answers: Answers) -> bool:
    return redflags.blocks_session(question.session_tier) and redflags.acts(
        question, answers.answers, answers.cleared)


def ask_questions(prompter: Prompter, questions: Sequence[Question] | None = None, *,
                  now: datetime, earlier: ScreenRecord | None = None) -> Answers:
    """Ask the red-flag questions, worst tier first; answers by question id.

    A yes to a clearable question (cancer, an unstable neck) is followed by whether a doctor or
    physiotherapist has checked it and said exercise is fine: yes keeps a clearance, dated
    `now` (or the date of the clearance in the `earlier` screen, when it stands). A yes to a
    question with `only_if` asks that too. The asking stops at the first answer that blocks a
    session: nothing after it can change what to do now. The clearance conditions are asked as
    one question first, and one by one only when some apply.
    """
    known = redflags.load_questions() if questions is None else questions
    main = [q for q in known if q.tier is not Tier.CLEARANCE]
    clearance = [q for q in known if q.tier is Tier.CLEARANCE]
    total = len(main) + (1 if clearance else 0)
    found = Answers()
    for number, question in enumerate(main, start=1):
        found.answers[question.id] = prompter.ask_yes_no(f"({number} of {total}) {question.ask}")
        if found.answers[question.id] and question.clearable:
            _ask_clearance(prompter, question, found, now, earlier)
        if found.answers[question.id] and _blocks(question, found):
            return found
    if clearance:
        some = prompter.ask_yes_no(f"({total} of {total}) {redflags.clearance_gate(clearance)}")
        for question in clearance:
            found.answers[question.id] = some and prompter.ask_yes_no(question.ask)
            if found.answers[question.id] and question.only_if:
                found.answers[question.follow_up_key] = prompter.ask_yes_no(question.only_if)
    return found


def _ask_clearance(prompter: Prompter, question: Question, found: Answers, now: datetime,
                   earlier: ScreenRecord | None) -> None:
    """Whether a clinician has cleared this answer; a clearance given before is asked about
    again (it still stands?) and keeps its first date."""
    before = earlier.cleared.get(question.id) if earlier is not None else None
    if before is not None:
        asked = (f"On {before:%d %b %Y} you said a doctor or physiotherapist had checked this "
                 "and said exercise is fine. Is that still so?")
    else:
        asked = redflags.CLEARANCE_QUESTION
    if prompter.ask_yes_no(asked):
        found.cleared[question.id] = before or now


def run_screen(prompter: Prompter, store: SafetyStore, now: datetime,
               questions: Sequence[Question] | None = None,
               exercises: Iterable[Exercise] | None = None) -> ScreenOutcome:
    """Ask every question, record the screen and show what to do now; then, when a session
    may start, when this bout of pain began (the first time; later, whether it still is the
    same one). `exercises` let the outcome name what is left out (default: the catalog)."""
    if not prompter.interactive:
        raise BadInput(need_terminal())
    prompter.say("Safety check: a few yes/no questions about warning signs that need a doctor "
                 "rather than stretches. Type y or n, then Enter.")
    found = ask_questions(prompter, questions, now=now, earlier=store.last_screen())
    outcome = redflags.evaluate(found.answers, questions, found.cleared,
                                _exercises(exercises))
    store.record_screen(ScreenRecord(taken_at=now, tier=outcome.tier.name,
                                     answers=found.answers, cleared=dict(outcome.cleared)))
    show_outcome(prompter, outcome)
    if not outcome.blocks:
        ask_onset(prompter, store, now)
    return outcome


def _exercises(exercises: Iterable[Exercise] | None) -> list[Exercise]:
    if exercises is not None:
        return list(exercises)
    from backcoach.library.catalog import load_catalog

    return list(load_catalog(strict=False).exercises.values())


def show_outcome(prompter: Prompter, outcome: ScreenOutcome) -> None:
    """Show an outcome's lines, set apart by a blank line."""
    prompter.say("")
    for line in outcome.message:
        prompter.say(line)


def ask_onset(prompter: Prompter, store: SafetyStore, now: datetime,
              again: bool = False) -> PainOnset:
    """When this bout of pain began: asked once; after that, whether it is still the same
    bout, and asked afresh when not (or when `again`). The answer is kept with its date."""
    known = store.pain_onset()
    if known is not None and not again:
        when = f"{ONSETS[known.onset]} (as you said on {known.recorded_at:%d %b %Y})"
        if prompter.ask_yes_no(SAME_BOUT_QUESTION.format(when=when), default=True):
            return known
    choice = prompter.ask_number(ONSET_QUESTION, 1, len(ONSETS))
    onset = PainOnset(now, list(ONSETS)[choice - 1])
    store.record_onset(onset)
    prompter.say(f"Noted: this bout of pain began {ONSETS[onset.onset]}. "
                 "`backcoach screen --onset` changes it.")
    return onset


def clear_screen(store: SafetyStore, now: datetime,
                 prompter: Prompter | None = None) -> ScreenOutcome:
    """Record "none of these" for every question without asking (`screen --clear`, for
    scripts), listing what it confirms when a prompter is given.

    Saying so also accepts the first-run statement when it has not been accepted yet; the
    statement is shown through `prompter` when one is given.
    """
    if store.consent_accepted_at() is None:
        if prompter is not None:
            show_disclaimer(prompter)
            prompter.say("By running `backcoach screen --clear` you accept this.")
        store.record_consent(now)
    questions = redflags.load_questions()
    answers = {question.id: False for question in questions}
    outcome = redflags.evaluate(answers)
    store.record_screen(ScreenRecord(taken_at=now, tier=outcome.tier.name, answers=answers))
    if prompter is not None:
        prompter.say("Recorded that none of these warning signs or conditions apply to you:")
        for question in questions:
            prompter.say(f"- {question.ask}")
        show_outcome(prompter, outcome)
    return outcome


# --- before a session ---------------------------------------------------------------------------

class PreSession(NamedTuple):
    """What a session needs from the safety check: pain now, the tier, and exercises left out."""

    pain_before: int | None
    tier: Tier
    hidden: dict[str, str]
    outcome: ScreenOutcome
    screened: bool = False  # the screen was taken just now
    # What to keep in view through the session's first screen (a reminder from the last
    # safety check): said by the session, not printed here where the view would cover it.
    notices: tuple[str, ...] = ()


def before_session(prompter: Prompter, store: SafetyStore, now: datetime,
                   pain_before: int | None = None, *,
                   exercises: Iterable[Exercise] | None = None,
                   rescreen_days: int = RESCREEN_DAYS) -> PreSession:
    """The check before every session; raises SafetyStop (exit 3) when no session may start.

    First run: the statement and the screen. Screen older than `rescreen_days`: the screen
    again. Otherwise "any new or changed symptoms?", and yes leads to the screen. Then pain
    now (0-10) unless given. Without a terminal, a current screen is used as it stands and pain
    is left unrecorded; a screen that is due fails with BadInput saying how to take it.
    `exercises` are the ones the answers may leave out (default: the whole catalog).
    """
    ensure_consent(prompter, store, now)
    known = _exercises(exercises)
    outcome, screened = _current_outcome(prompter, store, now, rescreen_days, known)
    if pain_before is None and prompter.interactive:
        pain_before = prompter.ask_number(PAIN_QUESTION, 0, 10)
    hidden = redflags.hidden_exercises(known, outcome.tags, outcome.regions)
    notices = (SEE_SOON_REMINDER,) if outcome.tier is Tier.SEE_SOON and not screened else ()
    return PreSession(pain_before, outcome.tier, hidden, outcome, screened, notices)


def _current_outcome(prompter: Prompter, store: SafetyStore, now: datetime,
                     rescreen_days: int, exercises: list[Exercise]
                     ) -> tuple[ScreenOutcome, bool]:
    last = store.last_screen()
    due = redflags.needs_rescreen(last, now, rescreen_days)
    if last is not None and redflags.blocks_session(redflags.record_tier(last)) and (
            not due or not prompter.interactive):
        outcome = redflags.record_outcome(last)
        raise SafetyStop(redflags.blocked_message(redflags.record_tier(last), last.taken_at,
                                                  outcome.triggered))
    if due:
        if last is not None and prompter.interactive:
            prompter.say(f"Your last safety check was more than {rescreen_days} days ago, so "
                         "here it is again.")
        return _screen_or_stop(prompter, store, now, exercises), True
    assert last is not None  # not due implies a screen exists
    if prompter.interactive and prompter.ask_yes_no(SYMPTOMS_QUESTION):
        return _screen_or_stop(prompter, store, now, exercises), True
    return redflags.record_outcome(last), False


def _screen_or_stop(prompter: Prompter, store: SafetyStore, now: datetime,
                    exercises: list[Exercise]) -> ScreenOutcome:
    outcome = run_screen(prompter, store, now, exercises=exercises)
    if outcome.blocks:
        raise SafetyStop(redflags.blocked_message(outcome.tier, triggered=outcome.triggered))
    return outcome


class DoseChoice(NamedTuple):
    """What pain now means for today's session: `gentle` swaps in the gentle routine; `rest`
    means no session (the person chose to rest)."""

    gentle: bool = False
    rest: bool = False


def check_pain_now(prompter: Prompter, pain: int | None, gentle_already: bool) -> DoseChoice:
    """Pain before a session (content brief, section 4): at 7-8 offer the gentle routine (at
    a terminal: ask, Enter means yes; without one: say so and what to run); at 9-10 suggest
    resting today with the severe-pain advice, and go on only if the person insists, and
    then with the gentle routine at most. Without a terminal at 9-10 no one can insist:
    SafetyStop (exit 3)."""
    from backcoach.safety import pain_now  # here, not at the top: `show` needs the flow only

    advice, lines = pain_now.before_session(pain)
    if advice is pain_now.Before.GO:
        return DoseChoice()
    for line in lines:
        prompter.say(line)
    if advice is pain_now.Before.GENTLE:
        if gentle_already:
            return DoseChoice()
        if not prompter.interactive:
            prompter.say(f"Carrying on with the session you asked for; {pain_now.GENTLE} runs "
                         "the gentle routine instead.")
            return DoseChoice()
        return DoseChoice(gentle=prompter.ask_yes_no("Do the gentle routine instead today?",
                                                     default=True))
    if not prompter.interactive:
        raise SafetyStop(f"no session today: pain of {pain} out of 10 is severe; rest from "
                         "these exercises today. At a terminal you can still choose a short, "
                         "gentle session.")
    insist = prompter.ask_yes_no("Would you still like a short, gentle session today?",
                                 default=False)
    return DoseChoice(gentle=insist and not gentle_already, rest=not insist)


class Reminder(NamedTuple):
    """An exercise of today's session that was stopped (or left out for safety) the last
    time: its id, name, why, and when."""

    exercise_id: str
    name: str
    reason: str
    when: datetime


def remind_stops(prompter: Prompter, reminders: Sequence[Reminder]) -> dict[str, str]:
    """Say which of today's exercises were stopped last time and why, and let the person leave
    them out (at a terminal: one question, Enter means yes). Returns the exercises to leave
    out, with the reason."""
    if not reminders:
        return {}
    for reminder in reminders:
        prompter.say(f"Last time ({reminder.when.astimezone():%d %b}) {_what_happened(reminder)}.")
    which = "it" if len(reminders) == 1 else "them"
    if not prompter.interactive:
        prompter.say(f"Today's session keeps {which}: stop if it hurts again.")
        return {}
    if not prompter.ask_yes_no(f"Leave {which} out today?", default=True):
        return {}
    return {r.exercise_id: f"last time {_what_happened(r, named=False)}" for r in reminders}


def _what_happened(reminder: Reminder, named: bool = True) -> str:
    """`you stopped Neck side bend because of sharp pain`, or `Chin tuck was left out after
    ...`; without the name: `you stopped it because of ...`."""
    from backcoach.safety import rules

    if rules.stop_kind(reminder.reason) == "left-out":
        return f"{reminder.name if named else 'it'} was {reminder.reason}"
    return f"you stopped {reminder.name if named else 'it'} because of {reminder.reason}"


# --- during a session ---------------------------------------------------------------------------

def hurt_assessor() -> Assess:
    """The runner's "this hurts" rule: `rules.assess_hurt` for the kind, level and the regions
    the step's exercise loads. The rules load at the first "this hurts", not before the
    first frame."""

    def assess(kind: str, level: int | None, step: Step) -> HurtDecision:
        from backcoach.safety import rules

        return _decision(rules.assess_hurt(kind, level, step.exercise.loads))

    return assess


def _decision(advice: rules.HurtAdvice) -> HurtDecision:
    from backcoach.session.runner import FollowUpQuestion, HurtDecision

    follow_up = None
    if advice.follow_up is not None:
        follow_up = FollowUpQuestion(advice.follow_up.question,
                                     _decision(advice.follow_up.if_yes),
                                     _decision(advice.follow_up.if_no))
    return HurtDecision(advice.stop, advice.message, advice.reason or "",
                        skip_regions=advice.skip_regions, end_session=advice.emergency,
                        follow_up=follow_up)


def record_emergency(store: SafetyStore, now: datetime) -> None:
    """Keep what a session found out (dizziness in neck work with signs that need emergency
    care) as a screen answer, so no session starts until the questions are answered again."""
    last = store.last_screen()
    answers = {**(last.answers if last is not None else {}), "stroke-signs": True}
    cleared = last.cleared if last is not None else {}
    outcome = redflags.evaluate(answers, cleared=cleared)
    store.record_screen(ScreenRecord(now, outcome.tier.name, answers, dict(cleared)))


# --- outside a session --------------------------------------------------------------------------

def screen_tags(last: ScreenRecord | None) -> frozenset[str]:
    """The clearance tags a screen's answers set; none when there is no screen."""
    return screen_outcome(last).tags
