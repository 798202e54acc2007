"""Desk micro-breaks: `backcoach breaks` waits in a spare terminal tab, rings when a break is
due, and offers to start it now, snooze it or skip it. A break started is a normal session
(`app.run_session`: the safety questions, history, everything).

The loop keeps time on the injected monotonic clock (a wall-clock jump never moves a break) and
reads the wall clock only to say the time and to keep breaks within the hours asked for. Keys,
the bell, the desktop notification and the session are passed in, so a whole day of breaks
runs in a test in milliseconds.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TextIO

from backcoach.errors import ExitCode
from backcoach.library.timetable import format_time, in_span, minutes_until_span
from backcoach.session.keys import ENTER

if TYPE_CHECKING:
    from backcoach.session.clock import Clock
    from backcoach.session.keys import KeySource

START_KEYS = {ENTER, " ", "s", "S"}
SNOOZE_KEYS = {"z", "Z"}
SKIP_KEYS = {"n", "N"}
QUIT_KEYS = {"q", "Q"}
# A session that ended for one of these ends the breaks too (Ctrl-C, a safety stop ...).
ENDING_CODES = {int(ExitCode.SAFETY_STOP), int(ExitCode.HANGUP), int(ExitCode.INTERRUPTED),
                int(ExitCode.TERMINATED), int(ExitCode.BAD_INPUT)}


@dataclass(frozen=True)
class BreakOptions:
    """What the person asked for: the routine, how often, the snooze, the hours."""

    routine_id: str
    routine_name: str
    minutes: int  # how long the routine takes
    every: int  # seconds between breaks
    snooze: int = 600  # seconds a snoozed break waits
    during: tuple[int, ...] = ()  # (start, end) minutes after midnight; () always
    speed: float = 1.0  # time runs this many times faster (demos and tests)


@dataclass
class BreakEnvironment:
    """Everything the loop touches outside itself."""

    out: TextIO
    clock: Clock
    keys: Callable[[], contextlib.AbstractContextManager[KeySource]]
    local_now: Callable[[], datetime]  # the wall clock, local time
    notify: Callable[[str], bool]  # a desktop notification; whether it was shown
    ring: Callable[[], None]  # the terminal bell
    start_session: Callable[[], int]  # runs the break's session; its exit code
    handle_signals: bool = True  # Ctrl-C, SIGTERM, SIGHUP end the breaks (main thread)


def _duration(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if not rest else f"{minutes} min {rest} s"


class _Breaks:
    """One run of the loop."""

    def __init__(self, options: BreakOptions, env: BreakEnvironment) -> None:
        self.options, self.env = options, env
        self.start_clock = env.clock.now()
        self.start_wall = env.local_now()

    # Time: intervals on the monotonic clock (sped up), the time of day from the wall clock.
    def now(self) -> float:
        return self.env.clock.now()

    def wall(self, at: float | None = None) -> datetime:
        """The time of day at a clock reading (default: now)."""
        at = self.now() if at is None else at
        if self.options.speed == 1:
            return self.env.local_now() + timedelta(seconds=at - self.now())
        return self.start_wall + timedelta(seconds=(at - self.start_clock) * self.options.speed)

    def after(self, seconds: float) -> float:
        """The clock reading `seconds` of (sped-up) time from now."""
        return self.now() + seconds / self.options.speed

    def _minute(self) -> int:
        moment = self.wall()
        return moment.hour * 60 + moment.minute

    def say(self, text: str) -> None:
        self.env.out.write(text + "\n")
        self.env.out.flush()

    def within_hours(self, due: float) -> float:
        """`due`, or, when it falls outside the hours asked for, one interval after they next
        begin (the first break of the day comes after some work, as every other does)."""
        moment = self.wall(due)
        minute = moment.hour * 60 + moment.minute
        wait = minutes_until_span(minute, self.options.during)
        if not wait:
            return due
        start = due + (wait * 60 - moment.second - moment.microsecond / 1e6) / self.options.speed
        return start + self.options.every / self.options.speed

    def wait_until(self, due: float) -> str | None:
        """Wait for the break; 'q' when the person stops, 'now' for Enter (a break now)."""
        with self.env.keys() as keys:
            while (left := due - self.now()) > 0:
                key = keys.wait_key(left)
                if key in QUIT_KEYS:
                    return "q"
                if key == ENTER:
                    return "now"
        return None

    def ask(self, deadline: float) -> str | None:
        """Start, snooze, skip or stop; None when no answer came before the deadline."""
        with self.env.keys() as keys:
            while (left := deadline - self.now()) > 0:
                key = keys.wait_key(left)
                for answer, wanted in (("start", START_KEYS), ("snooze", SNOOZE_KEYS),
                                       ("skip", SKIP_KEYS), ("q", QUIT_KEYS)):
                    if key in wanted:
                        return answer
        return None

    def run(self) -> int:
        """Offer a break whenever one is due until q or Ctrl-C; the exit code."""
        from backcoach.collector import settle

        settle()  # this loop lasts all day: the collector as usual from here
        options = self.options
        hours = "" if not options.during else \
            f", between {format_time(options.during[0])} and {format_time(options.during[1])}"
        self.say(f"Desk breaks: {options.routine_name} ({options.minutes} min) every "
                 f"{_duration(options.every)}{hours}. Leave this tab open; Enter takes a break "
                 "now, q or Ctrl-C stops.")
        due = self.after(options.every)
        while True:
            moved = self.within_hours(due)
            if moved == due <= self.now():
                pass  # offered again at once: the offer line says it all
            elif moved != due:
                self.say(f"Breaks come {hours.removeprefix(', ')}: the next one is at "
                         f"{self.wall(moved):%H:%M}.")
            else:
                self.say(f"Next break at {self.wall(moved):%H:%M}.")
            due = moved
            waited = self.wait_until(due)
            if waited == "q":
                self.say("Desk breaks stopped.")
                return int(ExitCode.OK)
            if waited is None and not in_span(self._minute(), options.during):
                continue  # asleep past the end of the hours: wait for their next start
            line = (f"Time for a desk break: {options.routine_name}, {options.minutes} min. "
                    f"Enter start now · z snooze {_duration(options.snooze)} · n skip · "
                    "q stop breaks")
            self.env.ring()
            self.env.notify(f"Time for a desk break: {options.routine_name}, "
                            f"{options.minutes} min (backcoach breaks)")
            self.say(f"[{self.wall():%H:%M}] {line}")
            answer = self.ask(self.after(options.every))
            if answer == "q":
                self.say("Desk breaks stopped.")
                return int(ExitCode.OK)
            if answer == "snooze":
                due = self.after(options.snooze)
                self.say(f"Snoozed for {_duration(options.snooze)}.")
            elif answer == "skip":
                due = self.after(options.every)
                self.say("Skipped this one.")
            elif answer == "start":
                code = self.env.start_session()
                if code in ENDING_CODES:
                    self.say("Desk breaks stopped.")
                    return code
                due = self.after(options.every)
                self.say("Break over.")
            else:  # no answer for a whole interval: offer it again now, if within the hours
                due = self.now()


def run_breaks(options: BreakOptions, env: BreakEnvironment) -> int:
    """Wait, ring, offer, run breaks until the person stops; the exit code (0 after q, 130
    after Ctrl-C, 143 or 129 after SIGTERM or a closed terminal, a session's own ending code)."""
    from backcoach.app import SIGNAL_EXIT, _Ending, _signals_end_session
    from backcoach.session.runner import Ended

    breaks = _Breaks(options, env)
    signals = _signals_end_session(_Ending()) if env.handle_signals \
        else contextlib.nullcontext()
    try:
        with signals:
            return breaks.run()
    except KeyboardInterrupt:
        breaks.say("\nDesk breaks stopped.")
        return int(ExitCode.INTERRUPTED)
    except Ended as ended:
        with contextlib.suppress(OSError):
            breaks.say("Desk breaks stopped.")
        return int(SIGNAL_EXIT.get(ended.reason, ExitCode.TERMINATED))
