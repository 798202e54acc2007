"""The interactive safety flow: consent, the screen and the pre-session check, with fakes."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

from backcoach.errors import BackcoachError, BadInput, ExitCode, SafetyStop
from backcoach.library.catalog import load_catalog
from backcoach.library.model import Dose, Exercise
from backcoach.safety import flow as safety_flow
from backcoach.safety import redflags, rules
from backcoach.safety.flow import MemorySafetyStore
from backcoach.safety.redflags import Tier
from backcoach.session.plan import Step
from backcoach.session.result import ScreenRecord
from tests.fakes import ScriptedPrompter
from tests.safety_helpers import NOW, replies, screen

ALL_IDS = [q.id for q in redflags.load_questions()]
MAIN_COUNT = sum(1 for q in redflags.load_questions() if q.tier is not Tier.CLEARANCE)


def consented(*screens: ScreenRecord) -> MemorySafetyStore:
    return MemorySafetyStore(consent=NOW - timedelta(days=60), screens=screens)


# --- consent --------------------------------------------------------------------------------------

def test_consent_is_shown_accepted_and_recorded_once() -> None:
    store = MemorySafetyStore()
    prompter = ScriptedPrompter([True])
    assert safety_flow.ensure_consent(prompter, store, NOW) == NOW
    assert store.consent_accepted_at() == NOW
    assert redflags.DISCLAIMER[0] in prompter.said
    assert prompter.asked == [safety_flow.CONSENT_QUESTION]

    again = ScriptedPrompter([])
    later = NOW + timedelta(days=3)
    assert safety_flow.ensure_consent(again, store, later) == NOW
    assert again.asked == [] and again.said == []
    assert store.consent_accepted_at() == NOW


def test_declining_ends_kindly_with_exit_0_and_records_nothing() -> None:
    """The person's choice, not a failure (issue 14, item 11)."""
    store = MemorySafetyStore()
    with pytest.raises(BackcoachError) as info:
        safety_flow.ensure_consent(ScriptedPrompter([False]), store, NOW)
    assert info.value.exit_code == ExitCode.OK
    assert "nothing has started" in str(info.value)
    assert store.consent_accepted_at() is None


def test_consent_needs_a_person() -> None:
    with pytest.raises(BadInput, match="backcoach screen --clear"):
        safety_flow.ensure_consent(ScriptedPrompter([], interactive=False),
                                   MemorySafetyStore(), NOW)


# --- the screen -----------------------------------------------------------------------------------

def test_all_no_records_every_answer_and_says_clear() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies())
    outcome = safety_flow.run_screen(prompter, store, NOW)
    assert outcome.tier is Tier.OK
    record = store.last_screen()
    assert record is not None
    assert (record.taken_at, record.tier) == (NOW, "OK")
    assert record.answers == dict.fromkeys(ALL_IDS, False)
    # one question for all clearance conditions, then when this bout of pain began
    assert len(prompter.asked) == MAIN_COUNT + 2
    assert prompter.asked[0].startswith(f"(1 of {MAIN_COUNT + 1}) ")
    assert prompter.asked[-1] == safety_flow.ONSET_QUESTION
    assert outcome.message[0] in prompter.said
    onset = store.pain_onset()
    assert onset is not None and (onset.recorded_at, onset.onset) == (NOW, "under-2-weeks")


def test_asking_stops_at_the_first_blocking_answer() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies({"bladder-bowel", "pregnancy"}))
    outcome = safety_flow.run_screen(prompter, store, NOW)
    assert outcome.tier is Tier.EMERGENCY
    assert len(prompter.asked) == 2
    record = store.last_screen()
    assert record is not None and record.tier == "EMERGENCY"
    assert record.answers == {"saddle-numbness": False, "bladder-bowel": True}
    assert "Call emergency services or go to an emergency department now." in prompter.said


def test_urgent_answer_is_recorded_and_shown() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies({"cancer-history"}))
    assert safety_flow.run_screen(prompter, store, NOW).tier is Tier.URGENT
    assert any(line.startswith("Get medical advice today") for line in prompter.said)
    assert store.last_screen() is not None


def test_clearance_conditions_are_asked_one_by_one_when_some_apply() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies({"hip-replacement", "first-over-50"}))
    outcome = safety_flow.run_screen(prompter, store, NOW)
    clearance = len(ALL_IDS) - MAIN_COUNT
    assert len(prompter.asked) == MAIN_COUNT + 1 + clearance + 1  # and the onset
    assert outcome.tier is Tier.SEE_SOON
    assert outcome.tags == {"hip-replacement"}
    record = store.last_screen()
    assert record is not None and record.answers["hip-replacement"] is True
    assert sum(record.answers.values()) == 2


def test_screen_needs_a_person() -> None:
    with pytest.raises(BadInput, match="run `backcoach screen` in a terminal"):
        safety_flow.run_screen(ScriptedPrompter([], interactive=False), consented(), NOW)


def test_clear_records_none_of_these_and_accepts_the_statement() -> None:
    store = MemorySafetyStore()
    prompter = ScriptedPrompter([])
    outcome = safety_flow.clear_screen(store, NOW, prompter)
    assert outcome.tier is Tier.OK and prompter.asked == []
    assert store.consent_accepted_at() == NOW
    record = store.last_screen()
    assert record is not None and record.answers == dict.fromkeys(ALL_IDS, False)
    assert redflags.DISCLAIMER[0] in prompter.said

    again = ScriptedPrompter([])
    safety_flow.clear_screen(store, NOW + timedelta(days=1), again)
    assert redflags.DISCLAIMER[0] not in again.said
    assert store.consent_accepted_at() == NOW
    assert len(store.screens) == 2


def test_clear_without_a_prompter_is_silent() -> None:
    store = MemorySafetyStore()
    assert safety_flow.clear_screen(store, NOW).tier is Tier.OK


# --- before a session -----------------------------------------------------------------------------

def test_first_session_shows_the_statement_takes_the_screen_and_asks_pain() -> None:
    store = MemorySafetyStore()
    prompter = ScriptedPrompter(replies(pain=4))
    pre = safety_flow.before_session(prompter, store, NOW, exercises=())
    assert (pre.pain_before, pre.tier, pre.hidden, pre.screened) == (4, Tier.OK, {}, True)
    assert store.consent_accepted_at() == NOW and len(store.screens) == 1
    assert prompter.asked[0] == safety_flow.CONSENT_QUESTION
    assert prompter.asked[-1] == safety_flow.PAIN_QUESTION
    assert safety_flow.SYMPTOMS_QUESTION not in prompter.asked


@pytest.mark.parametrize(("days", "rescreen"), [(29, False), (30, False), (31, True)])
def test_screen_again_after_30_days(days: int, rescreen: bool) -> None:
    store = consented(screen(days))
    prompter = ScriptedPrompter(replies())
    pre = safety_flow.before_session(prompter, store, NOW, 2, exercises=())
    assert pre.screened is rescreen
    assert (safety_flow.SYMPTOMS_QUESTION in prompter.asked) is not rescreen
    assert len(store.screens) == (2 if rescreen else 1)
    assert pre.pain_before == 2 and safety_flow.PAIN_QUESTION not in prompter.asked
    if rescreen:
        assert "more than 30 days ago" in prompter.said[0]


def test_new_symptoms_lead_to_the_screen() -> None:
    store = consented(screen(3))
    prompter = ScriptedPrompter(replies({"one-limb-nerve"}, symptoms=True))
    pre = safety_flow.before_session(prompter, store, NOW, exercises=())
    assert prompter.asked[0] == safety_flow.SYMPTOMS_QUESTION
    assert pre.screened and pre.tier is Tier.SEE_SOON
    assert len(store.screens) == 2


@pytest.mark.parametrize("ident", ["saddle-numbness", "chest-pain", "fever-unwell",
                                   "infection-fracture-risk"])
def test_a_blocking_answer_stops_the_session_with_exit_3(ident: str) -> None:
    store = consented(screen(3))
    prompter = ScriptedPrompter(replies({ident}, symptoms=True))
    with pytest.raises(SafetyStop) as info:
        safety_flow.before_session(prompter, store, NOW, exercises=())
    assert info.value.exit_code == ExitCode.SAFETY_STOP == 3
    assert "run `backcoach screen` again" in str(info.value)
    tier = redflags.evaluate({ident: True}).tier
    action = ("Call emergency services" if tier is Tier.EMERGENCY else "Get medical advice today")
    assert action in str(info.value)
    assert safety_flow.PAIN_QUESTION not in prompter.asked
    last = store.last_screen()
    assert last is not None and last.tier == tier.name


@pytest.mark.parametrize("interactive", [True, False])
@pytest.mark.parametrize("tier", ["URGENT", "EMERGENCY"])
def test_a_stored_blocking_screen_stops_without_asking(tier: str, interactive: bool) -> None:
    store = consented(screen(2, tier))
    prompter = ScriptedPrompter([], interactive=interactive)
    with pytest.raises(SafetyStop, match="run `backcoach screen` again to clear this"):
        safety_flow.before_session(prompter, store, NOW, exercises=())
    assert prompter.asked == []


def test_a_stale_blocking_screen_is_asked_again_and_can_clear() -> None:
    store = consented(screen(40, "URGENT", {"fever-unwell": True}))
    pre = safety_flow.before_session(ScriptedPrompter(replies()), store, NOW, exercises=())
    assert pre.tier is Tier.OK and pre.screened


def test_rescreening_clears_a_block() -> None:
    store = consented(screen(2, "EMERGENCY", {"chest-pain": True}))
    safety_flow.run_screen(ScriptedPrompter(replies()), store, NOW)
    pre = safety_flow.before_session(ScriptedPrompter(replies()), store, NOW + timedelta(hours=1),
                                     exercises=())
    assert pre.tier is Tier.OK


def test_clearance_answers_hide_built_in_exercises() -> None:
    catalog = load_catalog()
    store = consented(screen(3, "CLEARANCE", {"osteoporosis": True}))
    pre = safety_flow.before_session(ScriptedPrompter(replies()), store, NOW,
                                     exercises=catalog.exercises.values())
    assert set(pre.hidden) == {"knee-to-chest", "double-knee-to-chest", "cat-cow"}
    assert "osteoporosis" in pre.hidden["knee-to-chest"]
    assert pre.tier is Tier.CLEARANCE


def test_exercises_default_to_the_catalog() -> None:
    store = consented(screen(3, "CLEARANCE", {"shoulder-problem": True}))
    pre = safety_flow.before_session(ScriptedPrompter(replies()), store, NOW)
    assert set(pre.hidden) == {"doorway-chest-stretch"}


def test_see_soon_is_a_reminder_on_later_sessions() -> None:
    store = consented(screen(3, "SEE_SOON", {"first-over-50": True}))
    prompter = ScriptedPrompter(replies())
    pre = safety_flow.before_session(prompter, store, NOW, 3, exercises=())
    assert pre.tier is Tier.SEE_SOON and not pre.screened
    # Kept for the session's first screen, where the live view cannot cover it.
    assert pre.notices == (safety_flow.SEE_SOON_REMINDER,)
    assert not any("Reminder" in line for line in prompter.said)


def test_without_a_terminal_a_current_screen_is_used_and_pain_left_blank() -> None:
    store = consented(screen(3))
    prompter = ScriptedPrompter([], interactive=False)
    pre = safety_flow.before_session(prompter, store, NOW, exercises=())
    assert (pre.pain_before, pre.tier, pre.screened) == (None, Tier.OK, False)
    assert prompter.asked == []


@pytest.mark.parametrize("store", [MemorySafetyStore(),
                                   MemorySafetyStore(consent=NOW, screens=[screen(31)])])
def test_without_a_terminal_a_due_screen_is_bad_input(store: MemorySafetyStore) -> None:
    with pytest.raises(BadInput) as info:
        safety_flow.before_session(ScriptedPrompter([], interactive=False), store, NOW,
                                   exercises=())
    assert "`backcoach screen` in a terminal" in str(info.value)
    assert "`backcoach screen --clear`" in str(info.value)
    assert info.value.exit_code == ExitCode.BAD_INPUT


def test_after_screen_clear_a_scripted_session_may_start() -> None:
    store = MemorySafetyStore()
    safety_flow.clear_screen(store, NOW)
    pre = safety_flow.before_session(ScriptedPrompter([], interactive=False), store,
                                     NOW + timedelta(minutes=1), 5, exercises=())
    assert (pre.pain_before, pre.tier) == (5, Tier.OK)


# --- outside a session: what `show` says is left out ---------------------------------------------

def test_left_out_follows_the_last_screen_alone() -> None:
    catalog = load_catalog()
    daily, knee = catalog.routine("daily"), catalog.exercise("knee-to-chest")
    assert safety_flow.screen_tags(None) == frozenset()
    osteoporosis = screen(1, "CLEARANCE", {"osteoporosis": True})
    tags = safety_flow.screen_tags(osteoporosis)
    assert "osteoporosis" in tags
    assert list(safety_flow.left_out(daily, catalog, osteoporosis)) == ["knee-to-chest"]
    assert safety_flow.left_out(knee, catalog, osteoporosis) == redflags.hidden_exercises(
        [knee], tags)
    assert safety_flow.left_out(daily, catalog, screen(1)) == {}
    neck = screen(1, "CLEARANCE", {"neck-injury": True})
    assert list(safety_flow.left_out(daily, catalog, neck)) == ["neck-side-bend"]
    cleared = ScreenRecord(NOW, "OK", {"neck-injury": True}, {"neck-injury": NOW})
    assert safety_flow.left_out(daily, catalog, cleared) == {}


# --- during a session -----------------------------------------------------------------------------

def _step(family: str, regions: tuple[str, ...] = ()) -> Step:
    exercise = Exercise(id="x", name="X", family=family, position="sitting", steps=("Do it.",),
                        regions=regions)
    return Step(index=0, kind="hold", seconds=30, exercise=exercise, dose=Dose(),
                exercise_index=0)


@pytest.mark.parametrize(("kind", "level", "family", "stop"), [
    ("sharp", None, "piriformis", True), ("spreading", None, "neck", True),
    ("dizzy", None, "neck", True), ("dull", None, "neck", False), ("dull", 5, "neck", False),
    ("dull", 6, "piriformis", True)])
def test_hurt_assessor_applies_the_pain_rules(kind: str, level: int | None, family: str,
                                              stop: bool) -> None:
    step = _step(family)
    decision = safety_flow.hurt_assessor()(kind, level, step)
    advice = rules.assess_hurt(kind, level, step.exercise.loads)
    assert decision.stop is stop
    assert (decision.message, decision.reason) == (advice.message, advice.reason or "")
    assert decision.skip_regions == advice.skip_regions


def test_hurt_assessor_reads_the_regions_an_exercise_loads() -> None:
    """A neck exercise by its regions, whatever its family; the family only fills in."""
    neck = safety_flow.hurt_assessor()("dizzy", None, _step("other", ("neck",)))
    assert neck.follow_up is not None and neck.skip_regions == {"neck"}
    assert neck.follow_up.if_yes.end_session and not neck.follow_up.if_no.end_session
    hip = safety_flow.hurt_assessor()("spreading", None, _step("piriformis"))
    assert hip.skip_regions == {"hip", "low-back"} and hip.follow_up is None


# --- item 2: pain before a session --------------------------------------------------------------

def test_item_2_pain_7_or_8_offers_the_gentle_routine() -> None:
    prompter = ScriptedPrompter(replies(gentle=True))
    assert safety_flow.check_pain_now(prompter, 7, gentle_already=False).gentle
    assert prompter.asked == ["Do the gentle routine instead today?"]
    assert "gentle routine" in prompter.said[0]
    declined = ScriptedPrompter(replies(gentle=False))
    assert safety_flow.check_pain_now(declined, 8, gentle_already=False) == \
        safety_flow.DoseChoice()
    quiet = ScriptedPrompter([], interactive=False)
    assert safety_flow.check_pain_now(quiet, 8, gentle_already=False) == safety_flow.DoseChoice()
    assert "`backcoach run gentle`" in quiet.said[-1]
    already = ScriptedPrompter([])
    assert safety_flow.check_pain_now(already, 7, gentle_already=True) == \
        safety_flow.DoseChoice()
    assert already.asked == []


def test_item_2_pain_9_or_10_suggests_rest_and_goes_on_only_if_insisted() -> None:
    rest = ScriptedPrompter(replies(still_go=False))
    assert safety_flow.check_pain_now(rest, 9, gentle_already=False).rest
    assert any("severe" in line for line in rest.said)
    insist = ScriptedPrompter(replies(still_go=True))
    assert safety_flow.check_pain_now(insist, 10, gentle_already=False) == \
        safety_flow.DoseChoice(gentle=True)
    with pytest.raises(SafetyStop, match="pain of 9 out of 10 is severe"):
        safety_flow.check_pain_now(ScriptedPrompter([], interactive=False), 9, False)
    for pain in (None, 0, 6):
        assert safety_flow.check_pain_now(ScriptedPrompter([]), pain, False) == \
            safety_flow.DoseChoice()


# --- items 11-12: clearances --------------------------------------------------------------------

def test_item_12_a_lifelong_answer_with_a_clinicians_ok_is_kept_with_its_date() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies({"cancer-history"}, cleared={"cancer-history"}))
    outcome = safety_flow.run_screen(prompter, store, NOW)
    assert not outcome.blocks
    assert redflags.CLEARANCE_QUESTION in prompter.asked
    record = store.last_screen()
    assert record is not None and record.cleared == {"cancer-history": NOW}
    assert record.answers["cancer-history"] is True
    assert redflags.record_tier(record) is Tier.OK
    # at the next screen, the clearance is asked about again and keeps its first date
    later = NOW + timedelta(days=40)
    again = ScriptedPrompter(replies({"cancer-history"}, cleared={"cancer-history"}))
    safety_flow.run_screen(again, store, later)
    assert any(q.startswith("On 10 Mar 2026 you said a doctor") for q in again.asked)
    latest = store.last_screen()
    assert latest is not None and latest.cleared == {"cancer-history": NOW}


def test_item_12_without_a_clinicians_ok_a_lifelong_answer_blocks() -> None:
    store = consented()
    prompter = ScriptedPrompter(replies({"cancer-history"}))
    assert safety_flow.run_screen(prompter, store, NOW).blocks
    record = store.last_screen()
    assert record is not None and record.cleared == {}
    assert safety_flow.ONSET_QUESTION not in prompter.asked


def test_item_11_pregnancy_asks_the_trimester() -> None:
    early = consented()
    safety_flow.run_screen(ScriptedPrompter(replies({"pregnancy"}, later_pregnancy=False)),
                           early, NOW)
    record = early.last_screen()
    assert record is not None and record.answers["pregnancy:only-if"] is False
    assert redflags.record_outcome(record).tags == frozenset()
    later = consented()
    prompter = ScriptedPrompter(replies({"pregnancy"}, later_pregnancy=True))
    safety_flow.run_screen(prompter, later, NOW)
    record = later.last_screen()
    assert record is not None and redflags.record_outcome(record).tags == {"pregnancy"}
    assert any(line.startswith("Left out for pregnancy: ") for line in prompter.said)


def test_item_12_clear_lists_what_it_confirms_and_no_message_offers_it_at_a_terminal(
        monkeypatch: pytest.MonkeyPatch) -> None:
    prompter = ScriptedPrompter([])
    safety_flow.clear_screen(MemorySafetyStore(), NOW, prompter)
    assert "Recorded that none of these warning signs or conditions apply to you:" in \
        prompter.said
    for question in redflags.load_questions():
        assert f"- {question.ask}" in prompter.said
    monkeypatch.setattr(safety_flow, "_is_tty", lambda stream: True)
    assert "--clear" not in safety_flow.need_terminal()
    assert "--clear" not in safety_flow.INPUT_ENDED
    monkeypatch.setattr(safety_flow, "_is_tty", lambda stream: False)
    assert "`backcoach screen --clear`" in safety_flow.need_terminal()


# --- item 5: when this bout of pain began -------------------------------------------------------

def test_item_5_onset_is_asked_once_then_confirmed_and_can_change() -> None:
    store = consented()
    first = ScriptedPrompter(replies(onset=4))
    safety_flow.run_screen(first, store, NOW)
    assert first.asked[-1] == safety_flow.ONSET_QUESTION
    later = NOW + timedelta(days=31)
    same = ScriptedPrompter(replies(onset=1, same_bout=True))
    safety_flow.run_screen(same, store, later)
    assert same.asked[-1].startswith("Is it still the bout of pain that began more than 12 "
                                     "weeks ago (as you said on 10 Mar 2026)?")
    onset = store.pain_onset()
    assert onset is not None and (onset.onset, onset.recorded_at) == ("over-12-weeks", NOW)
    new = ScriptedPrompter(replies(onset=1, same_bout=False))
    safety_flow.run_screen(new, store, later)
    assert new.asked[-1] == safety_flow.ONSET_QUESTION
    onset = store.pain_onset()
    assert onset is not None and (onset.onset, onset.recorded_at) == ("under-2-weeks", later)


# --- item 8: a stop is remembered ---------------------------------------------------------------

def test_item_8_the_last_stop_is_named_and_can_be_left_out() -> None:
    reminder = safety_flow.Reminder("neck-side-bend", "Neck side bend",
                                    rules.REASON_DIZZY_NECK, NOW)
    prompter = ScriptedPrompter(replies(leave_out=True))
    hidden = safety_flow.remind_stops(prompter, [reminder])
    assert prompter.said == [f"Last time ({NOW.astimezone():%d %b}) you stopped Neck side bend "
                             "because of dizziness or a change in vision during neck work."]
    assert prompter.asked == ["Leave it out today?"]
    assert list(hidden) == ["neck-side-bend"]
    keep = ScriptedPrompter(replies(leave_out=False))
    assert safety_flow.remind_stops(keep, [reminder]) == {}
    quiet = ScriptedPrompter([], interactive=False)
    assert safety_flow.remind_stops(quiet, [reminder]) == {}
    assert quiet.said[-1] == "Today's session keeps it: stop if it hurts again."


# --- the console prompter -------------------------------------------------------------------------

def console_prompter(typed: str) -> tuple[safety_flow.ConsolePrompter, io.StringIO]:
    out = io.StringIO()
    prompter = safety_flow.ConsolePrompter(out, io.StringIO(typed))
    return prompter, out


def test_console_yes_no_re_asks_with_a_hint() -> None:
    prompter, out = console_prompter("maybe\n\nYES\nn\n")
    assert prompter.ask_yes_no("Chest pain?") is True
    assert prompter.ask_yes_no("Chest pain?") is False
    text = out.getvalue()
    assert text.count("Chest pain? [y/n]") == 4
    assert text.count("Please type y for yes or n for no.") == 2


def test_console_number_re_asks_until_in_range() -> None:
    prompter, out = console_prompter("eleven\n11\n-1\n 7 \n")
    assert prompter.ask_number("Pain now?", 0, 10) == 7
    assert out.getvalue().count("Please type a whole number from 0 to 10.") == 3
    assert "Pain now? [0-10]" in out.getvalue()


def test_console_end_of_input_is_bad_input() -> None:
    prompter, _ = console_prompter("x\n")
    with pytest.raises(BadInput, match="input ended before an answer was given"):
        prompter.ask_yes_no("Chest pain?")


def test_console_prints_brackets_as_typed_and_knows_a_pipe_is_not_a_terminal() -> None:
    prompter, out = console_prompter("")
    prompter.say("[bold]not markup[/bold]")
    assert "[bold]not markup[/bold]" in out.getvalue()
    assert prompter.interactive is False
    told = safety_flow.ConsolePrompter(io.StringIO(), io.StringIO(), True)
    assert told.interactive is True


def test_console_writes_plain_text_wrapped_to_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    prompter, out = console_prompter("y\n")
    prompter.say("Get medical help instead of exercising if you have chest pain.")
    assert prompter.ask_yes_no("Do you understand this and want to continue?") is True
    assert out.getvalue() == ("Get medical help instead of \nexercising if you have chest \n"
                              "pain.\nDo you understand this and \nwant to continue? [y/n] ")


@settings(max_examples=300, deadline=None)
@given(text=st.lists(st.sampled_from(["a", "bb", "word", "x" * 12, " ", "  ", "\n", "\t", "é",
                                      "漢", "’", "\u0301"]), max_size=30).map("".join),
       width=st.integers(min_value=2, max_value=40))
def test_wrapping_is_the_one_rich_did(text: str, width: int) -> None:
    """The prompts used to be printed with rich: they break at the same places."""
    out = io.StringIO()
    Console(file=out, width=width).print(text, markup=False, highlight=False, emoji=False)
    assert "\n".join(safety_flow.wrap(text, width)) + "\n" == out.getvalue()


def test_the_first_run_statement_wraps_as_it_did() -> None:
    for width in (40, 80, 100):
        for paragraph in (*redflags.DISCLAIMER, *(q.ask for q in redflags.load_questions())):
            out = io.StringIO()
            Console(file=out, width=width).print(paragraph, markup=False, highlight=False)
            assert "\n".join(safety_flow.wrap(paragraph, width)) + "\n" == out.getvalue()
