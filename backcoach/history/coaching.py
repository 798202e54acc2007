"""Getting better over weeks, from history: the step up or down each routine has earned
(`safety.progression` decides), writing it into the person's routine file and undoing it
(`progress --apply`, `--undo`).

The sessions are classified by the one after-session advice (`rules.classify`), with the same
facts the summary after a session uses, so the step and the advice can never disagree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import NamedTuple

from backcoach.errors import BadInput
from backcoach.history.store import DoseChange, HistoryStore, StoredExercise, StoredSession
from backcoach.library.catalog import Catalog, routine_entries, shown_path
from backcoach.library.model import Dose, Origin, Routine
from backcoach.safety import progression, rules
from backcoach.safety.progression import Entry, ExerciseOutcome, SessionOutcome, Step, Verdict
from backcoach.session.outcomes import EX_DONE, EX_SKIPPED, EX_STOPPED, SESSION_DONE

# Writing files (homefiles, doseedit, scaffold) is imported by --apply and --undo only: the
# progress page and the summary after a session never load it.

LOOKBACK = timedelta(days=120)  # enough sessions for three in a row of every routine in use
IN_USE = timedelta(days=28)  # routines with a session this recent get a verdict
EARLIER = 10  # earlier sessions the advice looks at (as after a session)


# --- sessions as the rules see them -----------------------------------------------------------

def _stops(session: StoredSession) -> tuple[rules.Stop, ...]:
    seen: dict[int, rules.Stop] = {}
    for row in session.exercises:
        if row.stop_reason and row.status in (EX_STOPPED, EX_SKIPPED):
            seen.setdefault(row.position, rules.Stop(row.name, row.stop_reason))
    return tuple(seen.values())


def _outcomes(session: StoredSession) -> tuple[ExerciseOutcome, ...]:
    by_place: dict[int, list[StoredExercise]] = {}
    for row in session.exercises:
        by_place.setdefault(row.position, []).append(row)
    found = []
    for place in sorted(by_place):
        sides = by_place[place]
        first = sides[0]
        found.append(ExerciseOutcome(
            first.exercise_id, first.planned_reps, first.planned_hold,
            done_in_full=all(row.status == EX_DONE for row in sides),
            stopped_for_pain=any(row.status == EX_STOPPED
                                 and rules.stop_kind(row.stop_reason) == "pain"
                                 for row in sides)))
    return tuple(found)


def classify_sessions(sessions: Sequence[StoredSession], trend: rules.PainTrend | None = None,
                      only: Collection[int] | None = None) -> dict[int, rules.AdviceClass]:
    """Each session's advice class (`rules.classify`), by id, from its scores and stops and
    the sessions before it (newest first in, as `store.sessions` gives them); `only`: the ids
    to classify (None: all). The newest one also weighs the pain trend over weeks, as the
    advice after it did."""
    classes: dict[int, rules.AdviceClass] = {}
    # Each session as an earlier one, worked out once (each is earlier to EARLIER others).
    as_earlier = [rules.EarlierSession(s.pain_before, s.pain_after,
                                       any(r.status == EX_STOPPED for r in s.exercises))
                  for s in sessions]
    for index, session in enumerate(sessions):
        if only is not None and session.id not in only:
            continue
        facts = rules.Facts(
            pain_before=session.pain_before, pain_after=session.pain_after,
            stops=_stops(session), on_gentle=session.routine_id == progression.GENTLE,
            earlier=tuple(reversed(as_earlier[index + 1:index + 1 + EARLIER])),
            trend=trend if index == 0 else None)
        classes[session.id] = rules.classify(facts)
    return classes


def outcomes_of(sessions: Sequence[StoredSession], classes: dict[int, rules.AdviceClass]
                ) -> list[SessionOutcome]:
    """The sessions (newest first) as the progression rules read them."""
    return [SessionOutcome(s.started_at, classes[s.id], s.pain_before, s.pain_after,
                           s.status == SESSION_DONE, _outcomes(s)) for s in sessions]


def entries_of(routine: Routine, catalog: Catalog) -> list[Entry]:
    """The routine's exercises as they stand, each with its place and dose there."""
    return [Entry(position, exercise, dose) for position, (exercise, dose) in
            enumerate(routine_entries(routine, catalog))]


def window_of(routine_id: str, sessions: Sequence[StoredSession]) -> list[StoredSession]:
    """The sessions of a routine that its verdict reads, among `sessions` (newest first): its
    newest `progression.WINDOW` (a step up needs that many in a row; a step down reads only
    the latest)."""
    return [s for s in sessions if s.routine_id == routine_id][:progression.WINDOW]


def verdict_for(store: HistoryStore, catalog: Catalog, routine: Routine,
                sessions: Sequence[StoredSession], classes: dict[int, rules.AdviceClass]
                ) -> Verdict:
    """The step a routine has earned, from its sessions among `sessions` (newest first; those
    of `window_of` with their exercises and classes)."""
    own = window_of(routine.id, sessions)
    changes = [progression.LastChange(c.applied_at, c.exercise_id, c.direction, c.step)
               for c in store.dose_changes(routine.id)]
    return progression.decide(routine.id, entries_of(routine, catalog),
                              outcomes_of(own, classes), catalog.exercises, changes)


def recent_sessions(store: HistoryStore, now: datetime) -> list[StoredSession]:
    """The sessions of the last few months, newest first, without their exercises
    (`with_windows` adds those a verdict reads)."""
    return store.sessions(since=now - LOOKBACK, with_exercises=False, with_counts=False)


def with_windows(store: HistoryStore, sessions: Sequence[StoredSession],
                 routine_ids: Iterable[str]) -> tuple[list[StoredSession], set[int]]:
    """`sessions` (newest first) with the exercises their verdicts on `routine_ids` read, and
    the ids those verdicts classify (each routine's `window_of`). Those, and the EARLIER
    sessions before each of them (their stops weigh in the advice), get their exercise rows:
    four months of daily sessions have a thousand, and reading them all cost more than the
    rest of the verdicts."""
    place = {s.id: index for index, s in enumerate(sessions)}
    classified: set[int] = set()
    read: set[int] = set()
    for routine_id in routine_ids:
        for session in window_of(routine_id, sessions):
            classified.add(session.id)
            index = place[session.id]
            read.update(s.id for s in sessions[index:index + 1 + EARLIER])
    return store.with_exercises(sessions, read), classified


def verdicts(store: HistoryStore, catalog: Catalog, now: datetime,
             trend: rules.PainTrend | None = None) -> list[tuple[Routine, Verdict]]:
    """A verdict for each routine in force with a session in the last four weeks, the one
    used most recently first."""
    light = recent_sessions(store, now)
    in_use: dict[str, Routine] = {}
    for session in light:
        routine = catalog.routines.get(session.routine_id)
        if routine is not None and routine.id not in in_use \
                and now - session.started_at <= IN_USE:
            in_use[routine.id] = routine
    sessions, classified = with_windows(store, light, in_use)
    classes = classify_sessions(sessions, trend, only=classified)
    return [(routine, verdict_for(store, catalog, routine, sessions, classes))
            for routine in in_use.values()]


# --- writing a step into the routine file, and taking it back ----------------------------------

class Applied(NamedTuple):
    """A step written into a routine file: where, and whether the file was made for it (a
    copy of a built-in routine)."""

    path: Path
    created: bool
    change: DoseChange


def _values(step: Step, routine: Routine) -> dict[str, str | None]:
    """What to write in the entry: only the keys the step changes."""
    assert step.new is not None
    if step.kind == progression.HOLD:
        return {"hold": f"{step.new.hold}s"}
    if step.kind == progression.REPS:
        return {"reps": str(step.new.reps)}
    # A variant comes in at its own dose: keys the entry sets take the variant's values, a
    # hold for a variant that moves (or a tempo for one that holds) goes.
    override = routine.items[step.position].override
    values: dict[str, str | None] = {}
    if override.reps is not None:
        values["reps"] = str(step.new.reps)
    if override.hold is not None:
        values["hold"] = f"{step.new.hold}s" if not step.new.tempo else None
    if override.tempo is not None:
        values["tempo"] = f"{step.new.tempo}s" if step.new.tempo else None
    if override.sides is not None and override.sides != step.new.sides:
        values["sides"] = f"[{', '.join(step.new.sides)}]" if step.new.sides else "none"
    return values


def _user_file(routine: Routine) -> Path:
    """The person's file that defines the routine in force."""
    from backcoach.library import scaffold

    for path in scaffold.user_files_named(routine.id):
        if shown_path(path) == routine.origin.path:
            return path
    raise BadInput(f"cannot find the file of routine '{routine.id}' ({routine.origin.path})")


def _entry_in(text: str, position: int, catalog: Catalog) -> tuple[str, Dose]:
    """The exercise and dose the routine text gives at `position`; BadInput if it does not
    read as a valid routine (the edit is then not written)."""
    from backcoach.library import doseedit, schema
    from backcoach.library.yamlsrc import YamlFailure, compose

    out = schema.Collector("routine")
    try:
        node = compose(text.removeprefix(doseedit.BOM), "routine")
    except YamlFailure as failure:
        raise BadInput(f"the changed routine would not read: {failure.problem}") from None
    if node is None:
        raise BadInput("the changed routine would be empty")
    values, ok = schema.read_mapping(node, schema.ROUTINE_FIELDS, out, "routine")
    if not ok:
        raise BadInput(f"the changed routine would not read: {out.problems[0]}")
    routine = schema.build_routine(values, Origin("routine", builtin=False))
    item = routine.items[position]
    exercise = catalog.exercises[item.exercise_id]
    return item.exercise_id, item.override.apply(exercise.dose)


def apply_step(store: HistoryStore, catalog: Catalog, routine: Routine, verdict: Verdict,
               now: datetime, zone: tzinfo | None) -> Applied:
    """Write a verdict's step into the person's copy of the routine (a built-in one is copied
    first), with a dated comment, and keep what was there for `undo_last`."""
    from backcoach import homefiles
    from backcoach.library import doseedit, scaffold

    step = verdict.step
    if step is None or not step.appliable or step.new is None or step.new_exercise is None:
        raise BadInput("nothing to write: the suggestion is the gentle routine, which "
                       "`backcoach run gentle` starts")
    created = routine.origin.builtin
    path = scaffold.copy_builtin(routine) if created else _user_file(routine)
    try:
        before = path.read_bytes().decode("utf-8")
        day = now.astimezone(zone).date().isoformat()
        comment = (f"{day} backcoach progress --apply: step {step.direction}, {step.what}, "
                   f"as {verdict.why}; `backcoach progress --undo` takes it back")
        same = step.exercise is not None and step.new_exercise.id == step.exercise.id
        new_id = None if same else step.new_exercise.id
        try:
            after = doseedit.change_entry(before, step.position, _values(step, routine),
                                          comment, new_id)
        except doseedit.EditFailed as exc:
            raise BadInput(f"cannot write the step into {shown_path(path)}: {exc}; make the "
                           f"change by hand with `backcoach edit {routine.id}`") from None
        written = _entry_in(after, step.position, catalog)
        if written != (step.new_exercise.id, step.new):
            raise BadInput(f"the change could not be written into {shown_path(path)} as "
                           "planned; change it by hand with `backcoach edit "
                           f"{routine.id}`")
        homefiles.rewrite_file(path, after)
    except BaseException:
        if created:
            path.unlink(missing_ok=True)
        raise
    change = DoseChange(now, routine.id, step.new_exercise.id, step.direction, step.kind,
                        verdict.line, str(path.resolve()), before, after, created)
    try:
        change_id = store.record_dose_change(change)
    except BaseException:  # not kept, so not undoable: the file goes back as it was
        if created:
            path.unlink(missing_ok=True)
        else:
            homefiles.rewrite_file(path, before)
        raise
    return Applied(path, created, change._replace(id=change_id))


def undo_last(store: HistoryStore, now: datetime) -> DoseChange:
    """Take back the latest change `apply_step` made and not yet undone: the file gets its
    text back byte for byte (a copy it made is removed). When the person changed the file
    since, only the lines the step changed are put back, if they are still as written."""
    from backcoach import homefiles

    changes = store.dose_changes()
    if not changes:
        raise BadInput("nothing to undo: `backcoach progress --apply` has not changed any "
                       "routine (or every change was undone already)")
    change = changes[0]
    path = Path(change.path)
    try:
        current = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadInput(f"{shown_path(path)} is gone, so there is nothing to undo in it") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(f"cannot read {shown_path(path)}: {exc}") from None
    if current == change.after_text:
        if change.created_file:
            path.unlink()  # the copy was made for the step: the built-in is in force again
        else:
            homefiles.rewrite_file(path, change.before_text)
    else:
        old, new = _changed_lines(change.before_text, change.after_text)
        if current.count(new) != 1:
            raise BadInput(f"{shown_path(path)} has changed since the step was written, and "
                           "the lines it changed are no longer as written; change them back "
                           f"by hand with `backcoach edit {change.routine_id}`")
        homefiles.rewrite_file(path, current.replace(new, old))
    store.mark_undone(change.id or 0, now)
    return change


def _changed_lines(before: str, after: str) -> tuple[str, str]:
    """The whole lines that differ between two texts, before and after, as one block each."""
    import difflib

    old_lines = before.splitlines(keepends=True)
    new_lines = after.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    blocks = [op for op in matcher.get_opcodes() if op[0] != "equal"]
    first, last = blocks[0], blocks[-1]
    return ("".join(old_lines[first[1]:last[2]]), "".join(new_lines[first[3]:last[4]]))
