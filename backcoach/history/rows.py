"""What a stored value must be for backcoach to use it: the checks every read of the history
applies, so a row another program (or a hand edit) wrote is left out and counted instead of
breaking a page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from backcoach.history.db import parse_utc
from backcoach.safetext import visible


class ForeignRow(ValueError):
    """A stored row holds a value backcoach never writes (another program or a hand edit)."""


# Bounds no row written by backcoach goes past: a session is at most 115 days long, and a
# speed is at most 1000. Rows outside them are another program's, and are left out.
MAX_SECONDS = 1e7
MAX_SPEED = 1e4
MAX_TEXT = 500
SIDES = frozenset({"left", "right", "none"})
SESSION_STATUSES = frozenset({"done", "partial", "stopped"})


def stored_text(value: Any, optional: bool = False) -> Any:
    """Stored text made safe to show: escape sequences as \\uXXXX, at most MAX_TEXT long."""
    if value is None and optional:
        return None
    if type(value) is not str:
        raise ForeignRow(f"text expected, got {type(value).__name__}")
    if len(value) > MAX_TEXT:
        value = value[:MAX_TEXT] + "..."
    return visible(value)


def stored_number(value: Any, low: float, high: float) -> float:
    """A stored number within [low, high] as a float; ForeignRow otherwise."""
    if type(value) not in (int, float) or not low <= value <= high:  # NaN fails both
        raise ForeignRow(f"a number from {low:g} to {high:g} expected, got {value!r}")
    return float(value)


def stored_whole(value: Any, low: int, high: int, optional: bool = False) -> Any:
    """A stored whole number within [low, high] (or None when `optional`); ForeignRow
    otherwise."""
    if value is None and optional:
        return None
    if type(value) is float and value.is_integer():
        value = int(value)
    if type(value) is not int or not low <= value <= high:
        raise ForeignRow(f"a whole number from {low} to {high} expected, got {value!r}")
    return value


def stored_moment(value: Any) -> datetime:
    """A stored time as an aware UTC datetime; ForeignRow when it is not one backcoach wrote."""
    try:
        moment = parse_utc(value)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ForeignRow(f"a time expected, got {value!r}") from exc
    # Far from now, a local date may not exist (year 1 in a zone west of UTC): not ours.
    if not 1970 <= moment.year <= 9000:
        raise ForeignRow(f"a time expected, got {value!r}")
    return moment
