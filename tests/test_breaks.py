"""The desk-break loop in process: a fake clock, scripted keys, a fake session. Fires, snoozes,
skips, starts a session, keeps to the hours asked for, offers again when no one answers, and
ends on q, on Ctrl-C and with a session that ended the program."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from datetime import datetime, timedelta

from backcoach.breaks import BreakEnvironment, BreakOptions, run_breaks
from backcoach.session.keys import ENTER, KeySource
from tests.fakes import FakeClock, ScriptedKeys

MIN = 60.0
NINE = datetime(2026, 3, 10, 9, 0)  # local time


class Day:
    """A fake day at the desk: the clock, the keys, what was said, rung, notified, run."""

    def __init__(self, script: list[tuple[float, str]], start: datetime = NINE,
                 session_codes: tuple[int, ...] = (0,)) -> None:
        self.clock = FakeClock()
        self.keys = ScriptedKeys(self.clock, script)
        self.start, self.origin = start, self.clock.now()
        self.out = io.StringIO()
        self.rings = 0
        self.notes: list[str] = []
        self.sessions: list[datetime] = []
        self.codes = list(session_codes)

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.clock.now() - self.origin)

    def environment(self) -> BreakEnvironment:
        @contextlib.contextmanager
        def keys() -> Iterator[KeySource]:
            yield self.keys

        def ring() -> None:
            self.rings += 1

        def session() -> int:
            self.sessions.append(self.now())
            self.clock.advance(4 * MIN)  # the break itself
            return self.codes.pop(0) if self.codes else 0

        return BreakEnvironment(out=self.out, clock=self.clock, keys=keys, local_now=self.now,
                                notify=lambda text: self.notes.append(text) is None,
                                ring=ring, start_session=session, handle_signals=False)

    def run(self, **changes: object) -> int:
        options = BreakOptions(**{"routine_id": "desk-break", "routine_name": "Desk break",
                                  "minutes": 4, "every": 45 * 60, "snooze": 10 * 60,
                                  **changes})  # type: ignore[arg-type]
        return run_breaks(options, self.environment())

    @property
    def lines(self) -> list[str]:
        return self.out.getvalue().splitlines()


OFFER = ("Time for a desk break: Desk break, 4 min. Enter start now · z snooze 10 min · n skip · "
         "q stop breaks")


def test_fires_snoozes_starts_a_session_skips_and_stops() -> None:
    day = Day([(45 * MIN + 5, "z"),  # 09:45 rings; snoozed at 09:45:05
               (55 * MIN + 10, ENTER),  # 09:55:05 rings; started at 09:55:10
               (105 * MIN, "n"),  # the session ends 09:59:10; 10:44:10 rings; skipped at 10:45
               (150 * MIN, "q")])  # stopped while waiting
    assert day.run() == 0
    assert day.lines == [
        "Desk breaks: Desk break (4 min) every 45 min. Leave this tab open; Enter takes a break "
        "now, q or Ctrl-C stops.",
        "Next break at 09:45.",
        f"[09:45] {OFFER}",
        "Snoozed for 10 min.",
        "Next break at 09:55.",
        f"[09:55] {OFFER}",
        "Break over.",
        "Next break at 10:44.",
        f"[10:44] {OFFER}",
        "Skipped this one.",
        "Next break at 11:30.",
        "Desk breaks stopped."]
    assert day.sessions == [datetime(2026, 3, 10, 9, 55, 10)]
    assert day.rings == 3
    assert day.notes == ["Time for a desk break: Desk break, 4 min (backcoach breaks)"] * 3


def test_keeps_to_the_hours_and_the_first_break_comes_after_an_interval() -> None:
    day = Day([(14 * 3600.0, "q")], start=datetime(2026, 3, 10, 8, 0))
    assert day.run(during=(9 * 60, 17 * 60 + 30)) == 0
    assert day.lines[0].endswith("every 45 min, between 09:00 and 17:30. Leave this tab open; "
                                 "Enter takes a break now, q or Ctrl-C stops.")
    assert day.lines[1] == "Breaks come between 09:00 and 17:30: the next one is at 09:45."
    assert day.lines[2].startswith("[09:45] Time for a desk break")


def test_a_break_no_one_answers_is_offered_again_after_the_interval() -> None:
    day = Day([(91 * MIN, "n"), (92 * MIN, "q")])
    assert day.run() == 0
    assert [line[:7] for line in day.lines if line.startswith("[")] == ["[09:45]", "[10:30]"]
    assert "Next break at" not in day.lines[3]  # the second offer follows the first directly


def test_no_offer_after_the_hours_end() -> None:
    # 17:00 start, hours until 17:30: 17:45 is past them, so the next is 09:45 tomorrow.
    day = Day([(16 * 3600.0, "q")], start=datetime(2026, 3, 10, 17, 0))  # q at 09:00
    assert day.run(during=(9 * 60, 17 * 60 + 30)) == 0
    assert day.lines[1] == "Breaks come between 09:00 and 17:30: the next one is at 09:45."
    assert day.rings == 0


def test_enter_while_waiting_takes_a_break_now() -> None:
    day = Day([(10 * MIN, ENTER), (10 * MIN + 2, " "), (30 * MIN, "q")])
    assert day.run() == 0
    assert day.sessions == [datetime(2026, 3, 10, 9, 10, 2)]


def test_ctrl_c_stops_at_once_with_130() -> None:
    day = Day([])

    def interrupted(timeout: float | None) -> str | None:
        raise KeyboardInterrupt

    day.keys.wait_key = interrupted  # type: ignore[method-assign]
    assert day.run() == 130
    assert day.lines[-1] == "Desk breaks stopped."


def test_a_session_ended_by_ctrl_c_ends_the_breaks_with_its_code() -> None:
    day = Day([(45 * MIN + 1, ENTER)], session_codes=(130,))
    assert day.run() == 130
    assert day.lines[-1] == "Desk breaks stopped."
    day = Day([(45 * MIN + 1, ENTER), (50 * MIN, "q")], session_codes=(0,))
    assert day.run() == 0 and len(day.sessions) == 1


def test_speed_runs_the_day_faster() -> None:
    day = Day([(45 * MIN / 60 + 0.5, "z"), (55 * MIN / 60 + 1, "q")])
    assert day.run(speed=60) == 0
    assert day.lines[2].startswith("[09:45] Time for a desk break")
    assert day.lines[4] == "Next break at 09:55."
