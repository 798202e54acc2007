"""How often a routine makes the person get up and down, and an order that needs fewer changes.

Pure functions over position words. Getting down to the floor and up again is the hard part of a
routine for someone with a sore back, so a routine should visit each position once: lying, then
kneeling, then sitting, then standing (the order of `model.POSITIONS`). A stable sort on that
order groups the positions without reordering exercises within a group, and so needs the fewest
changes possible: one fewer than the number of distinct positions.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import NamedTuple

from backcoach.library.model import POSITIONS

# Lower is nearer the floor; unknown words sort last (the schema never lets one through).
_RANK = {name: rank for rank, name in enumerate(POSITIONS)}


def position_changes(positions: Sequence[str]) -> int:
    """How many times the position changes from one exercise to the next."""
    return sum(1 for before, after in pairwise(positions) if before != after)


def suggested_order(positions: Sequence[str]) -> tuple[int, ...]:
    """Indices of the exercises sorted lying < kneeling < sitting < standing, ties kept in order."""
    return tuple(sorted(range(len(positions)),
                        key=lambda index: _RANK.get(positions[index], len(_RANK))))


class OrderAdvice(NamedTuple):
    """A routine that changes position more often than it needs to, and a better order."""

    changes: int
    fewest: int
    order: tuple[int, ...]  # indices into the routine's exercises


def advise(positions: Sequence[str]) -> OrderAdvice | None:
    """Advice when another order needs fewer position changes; None when this one is as good."""
    order = suggested_order(positions)
    changes = position_changes(positions)
    fewest = position_changes([positions[index] for index in order])
    if changes <= fewest:
        return None
    return OrderAdvice(changes, fewest, order)


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def describe(advice: OrderAdvice, ids: Sequence[str], positions: Sequence[str]) -> str:
    """One line for a person: how often this order changes position, and the suggested order."""
    path = " → ".join(_runs(positions))
    suggestion = ", ".join(ids[index] for index in advice.order)
    return (f"this order changes position {_times(advice.changes)} ({path}); grouped by "
            f"position it changes {_times(advice.fewest)}: {suggestion}")


def _runs(positions: Sequence[str]) -> list[str]:
    """The positions visited, with repeats in a row collapsed: lying, sitting, lying."""
    runs: list[str] = []
    for name in positions:
        if not runs or runs[-1] != name:
            runs.append(name)
    return runs
