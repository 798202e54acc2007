"""The one piece of advice after a session (`rules.advise`), the one pain trend, and when a bout
of pain began. Pure: scores, dates and earlier sessions come in as values.

The tables below are the rules as a clinician would review them: one letter per before/after
pair, 0..10 x 0..10, for a first session, after calm sessions, after an earlier rise and after
the starting pain has crept up.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from backcoach.safety import rules
from backcoach.safety.rules import AdviceClass, EarlierSession, Facts, PainPoint, Stop
from backcoach.session.result import PainOnset

LETTERS = {"X": AdviceClass.SEVERE, "H": AdviceClass.HIGH, "R": AdviceClass.REPEATED_RISE,
           "F": AdviceClass.FIRST_RISE, "s": AdviceClass.SMALL_RISE, "=": AdviceClass.STEADY,
           "B": AdviceClass.BETTER}

# Rows: pain before 0..10. Columns: pain after 0..10.
#                 after: 0 1 2 3 4 5 6 7 8 9 10
NO_EARLIER = """
                before 0: = s F F F F F H H X X
                before 1: B = s F F F F H H X X
                before 2: B B = s F F F H H X X
                before 3: B B B = s F F H H X X
                before 4: B B B B = s F H H X X
                before 5: B B B B B = s H H X X
                before 6: B B B B B B = H H X X
                before 7: B B B B B B B H H X X
                before 8: B B B B B B B H H X X
                before 9: B B B B B B B H H X X
               before 10: B B B B B B B H H X X
"""
# An earlier session rose by 2: a rise of 2 now is a repeated rise, even to 7 or 8.
AFTER_A_RISE = """
                before 0: = s R R R R R R R X X
                before 1: B = s R R R R R R X X
                before 2: B B = s R R R R R X X
                before 3: B B B = s R R R R X X
                before 4: B B B B = s R R R X X
                before 5: B B B B B = s R R X X
                before 6: B B B B B B = H R X X
                before 7: B B B B B B B H H X X
                before 8: B B B B B B B H H X X
                before 9: B B B B B B B H H X X
               before 10: B B B B B B B H H X X
"""
# Two earlier sessions at pain 2: starting at 4 or more, pain has crept up by 2 over sessions.
CREPT_UP_FROM_2 = """
                before 0: = s F F F F F H H X X
                before 1: B = s F F F F H H X X
                before 2: B B = s F F F H H X X
                before 3: B B B = s F F H H X X
                before 4: R R R R R R R R R X X
                before 5: R R R R R R R R R X X
                before 6: R R R R R R R R R X X
                before 7: R R R R R R R R R X X
                before 8: R R R R R R R R R X X
                before 9: R R R R R R R R R X X
               before 10: R R R R R R R R R X X
"""


def table(text: str) -> dict[tuple[int, int], AdviceClass]:
    cells = {}
    for line in text.strip().splitlines():
        label, letters = line.split(":")
        before = int(label.split()[-1])
        for after, letter in enumerate(letters.split()):
            cells[before, after] = LETTERS[letter]
    assert len(cells) == 121 and {b for b, _ in cells} == set(range(11))
    return cells


def calm(before: int) -> list[EarlierSession]:
    return [EarlierSession(before, before), EarlierSession(before, before)]


CASES = [
    ("no earlier sessions", NO_EARLIER, lambda b: []),
    ("two calm sessions at the same pain", NO_EARLIER, calm),
    ("an earlier rise of 2", AFTER_A_RISE, lambda b: [EarlierSession(3, 5)]),
    ("two earlier sessions at pain 2", CREPT_UP_FROM_2, lambda b: calm(2)),
]


@pytest.mark.parametrize(("text", "earlier"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_every_before_after_pair_gets_its_one_class(text: str, earlier: object) -> None:
    expected = table(text)
    for (before, after), kind in expected.items():
        facts = Facts(pain_before=before, pain_after=after,
                      earlier=earlier(before))  # type: ignore[operator]
        assert rules.classify(facts) is kind, (before, after)
        assert rules.advise(facts).kind is kind


@pytest.mark.parametrize("earlier", [[], [EarlierSession(3, 5)], calm(2), calm(0)])
def test_item_2_never_more_load_when_pain_rose_or_is_7_or_more(
        earlier: list[EarlierSession]) -> None:
    for before in range(11):
        for after in range(11):
            text = " ".join(rules.advise(Facts(before, after, earlier)).lines)
            if after > before or max(before, after) >= 7:
                assert "add a rep" not in text and "5 seconds" not in text, (before, after)


@pytest.mark.parametrize("earlier", [[], [EarlierSession(3, 5)], calm(2)])
def test_item_3_one_coherent_message_for_every_pair(earlier: list[EarlierSession]) -> None:
    """Never "keep going" together with "see a physiotherapist", "rest" or "do less"."""
    for before in range(11):
        for after in range(11):
            advice = rules.advise(Facts(before, after, earlier))
            text = " ".join(advice.lines)
            if "Keep going" in text:
                assert advice.kind.calm, (before, after, text)
                for other in ("physiotherapist or doctor", "Rest from", "do less", "severe"):
                    assert other not in text, (before, after, text)


def test_item_1_a_first_rise_is_not_called_repeated() -> None:
    advice = rules.advise(Facts(4, 6))
    assert advice.kind is AdviceClass.FIRST_RISE
    text = " ".join(advice.lines)
    assert "Some soreness after stretching is common" in text
    assert "more than one session" not in text


def test_item_2_severe_pain_is_never_waved_on() -> None:
    for before, after in ((10, 10), (9, 10), (9, 9), (4, 9)):
        advice = rules.advise(Facts(before, after))
        text = " ".join(advice.lines)
        assert advice.kind is AdviceClass.SEVERE
        assert "severe" in text and "Rest from these exercises today" in text
        assert "call emergency services" in text and "GP" in text
        assert "usually settles" not in text and "Keep going" not in text


@pytest.mark.parametrize(("pain", "kind"), [(None, rules.Before.GO), (0, rules.Before.GO),
                                            (6, rules.Before.GO), (7, rules.Before.GENTLE),
                                            (8, rules.Before.GENTLE), (9, rules.Before.REST),
                                            (10, rules.Before.REST)])
def test_item_2_pain_before_a_session(pain: int | None, kind: rules.Before) -> None:
    found, lines = rules.before_session(pain)
    assert found is kind
    text = " ".join(lines)
    if kind is rules.Before.GENTLE:
        assert "gentle routine" in text
    if kind is rules.Before.REST:
        assert "severe" in text and "Rest from these exercises today" in text


TODAY = date(2026, 3, 31)


def two_weeks(first: int, last: int, every: int = 1) -> list[PainPoint]:
    """Sessions over 14 days: the first 7 at one score, the last 7 at another."""
    start = TODAY - timedelta(days=13)
    return [PainPoint(start + timedelta(days=n), first if n < 7 else last)
            for n in range(0, 14, every)]


def test_item_3_a_worsening_trend_is_never_followed_by_keep_going() -> None:
    trend = rules.pain_trend(two_weeks(2, 5), TODAY)
    assert trend.verdict == "worse" and trend.regular
    advice = rules.advise(Facts(5, 5, trend=trend, today=TODAY))
    assert advice.kind is AdviceClass.WORSE_OVER_WEEKS
    text = " ".join(advice.lines)
    assert "has gone up, from 2.0 to 5.0" in text and "GP or physiotherapist" in text
    assert "Keep going" not in text and "add a rep" not in text


def test_item_3_priority_is_explicit_and_stops_come_first() -> None:
    order = list(AdviceClass)
    assert order.index(AdviceClass.SEVERE) < order.index(AdviceClass.SAFETY_STOP) \
        < order.index(AdviceClass.REPEATED_RISE) < order.index(AdviceClass.HIGH) \
        < order.index(AdviceClass.FIRST_RISE) < order.index(AdviceClass.STOPPED) \
        < order.index(AdviceClass.SMALL_RISE) < order.index(AdviceClass.STEADY)
    dizzy = Stop("Neck side bend", rules.REASON_DIZZY_NECK)
    assert rules.classify(Facts(3, 2, stops=[dizzy])) is AdviceClass.SAFETY_STOP
    assert rules.classify(Facts(3, 9, stops=[dizzy])) is AdviceClass.SEVERE
    sharp = Stop("Knee-to-chest stretch", rules.REASON_SHARP)
    assert rules.classify(Facts(3, 3, stops=[sharp])) is AdviceClass.STOPPED
    assert rules.classify(Facts(3, 5, stops=[sharp])) is AdviceClass.FIRST_RISE
    emergency = Stop("Neck side bend", rules.REASON_EMERGENCY)
    assert rules.classify(Facts(3, 10, stops=[emergency])) is AdviceClass.EMERGENCY


def test_item_4_a_stop_gets_advice_even_without_a_pain_score() -> None:
    dizzy = Stop("Neck side bend", rules.REASON_DIZZY_NECK)
    left = Stop("Neck diagonal stretch", "left out after dizziness or a change in vision "
                "during neck work in Neck side bend")
    advice = rules.advise(Facts(3, None, stops=[dizzy, left]))
    assert advice.kind is AdviceClass.SAFETY_STOP
    assert advice.lines[0] == ("You stopped Neck side bend because of dizziness or a change in "
                               "vision during neck work.")
    assert advice.lines[1] == "Left out for your safety after that: Neck diagonal stretch."
    assert "Get medical advice before your next neck exercises" in " ".join(advice.lines)
    spreading = rules.advise(Facts(3, 4, stops=[Stop("Knee-to-chest stretch",
                                                     rules.REASON_SPREADING)]))
    assert "spreads into a leg or arm" in " ".join(spreading.lines)


def test_the_gentle_routine_is_not_suggested_to_someone_doing_it() -> None:
    for before, after in ((8, 7), (3, 5)):
        elsewhere = " ".join(rules.advise(Facts(before, after)).lines)
        gentle = " ".join(rules.advise(Facts(before, after, on_gentle=True)).lines)
        assert "try the gentle routine" in elsewhere
        assert "try the gentle routine" not in gentle and "gentle routine" in gentle


def test_the_advice_leaves_stepping_up_to_the_progression_rules() -> None:
    """One message about the dose: the advice says to keep going, and the step up (one
    exercise, one notch, after three comfortable sessions) comes from safety.progression."""
    for facts in (Facts(3, 3, calm(3)), Facts(3, 2, calm(3)), Facts(3, 3)):
        lines = " ".join(rules.advise(facts).lines)
        assert "Keep going at this dose." in lines
        assert "add a rep" not in lines and "5 seconds" not in lines


def test_item_15_stay_active_after_a_small_rise_in_the_comfortable_band_and_on_a_first_run(
        ) -> None:
    assert rules.STAY_ACTIVE in rules.advise(Facts(3, 4)).lines
    assert rules.STAY_ACTIVE in rules.advise(Facts(4, 5)).lines
    assert rules.STAY_ACTIVE not in rules.advise(Facts(5, 6)).lines  # past the band
    assert rules.STAY_ACTIVE in rules.advise(Facts(3, 3, first_session=True)).lines
    assert rules.STAY_ACTIVE not in rules.advise(Facts(3, 3, calm(3))).lines
    assert "Stay active, pace yourself" in rules.STAY_ACTIVE
    assert "hurt is not the same as harm" in rules.STAY_ACTIVE


# --- the one pain trend -------------------------------------------------------------------------

@pytest.mark.parametrize(("span", "ready"), [(12, False), (13, True)])
def test_trend_waits_for_two_weeks(span: int, ready: bool) -> None:
    points = [PainPoint(TODAY - timedelta(days=n), 5) for n in range(span + 1)]
    assert (rules.pain_trend(points, TODAY).baseline is not None) is ready


@pytest.mark.parametrize(("every", "regular"), [(2, True), (3, False)])
def test_regular_means_six_days_in_two_weeks(every: int, regular: bool) -> None:
    assert rules.pain_trend(two_weeks(5, 5, every), TODAY).regular is regular


@pytest.mark.parametrize(("first", "last", "kind", "says"), [
    (6, 5, AdviceClass.NOT_IMPROVING, "short of the 2 points or 30%"),  # 1 point, 17%
    (6, 4, AdviceClass.NO_SCORES, "a real improvement"),  # 2 points
    (5, 4, AdviceClass.NOT_IMPROVING, "short of the 2 points or 30%"),  # 1 point, 20%
    (3, 2, AdviceClass.NO_SCORES, "a real improvement"),  # 1 point, 33%
    (2, 4, AdviceClass.WORSE_OVER_WEEKS, "your average pain has gone up, from"),
    (4, 4, AdviceClass.NOT_IMPROVING, "short of the 2 points or 30%"),
])
def test_over_weeks_without_a_session(first: int, last: int, kind: AdviceClass,
                                      says: str) -> None:
    trend = rules.pain_trend(two_weeks(first, last), TODAY)
    advice = rules.advise(Facts(trend=trend, today=TODAY))
    assert advice.kind is kind
    assert len(advice.lines) <= 2 and says in " ".join(advice.lines)


def test_no_trend_advice_when_sessions_were_irregular_or_pain_free() -> None:
    for points in (two_weeks(5, 5, every=3), two_weeks(0, 0)):
        trend = rules.pain_trend(points, TODAY)
        assert rules.advise(Facts(trend=trend, today=TODAY)).lines == ()


@pytest.mark.parametrize(("days", "says"), [
    (14, None), (42, None), (43, "more than 6 weeks"), (84, "more than 6 weeks"),
    (85, "more than 12 weeks")])
def test_pain_duration(days: int, says: str | None) -> None:
    advice = rules.advise(Facts(4, 4, episode_start=TODAY - timedelta(days=days), today=TODAY))
    notes = [line for line in advice.lines if "You have had this pain" in line]
    assert notes == [] if says is None else (len(notes) == 1 and says in notes[0])


def test_no_duration_note_where_the_advice_already_sends_to_a_clinician_or_pain_is_gone(
        ) -> None:
    long_ago = TODAY - timedelta(days=100)
    severe = rules.advise(Facts(9, 9, episode_start=long_ago, today=TODAY))
    assert not any("persistent" in line for line in severe.lines)
    gone = rules.advise(Facts(3, 0, episode_start=long_ago, today=TODAY))
    assert not any("You have had this pain" in line for line in gone.lines)
    steady = rules.advise(Facts(3, 3, episode_start=long_ago, today=TODAY))
    assert any("persistent" in line and "supervised by a physiotherapist" in line
               for line in steady.lines)


# --- when this bout of pain began (item 5) ------------------------------------------------------

ANSWERED = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("onset", "days"), [("under-2-weeks", 0), ("2-6-weeks", 14),
                                             ("6-12-weeks", 43), ("over-12-weeks", 85)])
def test_onset_day_from_the_answer(onset: str, days: int) -> None:
    assert rules.onset_day(PainOnset(ANSWERED, onset)) == ANSWERED.date() - timedelta(days=days)


def test_item_5_a_year_of_pain_gets_the_persistent_advice_at_the_first_session() -> None:
    onset = PainOnset(ANSWERED, "over-12-weeks")
    today = ANSWERED.date()
    points = [PainPoint(today, 5, 5)]
    start = rules.episode_start(onset, points)
    advice = rules.advise(Facts(5, 5, episode_start=start, today=today))
    assert any("more than 12 weeks, which makes it persistent" in line for line in advice.lines)
    # without the answer the clock starts at the first session: nothing to say yet
    assert rules.episode_start(None, points) == today


def test_item_5_a_bout_that_ended_after_the_answer_is_not_counted() -> None:
    onset = PainOnset(ANSWERED, "over-12-weeks")
    later = ANSWERED.date() + timedelta(days=10)
    points = [PainPoint(ANSWERED.date(), 5), PainPoint(later, 0, 0),
              PainPoint(later + timedelta(days=3), 4)]
    assert rules.episode_start(onset, points) == later + timedelta(days=3)
    assert rules.episode_start(onset, points[:1]) == rules.onset_day(onset)
