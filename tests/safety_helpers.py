"""Builders for safety tests: scripted replies by question id, and screen records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from backcoach.safety import flow as safety_flow
from backcoach.safety import redflags
from backcoach.session.result import ScreenRecord

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def replies(yes: Iterable[str] = (), *, consent: bool = True, symptoms: bool = False,
            pain: int = 3, onset: int = 1, cleared: Iterable[str] = (),
            later_pregnancy: bool = True, same_bout: bool = True, gentle: bool = True,
            still_go: bool = False, leave_out: bool = True,
            pain_after: int = 2) -> Callable[[str], bool | int]:
    """A reply function: yes to the questions with these ids, no to the rest.

    `onset`: the answer (1-4) to when this bout of pain began; `cleared`: the ids whose
    "has a doctor or physiotherapist checked this?" is answered yes; `later_pregnancy`: past
    the first trimester; `gentle` / `still_go`: the answers at pain 7-8 / 9-10; `leave_out`:
    leave out what was stopped last time."""
    wanted, clear = set(yes), set(cleared)
    questions = redflags.load_questions()
    clearance = {q.id for q in questions if q.tier is redflags.Tier.CLEARANCE}
    follow_ups = {q.only_if: q.id for q in questions if q.only_if}
    asked_last: list[str] = []

    def reply(text: str) -> bool | int:
        if text == safety_flow.CONSENT_QUESTION:
            return consent
        if text == safety_flow.SYMPTOMS_QUESTION:
            return symptoms
        if text == safety_flow.PAIN_QUESTION:
            return pain
        if text == safety_flow.ONSET_QUESTION:
            return onset
        if text.endswith("from 0 (none) to 10 (worst imaginable)?"):  # pain after
            return pain_after
        if text.startswith("Is it still the bout of pain"):
            return same_bout
        if text == "Do the gentle routine instead today?":
            return gentle
        if text == "Would you still like a short, gentle session today?":
            return still_go
        if text.startswith("Leave ") and text.endswith(" out today?"):
            return leave_out
        if text == redflags.CLEARANCE_QUESTION or text.endswith("Is that still so?"):
            return asked_last[-1] in clear
        if text in follow_ups:
            return later_pregnancy
        if "Do you have any of these" in text:
            return bool(wanted & clearance)
        for question in questions:
            if text.endswith(question.ask):
                asked_last.append(question.id)
                return question.id in wanted
        raise AssertionError(f"unexpected question: {text!r}")

    return reply


def screen(days_ago: float, tier: str = "OK", answers: dict[str, bool] | None = None,
           now: datetime = NOW) -> ScreenRecord:
    """A screen record taken this many days before `now`."""
    return ScreenRecord(taken_at=now - timedelta(days=days_ago), tier=tier,
                        answers=answers if answers is not None else {})
