"""The pain rules: "this hurts" during a stretch, advice after a session, and over weeks. Pure.

Nothing here reads the clock, the terminal or the history: pain scores and dates come in as
arguments, so every rule is a plain function with a test at and around each threshold.

Clinical basis: the project's clinical content brief, sections 4-5 (the 2-point / 30% smallest
worthwhile change in pain after Ostelo et al. 2008; the pain monitoring model, adapted from
tendon rehabilitation).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

MIN_CHANGE_POINTS = 2  # the smallest change in 0-10 pain that matters ...
MIN_CHANGE_FRACTION = 0.3  # ... or this share of the starting score
TREND_DAYS = 7  # pain trends compare 7-day averages
REGULAR_WEEKS = 2  # "no improvement" is judged after about two weeks of regular sessions
REGULAR_MIN_DAYS = 6  # regular: sessions on at least 6 of the last 14 days (3 a week)
REVIEW_AFTER_WEEKS = 6
PERSISTENT_AFTER_WEEKS = 12
RECENT_SESSIONS = 3  # earlier sessions looked at for "worse again"
_EPSILON = 1e-9


# --- during a stretch: the "this hurts" key -----------------------------------------------------

HURT_KINDS = ("sharp", "spreading", "dull", "dizzy")


@dataclass(frozen=True)
class HurtAdvice:
    """What to do after "this hurts": stop the exercise (and why, for the record) or carry on."""

    stop: bool
    message: str
    reason: str | None = None
    ease_off: bool = False


def assess_hurt(kind: str, level: int | None = None, neck: bool = False) -> HurtAdvice:
    """Advice for pain during a stretch: its kind (sharp, spreading, dull, dizzy) and 0-10 level."""
    if kind not in HURT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(HURT_KINDS)}, got {kind!r}")
    if level is not None and not 0 <= level <= 10:
        raise ValueError(f"pain level must be 0-10, got {level}")
    if kind == "spreading":
        return HurtAdvice(True, "Stop this exercise for today. Pain, tingling or numbness that "
                          "spreads into a leg or arm is a sign to stop, not to push on.",
                          "pain spreading into a leg or arm")
    if kind == "sharp":
        return HurtAdvice(True, "Stop this exercise for today. Sharp pain is a sign to stop; "
                          "come out of the stretch slowly.", "sharp pain")
    if kind == "dizzy":
        return _dizzy(neck)
    return _dull(level)


def _dizzy(neck: bool) -> HurtAdvice:
    where = "during neck exercises " if neck else ""
    return HurtAdvice(True, f"Stop this exercise for today. Dizziness {where}is a sign to stop: "
                      "sit or lie still until it passes, and get medical advice if it doesn't "
                      "clear quickly or your vision changes.",
                      "dizziness during neck work" if neck else "dizziness")


def _dull(level: int | None) -> HurtAdvice:
    if level is not None and level <= 3:
        return HurtAdvice(False, "That's within the comfortable range: carry on, keeping it to a "
                          "mild pull. Hurt is not the same as harm.")
    if level is None or level <= 5:
        return HurtAdvice(False, "Ease off a little. Carry on only if it settles back to a mild "
                          "pull within this hold; if it doesn't, stop this exercise for today.",
                          ease_off=True)
    return HurtAdvice(True, f"Pain at {level} out of 10 is more than a stretch should cause. "
                      "Stop this exercise for today.", f"pain {level}/10")


# --- after a session ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AfterAdvice:
    """Advice after a session: the change in pain, whether it flared, whether to see someone."""

    change: int | None
    flare: bool
    see_clinician: bool
    lines: tuple[str, ...]


def after_session(pain_before: int | None, pain_after: int | None,
                  recent: Sequence[tuple[int | None, int | None]] = ()) -> AfterAdvice:
    """Advice from pain before and after a session; `recent`: earlier sessions, oldest first."""
    if pain_before is None or pain_after is None:
        return AfterAdvice(None, False, False, ())
    change = pain_after - pain_before
    worse_again = _worse_again(pain_before, change, recent)
    if change >= MIN_CHANGE_POINTS:
        lines = [f"Your pain went up from {pain_before} to {pain_after} during this session.",
                 "Next time, do less: try the gentle routine (`backcoach run gentle`) or fewer "
                 "reps and shorter holds, and leave out any exercise that set it off."]
        if not worse_again:
            lines.append("Some soreness after stretching is common and usually settles within a "
                         "day. Hurt is not the same as harm.")
    elif change > 0:
        lines = [f"Your pain went up a little, from {pain_before} to {pain_after}. That usually "
                 "settles within a day; if it hasn't by next time, do a little less."]
    else:
        better = "better" if change < 0 else "no worse"
        lines = [f"Pain {pain_before} to {pain_after}: {better}. Keep going at this dose; after a "
                 "few comfortable sessions you can add a rep or 5 seconds to each hold."]
    if worse_again:
        lines.append("Your pain has got worse over more than one session. Please see a "
                     "physiotherapist or doctor before carrying on with these exercises.")
    return AfterAdvice(change, change >= MIN_CHANGE_POINTS, worse_again, tuple(lines))


def _worse_again(pain_before: int, change: int,
                 recent: Sequence[tuple[int | None, int | None]]) -> bool:
    window = [(b, a) for b, a in recent if b is not None and a is not None][-RECENT_SESSIONS:]
    if not window:
        return False
    flared_before = any(a - b >= MIN_CHANGE_POINTS for b, a in window)
    if change >= MIN_CHANGE_POINTS and flared_before:
        return True
    # Worse over several days: the starting pain has crept up by a meaningful amount.
    return len(window) >= 2 and pain_before - window[0][0] >= MIN_CHANGE_POINTS


# --- over weeks ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PainPoint:
    """One session's pain scores, by day."""

    day: date
    pain_before: int | None
    pain_after: int | None = None

    @property
    def value(self) -> int | None:
        """The score trends use: pain before the session (the day's state), else pain after."""
        return self.pain_before if self.pain_before is not None else self.pain_after


def is_improvement(baseline: float, current: float) -> bool:
    """True when pain fell by at least 2 points or 30% of the baseline."""
    drop = baseline - current
    if drop <= 0:
        return False
    return (drop >= MIN_CHANGE_POINTS - _EPSILON
            or drop >= MIN_CHANGE_FRACTION * baseline - _EPSILON)


def average_pain(points: Iterable[PainPoint], first: date, last: date) -> float | None:
    """The mean pain score of the sessions from `first` to `last` (inclusive), or None."""
    values = [p.value for p in points if first <= p.day <= last and p.value is not None]
    return sum(values) / len(values) if values else None


@dataclass(frozen=True)
class PainTrend:
    """The first week's average pain against the last week's, and whether sessions were regular."""

    baseline: float
    current: float
    improved: bool
    regular: bool


def pain_trend(points: Sequence[PainPoint], today: date) -> PainTrend | None:
    """Compare 7-day averages once there are two weeks of history; None before that."""
    dated = sorted((p for p in points if p.value is not None and p.day <= today),
                   key=lambda p: p.day)
    if not dated or (today - dated[0].day).days < 7 * REGULAR_WEEKS:
        return None
    start = dated[0].day
    baseline = average_pain(dated, start, start + timedelta(days=TREND_DAYS - 1))
    current = average_pain(dated, today - timedelta(days=TREND_DAYS - 1), today)
    if baseline is None or current is None:
        return None
    window_start = today - timedelta(days=7 * REGULAR_WEEKS - 1)
    days = {p.day for p in dated if p.day >= window_start}
    return PainTrend(baseline, current, is_improvement(baseline, current),
                     len(days) >= REGULAR_MIN_DAYS)


def long_term_advice(points: Sequence[PainPoint], first_pain_day: date | None,
                     today: date) -> list[str]:
    """At most two short lines: how long the pain has lasted, and whether it is improving.

    `first_pain_day` is when the pain began, if known; otherwise the first session that
    recorded any pain stands in for it.
    """
    lines: list[str] = []
    duration = _duration_line(points, first_pain_day, today)
    if duration:
        lines.append(duration)
    trend = pain_trend(points, today)
    if trend is not None and trend.baseline > 0:
        if trend.improved:
            lines.append(f"Your average pain has come down from {trend.baseline:.1f} to "
                         f"{trend.current:.1f} since you started: a real improvement. Keep going.")
        elif trend.regular and trend.current > trend.baseline:
            lines.append(f"After two weeks of regular sessions your average pain has gone up, "
                         f"from {trend.baseline:.1f} to {trend.current:.1f}. Please see a GP or "
                         "physiotherapist, who can check what's going on and adjust your "
                         "exercises.")
        elif trend.regular:
            lines.append(f"After two weeks of regular sessions your average pain is "
                         f"{trend.current:.1f} (it was {trend.baseline:.1f}), short of the 2 "
                         "points or 30% that counts as real change. A GP or physiotherapist "
                         "can check what's going on and adjust your exercises.")
    return lines


def _duration_line(points: Sequence[PainPoint], first_pain_day: date | None,
                   today: date) -> str | None:
    dated = sorted((p for p in points if p.value is not None and p.day <= today),
                   key=lambda p: p.day)
    if dated and dated[-1].value == 0:
        return None  # no pain now: nothing to review
    start = first_pain_day or next((p.day for p in dated if p.value), None)
    if start is None:
        return None
    days = (today - start).days
    if days > 7 * PERSISTENT_AFTER_WEEKS:
        return ("You have had this pain for more than 12 weeks, which makes it persistent. A "
                "structured exercise programme supervised by a physiotherapist is the "
                "recommended next step; ask your GP or a physiotherapist about one.")
    if days > 7 * REVIEW_AFTER_WEEKS:
        return ("You have had this pain for more than 6 weeks. It's a good time for a review "
                "with a GP or physiotherapist.")
    return None
