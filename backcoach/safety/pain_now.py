"""Pain before a session: go ahead, the gentle routine, or rest today (content brief, section
4). Part of the pain rules (`rules` re-exports it), on its own because a session asks it
before its first frame and the rest of the rules are not needed until later."""

from __future__ import annotations

from enum import Enum

HIGH_PAIN = 7  # from here: no more load, the gentle routine
SEVERE_PAIN = 9  # from here: rest today, and the severe-pain advice
GENTLE = "`backcoach run gentle`"  # the command for the gentle routine, as the advice names it


class Before(Enum):
    """What pain before a session suggests: go ahead, the gentle routine, or rest today."""

    GO = "go"
    GENTLE = "gentle"
    REST = "rest"


def severe_pain_lines(pain: int) -> tuple[str, ...]:
    """The advice for severe pain (9-10): rest today, keep moving gently, when to get help."""
    return (f"Pain of {pain} out of 10 is severe. Rest from these exercises today.",
            "Keep moving gently around the house if you can: long spells in bed slow "
            "recovery.",
            "If it doesn't ease within a day or two, or it's hard to cope with, contact your GP, "
            "a physiotherapist or an urgent care service. If it comes with numbness around "
            "your groin or bottom, bladder or bowel trouble, or weakness in your legs, call "
            "emergency services.")


def before_session(pain: int | None) -> tuple[Before, tuple[str, ...]]:
    """What pain now (0-10) suggests before a session, and the words for it: 9-10 rest today,
    7-8 the gentle routine, otherwise go ahead. Never more load at 7 or more."""
    if pain is None or pain < HIGH_PAIN:
        return Before.GO, ()
    if pain >= SEVERE_PAIN:
        return Before.REST, severe_pain_lines(pain)
    return Before.GENTLE, (f"Your pain is {pain} out of 10 today. On a day like this the gentle "
                           "routine (shorter holds, fewer of them, longer rests) suits better.",)


