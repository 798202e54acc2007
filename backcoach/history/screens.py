"""The red-flag screens as stored: the row of a screen back as a ScreenRecord, and the last
screen read on its own, for `show`, which only looks and so need not load the store."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from backcoach.history import db
from backcoach.history.rows import ForeignRow, stored_moment, stored_text
from backcoach.session.safety_record import ScreenRecord

# The latest screen; the columns are named as screen_record reads them.
LAST_SCREEN_SQL = ("SELECT taken_at AS taken_at, tier AS tier, answers AS answers, "
                   "cleared AS cleared FROM screens ORDER BY taken_at DESC, id DESC LIMIT 1")


def screen_record(row: Mapping[str, Any]) -> ScreenRecord:
    """A screen from its row; ForeignRow unless its answers are a JSON object of yes/no and
    its clearances one of dates."""
    try:
        answers = json.loads(row["answers"])
    except (TypeError, ValueError, RecursionError) as exc:
        raise ForeignRow("answers are not JSON") from exc
    if not isinstance(answers, dict) or not all(
            isinstance(value, bool | int) for value in answers.values()):
        raise ForeignRow("answers are not yes/no")
    try:
        cleared = json.loads(row["cleared"] or "{}")
        when = {str(key): db.parse_utc(str(value)) for key, value in cleared.items()}
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise ForeignRow("clearances are not dates by question") from exc
    return ScreenRecord(taken_at=stored_moment(row["taken_at"]), tier=stored_text(row["tier"]),
                        answers={str(key): bool(value) for key, value in answers.items()},
                        cleared=when)


def read_last_screen(path: Path | None = None) -> ScreenRecord | None:
    """The most recent screen, for commands that only look (`show`): None when there is no
    history file yet (none is created just to look), it cannot be used, or its last screen
    is not one backcoach wrote (the questions are asked again: the safe way round)."""
    path = Path(path) if path is not None else db.default_path()
    if not path.exists():
        return None
    try:
        conn = db.connect_for_reading(path)
    except db.StorageError:
        return None
    try:
        with db.guard(path):
            cursor = conn.execute(LAST_SCREEN_SQL)
            row = cursor.fetchone()
            names = [column[0] for column in cursor.description]
    except db.StorageError:
        return None
    finally:
        conn.close()
    if row is None:
        return None
    try:
        return screen_record(dict(zip(names, row, strict=True)))
    except ForeignRow:
        return None
