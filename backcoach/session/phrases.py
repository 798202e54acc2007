"""The words a session uses, shared by the live view, the plain view and the spoken cues."""

from __future__ import annotations

from collections.abc import Sequence

from backcoach.library.model import format_duration
from backcoach.session.plan import HOLD, REST, SETUP, SWITCH, TRANSITION, Step

HURT_QUESTION = ("This hurts: is it sharp (s), spreading or tingling into a leg or arm (l), "
                 "dizziness or a change in your vision (d), or a dull ache (a)? Esc to carry "
                 "on.")
HURT_LEVEL_QUESTION = ("A dull ache: how strong is it from 0 to 10? Press a digit, or t for 10. "
                       "Esc if you are not sure.")
KEYS_LEGEND = "space pause  n next  b back  +/- 5 s  h hurts  e easier  q quit  ? help"
KEYS_HELP = (
    ("space", "pause or carry on"),
    ("n", "next step (skip this one)"),
    ("b", "back one step"),
    ("+ / -", "make this hold 5 s longer or shorter"),
    ("h", "this hurts: stop if the pain is sharp or spreading, or you feel dizzy"),
    ("e", "swap to the easier version, when there is one"),
    ("q", "quit; what you did is saved"),
    ("?", "show or hide this help"),
)


def seconds_words(seconds: float) -> str:
    """`30 seconds`, `1 second`, `1 min 30 s` for longer spans."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    return format_duration(whole)


def side_words(side: str | None) -> str:
    """`Left side` or '' for an exercise without sides."""
    return f"{side.capitalize()} side" if side else ""


def moving(step: Step) -> bool:
    """Whether the step is one slow moving rep (a dose with a tempo), not a hold."""
    return step.kind == HOLD and step.dose.tempo > 0


def work_word(step: Step) -> str:
    """What the person does in a work step: `hold`, or `slow rep` for a moving one."""
    return "slow rep" if moving(step) else "hold"


def step_line(step: Step) -> str:
    """One sentence for a step as it starts, e.g. `Left side, rep 1 of 3: hold 30 seconds.`
    (`Left side, rep 1 of 8: slowly, 4 seconds.` for a moving rep)."""
    dose = step.dose
    if step.kind == HOLD:
        where = side_words(step.side)
        rep = f"rep {step.rep} of {dose.reps}"
        lead = f"{where}, {rep}" if where else rep.capitalize()
        if moving(step):
            return f"{lead}: slowly, {seconds_words(step.seconds)}."
        return f"{lead}: hold {seconds_words(step.seconds)}."
    if step.kind == REST:
        return f"Rest {seconds_words(step.seconds)}."
    if step.kind == SWITCH:
        return f"Switch to your {step.side} side ({seconds_words(step.seconds)})."
    if step.kind == TRANSITION:
        return f"Next: {step.exercise.name}, in {seconds_words(step.seconds)}."
    if step.kind == SETUP:
        return (f"{step.exercise.name}: {dose.describe()}. "
                f"Get into position ({seconds_words(step.seconds)}).")
    return step.kind


def spoken(step: Step) -> str:
    """A short phrase to speak as a step starts, for someone who cannot see the screen."""
    if moving(step):  # a rep every few seconds: its number (and side) is all there is time for
        return f"{step.side.capitalize()}, {step.rep}" if step.side else str(step.rep)
    if step.kind == HOLD:
        where = side_words(step.side)
        hold = f"Hold for {seconds_words(step.seconds)}"
        return f"{where}. {hold}" if where else hold
    if step.kind == REST:
        return "Rest"
    if step.kind == SWITCH:
        return "Switch sides"
    if step.kind == TRANSITION:
        return f"Next, {step.exercise.name}"
    if step.kind == SETUP:
        return f"{step.exercise.name}. Get into position"
    return ""


def next_words(steps: Sequence[Step], index: int) -> str:
    """What comes after step `index`, e.g. `rest 10 s, then left side`."""
    if index + 1 >= len(steps):
        return "the end"
    upcoming = steps[index + 1]
    if upcoming.kind == HOLD:
        return f"{work_word(upcoming)} {format_duration(upcoming.seconds)}" + (
            f", {upcoming.side} side" if upcoming.side else "")
    if upcoming.kind in (REST, SWITCH):
        after = steps[index + 2] if index + 2 < len(steps) else None
        lead = f"{upcoming.kind} {format_duration(upcoming.seconds)}"
        if after is not None and after.kind == HOLD and after.side:
            return f"{lead}, then {after.side} side"
        return lead
    if upcoming.kind == TRANSITION:
        return f"{upcoming.exercise.name}"
    return f"{upcoming.exercise.name}, get into position"


def cue_for(step: Step, shown_for: float) -> str:
    """The hold cue to show: they take turns every 10 seconds of the hold."""
    cues = step.exercise.cues
    if not cues:
        return ""
    return cues[int(shown_for // 10) % len(cues)]
