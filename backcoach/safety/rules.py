"""The pain rules: "this hurts" during a stretch, pain before a session, the one piece of advice
after it, and the one pain trend over weeks. Pure.

Nothing here reads the clock, the terminal or the history: pain scores and dates come in as
arguments, so every rule is a plain function with a test at and around each threshold.

Clinical basis: the project's clinical content brief, sections 3-5 and 11 (the 2-point / 30%
smallest worthwhile change in pain after Ostelo et al. 2008; the pain monitoring model, adapted
from tendon rehabilitation: a rise that stays within the comfortable band and settles is
acceptable, a bigger one or one that lasts means doing less).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from enum import Enum
from typing import NamedTuple

from backcoach.safety.pain_now import GENTLE as GENTLE

# Pain before a session lives on its own, light to import (a session asks it before its first
# frame); these names stay the rules' own.
from backcoach.safety.pain_now import HIGH_PAIN as HIGH_PAIN
from backcoach.safety.pain_now import SEVERE_PAIN as SEVERE_PAIN
from backcoach.safety.pain_now import Before as Before
from backcoach.safety.pain_now import before_session as before_session
from backcoach.safety.pain_now import severe_pain_lines as severe_pain_lines
from backcoach.safety.wording import join_words, regions_words
from backcoach.session.outcomes import LEFT_OUT_PREFIX
from backcoach.session.safety_record import ONSETS, PainOnset

MIN_CHANGE_POINTS = 2  # the smallest change in 0-10 pain that matters ...
MIN_CHANGE_FRACTION = 0.3  # ... or this share of the starting score
COMFORTABLE_MAX = 5  # pain up to here after a session is within the comfortable band
TREND_DAYS = 7  # the pain trend compares 7-day averages
REGULAR_WEEKS = 2  # "no improvement" is judged after about two weeks of regular sessions
REGULAR_MIN_DAYS = 6  # regular: sessions on at least 6 of the last 14 days (3 a week)
REVIEW_AFTER_WEEKS = 6
PERSISTENT_AFTER_WEEKS = 12
RECENT_SESSIONS = 3  # sessions looked at for "worse again", and in a row before a step up
_EPSILON = 1e-9

STAY_ACTIVE = ("Stay active, pace yourself, and remember: hurt is not the same as harm.")


# --- during a stretch: the "this hurts" key -----------------------------------------------------

HURT_KINDS = ("sharp", "spreading", "dull", "dizzy")

# Why an exercise stopped, as recorded with it. Stored in history, so never reworded: the
# advice after a session and the reminder before the next read the kind of stop from them.
REASON_SPREADING = "pain spreading into a leg or arm"
REASON_SHARP = "sharp pain"
REASON_DIZZY = "dizziness"
REASON_DIZZY_NECK = "dizziness or a change in vision during neck work"
REASON_EMERGENCY = "dizziness with signs that need emergency care"
SAFETY_REASONS = (REASON_SPREADING, REASON_DIZZY, REASON_DIZZY_NECK)

STROKE_SIGNS_QUESTION = ("Together with the dizziness, do you have double vision, slurred "
                         "speech, trouble swallowing, numbness in your face, or have you "
                         "fallen? Press y or n.")


class HurtAdvice(NamedTuple):
    """What to do after "this hurts": stop the exercise (and why, for the record) or carry on.

    `skip_regions`: the rest of the session's exercises loading these regions are left out
    too. `follow_up`: a yes/no question to ask before deciding. `emergency`: the session ends
    at once (exit 3)."""

    stop: bool
    message: str
    reason: str | None = None
    ease_off: bool = False
    skip_regions: frozenset[str] = frozenset()
    follow_up: FollowUp | None = None
    emergency: bool = False


class FollowUp(NamedTuple):
    """A yes/no question asked after "this hurts", and the advice for each answer."""

    question: str
    if_yes: HurtAdvice
    if_no: HurtAdvice


def assess_hurt(kind: str, level: int | None = None,
                regions: Iterable[str] = ()) -> HurtAdvice:
    """Advice for pain during a stretch: its kind (sharp, spreading, dull, dizzy), its 0-10
    level, and the regions the exercise loads (neck work has its own rules)."""
    if kind not in HURT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(HURT_KINDS)}, got {kind!r}")
    if level is not None and not 0 <= level <= 10:
        raise ValueError(f"pain level must be 0-10, got {level}")
    loads = frozenset(regions)
    neck = "neck" in loads
    if kind == "spreading":
        skip = frozenset({"neck"}) if neck else loads
        rest = (" The other neck exercises are left out for today." if neck else
                f" Any other exercise today that loads the {regions_words(skip)} is left out "
                "too." if skip else "")
        return HurtAdvice(True, "Stop this exercise for today. Pain, tingling or numbness that "
                          "spreads into a leg or arm is a sign to stop, not to push on." + rest,
                          REASON_SPREADING, skip_regions=skip)
    if kind == "sharp":
        return HurtAdvice(True, "Stop this exercise for today. Sharp pain is a sign to stop; "
                          "come out of the stretch slowly.", REASON_SHARP)
    if kind == "dizzy":
        return _dizzy_in_neck_work() if neck else HurtAdvice(
            True, "Stop this exercise for today. Dizziness is a sign to stop: sit or lie "
            "still until it passes, and get medical advice if it doesn't clear quickly or your "
            "vision changes.", REASON_DIZZY)
    return _dull(level)


def _dizzy_in_neck_work() -> HurtAdvice:
    """Dizziness or a change in vision in neck work ends all neck work today, and asks about
    the signs that make it an emergency (content brief, section 3, N1)."""
    neck = frozenset({"neck"})
    emergency = HurtAdvice(
        True, "Call emergency services or go to an emergency department now. Dizziness with "
        "double vision, slurred speech, trouble swallowing, numbness in the face or a fall can "
        "come from the blood supply to the brain and needs checking straight away. This "
        "session has ended.", REASON_EMERGENCY, skip_regions=neck, emergency=True)
    calm = HurtAdvice(
        True, "Stop this exercise and the other neck exercises for today. Sit or lie still "
        "until the dizziness passes. If double vision, slurred speech, trouble swallowing, "
        "numbness in your face or a fall comes with it, call emergency services. Get medical "
        "advice before doing neck exercises again.", REASON_DIZZY_NECK, skip_regions=neck)
    return HurtAdvice(True, calm.message, REASON_DIZZY_NECK, skip_regions=neck,
                      follow_up=FollowUp(STROKE_SIGNS_QUESTION, emergency, calm))


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


def stop_kind(reason: str | None) -> str:
    """What kind of stop a recorded reason is: `emergency`, `safety` (dizziness, spreading
    symptoms), `left-out` (skipped because of another exercise's stop) or `pain`."""
    if not reason:
        return "pain"
    if reason == REASON_EMERGENCY:
        return "emergency"
    if reason in SAFETY_REASONS:
        return "safety"
    if reason.startswith(LEFT_OUT_PREFIX):
        return "left-out"
    return "pain"


# --- the pain trend: 7-day averages, one for the whole program -----------------------------------

class PainPoint(NamedTuple):
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
    return _meaningful(baseline, baseline - current)


def is_worsening(baseline: float, current: float) -> bool:
    """True when pain rose by at least 2 points or 30% of the baseline."""
    return _meaningful(baseline, current - baseline)


def _meaningful(baseline: float, change: float) -> bool:
    if change <= 0:
        return False
    return (change >= MIN_CHANGE_POINTS - _EPSILON
            or change >= MIN_CHANGE_FRACTION * baseline - _EPSILON)


def average_pain(points: Iterable[PainPoint], first: date, last: date) -> float | None:
    """The mean pain score of the sessions from `first` to `last` (inclusive), or None."""
    values = [p.value for p in points if first <= p.day <= last and p.value is not None]
    return sum(values) / len(values) if values else None


class PainTrend(NamedTuple):
    """The last 7 days' average pain, and, once there are two weeks of it, the first 7 days'
    for comparison: `verdict` is better, worse or about the same (2 points or 30% count)."""

    current: float | None
    baseline: float | None = None
    verdict: str | None = None
    regular: bool = False  # sessions on at least 6 of the last 14 days

    @property
    def improved(self) -> bool:
        """A meaningful fall since the first week."""
        return self.verdict == "better"


def pain_trend(points: Sequence[PainPoint], today: date,
               start: date | None = None) -> PainTrend:
    """The trend of the sessions from `start` (the start of this bout of pain) to today."""
    dated = sorted((p for p in points if p.value is not None and p.day <= today
                    and (start is None or p.day >= start)), key=lambda p: p.day)
    current = average_pain(dated, today - timedelta(days=TREND_DAYS - 1), today)
    window_start = today - timedelta(days=7 * REGULAR_WEEKS - 1)
    regular = len({p.day for p in dated if p.day >= window_start}) >= REGULAR_MIN_DAYS
    # Two weeks: the first week and the last 7 days do not overlap.
    if not dated or current is None or \
            (today - dated[0].day).days < 7 * REGULAR_WEEKS - 1:
        return PainTrend(current, regular=regular)
    first = dated[0].day
    baseline = average_pain(dated, first, first + timedelta(days=TREND_DAYS - 1))
    assert baseline is not None  # the first day has a value
    verdict = ("better" if is_improvement(baseline, current) else
               "worse" if is_worsening(baseline, current) else "about the same")
    return PainTrend(current, baseline, verdict, regular)


# --- when this bout of pain began ----------------------------------------------------------------

# How long ago each answer means the pain began, at least: a day more than the lower bound, so
# that "6 to 12 weeks" already counts as "more than 6 weeks".
_ONSET_AGE = {"under-2-weeks": timedelta(0), "2-6-weeks": timedelta(weeks=2),
              "6-12-weeks": timedelta(weeks=6, days=1),
              "over-12-weeks": timedelta(weeks=12, days=1)}
assert set(_ONSET_AGE) == set(ONSETS)


def onset_day(onset: PainOnset) -> date:
    """The latest day this bout of pain can have begun, from the answer and when it was given."""
    return (onset.recorded_at - _ONSET_AGE[onset.onset]).date()


EPISODE_GAP_DAYS = 28  # a bout of pain is taken to have ended after this long without reports


def _bout(points: Sequence[PainPoint]) -> tuple[date | None, date | None]:
    """From history alone: the first day with pain in the current bout (None when there is
    none going on), and the day the last bout ended (a report of no pain, or a long gap)."""
    start: date | None = None
    ended: date | None = None
    previous: date | None = None
    gap = timedelta(days=EPISODE_GAP_DAYS)
    for day, before, after in sorted(points, key=_day_of):  # years of reports: kept lean
        if previous is not None and day - previous > gap:
            start, ended = None, previous
        previous = day
        if before is None and after is None:
            continue
        if not before and not after:  # every score given is 0
            start, ended = None, day
        elif start is None:
            start = day
    return start, ended


def _day_of(point: PainPoint) -> date:
    return point.day


def first_pain_day(points: Sequence[PainPoint]) -> date | None:
    """The first day of the current bout of pain in history: the first report above 0 since the
    latest report of 0 (before and after) or since a gap of EPISODE_GAP_DAYS without reports."""
    return _bout(points)[0]


def episode_start(onset: PainOnset | None, points: Sequence[PainPoint]) -> date | None:
    """When this bout of pain began: from the person's answer (`onset`), unless history shows
    that bout has ended since (a report of no pain, or a long gap); else from history alone."""
    start, ended = _bout(points)
    if onset is None:
        return start
    answered = onset.recorded_at.date()
    if ended is not None and ended >= answered:
        return start  # the bout they told us about has ended since they answered
    return min(onset_day(onset), start or answered)


# --- after a session: one decision --------------------------------------------------------------

class AdviceClass(Enum):
    """The one kind of advice a session gets, in priority order: the first that applies wins,
    so two messages that contradict each other can never both be printed."""

    EMERGENCY = "emergency"  # the session ended on signs that need emergency care
    SEVERE = "severe"  # pain now 9-10
    SAFETY_STOP = "stopped-for-safety"  # dizziness, a change in vision, spreading symptoms
    REPEATED_RISE = "repeated-rise"  # up 2+ again, or the starting pain has crept up 2+
    WORSE_OVER_WEEKS = "worse-over-weeks"  # two weeks of regular sessions, average up
    HIGH = "high"  # pain now 7-8
    FIRST_RISE = "first-rise"  # up 2 or more, the first time
    STOPPED = "stopped"  # an exercise stopped for pain (sharp, or an ache over 5)
    SMALL_RISE = "small-rise"  # up 1
    NOT_IMPROVING = "not-improving"  # two weeks of regular sessions, no real change
    STEADY = "steady"  # the same
    BETTER = "better"  # lower
    NO_SCORES = "no-scores"  # nothing to compare: the long-term notes only

    @property
    def sends_to_clinician(self) -> bool:
        """Whether this advice already says to see a doctor or physiotherapist."""
        return self in _TO_CLINICIAN

    @property
    def calm(self) -> bool:
        """Whether the session went fine: only then is "keep going" said."""
        return self in _CALM


_TO_CLINICIAN = frozenset({AdviceClass.EMERGENCY, AdviceClass.SEVERE, AdviceClass.SAFETY_STOP,
                           AdviceClass.REPEATED_RISE, AdviceClass.WORSE_OVER_WEEKS,
                           AdviceClass.NOT_IMPROVING})
_CALM = frozenset({AdviceClass.SMALL_RISE, AdviceClass.STEADY, AdviceClass.BETTER,
                   AdviceClass.NO_SCORES})


class Stop(NamedTuple):
    """An exercise stopped in this session: its name and the reason recorded with it."""

    exercise: str
    reason: str

    @property
    def kind(self) -> str:
        """emergency, safety, left-out or pain (see `stop_kind`)."""
        return stop_kind(self.reason)


class EarlierSession(NamedTuple):
    """An earlier session, as the advice needs it: pain before and after, anything stopped."""

    pain_before: int | None
    pain_after: int | None
    stopped: bool = False


class Facts(NamedTuple):
    """Everything the advice after a session is decided from, in one value.

    `earlier`: earlier sessions, oldest first (this one left out). `trend`: the one pain trend
    over this bout of pain. `episode_start`: when this bout began (the person's answer, or
    history). `first_session`: nothing in history before this one.
    """

    pain_before: int | None = None
    pain_after: int | None = None
    earlier: Sequence[EarlierSession] = ()
    trend: PainTrend | None = None
    stops: Sequence[Stop] = ()
    episode_start: date | None = None
    today: date | None = None
    first_session: bool = False
    on_gentle: bool = False  # this session was the gentle routine already


class Advice(NamedTuple):
    """The advice after a session: its one class, and its lines in order."""

    kind: AdviceClass
    lines: tuple[str, ...] = ()


def classify(facts: Facts) -> AdviceClass:
    """The one class of advice these facts get; the order of the checks is the priority."""
    before, after = facts.pain_before, facts.pain_after
    kinds = {stop.kind for stop in facts.stops}
    now = after if after is not None else before
    change = after - before if after is not None and before is not None else None
    trend = facts.trend
    if "emergency" in kinds:
        return AdviceClass.EMERGENCY
    if now is not None and now >= SEVERE_PAIN:
        return AdviceClass.SEVERE
    if "safety" in kinds:
        return AdviceClass.SAFETY_STOP
    if _worse_again(facts):
        return AdviceClass.REPEATED_RISE
    if trend is not None and trend.regular and trend.verdict == "worse":
        return AdviceClass.WORSE_OVER_WEEKS
    if now is not None and now >= HIGH_PAIN:
        return AdviceClass.HIGH
    if change is not None and change >= MIN_CHANGE_POINTS:
        return AdviceClass.FIRST_RISE
    if "pain" in kinds:
        return AdviceClass.STOPPED
    if change is not None and change > 0:
        return AdviceClass.SMALL_RISE
    if trend is not None and trend.regular and trend.verdict == "about the same" \
            and trend.baseline is not None and trend.baseline > 0:
        return AdviceClass.NOT_IMPROVING
    if change is None:
        return AdviceClass.NO_SCORES
    return AdviceClass.STEADY if change == 0 else AdviceClass.BETTER


class _Scored(NamedTuple):
    """An earlier session with both scores."""

    before: int
    after: int
    stopped: bool

    @property
    def rise(self) -> int:
        """How much pain went up during it."""
        return self.after - self.before


def _recent(facts: Facts) -> list[_Scored]:
    """The last few earlier sessions with both scores, oldest first."""
    return [_Scored(s.pain_before, s.pain_after, s.stopped) for s in facts.earlier
            if s.pain_before is not None and s.pain_after is not None][-RECENT_SESSIONS:]


def _worse_again(facts: Facts) -> bool:
    """Worse over more than one session: up 2+ again after an earlier rise of 2+, or the
    starting pain has crept up by 2+ over the recent sessions."""
    before, after = facts.pain_before, facts.pain_after
    window = _recent(facts)
    if before is None or not window:
        return False
    flared_before = any(s.rise >= MIN_CHANGE_POINTS for s in window)
    if after is not None and after - before >= MIN_CHANGE_POINTS and flared_before:
        return True
    return len(window) >= 2 and before - window[0].before >= MIN_CHANGE_POINTS


def advise(facts: Facts) -> Advice:
    """The one piece of advice after a session (or, without scores, over weeks): its class by
    `classify`, then its lines, then the long-term notes that agree with it."""
    kind = classify(facts)
    if kind is AdviceClass.EMERGENCY:  # what to do now, and nothing else
        return Advice(kind, tuple(_emergency(facts)))
    lines = [*_stop_lines(facts.stops), *_LINES[kind](facts)]
    lines += _long_term_notes(kind, facts)
    return Advice(kind, tuple(lines))


def _stop_lines(stops: Sequence[Stop]) -> list[str]:
    lines = []
    for stop in stops:
        if stop.kind in ("pain", "safety"):
            lines.append(f"You stopped {stop.exercise} because of {stop.reason}.")
    left_out = [stop.exercise for stop in stops if stop.kind == "left-out"]
    if left_out:
        lines.append(f"Left out for your safety after that: {join_words(left_out)}.")
    return lines


def _pain_words(facts: Facts) -> str:
    before, after = facts.pain_before, facts.pain_after
    if before is None or after is None or before == after:
        return ""
    return f", up from {before}" if after > before else f", down from {before}"


def _emergency(facts: Facts) -> list[str]:
    return ["Call emergency services or go to an emergency department now. Dizziness with double "
            "vision, slurred speech, trouble swallowing, numbness in the face or a fall can come "
            "from the blood supply to the brain, and needs checking straight away.",
            "backcoach won't start another session until you answer the safety questions again "
            "with `backcoach screen`."]


def _severe(facts: Facts) -> list[str]:
    now = facts.pain_after if facts.pain_after is not None else facts.pain_before
    assert now is not None
    return [f"Your pain is {now} out of 10{_pain_words(facts)}: that is severe. Rest from these "
            "exercises today.", *severe_pain_lines(now)[1:]]


def _safety_stop(facts: Facts) -> list[str]:
    reasons = {stop.reason for stop in facts.stops if stop.kind == "safety"}
    lines = []
    if REASON_DIZZY_NECK in reasons:
        lines += ["Sit or lie still until the dizziness passes. If double vision, slurred "
                  "speech, trouble swallowing, numbness in your face or a fall comes with it, "
                  "call emergency services.",
                  "Get medical advice before your next neck exercises, and sooner if the "
                  "dizziness comes back or doesn't clear."]
    elif REASON_DIZZY in reasons:
        lines.append("Sit or lie still until the dizziness passes. If it comes back or doesn't "
                     "clear quickly, get medical advice.")
    if REASON_SPREADING in reasons:
        lines.append("Pain, tingling or numbness that spreads into a leg or arm is worth "
                     "showing a doctor or physiotherapist, especially if it happens again or "
                     "doesn't settle.")
    before, after = facts.pain_before, facts.pain_after
    if before is not None and after is not None and after - before >= MIN_CHANGE_POINTS:
        lines.append(f"Your pain went up from {before} to {after}: next time, do less (the "
                     f"gentle routine, {GENTLE}).")
    lines.append("Before your next session backcoach will remind you of this and offer to "
                 "leave that exercise out.")
    return lines


def _repeated_rise(facts: Facts) -> list[str]:
    before, after = facts.pain_before, facts.pain_after
    assert before is not None
    window = _recent(facts)
    if after is not None and after - before >= MIN_CHANGE_POINTS and any(
            s.rise >= MIN_CHANGE_POINTS for s in window):
        what = (f"Your pain went up from {before} to {after} during this session, and it has "
                "gone up after an earlier session too.")
    else:
        what = (f"Your pain before sessions has crept up, from {window[0].before} to "
                f"{before}, over your last sessions.")
    return [what, "Please see a physiotherapist or doctor before carrying on with these "
            f"exercises. Until then, keep to the gentle routine ({GENTLE}) or rest from them."]


def _worse_over_weeks(facts: Facts) -> list[str]:
    trend = facts.trend
    assert trend is not None and trend.current is not None and trend.baseline is not None
    return [f"After two weeks of regular sessions your average pain has gone up, from "
            f"{trend.baseline:.1f} to {trend.current:.1f}.",
            "Please see a GP or physiotherapist, who can check what's going on and adjust your "
            "exercises. Don't add reps or time until then."]


def _high(facts: Facts) -> list[str]:
    now = facts.pain_after if facts.pain_after is not None else facts.pain_before
    gentle = ("Keep to the gentle routine" if facts.on_gentle else
              f"Next time, try the gentle routine ({GENTLE})")
    return [f"Your pain is {now} out of 10 now{_pain_words(facts)}.",
            f"Don't add reps or time while your pain is this high. {gentle}, and leave out any "
            "exercise that sets it off.",
            "If it stays this high for more than a few days, see a GP or physiotherapist."]


def _first_rise(facts: Facts) -> list[str]:
    less = ("fewer reps and shorter holds than the gentle routine's" if facts.on_gentle else
            f"try the gentle routine ({GENTLE}) or fewer reps and shorter holds")
    return [f"Your pain went up from {facts.pain_before} to {facts.pain_after} during this "
            "session.",
            f"Next time, do less: {less}, and leave out any exercise that set it off.",
            "Some soreness after stretching is common and usually settles within a day. Hurt is "
            "not the same as harm."]


def _stopped(facts: Facts) -> list[str]:
    return ["Next time, leave that exercise out or do it more gently until it stops hurting; "
            "before your next session backcoach will remind you and offer to leave it out."]


def _small_rise(facts: Facts) -> list[str]:
    after = facts.pain_after
    assert after is not None
    lines = [f"Your pain went up a little, from {facts.pain_before} to {after}. That usually "
             "settles within a day; if it hasn't by next time, do a little less."]
    if after <= COMFORTABLE_MAX:
        lines.append(STAY_ACTIVE)
    return lines


def _not_improving(facts: Facts) -> list[str]:
    trend = facts.trend
    assert trend is not None and trend.current is not None and trend.baseline is not None
    return [f"After two weeks of regular sessions your average pain is {trend.current:.1f} (it "
            f"was {trend.baseline:.1f}), short of the 2 points or 30% that counts as real "
            "change.",
            "A GP or physiotherapist can check what's going on and adjust your exercises. Keep "
            "going at this dose in the meantime."]


def _steady_or_better(facts: Facts) -> list[str]:
    """Keep going. Whether the dose may step up is decided from the sessions in history, one
    exercise at a time (`safety.progression`), and said right after this advice."""
    before, after = facts.pain_before, facts.pain_after
    assert before is not None and after is not None
    word = "better" if after < before else "no worse"
    lines = [f"Pain {before} to {after}: {word}. Keep going at this dose."]
    if facts.first_session:
        lines.append(STAY_ACTIVE)
    return lines


def _nothing(facts: Facts) -> list[str]:
    return []


_LINES: dict[AdviceClass, Callable[[Facts], list[str]]] = {
    AdviceClass.EMERGENCY: _emergency,
    AdviceClass.SEVERE: _severe,
    AdviceClass.SAFETY_STOP: _safety_stop,
    AdviceClass.REPEATED_RISE: _repeated_rise,
    AdviceClass.WORSE_OVER_WEEKS: _worse_over_weeks,
    AdviceClass.HIGH: _high,
    AdviceClass.FIRST_RISE: _first_rise,
    AdviceClass.STOPPED: _stopped,
    AdviceClass.SMALL_RISE: _small_rise,
    AdviceClass.NOT_IMPROVING: _not_improving,
    AdviceClass.STEADY: _steady_or_better,
    AdviceClass.BETTER: _steady_or_better,
    AdviceClass.NO_SCORES: _nothing,  # nothing but the notes over weeks
}


def _long_term_notes(kind: AdviceClass, facts: Facts) -> list[str]:
    """How long the pain has lasted, and a real improvement, where they agree with the advice:
    none where it already sends the person to a clinician; "keep going" only when calm."""
    notes: list[str] = []
    if facts.today is None or kind.sends_to_clinician:
        return notes
    duration = _duration_line(facts)
    if duration:
        notes.append(duration)
    trend = facts.trend
    if kind.calm and trend is not None and trend.improved and trend.baseline is not None \
            and trend.current is not None:
        notes.append(f"Your average pain has come down from {trend.baseline:.1f} to "
                     f"{trend.current:.1f} since this bout began: a real improvement. Keep "
                     "going.")
    return notes


def _duration_line(facts: Facts) -> str | None:
    now = facts.pain_after if facts.pain_after is not None else facts.pain_before
    if now == 0 or facts.episode_start is None or facts.today is None:
        return None  # no pain now, or no bout of pain going on: nothing to review
    days = (facts.today - facts.episode_start).days
    if days > 7 * PERSISTENT_AFTER_WEEKS:
        return ("You have had this pain for more than 12 weeks, which makes it persistent. A "
                "structured exercise programme supervised by a physiotherapist is the "
                "recommended next step; ask your GP or a physiotherapist about one.")
    if days > 7 * REVIEW_AFTER_WEEKS:
        return ("You have had this pain for more than 6 weeks. It's a good time for a review "
                "with a GP or physiotherapist.")
    return None


