"""The exercise library as frozen values: exercises, doses, routines. No I/O here.

Annotations here are evaluated as the classes are made, not kept as text (no `from
__future__ import annotations`): typing.NamedTuple compiles each text annotation to check it,
which made this module, loaded by every command, a third slower to import.
"""

import re
from typing import NamedTuple

# Re-exported: pages and views import them from here or, to start faster, from timefmt.
from backcoach.timefmt import format_clock as format_clock
from backcoach.timefmt import format_duration as format_duration

SIDES = ("left", "right")
POSITIONS = ("lying", "kneeling", "sitting", "standing")
FAMILIES = ("knee-to-chest", "piriformis", "hip-flexor", "neck", "shoulders", "other")
# What an exercise is for; it decides how a dose steps up (progression): a stretch adds hold
# time and reps up to its caps, a strengthening exercise adds reps first, then hold time, then
# moves to its harder variant, a mobility exercise adds a few slow reps.
TYPES = ("stretch", "strength", "mobility")
# The body regions an exercise loads. A stop for spreading symptoms skips the rest of the
# session's exercises that load the same region; dizziness in neck work skips the neck ones.
REGIONS = ("low-back", "hip", "knee", "neck", "shoulder", "upper-back")
# What an exercise without `regions` is taken to load, from its family: a user's exercise that
# names no region is still skipped with its kind after a stop.
FAMILY_REGIONS: dict[str, tuple[str, ...]] = {
    "knee-to-chest": ("low-back", "hip"),
    "piriformis": ("hip", "low-back"),
    "hip-flexor": ("hip", "low-back"),
    "neck": ("neck",),
    "shoulders": ("shoulder", "upper-back"),
    "other": (),
}
# Tags an exercise can be unsuitable for; the safety screen's clearance answers use the same words.
CONTRAINDICATIONS = (
    "osteoporosis",
    "spinal-fracture",
    "hip-replacement",
    "recent-surgery",
    "pregnancy",
    "heart-condition",
    "shoulder-problem",
    "knee-problem",
)

# The moments after a session a lesson can fit: the first session ever, and each kind of advice
# the pain rules give (safety.rules.AdviceClass, but for an emergency, when only what to do now
# is said). A test keeps the two lists together.
LESSON_MOMENTS = ("first-session", "better", "steady", "small-rise", "first-rise",
                  "repeated-rise", "high", "severe", "stopped", "stopped-for-safety",
                  "not-improving", "worse-over-weeks", "no-scores")
LESSON_WORDS = (60, 120)  # a lesson is short: read in well under a minute

# Compiled on first use (`re` keeps it): 0.4 ms that a session starting from the cache skips.
_DURATION = r"^\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*(?:(\d+)\s*s(?:ec)?)?\s*$"
MAX_DURATION_TEXT = 40  # characters, spaces included


def parse_duration(text: str) -> int:
    """Parse `30`, `30s`, `1m`, `1m30s` (or `1h`) into whole seconds; ValueError if malformed."""
    stripped = text.strip().lower()
    # No duration is written in more than a few characters; a long run of spaces made the
    # pattern below backtrack for minutes (a file built to hang the validator).
    if len(stripped) > MAX_DURATION_TEXT:
        raise ValueError(text)
    if stripped.isdigit():
        return int(stripped)
    match = re.match(_DURATION, stripped)
    if not stripped or match is None or not any(match.groups()):
        raise ValueError(text)
    hours, minutes, seconds = (int(part) if part else 0 for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


class Dose(NamedTuple):
    """How much of an exercise: holds per side, their length, the sides and the pauses.

    An exercise done as slow moving reps rather than holds (a dead bug, cat-cow) has a `tempo`:
    the seconds one rep takes. Then `hold` is 0, and each rep on each side is one timed step of
    `tempo` seconds; with `switch` 0 the sides simply alternate, rep by rep.
    """

    hold: int = 30
    reps: int = 3
    sides: tuple[str, ...] = ()
    rest: int = 10
    setup: int = 10
    switch: int = 5
    tempo: int = 0

    @property
    def work(self) -> int:
        """Seconds of work in one rep on one side: the tempo of a moving rep, else the hold."""
        return self.tempo if self.tempo else self.hold

    @property
    def side_slots(self) -> tuple[str | None, ...]:
        """The sides held in each rep, in order; `(None,)` when the exercise has no side."""
        return self.sides or (None,)

    @property
    def hold_seconds(self) -> int:
        """Seconds spent holding, over all reps and sides."""
        return self.reps * len(self.side_slots) * self.work

    def total_seconds(self) -> int:
        """Planned length: setup, every hold, a switch between sides, a rest between reps."""
        slots = len(self.side_slots)
        switches = self.reps * (slots - 1) * self.switch
        rests = (self.reps - 1) * self.rest
        return self.setup + self.hold_seconds + switches + rests

    def describe(self) -> str:
        """A short dose line such as `3 x 30 s each side`, or `8 slow reps of 4 s each side`."""
        if len(self.sides) == 2:
            where = " each side"
        elif self.sides:
            where = f" {self.sides[0]} side only"
        else:
            where = ""
        if self.tempo:
            reps = "1 slow rep" if self.reps == 1 else f"{self.reps} slow reps"
            return f"{reps} of {format_duration(self.tempo)}{where}"
        return f"{self.reps} x {format_duration(self.hold)}{where}"


class Origin(NamedTuple):
    """Where a definition came from: its file and whether it ships with backcoach."""

    path: str
    builtin: bool

    @property
    def label(self) -> str:
        """`built-in` or `user`."""
        return "built-in" if self.builtin else "user"


class Picture(NamedTuple):
    """A drawing of an exercise's position for the terminal and the handout, as rows of text:
    the start position, and the end position when the body moves between them."""

    start: tuple[str, ...]
    end: tuple[str, ...] = ()  # empty: one position, held as it starts

    @property
    def drawings(self) -> tuple[tuple[str, ...], ...]:
        """The start drawing, then the end one if there is one."""
        return (self.start, self.end) if self.end else (self.start,)


class Exercise(NamedTuple):
    """One stretch with its instructions, default dose and safety notes."""

    id: str
    name: str
    family: str
    position: str
    steps: tuple[str, ...]
    dose: Dose = Dose()
    summary: str = ""
    equipment: tuple[str, ...] = ()
    cues: tuple[str, ...] = ()
    cautions: tuple[str, ...] = ()
    stop_if: tuple[str, ...] = ()
    contraindications: tuple[str, ...] = ()
    easier: str | None = None
    harder: str | None = None
    sources: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    picture: Picture | None = None
    type: str = "stretch"
    key_step: int | None = None  # the step kept on screen during the hold (1-based)
    origin: Origin = Origin("<memory>", builtin=False)

    @property
    def hold_step(self) -> int:
        """The number of the step to keep on screen during the hold: `key_step`, else the last
        but one of three or more steps (the last usually says how to come out of the
        position), else the last."""
        if self.key_step is not None and 1 <= self.key_step <= len(self.steps):
            return self.key_step
        return len(self.steps) - 1 if len(self.steps) >= 3 else len(self.steps)

    @property
    def loads(self) -> frozenset[str]:
        """The regions this exercise loads: its own `regions`, else its family's."""
        return frozenset(self.regions or FAMILY_REGIONS.get(self.family, ()))


class DoseOverride(NamedTuple):
    """Dose fields a routine sets for one of its exercises; None keeps the exercise's own."""

    hold: int | None = None
    reps: int | None = None
    sides: tuple[str, ...] | None = None
    rest: int | None = None
    setup: int | None = None
    tempo: int | None = None

    def apply(self, dose: Dose) -> Dose:
        """The exercise's dose with these overrides laid over it. A hold makes a moving
        exercise one that holds (tempo 0); a tempo makes a holding one move (hold 0)."""
        changes = {name: value for name, value in self._asdict().items() if value is not None}
        if self.hold is not None and self.tempo is None:
            changes["tempo"] = 0
        elif self.tempo is not None and self.hold is None:
            changes["hold"] = 0
        return dose._replace(**changes)


class RoutineItem(NamedTuple):
    """An exercise in a routine, by id, with optional dose overrides."""

    exercise_id: str
    override: DoseOverride = DoseOverride()


class Schedule(NamedTuple):
    """How often a routine is meant to be done."""

    per_day: int = 1
    days_per_week: int = 5


class Routine(NamedTuple):
    """An ordered list of exercises with a schedule."""

    id: str
    name: str
    items: tuple[RoutineItem, ...]
    description: str = ""
    schedule: Schedule = Schedule()
    rest_between: int = 15
    prescribed_by: str = ""  # the clinician who set it, for the printed handout
    prescribed_for: str = ""  # the person it is for
    notes: tuple[str, ...] = ()  # the clinician's notes, printed on the handout
    origin: Origin = Origin("<memory>", builtin=False)


class Lesson(NamedTuple):
    """A short lesson (60-120 words) about living with back pain, with where its facts come
    from. `fits` names the moments after a session it suits (LESSON_MOMENTS); `order` places
    it in the sequence of lessons offered on calm days."""

    id: str
    title: str
    text: str
    sources: tuple[str, ...]
    fits: tuple[str, ...] = ()
    order: int = 50
    origin: Origin = Origin("<memory>", builtin=False)

    @property
    def words(self) -> int:
        """How many words the text has."""
        return len(self.text.split())
