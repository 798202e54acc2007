"""Function goals: the Patient-Specific Functional Scale (PSFS). Pure: no I/O, no clock.

The person names up to five activities that their back makes hard ("put on my socks",
"sit through a meeting") and rates each from 0 (unable to do it) to 10 (able to do it as
before the problem), at the start and then about weekly. The score is the average over the
activities; a change of 2 points in the average is the smallest that matters clinically (3 for
a single activity; published estimates vary).

The scale is by Stratford, Gill, Westaway and Binkley (1995) and is free to use; backcoach
credits it wherever it shows the scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from backcoach.errors import BadInput
from backcoach.safetext import visible

MAX_GOALS = 5
MAX_ACTIVITY = 80  # characters: "walk to the shops and back without stopping"
MEANINGFUL_AVERAGE = 2  # points of the average
MEANINGFUL_SINGLE = 3  # points of one activity
RATE_EVERY = timedelta(days=7)
CREDIT = ("Patient-Specific Functional Scale (Stratford et al. 1995), free to use: each "
          "activity from 0 (unable) to 10 (as before the problem); a change of 2 points in "
          "the average is meaningful.")
_EPSILON = 1e-9


class Rating(NamedTuple):
    """One rating of an activity, 0-10, and when it was given (UTC)."""

    rated_at: datetime
    score: int


class Goal(NamedTuple):
    """An activity the person finds hard, with its ratings oldest first."""

    id: int
    activity: str
    added_at: datetime
    ratings: tuple[Rating, ...] = ()
    removed_at: datetime | None = None

    @property
    def first(self) -> Rating | None:
        """The rating at the start."""
        return self.ratings[0] if self.ratings else None

    @property
    def latest(self) -> Rating | None:
        """The most recent rating."""
        return self.ratings[-1] if self.ratings else None

    @property
    def change(self) -> int | None:
        """Latest minus first rating (positive: easier now), or None before a second one."""
        if len(self.ratings) < 2:
            return None
        return self.ratings[-1].score - self.ratings[0].score

    @property
    def meaningful(self) -> bool:
        """Whether this one activity changed by 3 points or more."""
        return self.change is not None and abs(self.change) >= MEANINGFUL_SINGLE


class GoalsSummary(NamedTuple):
    """The goals in use, the average at the start and now, and what the change means."""

    goals: tuple[Goal, ...]
    start: float | None  # average of each goal's first rating
    now: float | None  # average of each goal's latest rating
    due: bool  # a weekly rating is due

    @property
    def change(self) -> float | None:
        """Now minus start, once any goal has been rated again; else None."""
        if self.start is None or self.now is None or not any(
                len(goal.ratings) > 1 for goal in self.goals):
            return None
        return self.now - self.start

    @property
    def verdict(self) -> str | None:
        """better, worse or about the same (2 points on the average count), or None."""
        change = self.change
        if change is None:
            return None
        if change >= MEANINGFUL_AVERAGE - _EPSILON:
            return "better"
        if change <= -MEANINGFUL_AVERAGE + _EPSILON:
            return "worse"
        return "about the same"


def summarize(goals: Sequence[Goal], now: datetime) -> GoalsSummary:
    """The PSFS summary of the goals in use (set-aside ones are left out)."""
    active = tuple(goal for goal in goals if goal.removed_at is None)
    rated = [goal for goal in active if goal.ratings]
    start = _mean([goal.ratings[0].score for goal in rated])
    latest = _mean([goal.ratings[-1].score for goal in rated])
    due = bool(active) and any(goal.latest is None or now - goal.latest.rated_at >= RATE_EVERY
                               for goal in active)
    return GoalsSummary(active, start, latest, due)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def check_activity(text: str) -> str:
    """The activity as it will be kept (spaces tidied); BadInput when empty, too long or
    holding control characters."""
    tidy = " ".join(text.split())
    if not tidy:
        raise BadInput("say which activity, in a few words, such as \"put on my socks\"")
    if visible(tidy) != tidy:
        raise BadInput("the activity holds control characters; type it as plain words")
    if len(tidy) > MAX_ACTIVITY:
        raise BadInput(f"keep the activity under {MAX_ACTIVITY} characters (it has "
                       f"{len(tidy)}), such as \"carry the shopping from the car\"")
    return tidy


def check_score(score: int) -> int:
    """A 0-10 rating; BadInput otherwise."""
    if not 0 <= score <= 10:
        raise BadInput(f"a rating is from 0 (unable to do it) to 10 (able to do it as before "
                       f"the problem), got {score}")
    return score
