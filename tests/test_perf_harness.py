"""The benchmark's arithmetic (tests/perf), without timing anything: errors against the plan,
ratios and the table. The measurements themselves run only under `python -m tests.perf`."""

from __future__ import annotations

import pytest

from tests.perf.harness import Row, table, time_row
from tests.perf.scenarios import timer_errors

PLAN = [(0, "a", "setup", 10.0), (1, "a", "hold", 40.0), (2, "b", "hold", 70.0)]


def step_end(index: int, exercise: str, kind: str, t: float) -> dict[str, object]:
    return {"event": "step_end", "step": index, "exercise": exercise, "kind": kind,
            "status": "done", "t": t}


def test_timer_errors_compare_each_step_end_with_the_plan_at_speed() -> None:
    events = [{"event": "session_start", "t": 0.0},
              step_end(0, "a", "setup", 0.201), step_end(1, "a", "hold", 0.8),
              step_end(2, "b", "hold", 1.403), {"event": "session_end", "t": 1.404}]
    found = timer_errors(events, PLAN, 70.0, speed=50)
    assert found["errors_ms"] == [pytest.approx(1.0), pytest.approx(0.0), pytest.approx(3.0)]
    assert found["worst_step_ms"] == pytest.approx(3.0)
    assert found["end_ms"] == pytest.approx(4.0)


def test_an_error_of_exactly_the_budget_is_the_budget_not_float_noise_above_it() -> None:
    plan = [(0, "a", "hold", 60.0)]
    events = [step_end(0, "a", "hold", 60.005), {"event": "session_end", "t": 60.005}]
    assert 60.005 - 60.0 > 0.005  # what the floats give
    found = timer_errors(events, plan, 60.0, speed=1)
    assert found["end_ms"] == 5.0 and found["worst_step_ms"] == 5.0 and found["errors_ms"] == [5.0]


def test_timer_errors_refuse_a_session_that_did_not_follow_the_plan() -> None:
    skipped = [step_end(0, "a", "setup", 0.2), {**step_end(1, "a", "hold", 0.3),
                                                 "status": "skipped"},
               step_end(2, "b", "hold", 1.4), {"event": "session_end", "t": 1.4}]
    with pytest.raises(RuntimeError, match="does not match plan step 1"):
        timer_errors(skipped, PLAN, 70.0, speed=50)
    with pytest.raises(RuntimeError, match="2 step_end events for a plan of 3 steps"):
        timer_errors(skipped[:2], PLAN, 70.0, speed=50)


def test_a_time_row_is_the_ratio_of_medians_against_its_budget() -> None:
    row = time_row("backcoach --version", [0.070, 0.090, 0.071], [0.060, 0.061, 0.050],
                   "python -c 'import typer'", 1.25)
    assert row.ours == pytest.approx(71.0) and row.reference == pytest.approx(60.0)
    assert row.ratio == pytest.approx(71 / 60) and row.ok
    info = Row("peak memory", 40.0, "MiB", 26.0, "ref", "<= 60 MiB", ok=True, compare=False)
    assert info.ratio is None
    lines = table([row, info]).splitlines()
    assert lines[0].split() == ["figure", "ours", "reference", "ratio", "budget", "result"]
    assert "1.18x" in lines[2] and lines[2].endswith("pass")
    assert row.as_json()["result"] == "pass" and info.as_json()["ratio"] is None
