"""A long routine of short holds keeps time: what a step costs does not grow with what is done
(issue 13, item 9). The runner and the recorder were made O(1) per step before; this checks
the history writer, the last part that grew. Times are in the benchmark (`python -m
tests.perf --only long`), never here: this counts the rows a step's save writes."""

from __future__ import annotations

from pathlib import Path

from backcoach.history.store import HistoryStore
from backcoach.history.writer import HistoryWriter
from backcoach.library.catalog import Catalog
from backcoach.library.model import Routine, RoutineItem
from backcoach.session import events as ev
from backcoach.session.plan import compile_plan
from backcoach.session.recorder import Recorder, run_recorded
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import exercise
from tests.robustness.tally import add


def rows_written_per_step(path: Path, entries: int) -> list[int]:
    """Rows changed in the history by each step's save, for a routine of `entries` short
    two-sided holds (the issue's case, smaller)."""
    short = exercise("blink", hold=1, reps=5, rest=0, setup=0, switch=0)
    routine = Routine(id="many", name="Many short holds", rest_between=0,
                      items=tuple(RoutineItem("blink") for _ in range(entries)))
    catalog = Catalog(exercises={"blink": short}, routines={"many": routine})
    plan = compile_plan(routine, catalog)
    changes: list[int] = []
    with HistoryStore.open(path) as store:
        conn = store._conn

        class Count:
            last = 0

            def handle(self, event: ev.Event) -> None:
                if isinstance(event, ev.StepEnded):
                    changes.append(conn.total_changes - self.last)
                self.last = conn.total_changes

            def close(self) -> None:
                """Nothing to release."""

        clock = FakeClock()
        recorder = Recorder(plan)
        recorder.sinks = [HistoryWriter(store, recorder), Count()]
        result = run_recorded(plan, clock, ScriptedKeys(clock, []), recorder=recorder)
        assert result.exercises_done == entries
        [stored] = store.sessions()
        assert sum(row.reps_done for row in stored.exercises) == entries * 10
    return changes


def test_item_9_a_steps_save_costs_the_same_however_long_the_routine(tmp_path: Path) -> None:
    add("session_faults")
    short = rows_written_per_step(tmp_path / "short.sqlite3", 5)
    long = rows_written_per_step(tmp_path / "long.sqlite3", 100)
    assert len(long) == 20 * len(short)
    # The session row, the rows of at most two exercises (two sides each, deleted and
    # written again), and the session's `active` flag when rewriting those rows turns it off
    # and on again: never all 100 exercises' rows, as before.
    assert max(long) == max(short) <= 1 + 2 * (2 + 2) + 2
