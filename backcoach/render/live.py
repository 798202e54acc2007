"""The live terminal view: a calm full-screen coach redrawn on events, never on a timer.

Every frame is a column of parts (the header, the title with the side and rep, the countdown,
the cue, the stop signs, the key bar ...). What must never be cut is always there: the
countdown, the side and rep, the stop signs and cautions (taking turns when they do not all
fit), any question or pause, and how to pause. The rest gives way as the window shrinks, in a
fixed order, and the countdown grows as it grows: 21-row digits in a tall window, plain digits
in a small one (`_choose`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len
from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    OverflowMethod,
    RenderableType,
    RenderResult,
)
from rich.live import Live
from rich.measure import Measurement
from rich.padding import Padding
from rich.progress_bar import ProgressBar
from rich.rule import Rule
from rich.segment import Segment
from rich.text import Text

from backcoach.library.model import format_clock, format_duration
from backcoach.render.bigdigits import FONTS, Font
from backcoach.render.live_picture import GAP, picture_text
from backcoach.safetext import Stripped
from backcoach.session import events as ev
from backcoach.session.phrases import (
    HELP_CLOSE,
    HURT_LEVEL_QUESTION,
    HURT_QUESTION,
    KEYS_HELP,
    QUIT_QUESTION,
    adjust_words,
    cue_for,
    legend,
    next_words,
    title_label,
    work_word,
)
from backcoach.session.plan import HOLD, REST, SETUP, SWITCH, TRANSITION, Step

if TYPE_CHECKING:
    from backcoach.session.plan import Plan

MESSAGE_SECONDS = 6.0  # how long (real time) a pain answer or a +/- stays on screen
# Lists that do not all fit in the window (stop signs, cautions, steps, notices) take turns,
# this many planned seconds each; all of them are shown whenever they fit.
ROTATE_SECONDS = 5.0
PADDING = 1  # columns left empty at each side
SETUP_DIGITS_MAX = 10  # rows: a setup's countdown is smaller than a hold's

_STYLE = {HOLD: "bold cyan", REST: "green", SWITCH: "yellow", SETUP: "magenta",
          TRANSITION: "green"}
# Events the runner always follows at once with another (a step_end with the next step_start,
# a pain answer with a resume or a step_end ...): a frame drawn for them would be on screen for
# microseconds, so only their state is kept. Together with ticks that come only when the count
# changes, every frame drawn differs from the one before.
_FOLLOWED_AT_ONCE = (ev.SessionStarted, ev.StepEnded, ev.Skipped, ev.WentBack, ev.Swapped,
                     ev.PainAnswered, ev.LeftOut)
_QUESTIONS = {"asking": HURT_QUESTION, "level": HURT_LEVEL_QUESTION, "quit": QUIT_QUESTION}

# The parts that give way when the window is too short, first to go first. Everything else
# (title, countdown, status, signs, cautions, steps, notices, help, legend) stays.
_OPTIONAL = {
    "timer": ("next", "gap", "rule", "bar", "header", "key"),
    "setup": ("next", "gap", "rule", "header", "dose", "equipment", "easier"),
    "help": ("next", "rule", "header"),
}
# What may give way to the picture of the position on a setup screen: nothing that says what
# to do or what to watch for.
_PICTURE_BEFORE = frozenset({"count", "next", "gap", "rule", "header"})
# Lists that take turns when they do not all fit, in the order they give way.
_LISTS = {"timer": ("sign",), "setup": ("caution", "step", "notice"), "help": ()}


# Part and Layout are named tuples: a dataclass costs a millisecond to build, before the
# first frame.
class Part(NamedTuple):
    """One piece of the frame: what it is (its kind, for the layout), what it draws, and the
    rows it takes (measured once for each text and width). `item` numbers a list's items."""

    kind: str
    renderable: RenderableType
    rows: int
    item: int = -1


class Layout(NamedTuple):
    """What a frame keeps: the countdown's font (None: plain digits), the optional parts it
    leaves out, and how many items of each list it shows at once (missing: all)."""

    font: Font | None
    dropped: frozenset[str] = frozenset()
    shown: Mapping[str, int] = MappingProxyType({})


class LiveView:
    """Draws the current step from what the events say, each time one arrives.

    `notices` are what the run had to say before the session (what is left out today and
    why, a reminder from the last safety check, no speech program ...): they are shown on the
    first exercise's setup screen, where they stay in view while the person gets ready.
    """

    def __init__(self, console: Console, big_digits: bool = True,
                 notices: Sequence[str] = (), pictures: bool = True) -> None:
        self.console = console
        self.big_digits = big_digits  # False: plain digits at any size (`countdown: plain`)
        self.pictures = pictures  # the position's drawing beside the steps, when it fits
        self.live = Live(console=console, auto_refresh=False, screen=True,
                         redirect_stdout=False, redirect_stderr=False, transient=True)
        self._started = False
        self._notices = tuple(notices)
        self._plan: Plan | None = None
        self._step: Step | None = None
        self._easier = False  # key e can swap the current exercise
        self._remaining = 0.0
        self._length = 0.0  # what the current step lasts now (a hold changed by + or -)
        self._status = ""  # paused, asking, level, follow-up, quit
        self._message = ""
        self._message_until = 0.0
        self._message_for = -1  # the exercise (place in the plan) the message is about
        # A stop stays on screen, naming the exercise stopped, through the move to the next
        # exercise; it is never shown on that exercise's own steps.
        self._stop_note = ""
        self._stop_for = -1
        self._stop_shown = False
        self._question = ""  # the follow-up question waiting for y or n
        self._help = False
        self._rows: dict[tuple[str, int], int] = {}  # rows of a text at a width
        self._layout_key: object = None
        self._layout: Layout | None = None
        # The countdown keeps its size through a step (a question or a shorter cue never
        # makes it grow): the largest font height allowed, for a step at a window size.
        self._font_cap: tuple[object, int] = (None, 0)
        self._picture = False  # whether the setup's picture fits, for the layout chosen

    def handle(self, event: ev.Event) -> None:
        """Update state from the event and redraw once."""
        if not self._started:
            self.live.start()
            self._started = True
        if isinstance(event, ev.SessionEnded):
            return
        if isinstance(event, ev.SessionStarted):
            self._plan = event.plan
            self._step = event.plan.steps[0]  # about to start
        elif isinstance(event, ev.StepEvent):
            self._follow(event)
        if event.t > self._message_until:
            self._message = ""
        if isinstance(event, _FOLLOWED_AT_ONCE):
            return  # the runner sends the next event at once; that frame is the one to show
        self.live.update(self.frame(), refresh=True)

    def _follow(self, event: ev.StepEvent) -> None:
        if event.remaining is not None:
            self._remaining = event.remaining
        if isinstance(event, ev.Paused):
            self._status = "paused"
        elif isinstance(event, ev.StepStarted):
            self._status = ""
            self._step = event.step
            self._easier = event.easier
            self._length = event.step.seconds
            self._started_step(event.step)
        elif isinstance(event, ev.Resumed):
            self._status = ""
        elif isinstance(event, ev.QuitAsked):
            self._status = "quit"
        elif isinstance(event, ev.PainAsked):
            self._status = {"ask": "asking", "level": "level"}.get(event.phase, "follow-up")
            self._question = event.question
        elif isinstance(event, ev.PainAnswered):
            self._status = ""
            if event.stop:
                self._stop_note = f"Stopped: {event.step.exercise.name}. {event.message}"
                self._stop_for, self._stop_shown = event.step.exercise_index, False
            else:
                self._show_message(event.message, event.t, event.step.exercise_index)
        elif isinstance(event, ev.LeftOut):
            self._stop_note += f" Left out for your safety: {', '.join(event.names)}."
        elif isinstance(event, ev.HelpToggled):
            self._help = event.shown
            if event.shown and self._status == "quit":
                self._status = ""
        elif isinstance(event, ev.Adjusted):
            self._length = event.length
            self._show_message(adjust_words(event.delta, event.length), event.t,
                               event.step.exercise_index)
        elif isinstance(event, ev.Swapped):
            self._plan = event.plan
            self._show_message(f"Swapped to the easier version: {event.to_name}.", event.t,
                               event.position)

    def _started_step(self, step: Step) -> None:
        """A message about one exercise never carries onto another's screen; a stop note is
        shown through the move to the next exercise (or on its first screen when there is no
        move between them), then cleared. The notices from before the session go once the
        first step is over."""
        if step.index > 0:
            self._notices = ()
        if step.exercise_index != self._message_for:
            self._message = ""
        if self._stop_note and step.exercise_index != self._stop_for:
            if step.kind == TRANSITION or not self._stop_shown:
                self._stop_shown = True
            else:
                self._stop_note = ""

    def _show_message(self, text: str, t: float, exercise_index: int) -> None:
        self._message = text
        self._message_until = t + MESSAGE_SECONDS
        self._message_for = exercise_index

    def _note(self) -> str:
        """The message to show now: a stop note first, then a message about this exercise."""
        return self._stop_note or self._message

    def close(self) -> None:
        """Leave the full screen and give the terminal back."""
        if self._started:
            self.live.stop()
            self._started = False

    # ------------------------------------------------------------------ what to draw

    def frame(self) -> RenderableType:
        """The whole screen for the current state, laid out for the window's size."""
        plan, step = self._plan, self._step
        assert plan is not None and step is not None, "a frame is drawn once a step has started"
        size = self.console.size
        width = max(1, size.width - 2 * PADDING)
        screen = "help" if self._help else "setup" if step.kind == SETUP else "timer"
        parts = self._parts(plan, step, screen, width)
        # The layout changes only with what is on screen besides the count: chosen once for
        # each such state, not on every tick.
        key = (step.index, screen, self._status, self._note(), self._length, size,
               tuple((part.kind, part.rows) for part in parts), self._notices)
        drawing = picture_text(step.exercise, width) \
            if screen == "setup" and self.pictures else None
        if key != self._layout_key:
            self._layout_key = key
            self._layout = self._choose(parts, screen, size.height, width, step)
            self._picture = False
            if drawing is not None:
                self._try_picture(parts, drawing, size.height, width, step)
        assert self._layout is not None
        if self._picture and drawing is not None:
            parts = self._beside(parts, drawing, width)
        return self._draw(parts, self._layout, step, size.height, width)

    def _try_picture(self, parts: list[Part], drawing: Text, height: int, width: int,
                     step: Step) -> None:
        """Show the picture of the position where the screen with it still keeps every step,
        caution and notice in view at once, as it did without, and all it kept of the dose,
        equipment and easier line: only the setup's big digits (`Starting in N s` says the
        same), the header, the rules, blank rows and the next line may give way to it."""
        plain, cap = self._layout, self._font_cap
        assert plain is not None
        pictured = self._beside(parts, drawing, width)
        layout = self._choose(pictured, "setup", height, width, step)
        kept = layout.dropped <= plain.dropped | _PICTURE_BEFORE and layout.shown == plain.shown
        if kept and self._height(pictured, layout) <= height:
            self._layout, self._picture = layout, True
        else:
            self._font_cap = cap

    def _beside(self, parts: list[Part], drawing: Text, width: int) -> list[Part]:
        """The parts with the steps as one block, the drawing on their right (measured at the
        width left to them)."""
        steps = [part for part in parts if part.kind == "step"]
        if not steps:
            return parts
        beside = Beside(Group(*(part.renderable for part in steps)), drawing, GAP)
        block = self._measured("step", beside, width, 0)
        first = parts.index(steps[0])
        return [*parts[:first], block, *(part for part in parts[first:] if part.kind != "step")]

    def _parts(self, plan: Plan, step: Step, screen: str, width: int) -> list[Part]:
        """Every part this state could show, top to bottom (the countdown is added when drawn,
        in the font the layout chose)."""
        parts = [Part("header", self._header(plan, step), 1), Part("rule", Rule(style="dim"), 1),
                 self._measured("title", self._title(step, width), width)]
        if screen == "help":
            asking = QUIT_QUESTION if self._status == "quit" else HELP_CLOSE
            parts.append(self._measured("status", Text(asking, style="bold reverse"), width))
            parts.append(self._measured("help", self._help_table(), width))
        elif screen == "setup":
            parts.extend(self._setup_parts(step, width))
        else:
            parts.extend(self._timer_parts(step, width))
        parts.append(self._measured("next", Text(f"Next: {next_words(plan.steps, step.index)}",
                                                 style="dim"), width))
        parts.append(Part("rule", Rule(style="dim"), 1))
        keys = legend(step.kind, self._easier, width, paused=self._status == "paused")
        parts.append(self._measured("legend", Text(keys, style="dim"), width))
        return parts

    def _setup_parts(self, step: Step, width: int) -> list[Part]:
        exercise = step.exercise
        # Big digits for the seconds left to get into position, only when everything else
        # fits too (the first part to go): `Starting in N s` always says it.
        dose = f"{step.dose.describe()} · about {format_duration(step.dose.total_seconds())}"
        parts = [Part("count", Text(""), 0), self._measured("dose", Text(dose, style="dim"),
                                                            width)]
        if exercise.equipment:
            parts.append(self._measured("equipment", Text(
                f"You need: {', '.join(exercise.equipment)}"), width))
        for number, notice in enumerate(self._notices):
            parts.append(self._measured("notice", Text(notice, style="bold yellow"), width,
                                        number))
        parts.append(Part("gap", Text(""), 1))
        digits = len(f"{len(exercise.steps)}.")
        for number, line in enumerate(exercise.steps, start=1):
            key = number == exercise.hold_step
            parts.append(self._measured("step", self._step_line(number, line, digits, key),
                                        width, number - 1))
        for number, caution in enumerate(exercise.cautions):
            parts.append(self._measured("caution", Text(f"Careful: {caution}", style="yellow"),
                                        width, number))
        if self._easier:
            parts.append(self._measured("easier", Text(
                "Too much today? Press e for the easier version."), width))
        parts.append(Part("gap", Text(""), 1))
        if self._note() and self._status in ("", "paused"):
            parts.append(self._measured("status", Text(self._note(), style="bold"), width))
        parts.append(self._measured("status", Text(self._setup_status(width), style="bold"),
                                    width))
        return parts

    def _setup_status(self, width: int) -> str:
        """The setup's countdown and how to wait, shorter in a narrow window (one row)."""
        if self._status in _QUESTIONS:
            return _QUESTIONS[self._status]
        if self._status == "follow-up":
            return self._question
        if self._status == "paused":
            text = "Waiting for you · space when you are in position · n to start now"
            return text if len(text) <= width else "Waiting for you · space when ready"
        starting = max(0, math.ceil(self._remaining - 1e-6))
        text = f"Starting in {starting} s · space to wait · n to start now"
        return text if len(text) <= width else f"Starting in {starting} s · space to wait"

    def _timer_parts(self, step: Step, width: int) -> list[Part]:
        parts = [Part("gap", Text(""), 1), Part("count", Text(""), 1),
                 Part("gap", Text(""), 1), Part("bar", self._bar(step), 1)]
        status = self._timer_status(step)
        if status is not None:
            parts.append(self._measured("status", status, width))
        if step.kind in (HOLD, SWITCH):
            number = step.exercise.hold_step
            parts.append(self._measured("key", Text(
                f"Step {number}: {step.exercise.steps[number - 1]}", style="dim"), width))
        if step.kind == HOLD and self._status not in _QUESTIONS and self._status != "follow-up":
            for number, sign in enumerate(step.exercise.stop_if):
                parts.append(self._measured("sign", Text(f"Stop if {sign}.", style="yellow"),
                                            width, number))
        return parts

    def _timer_status(self, step: Step) -> Text | None:
        """The line under the countdown: a question or the pause first, then a message, then
        what to do now."""
        if self._status == "paused":
            return Text("PAUSED · space to continue", style="bold reverse")
        if self._status in _QUESTIONS:
            return Text(_QUESTIONS[self._status], style="bold reverse")
        if self._status == "follow-up":
            return Text(self._question, style="bold reverse")
        if self._note():
            return Text(self._note(), style="bold")
        if step.kind == HOLD:
            cue = cue_for(step, self._length - self._remaining)
            return Text(cue) if cue else None
        if step.kind == TRANSITION:
            return Text(f"Coming up: {step.exercise.name}. Take your time to move.")
        if step.kind == REST:
            return Text("Relax and breathe.")
        return Text(f"Slowly change to your {step.side} side.")

    def _measured(self, kind: str, renderable: RenderableType, width: int,
                  item: int = -1) -> Part:
        """A part with the rows it takes at this width (each text measured once)."""
        key = (_text_of(renderable), width)
        rows = self._rows.get(key)
        if rows is None:
            if len(self._rows) > 512:  # a long session at many sizes: start afresh
                self._rows.clear()
            rows = self._rows[key] = rows_at(self.console, renderable, width)
        return Part(kind, renderable, rows, item)

    # ------------------------------------------------------------------ the layout

    def _choose(self, parts: list[Part], screen: str, height: int, width: int,
                step: Step) -> Layout:
        """The first layout, from the most generous down, whose parts fit `height` rows: the
        biggest countdown with everything; then the smallest block digits while optional
        parts go, one kind at a time; then lists taking turns; then plain digits."""
        fonts = self._fonts(step, width) if screen != "help" else []
        where = (step.index, self.console.size)
        if self._font_cap[0] == where:
            fonts = [font for font in fonts if font.height <= self._font_cap[1]]
        if screen == "setup":  # digits only when all the rest fits, and never the tallest:
            # the steps are what a setup is for
            candidates = [Layout(font) for font in fonts
                          if font.height <= SETUP_DIGITS_MAX] + list(_ladder(
                [], ("count", *_OPTIONAL[screen]), _LISTS[screen], parts))
        else:
            candidates = list(_ladder(fonts, _OPTIONAL[screen], _LISTS[screen], parts))
        # When nothing fits at all, the least; the terminal cuts it at the bottom.
        chosen = next((layout for layout in candidates
                       if self._height(parts, layout) <= height), candidates[-1])
        if screen != "help":
            self._font_cap = (where, chosen.font.height if chosen.font is not None else 0)
        return chosen

    def _fonts(self, step: Step, width: int) -> list[Font]:
        """The block fonts the countdown fits in at this width, largest first; none when the
        person asked for plain digits."""
        if not self.big_digits:
            return []
        widest = _count_text(max(self._length, step.seconds))
        caption = len(self._caption(step, 2.0)) + 6
        return [font for font in FONTS if font.width(widest) + caption <= width]

    def _height(self, parts: list[Part], layout: Layout) -> int:
        rows = 0
        for kind, group in _groups(parts):
            if kind in layout.dropped:
                continue
            if kind == "count":  # plain digits: the part's own row (none in a setup)
                rows += layout.font.height if layout.font is not None else group[0].rows
            elif kind in layout.shown:
                rows += _window_rows([part.rows for part in group], layout.shown[kind])
            else:
                rows += sum(part.rows for part in group)
        return rows

    # ------------------------------------------------------------------ drawing

    def _draw(self, parts: list[Part], layout: Layout, step: Step, height: int,
              width: int) -> RenderableType:
        shown: list[RenderableType] = []
        used = 0
        footer = ("next", "rule", "legend")
        body_end = max(i for i, part in enumerate(parts) if part.kind not in footer) + 1
        turn = int(max(0.0, self._length - self._remaining) // ROTATE_SECONDS)
        for index, part in enumerate(parts):
            if index == body_end:
                footer_rows = sum(p.rows for p in parts[body_end:] if p.kind not in
                                  layout.dropped)
                shown.extend(Text("") for _ in range(max(0, height - used - footer_rows)))
            if part.kind in layout.dropped:
                continue
            if part.kind == "count":
                block = self._countdown(step, layout.font)
                if block is not None:
                    shown.append(block)
                    used += layout.font.height if layout.font is not None else part.rows
                continue
            if part.kind in layout.shown and not _in_window(
                    part.item, layout.shown[part.kind], _count(parts, part.kind), turn):
                continue
            shown.append(part.renderable)
            used += part.rows
        # Names, steps and cues are drawn stripped of anything that could act on the terminal.
        return Stripped(Padding(Group(*shown), (0, PADDING)))

    def _header(self, plan: Plan, step: Step) -> LeftRight:
        done_planned = step.start + max(0.0, self._length - self._remaining)
        left = max(0.0, plan.total_seconds + self._length - step.seconds - done_planned)
        position = f"{step.exercise_index + 1} of {len(plan.exercises)}"
        return LeftRight(Text(f"backcoach · {plan.routine_name}", style="bold"),
                         Text(f"{position} · {format_clock(left)} left"), overflow="ellipsis",
                         no_wrap=True)

    def _title(self, step: Step, width: int) -> RenderableType:
        name = Text(step.exercise.name, style="bold")
        side = Text(title_label(step), style=_STYLE.get(step.kind, ""))
        if width < len(step.exercise.name) + len(side.plain) + 2:
            # Side by side, the label would leave the name too little room: stack them.
            return Group(name, side)
        return LeftRight(name, side)

    @staticmethod
    def _step_line(number: int, line: str, digits: int, key: bool) -> Hanging:
        return Hanging(f"{number}.".rjust(digits) + " ", Text(line, style="bold" if key else ""))

    def _caption(self, step: Step, remaining: float) -> str:
        unit = "seconds" if remaining >= 1.5 else "second"
        words = {HOLD: work_word(step), REST: "rest", SWITCH: "switch sides",
                 TRANSITION: "get ready", SETUP: "to get into position"}
        return f"{unit} · {words.get(step.kind, step.kind)}"

    def _countdown(self, step: Step, font: Font | None) -> Text | None:
        if step.kind == SETUP and font is None:
            return None  # `Starting in N s` says it
        text = _count_text(self._remaining)
        style = _STYLE.get(step.kind, "")
        if step.kind == HOLD and self._remaining <= 3:
            style = "bold bright_yellow"
        caption = self._caption(step, self._remaining)
        if font is None:
            return Text(f"  {text} {caption}", style=style)
        lines = font.lines(text)
        # Centred in the window, the caption beside the last row.
        width = max(1, self.console.size.width - 2 * PADDING)
        indent = " " * max(3, (width - font.width(text) - len(caption) - 3) // 2)
        block = Text()
        for row, line in enumerate(lines):
            block.append(indent + line, style=style)
            if row == len(lines) - 1:
                block.append(f"   {caption}", style="dim")
            if row < len(lines) - 1:
                block.append("\n")
        return block

    def _bar(self, step: Step) -> LeftRight:
        total = max(self._length, 0.001)
        return LeftRight(ProgressBar(total=total, completed=total - self._remaining,
                                     complete_style=_STYLE.get(step.kind, "")),
                         Text(f"{work_word(step) if step.kind == HOLD else step.kind} "
                              f"{format_duration(total)}", style="dim"), gap=1)

    def _help_table(self) -> RenderableType:
        from rich.table import Table  # here: only the help screen needs a table

        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(overflow="fold")
        for key, text in KEYS_HELP:
            table.add_row(key, text)
        return table


class Hanging:
    """A numbered line whose wrapped lines hang under its text, not under the number: what a
    two-column grid (number, text) draws, from one wrap of the text at the width given.

    A step is drawn at every frame of a setup and measured for each layout tried; a rich
    Table per step measured its cells over and over (about 7 ms of a first frame)."""

    def __init__(self, prefix: str, body: Text) -> None:
        self.prefix = prefix
        self.body = body

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        indent = " " * len(self.prefix)
        lines = self.body.wrap(console, max(1, options.max_width - len(self.prefix)),
                               overflow="fold")
        for number, line in enumerate(lines):
            yield Text(self.prefix if number == 0 else indent) + line

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        # As rich measures a text cell: its longest word at least, the whole text at most.
        longest_word = max((cell_len(word) for word in self.body.plain.split()), default=1)
        return Measurement(len(self.prefix) + longest_word, len(self.prefix) + self.body.cell_len)


def _side_by_side(left: list[list[Segment]], left_width: int, right: list[list[Segment]],
                  right_width: int, gap: int) -> Iterator[Segment]:
    """The rows of two rendered blocks side by side, `gap` columns apart, the shorter block
    padded with spaces as a grid pads it."""
    for row in range(max(len(left), len(right))):
        yield from left[row] if row < len(left) else [Segment(" " * left_width)]
        if gap:
            yield Segment(" " * gap)
        yield from right[row] if row < len(right) else [Segment(" " * right_width)]
        yield Segment.line()


class Beside:
    """Two blocks side by side, `gap` columns apart: the left as wide as it needs up to what
    the right leaves it, the right (a drawing) as wide as its longest line. Draws what a
    two-column rich grid (padding `gap`, the left with ratio 1) draws, byte for byte, without
    a table's measuring of every cell (the steps beside a picture, at each setup frame)."""

    def __init__(self, left: RenderableType, right: Text, gap: int) -> None:
        self.left = left
        self.right = right
        self.gap = gap

    def _widths(self, console: Console, options: ConsoleOptions) -> tuple[int, int]:
        """The columns of the left block and of the drawing."""
        right_width = min(options.max_width,
                          max((cell_len(line) for line in self.right.plain.split("\n")),
                              default=0))
        natural = Measurement.get(console, options, self.left).maximum
        return max(1, min(natural, options.max_width - right_width - self.gap)), right_width

    def rows(self, console: Console, width: int) -> int:
        """The rows this takes at `width` columns, without drawing the drawing: one per line
        of it (a drawing is never wrapped) or the left block's rows, whichever is more."""
        options = console.options.update_width(width)
        if not self.right.no_wrap:  # a text that may wrap: as rich draws it
            return len(console.render_lines(self, options, pad=False))
        left_width, _ = self._widths(console, options)
        items = self.left.renderables if isinstance(self.left, Group) else [self.left]
        left = sum(rows_at(console, item, left_width) for item in items)
        return max(left, self.right.plain.count("\n") + 1)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        left_width, right_width = self._widths(console, options)
        left = console.render_lines(self.left, options.update_width(left_width), pad=True)
        right = console.render_lines(self.right, options.update_width(right_width), pad=True)
        yield from _side_by_side(left, left_width, right, right_width, self.gap)


class LeftRight:
    """One block on the left, a text on the right, `gap` columns apart, across the whole
    width: what a rich grid that expands (the left with ratio 1, the right justified right)
    draws, byte for byte, for the header, the title and the progress bar of every frame,
    without importing rich.table or measuring a table's cells at each frame. When the
    right leaves the left no room (a tiny window), that grid itself draws it."""

    def __init__(self, left: RenderableType, right: Text, gap: int = 0,
                 overflow: OverflowMethod = "fold", no_wrap: bool = False) -> None:
        self.left = left
        self.right = right
        self.gap = gap
        self.overflow: OverflowMethod = overflow
        self.no_wrap = no_wrap

    def grid(self) -> RenderableType:
        """The rich grid this draws like."""
        from rich.table import Table

        grid = Table.grid(expand=True, padding=(0, self.gap) if self.gap else 0)
        grid.add_column(ratio=1, overflow=self.overflow, no_wrap=self.no_wrap)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(self.left, self.right)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        right_width = max(cell_len(line) for line in self.right.plain.split("\n"))
        left_width = options.max_width - right_width - self.gap
        if left_width < 1 or right_width < 1:
            yield self.grid()
            return
        left = console.render_lines(self.left, options.update(
            width=left_width, overflow=self.overflow, no_wrap=self.no_wrap), pad=True)
        right = console.render_lines(self.right, options.update(
            width=right_width, justify="right", no_wrap=True), pad=True)
        yield from _side_by_side(left, left_width, right, right_width, self.gap)


# ---------------------------------------------------------------------- layout helpers

def _ladder(fonts: list[Font], optional: Sequence[str], lists: Sequence[str],
            parts: list[Part]) -> Iterator[Layout]:
    """Layouts from the most generous to the least, each giving up one thing more."""
    for big in fonts:
        yield Layout(big)
    if not fonts:
        yield Layout(None)
    tiers: list[Font | None] = [fonts[-1]] if fonts else []
    for font in [*tiers, None]:
        dropped: set[str] = set()
        for kind in optional:
            dropped.add(kind)
            yield Layout(font, frozenset(dropped))
        shown: dict[str, int] = {}
        for kind in lists:
            total = _count(parts, kind)
            for count in range(total - 1, 0, -1):
                shown[kind] = count
                yield Layout(font, frozenset(dropped), dict(shown))


def _groups(parts: list[Part]) -> Iterator[tuple[str, list[Part]]]:
    """The parts by kind, in order of first appearance."""
    kinds: dict[str, list[Part]] = {}
    for part in parts:
        kinds.setdefault(part.kind, []).append(part)
    return iter(kinds.items())


def _count(parts: list[Part], kind: str) -> int:
    return sum(1 for part in parts if part.kind == kind)


def _window_rows(rows: list[int], shown: int) -> int:
    """The most rows any `shown` items in turn take (the list wraps around)."""
    if shown >= len(rows):
        return sum(rows)
    return max(sum(rows[(start + n) % len(rows)] for n in range(shown))
               for start in range(len(rows)))


def _in_window(item: int, shown: int, total: int, turn: int) -> bool:
    """Whether item `item` of a list of `total` is on screen in this turn of `shown` at once."""
    if shown >= total:
        return True
    first = (turn * shown) % total
    return (item - first) % total < shown


def _count_text(remaining: float) -> str:
    seconds = max(0, math.ceil(remaining - 1e-6))
    return str(seconds) if seconds < 100 else format_clock(seconds)


def rows_at(console: Console, renderable: RenderableType, width: int) -> int:
    """The rows `renderable` takes at `width` columns, as rich draws it.

    A line of printable text no wider than that takes one row, and the steps beside a picture
    take the rows of the longer of the two: known without drawing them, which was most of what
    a first frame measured (its parts are measured once per size)."""
    if isinstance(renderable, Text):
        one_line, columns = renderable.plain, renderable.cell_len
    elif isinstance(renderable, Hanging):
        one_line = renderable.prefix + renderable.body.plain
        columns = cell_len(renderable.prefix) + renderable.body.cell_len
    elif isinstance(renderable, Beside):
        return renderable.rows(console, width)
    else:
        one_line, columns = "\n", 0
    if one_line.isprintable() and columns <= width:  # no tab, newline or control character
        return 1
    options = console.options.update_width(width)
    return len(console.render_lines(renderable, options, pad=False))


def _text_of(renderable: RenderableType) -> str:
    """A key for what a part says (its rows depend only on that and the width)."""
    if isinstance(renderable, Text):
        return renderable.plain
    if isinstance(renderable, Hanging):
        return renderable.prefix + renderable.body.plain
    if isinstance(renderable, Beside):
        return f"{_text_of(renderable.left)}\x02{_text_of(renderable.right)}"
    if isinstance(renderable, LeftRight):
        return f"{_text_of(renderable.left)}\x03{_text_of(renderable.right)}"
    if isinstance(renderable, Group):
        return "\x01".join(_text_of(item) for item in renderable.renderables)
    return repr(renderable)

