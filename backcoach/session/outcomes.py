"""How a session and each of its exercises ended, as history stores them: names only, light to
import (reading history does not load the session result's classes)."""

from __future__ import annotations

# ExerciseResult.status
EX_DONE, EX_PARTIAL, EX_SKIPPED, EX_STOPPED, EX_NOT_REACHED = (
    "done", "partial", "skipped", "stopped", "not_reached")
# SessionResult.status
SESSION_DONE, SESSION_PARTIAL, SESSION_STOPPED = "done", "partial", "stopped"
NO_SIDE = "none"  # the key for an exercise without sides
SAFETY_END = "safety"  # SessionResult.end_reason when a stop needed emergency care (exit 3)
# The reason kept with an exercise left out because another one stopped for safety; stored in
# history, so never reworded (the pain rules read the kind of stop from it).
LEFT_OUT_PREFIX = "left out after "


def left_out_reason(reason: str, exercise_name: str) -> str:
    """The reason kept with an exercise left out after `exercise_name` stopped for `reason`."""
    return f"{LEFT_OUT_PREFIX}{reason} in {exercise_name}"
