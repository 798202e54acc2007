"""Builders for safety tests: scripted replies by question id, and screen records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from backcoach.safety import flow as safety_flow
from backcoach.safety import redflags
from backcoach.session.result import ScreenRecord

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def replies(yes: Iterable[str] = (), *, consent: bool = True, symptoms: bool = False,
            pain: int = 3) -> Callable[[str], bool | int]:
    """A reply function: yes to the questions with these ids, no to the rest."""
    wanted = set(yes)
    questions = redflags.load_questions()
    clearance = {q.id for q in questions if q.tier is redflags.Tier.CLEARANCE}

    def reply(text: str) -> bool | int:
        if text == safety_flow.CONSENT_QUESTION:
            return consent
        if text == safety_flow.SYMPTOMS_QUESTION:
            return symptoms
        if text == safety_flow.PAIN_QUESTION:
            return pain
        if "Do you have any of these" in text:
            return bool(wanted & clearance)
        for question in questions:
            if text.endswith(question.ask):
                return question.id in wanted
        raise AssertionError(f"unexpected question: {text!r}")

    return reply


def screen(days_ago: float, tier: str = "OK", answers: dict[str, bool] | None = None,
           now: datetime = NOW) -> ScreenRecord:
    """A screen record taken this many days before `now`."""
    return ScreenRecord(taken_at=now - timedelta(days=days_ago), tier=tier,
                        answers=answers if answers is not None else {})
