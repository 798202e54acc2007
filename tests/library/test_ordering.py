"""The position-change advice: count changes, suggest a grouped order, warn only when it helps."""

from __future__ import annotations

from pathlib import Path

import pytest

from backcoach.library.catalog import load_catalog, order_warning
from backcoach.library.ordering import advise, describe, position_changes, suggested_order

L, K, SI, ST = "lying", "kneeling", "sitting", "standing"


@pytest.mark.parametrize(("positions", "changes"), [
    ([], 0), ([L], 0), ([L, L], 0), ([L, SI], 1), ([SI, L, SI], 2), ([L, K, SI, ST], 3),
    ([ST, L, ST, L], 3),
])
def test_position_changes(positions: list[str], changes: int) -> None:
    assert position_changes(positions) == changes


def test_suggested_order_is_a_stable_sort_from_the_floor_up() -> None:
    positions = [SI, L, ST, L, SI, K]
    assert suggested_order(positions) == (1, 3, 5, 0, 4, 2)
    assert [positions[i] for i in suggested_order(positions)] == [L, L, K, SI, SI, ST]


@pytest.mark.parametrize("positions", [
    [], [L], [L, L, K, SI],   # already grouped, floor first
    [ST, SI, L],               # grouped the other way round: as few changes, no warning
    [SI, SI, SI],
])
def test_no_advice_when_the_order_is_already_as_good(positions: list[str]) -> None:
    assert advise(positions) is None


def test_advice_counts_both_and_gives_the_order() -> None:
    positions = [SI, L, ST, L, SI, L]
    advice = advise(positions)
    assert advice is not None
    assert (advice.changes, advice.fewest) == (5, 2)
    assert advice.order == (1, 3, 5, 0, 4, 2)


def test_describe_says_the_path_and_the_order() -> None:
    positions = [SI, L, SI]
    advice = advise(positions)
    assert advice is not None
    assert describe(advice, ["chin-tuck", "knee-to-chest", "neck-side-bend"], positions) == (
        "this order changes position twice (sitting → lying → sitting); grouped by position "
        "it changes once: knee-to-chest, chin-tuck, neck-side-bend")


def test_no_built_in_routine_gets_a_warning() -> None:
    catalog = load_catalog()
    for routine in catalog.routines.values():
        assert order_warning(routine, catalog) is None, routine.id


def test_a_repeated_exercise_is_placed_with_its_position(backcoach_home: Path) -> None:
    folder = backcoach_home / "routines"
    folder.mkdir(parents=True)
    (folder / "up-down.yaml").write_text(
        "id: up-down\nname: Up and down\nexercises:\n  - knee-to-chest\n  - chin-tuck\n"
        "  - knee-to-chest\n", encoding="utf-8")
    catalog = load_catalog()
    assert order_warning(catalog.routine("up-down"), catalog) == (
        "this order changes position twice (lying → sitting → lying); grouped by position it "
        "changes once: knee-to-chest, knee-to-chest, chin-tuck")
