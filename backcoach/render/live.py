"""The live terminal view: a calm full-screen coach redrawn on events, never on a timer."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.padding import Padding
from rich.progress_bar import ProgressBar
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from backcoach.library.model import format_clock, format_duration
from backcoach.render.bigdigits import big_lines, width_of
from backcoach.render.live_picture import GAP, picture_text
from backcoach.safetext import Stripped
from backcoach.session import events as ev
from backcoach.session.phrases import (
    HURT_LEVEL_QUESTION,
    HURT_QUESTION,
    KEYS_HELP,
    KEYS_LEGEND,
    cue_for,
    next_words,
    side_words,
    work_word,
)
from backcoach.session.plan import HOLD, REST, SETUP, SWITCH, TRANSITION, Step

if TYPE_CHECKING:
    from backcoach.session.plan import Plan

# Below this width the block digits do not fit comfortably: show plain digits instead.
BIG_DIGITS_MIN_WIDTH = 40
MESSAGE_SECONDS = 6.0  # how long (real time) a pain answer stays on screen
# Cautions and stop signs that do not all fit in the window take turns, this many planned
# seconds each; all of them are shown whenever they fit.
ROTATE_SECONDS = 5.0

_STYLE = {HOLD: "bold cyan", REST: "green", SWITCH: "yellow", SETUP: "magenta",
          TRANSITION: "green"}
# Events the runner always follows at once with another (a step_end with the next step_start,
# a pain answer with a resume or a step_end ...): a frame drawn for them would be on screen for
# microseconds, so only their state is kept. Together with ticks that come only when the count
# changes, every frame drawn differs from the one before.
_FOLLOWED_AT_ONCE = (ev.SessionStarted, ev.StepEnded, ev.Skipped, ev.WentBack, ev.Swapped,
                     ev.PainAnswered, ev.LeftOut)


class LiveView:
    """Draws the current step from what the events say, each time one arrives."""

    def __init__(self, console: Console, big_digits: bool = True,
                 pictures: bool = True) -> None:
        self.console = console
        self.big_digits = big_digits  # False: plain digits at any width (`countdown: plain`)
        self.pictures = pictures  # the position's drawing beside the steps, when it fits
        self.live = Live(console=console, auto_refresh=False, screen=True,
                         redirect_stdout=False, redirect_stderr=False, transient=True)
        self._started = False
        self._plan: Plan | None = None
        self._step: Step | None = None
        self._easier = False  # key e can swap the current exercise
        self._remaining = 0.0
        self._status = ""  # paused / asking
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
        self._hold_elapsed = 0.0
        self._fit_key: object = None  # what the signs that fit were measured for
        self._fit: int | None = None
        self._picture = False  # whether the setup screen's picture fits, for that same state

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
            self._started_step(event.step)
        elif isinstance(event, ev.Resumed):
            self._status = ""
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
            self._help = not self._help
        elif isinstance(event, ev.Swapped):
            self._plan = event.plan
            self._show_message(f"Swapped to the easier version: {event.to_id}.", event.t,
                               event.position)
        self._hold_elapsed = event.step.seconds - self._remaining

    def _started_step(self, step: Step) -> None:
        """A message about one exercise never carries onto another's screen; a stop note is
        shown through the move to the next exercise (or on its first screen when there is no
        move between them), then cleared."""
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

    # ------------------------------------------------------------------ drawing

    def frame(self) -> RenderableType:
        """The whole screen for the current state. Every caution (before an exercise) and
        every stop sign (during a hold) is shown; only when they do not all fit in the
        window do they take turns, as many at a time as fit."""
        plan, step = self._plan, self._step
        assert plan is not None and step is not None, "a frame is drawn once a step has started"
        signs = len(self._signs(step))
        pictured = self.pictures and step.kind == SETUP and step.exercise.picture is not None
        if signs <= 1 and not pictured:
            return self._frame(plan, step, None)
        # How many fit changes only with what is on screen besides the countdown: measured
        # once for each such state, not on every tick.
        size = self.console.size
        key = (step.index, self._status, self._help, self._note(),
               cue_for(step, self._hold_elapsed) if step.kind == HOLD else "", size)
        if key != self._fit_key:
            self._fit_key, self._picture = key, False
            self._fit = self._fitting(plan, step, signs, size.height) if signs > 1 else None
            # The picture only where the screen with it still fits, as many signs as before.
            self._picture = pictured and self._rows(
                self._frame(plan, step, self._fit, picture=True)) <= size.height
        return self._frame(plan, step, self._fit, picture=self._picture)

    def _fitting(self, plan: Plan, step: Step, signs: int, height: int) -> int | None:
        """How many signs fit in `height` rows: all (None), or fewer, at least one."""
        rows_all = self._rows(self._frame(plan, step, None))
        if rows_all <= height:
            return None
        rows_one = self._rows(self._frame(plan, step, 1))
        per_sign = max(1.0, (rows_all - rows_one) / (signs - 1))
        shown = max(1, min(signs - 1, 1 + int((height - rows_one) // per_sign)))
        while shown > 1 and self._rows(self._frame(plan, step, shown)) > height:
            shown -= 1  # a sign that wraps onto more rows than the others
        return shown

    def _rows(self, frame: RenderableType) -> int:
        """How many rows the frame takes at the console's width."""
        return len(self.console.render_lines(frame, self.console.options, pad=False))

    def _signs(self, step: Step) -> tuple[str, ...]:
        """The lines that take turns when there is no room for all: the cautions before an
        exercise, the stop signs during its holds."""
        if self._help:
            return ()
        if step.kind == SETUP:
            return tuple(f"Careful: {caution}" for caution in step.exercise.cautions)
        if step.kind == HOLD and self._status not in ("asking", "level", "follow-up"):
            return tuple(f"Stop if {sign}." for sign in step.exercise.stop_if)
        return ()

    def _window(self, step: Step, shown: int | None) -> list[str]:
        """The signs to show now: all, or `shown` of them, turn by turn."""
        signs = list(self._signs(step))
        if shown is None or shown >= len(signs):
            return signs
        turn = int(max(0.0, step.seconds - self._remaining) // ROTATE_SECONDS)
        first = (turn * shown) % len(signs)
        return [signs[(first + n) % len(signs)] for n in range(shown)]

    def _frame(self, plan: Plan, step: Step, shown: int | None,
               picture: bool = False) -> RenderableType:
        width = self.console.size.width
        signs = self._window(step, shown)
        parts: list[RenderableType] = [self._header(plan, step), Rule(style="dim")]
        parts.append(self._title(step))
        if step.kind == SETUP and not self._help:
            parts.extend(self._intro(step, signs, picture))
        else:
            parts.append(self._countdown(step, width))
            parts.append(self._bar(step, width))
        if self._help:
            parts.append(self._help_table())
        else:
            parts.extend(self._guidance(step, signs))
        parts.append(Text(f"Next: {next_words(plan.steps, step.index)}", style="dim"))
        parts.append(Rule(style="dim"))
        parts.append(Text(KEYS_LEGEND if width >= 80 else
                          "space pause  n next  b back  h hurts  q quit  ? help",
                          style="dim", overflow="fold"))
        # Names, steps and cues are drawn stripped of anything that could act on the terminal.
        return Stripped(Padding(Group(*parts), (0, 1)))

    def _header(self, plan: Plan, step: Step) -> Table:
        done_planned = step.start + max(0.0, step.seconds - self._remaining)
        left = max(0.0, plan.total_seconds - done_planned)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        position = f"{step.exercise_index + 1} of {len(plan.exercises)}"
        grid.add_row(Text(f"backcoach · {plan.routine_name}", style="bold"),
                     Text(f"{position} · {format_clock(left / 1)} left"))
        return grid

    def _title(self, step: Step) -> RenderableType:
        where = side_words(step.side).upper() if step.side else ""
        rep = f"rep {step.rep}/{step.dose.reps}" if step.kind == HOLD else step.kind
        label = " · ".join(part for part in (where, rep) if part)
        name = Text(step.exercise.name, style="bold")
        side = Text(label, style=_STYLE.get(step.kind, ""))
        if self.console.size.width < BIG_DIGITS_MIN_WIDTH:
            # Side by side, the label left the name no room at all (20 columns): stack them.
            return Group(name, side)
        grid = Table.grid(expand=True)
        grid.add_column(ratio=1, overflow="fold")
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(name, side)
        return grid

    def _count_text(self) -> str:
        seconds = max(0, math.ceil(self._remaining - 1e-6))
        return str(seconds) if seconds < 100 else format_clock(seconds)

    def _countdown(self, step: Step, width: int) -> RenderableType:
        text = self._count_text()
        style = _STYLE.get(step.kind, "")
        if step.kind == HOLD and self._remaining <= 3:
            style = "bold bright_yellow"
        unit = "seconds" if self._remaining >= 1.5 else "second"
        words = {HOLD: work_word(step), REST: "rest", SWITCH: "switch sides",
                 TRANSITION: "get ready"}
        caption = f"{unit} · {words.get(step.kind, step.kind)}"
        if (not self.big_digits or width < BIG_DIGITS_MIN_WIDTH
                or width_of(text) + 14 > width):
            return Text(f"\n  {text} {caption}\n", style=style)
        lines = big_lines(text)
        block = Text("\n")
        for row, line in enumerate(lines):
            block.append("   " + line, style=style)
            if row == len(lines) - 1:
                block.append(f"   {caption}", style="dim")
            block.append("\n")
        return block

    def _bar(self, step: Step, width: int) -> Table:
        total = max(step.seconds, self._hold_elapsed + self._remaining, 0.001)
        grid = Table.grid(expand=True, padding=(0, 1))
        grid.add_column(ratio=1)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(ProgressBar(total=total, completed=total - self._remaining,
                                 complete_style=_STYLE.get(step.kind, "")),
                     Text(f"{work_word(step) if step.kind == HOLD else step.kind} "
                          f"{format_duration(total)}", style="dim"))
        return grid

    def _intro(self, step: Step, signs: list[str],
               picture: bool = False) -> list[RenderableType]:
        exercise = step.exercise
        parts: list[RenderableType] = []
        dose = Text(f"{step.dose.describe()} · about {format_duration(step.dose.total_seconds())}",
                    style="dim")
        parts.append(dose)
        if exercise.equipment:
            parts.append(Text(f"You need: {', '.join(exercise.equipment)}"))
        steps = Table.grid(padding=(0, 1))
        steps.add_column(justify="right", no_wrap=True)
        steps.add_column(overflow="fold")
        for number, line in enumerate(exercise.steps, start=1):
            steps.add_row(Text(f"{number}."), Text(line))
        parts.append(Text(""))
        drawing = picture_text(exercise, self.console.size.width - 2) if picture else None
        parts.append(steps if drawing is None else self._beside(steps, drawing))
        for caution in signs:
            parts.append(Text(caution, style="yellow"))
        if self._easier:
            parts.append(Text("Too much today? Press e for the easier version."))
        starting = max(0, math.ceil(self._remaining - 1e-6))
        if self._status == "paused":
            status = "PAUSED · space to continue"
        elif self._status == "asking":
            status = HURT_QUESTION
        elif self._status == "level":
            status = HURT_LEVEL_QUESTION
        elif self._status == "follow-up":
            status = self._question
        elif self._note():
            status = self._note()
        else:
            status = f"Starting in {starting} s · n to start now"
        parts.append(Text(""))
        parts.append(Text(status, style="bold"))
        return parts

    @staticmethod
    def _beside(steps: Table, drawing: Text) -> Table:
        """The steps with the picture of the position on their right."""
        grid = Table.grid(padding=(0, GAP))
        grid.add_column(ratio=1)
        grid.add_column(no_wrap=True)
        grid.add_row(steps, drawing)
        return grid

    def _guidance(self, step: Step, signs: list[str]) -> list[RenderableType]:
        parts: list[RenderableType] = []
        if self._status == "paused":
            parts.append(Text("PAUSED · space to continue", style="bold reverse"))
        elif self._status == "asking":
            parts.append(Text(HURT_QUESTION, style="bold"))
        elif self._status == "level":
            parts.append(Text(HURT_LEVEL_QUESTION, style="bold"))
        elif self._status == "follow-up":
            parts.append(Text(self._question, style="bold"))
        elif self._note():
            parts.append(Text(self._note(), style="bold"))
        elif step.kind == HOLD:
            parts.append(Text(cue_for(step, self._hold_elapsed)))
        elif step.kind == TRANSITION:
            parts.append(Text(f"Coming up: {step.exercise.name}. Take your time to move."))
        elif step.kind in (REST, SWITCH):
            parts.append(Text("Relax and breathe." if step.kind == REST
                              else f"Slowly change to your {step.side} side."))
        if step.kind == HOLD:
            parts.extend(Text(sign, style="yellow") for sign in signs)
        return parts

    def _help_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(overflow="fold")
        for key, text in KEYS_HELP:
            table.add_row(key, text)
        table.add_row("", Text("press ? to close", style="dim"))
        return table
