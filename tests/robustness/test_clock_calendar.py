"""Clock and calendar: the wall clock jumping (NTP, daylight saving, a person changing it) never
moves a running timer, and streaks and weekly adherence are right across daylight-saving
changes, year ends and a change of time zone.

tests/test_progress.py already checks streaks across month and year ends, both daylight-saving
changes in London and New York and a move from London to New York; these add weekly adherence
in those weeks, other kinds of zone, the stored round trip, and the `progress` command itself.
"""

from __future__ import annotations

import datetime as datetime_module
import io
import json
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from typer.testing import CliRunner

from backcoach.cli import app
from backcoach.history.progress import by_day, dated, streaks, summarize, week_targets
from backcoach.history.store import HistoryStore
from backcoach.library.model import Schedule
from backcoach.render.jsonl import JsonlSink
from backcoach.render.live import LiveView
from backcoach.render.plain import PlainRenderer
from backcoach.session import clock as clock_module
from backcoach.session.clock import MonotonicClock
from backcoach.session.events import StepEnded, StepEvent
from backcoach.session.keys import NoKeys
from backcoach.session.plan import compile_plan
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Recorder, Session, catalog, exercise
from tests.history_helpers import LONDON, NEW_YORK, result, stored
from tests.robustness.tally import add

PACKAGE = Path(__file__).resolve().parents[2] / "backcoach"
DAILY = Schedule(per_day=1, days_per_week=7)
T0 = datetime(2024, 3, 30, 23, 0, tzinfo=UTC)


class JumpingWallClock:
    """time.time and time.time_ns that leap an hour back or a day forward on every read."""

    def __init__(self) -> None:
        self.reads = 0
        self.base = time.time()

    def time(self) -> float:
        self.reads += 1
        return self.base + (86_400 if self.reads % 2 else -3_600) * self.reads

    def time_ns(self) -> int:
        return int(self.time() * 1e9)


@pytest.fixture
def jumping(monkeypatch: pytest.MonkeyPatch) -> JumpingWallClock:
    add("clock_checks")
    wall = JumpingWallClock()
    monkeypatch.setattr(time, "time", wall.time)
    monkeypatch.setattr(time, "time_ns", wall.time_ns)
    return wall


def wall_stamps() -> Iterator[datetime]:
    """The injected wall clock for history stamps: it goes back an hour each time (DST)."""
    moment = datetime(2024, 10, 27, 1, 30, tzinfo=UTC)
    while True:
        yield moment
        moment -= timedelta(hours=1)


def session_events(clock: Any, keys: Any, wall: Any, speed: float = 1.0) -> list[tuple[Any, ...]]:
    cat = catalog(exercise("knee-hug", reps=2), exercise("neck", sides=(), reps=1, hold=20))
    plan = compile_plan(cat.routine("r"), cat)
    recorder = Recorder()
    views = [recorder, PlainRenderer(io.StringIO()), JsonlSink(io.StringIO())]
    Session(plan, clock, keys, views, speed=speed, wall=wall).run()
    return [(e.event, round(e.t, 6), e.step.index if isinstance(e, StepEvent) else None,
             None if getattr(e, "remaining", None) is None else round(e.remaining, 6))
            for e in recorder.events]


def test_the_timer_reads_only_its_own_clock(jumping: JumpingWallClock) -> None:
    """With a fake clock the events are the same whether or not the wall clock jumps."""
    keys = [(12, " "), (20, " "), (30, "+"), (45, "n")]
    stamps = wall_stamps()
    clock = FakeClock()
    leaping = session_events(clock, ScriptedKeys(clock, keys), lambda: next(stamps))
    jumping_reads = jumping.reads
    clock = FakeClock()
    steady = session_events(clock, ScriptedKeys(clock, keys), lambda: T0)
    assert leaping == steady
    assert jumping_reads == 0, "something on the timer's path read the wall clock"


def test_a_real_session_keeps_to_the_plan_while_the_wall_clock_jumps(
        jumping: JumpingWallClock) -> None:
    speed = 500.0
    stamps = wall_stamps()
    cat = catalog(exercise("knee-hug", reps=2, hold=20), exercise("neck", sides=(), reps=2))
    plan = compile_plan(cat.routine("r"), cat)
    recorder = Recorder()
    outcome = Session(plan, MonotonicClock(), NoKeys(), [recorder], speed=speed,
                      wall=lambda: next(stamps)).run()
    ends = [e for e in recorder.events if isinstance(e, StepEnded)]
    for event in ends:
        assert event.step is not None
        assert 0 <= event.t - event.step.end / speed < 0.05, (event.t, event.step.end / speed)
    assert outcome.elapsed_seconds == pytest.approx(plan.total_seconds / speed, abs=0.05)
    # The wall clock only stamps the history row: here it went back an hour meanwhile.
    assert outcome.ended_at == outcome.started_at - timedelta(hours=1)


def test_run_with_a_jumping_wall_clock(jumping: JumpingWallClock, backcoach_home: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole `run` command: the JSON lines keep to the plan; history takes the stamps."""
    stamps = wall_stamps()
    monkeypatch.setattr(clock_module, "utc_now", lambda: next(stamps))
    runner = CliRunner()
    assert runner.invoke(app, ["screen", "--clear"]).exit_code == 0
    (backcoach_home / "routines").mkdir(parents=True)
    (backcoach_home / "routines" / "quick.yaml").write_text(
        "id: quick\nname: Quick\nexercises:\n  - {id: knee-to-chest, hold: 5, reps: 2, "
        "rest: 1, setup: 1}\n")
    speed = 50
    done = runner.invoke(app, ["run", "quick", "--speed", str(speed), "--output", "jsonl",
                               "--pain-before", "2", "--pain-after", "1"])
    assert done.exit_code == 0, done.output
    events = [json.loads(line) for line in done.stdout.splitlines()]
    ends = [e for e in events if e["event"] == "step_end"]
    planned_end = 0.0
    for event in ends:
        planned_end += event["planned"]
        assert 0 <= event["t"] - planned_end / speed < 0.2, (event, planned_end)
    with HistoryStore.open() as store:
        [saved] = store.sessions()
    assert saved.status == "done" and saved.started_at.year == 2024


def test_no_module_on_the_timer_path_reads_the_wall_clock() -> None:
    """Only clock.utc_now (injected as `wall`) and the history code read the date and time."""
    add("clock_checks")
    timer_path = ["session/runner.py", "session/keys.py", "session/cues.py", "session/events.py",
                  "session/plan.py", "session/phrases.py", "session/recorder.py",
                  "render/live.py", "render/plain.py", "render/jsonl.py", "render/bigdigits.py",
                  "safetext.py"]
    wall = re.compile(r"time\.time\(|time_ns\(|datetime\.now\(|date\.today\(|localtime\(|"
                      r"utcnow\(|utc_now\(\)")
    for name in timer_path:
        source = (PACKAGE / name).read_text()
        assert not wall.search(source), f"{name} reads the wall clock"
    assert "time.monotonic()" in (PACKAGE / "session" / "clock.py").read_text()


def test_live_view_draws_without_the_wall_clock(jumping: JumpingWallClock) -> None:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=80, height=24, force_terminal=True)
    cat = catalog(exercise("knee-hug", reps=1))
    clock = FakeClock()
    view = LiveView(console)
    Session(compile_plan(cat.routine("r"), cat), clock, ScriptedKeys(clock, []), [view],
            wall=lambda: T0).run()
    view.close()
    assert "seconds · hold" in console.file.getvalue()  # type: ignore[attr-defined]
    assert jumping.reads == 0


# ---------------------------------------------------------------- the calendar

def daily_at(zone: ZoneInfo, first: date, count: int, hour: int, minute: int = 0,
             fold: int = 0) -> list[Any]:
    return [stored(datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone,
                            fold=fold))
            for day in (first + timedelta(days=n) for n in range(count))]


def week_done(sessions: list[Any], zone: ZoneInfo, today: date) -> tuple[int, int | None]:
    [target] = week_targets(dated(sessions, zone), {"daily": DAILY}, today)
    return target.done, target.planned


def streak(sessions: list[Any], zone: ZoneInfo, today: date) -> tuple[int, int]:
    found = streaks((d.day for d in by_day(dated(sessions, zone)).values() if d.sessions),
                    today)
    return found.current, found.longest


@pytest.mark.parametrize(("zone", "monday"), [
    (LONDON, date(2024, 3, 25)),  # clocks forward on Sunday 31 March
    (LONDON, date(2024, 10, 21)),  # clocks back on Sunday 27 October
    (NEW_YORK, date(2024, 3, 4)),  # forward on Sunday 10 March
    (NEW_YORK, date(2024, 10, 28)),  # back on Sunday 3 November
    (ZoneInfo("Australia/Sydney"), date(2024, 4, 1)),  # back on Sunday 7 April (south)
    (ZoneInfo("Australia/Lord_Howe"), date(2024, 9, 30)),  # half an hour forward, 6 October
    (ZoneInfo("Europe/London"), date(2024, 12, 30)),  # Monday 30 Dec to Sunday 5 Jan
])
@pytest.mark.parametrize(("hour", "minute"), [(0, 15), (23, 45)])
def test_a_week_with_a_clock_change_or_a_year_end(zone: ZoneInfo, monday: date, hour: int,
                                                  minute: int) -> None:
    """A session every day just after midnight or just before it: seven days, seven of
    seven planned, a streak of seven, whatever the clocks did that week."""
    add("clock_checks")
    sunday = monday + timedelta(days=6)
    sessions = daily_at(zone, monday, 7, hour, minute)
    assert sorted(by_day(dated(sessions, zone))) == [monday + timedelta(days=n)
                                                     for n in range(7)]
    assert week_done(sessions, zone, sunday) == (7, 7)
    assert streak(sessions, zone, sunday) == (7, 7)
    assert week_done(sessions, zone, sunday + timedelta(days=1)) == (0, 7)  # a new week


def test_the_hour_that_happens_twice() -> None:
    """01:30 on 27 October 2024 happens twice in London: two sessions, one day, one counted
    against a once-a-day plan."""
    add("clock_checks")
    first = datetime(2024, 10, 27, 1, 30, tzinfo=LONDON, fold=0)
    second = datetime(2024, 10, 27, 1, 30, tzinfo=LONDON, fold=1)
    assert second - first == timedelta(0) and second.astimezone(UTC) - first.astimezone(UTC) \
        == timedelta(hours=1)
    sessions = [stored(first), stored(second)]
    assert list(by_day(dated(sessions, LONDON))) == [date(2024, 10, 27)]
    assert week_done(sessions, LONDON, date(2024, 10, 27)) == (1, 7)


def test_a_week_spread_over_three_time_zones() -> None:
    """Monday to Wednesday mornings in London, Thursday in Tokyo, then New York: read in the
    zone the person is in now, every day has its session."""
    add("clock_checks")
    tokyo = ZoneInfo("Asia/Tokyo")
    sessions = (daily_at(LONDON, date(2024, 6, 3), 3, 8) + daily_at(tokyo, date(2024, 6, 6), 1, 19)
                + daily_at(NEW_YORK, date(2024, 6, 7), 3, 9))
    for zone in (NEW_YORK, LONDON):
        assert week_done(sessions, zone, date(2024, 6, 9)) == (7, 7)
        assert streak(sessions, zone, date(2024, 6, 9)) == (7, 7)


def test_through_the_history_file_and_back(backcoach_home: Path) -> None:
    """Stored as UTC text, read back, shown in two zones: the same days, weeks and streaks."""
    add("clock_checks")
    moments = [datetime(2024, 3, 25, 0, 20, tzinfo=LONDON) + timedelta(days=n)
               for n in range(14)]  # across the spring change, just after local midnight
    with HistoryStore.open() as store:
        for moment in moments:
            item = result(moment)
            store.save(store.begin(item), item)
        back = store.sessions(with_exercises=False)
    assert sorted(s.started_at for s in back) == [m.astimezone(UTC) for m in moments]
    summary = summarize(back, [], {"daily": DAILY}, date(2024, 4, 7), LONDON)
    assert (summary.streaks.current, summary.streaks.longest) == (14, 14)
    assert [(t.done, t.planned) for t in summary.targets] == [(7, 7)]
    in_new_york = summarize(back, [], {"daily": DAILY}, date(2024, 4, 6), NEW_YORK)
    assert in_new_york.streaks.longest == 14  # 19:20 the evening before, every day


class FrozenDatetime(datetime):
    """datetime with a `now` that says what the test wants."""

    frozen = datetime(2024, 4, 1, 6, 0, tzinfo=UTC)

    @classmethod
    def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
        return cls.frozen.astimezone(tz) if tz else cls.frozen.replace(tzinfo=None)


@pytest.mark.parametrize(("zone", "frozen", "streak_line", "week_line"), [
    # 07:00 in London on Monday 1 April (summer time since Sunday): a new week
    ("Europe/London", datetime(2024, 4, 1, 6, 0, tzinfo=UTC), "Streak: 14 days", "1 of 7"),
    # the same moment is 20:00 on Sunday 31 March in Honolulu, where every session fell on
    # the evening before: the old week, full
    ("Pacific/Honolulu", datetime(2024, 4, 1, 6, 0, tzinfo=UTC), "Streak: 14 days", "7 of 7"),
    # 01:00 on Wednesday 1 January 2025 in Tokyo: a new year, a new week, no streak
    ("Asia/Tokyo", datetime(2024, 12, 31, 16, 0, tzinfo=UTC), "Streak: 0 days", "0 of 7"),
])
def test_the_progress_command_in_different_zones(zone: str, frozen: datetime, streak_line: str,
                                                 week_line: str, backcoach_home: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    add("clock_checks")
    moments = [datetime(2024, 3, 19, 6, 30, tzinfo=LONDON) + timedelta(days=n)
               for n in range(14)]  # 06:30 London, 19 March to 1 April
    with HistoryStore.open() as store:
        for moment in moments:
            item = result(moment)
            store.save(store.begin(item), item)
    with monkeypatch.context() as patch:
        patch.setattr(FrozenDatetime, "frozen", frozen)
        patch.setattr(datetime_module, "datetime", FrozenDatetime)
        shown = CliRunner().invoke(app, ["progress", "--tz", zone])
    assert shown.exit_code == 0, shown.output
    lines = shown.stdout.splitlines()
    assert lines[0].startswith(streak_line + " "), lines[0]
    assert any(line.startswith(f"Daily: {week_line} planned this week")
               for line in lines), lines[:5]
