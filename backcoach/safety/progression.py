"""Stepping a routine's doses up after comfortable sessions and down after a flare. Pure.

One decision per routine, from its recent sessions (newest first), each already classified by
the one after-session advice (`rules.classify`), so the thresholds for pain live in one place:

- Step up one exercise by one notch after `rules.RECENT_SESSIONS` (3) sessions of the routine
  in a row that were comfortable (`steady`, `better`, or a `small-rise` of 1), done in full
  (every hold or rep, nothing stopped or skipped) at the doses the routine gives now, the last
  of them without any rise (`steady` or `better`: never more load when pain rose or is 7+).
  The exercise stepped up is the one whose dose has gone longest without a change, so the
  exercises take turns.
- Step down one exercise by one notch after a flare: the last session's advice is
  `first-rise` or `repeated-rise` (up 2 or more), `high` or `severe` (7 or more) or `stopped`
  (an exercise stopped for pain). The exercise is the one stopped, else the one stepped up
  last (its step is reversed), else the one with the most work; when none can go lower, the
  gentle routine.
- Otherwise keep the dose, and say why. After a stop for dizziness or spreading symptoms the
  advice sends the person to a clinician, and no dose is changed here.

The notches (content brief, sections 9 and 11; ACSM for stretching):

| type     | up, in this order                                   | down, in this order             |
|----------|-----------------------------------------------------|---------------------------------|
| stretch  | hold +5 s to 30 s, reps +1 to 4, hold +5 s to 60 s, | hold -5 s to 10 s, reps -1 to 1,|
|          | then the harder variant                             | then the easier variant         |
| strength | reps +1 to 12, hold +5 s to 10 s, harder variant    | hold -5 s to 5 s, reps -1 to 3, |
|          |                                                     | then the easier variant         |
| mobility | reps +1 to 10                                       | reps -1 to 3                    |

A moving exercise (a tempo) has no hold to change: only its reps and variants. A variant comes
in at its own dose, on the sides the routine gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from backcoach.library.model import Dose, Exercise
from backcoach.safety import rules
from backcoach.safety.rules import AdviceClass

WINDOW = rules.RECENT_SESSIONS  # comfortable sessions in a row before a step up
HOLD_STEP = 5  # seconds a hold goes up or down by
REPS_STEP = 1
MAX_HOLD = 60  # no hold goes past a minute (ACSM: 30-60 s is enough even for older adults)
STRETCH_HOLD_FIRST = 30  # a stretch's hold grows to this before its reps do
STRETCH_MAX_REPS = 4
STRETCH_MIN_HOLD = 10
STRENGTH_MAX_REPS = 12  # strengthening adds reps first, up to 12 (the brief: 12-15)
STRENGTH_MAX_HOLD = 10
STRENGTH_MIN_HOLD = 5
MOBILITY_MAX_REPS = 10
MIN_REPS = {"stretch": 1, "strength": 3, "mobility": 3}
GENTLE = "gentle"

UP, DOWN = "up", "down"
HOLD, REPS, VARIANT, GENTLE_ROUTINE = "hold", "reps", "variant", "gentle"

COMFORTABLE = frozenset({AdviceClass.STEADY, AdviceClass.BETTER, AdviceClass.SMALL_RISE})
STEP_UP_AFTER = frozenset({AdviceClass.STEADY, AdviceClass.BETTER})  # no rise at all
FLARE = frozenset({AdviceClass.FIRST_RISE, AdviceClass.REPEATED_RISE, AdviceClass.HIGH,
                   AdviceClass.SEVERE, AdviceClass.STOPPED})


class ExerciseOutcome(NamedTuple):
    """How one exercise went in a session: its dose there, and whether it was done in full."""

    exercise_id: str
    reps: int
    work: int  # seconds of each hold, or of each moving rep
    done_in_full: bool  # every planned hold or rep done, on every side
    stopped_for_pain: bool = False


class SessionOutcome(NamedTuple):
    """One session of the routine as the rules see it: when, its advice class (from
    `rules.classify`), its pain scores, and how each exercise went."""

    started_at: datetime
    advice: AdviceClass
    pain_before: int | None
    pain_after: int | None
    finished: bool  # the session ran to its end (not quit or interrupted)
    exercises: tuple[ExerciseOutcome, ...]


class LastChange(NamedTuple):
    """The latest change `progress --apply` made to the routine (and not undone)."""

    applied_at: datetime
    exercise_id: str  # the exercise in the routine after the change
    direction: str
    step: str


class Entry(NamedTuple):
    """An exercise of the routine as it stands: its place, the exercise, its dose there."""

    position: int
    exercise: Exercise
    dose: Dose


class Step(NamedTuple):
    """One notch up or down for one exercise of the routine (or, down, the gentle routine)."""

    direction: str  # up or down
    kind: str  # hold, reps, variant, or gentle (the gentle routine: nothing to write)
    position: int  # place in the routine's exercises; -1 for the gentle routine
    exercise: Exercise | None  # the exercise now (None for the gentle routine)
    old: Dose | None
    new_exercise: Exercise | None = None  # the exercise after the step (a variant)
    new: Dose | None = None

    @property
    def what(self) -> str:
        """`Glute bridge: 8 → 9 reps`, `Knee-to-chest stretch → Double knee-to-chest stretch`."""
        if self.kind == GENTLE_ROUTINE or self.exercise is None:
            return "the gentle routine next time (`backcoach run gentle`)"
        assert self.old is not None and self.new is not None
        name = self.exercise.name
        if self.kind == VARIANT:
            assert self.new_exercise is not None
            return (f"{name} → {self.new_exercise.name} ({self.new.describe()}, "
                    f"{'harder' if self.direction == UP else 'easier'})")
        if self.kind == HOLD:
            return f"{name}, holds {self.old.hold} → {self.new.hold} s"
        return f"{name}, {self.old.reps} → {self.new.reps} reps" + (
            " each side" if len(self.new.sides) == 2 else "")

    @property
    def appliable(self) -> bool:
        """Whether `progress --apply` can write it into the routine file."""
        return self.kind != GENTLE_ROUTINE


class Verdict(NamedTuple):
    """The decision for one routine: a step (or None), and one line saying what and why
    (`why` alone, for a step, is the reason in a few words)."""

    routine_id: str
    step: Step | None
    line: str
    why: str = ""


# --- the notches ------------------------------------------------------------------------------

def step_up(exercise: Exercise, dose: Dose, variants: Mapping[str, Exercise]
            ) -> tuple[str, Exercise, Dose] | None:
    """The next notch up for an exercise at this dose: (kind, exercise, dose), or None at the
    top. Never past the caps: holds at most 60 s, reps per type."""
    kind = exercise.type
    holds = dose.tempo == 0
    if kind == "strength":
        if dose.reps < STRENGTH_MAX_REPS:
            return REPS, exercise, dose._replace(reps=dose.reps + REPS_STEP)
        if holds and dose.hold < STRENGTH_MAX_HOLD:
            return HOLD, exercise, dose._replace(hold=min(STRENGTH_MAX_HOLD,
                                                          dose.hold + HOLD_STEP))
        return _variant(exercise.harder, dose, variants)
    if kind == "mobility":
        if dose.reps < MOBILITY_MAX_REPS:
            return REPS, exercise, dose._replace(reps=dose.reps + REPS_STEP)
        return None
    if holds and dose.hold < STRETCH_HOLD_FIRST:
        return HOLD, exercise, dose._replace(hold=min(STRETCH_HOLD_FIRST, dose.hold + HOLD_STEP))
    if dose.reps < STRETCH_MAX_REPS:
        return REPS, exercise, dose._replace(reps=dose.reps + REPS_STEP)
    if holds and dose.hold < MAX_HOLD:
        return HOLD, exercise, dose._replace(hold=min(MAX_HOLD, dose.hold + HOLD_STEP))
    return _variant(exercise.harder, dose, variants)


def step_down(exercise: Exercise, dose: Dose, variants: Mapping[str, Exercise],
              first: str | None = None) -> tuple[str, Exercise, Dose] | None:
    """The next notch down: shorter holds, then fewer reps, then the easier variant; None at
    the bottom. `first` names the kind of notch to try before the others (reversing a step
    up: its kind; after a stop: the variant)."""
    notches = [_shorter_hold, _fewer_reps, _easier]
    if first is not None:
        notches.sort(key=lambda notch: notch.__name__ != _NOTCH_FOR[first])
    for notch in notches:
        found = notch(exercise, dose, variants)
        if found is not None:
            return found
    return None


def _shorter_hold(exercise: Exercise, dose: Dose, variants: Mapping[str, Exercise]
                  ) -> tuple[str, Exercise, Dose] | None:
    floor = STRENGTH_MIN_HOLD if exercise.type == "strength" else STRETCH_MIN_HOLD
    if dose.tempo or exercise.type == "mobility" or dose.hold <= floor:
        return None
    return HOLD, exercise, dose._replace(hold=max(floor, dose.hold - HOLD_STEP))


def _fewer_reps(exercise: Exercise, dose: Dose, variants: Mapping[str, Exercise]
                ) -> tuple[str, Exercise, Dose] | None:
    if dose.reps <= MIN_REPS.get(exercise.type, 1):
        return None
    return REPS, exercise, dose._replace(reps=dose.reps - REPS_STEP)


def _easier(exercise: Exercise, dose: Dose, variants: Mapping[str, Exercise]
            ) -> tuple[str, Exercise, Dose] | None:
    return _variant(exercise.easier, dose, variants)


_NOTCH_FOR = {HOLD: "_shorter_hold", REPS: "_fewer_reps", VARIANT: "_easier"}


def _variant(ident: str | None, dose: Dose, variants: Mapping[str, Exercise]
             ) -> tuple[str, Exercise, Dose] | None:
    variant = variants.get(ident) if ident else None
    if variant is None:
        return None
    # The variant's own dose; where the routine does one side only, so does the variant.
    sides = dose.sides if len(dose.sides) == 1 and variant.dose.sides else variant.dose.sides
    return VARIANT, variant, variant.dose._replace(sides=sides)


# --- the decision -----------------------------------------------------------------------------

def decide(routine_id: str, entries: Sequence[Entry], sessions: Sequence[SessionOutcome],
           variants: Mapping[str, Exercise], changes: Sequence[LastChange] = ()) -> Verdict:
    """The step for a routine (or none) and its one line. `sessions`: the routine's sessions,
    newest first; `changes`: the changes applied to it and not undone, newest first."""
    if not sessions:
        return Verdict(routine_id, None, "No sessions of this routine yet: its doses stay as "
                                         "they are.")
    latest = sessions[0]
    last_change = changes[0] if changes else None
    if last_change is not None and last_change.applied_at >= latest.started_at:
        return Verdict(routine_id, None, f"You changed it on {last_change.applied_at:%d %b} "
                       "(`progress --apply`): keep going at the new dose and see how the next "
                       "sessions feel.")
    if latest.advice in FLARE:
        return _down(routine_id, entries, latest, variants, last_change)
    return _up(routine_id, entries, sessions, variants, changes)


def _down(routine_id: str, entries: Sequence[Entry], latest: SessionOutcome,
          variants: Mapping[str, Exercise], last_change: LastChange | None) -> Verdict:
    why = _flare_words(latest)
    present = {ex.exercise_id for ex in latest.exercises}
    candidates = [entry for entry in entries if entry.exercise.id in present] or list(entries)
    stopped = [entry for entry in candidates for ex in latest.exercises
               if ex.exercise_id == entry.exercise.id and ex.stopped_for_pain]
    reversing = [entry for entry in candidates if last_change is not None
                 and last_change.direction == UP and entry.exercise.id == last_change.exercise_id]
    by_work = sorted(candidates, key=lambda entry: (-entry.dose.total_seconds(),
                                                    entry.position))
    tried: list[Entry] = []
    reverse = last_change.step if last_change is not None else None
    for group, first in ((stopped, VARIANT), (reversing, reverse), (by_work, None)):
        for entry in group:
            if entry in tried:
                continue
            tried.append(entry)
            found = step_down(entry.exercise, entry.dose, variants, first)
            if found is not None:
                kind, new_exercise, new = found
                step = Step(DOWN, kind, entry.position, entry.exercise, entry.dose,
                            new_exercise, new)
                return Verdict(routine_id, step, f"Step down: {step.what}. Why: {why}.", why)
            if group is not by_work:
                break  # the one that flared cannot go lower: try the next kind of candidate
    if routine_id != GENTLE:
        step = Step(DOWN, GENTLE_ROUTINE, -1, None, None)
        return Verdict(routine_id, step, f"Step down: {step.what}. Why: {why}.", why)
    return Verdict(routine_id, None, f"Every exercise here is at its lowest dose ({why}); "
                   "follow the advice above, and ask a physiotherapist if it keeps happening.")


def _up(routine_id: str, entries: Sequence[Entry], sessions: Sequence[SessionOutcome],
        variants: Mapping[str, Exercise], changes: Sequence[LastChange]) -> Verdict:
    latest = sessions[0]
    if latest.advice not in COMFORTABLE:
        return Verdict(routine_id, None, _hold_words(latest))
    if latest.advice not in STEP_UP_AFTER:
        return Verdict(routine_id, None, "Keep going at this dose: your pain went up a little "
                       "last time, and a step up waits for a session without a rise.")
    run = 0
    for session in sessions:
        if session.advice not in COMFORTABLE or not _in_full_at(session, entries):
            break
        run += 1
    if run < WINDOW:
        return Verdict(routine_id, None, f"Keep going at this dose: {run} of the {WINDOW} "
                       "comfortable sessions in a row, done in full at this dose, that come "
                       "before a step up.")
    changed_at = {change.exercise_id: change.applied_at for change in reversed(changes)}
    # The one changed longest ago (never: first), in routine order: the exercises take turns.
    order = sorted(entries, key=lambda entry: (entry.exercise.id in changed_at,
                                               changed_at.get(entry.exercise.id,
                                                              latest.started_at),
                                               entry.position))
    for entry in order:
        found = step_up(entry.exercise, entry.dose, variants)
        if found is not None:
            kind, new_exercise, new = found
            step = Step(UP, kind, entry.position, entry.exercise, entry.dose, new_exercise, new)
            why = f"{WINDOW} comfortable sessions in a row, every rep done and nothing stopped"
            return Verdict(routine_id, step, f"Step up: {step.what}. Why: {why}.", why)
    return Verdict(routine_id, None, "Every exercise here is at the top of its steps: keep "
                   "going, or ask a physiotherapist what could come next.")


def _in_full_at(session: SessionOutcome, entries: Sequence[Entry]) -> bool:
    """Whether the session ran every exercise of the routine, at the doses it gives now, in
    full, to the end."""
    if not session.finished or len(session.exercises) != len(entries):
        return False
    return all(ex.exercise_id == entry.exercise.id and ex.reps == entry.dose.reps
               and ex.work == entry.dose.work and ex.done_in_full and not ex.stopped_for_pain
               for ex, entry in zip(session.exercises, entries, strict=True))


def _flare_words(session: SessionOutcome) -> str:
    before, after = session.pain_before, session.pain_after
    now = after if after is not None else before
    if session.advice is AdviceClass.STOPPED:
        return "you stopped an exercise for pain last time"
    if session.advice in (AdviceClass.HIGH, AdviceClass.SEVERE):
        return f"your pain was {now} out of 10 last time"
    if session.advice is AdviceClass.REPEATED_RISE:
        return "your pain has gone up after more than one session"
    return f"your pain went up from {before} to {after} last time"


def _hold_words(session: SessionOutcome) -> str:
    kind = session.advice
    if kind is AdviceClass.NO_SCORES:
        return ("Keep going at this dose: give your pain before and after each session, and "
                "backcoach can tell when to step up.")
    if kind in (AdviceClass.SAFETY_STOP, AdviceClass.EMERGENCY):
        return ("No change to the dose: after a stop for dizziness or spreading symptoms, a "
                "clinician should decide what comes next.")
    if kind is AdviceClass.WORSE_OVER_WEEKS:
        return ("No step up while your pain over the weeks is worse: see the advice on your "
                "pain over the weeks.")
    if kind is AdviceClass.NOT_IMPROVING:
        return ("Keep going at this dose for now: see the advice on your pain over the "
                "weeks.")
    return "Keep going at this dose."
