"""The model's pure values: durations, doses and their totals, routine overrides."""

from __future__ import annotations

import pytest

from backcoach.library.model import (
    Dose,
    DoseOverride,
    Origin,
    format_clock,
    format_duration,
    parse_duration,
)


@pytest.mark.parametrize(("text", "seconds"), [
    ("30", 30),
    ("0", 0),
    ("30s", 30),
    ("1m", 60),
    ("1m30s", 90),
    ("1m 30s", 90),
    (" 2m ", 120),
    ("1 min 30 sec", 90),
    ("90S", 90),
    ("1h", 3600),
    ("1h1m1s", 3661),
])
def test_parse_duration_accepts_the_documented_forms(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", [
    "", "   ", "s", "m", "-5", "-5s", "1.5", "1.5m", "30 seconds", "1m30", "30s1m", "abc",
    "1:30", "²",
])
def test_parse_duration_refuses_anything_else(text: str) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "0 s"), (5, "5 s"), (30, "30 s"), (59.6, "1 min"), (60, "1 min"), (90, "1 min 30 s"),
    (620, "10 min 20 s"), (3600, "1 h"), (3629, "1 h"), (3660, "1 h 1 min"),
    (7500, "2 h 5 min"),
])
def test_format_duration(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


@pytest.mark.parametrize(("seconds", "shown"), [
    (0, "00:00"), (9, "00:09"), (252, "04:12"), (59.6, "01:00"), (3599, "59:59"),
    (3600, "1:00:00"), (3723, "1:02:03"), (-5, "00:00"),
])
def test_format_clock(seconds: float, shown: str) -> None:
    assert format_clock(seconds) == shown


EACH_SIDE = Dose(hold=30, reps=3, sides=("left", "right"), rest=10, setup=10, switch=5)
NO_SIDE = Dose(hold=5, reps=10, sides=(), rest=5, setup=10, switch=5)
ONE_SIDE = Dose(hold=30, reps=2, sides=("right",), rest=10, setup=10, switch=5)


def test_total_each_side_by_hand() -> None:
    # setup 10, 3 reps x 2 sides x 30 s, a 5 s switch inside each of the 3 reps, 2 rests of 10 s
    assert EACH_SIDE.total_seconds() == 10 + 180 + 15 + 20 == 225
    assert EACH_SIDE.hold_seconds == 180
    assert EACH_SIDE.side_slots == ("left", "right")


def test_total_without_sides_by_hand() -> None:
    # setup 10, 10 holds of 5 s, no switch, 9 rests of 5 s
    assert NO_SIDE.total_seconds() == 10 + 50 + 0 + 45 == 105
    assert NO_SIDE.side_slots == (None,)


def test_total_one_side_by_hand() -> None:
    # setup 10, 2 holds of 30 s on the right, no switch, 1 rest of 10 s
    assert ONE_SIDE.total_seconds() == 10 + 60 + 0 + 10 == 80
    assert ONE_SIDE.side_slots == ("right",)


def test_a_single_rep_has_no_rest() -> None:
    assert Dose(hold=30, reps=1, sides=(), rest=10, setup=5).total_seconds() == 35
    assert Dose(hold=30, reps=1, sides=("left", "right"), rest=10, setup=10,
                switch=5).total_seconds() == 10 + 60 + 5 == 75


def test_defaults_are_the_documented_ones() -> None:
    assert Dose() == Dose(hold=30, reps=3, sides=(), rest=10, setup=10, switch=5)


@pytest.mark.parametrize(("dose", "line"), [
    (EACH_SIDE, "3 x 30 s each side"),
    (NO_SIDE, "10 x 5 s"),
    (ONE_SIDE, "2 x 30 s right side only"),
    (Dose(hold=90), "3 x 1 min 30 s"),
])
def test_describe(dose: Dose, line: str) -> None:
    assert dose.describe() == line


def test_an_empty_override_keeps_the_dose() -> None:
    assert DoseOverride().apply(EACH_SIDE) == EACH_SIDE


def test_override_replaces_only_what_it_sets() -> None:
    dose = DoseOverride(hold=20, reps=2).apply(EACH_SIDE)
    assert dose == Dose(hold=20, reps=2, sides=("left", "right"), rest=10, setup=10, switch=5)
    assert dose.total_seconds() == 10 + 2 * 2 * 20 + 2 * 1 * 5 + 1 * 10 == 110
    assert EACH_SIDE.hold == 30  # the exercise's own dose is untouched


def test_override_zero_and_empty_values_count() -> None:
    # 0 s rest and "no sides" are real values, not "unset"
    dose = DoseOverride(rest=0, setup=0, sides=()).apply(EACH_SIDE)
    assert (dose.rest, dose.setup, dose.sides) == (0, 0, ())
    assert dose.total_seconds() == 3 * 30


def test_override_sides_to_one_side() -> None:
    assert DoseOverride(sides=("left",)).apply(EACH_SIDE).total_seconds() == 10 + 90 + 0 + 20


def test_values_are_frozen() -> None:
    with pytest.raises(AttributeError):
        EACH_SIDE.hold = 1  # type: ignore[misc]


def test_origin_label() -> None:
    assert Origin("a.yaml", builtin=True).label == "built-in"
    assert Origin("a.yaml", builtin=False).label == "user"
