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
)
from backcoach.session.plan import HOLD, REST, SETUP, SWITCH, TRANSITION, Step

if TYPE_CHECKING:
    from backcoach.session.plan import Plan

# Below this width the block digits do not fit comfortably: show plain digits instead.
BIG_DIGITS_MIN_WIDTH = 40
MESSAGE_SECONDS = 6.0  # how long (real time) a pain answer stays on screen

_STYLE = {HOLD: "bold cyan", REST: "green", SWITCH: "yellow", SETUP: "magenta",
          TRANSITION: "green"}
# Events the runner always follows at once with another (a step_end with the next step_start,
# a pain answer with a resume or a step_end ...): a frame drawn for them would be on screen for
# microseconds, so only their state is kept. Together with ticks that come only when the count
# changes, every frame drawn differs from the one before.
_FOLLOWED_AT_ONCE = (ev.SessionStarted, ev.StepEnded, ev.Skipped, ev.WentBack, ev.Swapped,
                     ev.PainAnswered)


class LiveView:
    """Draws the current step from what the events say, each time one arrives."""

    def __init__(self, console: Console, big_digits: bool = True) -> None:
        self.console = console
        self.big_digits = big_digits  # False: plain digits at any width (`countdown: plain`)
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
        self._help = False
        self._hold_elapsed = 0.0

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
        elif isinstance(event, ev.Resumed):
            self._status = ""
        elif isinstance(event, ev.PainAsked):
            self._status = "asking" if event.phase == "ask" else "level"
        elif isinstance(event, ev.PainAnswered):
            self._status = ""
            self._show_message(event.message, event.t)
        elif isinstance(event, ev.HelpToggled):
            self._help = not self._help
        elif isinstance(event, ev.Swapped):
            self._plan = event.plan
            self._show_message(f"Swapped to the easier version: {event.to_id}.", event.t)
        self._hold_elapsed = event.step.seconds - self._remaining

    def _show_message(self, text: str, t: float) -> None:
        self._message = text
        self._message_until = t + MESSAGE_SECONDS

    def close(self) -> None:
        """Leave the full screen and give the terminal back."""
        if self._started:
            self.live.stop()
            self._started = False

    # ------------------------------------------------------------------ drawing

    def frame(self) -> RenderableType:
        """The whole screen for the current state."""
        plan, step = self._plan, self._step
        assert plan is not None and step is not None, "a frame is drawn once a step has started"
        width = self.console.size.width
        parts: list[RenderableType] = [self._header(plan, step), Rule(style="dim")]
        parts.append(self._title(step))
        if step.kind == SETUP and not self._help:
            parts.extend(self._intro(step))
        else:
            parts.append(self._countdown(step, width))
            parts.append(self._bar(step, width))
        if self._help:
            parts.append(self._help_table())
        else:
            parts.extend(self._guidance(step))
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
        words = {HOLD: "hold", REST: "rest", SWITCH: "switch sides", TRANSITION: "get ready"}
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
                     Text(f"{step.kind} {format_duration(total)}", style="dim"))
        return grid

    def _intro(self, step: Step) -> list[RenderableType]:
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
        parts.append(steps)
        for caution in exercise.cautions[:2]:
            parts.append(Text(f"Careful: {caution}", style="yellow"))
        if self._easier:
            parts.append(Text("Too much today? Press e for the easier version."))
        starting = max(0, math.ceil(self._remaining - 1e-6))
        if self._status == "paused":
            status = "PAUSED · space to continue"
        elif self._status == "asking":
            status = HURT_QUESTION
        elif self._status == "level":
            status = HURT_LEVEL_QUESTION
        elif self._message:
            status = self._message
        else:
            status = f"Starting in {starting} s · n to start now"
        parts.append(Text(""))
        parts.append(Text(status, style="bold"))
        return parts

    def _guidance(self, step: Step) -> list[RenderableType]:
        parts: list[RenderableType] = []
        if self._status == "paused":
            parts.append(Text("PAUSED · space to continue", style="bold reverse"))
        elif self._status == "asking":
            parts.append(Text(HURT_QUESTION, style="bold"))
        elif self._status == "level":
            parts.append(Text(HURT_LEVEL_QUESTION, style="bold"))
        elif self._message:
            parts.append(Text(self._message, style="bold"))
        elif step.kind == HOLD:
            parts.append(Text(cue_for(step, self._hold_elapsed)))
        elif step.kind == TRANSITION:
            parts.append(Text(f"Coming up: {step.exercise.name}. Take your time to move."))
        elif step.kind in (REST, SWITCH):
            parts.append(Text("Relax and breathe." if step.kind == REST
                              else f"Slowly change to your {step.side} side."))
        if step.kind == HOLD and step.exercise.stop_if and self._status not in ("asking",
                                                                                 "level"):
            parts.append(Text(f"Stop if {step.exercise.stop_if[0]}.", style="yellow"))
        return parts

    def _help_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True, style="bold")
        table.add_column(overflow="fold")
        for key, text in KEYS_HELP:
            table.add_row(key, text)
        table.add_row("", Text("press ? to close", style="dim"))
        return table
