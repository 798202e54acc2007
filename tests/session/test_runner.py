"""The session timer with a fake clock and scripted keys: every key, sides, reps, speed, drift."""

from __future__ import annotations

import random

import pytest

from backcoach.library.model import Exercise
from backcoach.session import events as ev
from backcoach.session.plan import Step, compile_plan
from backcoach.session.runner import Ended, HurtDecision
from tests.fakes import FakeClock, ScriptedKeys
from tests.helpers import Recorder, Session, catalog, exercise


def make(*exercises: object, keys: list[tuple[float, str]] | None = None, speed: float = 1.0,
         rest_between: int = 15, **kwargs: object) -> tuple[Session, Recorder, FakeClock]:
    cat = catalog(*exercises, rest_between=rest_between)  # type: ignore[arg-type]
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    recorder = Recorder()
    runner = Session(plan, clock, ScriptedKeys(clock, keys or []), [recorder], speed=speed,
                     easier=lambda e: cat.exercises.get(e.easier) if e.easier else None,
                     **kwargs)
    return runner, recorder, clock


def ends(recorder: Recorder) -> list[tuple[str, str | None, float, str | None]]:
    return [(e.step.kind, e.step.side, round(e.t, 6), e.status)  # type: ignore[union-attr]
            for e in recorder.named(ev.STEP_END)]


def test_full_session_follows_the_plan_exactly() -> None:
    runner, rec, _ = make(exercise(reps=2))
    result = runner.run()
    assert ends(rec) == [("setup", "left", 10, "done"), ("hold", "left", 40, "done"),
                         ("switch", "right", 45, "done"), ("hold", "right", 75, "done"),
                         ("rest", "left", 85, "done"), ("hold", "left", 115, "done"),
                         ("switch", "right", 120, "done"), ("hold", "right", 150, "done")]
    assert result.status == "done" and result.end_reason == "finished"
    assert result.elapsed_seconds == pytest.approx(150)
    ex = result.exercises[0]
    assert ex.status == "done"
    assert {side: (r.reps_done, r.seconds_held) for side, r in ex.held.items()} == {
        "left": (2, 60.0), "right": (2, 60.0)}
    assert rec.events[0].event == ev.SESSION_START and rec.events[-1].event == ev.SESSION_END


def test_ticks_land_on_whole_seconds_and_count_down() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=5, setup=0))
    runner.run()
    ticks = [(round(e.t, 6), round(e.remaining or 0, 6)) for e in rec.named(ev.TICK)]
    assert ticks == [(1, 4), (2, 3), (3, 2), (4, 1)]


def test_pause_shifts_the_deadline_and_is_not_counted_as_holding() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(20, " "), (80, " ")])
    result = runner.run()
    assert [e.event for e in rec.events if e.event in (ev.PAUSE, ev.RESUME)] == ["pause", "resume"]
    assert rec.named(ev.PAUSE)[0].remaining == pytest.approx(20)
    assert result.elapsed_seconds == pytest.approx(100)  # 40 planned + 60 paused
    assert result.exercises[0].seconds_held == pytest.approx(30)


def test_skip_moves_on_and_the_rep_does_not_count() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=2, hold=30, setup=10, rest=10),
                          keys=[(25, "n")])
    result = runner.run()
    assert ends(rec)[1] == ("hold", None, 25, "skipped")
    ex = result.exercises[0]
    assert ex.reps_done == 1 and ex.status == "partial"
    assert ex.seconds_held == pytest.approx(15 + 30)
    assert result.elapsed_seconds == pytest.approx(25 + 10 + 30)  # rest + second hold follow


def test_back_returns_to_the_previous_step() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10), keys=[(15, "b")])
    result = runner.run()
    starts = [e.step.kind for e in rec.named(ev.STEP_START)]  # type: ignore[union-attr]
    assert starts == ["setup", "hold", "setup", "hold"]
    assert len(rec.named(ev.BACK)) == 1
    assert result.elapsed_seconds == pytest.approx(15 + 10 + 30)
    assert result.exercises[0].reps_done == 1


def test_plus_and_minus_change_only_the_current_hold() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(5, "+"), (12, "+"), (13, "="), (20, "-")])
    result = runner.run()
    adjusts = rec.named(ev.ADJUST)
    assert [a.delta for a in adjusts] == [5, 5, -5]  # '+' in setup does nothing
    assert result.elapsed_seconds == pytest.approx(10 + 35)
    assert result.exercises[0].seconds_held == pytest.approx(35)


def test_minus_never_ends_a_hold_in_the_past() -> None:
    runner, _, _ = make(exercise(sides=(), reps=1, hold=10, setup=0),
                        keys=[(8, "-")])
    result = runner.run()
    assert result.elapsed_seconds == pytest.approx(8)
    assert result.exercises[0].reps_done == 1


def test_quit_keeps_what_was_done() -> None:
    runner, rec, _ = make(exercise("a", sides=(), reps=2), exercise("b"),
                          keys=[(45, "q"), (45, "q")])
    result = runner.run()
    assert result.status == "partial" and result.end_reason == "quit"
    assert [e.status for e in result.exercises] == ["partial", "not_reached"]
    assert result.exercises[0].reps_done == 1
    assert rec.events[-1].status == "partial"


def test_quit_while_paused() -> None:
    runner, _, _ = make(exercise(), keys=[(5, " "), (50, "q"), (50, "q")])
    result = runner.run()
    assert result.end_reason == "quit" and result.elapsed_seconds == pytest.approx(50)


def test_hurt_sharp_stops_the_exercise_and_moves_to_the_next() -> None:
    runner, rec, _ = make(exercise("a"), exercise("b", reps=1), keys=[(20, "h"), (22, "s")])
    result = runner.run()
    pains = rec.named(ev.PAIN)
    assert [p.to_json()["phase"] for p in pains] == ["ask", "answer"]
    assert isinstance(pains[1], ev.PainAnswered)
    assert pains[1].kind == "sharp" and pains[1].stop is True
    assert result.exercises[0].status == "stopped"
    assert result.exercises[0].stop_reason == "pain: sharp"
    assert result.exercises[1].status == "done"
    next_start = rec.named(ev.STEP_START)[2].step
    assert next_start is not None and next_start.kind == "transition"


def regional(ident: str, regions: tuple[str, ...], easier: str | None = None) -> Exercise:
    return exercise(ident, reps=1, easier=easier)._replace(regions=regions)


def spreading(kind: str, level: int | None, step: Step) -> HurtDecision:
    return HurtDecision(True, "Stop.", "pain spreading into a leg or arm",
                        skip_regions=step.exercise.loads)


def test_item_7_a_stop_leaves_out_the_later_exercises_of_its_regions() -> None:
    runner, rec, _ = make(regional("a", ("hip",)), regional("b", ("neck",)),
                          regional("c", ("hip", "knee")), regional("d", ("knee",)),
                          keys=[(15, "h"), (16, "l")], assess=spreading)
    result = runner.run()
    [left] = rec.named(ev.LEFT_OUT)
    assert isinstance(left, ev.LeftOut)
    assert (left.positions, left.exercise_ids) == ((2,), ("c",))
    assert left.reason == "left out after pain spreading into a leg or arm in A"
    started = {e.step.exercise.id for e in rec.named(ev.STEP_START)}  # type: ignore[attr-defined]
    assert started == {"a", "b", "d"}
    assert [(ex.exercise_id, ex.status) for ex in result.exercises] == [
        ("a", "stopped"), ("b", "done"), ("c", "skipped"), ("d", "done")]
    assert result.exercises[2].stop_reason == left.reason
    assert result.end_reason == "finished"


def test_item_8_back_never_enters_a_stopped_exercise() -> None:
    runner, rec, _ = make(exercise("a"), exercise("b", reps=1),
                          keys=[(15, "h"), (16, "s"), (18, "b"), (19, "b")])
    result = runner.run()
    backs = rec.named(ev.BACK)
    assert [e.step.kind for e in backs] == ["transition", "transition"]  # type: ignore[attr-defined]
    assert result.exercises[0].status == "stopped" and result.exercises[0].reps_done == 0
    assert result.exercises[1].status == "done"


def test_item_9_easier_never_swaps_in_an_exercise_stopped_today() -> None:
    # a stopped; b's easier variant is a: e in b does nothing
    runner, rec, _ = make(exercise("a", reps=1), exercise("b", reps=1, easier="a"),
                          keys=[(15, "h"), (16, "s"), (20, "e"), (40, "e")])
    result = runner.run()
    assert rec.named(ev.SWAP) == []
    starts = [e for e in rec.named(ev.STEP_START) if e.step.exercise.id == "b"]  # type: ignore[attr-defined]
    assert starts and not any(e.easier for e in starts)  # type: ignore[attr-defined]
    assert [ex.exercise_id for ex in result.exercises] == ["a", "b"]


def test_item_6_a_follow_up_yes_ends_the_session_for_safety() -> None:
    from backcoach.session.runner import FollowUpQuestion

    calm = HurtDecision(True, "Stop.", "dizziness", skip_regions=frozenset({"neck"}))
    urgent = HurtDecision(True, "Call now.", "emergency", end_session=True)

    def dizzy(kind: str, level: int | None, step: Step) -> HurtDecision:
        return HurtDecision(True, "", "", follow_up=FollowUpQuestion("Signs?", urgent, calm))

    runner, rec, _ = make(exercise("a"), exercise("b"), keys=[(15, "h"), (16, "d"), (17, "y")],
                          assess=dizzy)
    result = runner.run()
    asked = [e for e in rec.named(ev.PAIN) if isinstance(e, ev.PainAsked)]
    assert [(e.phase, e.question) for e in asked] == [("ask", ""), ("follow-up", "Signs?")]
    answer = next(e for e in rec.named(ev.PAIN) if isinstance(e, ev.PainAnswered))
    assert answer.message == "Call now." and answer.ends_session
    assert result.end_reason == "safety" and result.exercises[1].status == "not_reached"


def test_hurt_dull_asks_the_level_and_continues_when_the_rules_say_so() -> None:
    seen: list[tuple[str, int | None]] = []

    def assess(kind: str, level: int | None, step: Step) -> HurtDecision:
        seen.append((kind, level))
        return HurtDecision(level is not None and level > 5, "Ease off a little.")

    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(20, "h"), (22, "a"), (24, "4")], assess=assess)
    result = runner.run()
    assert seen == [("dull", 4)]
    assert [p.to_json()["phase"] for p in rec.named(ev.PAIN)] == ["ask", "level", "answer"]
    assert result.exercises[0].status == "done" and result.exercises[0].pain == 4
    assert result.elapsed_seconds == pytest.approx(44)  # the questions paused the timer
    assert rec.named(ev.PAIN)[2].to_json()["message"] == "Ease off a little."


def test_hurt_dull_at_a_high_level_stops_with_the_rules_reason() -> None:
    from backcoach.safety.flow import hurt_assessor

    runner, _, _ = make(exercise("a", sides=(), reps=2), exercise("b", sides=(), reps=1),
                        keys=[(20, "h"), (21, "a"), (22, "t")], assess=hurt_assessor())
    result = runner.run()
    assert result.exercises[0].status == "stopped"
    assert result.exercises[0].stop_reason == "pain 10/10"
    assert result.exercises[0].pain == 10 and result.exercises[1].status == "done"


def test_hurt_dull_level_unknown_with_escape() -> None:
    seen: list[int | None] = []

    def assess(kind: str, level: int | None, step: Step) -> HurtDecision:
        seen.append(level)
        return HurtDecision(False, "Ease off.")

    runner, _, _ = make(exercise(sides=(), reps=1), keys=[(20, "h"), (21, "a"), (22, "escape")],
                        assess=assess)
    runner.run()
    assert seen == [None]


def test_hurt_cancelled_with_escape() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1), keys=[(20, "h"), (21, "escape")])
    result = runner.run()
    assert len(rec.named(ev.PAIN)) == 1 and result.exercises[0].status == "done"


def test_easier_variant_replaces_the_rest_of_the_exercise() -> None:
    hard = exercise("hard", sides=(), reps=3, easier="soft")
    soft = exercise("soft", sides=(), reps=1, hold=15)
    cat = catalog(hard, exercise("after", sides=(), reps=1))
    cat.exercises["soft"] = soft
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    rec = Recorder()
    runner = Session(plan, clock, ScriptedKeys(clock, [(3, "e")]), [rec],
                     easier=lambda e: cat.exercises.get(e.easier) if e.easier else None)
    result = runner.run()
    assert [e.exercise_id for e in result.exercises] == ["soft", "after"]
    assert result.exercises[0].status == "done" and result.exercises[0].reps_done == 1
    [swap] = rec.named(ev.SWAP)
    assert isinstance(swap, ev.Swapped) and swap.plan is not None
    assert (swap.from_id, swap.to_id) == ("hard", "soft")
    # 3 s into setup, then soft: setup 10 + hold 15, transition 15, after: 10 + 30
    assert result.elapsed_seconds == pytest.approx(3 + 25 + 15 + 40)
    steps = swap.plan.steps
    assert [s.index for s in steps] == list(range(len(steps)))
    assert [s.start for s in steps[1:]] == [s.end for s in steps[:-1]]


def test_speed_scales_every_duration() -> None:
    runner, rec, _ = make(exercise(reps=2), speed=50)
    result = runner.run()
    assert result.elapsed_seconds == pytest.approx(150 / 50)
    assert [round(t * 50, 6) for _, _, t, _ in ends(rec)] == [10, 40, 45, 75, 85, 115, 120, 150]
    assert result.exercises[0].held["left"].seconds_held == pytest.approx(60)


def test_ctrl_c_and_ended_return_a_partial_result() -> None:
    class Interrupting(ScriptedKeys):
        def wait_key(self, timeout: float | None) -> str | None:
            if self.clock.now() - self.start >= 60:
                raise KeyboardInterrupt
            return super().wait_key(timeout)

    cat = catalog(exercise(reps=2))
    plan = compile_plan(cat.routine("r"), cat)
    clock = FakeClock()
    result = Session(plan, clock, Interrupting(clock, [])).run()
    assert result.end_reason == "interrupted" and result.status == "partial"
    assert result.exercises[0].held["left"].reps_done == 1
    right = result.exercises[0].held["right"]  # interrupted 15 s into the right-side hold
    assert (right.reps_done, right.seconds_held) == (0, pytest.approx(15))

    class Terminating(ScriptedKeys):
        def wait_key(self, timeout: float | None) -> str | None:
            raise Ended("terminated")

    result = Session(plan, clock, Terminating(clock, [])).run()
    assert result.end_reason == "terminated"


class LateWaker(ScriptedKeys):
    """Oversleeps every wait by up to 20 ms, as a busy machine does."""

    def __init__(self, clock: FakeClock, seed: int) -> None:
        super().__init__(clock, [])
        self.random = random.Random(seed)

    def wait_key(self, timeout: float | None) -> str | None:
        key = super().wait_key(timeout)
        self.clock.advance(self.random.uniform(0, 0.02))
        return key


@pytest.mark.parametrize("speed", [1.0, 50.0])
def test_no_drift_over_a_simulated_hour_of_late_wake_ups(speed: float) -> None:
    long = exercise(sides=("left", "right"), reps=30, hold=45, rest=10, setup=10, switch=5)
    cat = catalog(long, exercise("b", reps=10), rest_between=15)
    plan = compile_plan(cat.routine("r"), cat)
    assert plan.total_seconds > 3600
    clock = FakeClock()
    rec = Recorder()
    result = Session(plan, clock, LateWaker(clock, seed=7), [rec], speed=speed).run()
    # Every step ends within one wake-up's lateness of its planned end: errors never add up.
    for event in rec.named(ev.STEP_END):
        assert event.step is not None
        assert 0 <= event.t - event.step.end / speed <= 0.0205
    assert result.elapsed_seconds - plan.total_seconds / speed <= 0.0205


# ---------------------------------------------------------------- issue 14, item 6: the keys

def test_q_asks_once_and_any_other_key_carries_on_with_the_timer_held() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(20, "q"), (50, "x")])
    result = runner.run()
    assert [e.event for e in rec.events if e.event in (ev.QUIT_ASK, ev.RESUME)] == [
        "quit_ask", "resume"]
    assert result.end_reason == "finished" and result.exercises[0].reps_done == 1
    # 30 s of asking did not count as holding, and the hold still ran its 30 s
    assert result.exercises[0].seconds_held == pytest.approx(30)
    assert result.elapsed_seconds == pytest.approx(10 + 30 + 30)


@pytest.mark.parametrize("again", ["q", "y"])
def test_q_then_q_or_y_quits(again: str) -> None:
    runner, rec, _ = make(exercise(sides=(), reps=2), keys=[(20, "q"), (21, again)])
    result = runner.run()
    assert result.end_reason == "quit" and len(rec.named(ev.QUIT_ASK)) == 1
    assert result.elapsed_seconds == pytest.approx(21)


def test_help_holds_the_timer_until_it_is_closed() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(15, "?"), (75, "?")])
    result = runner.run()
    helps = rec.named(ev.HELP)
    assert [h.shown for h in helps] == [True, False]  # type: ignore[attr-defined]
    assert [h.remaining for h in helps] == [pytest.approx(25), pytest.approx(25)]
    assert result.exercises[0].seconds_held == pytest.approx(30)
    assert result.elapsed_seconds == pytest.approx(10 + 30 + 60)


def test_adjust_says_the_new_length_of_the_hold() -> None:
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(12, "+"), (13, "-"), (14, "-")])
    runner.run()
    assert [(a.delta, a.length) for a in rec.named(ev.ADJUST)] == [  # type: ignore[attr-defined]
        (5, 35), (-5, 30), (-5, 25)]
    assert rec.named(ev.ADJUST)[-1].to_json()["length"] == 25


def test_minus_never_makes_a_hold_shorter_than_five_seconds() -> None:
    # A 5 s hold cannot be shortened at all: half a second is not a rep.
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=5, setup=0), keys=[(0.5, "-")])
    result = runner.run()
    [adjust] = rec.named(ev.ADJUST)
    assert (adjust.delta, adjust.length) == (0, 5)  # type: ignore[attr-defined]
    assert result.exercises[0].seconds_held == pytest.approx(5)
    # A 30 s hold goes down to 5 s, no further.
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=0),
                          keys=[(1, "-")] * 7)
    result = runner.run()
    assert [a.length for a in rec.named(ev.ADJUST)] == [  # type: ignore[attr-defined]
        25, 20, 15, 10, 5, 5, 5]
    assert result.exercises[0].reps_done == 1
    assert result.exercises[0].seconds_held == pytest.approx(5)


def test_a_done_rep_is_always_held_at_least_the_shortest_hold() -> None:
    for at in (0.2, 1, 3, 4.9):
        runner, _, _ = make(exercise(sides=(), reps=1, hold=10, setup=0),
                            keys=[(at, "-"), (at, "-"), (at, "-")])
        result = runner.run()
        assert result.exercises[0].reps_done == 1
        assert result.exercises[0].seconds_held >= 5 - 1e-9, at


def test_n_during_a_pause_starts_the_next_step() -> None:
    # Space holds a setup for as long as the person needs; n says "ready".
    runner, rec, _ = make(exercise(sides=(), reps=1, hold=30, setup=10),
                          keys=[(3, " "), (90, "n")])
    result = runner.run()
    assert ends(rec)[0] == ("setup", None, 90, "skipped")
    assert result.elapsed_seconds == pytest.approx(90 + 30)
