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
QUIT_QUESTION = ("Quit this session? Press q again (or y) to quit; any other key carries on. "
                 "What you did is saved.")
KEYS_HELP = (
    ("space", "pause or carry on; during the setup, wait until you are in position"),
    ("n", "next step (skip this one); during the setup, start now"),
    ("b", "back one step"),
    ("+ / -", "make this hold 5 s longer or shorter (never under 5 s)"),
    ("h", "this hurts: stop if the pain is sharp or spreading, or you feel dizzy"),
    ("e", "swap to the easier version, when there is one"),
    ("q", "quit (press q again to be sure); what you did is saved"),
    ("?", "show this help; the timer waits while it is open"),
)
HELP_CLOSE = "The timer waits while this help is open. Space, Esc or ? closes it."
# Keys of the legend, most needed first: a narrow window keeps the first that fit.
_LEGEND_PRIORITY = ("pause", "hurt", "help", "quit", "next", "back", "adjust", "easier")


def legend(kind: str, easier: bool, width: int, paused: bool = False) -> str:
    """The key bar for a step: what each key does now, as much of it as fits in `width`.

    How to pause (or, in a setup, wait; while paused or waiting, carry on) and "this hurts"
    come first; `+/-` only during a hold, `e easier` only when the exercise has an easier
    version to swap to."""
    pause = "space wait" if kind == SETUP else "space pause"
    keys = {"pause": "space continue" if paused else pause,
            "next": "n start now" if kind == SETUP else "n next", "back": "b back",
            "adjust": "+/- 5 s" if kind == HOLD else "", "hurt": "h hurts",
            "easier": "e easier" if easier else "", "quit": "q quit", "help": "? help"}
    order = ("pause", "next", "back", "adjust", "hurt", "easier", "quit", "help")
    kept = [name for name in _LEGEND_PRIORITY if keys[name]]
    while kept:
        text = "  ".join(keys[name] for name in order if name in kept)
        if len(text) <= width:
            return text
        kept.pop()
    return keys["pause"]


def title_label(step: Step) -> str:
    """What the step is, for the title line: the side and rep of a hold, and for the steps
    between holds what comes next (`rest · then LEFT SIDE`), never the side just held."""
    side = side_words(step.side).upper()
    if step.kind == HOLD:
        rep = f"rep {step.rep}/{step.dose.reps}"
        return f"{side} · {rep}" if side else rep
    if step.kind == SETUP:
        return f"get into position · {side} first" if side else "get into position"
    if step.kind == SWITCH:
        return f"switch to {side}"
    if step.kind == REST:
        return f"rest · then {side}" if side else "rest"
    return "get ready"


def adjust_words(delta: float, length: float) -> str:
    """What + or - did to the hold."""
    if delta == 0:
        return (f"This hold is as short as it goes ({format_duration(length)}); "
                "n skips the rest of it.")
    return f"Hold {'longer' if delta > 0 else 'shorter'}: {format_duration(length)} in all."


def seconds_words(seconds: float) -> str:
    """`30 seconds`, `1 second`, `1 min 30 s` for longer spans."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    return format_duration(whole)


def spoken_duration(seconds: float) -> str:
    """A length of time in words for the voice: `51 seconds`, `about 11 minutes`."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole} second{'s' if whole != 1 else ''}"
    minutes = round(whole / 60)
    return f"about {minutes} minute{'s' if minutes != 1 else ''}"


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


VOICES = ("brief", "full")  # how much the voice says: the essentials, or the steps and cues too
PAIN_KINDS_SPOKEN = "Is it sharp, spreading, dizzy, or a dull ache?"
PAIN_LEVEL_SPOKEN = "How strong is it, from 0 to 10?"


def spoken(step: Step, detail: str = "full") -> str:
    """A short phrase to speak as a step starts, for someone who cannot see the screen:
    `brief` says what to do; `full` adds the first step of an exercise, the rep and how long."""
    full = detail == "full"
    if moving(step):  # a rep every few seconds: its number (and side) is all there is time for
        return f"{step.side.capitalize()}, {step.rep}" if step.side else str(step.rep)
    if step.kind == HOLD:
        where = side_words(step.side)
        if full:
            rep = f"rep {step.rep} of {step.dose.reps}"
            lead = f"{where}, {rep}" if where else rep.capitalize()
            return f"{lead}. Hold for {seconds_words(step.seconds)}"
        return f"{where}. Hold" if where else "Hold"
    if step.kind == REST:
        return f"Rest {seconds_words(step.seconds)}" if full else "Rest"
    if step.kind == SWITCH:
        return f"Switch to your {step.side} side"
    if step.kind == TRANSITION:
        return f"Next, {step.exercise.name}"
    if step.kind == SETUP:
        first = step.exercise.steps[0] if full and step.exercise.steps else "Get into position"
        return f"{step.exercise.name}. {first}"
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
