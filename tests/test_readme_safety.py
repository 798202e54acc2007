"""README's "Safety" section stays true: the table of questions is generated from the question
file, the order of the advice is the order the rules apply, and each number it states is the
one the rules use."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backcoach.library.catalog import load_catalog
from backcoach.library.settings import RESCREEN_DAYS
from backcoach.safety import redflags, rules
from backcoach.safety.rules import AdviceClass

README = Path(__file__).resolve().parent.parent / "README.md"


def section() -> str:
    text = README.read_text(encoding="utf-8")
    return text.split("\n## Safety\n", 1)[1].split("\n## ", 1)[0]


def test_the_table_of_questions_is_the_question_file() -> None:
    block = section().split("<!-- screen:start -->\n")[1].split("<!-- screen:end -->")[0]
    expected = redflags.reference_markdown(load_catalog().exercises.values())
    assert block == expected, "paste redflags.reference_markdown(...) between the markers"


def test_the_advice_is_listed_in_the_order_the_rules_apply() -> None:
    after = section().split("### After a session", 1)[1].split("###", 1)[0]
    listed = re.findall(r"^\s*\d+\. `([a-z-]+)`(?:, \d+\. `([a-z-]+)`)?", after, re.M)
    names = [name for pair in listed for name in pair if name]
    assert names == [kind.value for kind in AdviceClass]


def test_the_numbers_it_states_are_the_rules() -> None:
    text = " ".join(section().split())
    assert f"over {RESCREEN_DAYS} days old" in text
    assert rules.HIGH_PAIN == 7 and "At 7 or 8 backcoach offers the gentle routine" in text
    assert rules.SEVERE_PAIN == 9 and "At 9 or 10 it gives the advice for severe pain" in text
    assert rules.COMFORTABLE_MAX == 5 and "comfortable band (5 or less)" in text
    assert (rules.MIN_CHANGE_POINTS, rules.MIN_CHANGE_FRACTION) == (2, 0.3)
    assert "only past 2 points or 30%" in text
    assert (rules.REGULAR_MIN_DAYS, rules.REGULAR_WEEKS) == (6, 2)
    assert "at least 6 of the last 14 days" in text
    assert (rules.REVIEW_AFTER_WEEKS, rules.PERSISTENT_AFTER_WEEKS) == (6, 12)
    assert "over 6 weeks: a review; over 12: persistent" in text


@pytest.mark.parametrize(("level", "stop", "ease_off"), [(0, False, False), (3, False, False),
                                                         (4, False, True), (5, False, True),
                                                         (6, True, False), (10, True, False)])
def test_the_hurt_table_is_what_the_rules_do(level: int, stop: bool, ease_off: bool) -> None:
    table = section().split("### During a session", 1)[1]
    assert "| a dull ache of 0-3 | carry on" in table
    assert "| a dull ache of 4-5 | ease off" in table
    assert "| a dull ache of 6 or more, or sharp pain | that exercise stops" in table
    advice = rules.assess_hurt("dull", level)
    assert (advice.stop, advice.ease_off) == (stop, ease_off)
    assert rules.assess_hurt("sharp").stop and not rules.assess_hurt("sharp").skip_regions
    assert rules.assess_hurt("spreading", None, ["hip"]).skip_regions == {"hip"}
    neck = rules.assess_hurt("dizzy", None, ["neck"])
    assert neck.skip_regions == {"neck"} and neck.follow_up is not None
    assert neck.follow_up.if_yes.emergency
